package exceptions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

func write(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, File), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const good = `exceptions:
  - tenant: acme
    control: WP-20.5
    check: WP-20.5/received
    reason: the agent is being upgraded; hosts are logged through Session Manager meanwhile
    acceptedBy: Hanako Sato, CISO
    acceptedOn: 2026-11-01
    until: 2026-12-31
    ticket: RISK-42
`

func TestLoadAndFor(t *testing.T) {
	es, err := Load(write(t, good))
	if err != nil || len(es) != 1 {
		t.Fatalf("%v %v", es, err)
	}
	day := func(s string) lifecycle.Date {
		d, err := lifecycle.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for today, active := range map[string]bool{"2026-10-31": false, "2026-11-01": true, "2026-12-31": true, "2027-01-01": false} {
		got := For(es, "acme", day(today))
		if len(got) != 1 || got[0].Active != active {
			t.Errorf("%s: %+v, want active %v", today, got, active)
		}
		if Covers(got, "WP-20.5") != nil != active {
			t.Errorf("%s: Covers disagrees with Active", today)
		}
	}
	if got := For(es, "globex", day("2026-12-01")); len(got) != 0 {
		t.Errorf("another tenant's exception shown: %+v", got)
	}
	if es, err := Load(t.TempDir()); err != nil || es != nil {
		t.Errorf("no register: %v %v", es, err)
	}
}

// Every fault names its field, the value and the fix.
func TestLoadRefuses(t *testing.T) {
	for name, c := range map[string]struct{ edit, want string }{
		"unknown control":  {"control: WP-20.5\n", "control: WP-99\n"},
		"check of another": {"check: WP-20.5/received", "check: WP-27/trail"},
		"no reason":        {"reason: the agent", "reason: ''\n    # the agent"},
		"no one accepted":  {"acceptedBy: Hanako Sato, CISO", "acceptedBy: ''"},
		"bad day":          {"until: 2026-12-31", "until: 31/12/2026"},
		"over a year":      {"until: 2026-12-31", "until: 2027-12-31"},
		"ends before":      {"until: 2026-12-31", "until: 2026-10-01"},
		"unknown field":    {"ticket: RISK-42", "ticket: RISK-42\n    approver: me"},
		"bad tenant":       {"tenant: acme", "tenant: ACME"},
	} {
		_, err := Load(write(t, strings.Replace(good, c.edit, c.want, 1)))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), File) {
			t.Errorf("%s: %v does not name the file", name, err)
		}
	}
	_, err := Load(write(t, strings.Replace(good, "until: 2026-12-31", "until: 2027-12-31", 1)))
	if err == nil || !strings.Contains(err.Error(), `until "2027-12-31"`) || !strings.Contains(err.Error(), "at most 365 days") {
		t.Errorf("the fault does not name field, value and fix: %v", err)
	}
}
