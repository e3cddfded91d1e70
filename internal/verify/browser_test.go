package verify

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// #24 item 5: the HTML reports in a real browser, Debian's Chromium driven
// headless through the DevTools protocol: each page loads without a console
// error, holds every control, renders its Japanese with a CJK font (not
// the missing-glyph boxes of a machine without one), and the fleet grid
// shows FAIL, in the FAIL colour, in the failing tenant's row. Screenshots
// are kept under .artifacts/browser (TENANTKIT_ARTIFACTS elsewhere).
// .ci/run installs chromium and fonts-noto-cjk and sets
// TENANTKIT_REQUIRE_BROWSER, so there the test cannot skip.
func TestReportsInABrowser(t *testing.T) {
	alloc, out := testkit.Browser(t)

	// acme: one control failing; the fleet: acme passing, initech failing.
	failing := htmlReport(t)
	passing := htmlReport(t)
	for i := range passing.Controls {
		passing.Controls[i].Status = catalog.Pass
	}
	pages := map[string]func() ([]byte, error){}
	for _, lang := range catalog.Langs {
		pages["acme-"+lang+".html"] = func() ([]byte, error) {
			var b bytes.Buffer
			err := failing.HTML(&b, lang)
			return b.Bytes(), err
		}
	}
	pages["fleet-ja.html"] = func() ([]byte, error) {
		var b bytes.Buffer
		err := FleetHTML(&b, catalog.LangJA, []FleetTenant{
			{Tenant: "acme", Report: passing, Status: "PASS", ReportFile: "acme-ja.html"},
			{Tenant: "initech", Report: failing, Status: "FAIL", ReportFile: "acme-ja.html", State: "suspended",
				Cancelled: "2026-11-20", SuspendBy: "2026-11-21", DeleteBy: "2026-12-20", Done: "suspended 2026-11-21"},
		}, "2026-11-26T00:30:00+09:00", "2026-11-25T15:30:00Z", "")
		return b.Bytes(), err
	}
	for name, render := range pages {
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	open := func(t *testing.T, name string) (context.Context, func() []string) {
		return testkit.OpenPage(t, alloc, filepath.Join(out, name))
	}
	shoot := func(t *testing.T, ctx context.Context, name string) {
		testkit.Screenshot(t, ctx, filepath.Join(out, name))
	}

	for _, lang := range catalog.Langs {
		t.Run("report "+lang, func(t *testing.T) {
			ctx, problems := open(t, "acme-"+lang+".html")
			ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('section.control')].map(s => s.id)`))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range failing.Controls {
				want = append(want, c.ID)
			}
			if !slices.Equal(ids, want) {
				t.Errorf("controls on the page %v, want %v", ids, want)
			}
			// #37 item 5: every section of the whitepaper is on the page,
			// in order, each with its class as the reader reads it, shown.
			type section struct {
				Number, Class, Label string
				Shown                bool
			}
			rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]section](`[...document.querySelectorAll('#applicability tr[data-section]')].map(r => ({Number: r.dataset.section, Class: r.dataset.class, Label: r.cells[2].innerText, Shown: r.getBoundingClientRect().height > 0}))`))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != catalog.SectionCount {
				t.Errorf("%d sections of the whitepaper on the page, want %d", len(rows), catalog.SectionCount)
			}
			for i, r := range rows {
				s := catalog.Sections[i]
				if r.Number != strconv.Itoa(i+1) || r.Class != string(s.Class) || r.Label != catalog.ClassName(s.Class, lang) || !r.Shown {
					t.Errorf("section %d on the page: %+v", i+1, r)
				}
			}
			lang2, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
			if lang2 != lang {
				t.Errorf("html lang %q", lang2)
			}
			// What the page itself said, before the font probe below
			// enables the CSS domain (whose own fetch of the inline sheet
			// Chromium logs as an unsafe file: load).
			if p := problems(); len(p) > 0 {
				t.Errorf("console: %v", p)
			}
			// The fonts Chromium really drew the first control's heading
			// with: its section title is Japanese in both languages.
			fonts := renderedFonts(t, ctx, "section.control h3")
			if !slices.ContainsFunc(fonts, func(f string) bool { return strings.Contains(f, "CJK") || strings.Contains(f, " JP") }) {
				t.Errorf("the Japanese text was not drawn with a Japanese font: %v", fonts)
			}
			shoot(t, ctx, "acme-"+lang+".png")
			// Printable to PDF by the browser (item 2): Chromium's own
			// print, the print styles applied, more than one page.
			printBG := true
			pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: &printBG})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf.Data, []byte("%PDF-")) || len(pdfPage.FindAll(pdf.Data, -1)) < 2 {
				t.Errorf("the printed PDF (%d bytes) is not a document of several pages", len(pdf.Data))
			}
			if err := os.WriteFile(filepath.Join(out, "acme-"+lang+".pdf"), pdf.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "acme-"+lang+"-top.png"), top, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("fleet grid", func(t *testing.T) {
		ctx, problems := open(t, "fleet-ja.html")
		type cell struct {
			Status, Background string
		}
		cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]cell](`[...document.querySelectorAll('tr[data-tenant="initech"] td[data-control-status]')].map(c => ({Status: c.dataset.controlStatus, Background: getComputedStyle(c).backgroundColor}))`))
		if err != nil {
			t.Fatal(err)
		}
		cols := controlsWithChecks()
		i := slices.Index(cols, "WP-39")
		if len(cells) != len(cols) || cells[i].Status != "FAIL" || cells[i].Background != "rgb(255, 235, 233)" {
			t.Fatalf("initech's WP-39 cell: %+v (of %d)", cells, len(cols))
		}
		// The picture, not only the DOM: the cell as drawn is the FAIL
		// colour, and the passing tenant's cell in the same column is not.
		for tenant, wantRed := range map[string]bool{"initech": true, "acme": false} {
			shot, err := chromedp.Run(ctx, chromedp.Screenshot(`tr[data-tenant="`+tenant+`"] td[data-control-status]:nth-of-type(`+strconv.Itoa(i+2)+`)`))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(shot))
			if err != nil {
				t.Fatal(err)
			}
			r, g, b, _ := img.At(img.Bounds().Min.X+3, img.Bounds().Min.Y+3).RGBA()
			red := r>>8 > 240 && g>>8 < 245 && b>>8 < 245 && r > g && r > b
			if red != wantRed {
				t.Errorf("%s's WP-39 cell drawn as rgb(%d,%d,%d): red %v, want %v", tenant, r>>8, g>>8, b>>8, red, wantRed)
			}
		}
		timeline, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#timeline').innerText`))
		if !strings.Contains(timeline, "2026-12-20") {
			t.Errorf("timeline: %q", timeline)
		}
		shoot(t, ctx, "fleet-ja.png")
		if p := problems(); len(p) > 0 {
			t.Errorf("console: %v", p)
		}
	})
}

// pdfPage matches a page object of a PDF (/Type /Page, not /Pages).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// renderedFonts are the platform fonts Chromium drew a node's text with
// (DevTools protocol, CSS.getPlatformFontsForNode).
func renderedFonts(t *testing.T, ctx context.Context, selector string) []string {
	t.Helper()
	if _, err := chromedp.Call(ctx, dom.Enable, dom.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, css.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(selector))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("%s: %v", selector, err)
	}
	res, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range res.Fonts {
		if f.GlyphCount > 0 {
			out = append(out, f.FamilyName)
		}
	}
	return out
}
