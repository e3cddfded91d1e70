package policy

import (
	"encoding/json"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-37: GuardDuty findings of medium severity and up reach the topic, and
// so does every other alert route (awsdocs.Routes: Inspector and Security
// Hub findings on the tenant's resources, changes to the tenant key, the
// certificate's expiry), each by a rule of the tenant's, enabled, its
// pattern the route's for this tenant, targeted at the topic.
var _ = register(Rule{ID: "WP-37",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		guardDutyRoute(in, e)
		for _, route := range awsdocs.Routes {
			alertRoute(in, e, route)
		}
	},
})

// guardDutyRoute: the tenant's findings rule, its pattern exactly the
// program's (expect.FindingsPattern: every GuardDuty finding of severity 4
// and up, nothing narrowing it), as the live check compares it.
func guardDutyRoute(in *Input, e *Eval) {
	name, want := expect.FindingsRuleName(in.Tenant.TenantID), expect.FindingsPattern()
	for _, r := range in.Graph.OfType(tEventRule) {
		if n, _ := r.String("name"); n != name {
			continue
		}
		s, _ := r.String("eventPattern")
		if st, ok := r.String("state"); ok && st != "ENABLED" {
			e.Fail(label(r), "rule "+st, "the findings rule ENABLED")
			return
		}
		if !awsdocs.SamePattern(s, want) {
			e.Failf(label(r), "pattern "+want+" (GuardDuty findings of severity 4 and up)", "pattern %s", s)
			return
		}
		if !targeted(in, r) {
			e.Fail(label(r), "no target", "the operator's alert topic")
			return
		}
		e.Applies()
		return
	}
	e.Fail("stack", "no GuardDuty finding rule "+name, "an EventBridge rule for GuardDuty findings to the topic")
}

func alertRoute(in *Input, e *Eval, route awsdocs.Route) {
	name := awsdocs.RouteRuleName(in.Tenant.TenantID, route.Key)
	var r *graph.Resource
	for _, x := range in.Graph.OfType(tEventRule) {
		if n, _ := x.String("name"); n == name {
			r = x
		}
	}
	if r == nil {
		e.Fail("stack", "no rule "+name, route.Description+", to the topic")
		return
	}
	s, ok := r.String("eventPattern")
	if !ok {
		e.Unknown(label(r), "the pattern", route.Description)
		return
	}
	keyArn := patternKeyArn(s)
	want, err := awsdocs.RoutePattern(route.Key, in.Tenant.TenantID, keyArn, in.Tenant.CertificateArn)
	if err != nil || !awsdocs.SamePattern(s, want) {
		e.Failf(label(r), route.Description+" (pattern "+want+")", "pattern %s", s)
		return
	}
	if route.Key == "key-changes" {
		switch ref(in, keyArn, tenantKey(in)) {
		case refNo:
			e.Fail(label(r), "key "+keyArn, "the tenant key's changes")
			return
		case refUnknown:
			e.Unknown(label(r), "which key the pattern names", "the tenant key's changes")
			return
		}
	}
	if st, ok := r.String("state"); ok && st != "ENABLED" {
		e.Fail(label(r), "rule "+st, "the rule ENABLED")
		return
	}
	if !targeted(in, r) {
		e.Fail(label(r), "no target", "the tenant's alert topic")
		return
	}
	e.Applies()
}

// targeted: an event target of the stack names the rule.
func targeted(in *Input, rule *graph.Resource) bool {
	for _, t := range in.Graph.OfType(tEventTarget) {
		if ref(in, t.Get("rule"), rule) != refNo {
			return true
		}
	}
	return false
}

// patternKeyArn is the key ARN a key-changes pattern names (empty if none).
func patternKeyArn(pattern string) string {
	var p struct {
		Detail struct {
			Resources struct {
				ARN []string `json:"ARN"`
			} `json:"resources"`
		} `json:"detail"`
	}
	if json.Unmarshal([]byte(pattern), &p) != nil || len(p.Detail.Resources.ARN) != 1 {
		return ""
	}
	return p.Detail.Resources.ARN[0]
}
