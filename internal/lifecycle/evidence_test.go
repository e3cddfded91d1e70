package lifecycle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A file that is not this tenant's lifecycle record is never written over
// and never truncated (#13 item 6): a verify report, another tenant's
// record, a truncated file.
func TestAppendRefusesForeignFiles(t *testing.T) {
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	for name, body := range map[string]string{
		"verify report":  `{"schema":"tenantkit.verify/v1","tenant":"acme","status":"PASS","controls":[]}`,
		"other tenant":   `{"schema":"tenantkit.evidence/v1","tenant":"globex","entries":[]}`,
		"truncated":      `{"schema":"tenantkit.evidence/v1","tenant":"acme","entries":[{"step":"onb`,
		"empty":          ``,
		"not json":       "hello\n",
		"unknown fields": `{"schema":"tenantkit.evidence/v1","tenant":"acme","entries":[],"extra":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := EvidencePath(dir, "acme")
			os.WriteFile(path, []byte(body), 0o644)
			if err := Writable(dir, "acme", nil); err == nil {
				t.Error("Writable accepted it")
			}
			if err := Append(dir, "acme", NewEntry(StepCancel, now, Date{}, "x", nil), nil); err == nil {
				t.Error("Append wrote to it")
			}
			if b, _ := os.ReadFile(path); string(b) != body {
				t.Errorf("the file changed: %q", b)
			}
		})
	}
}

// Evidence records the real clock; a simulated day is marked as one (#13
// item 9).
func TestEntryRecordsTheRealClock(t *testing.T) {
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC) // 12:00 JST
	e := NewEntry(StepSuspend, now, Date{}, "x", nil)
	if e.SimulatedDay != "" || !e.AtUTC.Equal(now) || e.AtJST != "2026-11-26T12:00:00+09:00" {
		t.Errorf("real day: %+v", e)
	}
	past, _ := ParseDate("2026-11-20")
	e = NewEntry(StepSuspend, now, past, "x", nil)
	if e.SimulatedDay != "2026-11-20" || !e.AtUTC.Equal(now) {
		t.Errorf("simulated day: %+v", e)
	}
	if e := NewEntry(StepSuspend, now, Today(now), "x", nil); e.SimulatedDay != "" {
		t.Errorf("today given as --today is not a simulation: %+v", e)
	}
}

// Cancellation dates are bounded and a mistaken one is corrected with
// evidence (#13 item 11).
func TestCancellationDatesBoundedAndCorrectable(t *testing.T) {
	today := day(t, "2026-11-26")
	onboarded := day(t, "2026-11-15")
	for _, c := range []struct {
		d     string
		known bool
		want  string
	}{
		{"1999-01-01", false, "deadline"},
		{"2026-10-20", false, "deadline"},
		{"2026-11-10", true, "before the tenant was onboarded"},
		{"2026-11-27", true, "future"},
	} {
		if err := CheckCancelDate(day(t, c.d), today, onboarded, c.known); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.d, err, c.want)
		}
	}
	for _, d := range []string{"2026-11-10", "2026-10-28", "2026-11-26"} {
		if err := CheckCancelDate(day(t, d), today, Date{}, false); err != nil {
			t.Errorf("%s, within 30 days, no onboarding record: %v", d, err)
		}
	}
	tn := tenant("suspended", "2026-11-02")
	old, err := Correct(tn, day(t, "2026-11-12"))
	if err != nil || old != "2026-11-02" || tn.Lifecycle.DeleteBy != "2026-12-12" || tn.Lifecycle.SuspendOn != "2026-11-13" {
		t.Errorf("correct: %v %q %+v", err, old, tn.Lifecycle)
	}
	for _, state := range []string{"deleting", "deleted"} {
		if _, err := Correct(tenant(state, "2026-11-02"), day(t, "2026-11-12")); err == nil {
			t.Errorf("a %s tenant's date corrected", state)
		}
	}
	if _, err := Correct(tenant("active", ""), day(t, "2026-11-12")); err == nil {
		t.Error("a date corrected where none was recorded")
	}
}

func TestEvidenceStaysInItsDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := Append(dir, "../evil", NewEntry(StepCancel, time.Now(), Date{}, "x", nil), nil); err == nil {
		t.Error("a path accepted as a tenant")
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("something written beside the evidence directory: %v", entries)
	}
}

// The edges gremlins found unpinned: a record of exactly the size limit is
// read, one byte more is refused; a record whose schema or tenant alone is
// wrong is refused; TENANTKIT_OPERATOR names the operator, else user@host.
func TestEvidenceEdges(t *testing.T) {
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	if err := Append(dir, "acme", NewEntry(StepCancel, now, Date{}, "x", nil), nil); err != nil {
		t.Fatal(err)
	}
	path := EvidencePath(dir, "acme")
	b, _ := os.ReadFile(path)
	// JSON allows trailing whitespace: pad the record to the limit exactly.
	padded := append(append([]byte{}, b...), []byte(strings.Repeat(" ", MaxEvidenceBytes-len(b)))...)
	os.WriteFile(path, padded, 0o644)
	if err := Writable(dir, "acme", nil); err != nil {
		t.Errorf("a record of exactly %d bytes refused: %v", MaxEvidenceBytes, err)
	}
	os.WriteFile(path, append(padded, ' '), 0o644)
	if err := Writable(dir, "acme", nil); err == nil {
		t.Errorf("a record of %d bytes accepted", MaxEvidenceBytes+1)
	}
	for name, body := range map[string]string{
		"schema only wrong": `{"schema":"tenantkit.evidence/v0","tenant":"acme","entries":[]}`,
		"tenant only wrong": `{"schema":"tenantkit.evidence/v1","tenant":"acmf","entries":[]}`,
	} {
		os.WriteFile(path, []byte(body), 0o644)
		if err := Writable(dir, "acme", nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	os.Remove(path)
	if err := Writable(dir, "acme", nil); err != nil {
		t.Errorf("an absent record refused: %v", err)
	}
	if err := Writable(filepath.Join(dir, "new", "dir"), "acme", nil); err != nil {
		t.Errorf("a directory still to make refused: %v", err)
	}

	t.Setenv("TENANTKIT_OPERATOR", "ops-oncall")
	if op := Operator(); op != "ops-oncall" {
		t.Errorf("operator from TENANTKIT_OPERATOR: %q", op)
	}
	t.Setenv("TENANTKIT_OPERATOR", "")
	host, _ := os.Hostname()
	if op := Operator(); !strings.HasSuffix(op, "@"+host) || strings.HasPrefix(op, "unknown@") {
		t.Errorf("operator without TENANTKIT_OPERATOR: %q, want <user>@%s", op, host)
	}
}
