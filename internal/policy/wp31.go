package policy

import (
	"cmp"
	"fmt"
	"net/netip"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
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
		// Every route judged as the live check judges the routes it reads
		// (expect.RouteProblem): its target the tenant's own internet
		// gateway, NAT gateway or S3 endpoint, no other tenant's range.
		var own []*graph.Resource
		for _, t := range []string{"aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", tEndpoint} {
			own = append(own, in.Graph.OfType(t)...)
		}
		others := map[string]netip.Prefix{}
		for name, p := range in.OtherStacks {
			if name != in.Tenant.TenantID {
				others[name] = p
			}
		}
		for _, r := range in.Graph.OfType(tRoute) {
			dest := cmp.Or(str(r, "destinationCidrBlock"), str(r, "destinationIpv6CidrBlock"), str(r, "destinationPrefixListId"))
			target, isOwn, unknown := "no target", false, false
			for _, k := range []string{"gatewayId", "natGatewayId", "vpcEndpointId", "transitGatewayId", "vpcPeeringConnectionId", "networkInterfaceId", "carrierGatewayId", "localGatewayId", "egressOnlyGatewayId", "coreNetworkArn"} {
				v := r.Get(k)
				if v == nil {
					continue
				}
				target = k + " " + fmt.Sprint(v)
				for _, o := range own {
					switch ref(in, v, o) {
					case refYes:
						isOwn = k == "gatewayId" || k == "natGatewayId" || k == "vpcEndpointId"
					case refUnknown:
						unknown = true
					}
				}
				break
			}
			if !isOwn && unknown {
				e.Unknown(label(r), "the route's target", "the tenant's own gateway or endpoint")
				continue
			}
			if why := expect.RouteProblem(dest, target, isOwn, others); why != "" {
				e.Fail(label(r), why, "routes to the tenant's own gateways and endpoints only, none to another tenant")
				continue
			}
			e.Applies()
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

// str reads a string input ("" when unset or not a string).
func str(r *graph.Resource, path string) string {
	s, _ := r.String(path)
	return s
}
