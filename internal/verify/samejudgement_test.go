package verify

import (
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// A bucket policy is judged the same before deploy (the plan rule) and
// after (the live check): each variant below goes through both, and both
// must PASS or both FAIL. Before the verdicts were shared, a TLS deny that
// left reads alone and a wildcard exemption in a log bucket's deny passed
// the plan and failed after deploy.
func TestPlanAndLiveJudgeAlike(t *testing.T) {
	type variant struct {
		name   string
		rule   string // the plan rule and the live check
		check  string
		bucket string // "data" or "service-logs"
		edit   func(doc *policydoc.Document, arn, account string)
		pass   bool
	}
	variants := []variant{
		{"TLS denies as built", "WP-21.2", "WP-21.2/bucket-tls", "data", func(*policydoc.Document, string, string) {}, true},
		{"TLS denies only on uploads", "WP-21.2", "WP-21.2/bucket-tls", "data", func(d *policydoc.Document, _, _ string) {
			for i, s := range d.Statement {
				if len(s.ConditionValues("Bool", "aws:SecureTransport")) > 0 || len(s.ConditionValues("NumericLessThan", "s3:TlsVersion")) > 0 {
					d.Statement[i].Action = policydoc.List("s3:PutObject")
				}
			}
		}, false},
		{"TLS version deny gone", "WP-21.2", "WP-21.2/bucket-tls", "data", func(d *policydoc.Document, _, _ string) {
			var keep []policydoc.Statement
			for _, s := range d.Statement {
				if len(s.ConditionValues("NumericLessThan", "s3:TlsVersion")) == 0 {
					keep = append(keep, s)
				}
			}
			d.Statement = keep
		}, false},
		{"log deletes as built", "WP-39", "WP-39/log-buckets", "service-logs", func(*policydoc.Document, string, string) {}, true},
		{"log deletes exempt a wildcard", "WP-39", "WP-39/log-buckets", "service-logs", func(d *policydoc.Document, arn, account string) {
			replace(d, "DenyDeletesExceptLogAdmin", storage.DenyDeletesExcept(arn, config.TenantRoleArn(account, "acme", "log-admin"), "arn:aws:iam::"+account+":role/*"))
		}, false},
		{"log deletes exempt another account", "WP-39", "WP-39/log-buckets", "service-logs", func(d *policydoc.Document, arn, account string) {
			replace(d, "DenyDeletesExceptLogAdmin", storage.DenyDeletesExcept(arn, config.TenantRoleArn(account, "acme", "log-admin"), "arn:aws:iam::444455556666:role/ops/deployer"))
		}, false},
		{"log deletes without the log admin", "WP-39", "WP-39/log-buckets", "service-logs", func(d *policydoc.Document, arn, account string) {
			replace(d, "DenyDeletesExceptLogAdmin", storage.DenyDeletesExcept(arn, config.BaselineLogAdminArn(account)))
		}, false},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			plan := planVerdict(t, v.rule, v.bucket, v.edit)
			live := liveVerdict(t, v.check, v.bucket, v.edit)
			want := catalog.Fail
			if v.pass {
				want = catalog.Pass
			}
			if plan != want || live != want {
				t.Errorf("plan %s, live %s; want %s from both", plan, live, want)
			}
		})
	}
}

func replace(d *policydoc.Document, sid string, s policydoc.Statement) {
	for i := range d.Statement {
		if d.Statement[i].Sid == sid {
			d.Statement[i] = s
			return
		}
	}
	panic("no statement " + sid)
}

// planVerdict: the plan rule's status for acme with one bucket's policy edited.
func planVerdict(t *testing.T, rule, kind string, edit func(*policydoc.Document, string, string)) catalog.Status {
	t.Helper()
	cfg := testkit.Load(t, "acme")
	g := testkit.Run(t, cfg)
	const account = "123456789012" // the mock engine's
	name := expect.BucketName("acme", bucketKind(kind), account)
	edited := false
	for _, p := range g.OfType("aws:s3/bucketPolicy:BucketPolicy") {
		s, _ := p.String("policy")
		if !strings.Contains(s, `"arn:aws:s3:::`+name+`"`) {
			continue
		}
		doc, err := policydoc.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		edit(doc, expect.BucketArn(name), account)
		p.Inputs["policy"] = doc.JSON()
		edited = true
	}
	if !edited {
		t.Fatalf("no policy of %s in the graph", name)
	}
	in := &policy.Input{Graph: g, Tenant: cfg, Today: policy.TodayJST(), MockIDs: true}
	for _, r := range policy.Evaluate(in) {
		if r.ID == rule {
			return r.Status
		}
	}
	t.Fatalf("no rule %s", rule)
	return ""
}

func bucketKind(kind string) string {
	if kind == "data" {
		return "personal"
	}
	return kind
}

// liveVerdict: the live check's status for the fake world with the same edit.
func liveVerdict(t *testing.T, check, kind string, edit func(*policydoc.Document, string, string)) catalog.Status {
	t.Helper()
	cfg, w, inv := acme(t)
	name := inv.Buckets.ServiceLogs
	if kind == "data" {
		name = inv.Buckets.Data["personal"]
	}
	b := w.buckets[name]
	doc, err := policydoc.Parse(b.policy)
	if err != nil {
		t.Fatal(err)
	}
	edit(doc, expect.BucketArn(name), inv.AccountID)
	b.policy = doc.JSON()
	r := runOne(t, w, cfg, inv, check)
	if r.Status == catalog.Error {
		t.Fatalf("%s: ERROR %+v", check, r.Observations)
	}
	return r.Status
}
