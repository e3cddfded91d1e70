package main

import (
	"strings"
	"testing"
)

// The mutants are found in components/ and internal/expect/, each names the field it sets, and
// every explanation still names a mutant (a renamed field would otherwise
// leave a stale excuse, or none where one was written).
func TestFindAndExplanations(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	mutants, err := find(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(mutants) < 50 {
		t.Fatalf("only %d mutants found in components/", len(mutants))
	}
	seen := map[string]bool{}
	for _, m := range mutants {
		if !(strings.HasPrefix(m.File, "components/") || strings.HasPrefix(m.File, "internal/expect/")) || m.Context == "?" || m.Old == m.New {
			t.Errorf("mutant %s: outside components/ and internal/expect/, without a field, or changing nothing", m)
		}
		seen[m.File+" "+m.Context] = true
	}
	for key := range explained {
		if !seen[key] {
			t.Errorf("explanation for %q names no mutant", key)
		}
	}
}
