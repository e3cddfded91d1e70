package baseline

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Keys are the baseline project's config keys.
var Keys = []string{"region", "accountId", "roleArn", "addressPool", "capacity", "passwordMinLength", "passwordMaxAgeDays", "passwordReusePrevention", "sharedTrail",
	"tenantStacksDir", "logRetentionDays", "objectLockMode", "objectLockDays", "sessionIdleMinutes",
	"adoptAutoScalingRole", "adoptGuardDutyDetector", "adoptSessionPreferences", "deployerPrincipalArns", "quotas",
	"operationsEmails", "stateSecretsProvider", "tenantDeployerPrincipalArns", "tenantRefreshPrincipalArns"}

// LoadConfig reads the baseline config through the Pulumi config API.
func LoadConfig(ctx *pulumi.Context) (*Config, error) {
	c := pconfig.New(ctx, Namespace)
	cfg, err := Load(func(k string) (string, bool) {
		v, err := c.Try(k)
		return v, err == nil
	})
	if err != nil {
		return nil, fmt.Errorf("baseline stack %s: invalid config, nothing was created:\n%w", ctx.Stack(), err)
	}
	return cfg, nil
}

// Coverage lists the data buckets of the tenants in dir that the shared
// trail must cover: trailMode shared, not deleted, in the baseline's cell.
func Coverage(dir string, cell config.Cell) (func(account string) []string, error) {
	names, err := stackfile.List(dir)
	if err != nil {
		return nil, err
	}
	var tenants []*config.Tenant
	for _, n := range names {
		t, _, err := stackfile.Load(dir, n)
		if err != nil {
			return nil, err
		}
		if t.TrailMode == expect.TrailShared && t.Lifecycle.State != config.StateDeleted && cell.Holds(t) {
			tenants = append(tenants, t)
		}
	}
	return func(account string) []string {
		var out []string
		for _, t := range tenants {
			out = append(out, tenant.DataBucketArns(t, account)...)
		}
		return out
	}, nil
}

// Program is the baseline program.
func Program(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	return build(ctx, cfg)
}

func build(ctx *pulumi.Context, cfg *Config) error {
	// The stack is a cell: its name the cell's, its tenants those whose
	// stack files name it.
	cell := config.Cell{Name: ctx.Stack(), Baseline: cfg}
	var cover func(string) []string
	if cfg.SharedTrail {
		var err error
		if cover, err = Coverage(cfg.TenantStacksDir, cell); err != nil {
			return fmt.Errorf("baseline: read the tenant stacks the shared trail covers (tenantStacksDir %q): %w", cfg.TenantStacksDir, err)
		}
	}
	deadlines, err := Deadlines(cfg.TenantStacksDir, cell, clock.Now())
	if err != nil {
		return fmt.Errorf("baseline: read the tenant stacks' deadlines for the watchdog (tenantStacksDir %q): %w", cfg.TenantStacksDir, err)
	}
	b, err := New(ctx, "baseline", &Args{Config: cfg, Coverage: cover, Deadlines: deadlines})
	if err != nil {
		return err
	}
	ctx.Export("baseline", b.Outputs)
	return nil
}

// Guarded runs the program with the control guard (see tenant.Guarded).
func Guarded(guard **policy.Guard) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg, err := LoadConfig(ctx)
		if err != nil {
			return err
		}
		g := policy.NewGuard(nil, true)
		*guard = g
		if err := g.Install(ctx); err != nil {
			return err
		}
		return build(ctx, cfg)
	}
}

// Inline is the guarded baseline program for the Automation API's inline
// source (see tenant.Inline).
func Inline(ctx *pulumi.Context) error {
	var guard *policy.Guard
	return Guarded(&guard)(ctx)
}
