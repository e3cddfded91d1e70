//go:build !tenantkit_clockshift

package clock

import (
	"testing"
	"time"
)

// An operator's build reads the system clock, whatever the environment
// says: the variable a test build honours moves nothing here.
func TestOperatorBuildIgnoresTheShiftVariable(t *testing.T) {
	t.Setenv("TENANTKIT_TEST_CLOCK_SHIFT", "+400d")
	before := time.Now()
	got := Now()
	if d := got.Sub(before); d < 0 || d > time.Minute {
		t.Errorf("Now() = %v, system clock %v: an operator's build moved its clock by %v", got, before, d)
	}
	if s := Shifted(); s != "" {
		t.Errorf("Shifted() = %q in an operator's build", s)
	}
	if f := BuildFlags(); f != nil {
		t.Errorf("BuildFlags() = %v in an operator's build", f)
	}
}
