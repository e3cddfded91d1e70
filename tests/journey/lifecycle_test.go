package journey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// TestLifecycleUnderFailure is §10 when things go wrong, as operators meet
// it (#33), through tenantctl and the Pulumi CLI against moto:
//
//   - a tenant the backend does not hold is never built by the step that
//     should stop it (item 4);
//   - Ctrl-C during a create lets the create finish and stops cleanly: no
//     lock, no pending operation, no plugin left, evidence "interrupted";
//     a second Ctrl-C abandons, and the recovery the evidence names (run
//     here as written) brings the stack back without a second VPC (item 5);
//   - two tenants due, the first's deploy failing once: the second is
//     suspended on its day, the first on the next day's run, and the
//     evidence says when each was applied (items 1 and 2).
//
// The failures are the test provider's faults (awsprovider.Faults): a
// slow create, a throttled update. The real account has no such switch:
// this test runs against moto only.
func TestLifecycleUnderFailure(t *testing.T) {
	if os.Getenv("TENANTKIT_E2E") == "1" {
		t.Skip("the failures are injected by the test aws plugin, which a real account does not run; the real target runs TestJourney")
	}
	w := newWorld(t)
	w.executeStateMachines()
	ctx := context.Background()
	faults := t.TempDir()
	w.env = append(w.env, "TENANTKIT_TEST_FAULTS="+faults)
	t.Setenv("TENANTKIT_TEST_FAULTS", faults)
	w.assumeDeployer(ctx)

	onboard := w.fleetOfItsOwn(ctx, "alpha", "beta", "ghost", "delta")
	today := lifecycle.Today(clock.Now())

	t.Run("never deployed is never built", func(t *testing.T) {
		w := w.in(t)
		if r := w.tenantctl("offboard", "ghost", "--cancelled-on", today.String()); r.code != 0 {
			t.Fatalf("cancel: %s", r)
		}
		r := w.tenantctl("offboard", "suspend", "ghost", "--yes")
		if r.code != 2 || !strings.Contains(r.stderr, "the backend holds no stack ghost") {
			t.Errorf("suspend of a tenant never deployed: %s", r)
		}
		if n := w.vpcs(ctx, "ghost"); n != 0 {
			t.Errorf("suspending ghost built %d VPC(s)", n)
		}
		if ls := w.pulumi("stack", "ls", "--json"); strings.Contains(ls.stdout, `"ghost"`) {
			t.Errorf("suspending ghost made its stack: %s", ls.stdout)
		}
	})

	t.Run("one Ctrl-C lets the create finish", func(t *testing.T) {
		w := w.in(t)
		fault := w.fault(faults, "Create aws:ec2/vpc:Vpc::beta-net-vpc slow 15s")
		p := w.start(onboard["beta"]...)
		w.waitFile(fault+".started", p)
		p.ctrlC() // as a terminal does: to tenantctl's process group
		r := p.wait()
		if r.code != 3 || !strings.Contains(r.stderr, "tenantctl: stopping") {
			t.Fatalf("an interrupted onboarding: %s", r)
		}
		if _, err := os.Stat(fault + ".finished"); err != nil {
			t.Errorf("the create in flight did not finish: the provider was stopped during it")
		}
		w.stackIsClean("beta")
		if n := w.vpcs(ctx, "beta"); n != 1 {
			t.Errorf("%d VPCs of beta after the interrupted create, want the one the state records", n)
		}
		last := w.lastEntry("beta")
		if last.Details["phase"] != lifecycle.PhaseInterrupted || strings.Contains(last.Summary, "FAILED") || last.Details["recovery"] != nil {
			t.Errorf("the evidence of a clean stop: %s %v", last.Summary, last.Details)
		}
		os.Remove(fault)
		if again := w.tenantctl(onboard["beta"]...); again.code != 0 && again.code != 3 {
			t.Fatalf("onboard beta again: %s", again)
		}
		if n := w.vpcs(ctx, "beta"); n != 1 {
			t.Errorf("%d VPCs of beta after the re-run, want 1", n)
		}
	})

	t.Run("a second Ctrl-C abandons, and the recovery named is enough", func(t *testing.T) {
		w := w.in(t)
		w.abandonTheVPCsCreate(faults, "alpha", onboard["alpha"])
		last := w.lastEntry("alpha")
		rec, _ := last.Details["recovery"].([]any)
		if last.Details["phase"] != lifecycle.PhaseInterrupted || len(rec) == 0 || !strings.Contains(fmt.Sprint(last.Details["pendingOperations"]), "alpha-net-vpc") {
			t.Fatalf("the evidence of an abandoned create: %s %v", last.Summary, last.Details)
		}
		// The VPC exists in AWS, not in the state: the recovery, as the
		// evidence writes it, with the id found by the tenant's tag; the
		// AWS CLI's delete-vpc is made with the SDK (no AWS CLI here).
		vpc := w.vpcIDs(ctx, "alpha")
		if len(vpc) != 1 {
			t.Fatalf("alpha's VPCs in moto: %v", vpc)
		}
		for _, c := range rec {
			line, _, _ := strings.Cut(c.(string), "   #")
			args := strings.Fields(strings.ReplaceAll(line, "<ID>", vpc[0]))
			switch {
			case args[0] == "pulumi":
				if r := w.pulumi(args[1:]...); r.code != 0 {
					t.Fatalf("recovery %q: %s", line, r)
				}
			case strings.Join(args[:3], " ") == "aws ec2 delete-vpc" && args[3] == "--vpc-id":
				if _, err := ec2.NewFromConfig(w.cfg).DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(args[4])}); err != nil {
					t.Fatalf("recovery %q: %v", line, err)
				}
			default:
				t.Fatalf("a recovery step this test cannot run: %q", line)
			}
		}
		w.stackIsClean("alpha")
		if again := w.tenantctl(onboard["alpha"]...); again.code != 0 && again.code != 3 {
			t.Fatalf("onboard alpha after the recovery: %s", again)
		}
		if ids := w.vpcIDs(ctx, "alpha"); len(ids) != 1 || ids[0] == vpc[0] {
			t.Errorf("alpha's VPCs after the recovery and the re-run: %v, want one, not the deleted %s", ids, vpc[0])
		}
	})

	t.Run("tenantctl recover does what the recovery says", func(t *testing.T) {
		// The recover workflow's command (a CI job killed at its timeout
		// leaves what a second Ctrl-C leaves): the lock released, the VPC
		// AWS made and no state records deleted, the pending create
		// cleared, and the step runs again to one VPC.
		w := w.in(t)
		w.abandonTheVPCsCreate(faults, "delta", onboard["delta"])
		orphan := w.vpcIDs(ctx, "delta")
		if len(orphan) != 1 {
			t.Fatalf("delta's VPCs in moto: %v", orphan)
		}
		r := w.tenantctl("recover", "delta", "--yes")
		if r.code != 0 || !strings.Contains(r.stdout, "deleted aws:ec2/vpc:Vpc "+orphan[0]) {
			t.Fatalf("tenantctl recover: %s", r)
		}
		if ids := w.vpcIDs(ctx, "delta"); len(ids) != 0 {
			t.Errorf("the orphaned VPC is still there: %v", ids)
		}
		w.stackIsClean("delta")
		if last := w.lastEntry("delta"); last.Step != lifecycle.StepRecover || strings.Contains(last.Summary, "FAILED") {
			t.Errorf("the evidence of the recovery: %s %s", last.Step, last.Summary)
		}
		if again := w.tenantctl(onboard["delta"]...); again.code != 0 && again.code != 3 {
			t.Fatalf("onboard delta after the recovery: %s", again)
		}
		if ids := w.vpcIDs(ctx, "delta"); len(ids) != 1 || ids[0] == orphan[0] {
			t.Errorf("delta's VPCs after recover and the re-run: %v, want one, not the deleted %s", ids, orphan[0])
		}
	})

	t.Run("one tenant's failure holds back no other", func(t *testing.T) {
		w := w.in(t)
		// Both cancelled today: both suspensions are due tomorrow. The
		// next days are the test build's moved clock (internal/clock),
		// which deploys only into an emulator on this machine.
		build(t, w.bin, "tenantctl-shifted", "./cmd/tenantctl", clock.ShiftedBuildFlags()...)
		for _, n := range []string{"alpha", "beta"} {
			if r := w.tenantctl("offboard", n, "--cancelled-on", today.String()); r.code != 0 {
				t.Fatalf("cancel %s: %s", n, r)
			}
		}
		day1, day2 := today.AddDays(1), today.AddDays(2)
		throttle := w.fault(faults, "Update aws:lb/listener:Listener::alpha-app-https fail ThrottlingException: Rate exceeded (injected by the test)")
		r := w.on(day1, "offboard", "due", "--yes")
		if _, err := os.Stat(strings.TrimSuffix(throttle, ".fault") + ".used"); err != nil {
			t.Fatalf("alpha's listener was never updated: the fault did not apply: %s", r)
		}
		if r.code != 1 || !strings.Contains(r.stderr, "alpha") {
			t.Errorf("day 1, alpha's deploy failing: %s", r)
		}
		w.applied(t, "beta", day1)
		w.notApplied(t, "alpha")
		// The watchdog, as its schedule would start it at 06:00 JST on
		// day 1: the state machine the baseline deployed reads alpha's
		// deployed state (still active: the failed up never reached the
		// parameter) and alerts the operations topic.
		w.watchdogAlerts(ctx, t, "alpha")
		r = w.on(day2, "offboard", "due", "--yes")
		if !strings.Contains(r.stderr, "DEADLINE MISSED: tenant alpha") || !strings.Contains(r.stderr, "not applied") {
			t.Errorf("day 2 says nothing of alpha's late suspension: %s", r)
		}
		w.applied(t, "alpha", day2)
		if r := w.on(day2, "offboard", "due", "--dry-run"); strings.Contains(r.stderr, "not applied") {
			t.Errorf("applied, still reported unapplied: %s", r)
		}
	})
}

// in is the world as a subtest sees it: its failures are the subtest's.
func (w *world) in(t *testing.T) *world {
	c := *w
	c.t = t
	return &c
}

// executeStateMachines makes moto run Step Functions executions (its ASL
// interpreter); set before anything is deployed, as moto keeps the state
// machines of that mode apart from the others.
func (w *world) executeStateMachines() {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.target.endpoint+"/moto-api/config", strings.NewReader(`{"stepfunctions":{"execute_state_machine":true}}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode/100 != 2 {
		w.t.Fatalf("moto config: %v %v", resp, err)
	}
}

// watchdogAlerts runs the baseline's deadline watchdog in moto for the
// tenant's suspension deadline, with the input its schedule carries, and
// expects the execution to fail and the operations topic to be told.
// (One execution: moto 5.2.1 cannot start a second on a machine once one
// has run; internal/expect's test runs every case.)
func (w *world) watchdogAlerts(ctx context.Context, t *testing.T, tenant string) {
	t.Helper()
	account := w.accountID(ctx)
	topic := fmt.Sprintf("arn:aws:sns:ap-northeast-1:%s:%s", account, expect.OperationsTopicName)
	q, err := sqs.NewFromConfig(w.cfg).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("operations-inbox")})
	if err != nil {
		t.Fatal(err)
	}
	qa, err := sqs.NewFromConfig(w.cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sns.NewFromConfig(w.cfg).Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topic), Protocol: aws.String("sqs"),
		Endpoint: aws.String(qa.Attributes["QueueArn"]), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
		t.Fatalf("the operations topic the baseline deployed: %v", err)
	}
	cfg, _, err := stackfile.Load(filepath.Join(w.work, "stacks"), tenant)
	if err != nil {
		t.Fatal(err)
	}
	watch := expect.WatchesOf(cfg)[0]
	machine := fmt.Sprintf("arn:aws:states:ap-northeast-1:%s:stateMachine:%s", account, expect.WatchStateMachineName)
	ex, err := sfn.NewFromConfig(w.cfg).StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine),
		Name: aws.String(watch.ScheduleName()), Input: aws.String(watch.Input())})
	if err != nil {
		t.Fatalf("start the watchdog the baseline deployed: %v", err)
	}
	var status sfntypes.ExecutionStatus
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		d, err := sfn.NewFromConfig(w.cfg).DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if status = d.Status; status != sfntypes.ExecutionStatusRunning {
			break
		}
	}
	msgs, err := sqs.NewFromConfig(w.cfg).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range msgs.Messages {
		got = append(got, aws.ToString(m.Body))
	}
	if status != sfntypes.ExecutionStatusFailed || len(got) != 1 || !strings.Contains(got[0], "tenant "+tenant+" must be suspend") || !strings.Contains(got[0], "deployed state is active") {
		t.Errorf("the watchdog on %s's missed suspension: execution %s, alerts %q", tenant, status, got)
	}
}

func (w *world) accountID(ctx context.Context) string {
	w.t.Helper()
	id, err := sts.NewFromConfig(w.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		w.t.Fatal(err)
	}
	return aws.ToString(id.Account)
}

// certificateFor issues a tenant's listener certificate in moto.
func (w *world) certificateFor(ctx context.Context, tenant string) string {
	w.t.Helper()
	out, err := acm.NewFromConfig(w.cfg).RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String(tenant + ".example.co.jp")})
	if err != nil {
		w.t.Fatal(err)
	}
	return aws.ToString(out.CertificateArn)
}

// vpcIDs are the VPCs in the account tagged with the tenant.
func (w *world) vpcIDs(ctx context.Context, tenant string) []string {
	w.t.Helper()
	out, err := ec2.NewFromConfig(w.cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Tenant"), Values: []string{tenant}}}})
	if err != nil {
		w.t.Fatal(err)
	}
	var ids []string
	for _, v := range out.Vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
	}
	return ids
}

func (w *world) vpcs(ctx context.Context, tenant string) int { return len(w.vpcIDs(ctx, tenant)) }

// fault writes one fault for the test aws plugin; its path is returned.
func (w *world) fault(dir, line string) string {
	w.t.Helper()
	f, err := os.CreateTemp(dir, "*.fault")
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		w.t.Fatal(err)
	}
	return f.Name()
}

// on runs the moved-clock tenantctl as if today (JST) were day.
func (w *world) on(day lifecycle.Date, args ...string) result {
	w.t.Helper()
	env := w.env
	w.env = append(append([]string{}, env...), clock.ShiftVariable+"="+day.String())
	defer func() { w.env = env }()
	return w.run(20*time.Minute, "tenantctl-shifted", args...)
}

// lastEntry is the newest entry of a tenant's lifecycle evidence.
func (w *world) lastEntry(tenant string) lifecycle.Entry {
	w.t.Helper()
	ev, err := lifecycle.ReadEvidence(filepath.Join(w.work, "evidence", "lifecycle"), tenant)
	if err != nil || len(ev.Entries) == 0 {
		w.t.Fatalf("%s's evidence: %v", tenant, err)
	}
	return ev.Entries[len(ev.Entries)-1]
}

// applied: the tenant's suspension has its applied entry, made on day.
func (w *world) applied(t *testing.T, tenant string, day lifecycle.Date) {
	t.Helper()
	ev, err := lifecycle.ReadEvidence(filepath.Join(w.work, "evidence", "lifecycle"), tenant)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ev.Entries {
		if e.Step == lifecycle.StepSuspend && e.Details["phase"] == lifecycle.PhaseApplied {
			if !strings.HasPrefix(e.AtJST, day.String()) {
				t.Errorf("%s's suspension applied at %s, want on %s", tenant, e.AtJST, day)
			}
			return
		}
	}
	t.Errorf("%s's suspension has no applied entry", tenant)
}

func (w *world) notApplied(t *testing.T, tenant string) {
	t.Helper()
	ev, _ := lifecycle.ReadEvidence(filepath.Join(w.work, "evidence", "lifecycle"), tenant)
	for _, e := range ev.Entries {
		if e.Step == lifecycle.StepSuspend && e.Details["phase"] == lifecycle.PhaseApplied {
			t.Errorf("%s's suspension recorded as applied though its deploy failed: %s", tenant, e.Summary)
		}
	}
}

// stackIsClean: the state holds no pending operation, the backend no lock
// of the stack, and no aws plugin of this world is left running.
func (w *world) stackIsClean(stack string) {
	w.t.Helper()
	r := w.pulumi("stack", "export", "--stack", stack)
	if r.code != 0 {
		w.t.Fatalf("stack export: %s", r)
	}
	var exp struct {
		Deployment struct {
			Pending []json.RawMessage `json:"pending_operations"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &exp); err != nil {
		w.t.Fatalf("stack export: %v", err)
	}
	if len(exp.Deployment.Pending) > 0 {
		w.t.Errorf("%s's state holds %d pending operation(s)", stack, len(exp.Deployment.Pending))
	}
	if locks := w.locks(stack); len(locks) > 0 {
		w.t.Errorf("%s is still locked: %v", stack, locks)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		left := w.plugins()
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			w.t.Errorf("aws plugin processes left running: %v", left)
			break
		}
	}
}

// locks are the backend's lock files of a stack (the file backend keeps
// them under .pulumi/locks/<org>/<project>/<stack>/).
func (w *world) locks(stack string) []string {
	var backend string
	for _, kv := range w.env {
		if v, ok := strings.CutPrefix(kv, "PULUMI_BACKEND_URL=file://"); ok {
			backend = v
		}
	}
	var out []string
	filepath.WalkDir(filepath.Join(backend, ".pulumi", "locks"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) == stack {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// plugins are the running processes of this world's aws plugin.
func (w *world) plugins() []string {
	plugin := w.plugin
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, exe := range procs {
		if target, err := os.Readlink(exe); err == nil && target == plugin {
			out = append(out, filepath.Dir(exe))
		}
	}
	return out
}

// process is a tenantctl run in the background, in a process group of its
// own as a terminal's foreground job is.
type process struct {
	t        *testing.T
	cmd      *exec.Cmd
	out, err *testkit.SyncBuffer
	done     chan error
}

func (w *world) start(args ...string) *process {
	w.t.Helper()
	cmd := exec.Command(filepath.Join(w.bin, "tenantctl"), args...)
	cmd.Dir, cmd.Env = w.work, w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &process{t: w.t, cmd: cmd, out: &testkit.SyncBuffer{}, err: &testkit.SyncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout = io.MultiWriter(p.out, w.log)
	cmd.Stderr = io.MultiWriter(p.err, w.log)
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	w.t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	return p
}

// ctrlC sends SIGINT to the whole foreground group, as a terminal does.
func (p *process) ctrlC() {
	if err := syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT); err != nil {
		p.t.Fatal(err)
	}
}

func (p *process) waitOut(s string) {
	p.t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); !strings.Contains(p.err.String(), s); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("tenantctl never said %q:\n%s", s, p.err.String())
		}
	}
}

// inFlight matches the engine's progress lines for an AWS resource's
// create: "+  aws:ec2:Vpc alpha-net-vpc creating (0s)", "... created
// (0.02s)", "... **creating failed**".
var inFlight = regexp.MustCompile(`(?m)^\s*\+\s+(aws:\S+) (\S+) (creating|created|\*\*creating failed\*\*)`)

// waitInFlight waits until the only AWS create the engine has begun and
// not ended is the one named.
func (p *process) waitInFlight(name string) {
	p.t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		last := map[string]string{}
		for _, m := range inFlight.FindAllStringSubmatch(p.err.String()+p.out.String(), -1) {
			last[m[2]] = m[3]
		}
		var open []string
		for n, st := range last {
			if st == "creating" {
				open = append(open, n)
			}
		}
		if len(open) == 1 && open[0] == name {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("creates still in flight: %v, want only %s", open, name)
		}
	}
}

func (p *process) wait() result {
	p.t.Helper()
	select {
	case err := <-p.done:
		r := result{stdout: p.out.String(), stderr: p.err.String()}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			r.code = ee.ExitCode()
		} else if err != nil {
			p.t.Fatal(err)
		}
		return r
	case <-time.After(10 * time.Minute):
		p.t.Fatalf("tenantctl did not end:\n%s", p.err.String())
		return result{}
	}
}

// waitFile waits for a fault's marker while the process runs.
func (w *world) waitFile(path string, p *process) {
	w.t.Helper()
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case err := <-p.done:
			w.t.Fatalf("tenantctl ended (%v) before %s:\n%s", err, filepath.Base(path), p.err.String())
		default:
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("never reached %s:\n%s", filepath.Base(path), p.err.String())
		}
	}
}

// fleetOfItsOwn replaces the example stacks (the region's VPC quota counts
// every stack file) with these tenants' stack files, onboarded without a
// deploy, then deploys the baseline, whose trail then covers their
// buckets; it returns each tenant's onboard command.
func (w *world) fleetOfItsOwn(ctx context.Context, tenants ...string) map[string][]string {
	w.t.Helper()
	examples, _ := filepath.Glob(filepath.Join(w.work, "stacks", "Pulumi.*.yaml"))
	for _, f := range examples {
		os.Remove(f)
	}
	onboard := map[string][]string{}
	for _, n := range tenants {
		onboard[n] = []string{"onboard", n, "--ingress-cidrs", "198.51.100.0/24", "--certificate-arn", w.certificateFor(ctx, n),
			"--classifications", "confidential", "--alert-emails", "secops@example.co.jp"}
		if r := w.tenantctl(append(onboard[n], "--no-deploy")...); r.code != 0 {
			w.t.Fatalf("onboard %s --no-deploy: %s", n, r)
		}
	}
	if _, err := w.baselineStack().Up(ctx, "tokyo"); err != nil {
		w.t.Fatalf("baseline up: %v", err)
	}
	return onboard
}

// abandonTheVPCsCreate onboards a tenant whose VPC create is slow and
// abandons it as an operator does: one Ctrl-C, then a second once the VPC
// is the only create in flight (the first lets the others finish: a
// create the terminated CLI had not yet written as pending would be made
// in AWS by the plugin and known to no state, which is what Pulumi warns
// of on a terminate, not what these tests are about).
func (w *world) abandonTheVPCsCreate(faults, tenant string, onboard []string) {
	w.t.Helper()
	fault := w.fault(faults, "Create aws:ec2/vpc:Vpc::"+tenant+"-net-vpc slow 5m")
	p := w.start(onboard...)
	w.waitFile(fault+".started", p)
	p.ctrlC()
	p.waitOut("tenantctl: stopping")
	p.waitInFlight(tenant + "-net-vpc")
	p.ctrlC()
	if r := p.wait(); r.code != 3 || !strings.Contains(r.stderr, "abandoning") {
		w.t.Fatalf("an abandoned onboarding: %s", r)
	}
	os.Remove(fault)
}
