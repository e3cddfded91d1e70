//go:build !tenantkit_clockshift

package clock

import "time"

// BuildTags are the build tags a binary built for this process's tests
// needs so that its clock is this one.
const BuildTags = ""

func offset() time.Duration { return 0 }

func shiftDescription() string { return "" }
