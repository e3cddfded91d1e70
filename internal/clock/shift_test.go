//go:build tenantkit_clockshift

package clock

import (
	"os"
	"testing"
	"time"
)

func TestParseShift(t *testing.T) {
	now := time.Date(2026, 12, 7, 1, 30, 0, 0, time.UTC) // 10:30 JST on the 7th
	jst := time.FixedZone("JST", 9*60*60)
	for in, wantDay := range map[string]string{
		"+40d": "2027-01-16", "-3d": "2026-12-04", "400d": "2028-01-11",
		"2028-02-29": "2028-02-29", "2026-12-07": "2026-12-07",
	} {
		d, err := Parse(in, now)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got := now.Add(d).In(jst).Format(time.DateOnly); got != wantDay {
			t.Errorf("Parse(%q): today becomes %s, want %s", in, got, wantDay)
		}
		if now.Add(d).In(jst).Hour() != 10 {
			t.Errorf("Parse(%q) moved the time of day: %v", in, now.Add(d))
		}
	}
	for _, bad := range []string{"40", "+40 days", "2028-02-30", "tomorrow", "+d"} {
		if _, err := Parse(bad, now); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

// The shifted run (scripts/clock-shift.sh) is only proof if the clock
// really moved: a shifted test build says by how much, and its version
// says so.
func TestShiftedBuildMovesTheClock(t *testing.T) {
	v := os.Getenv(ShiftVariable)
	if v == "" {
		t.Skipf("%s is not set: nothing to move", ShiftVariable)
	}
	want, err := Parse(v, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d := Now().Sub(time.Now()); d-want > time.Minute || want-d > time.Minute {
		t.Errorf("Now() is %v from the system clock, want %v", d, want)
	}
	if want != 0 && Shifted() == "" {
		t.Error("a moved clock does not say so")
	}
	if BuildTags != "tenantkit_clockshift" || len(BuildFlags()) != 2 {
		t.Errorf("BuildFlags() = %v: binaries the tests build would not share this clock", BuildFlags())
	}
}
