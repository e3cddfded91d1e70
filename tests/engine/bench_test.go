package engine

import (
	"path/filepath"
	"testing"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/components/tenant"
)

// BenchmarkTenantUp is one tenant's first deploy through the real engine
// (acme: preview, then up; 180 resources) in an account whose baseline is
// up. Run: go test -run XXX -bench TenantUp -benchtime 3x ./tests/engine
func BenchmarkTenantUp(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := NewAccount(testAccount)
		if r := NewStack(b, a, filepath.Join(RepoRoot(), "baseline"), "tokyo", baseline.Guarded).Up(); r.Err != nil {
			b.Fatal(r.Err)
		}
		s := NewStack(b, a, RepoRoot(), "acme", tenant.Guarded)
		b.StartTimer()
		if r := s.Preview(); r.Err != nil {
			b.Fatal(r.Err)
		}
		if r := s.Up(); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}
