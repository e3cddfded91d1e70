package policy

import (
	"fmt"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-20.1: only the needed ports. Every ingress rule of a tier's group is
// judged against the tier matrix the stack declares (expect.TierAllows,
// the live check's verdict too); egress of every protocol is refused.
var _ = register(Rule{ID: "WP-20.1",
	Each: func(in *Input, res *graph.Resource, e *Eval) {
		if isType(res, tEgress, tSGRule) && !isIngress(res) {
			proto, from, to := ports(res)
			if why := expect.EgressProblem(proto, int32(from), int32(to)); why != "" {
				e.Fail(label(res), why, "egress limited to what the tier needs: single named ports")
				return
			}
			e.Applies()
			return
		}
		if in.Tenant == nil {
			return
		}
		for _, r := range ingressOf(in, res) {
			switch {
			case r.tier == "default":
				continue // WP-19 requires it empty
			case r.unknown:
				e.Unknown(label(r.res), "the rule's group", "a tenant tier group")
				continue
			}
			if ok, want := expect.TierAllows(r.tier, r.ing, in.Tenant); !ok {
				e.Fail(label(r.res), fmt.Sprintf("ingress %s %d-%d from %v%v", r.ing.Protocol, r.ing.From, r.ing.To, r.ing.Cidrs, r.ing.Groups), want)
				continue
			}
			e.Applies()
		}
	},
})
