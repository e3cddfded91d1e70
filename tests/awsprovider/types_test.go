package awsprovider

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// Every resource type the programs declare lives in moto or, for a stated
// reason, in memory; never both, never neither.
func TestEveryTypeHasAHome(t *testing.T) {
	graphs := map[string]*graph.Graph{"baseline": testkit.RunBaseline(t)}
	for _, n := range testkit.ExampleTenants(t) {
		cfg := testkit.Load(t, n)
		graphs[n] = testkit.Run(t, cfg)
		if n == "globex" {
			cfg.EgressMode = "nat"
			graphs["globex-nat"] = testkit.Run(t, cfg)
		}
	}
	for name, g := range graphs {
		for _, r := range g.All() {
			if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
				continue
			}
			_, moto := handlers[r.Type]
			why, memory := MemoryTypes[r.Type]
			switch {
			case moto && memory:
				t.Errorf("%s: %s both in moto and in memory", name, r.Type)
			case !moto && !memory:
				t.Errorf("%s: %s has no handler and no reason to stay in memory", name, r.Type)
			case memory && why == "":
				t.Errorf("%s: %s in memory without a reason", name, r.Type)
			}
		}
	}
}

// docs/proofs.md's count of acme's resources in moto is the program's.
func TestDocsCountAcme(t *testing.T) {
	g := testkit.Run(t, testkit.Load(t, "acme"))
	inMoto, all := 0, 0
	var memory []string
	for _, r := range g.All() {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		all++
		if _, ok := handlers[r.Type]; ok {
			inMoto++
		} else if !slices.Contains(memory, r.Type) {
			memory = append(memory, r.Type)
		}
	}
	want := fmt.Sprintf("acme: %d of its %d AWS resources live in moto", inMoto, all)
	b, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "..", "docs", "proofs.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), want) {
		t.Errorf("docs/proofs.md does not say %q (in memory: %v)", want, memory)
	}
}
