package catalog_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// File is where control id's code lives in a package: wpX.go, the dots of
// the section as underscores (WP-20.4 → wp20_4.go).
func file(pkg, id string) string {
	return filepath.Join("..", pkg, "wp"+strings.ReplaceAll(strings.TrimPrefix(id, "WP-"), ".", "_")+".go")
}

var (
	ruleRe  = regexp.MustCompile(`register\(Rule\{ID: "(WP-[0-9.]+)"`)
	checkRe = regexp.MustCompile(`register\(Check\{ID: "[^"]+", Control: "(WP-[0-9.]+)"`)
)

// One control, one place: control X's plan rule is in policy/wpX.go and
// its live checks in verify/wpX.go, and no rule or check of X is anywhere
// else.
func TestEachControlInItsFiles(t *testing.T) {
	found := map[string]map[string][]string{"policy": {}, "verify": {}} // pkg → control → files
	for pkg, re := range map[string]*regexp.Regexp{"policy": ruleRe, "verify": checkRe} {
		names, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if strings.HasSuffix(n, "_test.go") {
				continue
			}
			b, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				found[pkg][m[1]] = append(found[pkg][m[1]], n)
			}
		}
	}
	for _, c := range catalog.Controls {
		for pkg, has := range map[string]bool{"policy": c.Plan != "", "verify": c.Live != "" && c.ID != "WP-44"} {
			files := found[pkg][c.ID]
			if !has {
				if len(files) > 0 && pkg == "policy" {
					t.Errorf("%s has no plan column but a rule in %v", c.ID, files)
				}
				continue
			}
			want := file(pkg, c.ID)
			if len(files) == 0 {
				t.Errorf("%s: no %s code (want %s)", c.ID, pkg, want)
			}
			for _, f := range files {
				if f != want {
					t.Errorf("%s: %s code in %s, want %s", c.ID, pkg, f, want)
				}
			}
		}
	}
}

// Every control says what to do when it does not pass (#24 item 1), and
// the remediation table names no control the catalog lacks.
func TestEveryControlHasARemediation(t *testing.T) {
	for _, c := range catalog.Controls {
		if catalog.Remediation[c.ID] == "" {
			t.Errorf("%s has no remediation", c.ID)
		}
	}
	for id := range catalog.Remediation {
		if _, ok := catalog.ByID(id); !ok {
			t.Errorf("Remediation names %s, which is no control", id)
		}
	}
}
