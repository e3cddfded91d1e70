package verify

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What the reports carry comes partly from outside: resource names, error
// messages an endpoint wrote. Each format gets it escaped for where it
// lands, so a value can neither rewrite the report (a blank line and an
// "Overall: PASS" paragraph in Markdown, raw HTML) nor drive the reader's
// terminal (ESC and BEL sequences set titles, colours, the clipboard).
// Control characters are shown, never sent.

// visible shows the control characters of s as Go escapes (\x1b, \n,
// \u202e): C0, DEL, C1, and the bidirectional overrides and isolates that
// make text read in another order than it is stored. keep lists the ones
// the format itself uses (a text report's newline and tab).
func visible(s, keep string) string {
	// The fast path only for valid UTF-8: a byte that is not (decoded as
	// U+FFFD, which is no control) must be shown too (#36 item 7).
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return hidden(r) && !strings.ContainsRune(keep, r) }) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case hidden(r) && !strings.ContainsRune(keep, r):
			q := fmt.Sprintf("%+q", string(r)) // "\x1b", "\n", "\u202e"
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hidden(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// mdCell is a value as one Markdown table cell: control characters shown,
// HTML's special characters as entities (no tag, no entity of the
// value's own), and the characters Markdown gives meaning inside a line
// escaped with a backslash, the pipe included.
func mdCell(s string) string {
	s = visible(s, "")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '|', '#', '~', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// visibleWriter passes text to a terminal (or a file) with every control
// character but newline and tab shown instead of sent: what verify writes
// to stdout and stderr, endpoint messages included.
type visibleWriter struct{ w io.Writer }

func (v visibleWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(v.w, visible(string(p), "\n\t")); err != nil {
		return 0, err
	}
	return len(p), nil
}

// jsonVisible writes the hidden characters encoding/json leaves raw (C1,
// the bidi overrides and isolates) as \u escapes: the same JSON value, but
// nothing a terminal or a viewer acts on. encoding/json already escapes C0
// and replaces bytes that are not UTF-8 with U+FFFD.
func jsonVisible(b []byte) []byte {
	if !bytes.ContainsFunc(b, func(r rune) bool { return hidden(r) && r != '\n' && r != '\t' && r != '\r' }) {
		return b
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if hidden(r) && r != '\n' && r != '\t' && r != '\r' {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}
