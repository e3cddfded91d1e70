package policy

import (
	"slices"

	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// WP-15: MFA for admin roles, no IAM users or keys, password policy.
var _ = register(Rule{ID: "WP-15",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tAccessKey, tUser:
			if !in.Baseline {
				e.Fail(label(r), r.Type, "no IAM users or long-lived keys for tenants")
			}
		case tRole:
			tagRole, _ := r.String("tags.Access")
			if tagRole != "admin" && tagRole != "log-reader" {
				return
			}
			s, _ := r.String("assumeRolePolicy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Unknown(label(r), "the trust policy", "MFA required")
				return
			}
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && !slices.Contains(st.ConditionValues("Bool", "aws:MultiFactorAuthPresent"), "true") {
					e.Fail(label(r), "trust without aws:MultiFactorAuthPresent", "assume only with MFA")
					return
				}
			}
			e.Applies()
		case tPasswordPolicy:
			if n, _ := num(r, "minimumPasswordLength"); n < 14 {
				e.Failf(label(r), "minimum length 14 or more", "minimum length %d", n)
				return
			}
			for _, k := range []string{"requireLowercaseCharacters", "requireUppercaseCharacters", "requireNumbers", "requireSymbols"} {
				if r.Get(k) != true {
					e.Fail(label(r), k+" not true", "lowercase, uppercase, numbers and symbols required")
					return
				}
			}
			// With a maximum age, users who cannot change their own
			// password keep an expired one or lose access.
			if r.Get("allowUsersToChangePassword") != true {
				e.Fail(label(r), "allowUsersToChangePassword not true", "users rotate their own passwords")
				return
			}
			e.Applies()
		}
	},
})
