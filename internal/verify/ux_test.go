package verify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// #14 A4: the text report fits a 100-column terminal, findings and all.
func TestTextReportFitsTheTerminal(t *testing.T) {
	cfg, w, inv := acme(t)
	w.rotation = false
	w.db.StorageEncrypted = nil
	for _, b := range inv.AllBuckets() {
		w.buckets[b].policy = ""
	}
	tgt := w.target(cfg, inv)
	r := NewReport(tgt, RunChecks(context.Background(), tgt, Checks(), 4), time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC), &Calls{})
	var buf bytes.Buffer
	if err := r.Write(&buf, "text"); err != nil {
		t.Fatal(err)
	}
	wrapped := false
	for _, line := range strings.Split(buf.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > TextWidth {
			t.Errorf("%d columns: %q", n, line)
		}
		wrapped = wrapped || strings.HasPrefix(line, "      ")
		if strings.HasSuffix(line, "…") {
			t.Errorf("a finding cut short (#24 item 4: wrap instead): %q", line)
		}
	}
	// Nothing is lost: the longest finding reads whole once the wrapped
	// lines are joined.
	joined := strings.Join(strings.Fields(buf.String()), " ")
	if !wrapped || !strings.Contains(joined, "expected encrypted with arn:aws:kms:ap-northeast-1:111122223333:key/k-1") || !strings.Contains(joined, "WP-21.1") {
		t.Errorf("no finding was wrapped whole, or the matrix is missing:\n%s", buf.String())
	}
}

// #14 A4: without credentials, verify says so once and checks nothing.
func TestNoCredentialsSaidOnce(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--all", "--discover", "--out-dir", t.TempDir(), "--endpoint", "http://127.0.0.1:1"}, &out, &errb)
	if code != cli.ExitError || strings.Count(errb.String(), "no AWS credentials") != 1 || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// #14 A6: the fleet run shows a line per tenant when asked (a terminal),
// and none otherwise.
func TestFleetProgress(t *testing.T) {
	w := newWire(t)
	w.answer("sts", "GetCallerIdentity", xmlCallerIdentity("111122223333"))
	w.fallback = func(wireRequest) (int, string) { return 400, `{"__type":"AccessDeniedException","message":"no"}` }
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	for _, mode := range []string{"on", "off"} {
		var out, errb bytes.Buffer
		Main(context.Background(), []string{"--all", "--discover", "--out-dir", t.TempDir(), "--endpoint", w.srv.URL, "--stacks-dir", stacksDir(t), "--baseline-dir", "", "--progress", mode, "--timeout", "20s"}, &out, &errb)
		got := strings.Count(errb.String(), "tenants done")
		if mode == "on" && got < 3 || mode == "off" && got != 0 {
			t.Errorf("--progress %s: %d progress lines:\n%s", mode, got, errb.String())
		}
	}
}

func stacksDir(t *testing.T) string {
	t.Helper()
	return testkit.StacksDir()
}

// #24 item 4: what read wrong. JUnit's skipped element carries the reason,
// not ": reason; expected "; a report made against an emulator or a proxy
// says so first, in every human format.
func TestReportsReadRight(t *testing.T) {
	cfg, w, inv := acme(t)
	tgt := w.target(cfg, inv)
	r := NewReport(tgt, RunChecks(context.Background(), tgt, Checks(), 4), time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC), &Calls{})
	var j bytes.Buffer
	if err := r.Write(&j, "junit"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(j.String(), `<skipped message="not applicable: tenant active: not offboarding"></skipped>`) || strings.Contains(j.String(), "; expected </skipped>") {
		t.Errorf("junit skipped element:\n%s", j.String())
	}
	for _, f := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(strings.Fields(b.String()), " "), "ERROR: could not be read or judged") {
			t.Errorf("%s report without the legend of its statuses", f)
		}
	}
	r.Endpoint = "http://127.0.0.1:5000"
	for _, f := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		if first := strings.SplitN(b.String(), "\n", 2)[0]; !strings.Contains(first, "NOT AWS") || !strings.Contains(first, "127.0.0.1:5000") {
			t.Errorf("%s report against an emulator starts %q", f, first)
		}
	}
}

// deniedFleet runs verify --all, reports into dir, against an endpoint that
// knows the caller and denies every other read: no tenant can be verified.
func deniedFleet(t *testing.T, dir string, extra ...string) (out, errb *bytes.Buffer) {
	t.Helper()
	w := newWire(t)
	w.answer("sts", "GetCallerIdentity", xmlCallerIdentity("111122223333"))
	w.fallback = func(wireRequest) (int, string) { return 400, `{"__type":"AccessDeniedException","message":"no"}` }
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	out, errb = &bytes.Buffer{}, &bytes.Buffer{}
	args := []string{"--all", "--discover", "--out-dir", dir, "--endpoint", w.srv.URL, "--stacks-dir", stacksDir(t), "--baseline-dir", "", "--progress", "off", "--timeout", "20s"}
	Main(context.Background(), append(args, extra...), out, errb)
	return out, errb
}

// The fleet summary's STATUS is one word and its REPORT names only a file
// that was written; why a tenant was not verified goes to stderr (#24
// item 4: the column held a whole error and a path never written).
func TestFleetSummaryReadsRight(t *testing.T) {
	dir := t.TempDir()
	out, errb := deniedFleet(t, dir)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("summary:\n%s", out.String())
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 5 || f[1]+" "+f[2] != "NOT VERIFIED" || f[4] != "-" {
			t.Errorf("summary row %q: want TENANT NOT VERIFIED N -", l)
		}
	}
	if !strings.Contains(errb.String(), "tenantctl verify: acme: ") {
		t.Errorf("stderr does not say why acme was not verified:\n%s", errb.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("reports written for tenants not verified: %v", entries)
	}
}

// With html among the formats the fleet run writes index.html even when no
// tenant could be verified: each tenant's row says so, links no page, and
// the banner says the endpoint was not AWS's.
func TestFleetPageWritten(t *testing.T) {
	dir := t.TempDir()
	out, errb := deniedFleet(t, dir, "--format", "json,html", "--lang", "en", "--evidence-dir", t.TempDir())
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatalf("no fleet page: %v\n%s", err, out.String())
	}
	page := string(b)
	if !strings.Contains(page, `data-tenant="acme"`) || strings.Contains(page, `href="acme.html"`) || !strings.Contains(page, "NOT VERIFIED") || !strings.Contains(page, `id="not-aws"`) {
		t.Errorf("fleet page:\n%s", page)
	}
	if !strings.Contains(out.String(), "fleet page: "+filepath.Join(dir, "index.html")) {
		t.Errorf("the summary does not name the page:\n%s", out.String())
	}
	if code := Main(context.Background(), []string{"--all", "--discover", "--out-dir", dir, "--format", "html", "--lang", "fr"}, out, errb); code != 2 {
		t.Errorf("--lang fr: exit %d, want 2", code)
	}
}

// #36 item 6: the fleet page's name is no tenant's report: its stem is not
// a tenant id validation accepts.
func TestFleetPageNameIsNoTenants(t *testing.T) {
	if config.ValidateTenantID(strings.TrimSuffix(FleetPage, filepath.Ext(FleetPage))) == nil {
		t.Errorf("a tenant could be named %q and lose its report to the fleet page", strings.TrimSuffix(FleetPage, filepath.Ext(FleetPage)))
	}
}

// #38: the fleet page groups the tenants by cell, each group headed by its
// cell, its account and its count, in Japanese too; a tenant of no cell is
// in a group of its own.
func TestFleetPageGroupsByCell(t *testing.T) {
	rep := func(account string) *Report { return &Report{Account: account} }
	tenants := []FleetTenant{
		{Tenant: "bob", Cell: "cell-b", Report: rep("222222222222"), Status: "PASS"},
		{Tenant: "ann", Cell: "cell-a", Report: rep("111111111111"), Status: "PASS"},
		{Tenant: "amy", Cell: "cell-a", Report: rep("111111111111"), Status: "FAIL"},
		{Tenant: "old", Status: "NOT VERIFIED"},
	}
	for lang, want := range map[string][]string{
		"en": {"Cell cell-a (Account 111111111111) — 2 tenants", "Cell cell-b (Account 222222222222) — 1 tenants", "No cell named — 1 tenants"},
		"ja": {"セル cell-a (アカウント 111111111111) — テナント数 2", "セル cell-b (アカウント 222222222222) — テナント数 1", "セルの指定なし — テナント数 1"},
	} {
		var b bytes.Buffer
		if err := FleetHTML(&b, lang, tenants, "2026-12-07 09:00", "2026-12-07T00:00:00Z", ""); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the fleet page lacks the group %q", lang, w)
			}
		}
		// Each cell's tenants follow its heading, before the next cell's.
		order := []string{`data-cell=""`, `data-tenant="old"`, `data-cell="cell-a"`, `data-tenant="ann"`, `data-tenant="amy"`, `data-cell="cell-b"`, `data-tenant="bob"`}
		at := -1
		for _, o := range order {
			i := strings.Index(page, o)
			if i <= at {
				t.Errorf("%s: %s is not after the row before it in %v", lang, o, order)
			}
			at = i
		}
	}
}
