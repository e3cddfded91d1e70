package policy

import (
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// WP-17: buckets accept only the tenant's endpoint or roles; no open
// principals; roles scoped.
var _ = register(Rule{ID: "WP-17",
	Whole: func(in *Input, e *Eval) {
		tenant := ""
		if in.Tenant != nil {
			tenant = in.Tenant.TenantID
			namedPipelines(in, e)
		}
		for _, b := range in.Graph.OfType(tBucket) {
			doc, state := bucketPolicy(in, b)
			if state == refUnknown || doc == nil {
				continue // WP-21.2 reports a missing policy
			}
			if in.Tenant == nil {
				for _, st := range openAllows(doc) {
					e.Fail(label(b), st.Sid+": Allow to * without a condition", "principals restricted to the tenant")
				}
				continue
			}
			// The same verdict as the live check's; the endpoint's id is
			// not known before deploy, so any endpoint deny is accepted.
			if ps := doc.BucketScopeProblems(tenant, bucketRole(b) == roleData, ""); len(ps) > 0 {
				e.Fail(label(b), strings.Join(ps, "; "), "principals restricted to the tenant; data only through the tenant's endpoint or roles")
				continue
			}
			e.Applies()
		}
		for _, k := range in.Graph.OfType(tKey) {
			s, _ := k.String("policy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Fail(label(k), "unreadable key policy", "a key policy scoped to the tenant")
				continue
			}
			if in.Tenant == nil {
				// The baseline's key is the account's EBS default: every
				// principal of the account launches through EC2 with it.
				for _, st := range openAllows(doc) {
					e.Fail(label(k), st.Sid+": Allow to * without a condition", "principals restricted to the tenant")
				}
				e.Applies()
				continue
			}
			account := rootAccount(doc)
			if ps := doc.KeyScopeProblems(account, tenant, expect.KeyServices(in.Tenant.Region)); len(ps) > 0 {
				e.Fail(label(k), strings.Join(ps, "; "), "key usable by the tenant's roles, its services and the deployers only; every other tenant refused")
				continue
			}
			e.Applies()
		}
		if in.Tenant != nil {
			for _, tp := range in.Graph.OfType(tTopic) {
				s, _ := tp.String("policy")
				doc, err := policydoc.Parse(s)
				if err != nil {
					e.Unknown(label(tp), "the topic policy", "every other tenant's role refused")
					continue
				}
				if !doc.DeniesOtherTenants(in.Tenant.TenantID) {
					e.Fail(label(tp), "no explicit deny of the other tenants' roles", "every other tenant's role refused, whatever its IAM policies")
					continue
				}
				e.Applies()
			}
		}
		for _, p := range in.Graph.OfType("aws:iam/rolePolicy:RolePolicy") {
			s, _ := p.String("policy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Unknown(label(p), "the policy", "a policy scoped to tenant ARNs")
				continue
			}
			if ps := doc.RoleScopeProblems(); len(ps) > 0 {
				e.Fail(label(p), strings.Join(ps, "; "), "actions on tenant ARNs only")
				continue
			}
			e.Applies()
		}
		for _, a := range in.Graph.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
			arn, _ := a.String("policyArn")
			if !slices.Contains(expect.InstanceManagedPolicies, arn) {
				e.Fail(label(a), "managed policy "+arn, "only "+strings.Join(expect.InstanceManagedPolicies, ", ")+" (policies of the stack's own scoped to the tenant)")
				continue
			}
			e.Applies()
		}
	},
})

// rootAccount is the account whose root administers a key (the policy's
// root statement, which KMS requires).
func rootAccount(doc *policydoc.Document) string {
	for _, st := range doc.Statement {
		for _, p := range st.Principals("AWS") {
			if strings.HasSuffix(p, ":root") && strings.HasPrefix(p, "arn:aws:iam::") {
				return strings.TrimSuffix(strings.TrimPrefix(p, "arn:aws:iam::"), ":root")
			}
		}
	}
	return ""
}

// openAllows returns the statements that allow any principal with no
// condition to restrict it.
func openAllows(doc *policydoc.Document) []policydoc.Statement {
	var out []policydoc.Statement
	for _, st := range doc.Statement {
		if st.Effect == "Allow" && slices.Contains(st.Principals("AWS"), "*") && len(st.Condition) == 0 {
			out = append(out, st)
		}
	}
	return out
}

// namedPipelines: a tenant stack names who deploys it and who reads it
// for the drift check. Without deployers each deploy's caller becomes the
// one the buckets' and key's denies exempt, so a deploy by another role
// rewrites those policies (and the drift role's preview, which computes
// them for itself, never matches); without refresh principals the drift
// check's refresh is refused the buckets it reads.
func namedPipelines(in *Input, e *Eval) {
	stack := "stack " + in.Tenant.TenantID
	if len(in.Tenant.DeployerPrincipalArns) == 0 {
		e.Fail(stack, "deployerPrincipalArns: none (each deploy's caller is taken)", "the deploy pipeline's role named: tenantkit:deployerPrincipalArns (tenantctl onboard writes the baseline's tenantDeployerPrincipalArns)")
	}
	if len(in.Tenant.RefreshPrincipalArns) == 0 {
		e.Fail(stack, "refreshPrincipalArns: none", "the drift check's role named: tenantkit:refreshPrincipalArns (tenantctl onboard writes the baseline's tenantRefreshPrincipalArns)")
	}
	if len(in.Tenant.DeployerPrincipalArns) > 0 && len(in.Tenant.RefreshPrincipalArns) > 0 {
		e.Applies()
	}
}
