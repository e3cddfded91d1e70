package verify

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// A tenant's report is the customer's page (#37 item 6): it names no other
// tenant. Where an observation would (a route reaching another tenant's
// range, a policy naming another tenant's role, a resource of another
// tenant's), the name is replaced by "another tenant"; the range, the
// account and the finding stay. The fleet page, which only operators
// read, names every tenant.

// otherTenant is what stands in a tenant's report for another tenant's id
// inside a name; the checks' "tenant <id>" reads "another tenant".
const otherTenant = "another-tenant"

// tenantNamePlaces are where a tenant's id stands in what AWS answers and
// in the checks' words, NAME marking it, with what replaces it: the
// checks' "tenant NAME", tenantkit's names (tk-NAME-…, /tenants/NAME/,
// role/tenants/NAME/) and its Tenant tag. Only there, so that a tenant
// called "app" or "logs" does not blank out those words everywhere.
var tenantNamePlaces = [][2]string{
	{`\btenant NAME\b`, "another tenant"},
	{`(tk-)NAME(-|\b)`, "${1}" + otherTenant + "${2}"},
	{`(tenants/)NAME(/|\b)`, "${1}" + otherTenant + "${2}"},
	{`(Tenant[=:]\s?"?)NAME\b`, "${1}" + otherTenant},
	{`(Tenant"?:\s*\[?")NAME"`, "${1}" + otherTenant + `"`},
}

// withoutOtherTenants rewrites the report's observations, findings and
// not-judged notes so that none of the other tenants' ids remains.
func withoutOtherTenants(r *Report, others []string) {
	if len(others) == 0 {
		return
	}
	type place struct {
		re   *regexp.Regexp
		with string
	}
	var places []place
	for _, name := range others {
		for _, p := range tenantNamePlaces {
			places = append(places, place{regexp.MustCompile(strings.ReplaceAll(p[0], "NAME", regexp.QuoteMeta(name))), p[1]})
		}
	}
	clean := func(s string) string {
		for _, p := range places {
			s = p.re.ReplaceAllString(s, p.with)
		}
		return s
	}
	for i := range r.Controls {
		c := &r.Controls[i]
		for j := range c.Checks {
			for k := range c.Checks[j].Observations {
				o := &c.Checks[j].Observations[k]
				o.Resource, o.Observed, o.Expected, o.ReasonJA = clean(o.Resource), clean(o.Observed), clean(o.Expected), clean(o.ReasonJA)
			}
		}
		for j := range c.Findings {
			f := &c.Findings[j]
			f.Resource, f.Observed, f.Expected = clean(f.Resource), clean(f.Observed), clean(f.Expected)
		}
		for j := range c.NotJudged {
			c.NotJudged[j] = clean(c.NotJudged[j])
		}
	}
}

// otherTenantIDs are the ids of the tenants beside the target's.
func otherTenantIDs(t *Target) []string {
	return slices.Sorted(maps.Keys(t.OtherCidrs))
}
