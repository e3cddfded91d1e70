// Package policy holds the plan rules of the control catalog: each rule
// reads the resource graph of a program (under mocks, or recorded by the
// real engine) and returns PASS, FAIL, UNKNOWN or N/A with findings. A value
// unknown before deploy makes a rule UNKNOWN, never PASS.
//
// Control WP-x's rule sits in wpX.go (wp20_4.go for WP-20.4), with the
// helpers only it uses; helpers of several controls sit in network.go,
// stores.go and compute.go. Where a rule and a live check both judge a
// policy document, the verdict is policydoc's, shared with internal/verify.
// Every rule has a test that makes it FAIL (policy_test.go).
package policy

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// Input is what rules read.
type Input struct {
	Graph *graph.Graph
	// Tenant is the stack's config; nil for the baseline stack.
	Tenant *config.Tenant
	// OtherStacks maps every other tenant stack to its VPC range (WP-31).
	OtherStacks map[string]netip.Prefix
	// Today is the JST calendar day offboarding deadlines count from.
	Today time.Time
	// Baseline is set when the graph is the account baseline stack.
	Baseline bool
	// MockIDs is set when ids and ARNs in the graph come from the mock
	// engine, which derives them from resource names; the rules can then
	// resolve references. Otherwise a reference they cannot resolve is
	// UNKNOWN, not PASS and not FAIL.
	MockIDs bool
}

// Rule is a control's plan rule. Each runs per resource (also at
// registration, where the engine stops a mandatory violation before the
// resource is created); Whole runs over the complete graph.
type Rule struct {
	ID    string
	Each  func(in *Input, r *graph.Resource, e *Eval)
	Whole func(in *Input, e *Eval)
}

// Eval collects one rule's findings.
type Eval struct {
	applied  int
	fails    []catalog.Finding
	unknowns []catalog.Finding
	notes    []string
}

// Applies counts a resource the rule looked at and found compliant.
func (e *Eval) Applies() { e.applied++ }

// Fail records a violation.
func (e *Eval) Fail(resource string, observed any, expected string) {
	e.applied++
	e.fails = append(e.fails, catalog.Finding{Resource: resource, Observed: fmt.Sprint(observed), Expected: expected})
}

// Failf records a violation with a formatted observation.
func (e *Eval) Failf(resource, expected, format string, args ...any) {
	e.Fail(resource, fmt.Sprintf(format, args...), expected)
}

// Unknown records a value that is computed at deploy time.
func (e *Eval) Unknown(resource, what, expected string) {
	e.applied++
	e.unknowns = append(e.unknowns, catalog.Finding{Resource: resource, Observed: what + " is unknown before deploy", Expected: expected})
}

// Note adds context to the result (why N/A, what is checked elsewhere).
func (e *Eval) Note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

func (e *Eval) result(id string) catalog.Result {
	res := catalog.NewResult(id)
	res.Note = strings.Join(e.notes, "; ")
	switch {
	case len(e.fails) > 0:
		res.Status, res.Findings = catalog.Fail, e.fails
	case len(e.unknowns) > 0:
		res.Status, res.Findings = catalog.Unknown, e.unknowns
	case e.applied > 0:
		res.Status = catalog.Pass
	default:
		res.Status = catalog.NA
	}
	if res.Findings == nil {
		res.Findings = []catalog.Finding{}
	}
	return res
}

// Rules lists every plan rule; rules_*.go files add to it.
var Rules []Rule

func register(r Rule) Rule { Rules = append(Rules, r); return r }

// RuleFor returns the rule of a control.
func RuleFor(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Evaluate runs every rule over the whole graph, in catalog order.
func Evaluate(in *Input) []catalog.Result {
	var out []catalog.Result
	all := in.Graph.All()
	for _, c := range catalog.Controls {
		r, ok := RuleFor(c.ID)
		if !ok {
			continue
		}
		e := &Eval{}
		if r.Each != nil {
			for _, res := range all {
				r.Each(in, res, e)
			}
		}
		if r.Whole != nil {
			r.Whole(in, e)
		}
		out = append(out, e.result(c.ID))
	}
	return out
}

// CheckResource runs the per-resource part of every mandatory rule on one
// resource and returns an error naming each failed control: the guard that
// stops a registration before the resource exists.
func CheckResource(in *Input, res *graph.Resource) error {
	var msgs []string
	for _, r := range Rules {
		c, _ := catalog.ByID(r.ID)
		if r.Each == nil || c.Severity != catalog.Mandatory {
			continue
		}
		e := &Eval{}
		r.Each(in, res, e)
		for _, f := range e.fails {
			msgs = append(msgs, fmt.Sprintf("%s (%s): %s: observed %s, expected %s", r.ID, c.Title, f.Resource, f.Observed, f.Expected))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	sort.Strings(msgs)
	return fmt.Errorf("mandatory control violated, %s %s not created:\n  %s", res.Type, res.Name, strings.Join(msgs, "\n  "))
}

// MandatoryFailures returns the mandatory FAIL results.
func MandatoryFailures(results []catalog.Result) []catalog.Result {
	var out []catalog.Result
	for _, r := range results {
		if r.Status == catalog.Fail && r.Severity == catalog.Mandatory {
			out = append(out, r)
		}
	}
	return out
}

// helpers shared by the rules

func label(r *graph.Resource) string { return r.Type + " " + r.Name }

func isType(r *graph.Resource, types ...string) bool { return slices.Contains(types, r.Type) }

func num(r *graph.Resource, path string) (int, bool) {
	f, ok := r.Get(path).(float64)
	return int(f), ok
}

func strs(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// tags returns a resource's own tags merged over its provider's defaults.
func tags(in *Input, r *graph.Resource) map[string]any {
	out := map[string]any{}
	if p := in.Graph.ByName(r.Provider); p != nil {
		if m, ok := p.Get("defaultTags.tags").(map[string]any); ok {
			for k, v := range m {
				out[k] = v
			}
		}
	}
	if m, ok := r.Get("tags").(map[string]any); ok {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// ref tells whether an input refers to the target resource: yes, no, or
// unknown (computed at deploy time, or not resolvable outside the mocks).
type refState int

const (
	refNo refState = iota
	refYes
	refUnknown
)

func ref(in *Input, v any, target *graph.Resource) refState {
	s, ok := v.(string)
	switch {
	case !ok:
		if _, unk := v.(graph.Unknown); unk {
			return refUnknown
		}
		return refNo
	case target != nil && s != "" && (isMockID(s, target.Name) || isMockID(s[strings.LastIndex(s, "/")+1:], target.Name)):
		return refYes
	case target != nil && s != "" && target.Get("name") == s:
		return refYes // by physical name, known before deploy
	case !in.MockIDs:
		return refUnknown
	}
	return refNo
}

// isMockID: the mocks make ids "<name>-NNNN"; a name that merely starts with
// another's (acme-data, acme-data-personal) is not a match.
func isMockID(s, name string) bool {
	rest, ok := strings.CutPrefix(s, name+"-")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
