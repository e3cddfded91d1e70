package verify

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// CSVHeader names the columns of the CSV report: one row per observation,
// for spreadsheets.
var CSVHeader = []string{"tenant", "account", "region", "time_jst", "time_utc", "control", "section", "section_title_ja", "section_title_en",
	"control_title", "check", "status", "resource", "observed", "expected", "remediation"}

// csvSafe keeps a cell from being read as a formula by a spreadsheet: a
// value that starts with =, +, -, @, a tab or a carriage return gets a
// leading apostrophe (OWASP, "CSV Injection").
func csvSafe(s string) string {
	s = visible(s, "")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (r *Report) csv(w io.Writer) error {
	lang := r.Lang
	if lang == "" {
		lang = catalog.LangFromEnv()
	}
	// A UTF-8 byte order mark first: Excel in a Japanese locale reads a
	// CSV without one as Shift_JIS and garbles the Japanese columns (#36
	// item 7); Python's csv reads it with encoding="utf-8-sig".
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, c := range r.Controls {
		cat, _ := catalog.ByID(c.ID)
		tx := catalog.TextsOf(cat, lang)
		for _, ch := range c.Checks {
			for _, o := range ch.Observations {
				fix := ""
				if o.Status == catalog.Fail || o.Status == catalog.Error {
					fix = tx.Remediation
				}
				row := []string{r.Tenant, r.Account, r.Region, r.Time.JST, r.Time.UTC, c.ID, c.Section, cat.TitleJA, catalog.SectionTitleEN[c.ID],
					tx.Title, ch.ID, string(o.Status), o.Resource, o.Observed, o.Expected, fix}
				for i := range row {
					row[i] = csvSafe(row[i])
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
