package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPlanTextShowsMatrix(t *testing.T) {
	code, out, _ := run("--stacks-dir", testkit.StacksDir(), "acme")
	if code != ExitOK {
		t.Fatalf("exit %d: the example tenant must pass every mandatory control", code)
	}
	for _, want := range []string{"Tenant acme", "tenantkit:network:Network", "WP-20.1", "CONTROL"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
}

func TestPlanJSONParsesAndExitMatches(t *testing.T) {
	code, out, _ := run("--stacks-dir", testkit.StacksDir(), "--format", "json", "acme")
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON does not parse: %v", err)
	}
	if rep.Schema != Schema || rep.Tenant != "acme" || len(rep.Resources) == 0 || len(rep.Controls) == 0 {
		t.Fatalf("report incomplete: %+v", rep)
	}
	failed := false
	for _, c := range rep.Controls {
		if c.Status == catalog.Fail && c.Severity == catalog.Mandatory {
			failed = true
		}
	}
	if failed != (code == ExitFail) {
		t.Errorf("exit %d with mandatory failure %v", code, failed)
	}
}

// Breaking a protective property in a stack flips its control to FAIL and
// the exit code to 1.
func TestBrokenStackFailsPlan(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	os.WriteFile(filepath.Join(dir, "Pulumi.acme.yaml"), b, 0o644)
	// globex's range inside acme's: WP-31 must fail.
	os.WriteFile(filepath.Join(dir, "Pulumi.globex.yaml"), []byte(strings.Replace(strings.Replace(string(b), "10.16.0.0/20", "10.16.4.0/22", 1), "tenantId: acme", "tenantId: globex", 1)), 0o644)
	code, out, _ := run("--stacks-dir", dir, "--format", "json", "acme")
	if code != ExitFail {
		t.Fatalf("exit %d, want 1", code)
	}
	var rep Report
	json.Unmarshal([]byte(out), &rep)
	for _, c := range rep.Controls {
		if c.ID == "WP-31" && c.Status != catalog.Fail {
			t.Errorf("WP-31 %s, want FAIL", c.Status)
		}
	}
}

func TestPlanBadInput(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Pulumi.broken.yaml"), []byte("config:\n  tenantkit:tenantId: broken\n  tenantkit:vpcCidr: 8.8.8.0/24\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--stacks-dir", dir, "nobody"}, "unknown tenant"},
		{[]string{"--stacks-dir", dir, "broken"}, "tenantkit:vpcCidr"},
		{[]string{"--stacks-dir", dir, "--format", "xml", "broken"}, "--format"},
		{[]string{"--stacks-dir", dir}, "name a tenant"},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		code, _, errs := run(tc.args...)
		if code != ExitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestPlanAll(t *testing.T) {
	_, out, _ := run("--stacks-dir", testkit.StacksDir(), "--all", "--format", "json")
	var fleet FleetPlan
	if err := json.Unmarshal([]byte(out), &fleet); err != nil || len(fleet.Stacks) < 3 || fleet.Status != "PASS" || !strings.HasPrefix(fleet.Verdict, "Verdict: PASS") {
		t.Fatalf("--all: %d reports, status %q, verdict %q, %v", len(fleet.Stacks), fleet.Status, fleet.Verdict, err)
	}
}

func BenchmarkPlanOneTenant(b *testing.B) {
	for b.Loop() {
		if _, err := Tenant(testkit.StacksDir(), "acme", policy.TodayJST()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlanAllExamples(b *testing.B) {
	for b.Loop() {
		for _, n := range []string{"acme", "globex", "initech"} {
			if _, err := Tenant(testkit.StacksDir(), n, policy.TodayJST()); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// generate writes n valid tenant stacks with disjoint /23 ranges (the
// smallest VPC config accepts).
func generate(b *testing.B, n int) string {
	dir := b.TempDir()
	src, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("gen%03d", i)
		s := strings.Replace(string(src), "tenantId: acme", "tenantId: "+name, 1)
		s = strings.Replace(s, "10.16.0.0/20", fmt.Sprintf("10.%d.%d.0/23", 20+i/128, 2*(i%128)), 1)
		if err := os.WriteFile(filepath.Join(dir, "Pulumi."+name+".yaml"), []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkPlanFleet plans every stack of fleets of 10 and 100 generated
// tenants; ns/op divided by the fleet size is the cost per tenant.
func BenchmarkPlanFleet(b *testing.B) {
	for _, n := range []int{10, 100} {
		dir := generate(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var names []string
			for i := 0; i < n; i++ {
				names = append(names, fmt.Sprintf("gen%03d", i))
			}
			for b.Loop() {
				reports, errs, err := Fleet(dir, names, policy.TodayJST())
				// Every stack planned: a refused stack would time the error path.
				if err != nil || len(errs) > 0 || len(reports) != n {
					b.Fatalf("%d of %d planned: %v %v", len(reports), n, err, errs)
				}
			}
		})
	}
}

// The account baseline plans clean, in baseline mode; a broken baseline
// file is bad input.
func TestPlanBaseline(t *testing.T) {
	dir := filepath.Join(testkit.StacksDir(), "..", "baseline")
	code, out, errs := run("--stacks-dir", testkit.StacksDir(), "--baseline-dir", dir, "--baseline", "tokyo", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Tenant != "baseline/tokyo" {
		t.Fatalf("json: %v %+v", err, rep)
	}
	for _, c := range rep.Controls {
		if (c.ID == "WP-20.3" || c.ID == "WP-30" || c.ID == "WP-15") && c.Status != catalog.Pass {
			t.Errorf("%s: %s", c.ID, c.Status)
		}
	}
	if code, _, _ := run("--baseline-dir", dir, "--baseline", "nosuch"); code != ExitBadInput {
		t.Errorf("unknown baseline stack: exit %d", code)
	}
}

// The file name is the tenant (#13 item 1): a copy of acme's stack saved
// as bar is refused, not planned as acme's resources.
func TestPlanRefusesMismatchedStack(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	os.WriteFile(filepath.Join(dir, "Pulumi.bar.yaml"), b, 0o644)
	code, out, errs := run("--stacks-dir", dir, "bar")
	if code != ExitBadInput || !strings.Contains(errs, `holds tenantId "acme"`) || strings.Contains(out, "acme-") {
		t.Errorf("exit %d, stderr %q, stdout %.200q", code, errs, out)
	}
	for _, arg := range []string{"../Pulumi.bar", "x/../../bar", "due"} {
		if code, _, _ := run("--stacks-dir", dir, arg); code != ExitBadInput {
			t.Errorf("%q: exit %d", arg, code)
		}
	}
}

// One bad file beside the stack is reported; the stack is planned all the
// same and the exit code says something was skipped (#13 item 16).
func TestPlanGoesOnPastBadNeighbours(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	os.WriteFile(filepath.Join(dir, "Pulumi.acme.yaml"), b, 0o644)
	os.Mkdir(filepath.Join(dir, "Pulumi.adir.yaml"), 0o755)
	os.Symlink("/nonexistent", filepath.Join(dir, "Pulumi.dangling.yaml"))
	os.WriteFile(filepath.Join(dir, "Pulumi.huge.yaml"), bytes.Repeat([]byte("#"), 2<<20), 0o644)
	code, out, errs := run("--stacks-dir", dir, "acme")
	if code != ExitBadInput || !strings.Contains(out, "Tenant acme") {
		t.Errorf("exit %d (want 2), acme planned: %v", code, strings.Contains(out, "Tenant acme"))
	}
	for _, n := range []string{"adir", "dangling", "huge"} {
		if !strings.Contains(errs, "Pulumi."+n+".yaml") {
			t.Errorf("%s not reported: %s", n, errs)
		}
	}
}

// The fleet plan counts the region's tenants against its quotas: one
// tenant too many fails it, naming the quota; the raised value declared in
// the baseline lets the fleet through.
func TestFleetPlanCountsQuotas(t *testing.T) {
	dir := t.TempDir()
	for _, n := range testkit.ExampleTenants(t) {
		b, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi."+n+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "Pulumi."+n+".yaml"), b, 0o644)
	}
	acme, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	for i, cidr := range []string{"10.100.0.0/20", "10.101.0.0/20"} {
		n := fmt.Sprintf("extra%d", i)
		body := strings.ReplaceAll(string(acme), "tenantkit:tenantId: acme", "tenantkit:tenantId: "+n)
		body = strings.ReplaceAll(body, "10.16.0.0/20", cidr)
		os.WriteFile(filepath.Join(dir, "Pulumi."+n+".yaml"), []byte(body), 0o644)
	}
	// The stacks' cell, at AWS's default quotas.
	base := t.TempDir()
	os.WriteFile(filepath.Join(base, "Pulumi.tokyo.yaml"), []byte("config:\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n"), 0o644)
	code, out, errs := run("--stacks-dir", dir, "--baseline-dir", base, "--all")
	if code != ExitFail || !strings.Contains(errs, `cell tokyo: quota "VPCs per Region"`) {
		t.Fatalf("six VPCs in the region: exit %d %s", code, errs)
	}
	// #36 item 4: every format says FAIL and names the quota, not only
	// stderr and the exit code.
	for _, format := range []string{"text", "markdown", "json"} {
		code, out, _ = run("--stacks-dir", dir, "--baseline-dir", base, "--all", "--format", format)
		if code != ExitFail || strings.Contains(out, "Verdict: PASS") || !strings.Contains(out, "Verdict: FAIL") || !strings.Contains(out, "VPCs per Region") {
			t.Errorf("%s: exit %d, the report does not say FAIL naming the quota:\n%s", format, code, tail(out))
		}
	}
	var fleet FleetPlan
	if err := json.Unmarshal([]byte(out), &fleet); err != nil || fleet.Status != "FAIL" || len(fleet.Quotas) == 0 {
		t.Errorf("json: status %q quotas %v (%v)", fleet.Status, fleet.Quotas, err)
	}
	os.WriteFile(filepath.Join(base, "Pulumi.tokyo.yaml"), []byte("config:\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n  tenantkit-baseline:quotas:\n    VPCs per Region: 10\n"), 0o644)
	if code, _, errs := run("--stacks-dir", dir, "--baseline-dir", base, "--all"); code != ExitOK || strings.Contains(errs, "quota") {
		t.Errorf("with the quota raised: exit %d %s", code, errs)
	}
}

// A §10 deadline already missed fails WP-10 in the plan (#23 item 6: an
// overdue suspension read "WP-10 N/A, Verdict: PASS").
func TestMissedDeadlineFailsTheOffboardingControl(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	cfg.Lifecycle = config.Lifecycle{State: config.StateActive, CancelledOn: "2026-11-18", SuspendOn: "2026-11-19", DeleteBy: "2026-12-18"}
	for day, want := range map[string]catalog.Status{"2026-11-18": catalog.Pass, "2026-11-25": catalog.Fail} {
		today, _ := time.Parse(time.DateOnly, day)
		r, err := ForConfig(cfg, nil, today)
		if err != nil {
			t.Fatal(err)
		}
		got := catalog.ByIDResult(r.Controls, "WP-10")
		if want == catalog.Fail && (got.Status != catalog.Fail || !strings.Contains(fmt.Sprint(got.Findings), "suspension was due on 2026-11-19")) {
			t.Errorf("on %s: WP-10 %s %+v, want FAIL naming the missed suspension", day, got.Status, got.Findings)
		}
		if want == catalog.Pass && got.Status == catalog.Fail {
			t.Errorf("on %s (cancellation day): WP-10 FAIL %+v", day, got.Findings)
		}
	}
}

func tail(s string) string {
	if len(s) > 400 {
		return "..." + s[len(s)-400:]
	}
	return s
}

// #38: quotas are counted per cell, not per region. Eight tenants in two
// cells of Tokyo, four each, fit AWS's default of 5 VPCs in each account
// (the default VPC and four); counted per region, as before cells, the
// nine VPCs failed the fleet. A ninth tenant in one cell fails that cell
// alone, naming it.
func TestFleetPlanCountsQuotasPerCell(t *testing.T) {
	dir, base := t.TempDir(), t.TempDir()
	for _, c := range []string{"cell-a", "cell-b"} {
		os.WriteFile(filepath.Join(base, "Pulumi."+c+".yaml"), []byte("config:\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n"), 0o644)
	}
	acme, _ := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	write := func(i int, cell string) {
		n := fmt.Sprintf("ten%d", i)
		body := strings.ReplaceAll(string(acme), "tenantkit:tenantId: acme", "tenantkit:tenantId: "+n)
		body = strings.ReplaceAll(body, "10.16.0.0/20", fmt.Sprintf("10.%d.0.0/20", 100+i))
		body = strings.ReplaceAll(body, "tenantkit:cell: tokyo", "tenantkit:cell: "+cell)
		os.WriteFile(filepath.Join(dir, "Pulumi."+n+".yaml"), []byte(body), 0o644)
	}
	for i := range 8 {
		write(i, []string{"cell-a", "cell-b"}[i%2])
	}
	if code, _, errs := run("--stacks-dir", dir, "--baseline-dir", base, "--all"); code != ExitOK || strings.Contains(errs, "quota") {
		t.Fatalf("four tenants in each of two cells: exit %d %s", code, errs)
	}
	write(8, "cell-a")
	code, _, errs := run("--stacks-dir", dir, "--baseline-dir", base, "--all")
	if code != ExitFail || !strings.Contains(errs, `cell cell-a: quota "VPCs per Region"`) || strings.Contains(errs, "cell cell-b: quota") {
		t.Errorf("a fifth tenant in cell-a: exit %d %s", code, errs)
	}
}
