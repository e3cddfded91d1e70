package catalog

import (
	"fmt"
	"strings"
)

// Table is the control table in Markdown: for each control its whitepaper
// section, titles, severity, what the plan rule checks, the live checks
// (checks maps a control to its check IDs) and what stays a process. It is
// docs/controls.md, kept current by a test in internal/verify.
func Table(checks map[string][]string) string {
	var b strings.Builder
	b.WriteString("# Controls: whitepaper section, plan rule, live checks, process\n\n")
	b.WriteString("Generated from `internal/catalog` (titles, rules, process) and `internal/verify` (check IDs) by\n")
	b.WriteString("`UPDATE_DOCS=1 go test ./internal/verify -run TestControlsDocIsCurrent`; a test fails when it is stale.\n")
	b.WriteString("Each control's plan rule is in `internal/policy/wpNN.go`, its live checks in `internal/verify/wpNN.go` (WP-20.1: `wp20_1.go`).\n\n")
	b.WriteString("| § | Control | 管理策 | Severity | Plan rule (before deploy) | Live checks (after deploy) | What stays a process |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	cell := func(s string) string {
		if s == "" {
			return "—"
		}
		return strings.ReplaceAll(s, "|", "\\|")
	}
	for _, c := range Controls {
		live := c.Live
		if ids := checks[c.ID]; len(ids) > 0 {
			live = fmt.Sprintf("%s (`%s`)", c.Live, strings.Join(ids, "`, `"))
		}
		fmt.Fprintf(&b, "| %s | **%s** %s | %s | %s | %s | %s | %s |\n", c.Section, c.ID, cell(c.Title), cell(c.TitleJA), c.Severity, cell(c.Plan), cell(live), cell(Process[c.ID]))
	}
	return b.String()
}
