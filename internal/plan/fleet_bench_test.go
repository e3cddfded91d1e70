package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// cellsBaseline is a cell's baseline stack with every quota raised to
// 10,000, so the generated fleet plans clean.
func cellsBaseline(c int) string {
	raised := map[string]int{}
	for _, q := range config.Quotas {
		raised[q.Name] = 10000
	}
	quotas, _ := json.Marshal(raised)
	return fmt.Sprintf("config:\n  tenantkit-baseline:accountId: \"%012d\"\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n  tenantkit-baseline:quotas: '%s'\n", 100000000000+c, quotas)
}

// BenchmarkPlanFleetCells is `tenantctl plan --all` over 10, 100 and 1,000
// tenants in 10 cells (quotas counted per cell): wall time and memory
// allocated per tenant. The plan calls no AWS API (the program runs under
// Pulumi's mocks). Figures: scripts/measure.sh fleet (docs/benchmarks.md).
func BenchmarkPlanFleetCells(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			stacks, baselines, _ := testkit.CellFleet(b, n, cellsBaseline)
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
