package baseline_test

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

func stackConfig(t *testing.T) map[string]string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	raw, err := stackfile.ReadRaw(filepath.Join(filepath.Dir(file), "..", "..", "baseline", "Pulumi.tokyo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	raw["tenantkit-baseline:tenantStacksDir"] = testkit.StacksDir()
	return raw
}

func run(t *testing.T, raw map[string]string) *graph.Graph {
	t.Helper()
	g, err := runErr(raw)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func runErr(raw map[string]string) (*graph.Graph, error) {
	return mockengine.Run(baseline.Program, mockengine.Options{Stack: "tokyo", Config: raw})
}

// The example baseline stack declares every account-level control and the
// plan rules PASS on it.
func TestBaselinePassesItsControls(t *testing.T) {
	g := run(t, stackConfig(t))
	results := policy.Evaluate(&policy.Input{Graph: g, Baseline: true, MockIDs: true})
	for _, id := range []string{"WP-07", "WP-15", "WP-18", "WP-20.3", "WP-20.4", "WP-21.1", "WP-21.2", "WP-22", "WP-27", "WP-30", "WP-39"} {
		r := catalog.ByIDResult(results, id)
		if r.Status != catalog.Pass {
			t.Errorf("%s: %s %+v", id, r.Status, r.Findings)
		}
	}
	for _, r := range results {
		if r.Status == catalog.Fail {
			t.Errorf("%s FAILs on the baseline: %+v", r.ID, r.Findings)
		}
	}

	one := func(typ string) *graph.Resource {
		rs := g.OfType(typ)
		if len(rs) != 1 {
			t.Fatalf("%s: %d resources, want 1", typ, len(rs))
		}
		return rs[0]
	}
	if one("aws:guardduty/detector:Detector").Get("enable") != true {
		t.Error("GuardDuty detector not enabled")
	}
	var features []string
	for _, f := range g.OfType("aws:guardduty/detectorFeature:DetectorFeature") {
		if f.Get("status") == "ENABLED" {
			features = append(features, f.Get("name").(string))
		}
	}
	slices.Sort(features)
	if !slices.Equal(features, []string{"EBS_MALWARE_PROTECTION", "S3_DATA_EVENTS"}) {
		t.Errorf("GuardDuty features enabled: %v", features)
	}
	if one("aws:ebs/encryptionByDefault:EncryptionByDefault").Get("enabled") != true {
		t.Error("EBS encryption by default off")
	}
	if one("aws:ebs/defaultKmsKey:DefaultKmsKey").Get("keyArn") == nil {
		t.Error("no default EBS key")
	}
	pp := one("aws:iam/accountPasswordPolicy:AccountPasswordPolicy")
	if pp.Get("minimumPasswordLength") != 16.0 || pp.Get("requireSymbols") != true {
		t.Errorf("password policy %v: want the stack's minimum 16 with symbols", pp.Inputs)
	}
	pab := one("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if pab.Get(k) != true {
			t.Errorf("account public access block %s = %v", k, pab.Get(k))
		}
	}
	var prefs struct {
		Inputs map[string]any `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(one("aws:ssm/document:Document").Get("content").(string)), &prefs); err != nil ||
		prefs.Inputs["cloudWatchLogGroupName"] != baseline.SessionLogGroup || prefs.Inputs["cloudWatchEncryptionEnabled"] != true {
		t.Errorf("session preferences %v (%v)", prefs.Inputs, err)
	}
	if one("aws:iam/serviceLinkedRole:ServiceLinkedRole").Get("awsServiceName") != "autoscaling.amazonaws.com" {
		t.Error("no Auto Scaling service-linked role")
	}
}

// The shared trail covers the data buckets of the tenants in shared mode,
// and only those.
func TestSharedTrailCoverage(t *testing.T) {
	g := run(t, stackConfig(t))
	trail := g.OfType("aws:cloudtrail/trail:Trail")
	if len(trail) != 1 || trail[0].Get("isMultiRegionTrail") != true {
		t.Fatalf("want one multi-region shared trail, got %d", len(trail))
	}
	sel, _ := json.Marshal(trail[0].Get("advancedEventSelectors"))
	for _, want := range []string{"tk-acme-personal-123456789012/", "tk-acme-confidential-123456789012/", "tk-initech-"} {
		if !strings.Contains(string(sel), want) {
			t.Errorf("shared trail selectors miss %s: %s", want, sel)
		}
	}
	if strings.Contains(string(sel), "tk-globex-") {
		t.Errorf("shared trail covers globex, which has a dedicated trail: %s", sel)
	}
	raw := stackConfig(t)
	raw["tenantkit-baseline:sharedTrail"] = "false"
	if n := len(run(t, raw).OfType("aws:cloudtrail/trail:Trail")); n != 0 {
		t.Errorf("sharedTrail false still built %d trails", n)
	}
}

// Bad baseline config is refused with the key, the value and the fix,
// before anything is registered.
func TestBaselineRefusesBadConfig(t *testing.T) {
	for key, value := range map[string]string{
		"passwordMinLength": "8", "region": "us-east-1", "objectLockMode": "NONE", "logRetentionDays": "10", "sessionIdleMinutes": "0",
	} {
		raw := stackConfig(t)
		raw["tenantkit-baseline:"+key] = value
		g, err := mockengine.Run(baseline.Program, mockengine.Options{Stack: "tokyo", Config: raw})
		if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), value) {
			t.Errorf("%s=%s: err %v", key, value, err)
		}
		if len(g.All()) != 0 {
			t.Errorf("%s=%s: %d resources registered before the refusal", key, value, len(g.All()))
		}
	}
}

// Account singletons that exist already are adopted (imported) when the
// stack says so, and created otherwise; the key the tenants' archives use
// is found by its alias.
func TestAdoptionSwitches(t *testing.T) {
	ids := func(g *graph.Graph) map[string]string {
		out := map[string]string{}
		for _, r := range g.All() {
			if r.ImportID != "" {
				out[r.Type] = r.ImportID
			}
		}
		return out
	}
	g := run(t, stackConfig(t))
	if got := ids(g); len(got) != 0 {
		t.Errorf("nothing to adopt by default, got imports %v", got)
	}
	if a := g.OfType("aws:kms/alias:Alias"); len(a) != 1 || a[0].Get("name") != "alias/tenantkit-baseline" {
		t.Errorf("baseline key alias: %v", a)
	}
	raw := stackConfig(t)
	for _, k := range []string{"adoptAutoScalingRole", "adoptGuardDutyDetector", "adoptSessionPreferences"} {
		raw[baseline.Namespace+":"+k] = "true"
	}
	g = run(t, raw)
	want := map[string]string{
		"aws:iam/serviceLinkedRole:ServiceLinkedRole": baseline.AutoScalingRoleArn(mockengine.AccountID),
		"aws:guardduty/detector:Detector":             mockengine.ExistingDetectorID,
		"aws:ssm/document:Document":                   baseline.SessionDocument,
	}
	got := ids(g)
	for typ, id := range want {
		if got[typ] != id {
			t.Errorf("%s: import id %q, want %q", typ, got[typ], id)
		}
	}
	for typ := range want {
		r := g.OfType(typ)[0]
		if !r.Protect || !r.RetainOnDelete {
			t.Errorf("adopted %s must stay protected and retained: protect %v retain %v", typ, r.Protect, r.RetainOnDelete)
		}
	}
}

// #38: the baseline is its cell: its provider may act in the cell's
// account only (the example names 123456789012) and assumes no role the
// example does not name.
func TestBaselineReachesOnlyItsCell(t *testing.T) {
	g := testkit.RunBaseline(t)
	ps := g.OfType("pulumi:providers:aws")
	if len(ps) != 1 {
		t.Fatalf("%d AWS providers, want 1", len(ps))
	}
	if got, ok := ps[0].Get("allowedAccountIds").([]any); !ok || len(got) != 1 || got[0] != "123456789012" {
		t.Errorf("allowedAccountIds = %v, want the cell's [123456789012]", ps[0].Get("allowedAccountIds"))
	}
	if v := ps[0].Get("assumeRole"); v != nil {
		t.Errorf("assumeRole = %v, but the example cell names no role", v)
	}
}
