package verify

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
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
// in the checks' words: after prefix and before suffix (regular
// expressions). The checks' "tenant <id>" reads "another tenant"
// (dropPrefix); in tenantkit's names (tk-<id>-…, /tenants/<id>/,
// role/tenants/<id>/) and the Tenant tag only the id is replaced. Only
// there, so that a tenant called "app" or "logs" does not blank out those
// words everywhere.
var tenantNamePlaces = []struct {
	prefix, suffix string
	dropPrefix     bool
}{
	{`\btenant `, `\b`, true},
	{`tk-`, `-|\b`, false},
	{`tenants/`, `/|\b`, false},
	{`Tenant[=:]\s?"?`, `\b`, false},
	{`Tenant"?:\s*\[?"`, `"`, false},
}

// withoutOtherTenants rewrites the report's observations, findings and
// not-judged notes so that none of the other tenants' ids remains. One
// expression per place matches every id at once, the longest first, and
// the report's own id among them: a name of the tenant's own (tk-acme-corp-…
// beside a tenant acme) is never taken for another's.
func withoutOtherTenants(r *Report, own string, others []string) {
	if len(others) == 0 {
		return
	}
	places := placesOf(append([]string{own}, others...))
	clean := func(s string) string {
		for _, p := range places {
			s = p.re.ReplaceAllStringFunc(s, func(m string) string {
				sm := p.re.FindStringSubmatch(m)
				switch {
				case sm == nil || sm[2] == own:
					return m
				case p.dropPrefix:
					return "another tenant" + sm[3]
				}
				return sm[1] + otherTenant + sm[3]
			})
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

type place struct {
	re         *regexp.Regexp
	dropPrefix bool
}

// lastPlaces keeps the expressions of the last set of ids: every report
// of a fleet run names the same ids (its own among the others), so the
// expressions are compiled once per run, not once per tenant (a fleet of
// 1,000 compiled 5,000 alternations of 1,000 ids each).
var lastPlaces struct {
	sync.Mutex
	key    string
	places []place
}

// placesOf is one expression per place matching every id at once, the
// longest first.
func placesOf(all []string) []place {
	ids := slices.SortedFunc(slices.Values(all), func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	key := strings.Join(ids, ",")
	lastPlaces.Lock()
	defer lastPlaces.Unlock()
	if lastPlaces.key == key && lastPlaces.places != nil {
		return lastPlaces.places
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = regexp.QuoteMeta(id)
	}
	alt := "(" + strings.Join(quoted, "|") + ")"
	places := make([]place, len(tenantNamePlaces))
	for i, p := range tenantNamePlaces {
		places[i] = place{regexp.MustCompile("(" + p.prefix + ")" + alt + "(" + p.suffix + ")"), p.dropPrefix}
	}
	lastPlaces.key, lastPlaces.places = key, places
	return places
}

// otherTenantIDs are the ids of the tenants beside the target's.
func otherTenantIDs(t *Target) []string {
	return slices.Sorted(maps.Keys(t.OtherCidrs))
}
