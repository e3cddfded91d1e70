package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// htmlReport is acme's report from the fake world with one control broken
// (the service-logs copy gone) and a hostile value read back.
func htmlReport(t *testing.T) *Report {
	t.Helper()
	cfg, w, inv := acme(t)
	w.buckets[inv.Buckets.ServiceLogs].replication = nil
	tgt := w.target(cfg, inv)
	r := NewReport(tgt, RunChecks(context.Background(), tgt, Checks(), 4), time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC), &Calls{})
	// A value from outside that would be markup if it were not escaped.
	r.Controls[0].Checks[0].Observations = append(r.Controls[0].Checks[0].Observations,
		Observation{Status: catalog.Pass, Resource: `<script>alert("x")</script>`, Observed: "</td><b>bold</b>"})
	return r
}

// Both languages: every control with its section titles in Japanese and
// English, what was checked, the legend, the remediation under the failing
// control, values escaped, and the emulator banner when the endpoint is not
// AWS's.
func TestHTMLReport(t *testing.T) {
	r := htmlReport(t)
	r.Endpoint = "http://127.0.0.1:5000"
	for _, lang := range catalog.Langs {
		var b bytes.Buffer
		if err := r.HTML(&b, lang); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		words := catalog.WordsIn(lang)
		if !strings.Contains(page, `<html lang="`+lang+`">`) || !strings.Contains(page, `id="not-aws"`) {
			t.Errorf("%s: no lang attribute or no emulator banner", lang)
		}
		for _, c := range r.Controls {
			cat, _ := catalog.ByID(c.ID)
			tx := catalog.TextsOf(cat, lang)
			for _, want := range []string{`id="` + c.ID + `"`, cat.TitleJA, catalog.SectionTitleEN[c.ID], string(prose(tx.Title))} {
				if !strings.Contains(page, want) {
					t.Errorf("%s: %s: the page lacks %q", lang, c.ID, want)
				}
			}
			if tx.Live != "" && !strings.Contains(page, string(prose(tx.Live))) {
				t.Errorf("%s: %s: what was checked is missing", lang, c.ID)
			}
		}
		wp39, _ := catalog.ByID("WP-39")
		if !strings.Contains(page, string(prose(catalog.TextsOf(wp39, lang).Remediation))) || !strings.Contains(page, words.WhatToDo) {
			t.Errorf("%s: the failing control's remediation is missing", lang)
		}
		for _, s := range []catalog.Status{catalog.Pass, catalog.Fail, catalog.Error, catalog.NA} {
			if !strings.Contains(page, htmlEscape(words.StatusMeaning[s])) {
				t.Errorf("%s: the legend lacks %s", lang, s)
			}
		}
		if strings.Contains(page, "<script>") || strings.Contains(page, "<b>bold</b>") || !strings.Contains(page, "&lt;script&gt;") {
			t.Errorf("%s: a value read from outside was not escaped", lang)
		}
		if strings.Contains(page, "<link") || strings.Contains(page, "src=") || strings.Contains(page, "@import") {
			t.Errorf("%s: the page fetches something", lang)
		}
	}
}

// The fleet page: a tenant × control grid where the failing tenant's row
// holds FAIL in the failing control's column, and the §10 timeline.
func TestFleetHTML(t *testing.T) {
	good, bad := htmlReport(t), htmlReport(t)
	for i := range good.Controls {
		good.Controls[i].Status = catalog.Pass
	}
	tenants := []FleetTenant{
		{Tenant: "acme", Report: good, Status: "PASS", ReportFile: "acme.html"},
		{Tenant: "initech", Report: bad, Status: "FAIL", ReportFile: "initech.html", State: "suspended", Cancelled: "2026-11-20", SuspendBy: "2026-11-21", DeleteBy: "2026-12-20", Done: "suspended 2026-11-21"},
		{Tenant: "globex", Status: "NOT VERIFIED"},
	}
	var b bytes.Buffer
	if err := FleetHTML(&b, catalog.LangJA, tenants, "2026-11-26T00:30:00+09:00", "2026-11-25T15:30:00Z", ""); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	row := func(tenant string) string {
		i := strings.Index(page, `data-tenant="`+tenant+`"`)
		if i < 0 {
			t.Fatalf("no row for %s", tenant)
		}
		return page[i : i+strings.Index(page[i:], "</tr>")]
	}
	col := -1
	for i, c := range controlsWithChecks() {
		if c == "WP-39" {
			col = i
		}
	}
	cells := func(r string) []string {
		var out []string
		for _, part := range strings.Split(r, `data-control-status="`)[1:] {
			out = append(out, part[:strings.Index(part, `"`)])
		}
		return out
	}
	if c := cells(row("initech")); col < 0 || len(c) <= col || c[col] != "FAIL" {
		t.Errorf("initech's WP-39 cell: %v (column %d)", c, col)
	}
	if c := cells(row("acme")); len(c) <= col || c[col] != "PASS" {
		t.Errorf("acme's WP-39 cell: %v", c)
	}
	if !strings.Contains(row("globex"), "NOT VERIFIED") {
		t.Error("the tenant that could not be verified is not said")
	}
	if !strings.Contains(page, "2026-12-20") || !strings.Contains(page, "suspended 2026-11-21") || !strings.Contains(page, catalog.WordsIn(catalog.LangJA).Timeline) {
		t.Error("the offboarding timeline is missing")
	}
	if os.Getenv("HTML_OUT") != "" {
		_ = os.WriteFile(filepath.Join(os.Getenv("HTML_OUT"), "fleet.html"), b.Bytes(), 0o644)
	}
}

func controlsWithChecks() []string {
	var out []string
	for _, c := range catalog.Controls {
		if len(checksOf(c.ID)) > 0 {
			out = append(out, c.ID)
		}
	}
	return out
}

// htmlEscape is what html/template makes of a text.
func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;")
	return r.Replace(s)
}

// Every control of the catalog that has a live check appears in every
// format, in both languages where the format has one.
func TestEveryControlInEveryFormat(t *testing.T) {
	r := htmlReport(t)
	for _, lang := range catalog.Langs {
		r.Lang = lang
		for _, f := range formats {
			var b bytes.Buffer
			if err := r.Write(&b, f); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out := b.String()
			for _, id := range controlsWithChecks() {
				want := id
				switch f {
				case "ocsf":
					want = `"control": "` + id + `"`
				case "csv":
					want = "," + id + ","
				case "html":
					want = `id="` + id + `"`
				}
				if !strings.Contains(out, want) {
					t.Errorf("%s (%s): control %s missing", f, lang, id)
				}
			}
		}
	}
}

// A spreadsheet never reads a value from outside as a formula.
func TestCSVKeepsFormulasOut(t *testing.T) {
	r := htmlReport(t)
	r.Controls[0].Checks[0].Observations = []Observation{{Status: catalog.Fail, Resource: "=HYPERLINK(\"http://x\")", Observed: "+1", Expected: "@SUM(A1)"}}
	var b bytes.Buffer
	if err := r.Write(&b, "csv"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{",=HYPERLINK", ",+1", ",@SUM", `,"=HYPERLINK`} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("the CSV holds %q as a formula", bad)
		}
	}
	if !strings.Contains(b.String(), `'=HYPERLINK`) {
		t.Error("the value was dropped instead of defused")
	}
}

// #37 item 8 (statuses): the Japanese pages show every status in Japanese;
// the English stays only in data attributes and classes, for scripts and
// styles. No text node of the tenant page or the fleet page is an English
// status.
func TestJapanesePagesSayStatusesInJapanese(t *testing.T) {
	r := htmlReport(t)
	var page, fleet bytes.Buffer
	if err := r.HTML(&page, catalog.LangJA); err != nil {
		t.Fatal(err)
	}
	err := FleetHTML(&fleet, catalog.LangJA, []FleetTenant{{Tenant: "acme", Report: r, Status: string(r.Status), ReportFile: "acme.html"},
		{Tenant: "globex", Status: string(catalog.NotVerified)}}, "2026-11-26T00:30:00+09:00", "2026-11-25T15:30:00Z", "")
	if err != nil {
		t.Fatal(err)
	}
	english := map[string]bool{}
	for _, s := range []catalog.Status{catalog.Pass, catalog.Fail, catalog.Error, catalog.NA, catalog.Pending, catalog.Unknown,
		catalog.NotVerified, catalog.NoReport, catalog.Deleted, catalog.PartlyJudged} {
		english[string(s)] = true
		if catalog.WordsIn(catalog.LangJA).Say(s) == string(s) {
			t.Errorf("no Japanese for %s", s)
		}
	}
	for name, html := range map[string]string{"tenant page": page.String(), "fleet page": fleet.String()} {
		for _, part := range strings.Split(html, ">")[1:] {
			text := strings.TrimSpace(part[:strings.IndexByte(part+"<", '<')])
			if english[text] {
				t.Errorf("%s: the status %q shown in English", name, text)
			}
		}
		if !strings.Contains(html, "準拠") {
			t.Errorf("%s: no status in Japanese", name)
		}
	}
}

// #37 item 6: the page says against which commit the expected values
// were read, the whitepaper's edition, and whether the tenant shares its
// AWS account, with what that does and does not give.
func TestPageSaysTheRunsContext(t *testing.T) {
	r := htmlReport(t)
	r.Commit = "0123456789abcdef0123456789abcdef01234567"
	for shared, want := range map[int]string{2: "他の 2 テナントと共有しています（プール型）", 0: "本テナントのみです（サイロ型）"} {
		r.SharedWith = &shared
		var b strings.Builder
		if err := r.HTML(&b, catalog.LangJA); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		for _, s := range []string{want, `id="commit" translate="no">0123456789abcdef`, `id="edition">` + catalog.Edition} {
			if !strings.Contains(page, s) {
				t.Errorf("shared with %d: the page lacks %q", shared, s)
			}
		}
		// #38 item 4: the controls that judge isolation say it too.
		for _, id := range []string{"WP-17", "WP-19"} {
			sec := page[strings.Index(page, `<section class="control" id="`+id+`"`):]
			if sec = sec[:strings.Index(sec, "</section>")]; !strings.Contains(sec, want) {
				t.Errorf("%s's section does not say the account's tenancy (%d others)", id, shared)
			}
		}
	}
}

// A tenant's report is the customer's page (#37 item 6): a route that
// reaches another tenant, or a policy naming another tenant's role, is a
// finding on it without that tenant's name, in every format.
func TestCustomerPageNamesNoOtherTenant(t *testing.T) {
	cfg, w, inv := acme(t)
	w.routes[0].Routes = append(w.routes[0].Routes, ec2types.Route{DestinationCidrBlock: aws.String("10.16.16.0/20"), VpcPeeringConnectionId: aws.String("pcx-1")})
	tgt := w.target(cfg, inv)
	results := RunChecks(context.Background(), tgt, Checks(), 4)
	// An observation from outside that names the other tenant's role.
	results = append(results, CheckResult{ID: "WP-17/role-policies", Status: catalog.Fail, Observations: []Observation{{Status: catalog.Fail,
		Resource: "role arn:aws:iam::111122223333:role/tenants/globex/app", Observed: `{"Condition":{"StringEquals":{"aws:ResourceTag/Tenant":"globex"}}}`, Expected: "tk-globex-data"}}})
	r := NewReport(tgt, results, fakeNow, &Calls{})
	if r.Status != catalog.Fail {
		t.Fatalf("the route to the other tenant was not a finding: %s", r.Status)
	}
	found := false
	for _, f := range catalog.Langs {
		var b bytes.Buffer
		if err := r.HTML(&b, f); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"json", "text", "markdown", "junit", "ocsf", "csv"} {
			var o bytes.Buffer
			if err := r.Write(&o, format); err != nil {
				t.Fatal(err)
			}
			b.Write(o.Bytes())
		}
		if strings.Contains(b.String(), "globex") {
			i := strings.Index(b.String(), "globex")
			t.Errorf("%s: the report names the other tenant: …%s…", f, b.String()[max(0, i-80):i+20])
		}
		found = found || strings.Contains(b.String(), "reaches another tenant")
	}
	if !found {
		t.Error("the finding no longer says the route reaches another tenant")
	}
}

// #37 item 5: the statement of applicability in the JSON and Markdown
// reports too: all 44 sections, each with its class, and the controls'
// statuses of this report.
func TestStatementInEveryFormat(t *testing.T) {
	r := htmlReport(t)
	var js, md bytes.Buffer
	if err := r.Write(&js, "json"); err != nil {
		t.Fatal(err)
	}
	if err := r.Write(&md, "markdown"); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Applicability []Applicable }
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.Applicability) != catalog.SectionCount {
		t.Fatalf("json: %v, %d sections", err, len(doc.Applicability))
	}
	for _, a := range doc.Applicability {
		if a.Class == "" || a.How == "" {
			t.Errorf("§%d: no class or no how", a.Section)
		}
		if a.Section == 21 && (len(a.Controls) == 0 || a.Controls[0].Status == catalog.Unknown) {
			t.Errorf("§21 without its controls' statuses: %+v", a.Controls)
		}
	}
	for _, s := range catalog.Sections {
		if !strings.Contains(md.String(), fmt.Sprintf("\n| %d | ", s.Number)) {
			t.Errorf("markdown lacks §%d", s.Number)
		}
	}
}

// One tenant's id may begin another's: acme-corp's own names stay its own
// beside a tenant acme, and acme's are still replaced.
func TestOtherTenantsReplacedNotTheOwn(t *testing.T) {
	r := &Report{Controls: []ControlResult{{Checks: []CheckResult{{Observations: []Observation{{
		Resource: "bucket tk-acme-corp-data-1", Observed: "route 10.0.0.0/16 → pcx-1 reaches tenant acme (10.0.0.0/16); role/tenants/acme/app; tenant acme-corp",
		Expected: "Tenant=acme-corp"}}}}}}}
	withoutOtherTenants(r, "acme-corp", []string{"acme"})
	o := r.Controls[0].Checks[0].Observations[0]
	if o.Resource != "bucket tk-acme-corp-data-1" || o.Expected != "Tenant=acme-corp" ||
		o.Observed != "route 10.0.0.0/16 → pcx-1 reaches another tenant (10.0.0.0/16); role/tenants/another-tenant/app; tenant acme-corp" {
		t.Errorf("%+v", o)
	}
}
