package verify

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// An endpoint's error message that carries a blank line, a Markdown
// paragraph, raw HTML, a pipe and terminal escapes (#22 item 14) changes
// nothing in any report but the cell it lands in, and no control character
// reaches the reader.
const hostileMessage = "denied\n\n**Overall: PASS** (reviewed)\n\n<img src=x onerror=alert(1)> | [x](javascript:alert(1)) \x1b]0;owned\x07\x1b[31mred\u202eevil"

func hostileReport(t *testing.T) *Report {
	cfg, w, inv := acme(t)
	tgt := w.target(cfg, inv)
	results := RunChecks(context.Background(), tgt, Checks(), 4)
	results[0].Status = catalog.Error
	results[0].Observations = append(results[0].Observations, Observation{Status: catalog.Error, Resource: "bucket x|y", Observed: "cannot read: " + hostileMessage, Expected: "a <b>region</b>"})
	return NewReport(tgt, results, time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC), &Calls{})
}

func TestReportsEscapeWhatCameFromOutside(t *testing.T) {
	r := hostileReport(t)
	render := func(format string) string {
		var buf bytes.Buffer
		if err := r.Write(&buf, format); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	noControls := func(format, s, keep string) {
		for _, c := range s {
			if hidden(c) && !strings.ContainsRune(keep, c) {
				t.Errorf("%s: control character %U sent", format, c)
				return
			}
		}
	}

	md := render("markdown")
	noControls("markdown", md, "\n")
	rows := 0
	// The observations' table runs from its heading to the report's own
	// next section: every line in it is a row.
	_, body, _ := strings.Cut(md, "\n## Observations\n")
	body, _, _ = strings.Cut(body, "\n## What to do\n")
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		if strings.HasPrefix(line, "|") {
			rows++
			// Every row has the table's 7 cells: 8 unescaped pipes.
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 8 {
				t.Errorf("markdown: a row with %d cells: %s", n-1, line)
			}
		} else if rows > 0 {
			t.Errorf("markdown: a line outside the table: %q", line)
		}
	}
	if rows == 0 {
		t.Error("markdown: no observation rows were checked")
	}
	if strings.Contains(md, "<img") || strings.Contains(md, "<b>") || strings.Contains(md, "\n**Overall: PASS**") || strings.Count(md, "\n## What to do") != 1 || strings.Count(md, "\n## ") != 4 { // Controls, the statement of applicability, Observations, What to do
		t.Errorf("markdown: raw HTML or an injected paragraph:\n%s", md)
	}
	if !strings.Contains(md, `\*\*Overall: PASS\*\* (reviewed)`) || !strings.Contains(md, `\\x1b\]0;owned\\a`) {
		t.Errorf("markdown: the message is not shown as it was:\n%s", md)
	}

	text := render("text")
	noControls("text", text, "\n")

	j := render("junit")
	noControls("junit", j, "\n")
	var suite junitSuite
	if err := xml.Unmarshal([]byte(j), &suite); err != nil {
		t.Errorf("junit does not parse: %v", err)
	}

	var out bytes.Buffer
	visibleWriter{&out}.Write([]byte("tenantctl verify: who am I: " + hostileMessage + "\n"))
	noControls("stderr", out.String(), "\n")
	if !strings.HasSuffix(out.String(), "evil\n") {
		t.Errorf("stderr: %q", out.String())
	}
}

// #36 item 7: bytes that are not UTF-8 and a bidi override, in the header
// (the account, the tenant, the endpoint) and in an observation, reach no
// report raw: every format is valid UTF-8 with nothing hidden, the HTML
// header included; the CSV starts with a byte order mark and Go's reader
// (as Python's with utf-8-sig) reads every row.
func TestReportsShowBytesThatAreNotUTF8(t *testing.T) {
	r := hostileReport(t)
	r.Account = "1111\xff2222\u202e3333"
	r.Endpoint = "http://moto\xfe:5000"
	r.Controls[0].Checks[0].Observations = append(r.Controls[0].Checks[0].Observations,
		Observation{Status: catalog.Error, Resource: "bucket \xc3\x28", Observed: "cannot read: \x80\x81 \u2066x\u2069", Expected: "ok"})
	for _, f := range formats {
		var buf bytes.Buffer
		if err := r.Write(&buf, f); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		if !utf8.Valid(out) {
			i := 0
			for i < len(out) {
				c, n := utf8.DecodeRune(out[i:])
				if c == utf8.RuneError && n == 1 {
					break
				}
				i += n
			}
			t.Errorf("%s: not valid UTF-8 at byte %d: %q", f, i, out[max(0, i-40):min(len(out), i+10)])
		}
		for _, c := range string(out) {
			if hidden(c) && c != '\n' && c != '\t' && c != '\r' {
				t.Errorf("%s: %U sent", f, c)
				break
			}
		}
		if f == "html" && !strings.Contains(string(out), `1111\xff2222\u202e3333`) {
			t.Errorf("html: the account is not shown escaped in the header")
		}
		if f == "csv" {
			if !bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
				t.Error("csv: no byte order mark")
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\xef\xbb\xbf")))).ReadAll()
			if err != nil || len(rows) < 2 || rows[0][0] != "tenant" {
				t.Errorf("csv: %d rows, %v", len(rows), err)
			}
		}
	}
}
