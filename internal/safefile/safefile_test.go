package safefile

import (
	"errors"
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

// A save that lands between a writer's read and its rename (#22 item 5) is
// found: Update writes nothing and says so, and the save stays.
func TestUpdateNeverWritesOverAnEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Pulumi.acme.yaml")
	if err := os.WriteFile(path, []byte("read\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	BeforeRename = func(p string) { _ = os.WriteFile(p, []byte("saved by an editor\n"), 0o644) }
	t.Cleanup(func() { BeforeRename = nil })
	if err := Update(path, []byte("read\n"), []byte("tenantctl's\n"), 0o644); !errors.Is(err, ErrChanged) {
		t.Errorf("Update over an edit: %v, want ErrChanged", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "saved by an editor\n" {
		t.Errorf("file holds %q: the edit was lost", b)
	}
	// A file created meanwhile where none was read is not replaced either.
	fresh := filepath.Join(filepath.Dir(path), "new.yaml")
	if err := Update(fresh, nil, []byte("tenantctl's\n"), 0o644); !errors.Is(err, ErrChanged) {
		t.Errorf("Update over a file created meanwhile: %v, want ErrChanged", err)
	}
	BeforeRename = nil
	if err := Update(path, []byte("saved by an editor\n"), []byte("tenantctl's\n"), 0o644); err != nil {
		t.Errorf("Update of an unchanged file: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
}

// A rewrite keeps the file's permissions (#22 item 7): 0600 stays 0600
// whatever mode the caller passes for a new file.
func TestRewritesKeepPermissions(t *testing.T) {
	dir := t.TempDir()
	for _, perm := range []os.FileMode{0o600, 0o640, 0o644} {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte("a"), perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, perm); err != nil { // past the umask
			t.Fatal(err)
		}
		if err := Write(path, []byte("b"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Update(path, []byte("b"), []byte("c"), 0o644); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != perm {
			t.Errorf("a %o file became %o", perm, fi.Mode().Perm())
		}
	}
	path := filepath.Join(dir, "new")
	if err := Write(path, []byte("a"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("a new file got %o, want 600", fi.Mode().Perm())
	}
}
