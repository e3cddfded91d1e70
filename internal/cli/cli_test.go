package cli

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseFlagsAnywhere(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		format string
		all    bool
		pos    []string
	}{
		{[]string{"acme"}, "text", false, []string{"acme"}},
		{[]string{"acme", "--format", "json"}, "json", false, []string{"acme"}},
		{[]string{"--format=json", "acme", "globex", "--all"}, "json", true, []string{"acme", "globex"}},
		{[]string{"acme", "--", "--all"}, "text", false, []string{"acme", "--all"}},
		{nil, "text", false, nil},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		format := fs.String("format", "text", "")
		all := fs.Bool("all", false, "")
		pos, err := Parse(fs, tc.args)
		if err != nil || *format != tc.format || *all != tc.all || !slices.Equal(pos, tc.pos) {
			t.Errorf("Parse(%q) = %q, format %q, all %v, err %v; want %q, %q, %v", tc.args, pos, *format, *all, err, tc.pos, tc.format, tc.all)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := Parse(fs, []string{"acme", "--nope"}); err == nil {
		t.Error("an unknown flag after a positional argument was accepted")
	}
}
