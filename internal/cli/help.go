package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Command describes a tenantctl command: its help is generated from this
// and from the command's own flag set, so the text cannot drift from the
// flags it parses.
type Command struct {
	Name string
	// Synopsis lines, each after "tenantctl ".
	Synopsis []string
	// Summary is the command's line in `tenantctl help`.
	Summary string
	// Details is shown under the synopsis.
	Details string
}

// Help writes a command's help: usage, details, flags, exit codes.
func Help(w io.Writer, c Command, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage:")
	for _, s := range c.Synopsis {
		fmt.Fprintf(w, "  tenantctl %s\n", s)
	}
	if c.Details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Details))
	}
	if fs != nil {
		var flags []*flag.Flag
		fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
		if len(flags) > 0 {
			fmt.Fprintln(w, "\nflags:")
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, f := range flags {
				kind, usage := flag.UnquoteUsage(f)
				name := "--" + f.Name
				if kind != "" {
					name += " " + kind
				}
				if f.DefValue != "" && f.DefValue != "false" {
					usage += fmt.Sprintf(" (default %s)", f.DefValue)
				}
				fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(w, "\n"+ExitCodes)
}

// ExitCodes are the same for every command.
const ExitCodes = `exit codes: 0 ok, 1 a control or step failed, 2 bad input or usage,
            3 no failure, but something could not be checked or run`

// ParseCommand parses a command's arguments (flags anywhere, see Parse).
// --help or -h prints the help on stdout and ends the command with exit 0;
// a bad flag prints what was wrong and where to find the help on stderr
// and ends it with exit 2. done says whether the command is over.
func ParseCommand(c Command, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, done bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // the flag package's own usage text is not ours
	pos, err := Parse(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		Help(stdout, c, fs)
		return nil, ExitOK, true
	case err != nil:
		fmt.Fprintf(stderr, "run `tenantctl %s --help` for the flags\n", c.Name)
		return nil, ExitBadInput, true
	}
	return pos, ExitOK, false
}

// UsageError reports a misuse with the command's usage lines, exit 2.
func UsageError(stderr io.Writer, c Command, format string, args ...any) int {
	fmt.Fprintf(stderr, "tenantctl %s: "+format+"\n", append([]any{c.Name}, args...)...)
	fmt.Fprintln(stderr, "usage:")
	for _, s := range c.Synopsis {
		fmt.Fprintf(stderr, "  tenantctl %s\n", s)
	}
	fmt.Fprintf(stderr, "run `tenantctl %s --help` for the flags\n", c.Name)
	return ExitBadInput
}
