// Package tenant wires a whole tenant together and exposes the Pulumi
// program as a RunFunc, so main.go, the unit tests, tenantctl and the
// Automation API run the very same program.
package tenant

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/tenantkit/tenantkit/internal/config"
)

// LoadConfig reads every tenantkit:* key through the Pulumi config API,
// decodes it into the typed config and validates it. It registers nothing.
func LoadConfig(ctx *pulumi.Context) (*config.Tenant, error) {
	c := pconfig.New(ctx, config.Namespace)
	raw := map[string]string{}
	for _, k := range config.Keys() {
		if v, err := c.Try(k.Name); err == nil {
			raw[k.Name] = v
		}
	}
	t, err := config.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", ctx.Stack(), err)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("stack %s: invalid config, nothing was created:\n%w", ctx.Stack(), err)
	}
	return t, nil
}

// Program is the tenant program: load and validate the config, then build
// the tenant and export its inventory.
func Program(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	t, err := New(ctx, cfg.TenantID, cfg)
	if err != nil {
		return err
	}
	ctx.Export("inventory", t.Inventory)
	return nil
}
