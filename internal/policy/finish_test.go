package policy_test

import (
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The end-of-run check passes a compliant tenant (no error: a guard that
// always failed would stop every deploy) and fails it once one mandatory
// control breaks.
func TestFinishPassesACompliantTenant(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	g := policy.NewGuard(cfg, false)
	for _, r := range testkit.Run(t, cfg).All() {
		g.Record(r)
	}
	if _, err := g.Finish(); err != nil {
		t.Fatalf("acme as the program builds it: %v", err)
	}
	g.Record(&graph.Resource{Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-ssh", Custom: true, Provider: "acme-aws",
		Inputs: map[string]any{"fromPort": 22.0, "toPort": 22.0, "ipProtocol": "tcp", "cidrIpv4": "10.0.0.0/8"}})
	if _, err := g.Finish(); err == nil || !strings.Contains(err.Error(), "WP-18") || !strings.Contains(err.Error(), "acme-ssh") {
		t.Fatalf("an SSH rule: want a failure naming WP-18 and acme-ssh, got %v", err)
	}
}

// Tags come from the resource and from its provider's default tags, as AWS
// applies them: a label set only in the provider's defaults counts, and a
// resource's own tag overrides it.
func TestTagsMergeProviderDefaults(t *testing.T) {
	wp12 := func(providerTags, ownTags map[string]any) string {
		g := &graph.Graph{}
		g.Add(&graph.Resource{Type: "pulumi:providers:aws", Name: "acme-aws", Custom: true, Inputs: map[string]any{"defaultTags": map[string]any{"tags": providerTags}}})
		in := map[string]any{}
		if ownTags != nil {
			in["tags"] = ownTags
		}
		g.Add(&graph.Resource{Type: "aws:s3/bucketV2:BucketV2", Name: "acme-data", Custom: true, Provider: "acme-aws", Inputs: in})
		for _, r := range policy.Evaluate(&policy.Input{Graph: g, Tenant: testkit.Load(t, "acme")}) {
			if r.ID == "WP-12" {
				return string(r.Status)
			}
		}
		return "missing"
	}
	if got := wp12(map[string]any{"DataClassification": "confidential"}, nil); got != "PASS" {
		t.Errorf("label from the provider's default tags: %s", got)
	}
	if got := wp12(map[string]any{"Tenant": "acme"}, nil); got != "FAIL" {
		t.Errorf("no label anywhere: %s", got)
	}
	if got := wp12(map[string]any{"DataClassification": "confidential"}, map[string]any{"DataClassification": "secret"}); got != "FAIL" {
		t.Errorf("the resource's own invalid label overrides the provider's: %s", got)
	}
}

func statusOf(t *testing.T, g *graph.Graph, id string) (string, string) {
	t.Helper()
	for _, r := range policy.Evaluate(&policy.Input{Graph: g, Tenant: testkit.Load(t, "acme")}) {
		if r.ID == id {
			var found []string
			for _, f := range r.Findings {
				found = append(found, f.Resource+": "+f.Observed)
			}
			return string(r.Status), strings.Join(found, "; ")
		}
	}
	t.Fatalf("no result for %s", id)
	return "", ""
}

// Inline ingress on a security group (or the adopted default group) opens
// 22 or 3389 when its range includes either, edges included.
func TestInlineIngressEdges(t *testing.T) {
	for _, typ := range []string{"aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"} {
		for _, c := range []struct {
			from, to float64
			opens    bool
		}{{22, 22, true}, {3389, 3389, true}, {20, 25, true}, {3000, 4000, true}, {0, 65535, true}, {0, 21, false}, {23, 3388, false}, {3390, 65535, false}} {
			g := &graph.Graph{}
			g.Add(&graph.Resource{Type: typ, Name: "acme-sg", Custom: true, Provider: "acme-aws",
				Inputs: map[string]any{"ingress": []any{map[string]any{"fromPort": c.from, "toPort": c.to, "protocol": "tcp"}}}})
			// The tiny graph has no session document either; only the
			// group's finding counts here.
			status, findings := statusOf(t, g, "WP-18")
			if c.opens != strings.Contains(findings, "acme-sg") {
				t.Errorf("%s inline ingress %v-%v: %s %s", typ, c.from, c.to, status, findings)
			}
		}
	}
}

// A tenant stack without an explicit AWS provider fails WP-11 as a whole
// (nothing would carry the default tags); with one, that finding is gone.
func TestStackWithoutProvider(t *testing.T) {
	g := &graph.Graph{}
	g.Add(&graph.Resource{Type: "aws:s3/bucketV2:BucketV2", Name: "acme-data", Custom: true})
	if status, findings := statusOf(t, g, "WP-11"); status != "FAIL" || !strings.Contains(findings, "no AWS provider") {
		t.Errorf("no provider: %s %s", status, findings)
	}
	g.Add(&graph.Resource{Type: "pulumi:providers:aws", Name: "acme-aws", Custom: true})
	if _, findings := statusOf(t, g, "WP-11"); strings.Contains(findings, "no AWS provider") {
		t.Errorf("with a provider: %s", findings)
	}
}

// NACL entries are judged in rule-number order, not the order the program
// declared them: a deny numbered first wins over an allow declared first
// (WP-20.2, as the live check judges the ACL it reads).
func TestNaclEntriesInRuleNumberOrder(t *testing.T) {
	build := func(allowNumber, denyNumber float64) *graph.Graph {
		g := &graph.Graph{}
		g.Add(&graph.Resource{Type: "aws:ec2/networkAclRule:NetworkAclRule", Name: "acme-allow", Custom: true, Provider: "acme-aws",
			Inputs: map[string]any{"networkAclId": "acl-1", "ruleNumber": allowNumber, "ruleAction": "allow", "protocol": "-1", "egress": false, "cidrBlock": "0.0.0.0/0"}})
		for i, port := range []float64{22, 3389} {
			g.Add(&graph.Resource{Type: "aws:ec2/networkAclRule:NetworkAclRule", Name: "acme-deny-" + strings.Repeat("x", i+1), Custom: true, Provider: "acme-aws",
				Inputs: map[string]any{"networkAclId": "acl-1", "ruleNumber": denyNumber + float64(i), "ruleAction": "deny", "protocol": "tcp", "fromPort": port, "toPort": port, "egress": false, "cidrBlock": "0.0.0.0/0"}})
		}
		return g
	}
	if _, findings := statusOf(t, build(200, 100), "WP-20.2"); strings.Contains(findings, "allows 0.0.0.0/0 tcp") {
		t.Errorf("denies numbered 100 before an allow numbered 200 (declared after it): %s", findings)
	}
	if status, findings := statusOf(t, build(100, 200), "WP-20.2"); status != "FAIL" || !strings.Contains(findings, "entry 100") {
		t.Errorf("an allow numbered before the denies: %s %s", status, findings)
	}
}

// The baseline's Session Manager preferences: only the document named
// SSM-SessionManagerRunShell counts, and it must name a log group and turn
// encryption on.
func TestSessionLoggingPreferences(t *testing.T) {
	run := func(name, content string) (string, string) {
		g := &graph.Graph{}
		g.Add(&graph.Resource{Type: "aws:ssm/document:Document", Name: "tokyo-session-prefs", Custom: true, Provider: "tokyo-aws",
			Inputs: map[string]any{"name": name, "content": content}})
		for _, r := range policy.Evaluate(&policy.Input{Graph: g, Baseline: true}) {
			if r.ID == "WP-18" {
				var found []string
				for _, f := range r.Findings {
					found = append(found, f.Resource+": "+f.Observed)
				}
				return string(r.Status), strings.Join(found, "; ")
			}
		}
		return "missing", ""
	}
	good := `{"schemaVersion":"1.0","sessionType":"Standard_Stream","inputs":{"cloudWatchLogGroupName":"/tenantkit/sessions","cloudWatchEncryptionEnabled":true,"kmsKeyId":"arn:aws:kms:ap-northeast-1:111122223333:key/base"}}`
	if status, findings := run("SSM-SessionManagerRunShell", good); status != "PASS" {
		t.Errorf("logged and encrypted: %s %s", status, findings)
	}
	for name, c := range map[string]struct{ doc, content string }{
		"another document":   {"MyRunShell", good},
		"no log group":       {"SSM-SessionManagerRunShell", strings.Replace(good, "/tenantkit/sessions", "", 1)},
		"not encrypted":      {"SSM-SessionManagerRunShell", strings.Replace(good, "true", "false", 1)},
		"not a JSON content": {"SSM-SessionManagerRunShell", "inputs: {}"},
		// #34 item 1: without a key no tenant host is kept from a session
		// that its role cannot log.
		"no session key": {"SSM-SessionManagerRunShell", strings.Replace(good, `,"kmsKeyId":"arn:aws:kms:ap-northeast-1:111122223333:key/base"`, "", 1)},
	} {
		if status, findings := run(c.doc, c.content); status != "FAIL" {
			t.Errorf("%s: %s %s", name, status, findings)
		}
	}
}

// WP-20.1 across tiers, as the live check judges them (expect.TierAllows):
// the app and db tiers admit only their port from the tier in front, so the
// internet on them fails; a rule whose group is computed at deploy time is
// UNKNOWN, never PASS.
func TestTierIngressFromTheInternet(t *testing.T) {
	for _, tier := range []string{"app", "db"} {
		g := &graph.Graph{}
		g.Add(&graph.Resource{Type: "aws:ec2/securityGroup:SecurityGroup", Name: "acme-" + tier + "-sg", Custom: true, Provider: "acme-aws",
			Inputs: map[string]any{"name": "acme-" + tier, "tags": map[string]any{"Tier": tier}}})
		g.Add(&graph.Resource{Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-in", Custom: true, Provider: "acme-aws",
			Inputs: map[string]any{"ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrIpv4": "0.0.0.0/0", "securityGroupId": "acme-" + tier}})
		if status, findings := statusOf(t, g, "WP-20.1"); status != "FAIL" || !strings.Contains(findings, "0.0.0.0/0") {
			t.Errorf("%s tier open to the internet: %s %s", tier, status, findings)
		}
	}
	g := &graph.Graph{}
	g.Add(&graph.Resource{Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-in", Custom: true, Provider: "acme-aws",
		Inputs: map[string]any{"ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "referencedSecurityGroupId": "sg-1", "securityGroupId": graph.Unknown{}}})
	if status, findings := statusOf(t, g, "WP-20.1"); status != "UNKNOWN" {
		t.Errorf("a rule on a group computed at deploy time: %s %s", status, findings)
	}
}

// WP-31: a VPC range inside one of the operator's reserved ranges fails
// naming it, even when nothing else is wrong.
func TestVpcRangeAgainstReservedRanges(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	cfg.VpcCidr = "10.0.0.0/20" // inside the operator's 10.0.0.0/16
	res := policy.Evaluate(&policy.Input{Graph: &graph.Graph{}, Tenant: cfg})
	for _, r := range res {
		if r.ID != "WP-31" {
			continue
		}
		for _, f := range r.Findings {
			if strings.Contains(f.Observed, "overlaps reserved 10.0.0.0/16") {
				return
			}
		}
		t.Fatalf("WP-31 %s without the reserved overlap: %+v", r.Status, r.Findings)
	}
	t.Fatal("no WP-31 result")
}

// The tenant's session rule resolves the instance role's policies as every
// rule resolves a reference: a role not known yet (a preview of a new
// stack) is UNKNOWN, never a FAIL for a grant it could not see; a key
// named by anything but its ARN fails.
func TestTenantSessionsResolveReferences(t *testing.T) {
	in := input(t, "acme")
	for _, p := range in.Graph.OfType("aws:iam/rolePolicy:RolePolicy") {
		p.Inputs["role"] = graph.Unknown{}
	}
	if r := status(in, "WP-18"); r.Status != catalog.Unknown {
		t.Errorf("the role's policies unknown: %s %+v", r.Status, r.Findings)
	}
	in = input(t, "acme")
	for _, d := range in.Graph.OfType("aws:ssm/document:Document") {
		if d.Name == "acme-session" {
			arn := tenantKeyArn(in)
			d.Inputs["content"] = strings.Replace(d.Inputs["content"].(string), arn, arn[strings.LastIndex(arn, "/")+1:], 1)
		}
	}
	if r := status(in, "WP-18"); r.Status != catalog.Fail {
		t.Errorf("the key by its id: %s", r.Status)
	}
}

func tenantKeyArn(in *policy.Input) string {
	return in.Graph.OfType("aws:kms/key:Key")[0].ARN
}
