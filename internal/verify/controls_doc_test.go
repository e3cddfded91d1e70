package verify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// docs/controls.md is the catalog as it is: every control with its
// section, plan rule, live checks and what stays a process.
func TestControlsDocIsCurrent(t *testing.T) {
	checks := map[string][]string{}
	for _, c := range Checks() {
		checks[c.Control] = append(checks[c.Control], c.ID)
	}
	want := catalog.Table(checks)
	path := filepath.Join("..", "..", "docs", "controls.md")
	if os.Getenv("UPDATE_DOCS") == "1" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("docs/controls.md is stale (%v): run UPDATE_DOCS=1 go test ./internal/verify -run TestControlsDocIsCurrent", err)
	}
	for id := range catalog.Process {
		if _, ok := catalog.ByID(id); !ok {
			t.Errorf("catalog.Process names %s, which is no control", id)
		}
	}
}
