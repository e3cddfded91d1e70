package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// BenchmarkFleetVerify is verify --all over 10, 100 and 1,000 tenants in
// 10 cells, in the in-memory world (each tenant its own fake account
// state; AWS is never called): wall time, AWS calls and memory per
// tenant, and the per-account calls, which each cell makes once whatever
// its tenants. Figures: scripts/measure.sh fleet (docs/benchmarks.md).
//
// The in-memory world answers one account number for every cell; each
// cell still has its own memo of account-wide reads (Session.memoOf), so
// a cell's tenants share its reads and no cell shares another's.
func BenchmarkFleetVerify(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			stacks, baselines, names := testkit.CellFleet(b, n, func(int) string {
				return fmt.Sprintf("config:\n  tenantkit-baseline:accountId: %q\n  tenantkit-baseline:operationsEmails: [\"ops-rota@example.co.jp\"]\n", acct)
			})
			worlds := map[string]*world{}
			invDir := b.TempDir()
			for _, name := range names {
				cfg, _, err := stackfile.Load(stacks, name)
				if err != nil {
					b.Fatal(err)
				}
				w, inv := newWorld(cfg)
				worlds[name] = w
				j, _ := json.Marshal(map[string]any{"inventory": inv})
				if err := os.WriteFile(filepath.Join(invDir, name+".json"), j, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			for range b.N {
				for _, w := range worlds {
					w.mu.Lock()
					w.calls = nil
					w.mu.Unlock()
				}
				s := NewSession("")
				s.clientsOf = func(tenant string) *Clients { return worlds[tenant].clients() }
				o := Options{All: true, InventoryDir: invDir, StacksDir: stacks, BaselineDir: baselines, OutDir: b.TempDir(),
					Format: "json,html", Parallel: 8, EvidenceDir: b.TempDir(), session: s}
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				peak := samplePeakHeap()
				start := time.Now()
				var out, errb bytes.Buffer
				code := Fleet(context.Background(), o, &out, &errb)
				elapsed := time.Since(start)
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				top := peak()
				if code == cli2 || code == cli3 && strings.Contains(errb.String(), "NOT VERIFIED") {
					b.Fatalf("verify --all of %d tenants: exit %d\n%.2000s", n, code, errb.String())
				}
				total, perAccount := 0, 0
				for c := range testkit.Cells {
					sum, least, members := 0, -1, 0
					for i, name := range names {
						if i%testkit.Cells != c {
							continue
						}
						k := worlds[name].total()
						sum += k
						members++
						if least < 0 || k < least {
							least = k
						}
					}
					total += sum
					perAccount += sum - members*least
				}
				b.ReportMetric(elapsed.Seconds()*1000/float64(n), "ms/tenant")
				b.ReportMetric(float64(total-perAccount)/float64(n), "calls/tenant")
				b.ReportMetric(float64(perAccount)/float64(min(n, testkit.Cells)), "account-calls/cell")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n)/(1<<20), "alloc-MiB/tenant")
				b.ReportMetric(float64(top-before.HeapAlloc)/float64(n)/(1<<10), "peak-heap-KiB/tenant")
			}
		})
	}
}

const (
	cli2 = 2 // bad input: nothing verified
	cli3 = 3
)

// samplePeakHeap samples the heap until the returned function is called,
// which returns the highest HeapAlloc seen.
func samplePeakHeap() func() uint64 {
	var top atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > top.Load() {
				top.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return top.Load()
	}
}
