// Package tenant wires a whole tenant together and exposes the Pulumi
// program as a RunFunc, so main.go, the unit tests, tenantctl and the
// Automation API run the very same program.
package tenant

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/stackfile"
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
	// The program runs beside the baseline stacks, the cells.
	cell, err := stackfile.CellOf("baseline", cfg)
	if err != nil {
		return fmt.Errorf("tenant %s: its cell: %w", cfg.TenantID, err)
	}
	t, err := NewInCell(ctx, cfg.TenantID, cfg, cell)
	if err != nil {
		return err
	}
	ctx.Export("inventory", t.Inventory)
	return nil
}

// Guarded runs Program with the control guard installed in the real
// engine: mandatory per-resource violations fail the step before the
// resource is created. The caller runs guard.Finish after the program has
// registered everything (see main.go).
func Guarded(guard **policy.Guard) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg, err := LoadConfig(ctx)
		if err != nil {
			return err
		}
		g := policy.NewGuard(cfg, false)
		// The program runs beside the stacks directory (stackConfigDir).
		others, err := stackfile.OtherCidrs("stacks", cfg.TenantID)
		if err != nil {
			return fmt.Errorf("read the other tenant stacks for the overlap check: %w", err)
		}
		g.SetOtherStacks(others)
		// The region's quotas, counted over the stacks with the values
		// raised in the baseline stack: a tenant that would pass one is
		// refused at its first resource that counts (policy/quotas.go).
		quotas, err := stackfile.QuotaProblems("stacks", "baseline", cfg)
		if err != nil {
			return fmt.Errorf("read the stacks and the baseline for the quota check: %w", err)
		}
		g.SetQuotaProblems(quotas)
		*guard = g
		if err := g.Install(ctx); err != nil {
			return err
		}
		return Program(ctx)
	}
}

// Inline is the guarded program as the Automation API's inline source runs
// it (tenantctl): the per-resource guard runs inside the engine. The
// whole-graph rules need every resource registered, which an inline
// program cannot wait for; they run before, in the plan every lifecycle
// command makes before it deploys.
func Inline(ctx *pulumi.Context) error {
	var guard *policy.Guard
	return Guarded(&guard)(ctx)
}
