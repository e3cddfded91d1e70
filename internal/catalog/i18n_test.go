package catalog

import (
	"testing"
	"unicode"
)

// Every control speaks both languages wherever the English has words: the
// customers' reviewers read the Japanese report.
func TestEveryControlInBothLanguages(t *testing.T) {
	japanese := func(s string) bool {
		for _, r := range s {
			if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				return true
			}
		}
		return false
	}
	for _, c := range Controls {
		en, ja := TextsOf(c, LangEN), TextsOf(c, LangJA)
		if en.Section == "" || ja.Section == "" {
			t.Errorf("%s: section title en %q ja %q", c.ID, en.Section, ja.Section)
		}
		for _, f := range []struct{ name, en, ja string }{
			{"title", en.Title, ja.Title}, {"plan", en.Plan, ja.Plan}, {"live", en.Live, ja.Live},
			{"remediation", en.Remediation, ja.Remediation}, {"process", en.Process, ja.Process},
		} {
			if (f.en == "") != (f.ja == "") {
				t.Errorf("%s %s: English %q, Japanese %q", c.ID, f.name, f.en, f.ja)
			}
			if f.ja != "" && !japanese(f.ja) {
				t.Errorf("%s %s: %q is not Japanese", c.ID, f.name, f.ja)
			}
		}
	}
	for id := range Japanese {
		if _, ok := ByID(id); !ok {
			t.Errorf("Japanese texts for %s, which is no control", id)
		}
	}
	for _, lang := range Langs {
		w := WordsIn(lang)
		for _, s := range []Status{Pass, Fail, Error, NA, Unknown} {
			if w.StatusMeaning[s] == "" {
				t.Errorf("%s: no meaning for %s", lang, s)
			}
		}
	}
}

func TestLangFromEnv(t *testing.T) {
	for _, c := range []struct{ all, msgs, lang, want string }{
		{"", "", "ja_JP.UTF-8", LangJA},
		{"", "", "en_US.UTF-8", LangEN},
		{"", "", "", LangEN},
		{"C", "", "ja_JP.UTF-8", LangEN}, // LC_ALL wins
		{"", "ja_JP.UTF-8", "en_US.UTF-8", LangJA},
	} {
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_MESSAGES", c.msgs)
		t.Setenv("LANG", c.lang)
		if got := LangFromEnv(); got != c.want {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q: %s, want %s", c.all, c.msgs, c.lang, got, c.want)
		}
	}
}
