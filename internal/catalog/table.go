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
	return TableIn(LangEN, checks)
}

// TableIn is the control table in a language: docs/controls.md in English,
// docs/controls.ja.md in Japanese (the customers' reviewers' language).
func TableIn(lang string, checks map[string][]string) string {
	if lang == LangJA {
		return tableJA(checks)
	}
	var b strings.Builder
	b.WriteString("# Controls: whitepaper section, plan rule, live checks, process\n\n")
	b.WriteString("Generated from `internal/catalog` (titles, rules, process) and `internal/verify` (check IDs) by\n")
	b.WriteString("`UPDATE_DOCS=1 go test ./internal/verify -run TestControlsDocIsCurrent`; a test fails when it is stale.\n")
	b.WriteString("Each control's plan rule is in `internal/policy/wpNN.go`, its live checks in `internal/verify/wpNN.go` (WP-20.1: `wp20_1.go`).\n")
	b.WriteString("日本語版: [controls.ja.md](controls.ja.md).\n\n")
	b.WriteString("| § | Control | 管理策 | Severity | Plan rule (before deploy) | Live checks (after deploy) | What stays a process |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, c := range Controls {
		live := c.Live
		if ids := checks[c.ID]; len(ids) > 0 {
			live = fmt.Sprintf("%s (`%s`)", c.Live, strings.Join(ids, "`, `"))
		}
		fmt.Fprintf(&b, "| %s | **%s** %s | %s | %s | %s | %s | %s |\n", c.Section, c.ID, Cell(c.Title), Cell(c.TitleJA), c.Severity, Cell(c.Plan), Cell(live), Cell(Process[c.ID]))
	}
	b.WriteString("\n" + ApplicabilityIn(LangEN))
	return b.String()
}

func tableJA(checks map[string][]string) string {
	var b strings.Builder
	b.WriteString("# 管理策：ホワイトペーパーの項番、デプロイ前の判定、デプロイ後の判定、運用手順\n\n")
	b.WriteString("`internal/catalog`（表題、ルール、運用手順）と `internal/verify`（確認項目の ID）から\n")
	b.WriteString("`UPDATE_DOCS=1 go test ./internal/verify -run TestControlsDocIsCurrent` で生成します。古くなるとテストが失敗します。\n")
	b.WriteString("英語版は [controls.md](controls.md)。各管理策のデプロイ前の判定は `internal/policy/wpNN.go`、デプロイ後の判定は `internal/verify/wpNN.go`（WP-20.1 は `wp20_1.go`）にあります。\n\n")
	b.WriteString("| 項番 | 管理策 | ホワイトペーパーの項番 | 重要度 | デプロイ前の判定 | デプロイ後の判定（AWS から読み取った値による） | 運用手順として残るもの |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	severity := map[Severity]string{Mandatory: "必須", Advisory: "推奨"}
	for _, c := range Controls {
		tx := TextsOf(c, LangJA)
		live := tx.Live
		if ids := checks[c.ID]; len(ids) > 0 {
			live = fmt.Sprintf("%s（`%s`）", tx.Live, strings.Join(ids, "`, `"))
		}
		fmt.Fprintf(&b, "| %s | **%s** %s | %s | %s | %s | %s | %s |\n", c.Section, c.ID, Cell(tx.Title), Cell(tx.Section), severity[c.Severity], Cell(tx.Plan), Cell(live), Cell(tx.Process))
	}
	b.WriteString("\n" + ApplicabilityIn(LangJA))
	return b.String()
}

// Cell is a Markdown table cell: a dash for nothing, pipes escaped.
func Cell(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "|", "\\|")
}
