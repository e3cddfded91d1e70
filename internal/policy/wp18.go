package policy

import (
	"fmt"
	"maps"
	"slices"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-18: no SSH or RDP anywhere: no security-group rule opens them, and
// in every NACL the first entry matching 22 or 3389 denies it.
var _ = register(Rule{ID: "WP-18",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tIngress, tSGRule:
			if !isIngress(r) {
				return
			}
			proto, from, to := ports(r)
			for _, p := range []int{22, 3389} {
				if proto == "-1" || proto == "all" || (from <= p && p <= to) {
					e.Failf(label(r), "no ingress to 22 or 3389; shell access only through SSM Session Manager", "ingress %s %d-%d opens %d", proto, from, to, p)
					return
				}
			}
			e.Applies()
		case tSG, tDefaultSG:
			for _, in := range asList(r.Get("ingress")) {
				from, _ := in["fromPort"].(float64)
				to, _ := in["toPort"].(float64)
				if (from <= 22 && 22 <= to) || (from <= 3389 && 3389 <= to) {
					e.Failf(label(r), "no ingress to 22 or 3389", "inline ingress %v-%v", from, to)
				}
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		byACL := map[string][]*graph.Resource{}
		for _, r := range in.Graph.OfType(tNaclRule) {
			if r.Get("egress") != true {
				id := fmt.Sprint(r.Get("networkAclId"))
				byACL[id] = append(byACL[id], r)
			}
		}
		for _, acl := range slices.Sorted(maps.Keys(byACL)) {
			rules := byACL[acl]
			slices.SortFunc(rules, func(a, b *graph.Resource) int {
				x, _ := num(a, "ruleNumber")
				y, _ := num(b, "ruleNumber")
				return x - y
			})
			for _, port := range []int{22, 3389} {
				for _, r := range rules {
					proto, from, to := ports(r)
					if proto != "-1" && proto != "all" && (port < from || port > to) {
						continue
					}
					if r.Get("ruleAction") == "allow" {
						e.Failf(label(r), fmt.Sprintf("a deny for %d numbered before any allow", port), "first NACL entry for port %d allows it (%s %d-%d)", port, proto, from, to)
					} else {
						e.Applies()
					}
					break
				}
			}
		}
		if in.Baseline {
			sessionLogging(in, e)
		}
	},
})

// sessionLogging: the baseline's Session Manager preferences log every
// session to an encrypted log group (WP-18).
func sessionLogging(in *Input, e *Eval) {
	for _, d := range in.Graph.OfType(tSSMDocument) {
		if n, _ := d.String("name"); n != "SSM-SessionManagerRunShell" {
			continue
		}
		s, ok := d.String("content")
		if !ok {
			e.Unknown(label(d), "the preferences", "session logs to an encrypted log group")
			return
		}
		if group, enc, err := awsdocs.SessionLogging(s); err != nil || group == "" || !enc {
			e.Fail(label(d), s, "cloudWatchLogGroupName set and cloudWatchEncryptionEnabled true")
			return
		}
		e.Applies()
		return
	}
	e.Fail("baseline", "no Session Manager preferences", "SSM-SessionManagerRunShell logging sessions to an encrypted log group")
}
