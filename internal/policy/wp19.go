package policy

import (
	"strings"

	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-19: one VPC and one key; the default group emptied; no peering.
var _ = register(Rule{ID: "WP-19",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if strings.Contains(r.Type, "PeeringConnection") || strings.HasPrefix(r.Type, "aws:ec2transitgateway") {
			e.Fail(label(r), r.Type, "no peering or transit gateway: tenants share no network")
		}
		if r.Type == tDefaultSG {
			if len(asSlice(r.Get("ingress"))) > 0 || len(asSlice(r.Get("egress"))) > 0 {
				e.Fail(label(r), "rules on the default security group", "the default group emptied")
			} else {
				e.Applies()
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		vpcs, keys := in.Graph.OfType(tVpc), in.Graph.OfType(tKey)
		if len(vpcs) != 1 {
			e.Failf("stack", "exactly one VPC per tenant", "%d VPCs", len(vpcs))
		}
		if len(keys) != 1 {
			e.Failf("stack", "exactly one KMS key per tenant", "%d keys", len(keys))
		}
		if len(in.Graph.OfType(tDefaultSG)) != len(vpcs) {
			e.Failf("stack", "the default security group of every VPC adopted and emptied", "%d adopted for %d VPCs", len(in.Graph.OfType(tDefaultSG)), len(vpcs))
		}
	},
})
