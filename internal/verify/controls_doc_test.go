package verify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// docs/controls.md (and docs/controls.ja.md in Japanese) is the catalog as it is: every control with its
// section, plan rule, live checks and what stays a process.
func TestControlsDocIsCurrent(t *testing.T) {
	checks := map[string][]string{}
	for _, c := range Checks() {
		checks[c.Control] = append(checks[c.Control], c.ID)
	}
	for lang, name := range map[string]string{catalog.LangEN: "controls.md", catalog.LangJA: "controls.ja.md"} {
		want := catalog.TableIn(lang, checks)
		path := filepath.Join("..", "..", "docs", name)
		if os.Getenv("UPDATE_DOCS") == "1" {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("docs/%s is stale (%v): run UPDATE_DOCS=1 go test ./internal/verify -run TestControlsDocIsCurrent", name, err)
		}
	}
	for id := range catalog.Process {
		if _, ok := catalog.ByID(id); !ok {
			t.Errorf("catalog.Process names %s, which is no control", id)
		}
	}
}
