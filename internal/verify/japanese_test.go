package verify

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/exceptions"
	"github.com/tenantkit/tenantkit/internal/procevidence"
)

// properNouns are the Latin words a Japanese technical text keeps as they
// are: AWS's service and feature names as AWS's Japanese documentation
// writes them, acronyms, and the standards' names. Anything else in Latin
// letters on a Japanese page must be a value (a resource name, an observed
// or expected value, a command, a key), marked as such: inside <code>, or
// an element with translate="no" (HTML's own mark for text that is not to
// be translated), or an English title kept beside the Japanese one
// (lang="en").
var properNouns = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`AWS Amazon KMS S3 VPC IAM MFA TLS SSH RDP NTP JST UTC DNS DHCP ARN ID IP IPv4 IPv6
		IMDSv2 EC2 EBS RDS SNS SSM SQS ECR ALB NAT ACL CIDR SSE API HTTP HTTPS CSV JSON HTML PDF OCSF SaaS SCP PR
		CloudTrail CloudWatch Logs Insights GuardDuty Inspector EventBridge Scheduler Step Functions Session Manager
		Systems Patch Object Lock Config Organizations GitHub Actions Pulumi
		ISO IEC JIS CLD VPN CPU CLI ICT STS`) {
		properNouns[w] = true
	}
}

var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)

// englishLeft lists the Latin words of a page's text outside values and
// English titles, with where they stand.
func englishLeft(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "code", "style", "script", "title":
				return
			}
			for _, a := range n.Attr {
				if (a.Key == "translate" && a.Val == "no") || (a.Key == "lang" && a.Val == "en") {
					return
				}
			}
		}
		if n.Type == html.TextNode {
			for _, w := range latinWord.FindAllString(n.Data, -1) {
				if !properNouns[w] && !controlID.MatchString(w) && !annex.MatchString(w) {
					text := strings.Join(strings.Fields(n.Data), " ")
					if len(text) > 90 {
						text = text[:90] + "…"
					}
					left = append(left, w+" in «"+text+"»")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return left
}

// controlID: the "WP" of a control ID (WP-20.1), written beside the
// whitepaper's section it answers.
var controlID = regexp.MustCompile(`^WP$`)

// annex: a single capital names a standard's part or annex (JIS Q 27017,
// 附属書 B).
var annex = regexp.MustCompile(`^[A-Z]$`)

// TestNoEnglishLeftInTheJapanesePages (#37 item 8): the Japanese tenant
// page and fleet page hold no English word outside values, commands and
// the English titles shown beside the Japanese ones: every status, every
// N/A reason, every label and every catalog text is in Japanese.
func TestNoEnglishLeftInTheJapanesePages(t *testing.T) {
	r := htmlReport(t)
	sharedWith := 2
	r.SharedWith, r.Commit, r.Caller, r.Mode, r.Endpoint = &sharedWith, "0123456789abcdef", "arn:aws:sts::111122223333:assumed-role/tenantkit-verify/nightly", "inventory", "http://127.0.0.1:5000"
	r.Exceptions = []exceptions.Exception{{Tenant: "acme", Control: "WP-21.1", Reason: "rotation moves to a new schedule", AcceptedBy: "Hanako Sato, CISO",
		AcceptedOn: "2026-11-01", Until: "2026-12-31", Ticket: "RISK-42", Active: true}}
	r.ProcessEvidence = []procevidence.Document{{Section: 30, Title: "Annual vulnerability assessment", Owner: "Security team", File: "assessment-2026.pdf",
		Date: "2026-10-15", SHA256: strings.Repeat("ab", 32), Bytes: 10}}
	var page, fleet bytes.Buffer
	if err := r.HTML(&page, catalog.LangJA); err != nil {
		t.Fatal(err)
	}
	if err := FleetHTML(&fleet, catalog.LangJA, []FleetTenant{{Tenant: "acme", Report: r, Status: string(r.Status), ReportFile: "acme.html"},
		{Tenant: "globex", Status: string(catalog.NotVerified), State: "suspended", Cancelled: "2026-11-20", SuspendBy: "2026-11-21", DeleteBy: "2026-12-20"}},
		"2026-11-26T00:30:00+09:00", "2026-11-25T15:30:00Z", "http://127.0.0.1:5000"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `id="exceptions"`) || !strings.Contains(page.String(), "excepted") {
		t.Error("the register of exceptions is not on the page, or not beside its control")
	}
	for name, p := range map[string]string{"tenant page": page.String(), "fleet page": fleet.String()} {
		left := englishLeft(t, p)
		sort.Strings(left)
		if len(left) > 0 {
			t.Errorf("%s: %d English words outside values:\n%s", name, len(left), strings.Join(left, "\n"))
		}
	}
}

// TestNoEnglishLeftInTheJapaneseCatalog: every Japanese text of the
// catalog, rendered as the pages render it, whether or not a report shows
// it (a remediation appears only under a failing control).
func TestNoEnglishLeftInTheJapaneseCatalog(t *testing.T) {
	var b strings.Builder
	b.WriteString("<html><body>")
	for _, c := range catalog.Controls {
		tx := catalog.TextsOf(c, catalog.LangJA)
		for _, s := range []string{tx.Section, tx.Title, tx.Plan, tx.Live, tx.Remediation, tx.Process} {
			b.WriteString("<p>" + string(prose(s)) + "</p>")
		}
	}
	for _, s := range catalog.Sections {
		b.WriteString("<p>" + string(prose(s.TitleJA)) + "</p><p>" + string(prose(s.HowJA)) + "</p><p>" + catalog.ClassName(s.Class, catalog.LangJA) + "</p>")
	}
	w := catalog.WordsIn(catalog.LangJA)
	for _, s := range w.StatusMeaning {
		b.WriteString("<p>" + s + "</p>")
	}
	for _, s := range w.States {
		b.WriteString("<p>" + s + "</p>")
	}
	b.WriteString("</body></html>")
	if left := englishLeft(t, b.String()); len(left) > 0 {
		t.Errorf("%d English words outside code in the Japanese catalog:\n%s", len(left), strings.Join(left, "\n"))
	}
}
