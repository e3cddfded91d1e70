package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// stackFiles are every stack file of both projects.
func stackFiles(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, dir := range []string{RepoRoot(), filepath.Join(RepoRoot(), "baseline")} {
		stacksDir := dir
		if dir == RepoRoot() {
			stacksDir = filepath.Join(dir, "stacks")
		}
		names, err := stackfile.List(stacksDir)
		if err != nil || len(names) == 0 {
			t.Fatalf("%s: no stack files (%v)", stacksDir, err)
		}
		out[dir] = names
	}
	return out
}

// Every stack file in stacks/ and baseline/ passes the validation `pulumi
// preview/up` runs before anything else, with Pulumi's own loaders: no
// required key missing, every value of its declared type. So does a
// stack file that `tenantctl onboard` writes.
func TestPulumiAcceptsEveryStackFile(t *testing.T) {
	for dir, names := range stackFiles(t) {
		for _, name := range names {
			t.Run(filepath.Base(dir)+"/"+name, func(t *testing.T) {
				if _, _, err := LoadStack(t, dir, name); err != nil {
					t.Fatalf("pulumi would refuse stack %s: %v", name, err)
				}
			})
		}
	}
}

// The check itself can fail: a stack that leaves out a required key, or
// gives a value of the wrong type, is refused by Pulumi's validation.
func TestPulumiRefusesBrokenStacks(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(RepoRoot(), "stacks", "Pulumi.acme.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(string) string{
		"missing-required": func(s string) string {
			return strings.Replace(s, "  tenantkit:vpcCidr: 10.16.0.0/20\n", "", 1)
		},
		"wrong-type": func(s string) string { return s + "  tenantkit:appPort: eighty\n" },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			project, err := os.ReadFile(filepath.Join(RepoRoot(), "Pulumi.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			must(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644))
			must(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "stacks", "Pulumi.acme.yaml"), []byte(edit(string(src))), 0o644))
			if _, _, err := LoadStack(t, dir, "acme"); err == nil {
				t.Fatal("Pulumi accepted the broken stack; the validation test proves nothing")
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
