// Package cli holds what every tenantctl command shares: flags that may come
// before or after the positional arguments, and the exit codes.
package cli

import (
	"flag"
	"runtime/debug"
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
// Every report and evidence entry carries it.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v != "(devel)" && v != "" {
		return v // a module version, or the pseudo-version Go derives from the VCS
	}
	dirty := false
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			v += "+" + s.Value[:12]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = true
		}
	}
	if dirty {
		v += "+dirty"
	}
	return v
}
