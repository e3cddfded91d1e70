package policy

import (
	"github.com/tenantkit/tenantkit/internal/awsdocs"
)

// WP-37: GuardDuty findings of medium severity and up reach the topic.
var _ = register(Rule{ID: "WP-37",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		for _, r := range in.Graph.OfType(tEventRule) {
			s, _ := r.String("eventPattern")
			gd, min, err := awsdocs.FindingsPattern(s)
			if err != nil || !gd {
				continue
			}
			if st, ok := r.String("state"); ok && st != "ENABLED" {
				e.Fail(label(r), "rule "+st, "the findings rule ENABLED")
				return
			}
			if min > 4 {
				e.Failf(label(r), "findings of severity 4 (medium) and up", "pattern %s", s)
				continue
			}
			targeted := false
			for _, t := range in.Graph.OfType(tEventTarget) {
				if ref(in, t.Get("rule"), r) != refNo {
					targeted = true
				}
			}
			if !targeted {
				e.Fail(label(r), "no target", "the operator's alert topic")
				continue
			}
			e.Applies()
			return
		}
		e.Fail("stack", "no GuardDuty finding rule", "an EventBridge rule for GuardDuty findings to the topic")
	},
})
