package ops_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/safefile"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// The reproductions of #13, each through the commands as an operator runs
// them; none may change a byte it should not.

// unchanged fails the test if anything under the environment's root
// changed, but for the lock files a refused real run may create (dry runs
// create none: TestOnboardDryRunWritesNothing and TestDryRunsWriteNothing
// compare everything).
func (e *env) unchanged(t *testing.T, before map[string]string, what string, locksAllowed bool) {
	t.Helper()
	after := snapshot(t, filepath.Dir(e.StacksDir))
	for k := range after {
		if _, ok := before[k]; !ok && filepath.Base(k) == ".tenantctl.lock" && locksAllowed {
			delete(after, k)
		}
	}
	if !maps.Equal(before, after) {
		var diff []string
		for k, v := range after {
			if old, ok := before[k]; !ok || old != v {
				diff = append(diff, k)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				diff = append(diff, k+" (removed)")
			}
		}
		slices.Sort(diff)
		t.Errorf("%s changed files: %v", what, diff)
	}
}

// Item 1: a stack whose file name and tenantId differ is refused by every
// command, and the other tenant's file is never touched.
func TestMismatchedStackRefused(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	b, _ := os.ReadFile(stackfile.Path(e.StacksDir, "acme"))
	os.WriteFile(stackfile.Path(e.StacksDir, "bar"), b, 0o644)
	before := snapshot(t, filepath.Dir(e.StacksDir))
	ctx := context.Background()
	for _, args := range [][]string{
		{"bar", "--cancelled-on", "2026-11-25"},
		{"suspend", "bar", "--yes"},
		{"delete", "bar", "--yes", "--force"},
		{"suspend", "bar", "--dry-run"},
	} {
		e.err.Reset()
		if code := e.Offboard(ctx, args); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "Pulumi.bar.yaml holds tenantId \"acme\"") {
			t.Errorf("offboard %v: exit %d %s", args, code, e.err)
		}
	}
	e.unchanged(t, before, "offboard of a mismatched stack", true)
	e.out.Reset()
	e.err.Reset()
	if code := e.List(nil); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "Pulumi.bar.yaml") || !strings.Contains(e.out.String(), "acme") {
		t.Errorf("list: exit %d, stderr %s, stdout %s", code, e.err, e.out)
	}
}

// Item 2: a tenant argument that is a path is refused before it becomes
// one; nothing is read from or written to outside the directories.
func TestPathArgumentsRefused(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	root := filepath.Dir(e.StacksDir)
	b, _ := os.ReadFile(stackfile.Path(e.StacksDir, "acme"))
	os.WriteFile(filepath.Join(root, "Pulumi.evil.yaml"), b, 0o644)
	before := snapshot(t, root)
	ctx := context.Background()
	for _, arg := range []string{"x/../../../evil", "../Pulumi.evil", "x/../acme", "..", "acme/"} {
		for _, args := range [][]string{{arg, "--cancelled-on", "2026-11-25"}, {"suspend", arg, "--yes"}, {"delete", arg, "--dry-run", "--force"}} {
			if code := e.Offboard(ctx, args); code != cli.ExitBadInput {
				t.Errorf("offboard %v: exit %d", args, code)
			}
		}
		if code := e.Onboard(ctx, onboardArgs(arg, "--no-deploy")); code != cli.ExitBadInput {
			t.Errorf("onboard %q: exit %d", arg, code)
		}
	}
	e.unchanged(t, before, "path arguments", true)
}

// Item 3 (in-process half; the process half is in cmd/tenantctl): dry runs
// of every step write nothing at all.
func TestDryRunsWriteNothing(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	suspended(t, e, "globex", "2026-11-20")
	if code := e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-24"}); code != cli.ExitOK {
		t.Fatal(e.err)
	}
	before := snapshot(t, filepath.Dir(e.StacksDir))
	ctx := context.Background()
	for _, args := range [][]string{
		{"suspend", "acme", "--dry-run"},
		{"delete", "acme", "--dry-run", "--force"},
		{"delete", "globex", "--dry-run"},
		{"initech", "--cancelled-on", "2026-11-25", "--dry-run"},
		{"acme", "--correct-cancelled-on", "2026-11-23", "--reason", "typo", "--dry-run"},
		{"due", "--dry-run", "--today", "2026-12-30"},
	} {
		e.err.Reset()
		code := e.Offboard(ctx, args)
		if code != cli.ExitOK && code != cli.ExitFail { // due may report a missed deadline
			t.Errorf("%v: exit %d %s", args, code, e.err)
		}
	}
	e.unchanged(t, before, "dry runs", false)
	if len(e.dep.calls) != 0 {
		t.Errorf("dry runs deployed: %v", e.dep.calls)
	}
}

// Item 5 through the commands: recording a cancellation keeps Pulumi's
// keys, foreign keys and comments.
func TestCancelKeepsPulumiKeys(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	path := stackfile.Path(e.StacksDir, "acme")
	b, _ := os.ReadFile(path)
	pulumiKeys := "secretsprovider: passphrase\nencryptionsalt: v1:c2FsdA==:v1:AAAA:BBBB\n"
	text := pulumiKeys + strings.Replace(string(b), "config:\n", "config:\n  aws:skipMetadataApiCheck: false # keep\n  other:secret:\n    secure: v1:AAAABBBB\n", 1)
	os.WriteFile(path, []byte(text), 0o644)
	if code := e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-25"}); code != cli.ExitOK {
		t.Fatalf("exit %d %s", code, e.err)
	}
	after, _ := os.ReadFile(path)
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.Contains(string(after), line+"\n") {
			t.Errorf("lost %q:\n%s", line, after)
		}
	}
	if e.stack(t, "acme").Lifecycle.CancelledOn != "2026-11-25" {
		t.Error("cancellation not recorded")
	}
}

// Item 6: lifecycle evidence and verify reports are kept apart: a file
// that is not the tenant's record is never written over, and the step
// changes nothing.
func TestEvidenceNeverWritesOverOtherFiles(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	os.MkdirAll(e.EvidenceDir, 0o755)
	report := `{"schema":"tenantkit.verify/v1","tenant":"acme","status":"PASS"}`
	os.WriteFile(filepath.Join(e.EvidenceDir, "acme.json"), []byte(report), 0o644)
	before := snapshot(t, filepath.Dir(e.StacksDir))
	if code := e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-25"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "not tenant acme's lifecycle evidence") {
		t.Errorf("exit %d %s", code, e.err)
	}
	e.unchanged(t, before, "a step whose evidence file is a verify report", true)
}

// Item 7: with evidence that cannot be written, the stack is not changed.
func TestNoChangeWithoutEvidence(t *testing.T) {
	for name, prepare := range map[string]func(t *testing.T, e *env){
		"truncated record": func(t *testing.T, e *env) {
			os.MkdirAll(e.EvidenceDir, 0o755)
			os.WriteFile(filepath.Join(e.EvidenceDir, "acme.json"), []byte(`{"schema":"tenantkit.evidence/v1","ten`), 0o644)
		},
		"unwritable directory": func(t *testing.T, e *env) {
			if os.Geteuid() == 0 {
				t.Skip("root writes anywhere")
			}
			os.MkdirAll(e.EvidenceDir, 0o755)
			os.Chmod(e.EvidenceDir, 0o555)
			t.Cleanup(func() { os.Chmod(e.EvidenceDir, 0o755) })
		},
		"a file where the directory should be": func(t *testing.T, e *env) {
			os.WriteFile(e.EvidenceDir, []byte("x"), 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, "2026-11-25")
			prepare(t, e)
			before := snapshot(t, filepath.Dir(e.StacksDir))
			code := e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-25"})
			if code != cli.ExitBadInput || !strings.Contains(e.err.String(), "nothing was changed") {
				t.Errorf("exit %d %s", code, e.err)
			}
			e.unchanged(t, before, "a step without evidence", true)
		})
	}
}

// Item 9: a future --today is refused for real runs; a past one is
// recorded as simulated, with the real clock.
func TestTodayIsNeverTheFutureForRealRuns(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	suspended(t, e, "globex", "2026-11-20")
	before := snapshot(t, filepath.Dir(e.StacksDir))
	if code := e.Offboard(context.Background(), []string{"due", "--today", "2026-12-30", "--yes"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "after today") {
		t.Errorf("future --today: exit %d %s", code, e.err)
	}
	e.unchanged(t, before, "a refused future --today", true)
	if len(e.dep.calls) != 0 {
		t.Errorf("deployed: %v", e.dep.calls)
	}
	if code := e.Offboard(context.Background(), []string{"initech", "--cancelled-on", "2026-12-05", "--today", "2026-12-06"}); code != cli.ExitOK {
		t.Fatalf("backfill: exit %d %s", code, e.err)
	}
	ev, err := lifecycle.ReadEvidence(e.EvidenceDir, "initech")
	if err != nil {
		t.Fatal(err)
	}
	last := ev.Entries[len(ev.Entries)-1]
	if last.SimulatedDay != "2026-12-06" || !strings.HasPrefix(last.AtJST, "2026-12-10") {
		t.Errorf("backfilled entry %+v: want simulatedDay 2026-12-06 and the real time", last)
	}
}

// Item 10: command words are not tenants, and flags a subcommand does not
// take are refused rather than ignored.
func TestCommandWordsAreNotTenants(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	suspended(t, e, "globex", "2026-11-20") // deletion due: a silent `due` would destroy it
	before := snapshot(t, filepath.Dir(e.StacksDir))
	for _, args := range [][]string{
		{"due", "--cancelled-on", "2026-12-09", "--yes"},
		{"suspend", "--cancelled-on", "2026-12-09"},
		{"suspend", "globex", "--force"},
	} {
		e.err.Reset()
		if code := e.Offboard(context.Background(), args); code != cli.ExitBadInput {
			t.Errorf("offboard %v: exit %d %s", args, code, e.err)
		}
	}
	if code := e.Onboard(context.Background(), onboardArgs("due", "--no-deploy")); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "reserved") {
		t.Errorf("onboard due: exit %d %s", code, e.err)
	}
	e.unchanged(t, before, "command words", true)
	if len(e.dep.calls) != 0 {
		t.Errorf("deployed: %v", e.dep.calls)
	}
}

// Item 11: a cancellation date long past, or before the onboarding, is
// refused; a mistaken one is corrected with its reason in the evidence.
func TestCancellationDateBoundsAndCorrection(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	ctx := context.Background()
	if code := e.Offboard(ctx, []string{"acme", "--cancelled-on", "1999-01-01"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "deadline") {
		t.Errorf("1999: exit %d %s", code, e.err)
	}
	if code := e.Onboard(ctx, onboardArgs("umbrella", "--no-deploy")); code != cli.ExitOK {
		t.Fatal(e.err)
	}
	e.err.Reset()
	if code := e.Offboard(ctx, []string{"umbrella", "--cancelled-on", "2026-11-20"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "before the tenant was onboarded") {
		t.Errorf("before onboarding: exit %d %s", code, e.err)
	}
	if code := e.Offboard(ctx, []string{"acme", "--cancelled-on", "2026-11-02"}); code != cli.ExitOK {
		t.Fatal(e.err)
	}
	e.err.Reset()
	if code := e.Offboard(ctx, []string{"acme", "--correct-cancelled-on", "2026-11-22"}); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "--reason") {
		t.Errorf("correction without a reason: exit %d %s", code, e.err)
	}
	if code := e.Offboard(ctx, []string{"acme", "--correct-cancelled-on", "2026-11-22", "--reason", "ticket said 11-22; typed 11-02"}); code != cli.ExitOK {
		t.Fatalf("correction: exit %d %s", code, e.err)
	}
	if l := e.stack(t, "acme").Lifecycle; l.CancelledOn != "2026-11-22" || l.DeleteBy != "2026-12-22" {
		t.Errorf("after correction: %+v", l)
	}
	ev, _ := lifecycle.ReadEvidence(e.EvidenceDir, "acme")
	last := ev.Entries[len(ev.Entries)-1]
	if last.Step != lifecycle.StepCorrect || last.Details["previousCancelledOn"] != "2026-11-02" || last.Details["reason"] == nil {
		t.Errorf("correction evidence %+v", last)
	}
}

// Item 16: one bad file in the stacks directory is reported; the daily
// job handles the others and says so in its exit code.
func TestBadStackFilesIsolated(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	suspended(t, e, "globex", "2026-11-20")
	os.Mkdir(filepath.Join(e.StacksDir, "Pulumi.adir.yaml"), 0o755)
	os.Symlink("/nonexistent", filepath.Join(e.StacksDir, "Pulumi.dangling.yaml"))
	os.WriteFile(filepath.Join(e.StacksDir, "Pulumi.broken.yaml"), []byte("config: [\n"), 0o644)
	code := e.Offboard(context.Background(), []string{"due", "--yes"})
	if code != cli.ExitBadInput || e.stack(t, "globex").Lifecycle.State != "deleted" {
		t.Errorf("due: exit %d (want 2 after handling globex), globex %s: %s", code, e.stack(t, "globex").Lifecycle.State, e.err)
	}
	for _, n := range []string{"adir", "dangling", "broken"} {
		if !strings.Contains(e.err.String(), "Pulumi."+n+".yaml") {
			t.Errorf("%s not reported: %s", n, e.err)
		}
	}
}

// #14 A6: `offboard due` reports how far it is when given a terminal, and
// nothing of the kind otherwise.
func TestDueProgress(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	var progress strings.Builder
	e.Progress = &progress
	if code := e.Offboard(context.Background(), []string{"due", "--dry-run"}); code != cli.ExitOK {
		t.Fatalf("exit %d %s", code, e.err)
	}
	if n := strings.Count(progress.String(), "offboard due: "); n != 3 || !strings.Contains(progress.String(), "3/3 initech") {
		t.Errorf("progress:\n%s", progress.String())
	}
	if strings.Contains(e.out.String()+e.err.String(), "offboard due: 1/3") {
		t.Error("progress went to the regular output")
	}
}

// A stack whose range cannot be read blocks allocation: onboarding never
// hands out a range that an unreadable neighbour may hold.
func TestAllocationBlockedByAnUnreadableRange(t *testing.T) {
	for name, spoil := range map[string]string{
		"a YAML error mid-edit":    "config:\n  tenantkit:tenantId: acme\n  tenantkit:vpcCidr: [10.16.0.0/20\n",
		"a secret value":           "config:\n  tenantkit:tenantId: acme\n  tenantkit:vpcCidr:\n    secure: AAABAG==\n",
		"a range that is no range": "config:\n  tenantkit:tenantId: acme\n  tenantkit:vpcCidr: .nan\n",
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, "2026-11-25")
			if err := os.WriteFile(stackfile.Path(e.StacksDir, "acme"), []byte(spoil), 0o644); err != nil {
				t.Fatal(err)
			}
			code := e.Onboard(context.Background(), onboardArgs("newco", "--no-deploy"))
			if code != cli.ExitBadInput || !strings.Contains(e.err.String(), "Pulumi.acme.yaml") {
				t.Errorf("exit %d %s, want 2 naming acme's file", code, e.err)
			}
			if _, err := os.Stat(stackfile.Path(e.StacksDir, "newco")); err == nil {
				t.Error("newco was allocated a range")
			}
		})
	}
}

// When recording the evidence fails after the stack file was written, the
// file is put back with its bytes and its permissions (#22 item 7: a 0600
// file came back 0644).
func TestPutBackKeepsPermissions(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	path := stackfile.Path(e.StacksDir, "acme")
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	// Between the stack's write and the record's: something that is not
	// acme's record takes its place, so Append refuses to write over it.
	safefile.BeforeRename = func(p string) {
		if p == path {
			_ = os.MkdirAll(e.EvidenceDir, 0o755)
			_ = os.WriteFile(lifecycle.EvidencePath(e.EvidenceDir, "acme"), []byte(`{"schema":"someone-else/v1"}`), 0o644)
		}
	}
	t.Cleanup(func() { safefile.BeforeRename = nil })
	if code := e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-25"}); code == cli.ExitOK || !strings.Contains(e.err.String(), "put back") {
		t.Fatalf("exit %d: %s", code, e.err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(before) {
		t.Errorf("stack file not put back:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("put back as %o, want 600", fi.Mode().Perm())
	}
}

// An overdue offboarding is loud (#23 item 6): recording a cancellation
// whose suspension is already late warns at once, and list fails.
func TestOverdueOffboardingIsLoud(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	if code := e.Offboard(context.Background(), []string{"acme", "--cancelled-on", "2026-11-18"}); code != cli.ExitOK || !strings.Contains(e.err.String(), "DEADLINE MISSED: tenant acme: suspension was due on 2026-11-19") {
		t.Errorf("a late cancellation date: exit %d, stderr %s", code, e.err)
	}
	e.err.Reset()
	if code := e.List(nil); code != cli.ExitFail || !strings.Contains(e.err.String(), "DEADLINE MISSED: tenant acme") {
		t.Errorf("list with a missed deadline: exit %d, stderr %s", code, e.err)
	}
}
