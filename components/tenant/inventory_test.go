package tenant_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/tenant"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The inventory the verifier reads says whether the stack has a database:
// a wrong flag would skip the database checks (WP-21.1, WP-21.2, WP-22)
// of a tenant that has one, or ERROR on one that has none.
func TestInventoryDatabaseFlag(t *testing.T) {
	for _, name := range testkit.ExampleTenants(t) {
		cfg := testkit.Load(t, name)
		var inv map[string]any
		_, err := mockengine.Run(func(ctx *pulumi.Context) error {
			tn, err := tenant.New(ctx, cfg.TenantID, cfg)
			if err != nil {
				return err
			}
			tn.Inventory.ApplyT(func(m map[string]any) map[string]any { inv = m; return m })
			return nil
		}, mockengine.Options{Stack: name, Config: config.Encode(cfg), Region: cfg.Region})
		if err != nil {
			t.Fatal(err)
		}
		db, _ := inv["database"].(map[string]any)
		if db["enabled"] != cfg.Database.Enabled {
			t.Errorf("%s: inventory database.enabled = %v, the stack's database.enabled = %v", name, db["enabled"], cfg.Database.Enabled)
		}
		if cfg.Database.Enabled && db["identifier"] == nil {
			t.Errorf("%s: no database identifier in the inventory", name)
		}
	}
}
