package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The concurrency and interrupt reproductions of #13 as real processes: the
// built tenantctl, run many at once, killed with SIGKILL and SIGINT. A real
// suspension needs a deployer; for that one the test binary runs itself in
// helper mode, the same main with a deployer that blocks until interrupted.

var binary string

func TestMain(m *testing.M) {
	if os.Getenv("TENANTCTL_TEST_HELPER") == "slow-deploy" {
		f := newFactory(os.Stdout, os.Stderr)
		f.deployer = func(io.Writer) deploy.Deployer { return slowDeployer{} }
		os.Exit(run(os.Args[1:], f))
	}
	dir, err := os.MkdirTemp("", "tenantctl-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "tenantctl")
	if out, err := exec.Command("go", append(append([]string{"build"}, clock.BuildFlags()...), "-o", binary, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build tenantctl: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// slowDeployer previews until the command is asked to stop, then behaves
// as Pulumi does: the operations in flight take TENANTCTL_TEST_INFLIGHT to
// finish (0 by default) and the preview ends interrupted with a clean
// state; cancelling the context (the second signal) abandons them, and
// the state is left holding a pending create.
type slowDeployer struct{}

func (slowDeployer) Ready() error { return nil }
func (slowDeployer) Preview(ctx context.Context, stack string) (map[string]int, error) {
	select {
	case <-ctx.Done():
	case <-deploy.StopSignal(ctx):
	case <-time.After(time.Minute):
		return map[string]int{}, nil
	}
	inflight, _ := time.ParseDuration(os.Getenv("TENANTCTL_TEST_INFLIGHT"))
	select {
	case <-ctx.Done():
		return nil, &deploy.Interrupted{Op: "preview", Stack: stack, Abandoned: true, Err: ctx.Err(),
			Pending: []deploy.Pending{{Op: "creating", Type: "aws:ec2/vpc:Vpc", URN: "urn:pulumi:" + stack + "::tenantkit::aws:ec2/vpc:Vpc::" + stack + "-vpc"}}}
	case <-time.After(inflight):
		return nil, &deploy.Interrupted{Op: "preview", Stack: stack, Err: errors.New("update canceled")}
	}
}
func (slowDeployer) Up(context.Context, string) (map[string]any, error) { return map[string]any{}, nil }
func (slowDeployer) Destroy(context.Context, string) error              { return nil }
func (slowDeployer) Remove(context.Context, string) error               { return nil }
func (slowDeployer) DeployedState(context.Context, string) (deploy.State, error) {
	return deploy.State{Exists: true, Lifecycle: "active"}, nil
}

// workspace copies the example stacks into a fresh directory.
func workspace(t *testing.T) (root, stacks, evidence string) {
	t.Helper()
	root = t.TempDir()
	stacks, evidence = filepath.Join(root, "stacks"), filepath.Join(root, "evidence")
	os.MkdirAll(stacks, 0o755)
	for _, n := range testkit.ExampleTenants(t) {
		b, _ := os.ReadFile(stackfile.Path(testkit.StacksDir(), n))
		os.WriteFile(stackfile.Path(stacks, n), b, 0o644)
	}
	fleetBaseline(t, filepath.Join(root, "baseline"))
	return root, stacks, evidence
}

// fleetBaseline writes a baseline stack with the fleet's pipeline roles
// and no secrets provider (these tests reach no KMS; ops's and the
// journey's tests make the data key).
func fleetBaseline(t *testing.T, dir string) {
	t.Helper()
	body := `config:
  tenantkit-baseline:operationsEmails: ["ops-rota@example.co.jp"]
  tenantkit-baseline:tenantDeployerPrincipalArns: ["arn:aws:iam::123456789012:role/tenantkit-pipeline/tenantkit-deploy"]
  tenantkit-baseline:tenantRefreshPrincipalArns: ["arn:aws:iam::123456789012:role/tenantkit-pipeline/tenantkit-drift"]
`
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.tokyo.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func files(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}

func today() string { return clock.Now().In(lifecycle.JST).Format(time.DateOnly) }

func tenantctl(stacks, evidence string, args ...string) *exec.Cmd {
	return exec.Command(binary, append(args, "--stacks-dir", stacks, "--evidence-dir", evidence, "--baseline-dir", filepath.Join(filepath.Dir(stacks), "baseline"))...)
}

// Item 4: eight onboardings of one tenant at once keep eight evidence
// entries, and the stack file is whole.
func TestConcurrentOnboardsKeepEveryEntry(t *testing.T) {
	_, stacks, evidence := workspace(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	outs := make([][]byte, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := tenantctl(stacks, evidence, "onboard", "umbrella", "--no-deploy", "--ingress-cidrs", "198.51.100.0/24", "--alert-emails", "secops@example.co.jp",
				"--certificate-arn", "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("onboarding %d: %v\n%s", i, err, outs[i])
		}
	}
	ev, err := lifecycle.ReadEvidence(evidence, "umbrella")
	if err != nil || len(ev.Entries) != 8 {
		t.Fatalf("evidence: %d entries, want 8 (%v)", len(ev.Entries), err)
	}
	if _, _, err := stackfile.Load(stacks, "umbrella"); err != nil {
		t.Fatal(err)
	}
}

// Item 3: dry runs at the same time, one killed with SIGKILL and one
// interrupted with SIGINT, leave every file as it was.
func TestDryRunsUnderConcurrencyAndSignals(t *testing.T) {
	root, stacks, evidence := workspace(t)
	if out, err := tenantctl(stacks, evidence, "offboard", "acme", "--cancelled-on", today()).CombinedOutput(); err != nil {
		t.Fatalf("cancel: %v\n%s", err, out)
	}
	before := files(t, root)
	var cmds []*exec.Cmd
	for _, args := range [][]string{
		{"offboard", "suspend", "acme", "--dry-run"},
		{"offboard", "suspend", "acme", "--dry-run"},
		{"offboard", "delete", "acme", "--dry-run", "--force"},
		{"offboard", "suspend", "acme", "--dry-run"},           // killed
		{"offboard", "delete", "acme", "--dry-run", "--force"}, // interrupted
	} {
		cmd := tenantctl(stacks, evidence, args...)
		cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	time.Sleep(100 * time.Millisecond)
	cmds[3].Process.Signal(syscall.SIGKILL)
	cmds[4].Process.Signal(syscall.SIGINT)
	for i, c := range cmds {
		err := c.Wait()
		if i < 3 && err != nil {
			t.Errorf("dry run %d: %v\n%s", i, err, c.Stderr)
		}
	}
	if after := files(t, root); !maps.Equal(before, after) {
		for k, v := range after {
			if before[k] != v {
				t.Errorf("changed: %s", k)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				t.Errorf("removed: %s", k)
			}
		}
	}
}

// interruptedSuspension starts a real suspension of acme in helper mode
// (the slow deployer) and signals it once it is deploying; each signal
// waits for the one before to be heard.
func interruptedSuspension(t *testing.T, inflight string, signals int) (stacks, evidence string, code int, out string) {
	t.Helper()
	_, stacks, evidence = workspace(t)
	if out, err := tenantctl(stacks, evidence, "offboard", "acme", "--cancelled-on", today()).CombinedOutput(); err != nil {
		t.Fatalf("cancel: %v\n%s", err, out)
	}
	self, _ := os.Executable()
	cmd := exec.Command(self, "offboard", "suspend", "acme", "--yes", "--stacks-dir", stacks, "--evidence-dir", evidence)
	cmd.Env = append(os.Environ(), "TENANTCTL_TEST_HELPER=slow-deploy", "TENANTCTL_TEST_INFLIGHT="+inflight)
	var buf testkit.SyncBuffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitOut := func(what string) {
		for deadline := time.Now().Add(time.Minute); !strings.Contains(buf.String(), what); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("never saw %q:\n%s", what, buf.String())
			}
		}
	}
	waitOut("suspended in the stack file")
	cmd.Process.Signal(syscall.SIGINT)
	if signals > 1 {
		waitOut("tenantctl: stopping")
		cmd.Process.Signal(syscall.SIGINT)
	}
	err := cmd.Wait()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return stacks, evidence, code, buf.String()
}

// #33 item 5: one SIGINT during the deploy lets the operations in flight
// finish (here 3 s) and stops: the stack file and its evidence agree, the
// evidence says interrupted (not FAILED), exit 3, and the suspension stays
// due, said by offboard due.
func TestInterruptedRealRunKeepsStackAndEvidenceTogether(t *testing.T) {
	stacks, evidence, code, out := interruptedSuspension(t, "3s", 1)
	if code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, out)
	}
	cfg, _, err := stackfile.Load(stacks, "acme")
	if err != nil || cfg.Lifecycle.State != "suspended" {
		t.Fatalf("stack after the interrupt: %v %v", cfg, err)
	}
	ev, err := lifecycle.ReadEvidence(evidence, "acme")
	if err != nil || len(ev.Entries) != 3 {
		t.Fatalf("evidence %v %v", ev, err)
	}
	last := ev.Entries[2]
	if !strings.Contains(ev.Entries[1].Summary, "stack set to suspended") || !strings.Contains(last.Summary, "interrupted") || strings.Contains(last.Summary, "FAILED") {
		t.Errorf("evidence of the interrupted step: %s | %s", ev.Entries[1].Summary, last.Summary)
	}
	if last.Details["phase"] != lifecycle.PhaseInterrupted || last.Details["recovery"] != nil {
		t.Errorf("a graceful stop with a clean state: %v", last.Details)
	}
	due := tenantctl(stacks, evidence, "offboard", "due", "--dry-run")
	b, err := due.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(b), "not applied") {
		t.Errorf("the interrupted suspension is not due: %v\n%s", err, b)
	}
}

// A second signal abandons the operations in flight: the evidence names
// the pending operations and the recovery commands, in order.
func TestSecondSignalAbandonsAndNamesTheRecovery(t *testing.T) {
	_, evidence, code, out := interruptedSuspension(t, "1m", 2)
	if code != 3 || !strings.Contains(out, "abandoning") || !strings.Contains(out, "pulumi cancel --stack acme --yes") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	ev, err := lifecycle.ReadEvidence(evidence, "acme")
	if err != nil || len(ev.Entries) != 3 {
		t.Fatalf("evidence %v %v", ev, err)
	}
	d := ev.Entries[2].Details
	rec, _ := d["recovery"].([]any)
	if d["phase"] != lifecycle.PhaseInterrupted || len(rec) < 3 || rec[0] != "pulumi cancel --stack acme --yes" || d["pendingOperations"] == nil {
		t.Errorf("evidence of the abandoned step: %v", d)
	}
}

// SIGKILL at any moment of a real step leaves a stack file and an evidence
// record that read back whole: the writes are atomic.
func TestKillNeverLeavesAHalfWrittenFile(t *testing.T) {
	_, stacks, evidence := workspace(t)
	for i := range 20 {
		cmd := tenantctl(stacks, evidence, "offboard", "acme", "--cancelled-on", today())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if _, _, err := stackfile.Load(stacks, "acme"); err != nil {
			t.Fatalf("iteration %d: the stack file does not read: %v", i, err)
		}
		if _, err := lifecycle.ReadEvidence(evidence, "acme"); err != nil && !os.IsNotExist(err) {
			t.Fatalf("iteration %d: the evidence does not read: %v", i, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(stacks, ".*.tmp")); len(left) > 0 {
		t.Logf("temporary files a kill left behind (harmless, never read): %v", left)
	}
}
