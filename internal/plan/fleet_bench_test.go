package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// cellsFleet writes n tenant stacks made from acme's, round-robin over 10
// cells (baseline stacks cell-00 … cell-09, every quota raised to 10,000
// so the fleet plans clean), each with its own /22 of 10.16.0.0/12.
func cellsFleet(b *testing.B, n int) (stacks, baselines string) {
	b.Helper()
	stacks, baselines = b.TempDir(), b.TempDir()
	raised := map[string]int{}
	for _, q := range config.Quotas {
		raised[q.Name] = 10000
	}
	quotas, _ := json.Marshal(raised)
	for c := range 10 {
		body := fmt.Sprintf("config:\n  tenantkit-baseline:accountId: \"%012d\"\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n  tenantkit-baseline:quotas: '%s'\n", 100000000000+c, quotas)
		if err := os.WriteFile(filepath.Join(baselines, fmt.Sprintf("Pulumi.cell-%02d.yaml", c)), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	src, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "Pulumi.acme.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("t%04d", i)
		s := strings.Replace(string(src), "tenantId: acme", "tenantId: "+name, 1)
		s = strings.Replace(s, "cell: tokyo", fmt.Sprintf("cell: cell-%02d", i%10), 1)
		s = strings.Replace(s, "10.16.0.0/20", fmt.Sprintf("10.%d.%d.0/22", 16+i/64, 4*(i%64)), 1)
		if err := os.WriteFile(stackfile.Path(stacks, name), []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return stacks, baselines
}

// BenchmarkPlanFleetCells is `tenantctl plan --all` over 10, 100 and 1,000
// tenants in 10 cells (quotas counted per cell): wall time and memory
// allocated per tenant. The plan calls no AWS API (the program runs under
// Pulumi's mocks). Figures: scripts/measure.sh fleet (docs/benchmarks.md).
func BenchmarkPlanFleetCells(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			stacks, baselines := cellsFleet(b, n)
			for range b.N {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				var out, errb bytes.Buffer
				code := Main([]string{"--stacks-dir", stacks, "--baseline-dir", baselines, "--all", "--format", "json"}, &out, &errb)
				elapsed := time.Since(start)
				runtime.ReadMemStats(&after)
				var fleet FleetPlan
				if code != ExitOK || json.Unmarshal(out.Bytes(), &fleet) != nil || len(fleet.Stacks) != n {
					b.Fatalf("plan --all of %d tenants: exit %d, %d planned\n%.2000s", n, code, len(fleet.Stacks), errb.String())
				}
				b.ReportMetric(elapsed.Seconds()*1000/float64(n), "ms/tenant")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n)/(1<<20), "alloc-MiB/tenant")
				b.ReportMetric(0, "calls/tenant")
			}
		})
	}
}
