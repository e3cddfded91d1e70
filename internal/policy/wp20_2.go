package policy

import (
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-20.2: no all-protocol ingress; a NACL on every subnet.
var _ = register(Rule{ID: "WP-20.2",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch {
		case isType(r, tIngress, tSGRule) && isIngress(r):
			if proto, _, _ := ports(r); proto == "-1" || proto == "all" {
				e.Fail(label(r), "protocol -1", "tcp or udp on named ports")
				return
			}
			e.Applies()
		case r.Type == tNaclRule && r.Get("egress") != true && r.Get("ruleAction") == "allow":
			if p, _ := r.String("protocol"); p == "-1" || p == "all" {
				e.Fail(label(r), "NACL allows all protocols", "tcp on the tier's ports; the implicit rule denies the rest")
				return
			}
			e.Applies()
		}
	},
	Whole: func(in *Input, e *Eval) {
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
