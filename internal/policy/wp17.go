package policy

import (
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// WP-17: buckets accept only the tenant's endpoint or roles; no open
// principals; roles scoped.
var _ = register(Rule{ID: "WP-17",
	Whole: func(in *Input, e *Eval) {
		for _, b := range in.Graph.OfType(tBucket) {
			doc, state := bucketPolicy(in, b)
			if state == refUnknown || doc == nil {
				continue // WP-21.2 reports a missing policy
			}
			for _, st := range openAllows(doc) {
				e.Fail(label(b), st.Sid+": Allow to * without a condition", "principals restricted to the tenant")
			}
			if in.Tenant != nil && !doc.DeniesOtherTenants(in.Tenant.TenantID) {
				e.Fail(label(b), "no explicit deny of the other tenants' roles", "every other tenant's role refused, whatever its IAM policies")
				continue
			}
			if bucketRole(b) == roleData {
				restricted := false
				for _, s := range doc.Statement {
					if s.Effect == "Deny" && (len(s.ConditionValues("StringNotEquals", "aws:SourceVpce")) > 0) {
						restricted = true
					}
				}
				if !restricted {
					e.Fail(label(b), "no aws:SourceVpce restriction", "data reached only through the tenant's endpoint or roles")
					continue
				}
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
			for _, st := range openAllows(doc) {
				e.Fail(label(k), st.Sid+": Allow to * without a condition", "principals restricted to the tenant")
			}
			for _, st := range doc.Statement {
				// Principal * held only to the account or to a service
				// (kms:CallerAccount, kms:ViaService) lets every role of the
				// account, other tenants' included, use the key through S3,
				// EC2 or RDS with no permission on it.
				// (The baseline's key is the account's EBS default: every
				// principal of the account launches through EC2 with it.)
				if in.Tenant != nil && st.Effect == "Allow" && slices.Contains(st.Principals("AWS"), "*") && len(st.Condition) > 0 && !conditionsOnKey(st, "aws:PrincipalArn") {
					e.Fail(label(k), st.Sid+": Allow to * not held to named principals (aws:PrincipalArn)", "key usable by the tenant's roles, its services and the deployers only")
				}
			}
			if in.Tenant != nil && !doc.DeniesOtherTenants(in.Tenant.TenantID) {
				e.Fail(label(k), "no explicit deny of the other tenants' roles", "every other tenant's role refused, whatever its IAM policies")
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
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && slices.Contains(st.Resource, "*") && !readOnlyDescribe(st) {
					e.Failf(label(p), "actions on tenant ARNs only", "%v on Resource *", st.Action)
				}
			}
			e.Applies()
		}
	},
})

// conditionsOnKey: some condition of the statement tests the key.
func conditionsOnKey(s policydoc.Statement, key string) bool {
	for _, keys := range s.Condition {
		if _, ok := keys[key]; ok {
			return true
		}
	}
	return false
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

// readOnlyDescribe: some read actions (ec2:Describe*, cloudwatch:PutMetricData)
// have no resource-level scoping in IAM.
func readOnlyDescribe(st policydoc.Statement) bool {
	for _, a := range st.Action {
		if !strings.Contains(a, ":Describe") && !strings.Contains(a, ":List") && a != "cloudwatch:PutMetricData" && !strings.HasPrefix(a, "ssm:UpdateInstance") && !strings.HasPrefix(a, "ssmmessages:") && !strings.HasPrefix(a, "ec2messages:") {
			return false
		}
	}
	return true
}
