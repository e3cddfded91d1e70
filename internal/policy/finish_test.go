package policy_test

import (
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The end-of-run check passes a compliant tenant (no error: a guard that
// always failed would stop every deploy) and fails it once one mandatory
// control breaks.
func TestFinishPassesACompliantTenant(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	g := policy.NewGuard(cfg, false)
	for _, r := range testkit.Run(t, cfg).All() {
		g.Record(r)
	}
	if _, err := g.Finish(); err != nil {
		t.Fatalf("acme as the program builds it: %v", err)
	}
	g.Record(&graph.Resource{Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-ssh", Custom: true, Provider: "acme-aws",
		Inputs: map[string]any{"fromPort": 22.0, "toPort": 22.0, "ipProtocol": "tcp", "cidrIpv4": "10.0.0.0/8"}})
	if _, err := g.Finish(); err == nil || !strings.Contains(err.Error(), "WP-18") || !strings.Contains(err.Error(), "acme-ssh") {
		t.Fatalf("an SSH rule: want a failure naming WP-18 and acme-ssh, got %v", err)
	}
}
