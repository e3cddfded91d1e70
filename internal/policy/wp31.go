package policy

import (
	"net/netip"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
)

// WP-31: the tenant range is unique and outside reserved ranges; no routes
// to other networks; endpoints for the private tiers.
var _ = register(Rule{ID: "WP-31",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		vpcCidr, err := netip.ParsePrefix(in.Tenant.VpcCidr)
		if err != nil {
			e.Fail("vpcCidr", in.Tenant.VpcCidr, "a valid VPC range")
			return
		}
		for _, r := range in.Tenant.AllReserved() {
			if p, err := netip.ParsePrefix(r); err == nil && p.Overlaps(vpcCidr) {
				e.Failf("vpcCidr", "outside the operator's reserved ranges", "%s overlaps reserved %s", vpcCidr, r)
			}
		}
		for name, other := range in.OtherStacks {
			if name != in.Tenant.TenantID && other.Overlaps(vpcCidr) {
				e.Failf("vpcCidr", "unique across tenant stacks", "%s overlaps stack %s (%s)", vpcCidr, name, other)
			}
		}
		for _, v := range in.Graph.OfType(tVpc) {
			if c, _ := v.String("cidrBlock"); c != in.Tenant.VpcCidr {
				e.Failf(label(v), in.Tenant.VpcCidr, "VPC range %s", c)
			} else {
				e.Applies()
			}
		}
		for _, r := range in.Graph.OfType(tRoute) {
			d, _ := r.String("destinationCidrBlock")
			if d != "0.0.0.0/0" {
				e.Failf(label(r), "no route to another network", "route to %s", d)
			}
			for _, k := range []string{"vpcPeeringConnectionId", "transitGatewayId"} {
				if _, set := r.Inputs[k]; set {
					e.Failf(label(r), "no route to another tenant", "route through %s", k)
				}
			}
		}
		have := map[string]bool{}
		for _, ep := range in.Graph.OfType(tEndpoint) {
			svc, _ := ep.String("serviceName")
			have[svc[strings.LastIndex(svc, ".")+1:]] = true
		}
		for _, svc := range append([]string{"s3"}, config.RequiredInterfaceEndpoints...) {
			if !have[svc] {
				e.Failf("stack", "a VPC endpoint for "+svc, "no %s endpoint", svc)
			}
		}
	},
})
