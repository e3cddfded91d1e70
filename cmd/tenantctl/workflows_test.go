package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/ops"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// #14 B: the operators' workflows are linted by actionlint (a linter
// written by others, v1.7.12), and the matrix they consume is what
// tenantctl really prints.

func repo() string { return filepath.Join(testkit.StacksDir(), "..") }

// actionlint runs as its own module (go run ...@v1.7.12), with its own
// dependency versions: built into this module, the go.yaml.in/yaml/v4 that
// Pulumi's dependencies select does not compile with it.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

func TestWorkflowsLint(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repo(), ".github", "workflows", "*.yml"))
	if len(files) < 4 {
		t.Fatalf("%d workflows, want pull request, deploy, nightly and offboarding", len(files))
	}
	args := []string{"run", actionlint, "-format", "{{json .}}"}
	if _, err := exec.LookPath("shellcheck"); err != nil {
		args = append(args, "-shellcheck=") // where it is installed, the run: scripts are checked too
	}
	cmd := exec.Command("go", append(args, files...)...)
	cmd.Dir = repo()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var found []struct {
		Message  string `json:"message"`
		Filepath string `json:"filepath"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Kind     string `json:"kind"`
	}
	if jerr := json.Unmarshal(bytes.TrimSpace(out), &found); jerr != nil && len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("actionlint output %q: %v", out, jerr)
	}
	known := 0
	for _, e := range found {
		// concurrency's queue (queue: max, up to 100 pending jobs per
		// group) is GitHub's since 2026-05 (GitHub changelog 2026-05-07,
		// "GitHub Actions concurrency groups now allow larger queues";
		// docs: "Control the concurrency of workflows and jobs"); the
		// newest actionlint, v1.7.12, does not know the key yet. Only that
		// finding is set aside, on a concurrency section.
		if e.Kind == "syntax-check" && e.Message == `unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"` {
			known++
			continue
		}
		t.Errorf("%s:%d:%d: %s [%s]", filepath.Base(e.Filepath), e.Line, e.Column, e.Message, e.Kind)
	}
	if ee, ok := err.(*exec.ExitError); ok && len(found) == known && known == 0 {
		t.Fatalf("actionlint failed (exit %d) without findings: %s", ee.ExitCode(), stderr.String())
	} else if err != nil && !ok {
		t.Fatal(err)
	}
}

// Every matrix.<key> a workflow reads is a key of tenantctl's matrix
// output, and every matrix comes from scripts/changed-stacks.sh, which
// reads `tenantctl list --format matrix`.
func TestWorkflowMatrixIsTenantctls(t *testing.T) {
	// The tenants' matrix, the cells' (list --format cells), and the
	// script's shard of a ring by cell (a tenants' matrix as a string).
	keys := map[string]bool{"shard": true}
	for _, typ := range []reflect.Type{reflect.TypeOf(ops.MatrixEntry{}), reflect.TypeOf(ops.CellEntry{})} {
		for _, f := range reflect.VisibleFields(typ) {
			keys[strings.Split(f.Tag.Get("json"), ",")[0]] = true
		}
	}
	files, _ := filepath.Glob(filepath.Join(repo(), ".github", "workflows", "*.yml"))
	used := regexp.MustCompile(`(?:^|[^.\w])matrix\.([A-Za-z_-]+)`)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if !keys[m[1]] {
				t.Errorf("%s reads matrix.%s, which tenantctl list --format matrix does not print", filepath.Base(f), m[1])
			}
		}
		// A called workflow takes its matrix from its caller, whose comes
		// from the script (deploy-ring.yml from deploy.yml's rings).
		if strings.Contains(string(b), "fromJSON(") && !strings.Contains(string(b), "scripts/changed-stacks.sh") && !strings.Contains(string(b), "fromJSON(inputs.matrix)") {
			t.Errorf("%s builds a matrix without scripts/changed-stacks.sh", filepath.Base(f))
		}
	}
	script, _ := os.ReadFile(filepath.Join(repo(), "scripts", "changed-stacks.sh"))
	if !strings.Contains(string(script), `list --format "$1"`) || !strings.Contains(string(script), `$(list_as matrix)`) || !strings.Contains(string(script), `$(list_as cells)`) || !strings.Contains(string(script), `shard: `) {
		t.Error("scripts/changed-stacks.sh does not read tenantctl list --format matrix and --format cells, or shards no ring by cell")
	}
}

// scripts/changed-stacks.sh on a real git history, with the built tenantctl:
// a stack file change is that tenant (and the baseline); a component change
// is every tenant; a deleted tenant never is.
func TestChangedStacks(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq not installed (GitHub's runners have it)")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	os.MkdirAll(filepath.Join(dir, "stacks"), 0o755)
	os.MkdirAll(filepath.Join(dir, "components"), 0o755)
	for _, n := range testkit.ExampleTenants(t) {
		b, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi."+n+".yaml"))
		os.WriteFile(filepath.Join(dir, "stacks", "Pulumi."+n+".yaml"), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "components", "x.go"), []byte("package x\n"), 0o644)
	// Two cells: the examples' tokyo, and tokyo-b, with no tenant yet.
	os.MkdirAll(filepath.Join(dir, "baseline"), 0o755)
	example, _ := os.ReadFile(filepath.Join(repo(), "baseline", "Pulumi.tokyo.yaml"))
	os.WriteFile(filepath.Join(dir, "baseline", "Pulumi.tokyo.yaml"), example, 0o644)
	os.WriteFile(filepath.Join(dir, "baseline", "Pulumi.tokyo-b.yaml"), []byte(strings.Replace(string(example), "123456789012", "222233334444", 1)), 0o644)
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "base")
	rings := map[string]map[string][]ops.MatrixEntry{}
	shards := map[string]map[string]map[string][]ops.MatrixEntry{} // ringNcells → cell → its tenants' matrix
	var baselines []string                                         // the cells whose baseline deploys
	changed := func(base string) (matrix map[string][]ops.MatrixEntry, baseline string) {
		t.Helper()
		clear(rings)
		clear(shards)
		baselines = nil
		cmd := exec.Command(filepath.Join(repo(), "scripts", "changed-stacks.sh"), base)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TENANTCTL="+binary)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("changed-stacks.sh: %v", err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(line, "matrix="); ok {
				if err := json.Unmarshal([]byte(v), &matrix); err != nil {
					t.Fatalf("matrix %q: %v", v, err)
				}
			}
			if v, ok := strings.CutPrefix(line, "baseline="); ok {
				baseline = v
			}
			if v, ok := strings.CutPrefix(line, "baselines="); ok {
				var m map[string][]ops.MatrixEntry
				if err := json.Unmarshal([]byte(v), &m); err != nil {
					t.Fatalf("baselines %q: %v", v, err)
				}
				for _, e := range m["include"] {
					baselines = append(baselines, e.Cell)
				}
			}
			for _, r := range []string{"ring0cells", "ring1cells", "ring2cells"} {
				if v, ok := strings.CutPrefix(line, r+"="); ok {
					var m map[string][]struct {
						Cell  string `json:"cell"`
						Shard string `json:"shard"`
					}
					if err := json.Unmarshal([]byte(v), &m); err != nil {
						t.Fatalf("%s %q: %v", r, v, err)
					}
					shards[r] = map[string]map[string][]ops.MatrixEntry{}
					for _, e := range m["include"] {
						var tenants map[string][]ops.MatrixEntry
						if err := json.Unmarshal([]byte(e.Shard), &tenants); err != nil {
							t.Fatalf("%s's shard of %s %q: %v", r, e.Cell, e.Shard, err)
						}
						shards[r][e.Cell] = tenants
					}
				}
			}
			for _, r := range []string{"ring0", "ring1", "ring2"} {
				if v, ok := strings.CutPrefix(line, r+"="); ok {
					var m map[string][]ops.MatrixEntry
					if err := json.Unmarshal([]byte(v), &m); err != nil {
						t.Fatalf("%s %q: %v", r, v, err)
					}
					rings[r] = m
				}
			}
		}
		return
	}
	tenantsOf := func(m map[string][]ops.MatrixEntry) []string {
		var out []string
		for _, e := range m["include"] {
			out = append(out, e.Tenant)
		}
		slices.Sort(out)
		return out
	}
	// One tenant's stack file.
	b, _ := os.ReadFile(filepath.Join(dir, "stacks", "Pulumi.globex.yaml"))
	os.WriteFile(filepath.Join(dir, "stacks", "Pulumi.globex.yaml"), append(b, []byte("  tenantkit:noncurrentVersionDays: 60\n")...), 0o644)
	git("commit", "-q", "-am", "globex")
	if m, base := changed("HEAD~1"); !slices.Equal(tenantsOf(m), []string{"globex"}) || base != "true" || !slices.Equal(baselines, []string{"tokyo"}) {
		t.Errorf("a stack change: %v baseline %s of cells %v, want globex and its cell tokyo's baseline", tenantsOf(m), base, baselines)
	}
	// #38 item 5: one cell's baseline stack: that cell's baseline alone,
	// and no tenant.
	b, _ = os.ReadFile(filepath.Join(dir, "baseline", "Pulumi.tokyo-b.yaml"))
	os.WriteFile(filepath.Join(dir, "baseline", "Pulumi.tokyo-b.yaml"), append(b, []byte("  tenantkit-baseline:capacity: 10\n")...), 0o644)
	git("commit", "-q", "-am", "tokyo-b")
	if m, base := changed("HEAD~1"); len(tenantsOf(m)) != 0 || base != "true" || !slices.Equal(baselines, []string{"tokyo-b"}) {
		t.Errorf("a change of tokyo-b's baseline: tenants %v, baseline %s of cells %v; want no tenant and tokyo-b's baseline", tenantsOf(m), base, baselines)
	}
	// A component: everyone, by ring: globex a canary (ring 0), the
	// others in the default ring 1, no one in ring 2.
	b, _ = os.ReadFile(filepath.Join(dir, "stacks", "Pulumi.globex.yaml"))
	os.WriteFile(filepath.Join(dir, "stacks", "Pulumi.globex.yaml"), append(b, []byte("  tenantkit:ring: 0\n")...), 0o644)
	os.WriteFile(filepath.Join(dir, "components", "x.go"), []byte("package x // changed\n"), 0o644)
	git("commit", "-q", "-am", "component")
	if m, base := changed("HEAD~1"); !slices.Equal(tenantsOf(m), testkit.ExampleTenants(t)) || base != "true" || !slices.Equal(baselines, []string{"tokyo", "tokyo-b"}) {
		t.Errorf("a component change: %v baseline %s of cells %v", tenantsOf(m), base, baselines)
	}
	if r0, r1, r2 := tenantsOf(rings["ring0"]), tenantsOf(rings["ring1"]), tenantsOf(rings["ring2"]); !slices.Equal(r0, []string{"globex"}) || !slices.Equal(r1, []string{"acme", "initech"}) || len(r2) != 0 {
		t.Errorf("the rings: %v %v %v", r0, r1, r2)
	}
	// Each ring sharded by cell: one call of deploy-ring.yml per cell,
	// each with its cell's tenants alone.
	if got := shards["ring1cells"]; len(got) != 1 || got["tokyo"] == nil || !slices.Equal(tenantsOf(got["tokyo"]), []string{"acme", "initech"}) {
		t.Errorf("ring 1 by cell: %v", got)
	}
	if got := shards["ring2cells"]; len(got) != 0 {
		t.Errorf("ring 2 by cell, with no tenant in it: %v", got)
	}
	// What runs Pulumi for every stack (a workflow, a script, the pinned
	// CLI): everyone, in this run (#35 item 5).
	for _, f := range []string{".github/workflows/deploy.yml", "scripts/plan-stack.sh", "tools/pulumi/go.mod"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte("changed\n"), 0o644)
		git("add", ".")
		git("commit", "-q", "-m", f)
		if m, base := changed("HEAD~1"); !slices.Equal(tenantsOf(m), testkit.ExampleTenants(t)) || base != "true" {
			t.Errorf("a change of %s: %v baseline %s", f, tenantsOf(m), base)
		}
	}
	// Nothing relevant: nobody.
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("x\n"), 0o644)
	git("add", ".")
	git("commit", "-q", "-m", "docs")
	if m, base := changed("HEAD~1"); len(tenantsOf(m)) != 0 || base != "false" {
		t.Errorf("a README change: %v baseline %s", tenantsOf(m), base)
	}
	// A schedule (no base): everyone.
	if m, _ := changed(""); len(tenantsOf(m)) != len(testkit.ExampleTenants(t)) {
		t.Errorf("no base: %v", tenantsOf(m))
	}
	// --due: the tenants whose offboarding step is due today, alone.
	if m, base := changed("--due"); len(tenantsOf(m)) != 0 || base != "false" {
		t.Errorf("--due with nobody cancelled: %v baseline %s", tenantsOf(m), base)
	}
	yesterday := clock.Now().In(config.JST).AddDate(0, 0, -1).Format("2006-01-02")
	cancel := exec.Command(binary, "offboard", "globex", "--cancelled-on", yesterday, "--stacks-dir", filepath.Join(dir, "stacks"), "--evidence-dir", filepath.Join(dir, "evidence"))
	if out, err := cancel.CombinedOutput(); err != nil {
		t.Fatalf("offboard globex: %v\n%s", err, out)
	}
	if m, _ := changed("--due"); !slices.Equal(tenantsOf(m), []string{"globex"}) || m["include"][0].Due != "suspend" {
		t.Errorf("--due with globex cancelled yesterday: %+v", m)
	}
	// A missed deadline (list exits 1) still gives the whole matrix: the
	// run that acts on it goes on.
	weekAgo := clock.Now().In(config.JST).AddDate(0, 0, -7).Format("2006-01-02")
	late := exec.Command(binary, "offboard", "initech", "--cancelled-on", weekAgo, "--stacks-dir", filepath.Join(dir, "stacks"), "--evidence-dir", filepath.Join(dir, "evidence"))
	if out, err := late.CombinedOutput(); err != nil || !strings.Contains(string(out), "DEADLINE MISSED") {
		t.Fatalf("offboard initech a week late: %v\n%s", err, out)
	}
	if m, _ := changed("--due"); !slices.Equal(tenantsOf(m), []string{"globex", "initech"}) {
		t.Errorf("--due with a missed deadline: %+v", m)
	}
	if m, _ := changed(""); len(tenantsOf(m)) != len(testkit.ExampleTenants(t)) {
		t.Errorf("no base, a missed deadline: %v", tenantsOf(m))
	}
}
