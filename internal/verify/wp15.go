package verify

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// errEmpty is an answer that lacks what it must carry: an ERROR, never a
// verdict (an empty HTTP 200 from a proxy or a broken emulator).
func errEmpty(call, field string) error {
	return fmt.Errorf("%s answered without %s", call, field)
}

// unescape decodes an IAM policy document (IAM returns them URL-encoded).
func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

var _ = register(Check{ID: "WP-15/mfa-roles", Control: "WP-15", Title: "human roles can be assumed only with MFA",
	Run: func(ctx context.Context, t *Target, r *Run) {
		if len(t.Inv.Roles) == 0 {
			r.Error("roles of "+t.Inv.Tenant, fmt.Errorf("not in the inventory"), "log-admin and log-reader roles")
			return
		}
		for _, k := range []string{"logAdmin", "logReader"} {
			arn := t.Inv.Roles[k]
			name := arn[strings.LastIndex(arn, "/")+1:]
			out, err := t.Clients.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
			if err == nil && out.Role == nil {
				err = errEmpty("iam:GetRole", "Role")
			}
			if err != nil {
				r.Error("role "+arn, err, "trust with MFA")
				continue
			}
			doc, err := policydoc.Parse(unescape(aws.ToString(out.Role.AssumeRolePolicyDocument)))
			if err != nil {
				r.Error("role "+arn, err, "a readable trust policy")
				continue
			}
			ok := len(doc.Statement) > 0
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && !slices.Contains(st.ConditionValues("Bool", "aws:MultiFactorAuthPresent"), "true") {
					ok = false
				}
			}
			if ok {
				r.Pass("role "+arn, "MFA required")
			} else {
				r.Fail("role "+arn, "trust without aws:MultiFactorAuthPresent", "assume only with MFA")
			}
		}
	}})

var _ = register(Check{ID: "WP-15/password-policy", Control: "WP-15", Title: "the account password policy meets the minimums",
	Run: func(ctx context.Context, t *Target, r *Run) {
		if t.Baseline == nil {
			r.Error("account password policy", fmt.Errorf("no baseline stack for %s in the baseline directory", t.Inv.Region), "the baseline's password policy")
			return
		}
		min := int32(t.Baseline.PasswordMinLength)
		out, err := accountWide(t, "password-policy", func() (*iam.GetAccountPasswordPolicyOutput, error) {
			out, err := t.Clients.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
			if isCode(err, "NoSuchEntity") {
				return nil, nil
			}
			return out, err
		})
		want := fmt.Sprintf("length %d or more with lowercase, uppercase, numbers and symbols, users may change their own (account baseline)", min)
		switch {
		case err != nil:
			r.Error("account password policy", err, want)
		case out == nil || out.PasswordPolicy == nil:
			r.Fail("account password policy", "none", want)
		default:
			p := out.PasswordPolicy
			n := aws.ToInt32(p.MinimumPasswordLength)
			if n < min || !p.RequireLowercaseCharacters || !p.RequireUppercaseCharacters || !p.RequireNumbers || !p.RequireSymbols || !p.AllowUsersToChangePassword {
				r.Fail("account password policy", fmt.Sprintf("length %d lowercase %v uppercase %v numbers %v symbols %v users change own %v", n, p.RequireLowercaseCharacters, p.RequireUppercaseCharacters, p.RequireNumbers, p.RequireSymbols, p.AllowUsersToChangePassword), want)
			} else {
				r.Pass("account password policy", fmt.Sprintf("length %d, all character classes", n))
			}
		}
	}})
