package tenant_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// #38 item 3: a tenant's provider reaches its cell and nothing else: it
// assumes the cell's role and may act in the cell's account only (the
// provider refuses credentials of any other account before its first
// call); outside any cell it is given neither.
func TestProviderReachesOnlyItsCell(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	run := func(cell *config.Cell) *graph.Resource {
		g, err := mockengine.Run(func(ctx *pulumi.Context) error {
			_, err := tenant.NewInCell(ctx, cfg.TenantID, cfg, cell)
			return err
		}, mockengine.Options{Stack: cfg.TenantID, Config: config.Encode(cfg), Region: cfg.Region})
		if err != nil {
			t.Fatal(err)
		}
		ps := g.OfType("pulumi:providers:aws")
		if len(ps) != 1 {
			t.Fatalf("%d AWS providers, want 1", len(ps))
		}
		return ps[0]
	}
	role := "arn:aws:iam::222233334444:role/tenantkit-pipeline/tenantkit-cell"
	in := run(&config.Cell{Name: "tokyo-b", Baseline: &config.Baseline{AccountID: "222233334444", RoleArn: role}})
	if got := in.Get("assumeRole.roleArn"); got != role {
		t.Errorf("assumeRole.roleArn = %v, want %s", got, role)
	}
	if got := in.Get("assumeRole.sessionName"); got != "tenantkit-tokyo-b" {
		t.Errorf("assumeRole.sessionName = %v", got)
	}
	if got, ok := in.Get("allowedAccountIds").([]any); !ok || len(got) != 1 || got[0] != "222233334444" {
		t.Errorf("allowedAccountIds = %v, want [222233334444]", in.Get("allowedAccountIds"))
	}
	for _, key := range []string{"assumeRole", "allowedAccountIds"} {
		if v := run(nil).Get(key); v != nil {
			t.Errorf("outside a cell the provider has %s = %v", key, v)
		}
	}
}
