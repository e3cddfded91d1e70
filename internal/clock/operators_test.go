package clock

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// No release, script or workflow an operator runs builds with the tag
// that lets the clock move, or sets the variable a test build reads:
// only this package, the script of the shifted test run and the docs
// that describe it name them.
func TestNoOperatorBuildShiftsTheClock(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	allowed := func(rel string) bool {
		return strings.HasPrefix(rel, "internal/clock/") || rel == "scripts/clock-shift.sh" ||
			(strings.HasPrefix(rel, "docs/") && strings.HasSuffix(rel, ".md"))
	}
	seen := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", ".bin", ".artifacts":
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		seen++
		for _, word := range []string{"tenantkit_" + "clockshift", "TENANTKIT_TEST_" + "CLOCK_SHIFT"} {
			if strings.Contains(string(b), word) && !allowed(rel) {
				t.Errorf("%s names %s: only internal/clock and scripts/clock-shift.sh may (an operator's build must read the system clock)", rel, word)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 {
		t.Fatalf("walked %d files under %s: not the repository", seen, root)
	}
}
