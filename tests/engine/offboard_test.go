package engine

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

// lifecycleJSON is the tenantkit:lifecycle value of a tenant in state on
// the schedule.
func lifecycleJSON(t *testing.T, state string, s lifecycle.Schedule) string {
	t.Helper()
	b, err := json.Marshal(config.Lifecycle{State: state, CancelledOn: s.CancelledOn.String(), SuspendOn: s.SuspendOn.String(), DeleteBy: s.DeleteBy.String()})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sorted(s []string) []string { s = slices.Clone(s); sort.Strings(s); return s }

// liveOf lists what exists in the account for one stack, as "type name".
func liveOf(a *Account, stack string) []string {
	var out []string
	for _, l := range a.Live() {
		if strings.HasPrefix(string(l.URN), "urn:pulumi:"+stack+"::") {
			out = append(out, l.Type+" "+l.URN.Name())
		}
	}
	return sorted(out)
}

// Offboarding through the engine: suspension changes only the listeners
// and the load balancer's ingress, as the README says; deleting turns the
// protections off; destroy then deletes everything in an order AWS accepts
// (the test provider refuses to delete what is still referenced), except
// the log archive and every configuration its protection needs.
func TestOffboardingThroughTheEngine(t *testing.T) {
	a := withBaseline(t)
	s := tenantStack(t, a, "acme")
	if r := s.Up(); r.Err != nil {
		t.Fatal(r.Err)
	}

	// Cancelled yesterday, on the clock the program judges by: the
	// deadline is 29 days away whatever day the test runs.
	sched := lifecycle.ScheduleFor(lifecycle.Today(clock.Now()).AddDays(-1))
	s.SetConfig("tenantkit:lifecycle", lifecycleJSON(t, "suspended", sched), true)
	r := s.Up()
	if r.Err != nil {
		t.Fatalf("suspend: %v", r.Err)
	}
	st := steps(r)
	wantUpdates := []string{"aws:lb/listener:Listener acme-app-http", "aws:lb/listener:Listener acme-app-https", "aws:ssm/parameter:Parameter acme-lifecycle"}
	if got := sorted(st[deploy.OpUpdate]); !slices.Equal(got, wantUpdates) {
		t.Errorf("suspension updates %v, want the listeners and the deployed lifecycle state %v", got, wantUpdates)
	}
	// The deployed state the deadline watchdog reads says suspended only
	// once both listeners answer 503 (#33 item 6).
	started, done := order(r)
	for _, l := range wantUpdates[:2] {
		if done[l] == 0 || started[wantUpdates[2]] < done[l] {
			t.Errorf("the lifecycle parameter was written (event %d) before %s was updated (event %d)", started[wantUpdates[2]], l, done[l])
		}
	}
	for _, d := range st[deploy.OpDelete] {
		if !strings.Contains(d, "SecurityGroupIngressRule acme-sg-rule-lb-in-") {
			t.Errorf("suspension deletes %s; only the load balancer's ingress should go", d)
		}
	}
	if len(st[deploy.OpDelete]) != 2 { // 443 and 80 from acme's one ingress range
		t.Errorf("suspension deletes %v, want the two load-balancer ingress rules", st[deploy.OpDelete])
	}
	for _, op := range []display.StepOp{deploy.OpCreate, deploy.OpReplace, deploy.OpCreateReplacement, deploy.OpDeleteReplaced} {
		if len(st[op]) > 0 {
			t.Errorf("suspension %s %v", op, st[op])
		}
	}

	s.SetConfig("tenantkit:lifecycle", lifecycleJSON(t, "deleting", sched), true)
	s.SetConfig("tenantkit:keyDeletionWindowDays", "20", false)
	r = s.Up()
	if r.Err != nil {
		t.Fatalf("deleting: %v", r.Err)
	}
	updated := steps(r)[deploy.OpUpdate]
	for _, want := range []string{
		"aws:lb/loadBalancer:LoadBalancer acme-app-alb", "aws:rds/instance:Instance acme-db-instance",
		"aws:s3/bucketV2:BucketV2 acme-data-confidential-bucket", "aws:s3/bucketV2:BucketV2 acme-logs-service-logs-bucket",
		"aws:kms/key:Key acme-kms-key",
	} {
		if !slices.Contains(updated, want) {
			t.Errorf("deleting does not update %s (protection off, buckets emptiable, key window): %v", want, updated)
		}
	}
	for _, l := range a.Live() {
		switch l.Type {
		case "aws:lb/loadBalancer:LoadBalancer":
			if l.Outputs["enableDeletionProtection"].V != false {
				t.Errorf("load balancer deletion protection %v", l.Outputs["enableDeletionProtection"])
			}
		case "aws:rds/instance:Instance":
			if l.Outputs["deletionProtection"].V != false {
				t.Errorf("database deletion protection %v", l.Outputs["deletionProtection"])
			}
		}
	}

	if r := s.Destroy(); r.Err != nil {
		t.Fatalf("destroy: %v", r.Err)
	}
	want := []string{
		// The operators' session log, the provider's record (#34).
		"aws:cloudwatch/logGroup:LogGroup acme-session-logs",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2 acme-logs-archive-lifecycle",
		"aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2 acme-logs-archive-lock",
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls acme-logs-archive-ownership",
		"aws:s3/bucketPolicy:BucketPolicy acme-logs-archive-policy",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock acme-logs-archive-pab",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2 acme-logs-archive-sse",
		"aws:s3/bucketV2:BucketV2 acme-logs-archive-bucket",
		"aws:s3/bucketVersioningV2:BucketVersioningV2 acme-logs-archive-versioning",
	}
	if got := liveOf(a, "acme"); !slices.Equal(got, want) {
		t.Errorf("after destroy the account holds %v\nwant only the archive, its protection and the session log %v", got, want)
	}
	for _, l := range a.Live() {
		if l.Type == "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2" && strings.HasPrefix(string(l.URN), "urn:pulumi:acme::") {
			if b, _ := l.Inputs["rules"].ArrayValue()[0].ObjectValue()["applyServerSideEncryptionByDefault"].ObjectValue()["kmsMasterKeyId"].V.(string); !strings.Contains(b, ":key/") || strings.Contains(b, "acme") {
				t.Errorf("the retained archive's key %v", b)
			}
		}
	}
}

// The baseline's singletons are protected: destroying the baseline stack
// fails and switches nothing off for the tenants.
func TestBaselineSingletonsSurviveDestroy(t *testing.T) {
	a, b := baselineUp(t)
	if r := b.Up(); r.Err != nil || r.Changed() != 0 {
		t.Fatalf("second baseline up: %v %v", r.Changes, r.Err)
	}
	r := b.Destroy()
	if r.Err == nil || !strings.Contains(r.Err.Error(), "protected") {
		t.Fatalf("destroying the baseline should be refused for its protected singletons, got %v", r.Err)
	}
	for _, typ := range []string{"aws:guardduty/detector:Detector", "aws:inspector2/enabler:Enabler", "aws:ebs/encryptionByDefault:EncryptionByDefault",
		"aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
		"aws:ssm/document:Document", "aws:iam/serviceLinkedRole:ServiceLinkedRole", "aws:kms/key:Key", "aws:kms/alias:Alias"} {
		found := false
		for _, l := range a.Live() {
			found = found || l.Type == typ
		}
		if !found {
			t.Errorf("%s was deleted", typ)
		}
	}
	for _, c := range a.Calls() {
		if c.Method == "Delete" && strings.HasPrefix(c.Type, "aws:kms/") {
			t.Errorf("the destroy deleted the baseline's %s %s: the retained archives depend on it", c.Type, c.ID)
		}
	}
}

// Singletons that exist already are adopted: imported, then brought to the
// declared settings; never created a second time. A second up changes
// nothing.
func TestBaselineAdoptsExistingSingletons(t *testing.T) {
	a := NewAccount(testAccount)
	a.Seed("aws:iam/serviceLinkedRole:ServiceLinkedRole", baseline.AutoScalingRoleArn(testAccount), map[string]any{
		"awsServiceName": "autoscaling.amazonaws.com", "description": "Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling",
		"arn": baseline.AutoScalingRoleArn(testAccount), "name": "AWSServiceRoleForAutoScaling",
	})
	a.Seed("aws:guardduty/detector:Detector", "0123456789abcdef0123456789abcdef", map[string]any{"enable": true, "findingPublishingFrequency": "SIX_HOURS"})
	a.Seed("aws:ssm/document:Document", baseline.SessionDocument, map[string]any{"name": baseline.SessionDocument, "documentType": "Session", "content": "{}"})
	b := baselineStack(t, a)
	for _, k := range []string{"adoptAutoScalingRole", "adoptGuardDutyDetector", "adoptSessionPreferences"} {
		b.SetConfig("tenantkit-baseline:"+k, "true", false)
	}
	r := b.Up()
	if r.Err != nil {
		t.Fatalf("adopting up: %v", r.Err)
	}
	imported := steps(r)[deploy.OpImport]
	for _, want := range []string{"aws:iam/serviceLinkedRole:ServiceLinkedRole baseline-asg-slr", "aws:guardduty/detector:Detector baseline-guardduty", "aws:ssm/document:Document baseline-session-prefs"} {
		if !slices.Contains(imported, want) {
			t.Errorf("%s not imported: %v", want, imported)
		}
	}
	for _, name := range []string{"baseline-asg-slr", "baseline-guardduty", "baseline-session-prefs"} {
		if c := creates(a, name); len(c) != 0 {
			t.Errorf("%s created although it exists: %+v", name, c)
		}
	}
	if r := b.Up(); r.Err != nil || r.Changed() != 0 {
		t.Errorf("second up after adoption: %v %v", r.Changes, r.Err)
	}
}

// A classification removed from an active stack is refused before any
// delete: the bucket and every protection it has stay (they are
// protected); only offboarding (deleting) takes data buckets away.
func TestRemovingAClassificationIsRefused(t *testing.T) {
	a := withBaseline(t)
	s := tenantStack(t, a, "acme")
	if r := s.Up(); r.Err != nil {
		t.Fatalf("up: %v", r.Err)
	}
	s.SetConfig("tenantkit:dataClassifications", `["confidential"]`, true)
	a.ResetCalls()
	r := s.Up()
	if r.Err == nil || !strings.Contains(r.Err.Error(), "protected") || !strings.Contains(r.Err.Error(), "acme-data-personal") {
		t.Fatalf("removing personal: %v, want a refusal naming the protected bucket", r.Err)
	}
	for _, c := range a.Calls() {
		if c.Method == "Delete" {
			t.Errorf("removing a classification deleted %s %s", c.Type, c.Name)
		}
	}
}
