package verify

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/exceptions"
	"github.com/tenantkit/tenantkit/internal/procevidence"
)

// ReportSchema names the JSON report's format.
const ReportSchema = "tenantkit.verify/v1"

// Report is a tenant's evidence report (WP-44).
type Report struct {
	Schema      string         `json:"schema"`
	Tenant      string         `json:"tenant"`
	Account     string         `json:"account"`
	Region      string         `json:"region"`
	Time        ReportTime     `json:"time"`
	ToolVersion string         `json:"toolVersion"`
	Status      catalog.Status `json:"status"`
	// Endpoint is the endpoint verified against when it is not AWS's own
	// (an emulator, a proxy): the report is then no evidence about AWS,
	// and says so at its top.
	Endpoint string `json:"endpoint,omitempty"`
	// Caller is who ran the verification (sts:GetCallerIdentity's ARN);
	// Mode how the tenant's resources were found: inventory (the stack's
	// outputs) or discover (by tags and names).
	Caller string `json:"caller,omitempty"`
	Mode   string `json:"mode,omitempty"`
	// Commit is the checkout's commit the stack files (the expected
	// values) and the catalog were read at; Edition the whitepaper's.
	Commit  string `json:"commit,omitempty"`
	Edition string `json:"whitepaperEdition,omitempty"`
	// SharedWith counts the other tenants in the same AWS account and
	// region (their stack files): 0 is an account of its own.
	SharedWith *int `json:"sharedWith,omitempty"`
	// Cell names the cell (baseline stack, one AWS account) the tenant
	// lives in; empty in a fleet without cells.
	Cell string `json:"cell,omitempty"`
	// Exceptions are the tenant's accepted exceptions (the register in the
	// stacks directory): shown while they last and after, changing no
	// status.
	Exceptions []exceptions.Exception `json:"exceptions,omitempty"`
	// ProcessEvidence are the provider's documents for the sections met
	// by a process, each with its SHA-256 (sealed with the report).
	ProcessEvidence []procevidence.Document `json:"processEvidence,omitempty"`
	// Applicability is the statement of applicability with this report's
	// statuses (#37 item 5): written with the JSON, made from the catalog,
	// the controls and the process evidence when the report is written.
	Applicability []Applicable `json:"applicability,omitempty"`
	// APICalls counts the AWS calls the verification made, by operation.
	APICalls map[string]int  `json:"apiCalls,omitempty"`
	Controls []ControlResult `json:"controls"`
	// Lang is the language of the formats a person reads (html): ja or en.
	Lang string `json:"-"`
}

// ReportTime is when the report was made, in UTC and JST.
type ReportTime struct {
	UTC string `json:"utc"`
	JST string `json:"jst"`
}

// NewReport folds check results into a report.
func NewReport(t *Target, results []CheckResult, now time.Time, calls *Calls) *Report {
	r := &Report{
		Schema: ReportSchema, Tenant: t.Inv.Tenant, Account: t.Inv.AccountID, Region: t.Inv.Region,
		Time:        ReportTime{UTC: now.UTC().Format(time.RFC3339), JST: now.In(config.JST).Format("2006-01-02T15:04:05+09:00")},
		ToolVersion: ToolVersion(), Controls: Controls(results),
	}
	if calls != nil {
		r.APICalls = calls.ByOperation()
	}
	withoutOtherTenants(r, t.Inv.Tenant, otherTenantIDs(t))
	r.Status = catalog.Pass
	for _, c := range r.Controls {
		switch {
		case c.Status == catalog.Fail:
			r.Status = catalog.Fail
		case c.Status == catalog.Error && r.Status != catalog.Fail:
			r.Status = catalog.Error
		case c.Status == catalog.Pending && r.Status == catalog.Pass:
			r.Status = catalog.Pending
		}
	}
	return r
}

// ChecksOK counts the control's checks that passed: an N/A or PENDING
// check is not counted, so "2/3" says one check did not judge.
func (c ControlResult) ChecksOK() int {
	n := 0
	for _, ch := range c.Checks {
		if ch.Status == catalog.Pass {
			n++
		}
	}
	return n
}

// StatusLabel is the control's status as a reader sees it: a PASS beside
// checks that did not judge says so.
func (c ControlResult) StatusLabel() string {
	if c.Status == catalog.Pass && len(c.NotJudged) > 0 {
		return string(catalog.PartlyJudged)
	}
	return string(c.Status)
}

// ExitCode: 0 all PASS (N/A and PENDING allowed: a reading not yet due is
// said, not failed), 1 any FAIL, 3 no FAIL but an ERROR.
func (r *Report) ExitCode() int {
	switch r.Status {
	case catalog.Fail:
		return cli.ExitFail
	case catalog.Error:
		return cli.ExitError
	}
	return cli.ExitOK
}

// Applicable is one whitepaper section in a report: how it is met, the
// clauses it answers, its controls' statuses here and its documents.
type Applicable struct {
	Section   int                     `json:"section"`
	TitleJA   string                  `json:"titleJa"`
	TitleEN   string                  `json:"titleEn"`
	Class     catalog.Class           `json:"class"`
	ISO27017  string                  `json:"iso27017,omitempty"`
	ISO27002  string                  `json:"iso27002,omitempty"`
	Controls  []ApplicableControl     `json:"controls,omitempty"`
	How       string                  `json:"how"`
	HowJA     string                  `json:"howJa"`
	Documents []procevidence.Document `json:"documents,omitempty"`
}

// ApplicableControl is a control of a section, with its status in the
// report (UNKNOWN: not in this report).
type ApplicableControl struct {
	ID     string         `json:"id"`
	Status catalog.Status `json:"status"`
}

// statement is the statement of applicability with the report's statuses
// and documents: every one of the whitepaper's sections.
func (r *Report) statement() []Applicable {
	status := map[string]catalog.Status{}
	for _, c := range r.Controls {
		status[c.ID] = c.Status
	}
	var out []Applicable
	for _, s := range catalog.Sections {
		a := Applicable{Section: s.Number, TitleJA: s.TitleJA, TitleEN: s.TitleEN, Class: s.Class, ISO27017: s.ISO27017, ISO27002: s.ISO27002, How: s.HowEN, HowJA: s.HowJA,
			Documents: procevidence.OfSection(r.ProcessEvidence, s.Number)}
		for _, id := range s.Controls {
			st, ok := status[id]
			if !ok {
				st = catalog.Unknown
			}
			a.Controls = append(a.Controls, ApplicableControl{id, st})
		}
		out = append(out, a)
	}
	return out
}

// exceptionState says whether an exception lasts on the report's day.
func exceptionState(e exceptions.Exception) string {
	if e.Active {
		return "ACTIVE"
	}
	return "EXPIRED or not yet begun"
}

// ToolVersion is tenantctl's version (cli.Version).
func ToolVersion() string { return cli.Version() }

// Write renders the report: text, json, junit, markdown or html.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		withSoA := *r
		withSoA.Applicability = r.statement()
		b, err := json.MarshalIndent(&withSoA, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(jsonVisible(b)))
		return err
	case "junit":
		return r.junit(w)
	case "markdown":
		return r.markdown(w)
	case "text":
		return r.text(w)
	case "ocsf":
		return r.ocsf(w)
	case "csv":
		return r.csv(w)
	case "html":
		lang := r.Lang
		if lang == "" {
			lang = catalog.LangFromEnv()
		}
		return r.HTML(w, lang)
	}
	return fmt.Errorf("unknown format %q: use %s", format, strings.Join(formats, ", "))
}

// Legend says what each status means, at the top of every report a person
// reads.
const Legend = "PASS: read from AWS and as the control requires. FAIL: read from AWS and not as required (a finding). " +
	"ERROR: could not be read or judged (access, an answer that cannot be AWS's, a deadline); never a pass. " +
	"N/A: the control does not apply to this tenant now, with the reason. PENDING: a reading is not due yet (an instance just launched), with when; never a pass. " +
	"Controls each hold one or more checks; a control takes its worst check's status, and a PASS names the checks that did not judge."

// TextWidth bounds the text report's lines: the matrix fits a terminal,
// longer findings wrap onto indented lines.
const TextWidth = 100

func (r *Report) text(w io.Writer) error {
	var buf bytes.Buffer
	if r.Endpoint != "" {
		fmt.Fprintf(&buf, "NOT AWS: verified against %s (an emulator or a proxy); this report is no evidence about an AWS account\n", visible(r.Endpoint, ""))
	}
	fmt.Fprintf(&buf, "tenant %s  account %s  region %s  %s  %s\n%s\n\n", visible(r.Tenant, ""), visible(r.Account, ""), visible(r.Region, ""), r.Time.JST, r.Status, Legend)
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONTROL\t§\tSTATUS\tCHECKS\tFIRST FINDING")
	for _, c := range r.Controls {
		pass := c.ChecksOK()
		first := ""
		if len(c.Findings) > 0 {
			f := c.Findings[0]
			first = visible(fmt.Sprintf("%s: %s; expected %s", f.Resource, f.Observed, f.Expected), "")
			if len(c.Findings) > 1 {
				first = fmt.Sprintf("(+%d) ", len(c.Findings)-1) + first
			}
		}
		if first == "" && len(c.NotJudged) > 0 {
			first = visible(strings.Join(c.NotJudged, "; "), "")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d pass\t%s\n", c.ID, c.Section, c.StatusLabel(), pass, len(c.Checks), first)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range r.Exceptions {
		what := visible(e.Control, "")
		if e.Check != "" {
			what += " (" + visible(e.Check, "") + ")"
		}
		fmt.Fprintf(&buf, "\nEXCEPTION %s %s: accepted by %s on %s until %s: %s", what, exceptionState(e), visible(e.AcceptedBy, ""), visible(e.AcceptedOn, ""), visible(e.Until, ""), visible(e.Reason, ""))
	}
	if len(r.Exceptions) > 0 {
		fmt.Fprintln(&buf)
	}
	if n := total(r.APICalls); n > 0 {
		fmt.Fprintf(&buf, "\n%d AWS API calls; every finding in full: --format json or markdown\n", n)
	}
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		for _, part := range wrap(line, TextWidth) {
			if _, err := io.WriteString(w, part+"\n"); err != nil {
				return err
			}
		}
	}
	return nil
}

// wrap cuts a line longer than width into lines of at most width runes,
// at spaces where it can, the continuations indented under the finding
// (nothing is cut off: every finding stays whole in the text report). A
// blank line stays one blank line.
func wrap(line string, width int) []string {
	const indent = "      "
	runes := []rune(line)
	var out []string
	lead := ""
	for len([]rune(lead))+len(runes) > width {
		limit := width - len([]rune(lead))
		cut := limit
		for i := limit; i > limit/2; i-- {
			if runes[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, lead+strings.TrimRight(string(runes[:cut]), " "))
		runes = []rune(strings.TrimLeft(string(runes[cut:]), " "))
		lead = indent
	}
	return append(out, lead+string(runes))
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func (r *Report) markdown(w io.Writer) error {
	esc := mdCell
	if r.Endpoint != "" {
		fmt.Fprintf(w, "> **NOT AWS**: verified against %s (an emulator or a proxy); this report is no evidence about an AWS account.\n\n", esc(r.Endpoint))
	}
	fmt.Fprintf(w, "# Evidence: tenant %s\n\nAccount %s, region %s, %s (UTC %s), tenantkit %s. Overall: **%s**.\n\n", esc(r.Tenant), esc(r.Account), esc(r.Region), r.Time.JST, r.Time.UTC, esc(r.ToolVersion), r.Status)
	if r.Caller != "" {
		fmt.Fprintf(w, "Run by %s, resources found by %s.\n\n", esc(r.Caller), esc(r.Mode))
	}
	fmt.Fprintf(w, "%s\n\n", Legend)
	// One line per control first (its section in both languages and how
	// many of its checks passed), then every observation.
	fmt.Fprintf(w, "## Controls\n\n| Control | § | Section (ja / en) | Title | Status | Checks |\n|---|---|---|---|---|---|\n")
	for _, c := range r.Controls {
		fmt.Fprintf(w, "| %s | %s | %s / %s | %s | %s | %d/%d |\n", esc(c.ID), esc(c.Section), esc(c.SectionTitleJA), esc(c.SectionTitleEN), esc(c.Title), c.StatusLabel(), c.ChecksOK(), len(c.Checks))
	}
	var partial []string
	for _, c := range r.Controls {
		for _, n := range c.NotJudged {
			partial = append(partial, "- "+esc(n))
		}
	}
	if len(partial) > 0 {
		fmt.Fprintf(w, "\nChecks that did not judge (their control's status says nothing of them):\n\n%s\n", strings.Join(partial, "\n"))
	}
	fmt.Fprintf(w, "\n## Statement of applicability (all %d sections of the whitepaper, %s)\n\n| § | Section | Class | Controls (status here) | ISO/IEC 27017 | ISO/IEC 27002:2022 | How it is met |\n|---|---|---|---|---|---|---|\n", catalog.SectionCount, catalog.Edition)
	for _, a := range r.statement() {
		var ctl []string
		for _, c := range a.Controls {
			ctl = append(ctl, c.ID+" "+string(c.Status))
		}
		fmt.Fprintf(w, "| %d | %s (%s) | %s | %s | %s | %s | %s |\n", a.Section, esc(a.TitleEN), esc(a.TitleJA), catalog.ClassName(a.Class, catalog.LangEN), esc(strings.Join(ctl, ", ")), esc(a.ISO27017), esc(a.ISO27002), esc(a.How))
	}
	if len(r.ProcessEvidence) > 0 {
		fmt.Fprintf(w, "\n## Process evidence\n\n| § | Document | Owner | Carried out | File | SHA-256 |\n|---|---|---|---|---|---|\n")
		for _, d := range r.ProcessEvidence {
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", d.Section, esc(d.Title), esc(d.Owner), esc(d.Date), esc(d.File), d.SHA256)
		}
	}
	if len(r.Exceptions) > 0 {
		fmt.Fprintf(w, "\n## Accepted exceptions\n\nAn exception changes no status: the control's findings stand.\n\n| Control | Check | State | Accepted by | On | Until | Reason | Ticket |\n|---|---|---|---|---|---|---|---|\n")
		for _, e := range r.Exceptions {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", esc(e.Control), esc(e.Check), exceptionState(e), esc(e.AcceptedBy), esc(e.AcceptedOn), esc(e.Until), esc(e.Reason), esc(e.Ticket))
		}
	}
	fmt.Fprintf(w, "\n## Observations\n\n")
	fmt.Fprintln(w, "| Control | § | Title | Status | Resource | Observed | Expected |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, c := range r.Controls {
		for _, ch := range c.Checks {
			for _, o := range ch.Observations {
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", esc(ch.ID), esc(c.Section), esc(c.Title), o.Status, esc(o.Resource), esc(o.Observed), esc(o.Expected))
			}
		}
	}
	var todo []ControlResult
	for _, c := range r.Controls {
		if c.Remediation != "" {
			todo = append(todo, c)
		}
	}
	if len(todo) > 0 {
		fmt.Fprintf(w, "\n## What to do\n\n")
		for _, c := range todo {
			fmt.Fprintf(w, "- **%s** %s (%s): %s\n", esc(c.ID), esc(c.Title), c.Status, esc(c.Remediation))
		}
	}
	return nil
}

type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"timestamp,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

func (r *Report) junit(w io.Writer) error {
	s := junitSuite{Name: "tenantkit-verify-" + r.Tenant, Time: r.Time.UTC}
	for _, c := range r.Controls {
		for _, ch := range c.Checks {
			jc := junitCase{Name: ch.ID, Classname: "tenantkit." + r.Tenant + "." + c.ID}
			var lines []string
			for _, o := range ch.Observations {
				switch {
				case o.Status != ch.Status:
				case o.Status == catalog.NA: // a reason, not a finding
					lines = append(lines, visible(o.Observed, ""))
				default:
					lines = append(lines, visible(fmt.Sprintf("%s: %s; expected %s", o.Resource, o.Observed, o.Expected), ""))
				}
			}
			msg := &junitMessage{Message: string(ch.Status), Body: strings.Join(lines, "\n")}
			if ch.Status == catalog.NA {
				msg = &junitMessage{Message: "not applicable: " + strings.Join(lines, "; ")}
			}
			if ch.Status == catalog.Pending {
				msg = &junitMessage{Message: "pending: " + strings.Join(lines, "; ")}
			}
			switch ch.Status {
			case catalog.Fail:
				jc.Failure, s.Failures = msg, s.Failures+1
			case catalog.Error:
				jc.Error, s.Errors = msg, s.Errors+1
			case catalog.NA, catalog.Pending:
				jc.Skipped, s.Skipped = msg, s.Skipped+1
			}
			s.Cases = append(s.Cases, jc)
		}
	}
	s.Tests = len(s.Cases)
	b, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, b)
	return err
}
