package verify

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/exceptions"
	"github.com/tenantkit/tenantkit/internal/procevidence"
)

// The HTML reports are for the customers' reviewers: one page per tenant and
// one for the fleet, in Japanese or English, self-contained (the style is
// inline, nothing is fetched, no script runs) and printable to PDF.
// html/template escapes every value, those read from AWS among them.

//go:embed html/style.css html/report.html.tmpl html/fleet.html.tmpl
var htmlFiles embed.FS

var htmlTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	// class names a status for CSS: N/A is not a class name.
	"class": func(s catalog.Status) string { return strings.ReplaceAll(string(s), "/", "") },
	// say shows a status in the page's language (the English stays in
	// the data attributes and classes).
	"say": func(w catalog.Words, s catalog.Status) string { return w.Say(s) },
	// fill puts a value into a sentence of the page's words, marked as
	// a value (not to be translated).
	"fill": func(format, value string) template.HTML {
		return template.HTML(fmt.Sprintf(template.HTMLEscapeString(format), `<code translate="no">`+template.HTMLEscapeString(value)+`</code>`))
	},
}).ParseFS(htmlFiles, "html/*.tmpl"))

func styleSheet() template.CSS {
	b, _ := htmlFiles.ReadFile("html/style.css")
	return template.CSS(b)
}

type legendRow struct {
	Status  catalog.Status
	Meaning string
}

func legend(w catalog.Words) []legendRow {
	var out []legendRow
	for _, s := range []catalog.Status{catalog.Pass, catalog.Fail, catalog.Error, catalog.NA, catalog.Pending, catalog.Unknown} {
		out = append(out, legendRow{s, w.StatusMeaning[s]})
	}
	return out
}

type htmlRow struct {
	Check                        string
	Status                       catalog.Status
	Resource, Observed, Expected string
	// Reason is an N/A's reason in the page's language, shown in place
	// of the observed value (it is the tool's words, not a value).
	Reason string
	// ReadAt is when the observation was read, in JST.
	ReadAt string
}

// notJudged is a check of a control that did not judge, beside others
// that did: its status, and why (a reason in the page's language, or the
// value a PENDING reading holds).
type notJudged struct {
	Check         string
	Status        catalog.Status
	Reason, Value string
}

// prose renders a catalog text: escaped, with `quoted` spans (commands,
// keys, names) as code, which a reader copies and no one translates.
func prose(s string) template.HTML {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString(`<code translate="no">` + template.HTMLEscapeString(p) + `</code>`)
			continue
		}
		if i%2 == 1 {
			b.WriteString("`")
		}
		b.WriteString(template.HTMLEscapeString(p))
	}
	return template.HTML(b.String())
}

// jst shows an RFC 3339 instant in JST (as read when it is not one).
func jst(utc string) string {
	at, err := time.Parse(time.RFC3339, utc)
	if err != nil {
		return visible(utc, "")
	}
	return at.In(config.JST).Format("2006-01-02 15:04:05")
}

type htmlControl struct {
	ID, Section, SectionTitle, SectionTitleOther string
	Title, Plan, Live, Remediation, Process      template.HTML
	Status                                       catalog.Status
	Passed, Total                                int
	Rows                                         []htmlRow
	// Label is the status as read (a PASS beside checks that did not
	// judge says so); NotJudged names those checks.
	Label     string
	NotJudged []notJudged
	// Excepted is the active exception that accepts this control failing.
	Excepted *exceptions.Exception
	// Tenancy, on the controls that judge isolation (WP-17, WP-19), says
	// whether the account is shared and with how many tenants (#38 item 4).
	Tenancy string
}

// htmlControls is the report's controls in a language: the catalog's words,
// the observations as read (visible: control characters and bidi overrides
// shown as escapes, as in the other formats).
func htmlControls(r *Report, lang string) []htmlControl {
	other, words, excepted := otherLang(lang), catalog.WordsIn(lang), htmlExceptions(r.Exceptions)
	var out []htmlControl
	for _, c := range r.Controls {
		cat, _ := catalog.ByID(c.ID)
		tx, ox := catalog.TextsOf(cat, lang), catalog.TextsOf(cat, other)
		hc := htmlControl{ID: c.ID, Section: c.Section, SectionTitle: tx.Section, SectionTitleOther: ox.Section, Title: prose(tx.Title),
			Status: c.Status, Plan: prose(tx.Plan), Live: prose(tx.Live), Process: prose(tx.Process), Passed: c.ChecksOK(), Total: len(c.Checks),
			Label: words.Say(catalog.Status(c.StatusLabel())), Excepted: exceptions.Covers(excepted, c.ID)}
		if c.Status == catalog.Fail || c.Status == catalog.Error {
			hc.Remediation = prose(tx.Remediation)
		}
		if c.ID == "WP-17" || c.ID == "WP-19" {
			hc.Tenancy = tenancy(r, words)
		}
		for _, ch := range c.Checks {
			for _, o := range ch.Observations {
				row := htmlRow{Check: ch.ID, Status: o.Status, Resource: visible(o.Resource, ""), Observed: visible(o.Observed, ""),
					Expected: visible(o.Expected, ""), ReadAt: jst(o.ReadAt)}
				if o.Status == catalog.NA {
					row.Reason, row.Observed = reasonIn(o, lang), ""
				}
				hc.Rows = append(hc.Rows, row)
			}
			if c.Status != catalog.NA && (ch.Status == catalog.NA || ch.Status == catalog.Pending) {
				nj := notJudged{Check: ch.ID, Status: ch.Status}
				if o := ch.why(); ch.Status == catalog.NA {
					nj.Reason = reasonIn(o, lang)
				} else {
					nj.Value = visible(o.Observed, "")
				}
				hc.NotJudged = append(hc.NotJudged, nj)
			}
		}
		out = append(out, hc)
	}
	return out
}

// htmlExceptions are the register's rows, every field as written.
func htmlExceptions(es []exceptions.Exception) []exceptions.Exception {
	out := make([]exceptions.Exception, len(es))
	for i, e := range es {
		out[i] = exceptions.Exception{Tenant: visible(e.Tenant, ""), Control: visible(e.Control, ""), Check: visible(e.Check, ""), Reason: visible(e.Reason, ""),
			AcceptedBy: visible(e.AcceptedBy, ""), AcceptedOn: visible(e.AcceptedOn, ""), Until: visible(e.Until, ""), Ticket: visible(e.Ticket, ""), Active: e.Active}
	}
	return out
}

// otherLang is the language the page shows its second titles in.
func otherLang(lang string) string {
	if lang == catalog.LangJA {
		return catalog.LangEN
	}
	return catalog.LangJA
}

// reasonIn is an N/A's reason in a language.
func reasonIn(o Observation, lang string) string {
	if lang == catalog.LangJA && o.ReasonJA != "" {
		return visible(o.ReasonJA, "")
	}
	return visible(o.Observed, "")
}

// HTML writes the tenant's report as one HTML page in a language (ja, en).
func (r *Report) HTML(w io.Writer, lang string) error {
	words := catalog.WordsIn(lang)
	// The header too: html/template escapes markup, not control
	// characters, bidi overrides or bytes that are not UTF-8 (#36 item 7).
	hdr := *r
	hdr.Tenant, hdr.Account, hdr.Region, hdr.Endpoint, hdr.ToolVersion = visible(r.Tenant, ""), visible(r.Account, ""), visible(r.Region, ""), visible(r.Endpoint, ""), visible(r.ToolVersion, "")
	hdr.Time.JST, hdr.Time.UTC = visible(r.Time.JST, ""), visible(r.Time.UTC, "")
	hdr.Caller, hdr.Mode = visible(r.Caller, ""), visible(r.Mode, "")
	return htmlTemplates.ExecuteTemplate(w, "report.html.tmpl", map[string]any{
		"Lang": lang, "W": words, "R": &hdr, "CSS": styleSheet(), "Legend": legend(words), "Controls": htmlControls(r, lang),
		"Applicability": applicability(r, lang), "Edition": catalog.Edition, "Tenancy": tenancy(r, words),
		"Commit": visible(r.Commit, ""), "ModeMeans": words.ModeMeans[r.Mode], "Other": otherLang(lang),
		"Exceptions": htmlExceptions(r.Exceptions),
	})
}

// applicabilityRow is one whitepaper section on the page: how it is met,
// and, for a technical one, the statuses of its controls in this report.
type applicabilityRow struct {
	Number                   int
	Title, Class, ClassLabel string
	Controls                 []ApplicableControl
	ISO27017, ISO27002       string
	How                      template.HTML
	// Documents are the process evidence attached to the section.
	Documents []procevidence.Document
}

// applicability is the statement of applicability (catalog.Sections) with
// the report's statuses: every one of the whitepaper's sections, WP-44
// included (#37 item 5).
func applicability(r *Report, lang string) []applicabilityRow {
	var out []applicabilityRow
	for _, s := range r.statement() {
		row := applicabilityRow{Number: s.Section, Title: s.TitleEN, Class: string(s.Class), ClassLabel: catalog.ClassName(s.Class, lang),
			ISO27017: s.ISO27017, ISO27002: s.ISO27002, How: prose(s.How), Controls: s.Controls}
		if lang == catalog.LangJA {
			row.Title, row.How = s.TitleJA, prose(s.HowJA)
		}
		for _, d := range s.Documents {
			row.Documents = append(row.Documents, procevidence.Document{Section: d.Section, Title: visible(d.Title, ""), Owner: visible(d.Owner, ""),
				File: visible(d.File, ""), Date: visible(d.Date, ""), SHA256: visible(d.SHA256, ""), Bytes: d.Bytes})
		}
		out = append(out, row)
	}
	return out
}

// FleetTenant is one tenant of the fleet page: its report (nil when it
// could not be verified), why not, the file its page was written to, and
// its §10 dates.
type FleetTenant struct {
	Tenant string
	// Cell is the tenant's cell (its report's, else its stack file's).
	Cell   string
	Report *Report
	// Status is the report's status, or why there is none (one word or
	// two: NOT VERIFIED, NO REPORT, DELETED).
	Status     string
	ReportFile string
	// State, Cancelled, SuspendBy, DeleteBy, Done: the offboarding timeline.
	State, Cancelled, SuspendBy, DeleteBy, Done string
}

type fleetRow struct {
	Tenant, Report string
	Status         catalog.Status
	Cells          []catalog.Status
	// Group, on the first row of a cell, heads the cell's tenants.
	Group *fleetGroup
}

type fleetGroup struct {
	Cell, Title string
}

// FleetHTML writes the fleet's page: a tenant × control grid, each cell the
// control's status in that tenant's report, its tenants grouped by cell
// (one AWS account each), and the offboarding timeline.
func FleetHTML(w io.Writer, lang string, tenants []FleetTenant, jst, utc, endpoint string) error {
	words := catalog.WordsIn(lang)
	tenants = slices.Clone(tenants)
	slices.SortStableFunc(tenants, func(a, b FleetTenant) int { return strings.Compare(a.Cell, b.Cell) })
	count := map[string]int{}
	for _, t := range tenants {
		count[t.Cell]++
	}
	var controls []catalog.Control
	for _, c := range catalog.Controls {
		if len(checksOf(c.ID)) > 0 {
			controls = append(controls, c)
		}
	}
	type col struct{ ID, Title string }
	var cols []col
	for _, c := range controls {
		cols = append(cols, col{c.ID, strings.ReplaceAll(catalog.TextsOf(c, lang).Title, "`", "")})
	}
	var rows []fleetRow
	type timelineRow struct{ Tenant, State, Cancelled, SuspendBy, DeleteBy, Done string }
	var timeline []timelineRow
	for i, t := range tenants {
		row := fleetRow{Tenant: visible(t.Tenant, ""), Report: visible(t.ReportFile, ""), Status: catalog.Status(visible(t.Status, ""))}
		if i == 0 || t.Cell != tenants[i-1].Cell {
			title := words.NoCell
			if t.Cell != "" {
				title = words.Cell + " " + visible(t.Cell, "")
				if t.Report != nil && t.Report.Account != "" {
					title += " (" + words.Account + " " + visible(t.Report.Account, "") + ")"
				}
			}
			row.Group = &fleetGroup{Cell: visible(t.Cell, ""), Title: title + " — " + fmt.Sprintf(words.TenantsIn, count[t.Cell])}
		}
		for _, c := range controls {
			st := catalog.Status("—")
			if t.Report != nil {
				for _, rc := range t.Report.Controls {
					if rc.ID == c.ID {
						st = rc.Status
					}
				}
			}
			row.Cells = append(row.Cells, st)
		}
		rows = append(rows, row)
		if t.Cancelled != "" {
			timeline = append(timeline, timelineRow{visible(t.Tenant, ""), words.StateName(visible(t.State, "")), visible(t.Cancelled, ""), visible(t.SuspendBy, ""), visible(t.DeleteBy, ""), visible(t.Done, "")})
		}
	}
	return htmlTemplates.ExecuteTemplate(w, "fleet.html.tmpl", map[string]any{
		"Lang": lang, "W": words, "CSS": styleSheet(), "Legend": legend(words), "Controls": cols, "Rows": rows, "Timeline": timeline, "Span": len(cols) + 2,
		"JST": visible(jst, ""), "UTC": visible(utc, ""), "Tool": visible(ToolVersion(), ""), "Endpoint": visible(endpoint, ""),
	})
}

// checksOf lists a control's live checks.
func checksOf(control string) []string {
	var out []string
	for _, c := range checks {
		if c.Control == control {
			out = append(out, c.ID)
		}
	}
	return out
}

// tenancy says whether the tenant shares its AWS account, and what that
// does and does not give (#37 item 6); "" when not known.
func tenancy(r *Report, w catalog.Words) string {
	switch {
	case r.SharedWith == nil:
		return ""
	case *r.SharedWith > 0:
		return fmt.Sprintf(w.TenancyShared, *r.SharedWith)
	default:
		return w.TenancyOwn
	}
}
