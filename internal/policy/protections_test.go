package policy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// Every protective setting is enforced by a plan rule: switched off in the
// program's own graph, the rule FAILs naming the resource, so `pulumi
// preview/up` and `tenantctl plan` refuse it too.
func TestProtectionsPinnedByRules(t *testing.T) {
	cases := []struct {
		id, name, stack string // stack: a tenant, or "baseline"
		breakIt         func(in *policy.Input)
		resource        string
	}{
		{"WP-27", "trail without global service events", "globex", func(in *policy.Input) {
			first(in, "aws:cloudtrail/trail:Trail", "").Inputs["includeGlobalServiceEvents"] = false
		}, "globex-logs-trail"},
		{"WP-27", "single-region trail", "globex", func(in *policy.Input) {
			first(in, "aws:cloudtrail/trail:Trail", "").Inputs["isMultiRegionTrail"] = false
		}, "globex-logs-trail"},
		{"WP-15", "password without symbols", "baseline", func(in *policy.Input) {
			first(in, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "").Inputs["requireSymbols"] = false
		}, "password"},
		{"WP-15", "password without lowercase", "baseline", func(in *policy.Input) {
			first(in, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "").Inputs["requireLowercaseCharacters"] = false
		}, "password"},
		{"WP-39", "Object Lock configuration suspended", "acme", func(in *policy.Input) {
			first(in, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", "archive").Inputs["objectLockEnabled"] = "Suspended"
		}, "logs-archive-bucket"},
		{"WP-22", "final snapshot kept", "globex", func(in *policy.Input) {
			first(in, "aws:rds/instance:Instance", "").Inputs["skipFinalSnapshot"] = false
		}, "globex-db"},
		{"WP-22", "automated backups kept", "globex", func(in *policy.Input) {
			first(in, "aws:rds/instance:Instance", "").Inputs["deleteAutomatedBackups"] = false
		}, "globex-db"},
		{"WP-22", "snapshots untagged", "globex", func(in *policy.Input) {
			first(in, "aws:rds/instance:Instance", "").Inputs["copyTagsToSnapshot"] = false
		}, "globex-db"},
		{"WP-30", "database minor versions frozen", "globex", func(in *policy.Input) {
			first(in, "aws:rds/instance:Instance", "").Inputs["autoMinorVersionUpgrade"] = false
		}, "globex-db"},
		{"WP-21.1", "uploads under AES256 allowed", "acme", func(in *policy.Input) {
			replaceStatement(in, "data-personal-policy", "DenyUploadsNotKMS", func(s *policydoc.Statement) { s.Effect = "Allow" })
		}, "data-personal-bucket"},
		{"WP-21.1", "uploads under another key allowed", "acme", func(in *policy.Input) {
			replaceStatement(in, "data-personal-policy", "DenyUploadsOtherKey", func(s *policydoc.Statement) {
				s.Condition["Null"]["s3:x-amz-server-side-encryption-aws-kms-key-id"] = policydoc.List("true")
			})
		}, "data-personal-bucket"},
		{"WP-21.1", "aws:kms without a key allowed", "acme", func(in *policy.Input) {
			replaceStatement(in, "data-personal-policy", "DenyUploadsAWSManagedKey", func(s *policydoc.Statement) {
				s.Condition["Null"]["s3:x-amz-server-side-encryption"] = policydoc.List("true")
			})
		}, "data-personal-bucket"},
		{"WP-21.1", "uploads denied only when the header is absent too (IfExists)", "acme", func(in *policy.Input) {
			replaceStatement(in, "data-personal-policy", "DenyUploadsNotKMS", func(s *policydoc.Statement) {
				s.Condition = policydoc.Condition{"StringNotEqualsIfExists": s.Condition["StringNotEquals"]}
			})
		}, "data-personal-bucket"},
		{"WP-21.2", "topic reachable without TLS", "acme", func(in *policy.Input) {
			tp := first(in, "aws:sns/topic:Topic", "")
			tp.Inputs["policy"] = strings.ReplaceAll(tp.Inputs["policy"].(string), `"aws:SecureTransport":["false"]`, `"aws:SecureTransport":["true"]`)
		}, "acme-mon-topic"},
		{"WP-21.2", "temporary redirect", "acme", func(in *policy.Input) {
			for _, l := range in.Graph.OfType("aws:lb/listener:Listener") {
				for _, a := range l.Inputs["defaultActions"].([]any) {
					if r, ok := a.(map[string]any)["redirect"].(map[string]any); ok {
						r["statusCode"] = "HTTP_302"
					}
				}
			}
		}, "listener"},
		{"WP-15", "users cannot change their passwords", "baseline", func(in *policy.Input) {
			first(in, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "").Inputs["allowUsersToChangePassword"] = false
		}, "password"},
		{"WP-22", "volume kept after termination", "acme", func(in *policy.Input) {
			lt := first(in, "aws:ec2/launchTemplate:LaunchTemplate", "")
			lt.Inputs["blockDeviceMappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any)["deleteOnTermination"] = "false"
		}, "acme-app-lt"},
		{"WP-22", "interface kept after termination", "acme", func(in *policy.Input) {
			lt := first(in, "aws:ec2/launchTemplate:LaunchTemplate", "")
			lt.Inputs["networkInterfaces"].([]any)[0].(map[string]any)["deleteOnTermination"] = "false"
		}, "acme-app-lt"},
		{"WP-20.4", "desync mitigation monitor", "acme", func(in *policy.Input) {
			first(in, "aws:lb/loadBalancer:LoadBalancer", "").Inputs["desyncMitigationMode"] = "monitor"
		}, "acme-app-alb"},
		{"WP-20.4", "invalid headers passed on", "acme", func(in *policy.Input) {
			first(in, "aws:lb/loadBalancer:LoadBalancer", "").Inputs["dropInvalidHeaderFields"] = false
		}, "acme-app-alb"},
		{"WP-37", "findings rule disabled", "acme", func(in *policy.Input) {
			first(in, "aws:cloudwatch/eventRule:EventRule", "guardduty").Inputs["state"] = "DISABLED"
		}, "acme-mon-guardduty"},
		{"WP-24", "detailed monitoring off", "acme", func(in *policy.Input) {
			first(in, "aws:ec2/launchTemplate:LaunchTemplate", "").Inputs["monitoring"] = map[string]any{"enabled": false}
		}, "acme-app-lt"},
		{"WP-24", "health check off", "acme", func(in *policy.Input) {
			tg := first(in, "aws:lb/targetGroup:TargetGroup", "")
			tg.Inputs["healthCheck"].(map[string]any)["enabled"] = false
		}, "acme-app-tg"},
	}
	for _, tc := range cases {
		t.Run(tc.id+" "+tc.name, func(t *testing.T) {
			var in *policy.Input
			if tc.stack == "baseline" {
				in = baselineInput(t)
			} else {
				in = input(t, tc.stack)
			}
			if r := status(in, tc.id); r.Status == catalog.Fail {
				t.Fatalf("%s already FAILs before breaking: %+v", tc.id, r.Findings)
			}
			tc.breakIt(in)
			r := status(in, tc.id)
			if r.Status != catalog.Fail {
				t.Fatalf("%s: %s after breaking it, want FAIL (%+v)", tc.id, r.Status, r.Findings)
			}
			if !slices.ContainsFunc(r.Findings, func(f catalog.Finding) bool { return strings.Contains(f.Resource, tc.resource) }) {
				t.Errorf("%s: no finding names %q: %+v", tc.id, tc.resource, r.Findings)
			}
		})
	}
}

func baselineInput(t *testing.T) *policy.Input {
	t.Helper()
	return &policy.Input{Graph: testkit.RunBaseline(t), Baseline: true, MockIDs: true}
}

// replaceStatement edits one statement of a bucket's policy.
func replaceStatement(in *policy.Input, policyName, sid string, edit func(*policydoc.Statement)) {
	p := first(in, "aws:s3/bucketPolicy:BucketPolicy", policyName)
	doc, _ := policydoc.Parse(p.Inputs["policy"].(string))
	for i := range doc.Statement {
		if doc.Statement[i].Sid == sid {
			edit(&doc.Statement[i])
		}
	}
	p.Inputs["policy"] = doc.JSON()
}
