package lifecycle

import (
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
)

// Phases of an offboarding step in the evidence (Details["phase"]): the
// stack file recorded on main first, then the step applied, written only
// from what the deploy actually deployed (its outputs). A recorded step
// without its applied entry is still due, whatever day it is.
// An attempt that did not apply says so: failed (refused, or broke), or
// interrupted (the operator stopped it; nothing refused it).
const (
	PhaseRecorded    = "recorded"
	PhaseApplied     = "applied"
	PhaseFailed      = "failed"
	PhaseInterrupted = "interrupted"
)

func phase(e Entry) string {
	if p, ok := e.Details["phase"].(string); ok {
		return p
	}
	// Records written before the phases: the stack-file entry and the
	// deploy's entry, told apart by their words.
	switch {
	case e.Step == StepSuspend && strings.HasPrefix(e.Summary, "suspended:"):
		return PhaseApplied
	case e.Step == StepDeleted:
		return PhaseApplied
	case strings.HasPrefix(e.Summary, "stack set to"):
		return PhaseRecorded
	}
	return ""
}

// Unapplied is the step the stack file records for the tenant (suspended,
// deleting) whose application the evidence does not show: the step, and
// when it was recorded (JST). "" when there is none.
func Unapplied(t *config.Tenant, ev *Evidence) (Step, string) {
	var step, applied Step
	switch t.Lifecycle.State {
	case config.StateSuspended:
		step, applied = StepSuspend, StepSuspend
	case config.StateDeleting:
		step, applied = StepDelete, StepDeleted
	default:
		return "", ""
	}
	pending, at, seen := false, "", false
	if ev != nil {
		for _, e := range ev.Entries {
			switch {
			case e.DryRun:
			case e.Step == step && phase(e) == PhaseRecorded:
				pending, at, seen = true, e.AtJST, true
			case e.Step == applied && phase(e) == PhaseApplied:
				pending, seen = false, true
			}
		}
	}
	switch {
	case !seen:
		// The stack file says so and no record shows the step at all:
		// nothing shows it deployed.
		return step, "no date (no evidence of the step)"
	case pending:
		return step, at
	}
	return "", ""
}

// DueWith is DueOn with what the evidence says was applied: a step the
// stack file records but nothing shows deployed stays due, every day, and
// a suspension so left past its day is reported as missed.
func DueWith(t *config.Tenant, ev *Evidence, today Date) (Due, error) {
	d, err := DueOn(t, today)
	if err != nil {
		return d, err
	}
	step, at := Unapplied(t, ev)
	if step == "" {
		return d, nil
	}
	d.Unapplied = fmt.Sprintf("%s recorded on %s, not applied", step, at)
	if d.Step == "" {
		d.Step = step
	}
	if step == StepSuspend && d.Missed == "" {
		if s, err := Dates(t); err == nil && s.SuspendOn.Before(today) {
			d.Missed = fmt.Sprintf("suspension was due on %s: recorded, not applied", s.SuspendOn)
		}
	}
	return d, nil
}
