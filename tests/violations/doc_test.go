package violations

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/verify"
)

const (
	begin = "<!-- violations: generated from tests/violations; UPDATE_DOCS=1 go test ./tests/violations -->"
	end   = "<!-- violations: end -->"
)

// docs/verification.md holds the catalogue as generated here.
func TestCatalogueDocIsCurrent(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "docs", "verification.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q block", path, begin, end)
	}
	want := doc[:i] + begin + "\n" + Table() + end + doc[j+len(end):]
	if want == doc {
		return
	}
	if os.Getenv("UPDATE_DOCS") == "1" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the violation catalogue is stale: run UPDATE_DOCS=1 go test ./tests/violations", path)
}

// Every case names a registered check and a distinct ID; every control
// with a live check has at least three cases; 70 at least in all.
func TestCatalogueCoversEveryCheckedControl(t *testing.T) {
	checks := map[string]string{}
	for _, c := range verify.Checks() {
		checks[c.ID] = c.Control
	}
	seen, per := map[string]bool{}, map[string]int{}
	for _, c := range Cases {
		if seen[c.ID] {
			t.Errorf("%s: duplicate ID", c.ID)
		}
		seen[c.ID] = true
		if _, ok := checks[c.Check]; !ok {
			t.Errorf("%s: no check %s", c.ID, c.Check)
		}
		if c.Promise == "" || c.Violation == "" {
			t.Errorf("%s: promise or violation missing", c.ID)
		}
		per[c.Control()]++
	}
	for _, control := range checks {
		if per[control] < 3 {
			t.Errorf("%s: %d ways to break its promise, want at least 3", control, per[control])
		}
	}
	if len(Cases) < 70 {
		t.Errorf("%d cases, want at least 70", len(Cases))
	}
}
