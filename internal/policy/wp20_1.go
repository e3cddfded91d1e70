package policy

import (
	"slices"

	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-20.1: only the needed ports.
var _ = register(Rule{ID: "WP-20.1",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if !isType(r, tIngress, tEgress, tSGRule) {
			return
		}
		proto, from, to := ports(r)
		if from != to && proto != "-1" {
			e.Failf(label(r), "a single port per rule", "port range %d-%d", from, to)
			return
		}
		if !isIngress(r) {
			e.Applies()
			return
		}
		for _, c := range sgRuleCidrs(r) {
			if (c == "0.0.0.0/0" || c == "::/0") && from != 443 && from != 80 {
				e.Failf(label(r), "internet ingress only to 443 (and 80 for the redirect) on the load balancer", "%s admits port %d", c, from)
				return
			}
		}
		e.Applies()
	},
	Whole: func(in *Input, e *Eval) {
		groups := in.Graph.OfType(tSG)
		tierOf := func(v any) string {
			for _, g := range groups {
				if ref(in, v, g) == refYes {
					t, _ := g.String("tags.Tier")
					return t
				}
			}
			return ""
		}
		for _, r := range in.Graph.OfType(tIngress) {
			tier := tierOf(r.Get("securityGroupId"))
			cidrs := sgRuleCidrs(r)
			switch tier {
			case "lb":
				if in.Tenant != nil {
					for _, c := range cidrs {
						if !slices.Contains(in.Tenant.IngressCidrs, c) {
							e.Failf(label(r), "only the stack's ingressCidrs", "load balancer admits %s", c)
						}
					}
				}
			case "app", "db":
				if len(cidrs) > 0 || r.Get("referencedSecurityGroupId") == nil {
					e.Failf(label(r), "tiers reference each other by group, not CIDR", "%s tier admits %v", tier, cidrs)
				}
			case "":
				if ref(in, r.Get("securityGroupId"), nil) == refUnknown {
					e.Unknown(label(r), "the rule's group", "a tenant tier group")
				}
			}
			for _, c := range cidrs {
				if (c == "0.0.0.0/0" || c == "::/0") && tier != "lb" && tier != "" {
					e.Failf(label(r), "internet ingress only on the load-balancer group", "%s group admits %s", tier, c)
				}
			}
		}
	},
})
