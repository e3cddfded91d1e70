package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/exceptions"
	"github.com/tenantkit/tenantkit/internal/procevidence"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// An answer of HTTP 200 with an empty body or an HTML page (a proxy, a
// broken emulator, a captive portal) is ERROR for every check that reads
// it: no check panics on the nil fields the SDK would return, and none
// turns nothing into a finding (#13 item 13; #22 item 11: an empty 200
// gave 22 FAILs such as region "us-east-1", "rotation off", "no flow
// log").
func TestEmptyAnswersAreErrorsNotFindings(t *testing.T) {
	for name, answer := range map[string]wireHandler{
		"empty":      func(wireRequest) (int, string) { return 200, "" },
		"whitespace": func(wireRequest) (int, string) { return 200, " \n" },
		"html": func(wireRequest) (int, string) {
			return 200, "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>"
		},
	} {
		w := newWire(t)
		w.fallback = answer
		tg, _ := wireTarget(t, w)
		for _, r := range RunChecks(context.Background(), tg, Checks(), 4) {
			if r.ID == "WP-10/suspended" { // reads nothing of an active tenant
				wantStatus(t, r, catalog.NA, "")
				continue
			}
			if r.ID == "WP-11/stack-inventory" { // compares two files, reads no answer
				continue
			}
			if r.Status != catalog.Error {
				t.Errorf("%s answers: %s is %s, want ERROR: %+v", name, r.ID, r.Status, r.Observations)
			}
			for _, o := range r.Observations {
				if o.Status != catalog.Error {
					t.Errorf("%s answers: %s observes %s %q", name, r.ID, o.Status, o.Observed)
				}
			}
		}
	}
}

// The identity call meets the same guard: an empty answer is not "account
// ”" (the credentials are account 's, said the message before).
func TestEmptyIdentityAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	code, out, errOut := verifyMain(t, srv.URL, time.Minute)
	if code != cli.ExitError || !strings.Contains(errOut+out, "empty body") || strings.Contains(errOut+out, "account 's") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

// verifyMain runs `tenantctl verify` for acme against endpoint, with its
// inventory written to a file, and fails the test if it does not end
// within limit (a liveness bound, not a speed claim: the point is that it
// ends at all).
func verifyMain(t *testing.T, endpoint string, limit time.Duration, extra ...string) (int, string, string) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	_, _, inv := acme(t)
	invFile := filepath.Join(t.TempDir(), "acme-inventory.json")
	b, _ := json.Marshal(map[string]any{"inventory": inv})
	if err := os.WriteFile(invFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"acme", "--inventory", invFile, "--endpoint", endpoint, "--stacks-dir", testkit.StacksDir(), "--baseline-dir", ""}, extra...)
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- Main(context.Background(), args, &out, &errb) }()
	select {
	case code := <-done:
		return code, out.String(), errb.String()
	case <-time.After(limit):
		t.Fatalf("verify did not end within %s", limit)
		return 0, "", ""
	}
}

// An endpoint that accepts connections and never answers ends in ERROR
// (exit 3) once the deadlines run out, instead of hanging (#13 item 12).
func TestHangingEndpointEndsInError(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	code, _, stderr := verifyMain(t, srv.URL, time.Minute, "--request-timeout", "200ms", "--timeout", "2s")
	if code != cli.ExitError {
		t.Fatalf("exit %d, want 3 (ERROR): %s", code, stderr)
	}
}

// Throttling everywhere ends in ERROR within the tenant's deadline, and the
// progress lines show the work going on (#13 item 14).
func TestThrottlingIsBoundedAndShowsProgress(t *testing.T) {
	w := newWire(t)
	w.answer("sts", "GetCallerIdentity", xmlCallerIdentity("111122223333"))
	w.fallback = func(wireRequest) (int, string) {
		return 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`
	}
	code, out, stderr := verifyMain(t, w.srv.URL, 2*time.Minute, "--timeout", "3s", "--progress", "on", "--format", "json")
	if code != cli.ExitError {
		t.Fatalf("exit %d, want 3: %s", code, stderr)
	}
	if !strings.Contains(stderr, "verify acme: 1/") || !strings.Contains(stderr, fmt.Sprintf("%d/%d", len(Checks()), len(Checks()))) {
		t.Errorf("no progress lines:\n%s", stderr)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Status != "ERROR" {
		t.Errorf("report %v %v", r.Status, err)
	}
}

// Bad arguments are refused before any work: no AWS call, no file (#13
// item 15).
func TestArgumentsCheckedBeforeWork(t *testing.T) {
	w := newWire(t)
	w.fallback = func(wireRequest) (int, string) {
		t.Error("an AWS call was made before the arguments were checked")
		return 500, ""
	}
	dir := t.TempDir()
	evidence := filepath.Join(dir, "acme.json")
	os.WriteFile(evidence, []byte(`{"schema":"tenantkit.evidence/v1","tenant":"acme","entries":[]}`), 0o644)
	before, _ := os.ReadFile(evidence)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "bogus"}, "--format"},
		{[]string{"--out", filepath.Join(dir, "missing", "sub", "acme.")}, "--out"},
		{[]string{"--out", evidence}, "not a verify report"},
		{[]string{"--timeout", "0s"}, "positive"},
		{[]string{"--progress", "sometimes"}, "--progress"},
	} {
		code, _, stderr := verifyMain(t, w.srv.URL, time.Minute, c.args...)
		if code != cli.ExitBadInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want 2 naming %q", c.args, code, stderr, c.want)
		}
	}
	if after, _ := os.ReadFile(evidence); !bytes.Equal(before, after) {
		t.Error("the evidence file was written over")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a refused --out created a directory")
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"--all", "--discover", "--format", "bogus", "--out-dir", filepath.Join(dir, "reports")}, &out, &errb); code != cli.ExitBadInput {
		t.Errorf("fleet with a bad format: exit %d %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "reports")); err == nil {
		t.Error("a refused fleet run created its report directory")
	}
	if code := Main(context.Background(), []string{"../evil", "--discover"}, &out, &errb); code != cli.ExitBadInput {
		t.Errorf("a tenant that is a path: exit %d", code)
	}
}

// Reports go only where reports belong: never over a stack file, a fleet
// plan (a JSON list) or into a lifecycle directory (its lock file names
// it), and that is checked again when the report is written, since a run
// lasts up to --timeout.
func TestReportsNeverReplaceOperatorsFiles(t *testing.T) {
	w := newWire(t)
	w.fallback = func(wireRequest) (int, string) {
		t.Error("an AWS call was made before the arguments were checked")
		return 500, ""
	}
	dir := t.TempDir()
	stack := filepath.Join(dir, "Pulumi.acme.yaml")
	plan := filepath.Join(dir, "fleet-plan.json")
	lifecycleDir := filepath.Join(dir, "evidence")
	os.WriteFile(stack, []byte("config:\n  tenantkit:tenantId: acme\n"), 0o644)
	os.WriteFile(plan, []byte(`[{"schema":"tenantkit.plan/v1","tenant":"acme"}]`), 0o644)
	outputs := filepath.Join(dir, "acme-inventory.json")
	os.WriteFile(outputs, []byte(`{"inventory":{"schema":"tenantkit.inventory/v1","tenant":"acme"}}`), 0o644)
	os.MkdirAll(lifecycleDir, 0o755)
	os.WriteFile(filepath.Join(lifecycleDir, ".tenantctl.lock"), nil, 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", stack}, "stack file"},
		{[]string{"--out", plan}, "not a report tenantctl verify wrote"},
		{[]string{"--out", outputs}, "inventory"},
		{[]string{"--out", filepath.Join(lifecycleDir, "acme.md")}, "lifecycle files"},
	} {
		code, _, stderr := verifyMain(t, w.srv.URL, time.Minute, c.args...)
		if code != cli.ExitBadInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want 2 naming %q", c.args, code, stderr, c.want)
		}
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"--all", "--discover", "--out-dir", lifecycleDir}, &out, &errb); code != cli.ExitBadInput || !strings.Contains(errb.String(), "lifecycle files") {
		t.Errorf("--out-dir into the evidence records: exit %d %s", code, errb.String())
	}
	// A record that appears after the arguments were checked is not
	// written over.
	late := filepath.Join(dir, "late.json")
	os.WriteFile(late, []byte(`{"schema":"tenantkit.evidence/v1","tenant":"acme","entries":[]}`), 0o644)
	if err := writeReport(late, &Report{Schema: ReportSchema}, "json", false); err == nil {
		t.Error("a report replaced a lifecycle record written during the run")
	}
	if b, _ := os.ReadFile(late); !strings.Contains(string(b), "tenantkit.evidence/v1") {
		t.Error("the late record is gone")
	}
}

// An endpoint that never answers is said after one request timeout: the
// first call is made once, not six times over with backoff.
func TestSilentEndpointSaidAtOnce(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	code, _, stderr := verifyMain(t, srv.URL, time.Minute, "--request-timeout", "300ms", "--timeout", "1m")
	if code != cli.ExitError || !strings.Contains(stderr, "does not answer") {
		t.Errorf("exit %d %q, want 3 saying the endpoint does not answer", code, stderr)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests to a silent endpoint, want 1", n)
	}
}

// #36 item 8: --out replaces only a file verify wrote, recognised by its
// content in every format, unless --force; --force never reaches a stack
// file, an inventory or lifecycle evidence.
func TestOutReplacesOnlyOwnReports(t *testing.T) {
	cfg, w, inv := acme(t)
	tgt := w.target(cfg, inv)
	report := NewReport(tgt, RunChecks(context.Background(), tgt, Checks(), 4), time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC), &Calls{})
	dir := t.TempDir()
	for _, f := range formats {
		var buf bytes.Buffer
		if err := report.Write(&buf, f); err != nil {
			t.Fatal(err)
		}
		if !WrittenByVerify(buf.Bytes()) {
			t.Errorf("%s: a report verify wrote is not recognised:\n%.300s", f, buf.String())
		}
		path := filepath.Join(dir, "acme."+f)
		os.WriteFile(path, buf.Bytes(), 0o644)
		if err := writableReport(path, false); err != nil {
			t.Errorf("%s: replacing our own report refused: %v", f, err)
		}
	}
	var fleet bytes.Buffer
	if err := FleetHTML(&fleet, "ja", nil, "2026-12-07T10:00:00+09:00", "2026-12-07T01:00:00Z", ""); err != nil || !WrittenByVerify(fleet.Bytes()) {
		t.Errorf("the fleet page is not recognised (%v)", err)
	}
	for name, body := range map[string]string{
		"notes.md":      "# Meeting notes\n\nKeep this.\n",
		"index.html":    "<!doctype html><html><body>the team's page</body></html>",
		"budget.csv":    "item,cost\nservers,100\n",
		"readme.txt":    "tenant acme is important\n",
		"config.json":   `{"schema":"someone.else/v1"}`,
		"results.xml":   `<testsuites><testsuite name="unit"></testsuite></testsuites>`,
		"findings.json": `[{"metadata":{"product":{"name":"other"}}}]`,
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o644)
		if err := writableReport(path, false); err == nil || !strings.Contains(err.Error(), "--force") {
			t.Errorf("%s: an operator's file would be replaced without --force (%v)", name, err)
		}
		if err := writableReport(path, true); err != nil {
			t.Errorf("%s with --force: %v", name, err)
		}
	}
	stack := filepath.Join(dir, "Pulumi.acme.yaml")
	os.WriteFile(stack, []byte("config:\n  tenantkit:tenantId: acme\n"), 0o644)
	if err := writableReport(stack, true); err == nil {
		t.Error("--force replaced a stack file")
	}
}

// #36 items 1, 2: a fleet meets a broken endpoint once. Twelve tenants
// (three times the fleet's parallelism) against an endpoint that never
// answers, and one that answers STS and nothing else: the requests that
// reach it are bounded by the parallelism, not by the tenant count or each
// tenant's --timeout (an hour here; the test's liveness bound is a minute);
// every tenant ends NOT VERIFIED or ERROR, and the summary and fleet page
// are written.
func TestFleetMeetsABrokenEndpointOnce(t *testing.T) {
	for _, mode := range []string{"silent", "sts-only"} {
		t.Run(mode, func(t *testing.T) {
			var calls atomic.Int64
			srv := brokenEndpoint(t, mode, &calls)
			stacks := fleetStacks(t, 12)
			dir := t.TempDir()
			var out, errb bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- Main(context.Background(), []string{"--all", "--discover", "--endpoint", srv.URL, "--stacks-dir", stacks, "--baseline-dir", "",
					"--out-dir", dir, "--format", "json,html", "--request-timeout", "300ms", "--timeout", "1h", "--evidence-dir", t.TempDir()}, &out, &errb)
			}()
			var code int
			select {
			case code = <-done:
			case <-time.After(time.Minute):
				t.Fatal("the fleet run did not end within a minute")
			}
			if code != cli.ExitError {
				t.Errorf("exit %d, want 3\n%s\n%s", code, out.String(), errb.String())
			}
			// Silent: the tenants in flight when it first went silent each
			// sent one request. STS-only: each of those tenants also asked
			// STS once.
			if n := calls.Load(); n > 8 {
				t.Errorf("%d requests reached the endpoint for 12 tenants, want at most 8 (4 in flight, each its identity and one silent call): each tenant waited out its own timeouts", n)
			}
			if !strings.Contains(errb.String(), "asked no more") {
				t.Errorf("the summary does not say the endpoint was asked no more:\n%s", errb.String())
			}
			if _, err := os.Stat(filepath.Join(dir, FleetPage)); err != nil {
				t.Errorf("no fleet page: %v", err)
			}
		})
	}
}

// #36 item 1: past the fleet deadline no tenant begins; each is NOT
// VERIFIED naming the deadline, and the fleet page is still written.
func TestFleetDeadline(t *testing.T) {
	w := newWire(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--all", "--discover", "--endpoint", w.srv.URL, "--stacks-dir", testkit.StacksDir(), "--baseline-dir", "",
		"--out-dir", dir, "--format", "html", "--fleet-timeout", "1ns", "--evidence-dir", t.TempDir()}, &out, &errb)
	if code != cli.ExitError || !strings.Contains(errb.String(), "fleet deadline") || strings.Count(errb.String(), "before this tenant began") < len(testkit.ExampleTenants(t)) {
		t.Errorf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, FleetPage)); err != nil {
		t.Errorf("no fleet page past the deadline: %v", err)
	}
}

// brokenEndpoint never answers ("silent"), or answers STS's identity and
// nothing else ("sts-only"), counting the requests; with the example
// credentials set.
func brokenEndpoint(tb testing.TB, mode string, calls *atomic.Int64) *httptest.Server {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		if mode == "sts-only" && strings.Contains(string(body), "Action=GetCallerIdentity") {
			w.Header().Set("Content-Type", "text/xml")
			io.WriteString(w, xmlCallerIdentity("111122223333"))
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	tb.Cleanup(func() { close(release); srv.Close() })
	tb.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	tb.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	tb.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return srv
}

// fleetStacks writes n tenant stack files made from acme's, each with its
// own id and VPC range, and returns their directory.
func fleetStacks(tb testing.TB, n int) string {
	dir := tb.TempDir()
	acme, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		id := fmt.Sprintf("t%03d", i)
		body := strings.ReplaceAll(string(acme), "tenantkit:tenantId: acme", "tenantkit:tenantId: "+id)
		body = strings.ReplaceAll(body, "10.16.0.0/20", fmt.Sprintf("10.%d.%d.0/20", 16+i/16, (i%16)*16))
		if err := os.WriteFile(filepath.Join(dir, "Pulumi."+id+".yaml"), []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// #37 item 3: the NOT AWS banner follows the endpoint the SDK resolved for
// every call, not only --endpoint: an emulator named in the AWS config
// file makes the report NOT AWS too.
func TestBannerFollowsTheResolvedEndpoint(t *testing.T) {
	w := newWire(t)
	_, inv := wireTarget(t, w)
	w.answer("sts", "GetCallerIdentity", xmlCallerIdentity(inv.AccountID))
	w.fallback = func(wireRequest) (int, string) { return 400, "" } // the checks ERROR; the report is what is judged
	conf := filepath.Join(t.TempDir(), "config")
	os.WriteFile(conf, []byte("[default]\nregion = ap-northeast-1\nendpoint_url = "+w.srv.URL+"\n"), 0o644)
	t.Setenv("AWS_CONFIG_FILE", conf)
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	invFile := filepath.Join(t.TempDir(), "acme-inventory.json")
	b, _ := json.Marshal(map[string]any{"inventory": inv})
	os.WriteFile(invFile, b, 0o644)
	var out, errb bytes.Buffer
	Main(context.Background(), []string{"acme", "--inventory", invFile, "--stacks-dir", testkit.StacksDir(), "--baseline-dir", "", "--format", "json"}, &out, &errb)
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("no report: %v\n%s", err, errb.String())
	}
	if !strings.Contains(rep.Endpoint, strings.TrimPrefix(w.srv.URL, "http://")) {
		t.Errorf("a report read from %s (the config file's endpoint_url) carries no NOT AWS endpoint: %q", w.srv.URL, rep.Endpoint)
	}
	// #37 item 6: who ran it and how the resources were found.
	if !strings.HasPrefix(rep.Caller, "arn:aws:") || rep.Mode != "inventory" {
		t.Errorf("caller %q mode %q", rep.Caller, rep.Mode)
	}
}

// reportThroughMain sets up acme's verification through Main against a
// wire endpoint whose checks ERROR (the report's own parts are what is
// judged), in a copy of the example stacks; run runs it with more args.
func reportThroughMain(t *testing.T) (stacks string, run func(args ...string) (int, string, string)) {
	t.Helper()
	w := newWire(t)
	_, inv := wireTarget(t, w)
	w.answer("sts", "GetCallerIdentity", xmlCallerIdentity(inv.AccountID))
	w.fallback = func(wireRequest) (int, string) { return 400, "" }
	invFile := filepath.Join(t.TempDir(), "acme-inventory.json")
	b, _ := json.Marshal(map[string]any{"inventory": inv})
	os.WriteFile(invFile, b, 0o644)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	stacks = t.TempDir()
	for _, tenant := range testkit.ExampleTenants(t) {
		b, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi."+tenant+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stacks, "Pulumi."+tenant+".yaml"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return stacks, func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"acme", "--inventory", invFile, "--endpoint", w.srv.URL, "--stacks-dir", stacks, "--baseline-dir", "",
			"--format", "json"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
}

// #37 item 5: the provider's process evidence is on the report, each
// document with its SHA-256; a register that is not valid stops verify.
func TestProcessEvidenceOnTheReport(t *testing.T) {
	_, run := reportThroughMain(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "assessment-2026.pdf"), []byte("%PDF the assessment"), 0o644)
	reg := "documents:\n  - section: 30\n    title: Annual vulnerability assessment\n    owner: Security team\n    file: assessment-2026.pdf\n    date: 2026-10-15\n"
	os.WriteFile(filepath.Join(dir, procevidence.Register), []byte(reg), 0o644)
	_, out, errb := run("--process-evidence", dir)
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, errb)
	}
	sum := sha256.Sum256([]byte("%PDF the assessment"))
	if len(rep.ProcessEvidence) != 1 || rep.ProcessEvidence[0].SHA256 != hex.EncodeToString(sum[:]) || rep.ProcessEvidence[0].Section != 30 {
		t.Errorf("process evidence %+v", rep.ProcessEvidence)
	}
	var page bytes.Buffer
	if err := rep.HTML(&page, catalog.LangJA); err != nil || !strings.Contains(page.String(), "SHA-256 "+rep.ProcessEvidence[0].SHA256) {
		t.Errorf("the page does not show the document's hash under its section: %v", err)
	}
	os.WriteFile(filepath.Join(dir, procevidence.Register), []byte(strings.Replace(reg, "assessment-2026.pdf", "missing.pdf", 1)), 0o644)
	if code, _, errb := run("--process-evidence", dir); code != cli.ExitBadInput || !strings.Contains(errb, `file "missing.pdf"`) {
		t.Errorf("a register naming a missing document: exit %d %s", code, errb)
	}
}

// The register of accepted exceptions (#37 item 6): a register that is
// not valid stops verify before anything is read; a valid one is on the
// tenant's report, changing no status.
func TestExceptionsOnTheReport(t *testing.T) {
	stacks, mainRun := reportThroughMain(t)
	today := clock.Now().In(config.JST)
	register := func(until string) {
		body := "exceptions:\n  - tenant: acme\n    control: WP-21.1\n    reason: key rotation is being moved to a new schedule\n    acceptedBy: Hanako Sato, CISO\n" +
			"    acceptedOn: " + today.AddDate(0, 0, -3).Format("2006-01-02") + "\n    until: " + until + "\n"
		if err := os.WriteFile(filepath.Join(stacks, exceptions.File), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func() (int, string, string) { return mainRun() }
	register(today.AddDate(2, 0, 0).Format("2006-01-02"))
	if code, out, errb := run(); code != cli.ExitBadInput || !strings.Contains(errb, "until") || !strings.Contains(errb, "at most 365 days") || out != "" {
		t.Errorf("a register that is not valid: exit %d\n%s\n%s", code, out, errb)
	}
	register(today.AddDate(0, 0, 10).Format("2006-01-02"))
	code, out, errb := run()
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, out, errb)
	}
	if len(rep.Exceptions) != 1 || !rep.Exceptions[0].Active || rep.Exceptions[0].AcceptedBy != "Hanako Sato, CISO" {
		t.Errorf("the report's exceptions: %+v", rep.Exceptions)
	}
	// The same run without the register: the same statuses, the same exit.
	if err := os.Remove(filepath.Join(stacks, exceptions.File)); err != nil {
		t.Fatal(err)
	}
	code2, out2, _ := run()
	var without Report
	if err := json.Unmarshal([]byte(out2), &without); err != nil {
		t.Fatal(err)
	}
	statuses := func(r Report) map[string]catalog.Status {
		m := map[string]catalog.Status{}
		for _, c := range r.Controls {
			m[c.ID] = c.Status
		}
		return m
	}
	if code != code2 || rep.Status != without.Status || !maps.Equal(statuses(rep), statuses(without)) || len(without.Exceptions) != 0 {
		t.Errorf("an exception changed a status: exit %d/%d, %s/%s\n%v\n%v", code, code2, rep.Status, without.Status, statuses(rep), statuses(without))
	}
}
