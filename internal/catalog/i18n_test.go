package catalog

import (
	"reflect"
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

// #37 item 5: the statement of applicability holds every section of the
// whitepaper once, in order, each with a class; every control of the
// catalog answers a section, and every control a section names exists.
func TestApplicabilityCoversTheWhitepaper(t *testing.T) {
	if len(Sections) != SectionCount {
		t.Fatalf("%d sections, want %d", len(Sections), SectionCount)
	}
	named := map[string]bool{}
	for i, s := range Sections {
		if s.Number != i+1 || s.TitleJA == "" || s.TitleEN == "" || s.HowJA == "" || s.HowEN == "" || ClassName(s.Class, LangJA) == "" {
			t.Errorf("section %d: %+v", i+1, s)
		}
		if s.Class == ClassTechnical && len(s.Controls) == 0 {
			t.Errorf("§%d is technical and names no control", s.Number)
		}
		if s.Number >= 5 && s.ISO27002 == "" {
			t.Errorf("§%d names no ISO/IEC 27002:2022 control", s.Number)
		}
		for _, c := range s.Controls {
			if _, ok := ByID(c); !ok {
				t.Errorf("§%d names %s, which is no control", s.Number, c)
			}
			named[c] = true
		}
	}
	for _, c := range Controls {
		if !named[c.ID] {
			t.Errorf("%s answers no section of the statement", c.ID)
		}
		if a, b := ClausesOf(c.ID); len(a) == 0 || len(b) == 0 {
			t.Errorf("%s has no clause IDs (%v, %v)", c.ID, a, b)
		}
	}
}

// Every word of the pages has its text in both languages.
func TestEveryWordInBothLanguages(t *testing.T) {
	for _, lang := range Langs {
		v := reflect.ValueOf(WordsIn(lang))
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String && f.String() == "" {
				t.Errorf("%s: the word %s is empty", lang, v.Type().Field(i).Name)
			}
		}
	}
}
