package expect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/config"
)

// The programs build from these values and the judges compare with them,
// so a wrong value here would pass both: this test pins each protective
// one to the promise it keeps, written out independently.
func TestProtectiveValuesPinned(t *testing.T) {
	// WP-24: the worst instance over five minutes, twice, above the
	// threshold; missing data (agent or instances gone) alarms.
	if Alarm.Statistic != "Maximum" || Alarm.Operator != "GreaterThanThreshold" || Alarm.TreatMissingData != "breaching" ||
		Alarm.PeriodSeconds != 300 || Alarm.EvaluationPeriods != 2 {
		t.Errorf("alarm shape %+v", Alarm)
	}
	// WP-20.3: findings every fifteen minutes, EBS and S3 malware
	// protection on.
	if GuardDuty.FindingPublishingFrequency != "FIFTEEN_MINUTES" || !slices.Contains(GuardDuty.Features, "EBS_MALWARE_PROTECTION") || !slices.Contains(GuardDuty.Features, "S3_DATA_EVENTS") {
		t.Errorf("GuardDuty %+v", GuardDuty)
	}
	// WP-30: the patch association installs, weekly.
	if Patch.Document != "AWS-RunPatchBaseline" || Patch.Operation != "Install" || Patch.Schedule != "cron(0 18 ? * SAT *)" {
		t.Errorf("patching %+v", Patch)
	}
	// WP-20.4: IMDSv2 only, one hop.
	if IMDS.HttpTokens != "required" || IMDS.HopLimit != 1 {
		t.Errorf("IMDS %+v", IMDS)
	}
	// WP-37: every GuardDuty finding of medium severity and up.
	if FindingsPattern() != `{"detail":{"severity":[{"numeric":["\u003e=",4]}]},"detail-type":["GuardDuty Finding"],"source":["aws.guardduty"]}` {
		t.Errorf("findings pattern %s", FindingsPattern())
	}
	// WP-17: the instance role's only AWS-managed policy names no tenant resource.
	if !slices.Equal(InstanceManagedPolicies, []string{"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}) {
		t.Errorf("managed policies %v", InstanceManagedPolicies)
	}
	// WP-12: logs and other mixed stores carry the most protective label.
	if got := MixedClassification([]string{"public", "confidential", "personal"}); got != "confidential" {
		t.Errorf("mixed classification %s", got)
	}
}

// The copy of the access logs is judged whole: one enabled rule, every
// object, into the archive, delete markers not replicated.
func TestCopyProblem(t *testing.T) {
	archive := "arn:aws:s3:::tk-acme-log-archive-111122223333"
	good := CopyRule{Status: "Enabled", Destination: archive, DeleteMarkers: "Disabled"}
	if p := CopyProblem([]CopyRule{good}, archive); p != "" {
		t.Errorf("the copy as built: %s", p)
	}
	for name, r := range map[string]CopyRule{
		"disabled":               {Status: "Disabled", Destination: archive, DeleteMarkers: "Disabled"},
		"elsewhere":              {Status: "Enabled", Destination: "arn:aws:s3:::other", DeleteMarkers: "Disabled"},
		"filtered":               {Status: "Enabled", Destination: archive, DeleteMarkers: "Disabled", Filter: "prefix alb/"},
		"delete markers replica": {Status: "Enabled", Destination: archive, DeleteMarkers: "Enabled"},
	} {
		if CopyProblem([]CopyRule{r}, archive) == "" {
			t.Errorf("%s: no problem found", name)
		}
	}
	if CopyProblem(nil, archive) == "" || CopyProblem([]CopyRule{good, good}, archive) == "" {
		t.Error("no rule or two rules: no problem found")
	}
}

// Rules, NACL entries, routes and alarms: the shared verdicts.
func TestSharedVerdicts(t *testing.T) {
	cfg := &config.Tenant{IngressCidrs: []string{"203.0.113.0/24"}, AppPort: 8080, VpcCidr: "10.16.0.0/20", Database: config.Database{Port: 5432}}
	for _, c := range []struct {
		tier string
		ing  Ingress
		ok   bool
	}{
		{"lb", Ingress{Protocol: "tcp", From: 443, To: 443, Cidrs: []string{"203.0.113.0/24"}}, true},
		{"lb", Ingress{Protocol: "tcp", From: 443, To: 443, Cidrs: []string{"0.0.0.0/0"}}, false},
		{"lb", Ingress{Protocol: "tcp", From: 22, To: 22, Cidrs: []string{"203.0.113.0/24"}}, false},
		{"app", Ingress{Protocol: "tcp", From: 8080, To: 8080, Groups: []string{"lb"}}, true},
		{"app", Ingress{Protocol: "tcp", From: 8080, To: 8080, Groups: []string{"db"}}, false},
		{"db", Ingress{Protocol: "tcp", From: 5432, To: 5432, Groups: []string{"app"}}, true},
		{"db", Ingress{Protocol: "-1", Groups: []string{"app"}}, false},
		{"endpoints", Ingress{Protocol: "tcp", From: 443, To: 443, Cidrs: []string{"10.16.0.0/20"}}, true},
		{"endpoints", Ingress{Protocol: "tcp", From: 443, To: 444, Cidrs: []string{"10.16.0.0/20"}}, false},
	} {
		if ok, want := TierAllows(c.tier, c.ing, cfg); ok != c.ok {
			t.Errorf("%s %+v: %v (%s), want %v", c.tier, c.ing, ok, want, c.ok)
		}
	}
	if got := (Ingress{Protocol: "-1"}).ShellPortsOpened(); !slices.Equal(got, []int32{22, 3389}) {
		t.Errorf("every protocol opens %v", got)
	}
	deny := func(n int32, port int32) NaclEntry {
		return NaclEntry{Number: n, Protocol: "6", From: port, To: port, Cidr: "0.0.0.0/0"}
	}
	base := []NaclEntry{deny(10, 22), deny(11, 3389), {Number: 100, Allow: true, Protocol: "6", From: 1024, To: 65535, Cidr: "0.0.0.0/0"}}
	for _, returns := range []bool{false, true} {
		if p := NaclProblem(base, returns); p != "" {
			t.Errorf("denies first: %s", p)
		}
		if NaclProblem(append(base, NaclEntry{Number: 1, Allow: true, Protocol: "6", From: 22, To: 22, Cidr: "10.0.0.0/8"}), returns) == "" {
			t.Error("an allow of 22 ahead of the denies passed")
		}
		if NaclProblem(append(base, NaclEntry{Number: 200, Allow: true, Protocol: "-1", Cidr: "0.0.0.0/0"}), returns) == "" {
			t.Error("an allow of every protocol passed")
		}
	}
	// #34 item 5: where a load balancer or NAT gateway takes replies on
	// the ephemeral range, that range's allow is their return path; 22,
	// below it, is never admitted; any other allow of 3389 still fails.
	lbTier := []NaclEntry{deny(10, 22), {Number: 100, Allow: true, Protocol: "6", From: 1024, To: 65535, Cidr: "10.16.4.0/24"}}
	if p := NaclProblem(lbTier, true); p != "" {
		t.Errorf("the load balancer's return path: %s", p)
	}
	if NaclProblem(lbTier, false) == "" {
		t.Error("3389 admitted by the ephemeral allow on a tier with no load balancer or NAT passed")
	}
	if NaclProblem(append(lbTier, NaclEntry{Number: 50, Allow: true, Protocol: "6", From: 3000, To: 4000, Cidr: "0.0.0.0/0"}), true) == "" {
		t.Error("an allow of 3000-4000 passed as a return path")
	}
	if NaclProblem(append(lbTier, NaclEntry{Number: 5, Allow: true, Protocol: "6", From: 22, To: 22, Cidr: "0.0.0.0/0"}), true) == "" {
		t.Error("an allow of 22 passed on a load balancer's tier")
	}
	if RouteProblem("0.0.0.0/0", "vgw-1", false, nil) == "" || RouteProblem("0.0.0.0/0", "igw-1", true, nil) != "" {
		t.Error("route targets")
	}
	spec := Alarms("acme", config.Alarms{CPUPercent: 80})[0]
	good := AlarmRead{Metric: "CPUUtilization", Namespace: "AWS/EC2", Statistic: "Maximum", Operator: "GreaterThanThreshold", TreatMissingData: "breaching", Threshold: 80, Period: 300, EvaluationPeriods: 2, Group: "g"}
	if ps := AlarmProblems(good, spec, "g"); len(ps) > 0 {
		t.Errorf("the alarm as built: %v", ps)
	}
	bad := good
	bad.Operator = "LessThanThreshold"
	if len(AlarmProblems(bad, spec, "g")) == 0 {
		t.Error("an inverted alarm passed")
	}
	if ps := SubscriberProblems([]string{"email:a@example.jp"}, nil, []string{"a@example.jp"}); len(ps) > 0 {
		t.Errorf("the configured address: %v", ps)
	}
	if len(SubscriberProblems([]string{"email:a@example.jp", "https:https://x"}, nil, []string{"a@example.jp"})) == 0 {
		t.Error("another subscriber passed")
	}
	if len(SubscriberProblems(nil, []string{"email:a@example.jp"}, []string{"a@example.jp"})) == 0 {
		t.Error("a pending subscription passed")
	}
}

// The deadlines a recorded cancellation gives the watchdog: the
// suspension day, and the last day a 7-day key window still ends by the
// deadline, at 06:00 JST; none before a cancellation or once deleted;
// only those ahead are scheduled (a one-time schedule in the past never
// fires).
func TestWatchesOfACancellation(t *testing.T) {
	c := &config.Tenant{TenantID: "acme", Lifecycle: config.Lifecycle{State: config.StateActive}}
	if w := WatchesOf(c); len(w) != 0 {
		t.Errorf("watches before a cancellation: %v", w)
	}
	c.Lifecycle = config.Lifecycle{State: config.StateActive, CancelledOn: "2026-12-01", SuspendOn: "2026-12-02", DeleteBy: "2026-12-31"}
	ws := WatchesOf(c)
	if len(ws) != 2 || ws[0].Step != "suspend" || ws[0].Day != "2026-12-02" || ws[1].Step != "delete" || ws[1].Day != "2026-12-24" {
		t.Fatalf("%+v", ws)
	}
	if ws[0].At() != "at(2026-12-02T06:00:00)" || ws[0].ScheduleName() != "tk-acme-suspend-deadline" {
		t.Errorf("%s %s", ws[0].At(), ws[0].ScheduleName())
	}
	if !slices.Contains(ws[0].Accept, config.StateSuspended) || slices.Contains(ws[0].Accept, config.StateActive) ||
		!slices.Equal(ws[1].Accept, []string{config.StateDeleted}) {
		t.Errorf("accepted states: %v %v", ws[0].Accept, ws[1].Accept)
	}
	jst := config.JST
	before := time.Date(2026, 12, 2, 5, 59, 0, 0, jst)
	after := time.Date(2026, 12, 2, 6, 0, 0, 0, jst)
	if got := Pending(ws, before); len(got) != 2 {
		t.Errorf("at 05:59 JST on the suspension day both are ahead: %v", got)
	}
	if got := Pending(ws, after); len(got) != 1 || got[0].Step != "delete" {
		t.Errorf("at 06:00 JST the suspension's check is due, not ahead: %v", got)
	}
	// The longest tenant id (32 characters) still makes a schedule name
	// EventBridge Scheduler takes (64).
	long := &config.Tenant{TenantID: strings.Repeat("a", 32), Lifecycle: c.Lifecycle}
	for _, w := range WatchesOf(long) {
		if n := len(w.ScheduleName()); n > 64 {
			t.Errorf("%s: %d characters", w.ScheduleName(), n)
		}
	}
	c.Lifecycle.State = config.StateDeleted
	if w := WatchesOf(c); len(w) != 0 {
		t.Errorf("watches of a deleted tenant: %v", w)
	}
}

// What a deletion keeps on purpose, and nothing of a tenant whose id
// extends this one.
func TestOutlivesTheStack(t *testing.T) {
	for arn, want := range map[string]bool{
		"arn:aws:s3:::tk-acme-log-archive-123456789012":                                    true,
		"arn:aws:kms:ap-northeast-1:123456789012:key/0b5e":                                 true,
		"arn:aws:logs:ap-northeast-1:123456789012:log-group:/tenantkit/sessions/acme":      true,
		"arn:aws:logs:ap-northeast-1:123456789012:log-group:/tenantkit/sessions/acme:*":    true,
		"arn:aws:s3:::tk-acme-corp-log-archive-123456789012":                               false,
		"arn:aws:logs:ap-northeast-1:123456789012:log-group:/tenantkit/sessions/acme-corp": false,
		"arn:aws:logs:ap-northeast-1:123456789012:log-group:/tenants/acme/app":             false,
		"arn:aws:s3:::tk-acme-service-logs-123456789012":                                   false,
	} {
		if OutlivesTheStack("acme", arn) != want {
			t.Errorf("%s: %v, want %v", arn, !want, want)
		}
	}
}
