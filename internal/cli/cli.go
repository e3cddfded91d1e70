// Package cli holds what every tenantctl command shares: flags that may come
// before or after the positional arguments, and the exit codes.
package cli

import (
	"flag"
	"runtime/debug"

	"github.com/tenantkit/tenantkit/internal/clock"
)

// Exit codes shared by the commands.
const (
	ExitOK       = 0
	ExitFail     = 1 // a control FAILed
	ExitBadInput = 2 // bad input or usage
	ExitError    = 3 // no FAIL, but a check could not run (verify)
)

// Parse parses flags wherever they stand among the positional arguments
// (`plan acme --format json` as well as `plan --format json acme`); "--"
// ends the flags. It returns the positional arguments in order.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at the first positional argument or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// Version is tenantctl's version: the module version, with the VCS revision
// of a build from a checkout ("+dirty" when it had uncommitted changes).
// Every report and evidence entry carries it. A test build whose clock
// was moved (internal/clock) says so, so nothing it wrote passes for
// evidence of a real day.
func Version() string {
	v := version()
	if s := clock.Shifted(); s != "" {
		v += " (TEST BUILD, CLOCK SHIFTED: " + s + ")"
	}
	return v
}

func version() string {
	if release != "" {
		return release // a released binary (GoReleaser sets it from the tag)
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v != "(devel)" && v != "" {
		return v // a module version, or the pseudo-version Go derives from the VCS
	}
	dirty, commit := false, false
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			v += "+" + s.Value[:12]
			commit = true
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = true
		}
	}
	if dirty {
		v += "+dirty"
	}
	if !commit {
		// Reports and evidence carry this string: a build that names no
		// commit says so, rather than pass for a version.
		return Untraceable
	}
	return v
}

// release is the version a release build stamps (-ldflags -X).
var release string

// Untraceable is the version of a build that names no commit (go install
// ./cmd/tenantctl with -buildvcs=false, a copy without .git): what it
// wrote cannot be traced to its source.
const Untraceable = "(devel, UNTRACEABLE: built without a commit; build with scripts/build-tenantctl.sh)"
