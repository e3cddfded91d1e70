package policy

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

// WP-10: suspended stacks admit nothing from outside the VPC; a stack being
// deleted has key deletion windows that end by the deadline.
var _ = register(Rule{ID: "WP-10",
	Whole: func(in *Input, e *Eval) {
		t := in.Tenant
		if t == nil {
			return
		}
		if t.Suspended() {
			vpc, err := netip.ParsePrefix(t.VpcCidr)
			if err != nil {
				e.Fail("vpcCidr", t.VpcCidr, "a valid VPC range")
				return
			}
			for _, r := range append(in.Graph.OfType(tIngress), in.Graph.OfType(tSGRule)...) {
				if !isIngress(r) {
					continue
				}
				for _, c := range sgRuleCidrs(r) {
					if p, err := netip.ParsePrefix(c); err != nil || !vpc.Contains(p.Addr()) || p.Bits() < vpc.Bits() {
						e.Failf(label(r), "a suspended tenant admits nothing from outside the VPC", "admits %s", c)
					}
				}
			}
			for _, l := range in.Graph.OfType(tListener) {
				ok := false
				for _, a := range asList(l.Get("defaultActions")) {
					fr, _ := a["fixedResponse"].(map[string]any)
					if a["type"] == "fixed-response" && fr["statusCode"] == "503" {
						ok = true
					}
				}
				if !ok {
					e.Fail(label(l), "serves traffic", "a fixed 503 while suspended")
				} else {
					e.Applies()
				}
			}
			e.Applies()
		}
		// Keys are scheduled for deletion when the stack is destroyed: then
		// their window must end by the deadline.
		if t.Deleting() && t.Lifecycle.DeleteBy != "" && !in.Today.IsZero() {
			deadline, err := time.Parse(time.DateOnly, t.Lifecycle.DeleteBy)
			if err == nil {
				left := int(deadline.Sub(in.Today).Hours() / 24)
				for _, k := range in.Graph.OfType(tKey) {
					if w, _ := num(k, "deletionWindowInDays"); w > left {
						e.Failf(label(k), fmt.Sprintf("a deletion window of at most %d days (deadline %s)", left, t.Lifecycle.DeleteBy), "window %d days", w)
					} else {
						e.Applies()
					}
				}
			}
		}
		// A §10 deadline already missed (suspension later than the day
		// after cancellation, deletion that cannot end by the deadline)
		// fails the control, whatever the stack holds.
		if !in.Today.IsZero() {
			if today, err := lifecycle.ParseDate(in.Today.Format(time.DateOnly)); err == nil {
				if d, err := lifecycle.DueOn(t, today); err == nil && d.Missed != "" {
					e.Fail("lifecycle", d.Missed, "suspension the day after cancellation, deletion within 30 days (§10)")
				}
			}
		}
		if !t.Suspended() && t.Lifecycle.DeleteBy == "" {
			e.Note("tenant active: no offboarding in progress")
		}
	},
})
