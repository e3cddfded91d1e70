// Package lifecycle is the tenant's life as the whitepaper promises it
// (§10, WP-10): dates in JST, the states and the moves between them, the
// CIDR allocator of onboarding, and the evidence record of every step.
package lifecycle

import (
	"fmt"
	"time"

	"github.com/tenantkit/tenantkit/internal/config"
)

// JST is Japan Standard Time; every lifecycle date is a JST calendar day.
var JST = config.JST

// SuspendAfterDays: access stops from the day after cancellation.
const SuspendAfterDays = 1

// DeleteWithinDays: everything is deleted within 30 days of cancellation.
const DeleteWithinDays = 30

// MinKeyWindowDays and MaxKeyWindowDays bound a KMS key deletion window.
const (
	MinKeyWindowDays = 7
	MaxKeyWindowDays = 30
)

// Date is a JST calendar day, held as midnight UTC of that date so that
// adding days never crosses a zone boundary.
type Date struct{ t time.Time }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date: write YYYY-MM-DD (a JST calendar day)", s)
	}
	return Date{t}, nil
}

// Today is the current JST calendar day at the given instant.
func Today(now time.Time) Date {
	y, m, d := now.In(JST).Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// AddDays moves by whole calendar days (month and year ends included).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// DaysUntil is the number of calendar days from d to e (negative if e is
// earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// Before reports d < e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// IsZero reports an unset date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time is the date as midnight UTC (what the plan rules use for "today").
func (d Date) Time() time.Time { return d.t }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Schedule is what a cancellation sets in motion.
type Schedule struct {
	CancelledOn, SuspendOn, DeleteBy Date
}

// ScheduleFor computes the suspension day (the next day) and the deletion
// deadline (30 days after cancellation).
func ScheduleFor(cancelled Date) Schedule {
	return Schedule{CancelledOn: cancelled, SuspendOn: cancelled.AddDays(SuspendAfterDays), DeleteBy: cancelled.AddDays(DeleteWithinDays)}
}

// KeyWindow is the key deletion window to use when deleting on today: as
// long as allowed (at most 30 days) while still ending on or before the
// deadline. KMS needs at least 7 days, so with fewer days left it refuses
// and says what to do.
func KeyWindow(today, deleteBy Date) (int, error) {
	left := today.DaysUntil(deleteBy)
	switch {
	case left < 0:
		return 0, fmt.Errorf("the deletion deadline %s passed %d days ago: delete now with the 7-day minimum (--late), disable the key at once so the data is unreadable, and record the breach", deleteBy, -left)
	case left < MinKeyWindowDays:
		return 0, fmt.Errorf("only %d days are left until the deletion deadline %s, and a KMS key deletion window is at least %d days, so scheduled deletion would end on %s, after the deadline: run delete with --late to schedule the 7-day minimum and disable the key at once (its data becomes unreadable today), and record the exception", left, deleteBy, MinKeyWindowDays, today.AddDays(MinKeyWindowDays))
	}
	return min(left, MaxKeyWindowDays), nil
}
