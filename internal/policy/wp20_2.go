package policy

import (
	"fmt"
	"maps"
	"slices"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-20.2: no all-protocol ingress; a NACL on every subnet, in which 22
// and 3389 are denied from every source before any allow and no allow
// admits every protocol. Each judged as the live checks judge what they
// read (expect.Ingress, expect.NaclProblem).
var _ = register(Rule{ID: "WP-20.2",
	Each: func(in *Input, res *graph.Resource, e *Eval) {
		for _, r := range ingressOf(in, res) {
			if expect.AllProtocols(r.ing.Protocol) {
				e.Fail(label(r.res), "protocol "+r.ing.Protocol, "tcp or udp on named ports")
				continue
			}
			e.Applies()
		}
		if res.Type == tNaclRule && res.Get("egress") != true && res.Get("ruleAction") == "allow" {
			if p, _ := res.String("protocol"); expect.AllProtocols(p) {
				e.Fail(label(res), "NACL allows all protocols", "tcp on the tier's ports; the implicit rule denies the rest")
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		byACL := naclEntries(in)
		returns, unsure := returnTierACLs(in)
		for _, acl := range slices.Sorted(maps.Keys(byACL)) {
			why := expect.NaclProblem(byACL[acl], returns[acl])
			if why != "" && !returns[acl] && unsure && expect.NaclProblem(byACL[acl], true) == "" {
				// Fine if the ACL is a load balancer's or NAT's, which
				// is not known before deploy (a subnet being replaced).
				e.Unknown("network ACL "+acl, "whether the ACL's subnets hold the load balancer or a NAT gateway", "22 and 3389 denied from every source ahead of any allow")
				continue
			}
			if why != "" {
				e.Fail("network ACL "+acl, why, "22 and 3389 denied from every source ahead of any allow; no allow of every protocol")
				continue
			}
			e.Applies()
		}
		subnets := in.Graph.OfType(tSubnet)
		assocs := in.Graph.OfType(tNaclAssoc)
		for _, s := range subnets {
			found, unknown := false, false
			for _, a := range assocs {
				switch ref(in, a.Get("subnetId"), s) {
				case refYes:
					found = true
				case refUnknown:
					unknown = true
				}
			}
			switch {
			case found:
				e.Applies()
			case unknown:
				e.Unknown(label(s), "the subnet's NACL association", "a tier NACL")
			default:
				e.Fail(label(s), "no network ACL", "a tier NACL that denies by default")
			}
		}
	},
})

// returnTierACLs are the ACLs (by the id the rules name) of the subnets
// that hold a load balancer or a NAT gateway, as the graph declares them
// (expect.NaclProblem's returns); unsure when some subnet reference is
// not known yet.
func returnTierACLs(in *Input) (returns map[string]bool, unsure bool) {
	holders := map[string]bool{} // subnet references
	hold := func(v any) {
		if _, unknown := v.(graph.Unknown); unknown {
			unsure = true
			return
		}
		holders[fmt.Sprint(v)] = true
	}
	for _, lb := range in.Graph.OfType("aws:lb/loadBalancer:LoadBalancer") {
		switch ss := lb.Get("subnets").(type) {
		case []any:
			for _, s := range ss {
				hold(s)
			}
		default:
			hold(ss)
		}
	}
	for _, n := range in.Graph.OfType("aws:ec2/natGateway:NatGateway") {
		hold(n.Get("subnetId"))
	}
	returns = map[string]bool{}
	for _, a := range in.Graph.OfType(tNaclAssoc) {
		s := a.Get("subnetId")
		if _, unknown := s.(graph.Unknown); unknown {
			unsure = true
			continue
		}
		if holders[fmt.Sprint(s)] {
			returns[fmt.Sprint(a.Get("networkAclId"))] = true
		}
	}
	return returns, unsure
}
