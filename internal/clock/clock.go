// Package clock is the one place tenantkit reads the time. Every "today"
// a lifecycle deadline counts from (the plan rules, the guard inside
// pulumi up, the offboarding steps, the live checks, the reports' time)
// comes from Now.
//
// A release or an operator's build reads the system clock and nothing
// else: no flag, environment variable or config key moves it, because a
// deploy that could pretend another day could skip a §10 deadline. Only a
// test build (go build/test -tags tenantkit_clockshift, see shift.go)
// honours TENANTKIT_TEST_CLOCK_SHIFT, so the suite can prove that no test
// depends on the day it runs (scripts/clock-shift.sh); such a build says
// so in its version, and so in everything it writes.
package clock

import "time"

// Now is the current instant, as tenantkit reads it.
func Now() time.Time { return time.Now().Add(offset()) }

// Shifted describes a moved clock ("+40 days") in a test build; empty
// when the clock is the system's, which it always is outside a test
// build.
func Shifted() string { return shiftDescription() }

// BuildFlags are the go build flags that give a binary a test builds the
// clock of the test itself (none outside a shifted test build).
func BuildFlags() []string {
	if BuildTags == "" {
		return nil
	}
	return []string{"-tags", BuildTags}
}

// ShiftVariable names the environment variable a test build reads.
const ShiftVariable = "TENANTKIT_TEST_CLOCK_SHIFT"

// shiftTag is the build tag of a test build whose clock moves.
const shiftTag = "tenantkit_clockshift"

// ShiftedBuildFlags are the go build flags of a test build whose clock
// ShiftVariable moves, whatever this process's own build: for a test
// that acts on later days (it deploys only into an emulator on this
// machine, deploy.Available).
func ShiftedBuildFlags() []string { return []string{"-tags", shiftTag} }

// Since is how long ago an instant AWS reported was, on the system clock:
// AWS stamps its instants with the real time, whatever day a test build's
// moved clock acts on. (In an operator's build the two are one clock.)
func Since(at time.Time) time.Duration { return time.Since(at) }
