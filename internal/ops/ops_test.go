package ops_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/ops"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

const cert = "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"

// fake is a Deployer that records what it was asked to do. Its backend
// holds every stack of the stacks directory, each deployed as its file
// said when it was last deployed (active until up deploys another state),
// but those in absent.
type fake struct {
	mu       sync.Mutex
	calls    []string
	notReady error
	fail     string // the call that fails
	stacks   string // the stacks directory up deploys from
	deployed map[string]string
	absent   map[string]bool
	// accounts are the accounts the stacks were deployed in (none: unsaid).
	accounts map[string]string
	// duringPreview runs while the preview runs (another writer, say).
	duringPreview func()
}

func (f *fake) DeployedState(_ context.Context, s string) (deploy.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.absent[s] {
		return deploy.State{}, nil
	}
	st, ok := f.deployed[s]
	if !ok {
		st = config.StateActive
	}
	return deploy.State{Exists: true, Lifecycle: st, Account: f.accounts[s]}, nil
}

func (f *fake) Ready() error { return f.notReady }

func (f *fake) do(call, stack string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call+" "+stack)
	if f.fail == call {
		return errors.New(call + " failed")
	}
	return nil
}

func (f *fake) Preview(_ context.Context, s string) (map[string]int, error) {
	if f.duringPreview != nil {
		f.duringPreview()
	}
	return map[string]int{"create": 1}, f.do("preview", s)
}

// Up deploys the stack file as it is now, and exports its state.
func (f *fake) Up(_ context.Context, s string) (map[string]any, error) {
	if err := f.do("up", s); err != nil {
		return nil, err
	}
	state := config.StateActive
	if cfg, _, err := stackfile.Load(f.stacks, s); err == nil {
		state = cfg.Lifecycle.State
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.deployed == nil {
		f.deployed = map[string]string{}
	}
	f.deployed[s] = state
	return map[string]any{"inventory": map[string]any{"state": state}}, nil
}
func (f *fake) Destroy(_ context.Context, s string) error { return f.do("destroy", s) }
func (f *fake) Remove(_ context.Context, s string) error {
	if err := f.do("remove", s); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.absent == nil {
		f.absent = map[string]bool{}
	}
	f.absent[s] = true
	return nil
}

type env struct {
	*ops.Env
	dep      *fake
	out, err *bytes.Buffer
	left     []string
	dataKeys []string // the KMS keys DataKey was asked to encrypt under
}

// newEnv copies the example stacks to a temporary directory; today is
// fixed at noon JST.
func newEnv(t *testing.T, today string) *env {
	t.Helper()
	dir := t.TempDir()
	stacks := filepath.Join(dir, "stacks")
	if err := os.MkdirAll(stacks, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range testkit.ExampleTenants(t) {
		b, err := os.ReadFile(stackfile.Path(testkit.StacksDir(), n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(stackfile.Path(stacks, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now, err := time.Parse(time.RFC3339, today+"T12:00:00+09:00")
	if err != nil {
		t.Fatal(err)
	}
	// The example baseline: the fleet's defaults onboarding writes.
	base := filepath.Join(dir, "baseline")
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "..", "baseline", "Pulumi.tokyo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "Pulumi.tokyo.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	e := &env{dep: &fake{stacks: stacks}, out: &bytes.Buffer{}, err: &bytes.Buffer{}}
	e.Env = &ops.Env{
		StacksDir: stacks, EvidenceDir: filepath.Join(dir, "evidence"), BaselineDir: base, Deployer: e.dep,
		DataKey: func(_ context.Context, p config.SecretsProvider) (string, error) {
			e.dataKeys = append(e.dataKeys, p.KeyID)
			return fmt.Sprintf("data-key-%d-under-%s", len(e.dataKeys), strings.ReplaceAll(p.KeyID, "/", "-")), nil
		},
		Now: func() time.Time { return now }, Stdout: e.out, Stderr: e.err,
		Leftovers: func(context.Context, string) ([]string, error) { return e.left, nil },
		Verify:    func(context.Context, string, map[string]any) error { return e.dep.do("verify", "") },
	}
	return e
}

func (e *env) stack(t *testing.T, tenant string) *config.Tenant {
	t.Helper()
	cfg, _, err := stackfile.Load(e.StacksDir, tenant)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (e *env) bytes(t *testing.T, tenant string) string {
	t.Helper()
	b, _ := os.ReadFile(stackfile.Path(e.StacksDir, tenant))
	return string(b)
}

func onboardArgs(tenant string, extra ...string) []string {
	return append([]string{tenant, "--ingress-cidrs", "198.51.100.0/24", "--certificate-arn", cert, "--alert-emails", "secops@example.co.jp"}, extra...)
}

// --no-deploy writes the stack file and its evidence, and deploys nothing.
func TestOnboardNoDeploy(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	if code := e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy", "--classifications", "personal,confidential")); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, e.err)
	}
	cfg := e.stack(t, "umbrella")
	others, _ := stackfile.OtherCidrs(e.StacksDir, "umbrella")
	mine := netip.MustParsePrefix(cfg.VpcCidr)
	for n, p := range others {
		if p.Overlaps(mine) {
			t.Errorf("allocated %s overlaps %s (%s)", mine, n, p)
		}
	}
	if len(e.dep.calls) != 0 {
		t.Errorf("--no-deploy deployed: %v", e.dep.calls)
	}
	if !slices.Equal(cfg.DataClassifications, []string{"personal", "confidential"}) || cfg.CertificateArn != cert {
		t.Errorf("settings not written: %+v", cfg)
	}
	// Round trip through the Pulumi config format: what was written decodes
	// to the same settings, and typed scalars stay typed.
	if !strings.Contains(e.bytes(t, "umbrella"), "tenantkit:appPort: 8080\n") || !strings.Contains(e.bytes(t, "umbrella"), "tenantkit:disasterRecovery: false\n") {
		t.Errorf("scalars not written with their types:\n%s", e.bytes(t, "umbrella"))
	}
	first := e.bytes(t, "umbrella")
	if code := e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy", "--classifications", "personal,confidential")); code != cli.ExitOK {
		t.Fatalf("re-run: exit %d: %s", code, e.err)
	}
	if e.bytes(t, "umbrella") != first {
		t.Error("a re-run with the same inputs changed the stack file")
	}
	e.err.Reset()
	if code := e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy", "--classifications", "public")); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "--classifications differ") {
		t.Errorf("other settings for an existing stack: exit %d %s", code, e.err)
	}
	if e.bytes(t, "umbrella") != first {
		t.Error("a refused re-run changed the stack file")
	}
	ev, err := lifecycle.ReadEvidence(e.EvidenceDir, "umbrella")
	if err != nil || len(ev.Entries) != 2 || ev.Entries[0].DryRun || ev.Entries[0].Details["vpcCidr"] != cfg.VpcCidr {
		t.Errorf("evidence %+v %v", ev, err)
	}
}

// --dry-run plans in memory and writes nothing: no stack file, no evidence,
// no lock file.
func TestOnboardDryRunWritesNothing(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	before := snapshot(t, filepath.Dir(e.StacksDir))
	if code := e.Onboard(context.Background(), onboardArgs("umbrella", "--dry-run", "--classifications", "personal,confidential")); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, e.err)
	}
	if !strings.Contains(e.out.String(), "would write") || !strings.Contains(e.out.String(), "tenantkit:vpcCidr: 10.16.") {
		t.Errorf("the dry run does not show what it would write:\n%s", e.out)
	}
	if after := snapshot(t, filepath.Dir(e.StacksDir)); !maps.Equal(before, after) {
		t.Errorf("the dry run wrote: before %v\nafter %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
	}
	if len(e.dep.calls) != 0 {
		t.Errorf("dry run deployed: %v", e.dep.calls)
	}
}

// snapshot maps every file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOnboardRefusesBadInputBeforeWriting(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no certificate", []string{"umbrella", "--ingress-cidrs", "198.51.100.0/24", "--dry-run"}, "--certificate-arn"},
		{"internet ingress", onboardArgs("umbrella", "--dry-run", "--ingress-cidrs", "0.0.0.0/0"), "--ingress-cidrs"},
		{"bad classification", onboardArgs("umbrella", "--dry-run", "--classifications", "secret"), "--classifications"},
		{"reserved id", onboardArgs("admin", "--dry-run"), "tenantId"},
		{"overlapping explicit range", onboardArgs("umbrella", "--dry-run", "--cidr", "10.16.8.0/21"), "overlaps stack acme"},
		{"reserved explicit range", onboardArgs("umbrella", "--dry-run", "--cidr", "10.0.0.0/20"), "reserved range"},
		{"bad pool", onboardArgs("umbrella", "--dry-run", "--pool", "ten"), "--pool"},
		{"two tenants", []string{"a1", "a2", "--dry-run"}, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "2026-11-25")
			if code := e.Onboard(context.Background(), tc.args); code != cli.ExitBadInput || !strings.Contains(e.err.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %q", code, e.err, tc.want)
			}
			for _, n := range []string{"umbrella", "admin", "a1"} {
				if _, err := os.Stat(stackfile.Path(e.StacksDir, n)); err == nil {
					t.Errorf("stack file %s written despite the refusal", n)
				}
			}
		})
	}
}

// Onboardings at the same time never get the same range.
func TestConcurrentOnboarding(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	raiseQuota(t, e, "VPCs per Region", 20) // eleven tenants in one region
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := *e.Env // own output, same directories
			env.Stdout, env.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
			codes[i] = env.Onboard(context.Background(), onboardArgs(fmt.Sprintf("tenant-%d", i), "--no-deploy"))
		}()
	}
	wg.Wait()
	cidrs := map[string]netip.Prefix{}
	for i, c := range codes {
		if c != cli.ExitOK {
			t.Fatalf("onboarding %d: exit %d", i, c)
		}
	}
	names, _ := stackfile.List(e.StacksDir)
	for _, n := range names {
		cidrs[n] = netip.MustParsePrefix(e.stack(t, n).VpcCidr)
	}
	if len(cidrs) != 11 {
		t.Fatalf("%d stacks, want 11", len(cidrs))
	}
	if err := stackfile.Overlaps(cidrs); err != nil {
		t.Fatal(err)
	}
}

func TestOnboardDeploysAndVerifies(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	if code := e.Onboard(context.Background(), onboardArgs("umbrella")); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, e.err)
	}
	if want := []string{"preview umbrella", "up umbrella", "verify "}; !slices.Equal(e.dep.calls, want) {
		t.Errorf("calls %v, want %v", e.dep.calls, want)
	}
	// The verification reads what up exported, not a rediscovery.
	e = newEnv(t, "2026-11-25")
	var got map[string]any
	e.Verify = func(_ context.Context, tenant string, outputs map[string]any) error {
		got = outputs
		return nil
	}
	if code := e.Onboard(context.Background(), onboardArgs("umbrella")); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, e.err)
	}
	if _, ok := got["inventory"]; !ok {
		t.Errorf("the verification got outputs %v, not up's inventory", got)
	}
	// Without a deployer that can run, nothing is written, and the exit
	// says the step could not run (3), not that the input was bad (#23
	// item 9).
	e = newEnv(t, "2026-11-25")
	e.dep.notReady = errors.New("the Pulumi CLI is not on PATH")
	if code := e.Onboard(context.Background(), onboardArgs("umbrella")); code != cli.ExitError || !strings.Contains(e.err.String(), "Pulumi CLI") {
		t.Errorf("exit %d %s", code, e.err)
	}
	if _, err := os.Stat(stackfile.Path(e.StacksDir, "umbrella")); err == nil {
		t.Error("stack file written although the deploy could not run")
	}
}

func TestOffboardLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2026-11-25")
	// Record the cancellation: suspension tomorrow, deletion within 30 days.
	if code := e.Offboard(ctx, []string{"acme", "--cancelled-on", "2026-11-25"}); code != cli.ExitOK {
		t.Fatalf("cancel: exit %d %s", code, e.err)
	}
	l := e.stack(t, "acme").Lifecycle
	if l.State != "active" || l.SuspendOn != "2026-11-26" || l.DeleteBy != "2026-12-25" {
		t.Fatalf("after cancel: %+v", l)
	}
	if code := e.Offboard(ctx, []string{"acme", "--cancelled-on", "2026-11-30"}); code != cli.ExitBadInput {
		t.Errorf("a future cancellation date: exit %d", code)
	}
	// Delete before suspension is refused without --force.
	before := e.bytes(t, "acme")
	if code := e.Offboard(ctx, []string{"delete", "acme", "--yes"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "not suspended") {
		t.Errorf("delete of an active tenant: exit %d %s", code, e.err)
	}
	// Destructive steps need --yes when not interactive.
	if code := e.Offboard(ctx, []string{"suspend", "acme"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "--yes") {
		t.Errorf("suspend without --yes: exit %d %s", code, e.err)
	}
	if e.bytes(t, "acme") != before || len(e.dep.calls) != 0 {
		t.Fatalf("refused steps changed something: %v", e.dep.calls)
	}
	// A dry run plans the suspension and leaves the file as it was.
	if code := e.Offboard(ctx, []string{"suspend", "acme", "--dry-run"}); code != cli.ExitOK || e.bytes(t, "acme") != before {
		t.Fatalf("dry-run suspend: exit %d %s", code, e.err)
	}
	if code := e.Offboard(ctx, []string{"suspend", "acme", "--yes"}); code != cli.ExitOK {
		t.Fatalf("suspend: exit %d %s", code, e.err)
	}
	if e.stack(t, "acme").Lifecycle.State != "suspended" || !slices.Equal(e.dep.calls, []string{"preview acme", "up acme"}) {
		t.Fatalf("suspend: state %s calls %v", e.stack(t, "acme").Lifecycle.State, e.dep.calls)
	}
	// Delete on 2026-11-25: 30 days left, a 30-day key window.
	e.dep.calls = nil
	e.left = []string{"arn:aws:s3:::tk-acme-log-archive-123456789012", "arn:aws:kms:ap-northeast-1:123456789012:key/k"}
	if code := e.Offboard(ctx, []string{"delete", "acme", "--yes"}); code != cli.ExitOK {
		t.Fatalf("delete: exit %d %s", code, e.err)
	}
	if want := []string{"preview acme", "up acme", "destroy acme", "remove acme"}; !slices.Equal(e.dep.calls, want) {
		t.Errorf("delete calls %v, want %v", e.dep.calls, want)
	}
	final := e.stack(t, "acme")
	if final.Lifecycle.State != "deleted" || final.KeyDeletionWindowDays != 30 {
		t.Errorf("after delete: state %s window %d", final.Lifecycle.State, final.KeyDeletionWindowDays)
	}
	ev, err := lifecycle.ReadEvidence(e.EvidenceDir, "acme")
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, en := range ev.Entries {
		steps = append(steps, string(en.Step))
		if en.Operator == "" || en.AtJST == "" || en.AtUTC.IsZero() {
			t.Errorf("entry without who or when: %+v", en)
		}
	}
	if !slices.Equal(steps, []string{"cancel", "suspend", "suspend", "delete", "deleted"}) {
		t.Errorf("evidence steps %v", steps)
	}
	last := ev.Entries[len(ev.Entries)-1]
	if last.Details["keysDeletedOn"] != "2026-12-25" || !strings.HasPrefix(last.AtJST, "2026-11-25T12:00:00+09:00") {
		t.Errorf("deletion evidence %+v", last)
	}
	// Every record that outlives the tenant, wherever it sits (#25 item 4):
	// acme is in the shared trail mode, so the account's archive and trail
	// log hold its API records, and the rule says what may outlive it.
	var started lifecycle.Entry
	for _, en := range ev.Entries {
		if en.Step == lifecycle.StepDelete {
			started = en
		}
	}
	retained := fmt.Sprint(started.Details["retained"])
	for _, want := range []string{"tk-acme-log-archive-<account>", "tk-baseline-log-archive-<account>", "/tenantkit/cloudtrail", "/tenantkit/session-manager"} {
		if !strings.Contains(retained, want) {
			t.Errorf("the deletion evidence does not list %s: %s", want, retained)
		}
	}
	if !strings.Contains(fmt.Sprint(started.Details["retainedRule"]), "never the customer's content") {
		t.Errorf("the deletion evidence states no rule for what outlives the tenant: %v", started.Details)
	}
	// The freed range can be allocated again.
	others, _ := stackfile.OtherCidrs(e.StacksDir, "x")
	if _, held := others["acme"]; held {
		t.Error("a deleted tenant still holds its range")
	}
}

// suspended writes a cancellation on day and the suspended state into the
// tenant's stack file; cancelled writes the cancellation alone (as
// `offboard --cancelled-on` does, without its evidence).
// suspended: cancelled on day, and the suspension recorded and applied
// (deployed: the backend's stack exports suspended; the evidence says so).
func suspended(t *testing.T, e *env, tenant, day string) {
	t.Helper()
	cancelAs(t, e, tenant, day, config.StateSuspended)
	e.dep.mu.Lock()
	if e.dep.deployed == nil {
		e.dep.deployed = map[string]string{}
	}
	e.dep.deployed[tenant] = config.StateSuspended
	e.dep.mu.Unlock()
	for _, phase := range []string{lifecycle.PhaseRecorded, lifecycle.PhaseApplied} {
		en := lifecycle.NewEntry(lifecycle.StepSuspend, e.Now(), lifecycle.Date{}, "suspension "+phase+" (test)", map[string]any{"phase": phase})
		if err := lifecycle.Append(e.EvidenceDir, tenant, en, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func cancelled(t *testing.T, e *env, tenant, day string) {
	t.Helper()
	cancelAs(t, e, tenant, day, "")
}

func cancelAs(t *testing.T, e *env, tenant, day, state string) {
	t.Helper()
	cfg := e.stack(t, tenant)
	d, err := lifecycle.ParseDate(day)
	if err == nil {
		err = lifecycle.Cancel(cfg, d)
	}
	if err != nil {
		t.Fatal(err)
	}
	if state != "" {
		cfg.Lifecycle.State = state
	}
	if _, _, err := stackfile.Write(e.StacksDir, cfg); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteKeyWindowLimits(t *testing.T) {
	ctx := context.Background()
	// Cancelled 2026-11-01: deadline 2026-12-01; on 2026-11-26, 5 days left.
	e := newEnv(t, "2026-11-26")
	suspended(t, e, "acme", "2026-11-01")
	before := e.bytes(t, "acme")
	if code := e.Offboard(ctx, []string{"delete", "acme", "--yes"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "only 5 days are left") || !strings.Contains(e.err.String(), "--late") {
		t.Fatalf("5 days left: exit %d %s", code, e.err)
	}
	if e.bytes(t, "acme") != before || len(e.dep.calls) != 0 {
		t.Fatal("a refused delete changed something")
	}
	e.err.Reset()
	if code := e.Offboard(ctx, []string{"delete", "acme", "--yes", "--late"}); code != cli.ExitOK {
		t.Fatalf("--late: exit %d %s", code, e.err)
	}
	if !strings.Contains(e.err.String(), "WARNING") || e.stack(t, "acme").KeyDeletionWindowDays != 7 {
		t.Errorf("--late: window %d, stderr %s", e.stack(t, "acme").KeyDeletionWindowDays, e.err)
	}
	// 20 days left: the window shrinks to 20 so the keys go by the deadline.
	e = newEnv(t, "2026-11-26")
	suspended(t, e, "globex", "2026-11-16")
	if code := e.Offboard(ctx, []string{"delete", "globex", "--yes", "--dry-run"}); code != cli.ExitOK || !strings.Contains(e.out.String(), "20-day window") {
		t.Fatalf("dry-run delete: exit %d %s %s", code, e.out, e.err)
	}
	if e.stack(t, "globex").Lifecycle.State != "suspended" || len(e.dep.calls) != 0 {
		t.Error("a dry-run delete changed the stack or deployed")
	}
	// A resource left behind keeps the stack and fails.
	e.left = []string{"arn:aws:ec2:ap-northeast-1:123456789012:vpc/vpc-1"}
	if code := e.Offboard(ctx, []string{"delete", "globex", "--yes"}); code != cli.ExitFail || !strings.Contains(e.err.String(), "vpc-1") {
		t.Fatalf("leftover: exit %d %s", code, e.err)
	}
	if slices.Contains(e.dep.calls, "remove globex") || e.stack(t, "globex").Lifecycle.State != "deleting" {
		t.Errorf("stack removed despite a leftover: %v", e.dep.calls)
	}
}

func TestDuePicksTheRightTenants(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	suspended(t, e, "globex", "2026-11-20")  // deadline 12-20: deletion due from 12-06
	cancelled(t, e, "initech", "2026-12-09") // cancelled yesterday: suspension due today
	if code := e.Offboard(context.Background(), []string{"due", "--yes"}); code != cli.ExitOK {
		t.Fatalf("due: exit %d %s", code, e.err)
	}
	if want := []string{"preview globex", "up globex", "destroy globex", "remove globex", "preview initech", "up initech"}; !slices.Equal(e.dep.calls, want) {
		t.Errorf("due calls %v, want %v", e.dep.calls, want)
	}
	if e.stack(t, "acme").Lifecycle.State != "active" || e.stack(t, "initech").Lifecycle.State != "suspended" || e.stack(t, "globex").Lifecycle.State != "deleted" {
		t.Error("due moved the wrong tenants")
	}
	// A missed deadline is loud and fails the job.
	e = newEnv(t, "2026-12-22")
	suspended(t, e, "globex", "2026-11-20")
	if code := e.Offboard(context.Background(), []string{"due", "--yes", "--late"}); code != cli.ExitFail || !strings.Contains(e.err.String(), "DEADLINE MISSED: tenant globex") {
		t.Errorf("missed deadline: exit %d %s", code, e.err)
	}
}

// The offboarding workflow runs one job per due tenant, in that stack's
// concurrency group: `offboard due <tenant>` acts on that tenant alone, and
// its matrix entry says what is due.
func TestDueForOneTenant(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	suspended(t, e, "globex", "2026-11-20")
	cancelled(t, e, "initech", "2026-12-09")
	e.out.Reset()
	if code := e.List([]string{"--format", "matrix"}); code != cli.ExitOK {
		t.Fatalf("list: exit %d %s", code, e.err)
	}
	for tenant, due := range map[string]string{"acme": `"due":""`, "globex": `"due":"delete"`, "initech": `"due":"suspend"`} {
		if !strings.Contains(e.out.String(), `"tenant":"`+tenant+`","state"`) || !regexp.MustCompile(`"tenant":"`+tenant+`"[^}]*`+due).MatchString(e.out.String()) {
			t.Errorf("matrix for %s lacks %s: %s", tenant, due, e.out)
		}
	}
	if code := e.Offboard(context.Background(), []string{"due", "initech", "--yes"}); code != cli.ExitOK {
		t.Fatalf("due initech: exit %d %s", code, e.err)
	}
	if want := []string{"preview initech", "up initech"}; !slices.Equal(e.dep.calls, want) {
		t.Errorf("due initech calls %v, want %v", e.dep.calls, want)
	}
	if e.stack(t, "globex").Lifecycle.State != "suspended" {
		t.Error("due initech moved globex")
	}
	if code := e.Offboard(context.Background(), []string{"due", "nosuch", "--yes"}); code != cli.ExitBadInput {
		t.Errorf("due of an unknown tenant: exit %d", code)
	}
}

func TestList(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	suspended(t, e, "globex", "2026-11-20")
	if code := e.List(nil); code != cli.ExitOK {
		t.Fatalf("exit %d %s", code, e.err)
	}
	out := e.out.String()
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	for tenant, want := range map[string][]string{
		"acme":    {"acme", "tokyo", "active", "unknown", "10.16.0.0/20", "-", "-", "-", "-", "-"},
		"globex":  {"globex", "tokyo", "suspended", "unknown", "10.16.16.0/20", "2026-11-20", "2026-11-21", "2026-12-20", "25", "-"},
		"initech": {"initech", "tokyo", "active", "unknown", "10.16.32.0/22", "-", "-", "-", "-", "-"},
	} {
		if !slices.Equal(rows[tenant], want) {
			t.Errorf("list row %v, want %v", rows[tenant], want)
		}
	}
	e.out.Reset()
	if code := e.List([]string{"--format", "json"}); code != cli.ExitOK || !strings.Contains(e.out.String(), `"schema": "tenantkit.tenants/v1"`) || !strings.Contains(e.out.String(), `"daysLeft": 25`) {
		t.Errorf("json: exit %d %s", code, e.out)
	}
}

// list tells a deployed tenant from a stack file (#23 item 7): what the
// backend holds, "no" for a file never deployed, "unknown" (and why, on
// stderr) when no backend could be asked.
func TestListSaysWhatIsDeployed(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	e.Deployer = &listing{fake: e.dep, stacks: map[string]deploy.Deployment{"acme": {LastUpdate: "2026-11-24T10:00:00Z", Resources: 172}}}
	if code := e.List(nil); code != cli.ExitOK {
		t.Fatalf("exit %d %s", code, e.err)
	}
	for _, want := range []string{"acme     tokyo  active  yes, 2026-11-24T10:00:00Z, 172 resources", "globex   tokyo  active  no  ", "initech  tokyo  active  no  "} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("list lacks %q:\n%s", want, e.out)
		}
	}
	e.out.Reset()
	e.Deployer = &listing{fake: e.dep, err: errors.New("the Pulumi CLI is not on PATH")}
	if code := e.List([]string{"--format", "json"}); code != cli.ExitOK || !strings.Contains(e.out.String(), `"deployed": "unknown: the Pulumi CLI is not on PATH"`) || !strings.Contains(e.err.String(), "deployed state unknown") {
		t.Errorf("exit %d\n%s\n%s", code, e.out, e.err)
	}
}

// listing is the fake deployer that also lists the backend's stacks.
type listing struct {
	*fake
	stacks map[string]deploy.Deployment
	err    error
}

func (l *listing) Deployed(context.Context) (map[string]deploy.Deployment, error) {
	return l.stacks, l.err
}

// A preview the guard refuses stops the step before anything is deployed.
func TestPreviewGatesDeploy(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	suspended(t, e, "globex", "2026-11-20")
	cancelled(t, e, "acme", "2026-11-24")
	e.dep.fail = "preview"
	if code := e.Offboard(context.Background(), []string{"suspend", "acme", "--yes"}); code != cli.ExitFail {
		t.Fatalf("exit %d %s", code, e.err)
	}
	if !slices.Equal(e.dep.calls, []string{"preview acme"}) {
		t.Errorf("deployed after a failed preview: %v", e.dep.calls)
	}
	ev, _ := lifecycle.ReadEvidence(e.EvidenceDir, "acme")
	if ev == nil || !strings.Contains(ev.Entries[len(ev.Entries)-1].Summary, "FAILED") {
		t.Errorf("the failure is not in the evidence: %+v", ev)
	}
}

// The evidence directory may not be the stacks directory, however it is
// written: both locks in one directory would wait on each other forever.
func TestEvidenceDirApartFromStacks(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	link := filepath.Join(t.TempDir(), "stacks-link")
	if err := os.Symlink(e.StacksDir, link); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{e.StacksDir, e.StacksDir + "/", e.StacksDir + "/.", link} {
		e.EvidenceDir = dir
		done := make(chan int, 1)
		go func() { done <- e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-25"}) }()
		select {
		case code := <-done:
			if code != cli.ExitBadInput || !strings.Contains(e.err.String(), "--evidence-dir") {
				t.Errorf("--evidence-dir %s: exit %d %s", dir, code, e.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("--evidence-dir %s: offboard hangs", dir)
		}
		if e.stack(t, "acme").Lifecycle.CancelledOn != "" {
			t.Fatalf("--evidence-dir %s: the stack changed", dir)
		}
	}
}

// raiseQuota declares a raised quota in a baseline stack of the env's.
func raiseQuota(t *testing.T, e *env, name string, value int) {
	t.Helper()
	dir := filepath.Join(filepath.Dir(e.StacksDir), "baseline")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The example baseline (newEnv's), with the quota declared.
	example, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "..", "baseline", "Pulumi.tokyo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("%s  tenantkit-baseline:quotas:\n    %s: %d\n", example, name, value)
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.tokyo.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	e.BaselineDir = dir
}

// A tenant that would take the region past a quota is refused before
// anything is written, naming the quota and how to raise it; the raised
// value declared in the baseline lets it in.
func TestOnboardingWithinQuotas(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	// The default VPC and three tenants: one more fits the 5 VPCs, two not.
	if code := e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy")); code != cli.ExitOK {
		t.Fatalf("the fourth tenant: exit %d %s", code, e.err)
	}
	code := e.Onboard(context.Background(), onboardArgs("stark", "--no-deploy"))
	if code != cli.ExitFail || !strings.Contains(e.err.String(), `quota "VPCs per Region"`) || !strings.Contains(e.err.String(), "Service Quotas") {
		t.Fatalf("the fifth tenant: exit %d %s, want the VPC quota named", code, e.err)
	}
	if _, err := os.Stat(stackfile.Path(e.StacksDir, "stark")); err == nil {
		t.Error("a refused tenant's stack file was written")
	}
	raiseQuota(t, e, "VPCs per Region", 10)
	if code := e.Onboard(context.Background(), onboardArgs("stark", "--no-deploy")); code != cli.ExitOK {
		t.Errorf("with the quota raised: exit %d %s", code, e.err)
	}
}

// #23 item 2: main is the one source of truth. `due --record-only` writes
// the day's steps into the stack files with their evidence and deploys
// nothing (the workflow commits that to main first); applying a recorded
// step deploys it without recording it again, so the evidence reads
// recorded, then done.
func TestRecordThenApply(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	suspended(t, e, "globex", "2026-11-20") // deletion due (deadline 2026-12-20)
	cancelled(t, e, "initech", "2026-12-09")
	e.dep.notReady = errors.New("no Pulumi CLI here") // recording needs none
	if code := e.Offboard(context.Background(), []string{"due", "--record-only", "--yes"}); code != cli.ExitOK {
		t.Fatalf("due --record-only: exit %d %s", code, e.err)
	}
	if len(e.dep.calls) != 0 {
		t.Fatalf("recording deployed: %v", e.dep.calls)
	}
	if s := e.stack(t, "initech").Lifecycle.State; s != config.StateSuspended {
		t.Errorf("initech recorded as %s, want suspended", s)
	}
	g := e.stack(t, "globex")
	if g.Lifecycle.State != config.StateDeleting || g.KeyDeletionWindowDays == 0 {
		t.Errorf("globex recorded as %s window %d, want deleting with its key window", g.Lifecycle.State, g.KeyDeletionWindowDays)
	}
	if s := e.stack(t, "acme").Lifecycle.State; s != config.StateActive {
		t.Errorf("acme, with nothing due, became %s", s)
	}
	// A second record the same day finds the steps recorded: nothing is
	// due for initech (suspended, deletion not yet), globex's deletion is
	// recorded already and not written twice.
	before := snapshot(t, filepath.Dir(e.StacksDir))
	if code := e.Offboard(context.Background(), []string{"due", "--record-only", "--yes"}); code != cli.ExitOK {
		t.Fatalf("second record: exit %d %s", code, e.err)
	}
	if after := snapshot(t, filepath.Dir(e.StacksDir)); !maps.Equal(before, after) {
		t.Error("recording the same day twice changed the files")
	}

	e.dep.notReady = nil
	for _, c := range [][]string{{"suspend", "initech", "--yes"}, {"delete", "globex", "--yes"}} {
		if code := e.Offboard(context.Background(), c); code != cli.ExitOK {
			t.Fatalf("apply %v: exit %d %s", c, code, e.err)
		}
	}
	if want := []string{"preview initech", "up initech", "preview globex", "up globex", "destroy globex", "remove globex"}; !slices.Equal(e.dep.calls, want) {
		t.Errorf("apply calls %v, want %v", e.dep.calls, want)
	}
	for tenant, want := range map[string][]string{"initech": {"suspend", "suspend"}, "globex": {"delete", "deleted"}} {
		ev, err := lifecycle.ReadEvidence(e.EvidenceDir, tenant)
		if err != nil {
			t.Fatal(err)
		}
		var steps, summaries []string
		for _, en := range ev.Entries {
			if strings.HasSuffix(en.Summary, "(test)") {
				continue // the suspended() helper's own
			}
			steps = append(steps, string(en.Step))
			summaries = append(summaries, en.Summary)
		}
		if !slices.Equal(steps, want) {
			t.Errorf("%s evidence %v (%q), want %v: recorded once, then applied", tenant, steps, summaries, want)
		}
		if len(summaries) > 0 && !strings.Contains(summaries[0], "recorded") {
			t.Errorf("%s: the first entry does not say it was recorded ahead of the deploy: %q", tenant, summaries)
		}
	}
	if s := e.stack(t, "globex").Lifecycle.State; s != config.StateDeleted {
		t.Errorf("globex after the delete: %s", s)
	}
	// --record-only is the daily job's alone.
	if code := e.Offboard(context.Background(), []string{"suspend", "acme", "--record-only"}); code != cli.ExitBadInput {
		t.Errorf("suspend --record-only: exit %d, want %d", code, cli.ExitBadInput)
	}
}

// at moves the env's clock to noon JST of a day.
func (e *env) at(t *testing.T, day string) {
	t.Helper()
	now, err := time.Parse(time.RFC3339, day+"T12:00:00+09:00")
	if err != nil {
		t.Fatal(err)
	}
	e.Now = func() time.Time { return now }
}

// #33 item 1: a step recorded on main whose deploy never ran (it failed,
// timed out, waited for an approval, was cancelled) stays due, and is
// said, every day until it is applied; it was "nothing due" from the next
// day on.
func TestRecordedStepStaysDueUntilApplied(t *testing.T) {
	e := newEnv(t, "2026-12-07")
	if code := e.Offboard(context.Background(), []string{"globex", "--cancelled-on", "2026-12-06"}); code != cli.ExitOK {
		t.Fatalf("cancel: exit %d %s", code, e.err)
	}
	if code := e.Offboard(context.Background(), []string{"due", "--record-only", "--yes"}); code != cli.ExitOK {
		t.Fatalf("record: exit %d %s", code, e.err)
	}
	// The apply job never ran: the account still runs globex active.
	for _, day := range []string{"2026-12-08", "2026-12-09", "2026-12-20"} {
		e.at(t, day)
		e.err.Reset()
		e.out.Reset()
		code := e.Offboard(context.Background(), []string{"due", "--dry-run"})
		if code == cli.ExitOK || !strings.Contains(e.err.String(), "globex: suspend recorded on 2026-12-07") || !strings.Contains(e.out.String(), "globex: suspension due") {
			t.Errorf("%s: due --dry-run exit %d\nstdout %s\nstderr %s", day, code, e.out, e.err)
		}
	}
	// The next run applies it, from the deployed outputs; the day after,
	// nothing is due for globex.
	e.at(t, "2026-12-21")
	if code := e.Offboard(context.Background(), []string{"due", "--yes"}); code != cli.ExitFail {
		t.Errorf("applied late: exit %d, want 1 (the suspension day was missed) %s", code, e.err)
	}
	if e.dep.deployed["globex"] != config.StateSuspended {
		t.Fatalf("globex deployed %q after the apply", e.dep.deployed["globex"])
	}
	e.at(t, "2026-12-22")
	e.err.Reset()
	e.out.Reset()
	if code := e.Offboard(context.Background(), []string{"due", "--dry-run"}); strings.Contains(e.err.String(), "globex: suspend recorded") {
		t.Errorf("applied, still said unapplied: exit %d %s", code, e.err)
	}
	ev, _ := lifecycle.ReadEvidence(e.EvidenceDir, "globex")
	var phases []string
	for _, en := range ev.Entries {
		if p, ok := en.Details["phase"].(string); ok {
			phases = append(phases, string(en.Step)+" "+p)
		}
	}
	if !slices.Equal(phases, []string{"suspend recorded", "suspend applied"}) {
		t.Errorf("evidence phases %v, want the suspension recorded, then applied", phases)
	}
}

// #33 item 1 (reproduction 3): the stack file edited back to active while
// the preview ran: up deploys the edited file, and the evidence must not
// say "suspended". The step stays due.
func TestAppliedOnlyAsDeployed(t *testing.T) {
	e := newEnv(t, "2026-12-07")
	cancelled(t, e, "globex", "2026-12-06")
	var recorded []byte
	e.dep.duringPreview = func() {
		recorded, _ = os.ReadFile(stackfile.Path(e.StacksDir, "globex"))
		cfg := e.stack(t, "globex")
		cfg.Lifecycle.State = config.StateActive
		if _, _, err := stackfile.Write(e.StacksDir, cfg); err != nil {
			t.Error(err)
		}
	}
	code := e.Offboard(context.Background(), []string{"suspend", "globex", "--yes"})
	if code != cli.ExitFail || !strings.Contains(e.err.String(), "did not suspend") {
		t.Errorf("exit %d %s", code, e.err)
	}
	ev, _ := lifecycle.ReadEvidence(e.EvidenceDir, "globex")
	for _, en := range ev.Entries {
		if en.Details["phase"] == lifecycle.PhaseApplied {
			t.Errorf("evidence says applied: %+v", en)
		}
	}
	// The recovery docs/operations.md gives: main's stack file back (git
	// checkout origin/main -- stacks/Pulumi.globex.yaml), suspend again.
	e.dep.duringPreview = nil
	if err := os.WriteFile(stackfile.Path(e.StacksDir, "globex"), recorded, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := e.Offboard(context.Background(), []string{"suspend", "globex", "--yes"}); code != cli.ExitOK {
		t.Fatalf("suspend after the recovery: exit %d %s", code, e.err)
	}
	ev, _ = lifecycle.ReadEvidence(e.EvidenceDir, "globex")
	if last := ev.Entries[len(ev.Entries)-1]; last.Details["phase"] != lifecycle.PhaseApplied {
		t.Errorf("after the recovery: %+v", last)
	}
}

// #33 item 3: suspend and delete act on a stack the backend holds, never
// build one: a tenant never deployed (or a backend that is not the
// fleet's) is refused before anything deploys.
func TestOnlyDeployedStacksOffboarded(t *testing.T) {
	e := newEnv(t, "2026-12-07")
	if code := e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy")); code != cli.ExitOK {
		t.Fatalf("onboard: exit %d %s", code, e.err)
	}
	e.dep.absent = map[string]bool{"umbrella": true}
	e.at(t, "2026-12-09")
	if code := e.Offboard(context.Background(), []string{"umbrella", "--cancelled-on", "2026-12-08"}); code != cli.ExitOK {
		t.Fatalf("cancel: exit %d %s", code, e.err)
	}
	e.dep.calls = nil
	for _, c := range [][]string{{"suspend", "umbrella", "--yes"}, {"delete", "umbrella", "--yes", "--force"}} {
		e.err.Reset()
		if code := e.Offboard(context.Background(), c); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "the backend holds no stack umbrella") {
			t.Errorf("%v: exit %d %s", c, code, e.err)
		}
	}
	if len(e.dep.calls) != 0 {
		t.Errorf("deployed anyway: %v", e.dep.calls)
	}
}

// #33 item 2: one tenant's missed deadline is said (exit 1) and never
// holds back another's step: both are recorded in the one run.
func TestOneMissedDeadlineHoldsBackNoOne(t *testing.T) {
	e := newEnv(t, "2026-12-07")
	cancelled(t, e, "globex", "2026-12-02") // suspension missed (due 12-03)
	cancelled(t, e, "initech", "2026-12-06")
	code := e.Offboard(context.Background(), []string{"due", "--record-only", "--yes"})
	if code != cli.ExitFail || !strings.Contains(e.err.String(), "DEADLINE MISSED: tenant globex") {
		t.Errorf("exit %d %s", code, e.err)
	}
	for _, n := range []string{"globex", "initech"} {
		if s := e.stack(t, n).Lifecycle.State; s != config.StateSuspended {
			t.Errorf("%s recorded as %s, want suspended", n, s)
		}
	}
}

// #35 items 1 and 2: onboarding writes the fleet's defaults from the
// baseline (the pipelines' roles) and the stack's secrets provider with a
// data key made once; every Pulumi step refuses a stack file without them.
func TestOnboardWritesTheFleetsDefaults(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	ctx := context.Background()
	if code := e.Onboard(ctx, onboardArgs("umbrella", "--no-deploy")); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, e.err)
	}
	cfg := e.stack(t, "umbrella")
	if !slices.Equal(cfg.DeployerPrincipalArns, []string{"arn:aws:iam::123456789012:role/tenantkit-pipeline/tenantkit-deploy"}) ||
		!slices.Equal(cfg.RefreshPrincipalArns, []string{"arn:aws:iam::123456789012:role/tenantkit-pipeline/tenantkit-drift"}) {
		t.Errorf("deployers %v, refreshers %v: want the baseline's", cfg.DeployerPrincipalArns, cfg.RefreshPrincipalArns)
	}
	path := stackfile.Path(e.StacksDir, "umbrella")
	want := stackfile.Secrets{Provider: "awskms://alias/tenantkit-state?region=ap-northeast-1", EncryptedKey: "data-key-1-under-alias-tenantkit-state"}
	if got, err := stackfile.ReadSecrets(path); err != nil || got != want {
		t.Errorf("secrets %+v, %v; want %+v", got, err, want)
	}
	if p, err := e.SecretsProvider("umbrella"); err != nil || p != want.Provider {
		t.Errorf("the provider a deploy uses: %q, %v", p, err)
	}
	// Again: the same file, no new data key (a new one would re-key the
	// stack's config on every run).
	before := e.bytes(t, "umbrella")
	if code := e.Onboard(ctx, onboardArgs("umbrella", "--no-deploy")); code != cli.ExitOK {
		t.Fatalf("again: exit %d: %s", code, e.err)
	}
	if e.bytes(t, "umbrella") != before || len(e.dataKeys) != 1 {
		t.Errorf("onboarding again rewrote the file or made another key (%v)", e.dataKeys)
	}
	// A stack file without the provider (the examples, never onboarded
	// here) is refused by every Pulumi step, naming the fix.
	if _, err := e.SecretsProvider("acme"); err == nil || !strings.Contains(err.Error(), "tenantctl onboard") {
		t.Errorf("acme without a secrets provider: %v", err)
	}
	// Named on the command line: the operator's choice, not the default.
	raiseQuota(t, e, "VPCs per Region", 10)
	if code := e.Onboard(ctx, onboardArgs("stark", "--no-deploy", "--deployer-principals", "arn:aws:iam::123456789012:role/ci/other")); code != cli.ExitOK {
		t.Fatalf("stark: exit %d: %s", code, e.err)
	}
	if d := e.stack(t, "stark").DeployerPrincipalArns; !slices.Equal(d, []string{"arn:aws:iam::123456789012:role/ci/other"}) {
		t.Errorf("stark's deployers %v", d)
	}
}

// KMS refusing the data key leaves nothing behind; a baseline without the
// pipelines' roles leaves a stack WP-17's plan rule fails.
func TestOnboardRefusedBeforeWriting(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	e.DataKey = func(context.Context, config.SecretsProvider) (string, error) {
		return "", errors.New("AccessDeniedException: not authorized to perform kms:Encrypt")
	}
	code := e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy"))
	if code != cli.ExitBadInput || !strings.Contains(e.err.String(), "kms:Encrypt on that key") || !strings.Contains(e.err.String(), "nothing was written") {
		t.Errorf("exit %d: %s", code, e.err)
	}
	if _, err := os.Stat(stackfile.Path(e.StacksDir, "umbrella")); err == nil {
		t.Error("a stack file was written without its data key")
	}
	bare := filepath.Join(t.TempDir(), "Pulumi.tokyo.yaml")
	if err := os.WriteFile(bare, []byte("config:\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e = newEnv(t, "2026-11-25")
	e.BaselineDir = filepath.Dir(bare)
	code = e.Onboard(context.Background(), onboardArgs("umbrella", "--no-deploy"))
	if code == cli.ExitOK || !strings.Contains(e.err.String(), "WP-17") {
		t.Errorf("no pipelines' roles anywhere: exit %d: %s", code, e.err)
	}
	if !strings.Contains(e.out.String(), "declares no stateSecretsProvider") {
		t.Errorf("no word of the missing secrets provider: %s", e.out)
	}
}
