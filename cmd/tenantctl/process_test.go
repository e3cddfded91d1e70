package main

import (
	"bytes"
	"context"
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

// slowDeployer previews until the command is interrupted.
type slowDeployer struct{}

func (slowDeployer) Ready() error { return nil }
func (slowDeployer) Preview(ctx context.Context, _ string) (map[string]int, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(time.Minute):
		return map[string]int{}, nil
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
	return root, stacks, evidence
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
	return exec.Command(binary, append(args, "--stacks-dir", stacks, "--evidence-dir", evidence)...)
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

// Item 3, real runs: SIGINT during the deploy leaves the stack file and
// its evidence consistent: the step written and recorded, the interrupted
// deploy recorded, exit 1.
func TestInterruptedRealRunKeepsStackAndEvidenceTogether(t *testing.T) {
	_, stacks, evidence := workspace(t)
	if out, err := tenantctl(stacks, evidence, "offboard", "acme", "--cancelled-on", today()).CombinedOutput(); err != nil {
		t.Fatalf("cancel: %v\n%s", err, out)
	}
	self, _ := os.Executable()
	cmd := exec.Command(self, "offboard", "suspend", "acme", "--yes", "--stacks-dir", stacks, "--evidence-dir", evidence)
	cmd.Env = append(os.Environ(), "TENANTCTL_TEST_HELPER=slow-deploy")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), "suspended in the stack file") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the suspension never reached its deploy:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1:\n%s", err, out.String())
	}
	cfg, _, err := stackfile.Load(stacks, "acme")
	if err != nil || cfg.Lifecycle.State != "suspended" {
		t.Fatalf("stack after the interrupt: %v %v", cfg, err)
	}
	ev, err := lifecycle.ReadEvidence(evidence, "acme")
	if err != nil || len(ev.Entries) != 3 {
		t.Fatalf("evidence %v %v", ev, err)
	}
	if got := ev.Entries[1].Summary + " | " + ev.Entries[2].Summary; !strings.Contains(got, "stack set to suspended") || !strings.Contains(got, "FAILED") {
		t.Errorf("evidence of the interrupted step: %s", got)
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
