package safefile

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The lock's holder removes the temporary files and probes a killed
// writer left, and spares a fresh one.
func TestAcquireSweepsWhatKilledWritersLeft(t *testing.T) {
	dir := t.TempDir()
	stale := []string{".Pulumi.acme.yaml.123.tmp", ".acme.json.456.tmp", ".probe-789"}
	for _, n := range append(stale, ".acme.json.999.tmp", "Pulumi.acme.yaml") {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleAfter)
	for _, n := range append(stale, "Pulumi.acme.yaml") {
		if err := os.Chtimes(filepath.Join(dir, n), old, old); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s left behind", n)
		}
	}
	for _, n := range []string{".acme.json.999.tmp", "Pulumi.acme.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
}

// Git ignores the lock, temporary files and probes wherever they are (the
// offboarding workflow commits evidence/lifecycle/ as it finds it).
func TestGitIgnoresTheToolsOwnFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", root, "rev-parse", "--is-inside-work-tree").CombinedOutput(); err != nil {
		t.Skipf("not a git checkout: %s", out)
	}
	for _, p := range []string{"evidence/lifecycle/.tenantctl.lock", "evidence/lifecycle/.acme.json.123.tmp", "evidence/lifecycle/.probe-456",
		"stacks/.tenantctl.lock", "stacks/.Pulumi.acme.yaml.789.tmp"} {
		if err := exec.Command("git", "-C", root, "check-ignore", "-q", "--no-index", p).Run(); err != nil {
			t.Errorf("git does not ignore %s", p)
		}
	}
	if err := exec.Command("git", "-C", root, "check-ignore", "-q", "--no-index", "evidence/lifecycle/acme.json").Run(); err == nil {
		t.Error("git ignores an evidence record")
	}
}
