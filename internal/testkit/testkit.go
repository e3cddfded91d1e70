// Package testkit runs the tenant program under mocks for tests: with an
// example stack's real config, or with that config changed.
package testkit

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// StacksDir is the repository's stacks/ directory.
func StacksDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "stacks")
}

// ExampleTenants lists the example stacks.
func ExampleTenants(t testing.TB) []string {
	t.Helper()
	names, err := stackfile.List(StacksDir())
	if err != nil || len(names) < 3 {
		t.Fatalf("want at least three example stacks in %s, got %v (%v)", StacksDir(), names, err)
	}
	return names
}

// Load reads an example stack's config.
func Load(t testing.TB, name string) *config.Tenant {
	t.Helper()
	cfg, _, err := stackfile.Load(StacksDir(), name)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Run runs the tenant program with a config and returns its graph.
func Run(t testing.TB, cfg *config.Tenant) *graph.Graph {
	t.Helper()
	g, err := RunErr(cfg)
	if err != nil {
		t.Fatalf("program failed for %s: %v", cfg.TenantID, err)
	}
	return g
}

// RunErr runs the tenant program and returns its graph and error.
func RunErr(cfg *config.Tenant) (*graph.Graph, error) {
	return mockengine.Run(tenant.Program, mockengine.Options{
		Stack: cfg.TenantID, Config: config.Encode(cfg), Region: cfg.Region,
	})
}

// RunBaseline runs the account baseline program with the example baseline
// stack (baseline/Pulumi.tokyo.yaml), its shared trail covering the example
// tenants.
func RunBaseline(t testing.TB) *graph.Graph {
	t.Helper()
	raw, err := stackfile.ReadRaw(filepath.Join(StacksDir(), "..", "baseline", "Pulumi.tokyo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	raw["tenantkit-baseline:tenantStacksDir"] = StacksDir()
	g, err := mockengine.Run(baseline.Program, mockengine.Options{Stack: "tokyo", Config: raw})
	if err != nil {
		t.Fatal(err)
	}
	return g
}
