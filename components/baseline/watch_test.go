package baseline_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// #33 item 6: for a cancellation recorded in main, the baseline schedules
// the watchdog at each deadline ahead, in AWS: the suspension day and the
// last day a deletion still fits, at 06:00 JST; the watchdog reads the
// tenant's deployed state and alerts the operations topic, whose
// subscribers are the baseline's operationsEmails.
func TestDeadlinesAreWatchedInAWS(t *testing.T) {
	dir := t.TempDir()
	acme := testkit.Load(t, "acme")
	today := lifecycle.Today(clock.Now())
	if err := lifecycle.Cancel(acme, today); err != nil {
		t.Fatal(err)
	}
	if _, _, err := stackfile.Write(dir, acme); err != nil {
		t.Fatal(err)
	}
	globex := testkit.Load(t, "globex") // active: nothing to watch
	if _, _, err := stackfile.Write(dir, globex); err != nil {
		t.Fatal(err)
	}
	raw := stackConfig(t)
	raw["tenantkit-baseline:tenantStacksDir"] = dir
	g := run(t, raw)

	topics := g.OfType("aws:sns/topic:Topic")
	if len(topics) != 1 || str(topics[0], "name") != expect.OperationsTopicName || str(topics[0], "kmsMasterKeyId") == "" {
		t.Fatalf("operations topic: %v", topics)
	}
	var emails []string
	for _, s := range g.OfType("aws:sns/topicSubscription:TopicSubscription") {
		if str(s, "protocol") == "email" {
			emails = append(emails, str(s, "endpoint"))
		}
	}
	slices.Sort(emails)
	if !slices.Equal(emails, []string{"ops-rota@example.co.jp", "secops@example.co.jp"}) {
		t.Errorf("operations subscribers %v, want the baseline's operationsEmails", emails)
	}
	machines := g.OfType("aws:sfn/stateMachine:StateMachine")
	if len(machines) != 1 || str(machines[0], "name") != expect.WatchStateMachineName ||
		str(machines[0], "definition") != expect.WatchDefinition(topics[0].ARN) {
		t.Fatalf("watchdog state machine: %v", machines)
	}

	want := expect.WatchesOf(acme)
	if len(want) != 2 {
		t.Fatalf("acme's watches: %v", want)
	}
	schedules := g.OfType("aws:scheduler/schedule:Schedule")
	if len(schedules) != len(want) {
		t.Fatalf("%d schedules, want %d (acme's; none for the active globex)", len(schedules), len(want))
	}
	for i, w := range want {
		s := schedules[slices.IndexFunc(schedules, func(r *graph.Resource) bool { return str(r, "name") == w.ScheduleName() })]
		if str(s, "scheduleExpression") != w.At() || str(s, "scheduleExpressionTimezone") != "Asia/Tokyo" ||
			str(s, "flexibleTimeWindow.mode") != "OFF" || str(s, "groupName") != expect.WatchScheduleGroup {
			t.Errorf("schedule %d: %v", i, s.Inputs)
		}
		if str(s, "target.arn") != machines[0].ARN {
			t.Errorf("schedule %s starts %s, not the watchdog", w.ScheduleName(), str(s, "target.arn"))
		}
		var in map[string]any
		if err := json.Unmarshal([]byte(str(s, "target.input")), &in); err != nil || in["tenant"] != "acme" || in["parameter"] != expect.LifecycleParameter("acme") {
			t.Errorf("schedule %s input %v %v", w.ScheduleName(), in, err)
		}
	}
	if d := want[0].Day; d != today.AddDays(1).String() {
		t.Errorf("suspension checked on %s, want the suspension day %s", d, today.AddDays(1))
	}

	// The schedules' role starts the watchdog and nothing else; the
	// watchdog's role is judged by tests/iameval (group "watchdog").
	for _, p := range g.OfType("aws:iam/rolePolicy:RolePolicy") {
		doc := str(p, "policy")
		if strings.Contains(doc, "states:StartExecution") && (strings.Count(doc, `"Action"`) != 1 || !strings.Contains(doc, expect.WatchStateMachineName)) {
			t.Errorf("the schedules' policy: %s", doc)
		}
	}
}

// A stack directory that cannot be read stops the baseline: the watchdog
// never silently watches nothing.
func TestUnreadableStacksStopTheBaseline(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/Pulumi.broken.yaml", []byte("config: [unclosed"), 0o644); err != nil {
		t.Fatal(err)
	}
	raw := stackConfig(t)
	raw["tenantkit-baseline:tenantStacksDir"] = dir
	if _, err := runErr(raw); err == nil || !strings.Contains(err.Error(), "deadlines") && !strings.Contains(err.Error(), "tenant stacks") {
		t.Errorf("an unreadable stack: %v", err)
	}
}

func str(r *graph.Resource, path string) string {
	s, _ := r.String(path)
	return s
}
