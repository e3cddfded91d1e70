//go:build tenantkit_clockshift

package clock

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// A test build moves the clock by TENANTKIT_TEST_CLOCK_SHIFT, either a
// number of days ("+40d", "-3d") or the JST calendar day to act on
// ("2028-02-29", same time of day). Anything else stops the process: a
// test that meant to move the clock and did not would prove nothing.
//
// This file is compiled only with -tags tenantkit_clockshift, which no
// release, script or workflow of an operator's sets (a test holds them
// to it: TestNoOperatorBuildShiftsTheClock).

// BuildTags are the build tags a binary built for this process's tests
// needs so that its clock is this one.
const BuildTags = shiftTag

var (
	once  sync.Once
	shift time.Duration
	desc  string
)

var days = regexp.MustCompile(`^([+-]?\d+)d$`)

func load() {
	v := os.Getenv(ShiftVariable)
	if v == "" {
		return
	}
	d, err := Parse(v, time.Now())
	if err != nil {
		panic(err)
	}
	shift = d
	if d != 0 {
		desc = fmt.Sprintf("%s=%s (%+d days)", ShiftVariable, v, int(d.Hours()/24))
	}
}

// Parse reads a shift relative to the instant now.
func Parse(v string, now time.Time) (time.Duration, error) {
	if m := days.FindStringSubmatch(v); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0, fmt.Errorf("%s=%q: %v", ShiftVariable, v, err)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	jst := time.FixedZone("JST", 9*60*60)
	day, err := time.ParseInLocation(time.DateOnly, v, jst)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: write a number of days (+40d, -3d) or a JST day (2028-02-29)", ShiftVariable, v)
	}
	y, m, d := now.In(jst).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, jst)
	return day.Sub(today), nil
}

func offset() time.Duration {
	once.Do(load)
	return shift
}

func shiftDescription() string {
	once.Do(load)
	return desc
}
