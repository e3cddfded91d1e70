package lifecycle

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/config"
)

func day(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestScheduleAcrossMonthAndYearEnds(t *testing.T) {
	for _, tc := range []struct{ cancelled, suspend, deleteBy string }{
		{"2026-11-25", "2026-11-26", "2026-12-25"},
		{"2026-01-31", "2026-02-01", "2026-03-02"}, // February has 28 days in 2026
		{"2028-01-31", "2028-02-01", "2028-03-01"}, // leap year
		{"2026-12-31", "2027-01-01", "2027-01-30"},
		{"2026-02-28", "2026-03-01", "2026-03-30"},
	} {
		s := ScheduleFor(day(t, tc.cancelled))
		if s.SuspendOn.String() != tc.suspend || s.DeleteBy.String() != tc.deleteBy {
			t.Errorf("cancelled %s: suspend %s delete by %s; want %s, %s", tc.cancelled, s.SuspendOn, s.DeleteBy, tc.suspend, tc.deleteBy)
		}
	}
	if _, err := ParseDate("2026-02-30"); err == nil {
		t.Error("2026-02-30 parsed")
	}
}

// Today is the JST calendar day: 23:30 UTC is already tomorrow in Tokyo.
func TestTodayIsJST(t *testing.T) {
	for utc, want := range map[string]string{
		"2026-11-25T14:59:59Z": "2026-11-25",
		"2026-11-25T15:00:00Z": "2026-11-26",
		"2026-12-31T23:30:00Z": "2027-01-01",
	} {
		at, _ := time.Parse(time.RFC3339, utc)
		if got := Today(at).String(); got != want {
			t.Errorf("%s: today %s, want %s", utc, got, want)
		}
	}
}

func TestKeyWindow(t *testing.T) {
	deadline := day(t, "2026-12-25")
	for _, tc := range []struct {
		today  string
		window int
		err    string
	}{
		{"2026-11-20", 30, ""}, // 35 days left: the longest window KMS allows
		{"2026-11-25", 30, ""},
		{"2026-11-26", 29, ""},
		{"2026-12-18", 7, ""}, // exactly the minimum: ends on the deadline
		{"2026-12-19", 0, "only 6 days are left"},
		{"2026-12-25", 0, "only 0 days are left"},
		{"2026-12-27", 0, "passed 2 days ago"},
	} {
		w, err := KeyWindow(day(t, tc.today), deadline)
		if tc.err == "" && (err != nil || w != tc.window) {
			t.Errorf("%s: window %d, %v; want %d", tc.today, w, err, tc.window)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "--late")) {
			t.Errorf("%s: err %v; want %q and what to do", tc.today, err, tc.err)
		}
		if err == nil && day(t, tc.today).AddDays(w).t.After(deadline.t) {
			t.Errorf("%s: a %d-day window ends after the deadline", tc.today, w)
		}
	}
}

func tenant(state, cancelled string) *config.Tenant {
	t := config.Defaults()
	t.TenantID = "acme"
	t.Lifecycle = config.Lifecycle{State: state}
	if cancelled != "" {
		s := ScheduleFor(Date{mustTime(cancelled)})
		t.Lifecycle.CancelledOn, t.Lifecycle.SuspendOn, t.Lifecycle.DeleteBy = s.CancelledOn.String(), s.SuspendOn.String(), s.DeleteBy.String()
	}
	return t
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Every allowed and refused move of the state machine.
func TestTransitions(t *testing.T) {
	const c = "2026-11-20"
	for _, tc := range []struct {
		state, cancelled string
		step             Step
		force            bool
		refused          string // "" = allowed
	}{
		{"active", "", StepOnboard, false, ""},
		{"suspended", c, StepOnboard, false, "cannot be onboarded again"},
		{"deleted", c, StepOnboard, false, "cannot be onboarded again"},
		{"active", "", StepCancel, false, ""},
		{"active", c, StepCancel, false, ""},
		{"suspended", c, StepCancel, false, ""},
		{"deleted", c, StepCancel, false, "already deleted"},
		{"active", "", StepSuspend, false, "no cancellation recorded"},
		{"active", c, StepSuspend, false, ""},
		{"suspended", c, StepSuspend, false, ""}, // again: re-deploys the suspension
		{"deleting", c, StepSuspend, false, "suspension is behind it"},
		{"deleted", c, StepSuspend, false, "suspension is behind it"},
		{"active", "", StepDelete, true, "no cancellation recorded"},
		{"active", c, StepDelete, false, "was not suspended"},
		{"active", c, StepDelete, true, ""},
		{"suspended", c, StepDelete, false, ""},
		{"deleting", c, StepDelete, false, ""}, // a retry
		{"deleted", c, StepDelete, true, "already deleted"},
		{"deleting", c, StepDeleted, false, ""},
		{"suspended", c, StepDeleted, false, "not deleting"},
	} {
		err := Check(tenant(tc.state, tc.cancelled), tc.step, tc.force)
		if tc.refused == "" && err != nil {
			t.Errorf("%s (cancelled %q) %s force=%v: refused: %v", tc.state, tc.cancelled, tc.step, tc.force, err)
		}
		if tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused)) {
			t.Errorf("%s (cancelled %q) %s force=%v: err %v, want %q", tc.state, tc.cancelled, tc.step, tc.force, err, tc.refused)
		}
	}
}

func TestCancelKeepsTheFirstDate(t *testing.T) {
	tn := tenant("active", "")
	if err := Cancel(tn, day(t, "2026-11-20")); err != nil {
		t.Fatal(err)
	}
	if tn.Lifecycle.SuspendOn != "2026-11-21" || tn.Lifecycle.DeleteBy != "2026-12-20" || tn.Lifecycle.State != "active" {
		t.Fatalf("after cancel: %+v", tn.Lifecycle)
	}
	if err := Cancel(tn, day(t, "2026-11-20")); err != nil {
		t.Errorf("the same date again: %v", err)
	}
	if err := Cancel(tn, day(t, "2026-11-22")); err == nil || !strings.Contains(err.Error(), "--correct-cancelled-on") {
		t.Errorf("a later date moved the deadline: %v", err)
	}
}

func TestDue(t *testing.T) {
	const c = "2026-11-20" // suspend on 11-21, delete by 12-20, deletion due from 12-06
	for _, tc := range []struct {
		state, today string
		step         Step
		missed       string
	}{
		{"active", "2026-11-20", "", ""},
		{"active", "2026-11-21", StepSuspend, ""},
		{"active", "2026-11-23", StepSuspend, "suspension was due on 2026-11-21"},
		{"suspended", "2026-12-05", "", ""},
		{"suspended", "2026-12-06", StepDelete, ""},
		{"suspended", "2026-12-14", StepDelete, "only 6 days left"},
		{"deleting", "2026-12-21", StepDelete, "passed 1 days ago"},
		{"deleted", "2026-12-30", "", ""},
	} {
		d, err := DueOn(tenant(tc.state, c), day(t, tc.today))
		if err != nil || d.Step != tc.step || !strings.Contains(d.Missed, tc.missed) || (tc.missed == "" && d.Missed != "") {
			t.Errorf("%s on %s: %+v %v; want step %q missed %q", tc.state, tc.today, d, err, tc.step, tc.missed)
		}
	}
	if d, _ := DueOn(tenant("active", ""), day(t, "2026-11-25")); d.Step != "" {
		t.Errorf("an active tenant without cancellation is due %s", d.Step)
	}
}

func prefixes(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, x := range s {
		out = append(out, netip.MustParsePrefix(x))
	}
	return out
}

func TestAllocate(t *testing.T) {
	pool := netip.MustParsePrefix("10.16.0.0/18")
	got, err := Allocate(pool, 20, prefixes("10.16.0.0/20", "10.16.32.0/22"), nil)
	if err != nil || got.String() != "10.16.16.0/20" {
		t.Fatalf("first free /20: %v %v", got, err)
	}
	// A taken /22 inside a block makes the whole /20 unusable.
	got, err = Allocate(pool, 20, prefixes("10.16.0.0/20", "10.16.16.0/20", "10.16.32.0/22"), nil)
	if err != nil || got.String() != "10.16.48.0/20" {
		t.Fatalf("skip the partly taken block: %v %v", got, err)
	}
	// Reserved ranges are never handed out.
	got, err = Allocate(netip.MustParsePrefix("10.0.0.0/15"), 16, nil, prefixes(config.OperatorReservedCidrs...))
	if err != nil || got.String() != "10.1.0.0/16" {
		t.Fatalf("reserved 10.0.0.0/16 handed out: %v %v", got, err)
	}
	_, err = Allocate(pool, 20, prefixes("10.16.0.0/18"), nil)
	if !errors.Is(err, ErrPoolExhausted) || !strings.Contains(err.Error(), "--pool") {
		t.Fatalf("exhausted pool: %v", err)
	}
	if _, err := Allocate(pool, 19, nil, nil); err != nil {
		t.Fatalf("a /19 from a /18: %v", err)
	}
	if _, err := Allocate(pool, 17, nil, nil); err == nil {
		t.Fatal("a /17 cut out of a /18")
	}
	// The edges: the pool itself, and /28, the smallest VPC AWS allows.
	if got, err := Allocate(pool, 18, nil, nil); err != nil || got != pool {
		t.Fatalf("the whole /18 out of a /18: %v %v", got, err)
	}
	if got, err := Allocate(pool, 28, nil, nil); err != nil || got.String() != "10.16.0.0/28" {
		t.Fatalf("a /28: %v %v", got, err)
	}
	if _, err := Allocate(pool, 29, nil, nil); err == nil {
		t.Fatal("a /29 handed out (AWS's smallest VPC is a /28)")
	}
	// The default pool avoids every operator range and holds 256 tenants.
	defPool := netip.MustParsePrefix(DefaultPool)
	var taken []netip.Prefix
	for i := 0; i < 256; i++ {
		p, err := Allocate(defPool, DefaultPrefix, taken, prefixes(config.OperatorReservedCidrs...))
		if err != nil {
			t.Fatalf("tenant %d: %v", i, err)
		}
		taken = append(taken, p)
	}
	if _, err := Allocate(defPool, DefaultPrefix, taken, nil); !errors.Is(err, ErrPoolExhausted) {
		t.Fatalf("257th /20 of %s: %v", DefaultPool, err)
	}
}
