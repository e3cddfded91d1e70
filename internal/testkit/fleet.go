package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Cells is how many cells a generated fleet spreads its tenants over.
const Cells = 10

// CellFleet writes n tenant stacks made from acme's, round-robin over
// Cells cells (baseline stacks cell-00 … cell-09, each the config body
// baseline gives for its index), each tenant with its own /22 of
// 10.16.0.0/12, and returns the stacks and baselines directories and the
// tenants' names (t0000 …), for the fleet benchmarks.
func CellFleet(tb testing.TB, n int, baseline func(cell int) string) (stacks, baselines string, names []string) {
	tb.Helper()
	if n > 1024 {
		tb.Fatalf("10.16.0.0/12 holds 1,024 /22 ranges, not %d", n)
	}
	stacks, baselines = tb.TempDir(), tb.TempDir()
	for c := range Cells {
		if err := os.WriteFile(filepath.Join(baselines, fmt.Sprintf("Pulumi.cell-%02d.yaml", c)), []byte(baseline(c)), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	src, err := os.ReadFile(filepath.Join(StacksDir(), "Pulumi.acme.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("t%04d", i)
		s := strings.Replace(string(src), "tenantId: acme", "tenantId: "+name, 1)
		s = strings.Replace(s, "cell: tokyo", fmt.Sprintf("cell: cell-%02d", i%Cells), 1)
		s = strings.Replace(s, "10.16.0.0/20", fmt.Sprintf("10.%d.%d.0/22", 16+i/64, 4*(i%64)), 1)
		if err := os.WriteFile(stackfile.Path(stacks, name), []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
		names = append(names, name)
	}
	return stacks, baselines, names
}
