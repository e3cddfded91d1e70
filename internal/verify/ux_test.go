package verify

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tenantkit/tenantkit/internal/cli"
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
	long := false
	for _, line := range strings.Split(buf.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > TextWidth {
			t.Errorf("%d columns: %q", n, line)
		}
		long = long || strings.HasSuffix(line, "…")
	}
	if !long || !strings.Contains(buf.String(), "WP-21.1") {
		t.Errorf("no finding was long enough to be cut, or the matrix is missing:\n%s", buf.String())
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
