package tests

import (
	"context"
	"sync"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/kumoseed"
	"github.com/tenantkit/tenantkit/internal/verify"
)

// Wall time of verifying one seeded tenant, and the API calls it makes.
//
//	go test ./tests -run XXX -bench Verify -benchtime 20x
func BenchmarkVerifyOneTenant(b *testing.B) {
	cfg := tenant(b)
	inv, _ := seed(b, cfg, kumoseed.Options{})
	calls := &verify.Calls{}
	awsCfg := kumoConfig(b, calls)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tgt := &verify.Target{Inv: inv, Cfg: cfg, Clients: verify.NewClients(awsCfg, server.URL)}
		verify.RunChecks(context.Background(), tgt, verify.Checks(), 8)
	}
	b.ReportMetric(float64(calls.Total())/float64(b.N), "calls/tenant")
}

// A fleet of 50 seeded tenants verified with at most 8 tenants at a time
// (and 8 checks at a time within each), sharing one client set and the
// account-wide reads as `tenantctl verify --all` does ("shared"), or each
// tenant reading everything itself ("separate", before).
//
//	go test ./tests -run XXX -bench Fleet50 -benchtime 3x
func BenchmarkVerifyFleet50(b *testing.B) {
	for _, shared := range []bool{false, true} {
		name := "separate"
		if shared {
			name = "shared"
		}
		b.Run(name, func(b *testing.B) { benchFleet(b, shared) })
	}
}

func benchFleet(b *testing.B, shared bool) {
	type one struct {
		cfg *config.Tenant
		inv *verify.Inventory
	}
	var fleet []one
	for i := 0; i < 50; i++ {
		cfg := tenant(b)
		inv, _ := seed(b, cfg, kumoseed.Options{})
		fleet = append(fleet, one{cfg, inv})
	}
	calls := &verify.Calls{}
	awsCfg := kumoConfig(b, calls)
	clients := verify.NewClients(awsCfg, server.URL)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var memo *verify.Memo
		if shared {
			memo = &verify.Memo{}
		}
		sem := make(chan struct{}, 8)
		var wg sync.WaitGroup
		for _, t := range fleet {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				verify.RunChecks(context.Background(), &verify.Target{Inv: t.inv, Cfg: t.cfg, Clients: clients, Shared: memo}, verify.Checks(), 8)
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(calls.Total())/float64(b.N*len(fleet)), "calls/tenant")
}
