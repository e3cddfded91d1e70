package lifecycle

import (
	"fmt"

	"github.com/tenantkit/tenantkit/internal/config"
)

// Step is one move of the lifecycle.
type Step string

// The steps.
const (
	StepOnboard = Step("onboard")
	StepCancel  = Step("cancel")  // record the cancellation and its dates
	StepSuspend = Step("suspend") // stop all outside access
	StepDelete  = Step("delete")  // destroy the environment
	StepDeleted = Step("deleted") // destroy done, nothing tagged remains
	StepCorrect = Step("correct") // a mistaken cancellation date corrected
	StepDeploy  = Step("deploy")  // an approved update plan applied
	StepRecover = Step("recover") // a stack brought back after an interrupted update
)

// Check says whether a step may run on a tenant in its current state, and
// why not. force lets delete skip the suspension (never the cancellation).
func Check(t *config.Tenant, step Step, force bool) error {
	state := t.Lifecycle.State
	cancelled := t.Lifecycle.CancelledOn != ""
	switch step {
	case StepOnboard:
		if state != config.StateActive {
			return fmt.Errorf("tenant %s is %s: a tenant being offboarded cannot be onboarded again; choose a new tenant id", t.TenantID, state)
		}
	case StepCancel:
		if state == config.StateDeleted {
			return fmt.Errorf("tenant %s is already deleted", t.TenantID)
		}
	case StepSuspend:
		switch {
		case !cancelled:
			return fmt.Errorf("tenant %s has no cancellation recorded: run tenantctl offboard %s --cancelled-on YYYY-MM-DD first", t.TenantID, t.TenantID)
		case state == config.StateDeleting || state == config.StateDeleted:
			return fmt.Errorf("tenant %s is %s: suspension is behind it", t.TenantID, state)
		}
	case StepDelete:
		switch {
		case !cancelled:
			return fmt.Errorf("tenant %s has no cancellation recorded: run tenantctl offboard %s --cancelled-on YYYY-MM-DD first", t.TenantID, t.TenantID)
		case state == config.StateDeleted:
			return fmt.Errorf("tenant %s is already deleted", t.TenantID)
		case state == config.StateActive && !force:
			return fmt.Errorf("tenant %s was not suspended: run tenantctl offboard suspend %s first, or pass --force to delete an active tenant", t.TenantID, t.TenantID)
		}
	case StepCorrect:
		switch {
		case !cancelled:
			return fmt.Errorf("tenant %s has no cancellation recorded: there is no date to correct", t.TenantID)
		case state == config.StateDeleting || state == config.StateDeleted:
			return fmt.Errorf("tenant %s is %s: its deletion ran on the recorded dates, which can no longer change", t.TenantID, state)
		}
	case StepRecover:
		// Whatever the state: a stopped suspension or deletion needs it most.
	case StepDeploy:
		if state == config.StateDeleting || state == config.StateDeleted {
			return fmt.Errorf("tenant %s is %s: nothing of it is deployed again (offboarding destroys it)", t.TenantID, state)
		}
	case StepDeleted:
		if state != config.StateDeleting {
			return fmt.Errorf("tenant %s is %s, not deleting", t.TenantID, state)
		}
	default:
		return fmt.Errorf("unknown step %q", step)
	}
	return nil
}

// Cancel records a cancellation and its dates. Recording the same date
// again changes nothing; a different date is refused (the first one started
// the clock).
func Cancel(t *config.Tenant, cancelled Date) error {
	if err := Check(t, StepCancel, false); err != nil {
		return err
	}
	s := ScheduleFor(cancelled)
	if prev := t.Lifecycle.CancelledOn; prev != "" && prev != s.CancelledOn.String() {
		return fmt.Errorf("tenant %s was already cancelled on %s; the deadline %s runs from that date (if that date was a mistake: tenantctl offboard %s --correct-cancelled-on YYYY-MM-DD --reason \"...\")", t.TenantID, prev, t.Lifecycle.DeleteBy, t.TenantID)
	}
	t.Lifecycle.CancelledOn, t.Lifecycle.SuspendOn, t.Lifecycle.DeleteBy = s.CancelledOn.String(), s.SuspendOn.String(), s.DeleteBy.String()
	return nil
}

// CheckCancelDate refuses a cancellation date the record cannot hold: in
// the future, before the tenant was onboarded, or so far back that the
// deletion deadline has already passed (that is an incident to handle, not
// a date to record; correct a mistaken one with Correct).
func CheckCancelDate(day, today Date, onboarded Date, known bool) error {
	switch {
	case today.Before(day):
		return fmt.Errorf("%s is in the future (today is %s JST)", day, today)
	case known && day.Before(onboarded):
		return fmt.Errorf("%s is before the tenant was onboarded (%s JST, from its evidence record)", day, onboarded)
	case ScheduleFor(day).DeleteBy.Before(today):
		return fmt.Errorf("%s is more than %d days ago: its deletion deadline %s has passed; if the customer really cancelled then, the deadline was missed: handle it as an incident", day, DeleteWithinDays, ScheduleFor(day).DeleteBy)
	}
	return nil
}

// Correct replaces a mistaken cancellation date and its schedule, while
// nothing has been deleted on the old one.
func Correct(t *config.Tenant, day Date) (old string, err error) {
	if err := Check(t, StepCorrect, false); err != nil {
		return "", err
	}
	old = t.Lifecycle.CancelledOn
	if old == day.String() {
		return "", fmt.Errorf("tenant %s is already recorded as cancelled on %s", t.TenantID, day)
	}
	s := ScheduleFor(day)
	t.Lifecycle.CancelledOn, t.Lifecycle.SuspendOn, t.Lifecycle.DeleteBy = s.CancelledOn.String(), s.SuspendOn.String(), s.DeleteBy.String()
	return old, nil
}

// Dates reads a tenant's recorded schedule.
func Dates(t *config.Tenant) (Schedule, error) {
	var s Schedule
	var err error
	for _, f := range []struct {
		v   string
		dst *Date
	}{{t.Lifecycle.CancelledOn, &s.CancelledOn}, {t.Lifecycle.SuspendOn, &s.SuspendOn}, {t.Lifecycle.DeleteBy, &s.DeleteBy}} {
		if f.v == "" {
			continue
		}
		if *f.dst, err = ParseDate(f.v); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Due is what the daily job must do for a tenant today.
type Due struct {
	Tenant string
	Step   Step // "" when nothing is due
	// Missed: the deadline of a step already passed without it.
	Missed string
	// Unapplied: the stack file records the step, and nothing shows it
	// deployed (DueWith).
	Unapplied string
}

// DeleteLeadDays: the daily job starts deletion this many days before the
// deadline. That leaves the job a week of daily retries before the 7-day
// minimum key window stops fitting.
const DeleteLeadDays = 14

// DueOn decides a tenant's due step on a day: suspension from the day after
// cancellation, deletion from DeleteLeadDays before the deadline. A
// suspension later than its day, or a deletion that can no longer finish by
// the deadline, is reported as missed.
func DueOn(t *config.Tenant, today Date) (Due, error) {
	d := Due{Tenant: t.TenantID}
	s, err := Dates(t)
	if err != nil || s.CancelledOn.IsZero() {
		return d, err
	}
	switch t.Lifecycle.State {
	case config.StateActive:
		if !today.Before(s.SuspendOn) {
			d.Step = StepSuspend
			if s.SuspendOn.Before(today) {
				d.Missed = fmt.Sprintf("suspension was due on %s", s.SuspendOn)
			}
		}
	case config.StateSuspended, config.StateDeleting:
		if !today.Before(s.DeleteBy.AddDays(-DeleteLeadDays)) {
			d.Step = StepDelete
		}
	}
	if t.Lifecycle.State == config.StateDeleted {
		return d, nil
	}
	switch left := today.DaysUntil(s.DeleteBy); {
	case left < 0:
		d.Missed = fmt.Sprintf("deletion deadline %s passed %d days ago", s.DeleteBy, -left)
	case left < MinKeyWindowDays:
		d.Missed = fmt.Sprintf("only %d days left until the deletion deadline %s: a 7-day key window no longer fits", left, s.DeleteBy)
	}
	return d, nil
}
