package policy

import (
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// WP-18: no SSH or RDP: no security-group rule opens them, judged as the
// live check judges each rule it reads (expect.Ingress). That every NACL
// denies them first is WP-20.2's, before deploy as after.
var _ = register(Rule{ID: "WP-18",
	Each: func(in *Input, res *graph.Resource, e *Eval) {
		for _, r := range ingressOf(in, res) {
			if opened := r.ing.ShellPortsOpened(); len(opened) > 0 {
				e.Failf(label(r.res), "no ingress to 22 or 3389; shell access only through SSM Session Manager", "ingress %s %d-%d opens %v", r.ing.Protocol, r.ing.From, r.ing.To, opened)
				continue
			}
			e.Applies()
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Baseline {
			sessionLogging(in, e)
		}
		if in.Tenant != nil {
			tenantSessions(in, e)
		}
	},
})

// sessionLogging: the baseline's default Session Manager preferences log
// to an encrypted group and put session data under a key (no tenant host
// may use the baseline's, so a session naming no tenant document is
// refused) (WP-18).
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
		if p, err := awsdocs.SessionLogging(s); err != nil || p.Group == "" || !p.Encrypted || p.KmsKeyID == "" {
			e.Fail(label(d), s, "cloudWatchLogGroupName set, cloudWatchEncryptionEnabled true and a kmsKeyId no tenant host may use")
			return
		}
		e.Applies()
		return
	}
	e.Fail("baseline", "no Session Manager preferences", "SSM-SessionManagerRunShell logging sessions to an encrypted log group")
}

// tenantSessions: the tenant's session document streams to the tenant's
// own encrypted group under the tenant key, and the instance role is
// granted every call the agent makes for that (expect.SessionGrants), so
// a session can start and is logged (WP-18).
func tenantSessions(in *Input, e *Eval) {
	t := in.Tenant
	want := fmt.Sprintf("%s logging to %s (encrypted), session data under the tenant key", expect.SessionDocument(t.TenantID), expect.TenantSessionLogGroup(t.TenantID))
	var doc *graph.Resource
	for _, d := range in.Graph.OfType(tSSMDocument) {
		if n, _ := d.String("name"); n == expect.SessionDocument(t.TenantID) {
			doc = d
		}
	}
	if doc == nil {
		e.Fail("tenant", "no session document", want)
		return
	}
	content, ok := doc.String("content")
	if !ok {
		e.Unknown(label(doc), "the session document", want)
		return
	}
	p, err := awsdocs.SessionLogging(content)
	if err != nil || p.Group != expect.TenantSessionLogGroup(t.TenantID) || !p.Encrypted {
		e.Fail(label(doc), content, want)
		return
	}
	switch ref(in, p.KmsKeyID, tenantKey(in)) {
	case refUnknown:
		e.Unknown(label(doc), "the session document's key", want)
		return
	case refNo:
		e.Fail(label(doc), content, want)
		return
	}
	if strings.Count(p.KmsKeyID, ":") < 5 {
		// The grants below name the key by its ARN, as the program does.
		e.Fail(label(doc), content, want+", the key named by its ARN")
		return
	}
	e.Applies()

	role, policies, unsure := instanceRolePolicies(in, t.TenantID)
	what := "graph " + expect.InstanceRoleName(t.TenantID)
	if role == nil {
		e.Fail("tenant", "no instance role", "the instance role granted what a logged session needs")
		return
	}
	// The key the role must decrypt with is the document's, the tenant
	// key (judged above), named by its ARN.
	account := strings.Split(p.KmsKeyID, ":")[4]
	for _, g := range expect.SessionGrants(t.Region, account, t.TenantID, p.KmsKeyID) {
		granted, known := false, !unsure
		for _, pol := range policies {
			s, ok := pol.String("policy")
			d, err := policydoc.Parse(s)
			if !ok || err != nil {
				known = false
				continue
			}
			granted = granted || d.Grants(g.Action, g.Resource)
		}
		switch {
		case granted:
			e.Applies()
		case !known:
			e.Unknown(what, "the instance role's policies", g.Action+" on "+g.Resource)
		default:
			e.Failf(what, fmt.Sprintf("%s on %s (%s)", g.Action, g.Resource, g.Why), "not granted")
		}
	}
}

// instanceRolePolicies finds the tenant's instance role and its inline
// policies in the graph, each resolved as every rule resolves a
// reference (ref); unsure when some policy's role is not known yet.
func instanceRolePolicies(in *Input, tenantID string) (role *graph.Resource, policies []*graph.Resource, unsure bool) {
	for _, r := range in.Graph.OfType(tRole) {
		if n, _ := r.String("name"); n == expect.InstanceRoleName(tenantID) {
			role = r
		}
	}
	if role == nil {
		return nil, nil, false
	}
	for _, p := range in.Graph.OfType("aws:iam/rolePolicy:RolePolicy") {
		switch ref(in, p.Get("role"), role) {
		case refYes:
			policies = append(policies, p)
		case refUnknown:
			unsure = true
		}
	}
	return role, policies, unsure
}
