package verify

import (
	"cmp"
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
			const want = "every Allow of the trust conditioned on Bool aws:MultiFactorAuthPresent true"
			var without []string
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && !slices.Contains(st.ConditionValues("Bool", "aws:MultiFactorAuthPresent"), "true") {
					without = append(without, fmt.Sprintf("%s allows %v without MFA", cmp.Or(st.Sid, "a statement"), st.Principals("AWS")))
				}
			}
			switch {
			case len(doc.Statement) == 0:
				r.Fail("role "+arn, fmt.Sprintf("a trust policy of %d statements", len(doc.Statement)), want)
			case len(without) > 0:
				r.Fail("role "+arn, strings.Join(without, "; "), want)
			default:
				r.Pass("role "+arn, fmt.Sprintf("%d Allow statements, each with MFA", len(doc.Statement)), want)
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
			r.Fail("account password policy", fieldOf(out, "PasswordPolicy"), want)
		default:
			p := out.PasswordPolicy
			n := aws.ToInt32(p.MinimumPasswordLength)
			if n < min || !p.RequireLowercaseCharacters || !p.RequireUppercaseCharacters || !p.RequireNumbers || !p.RequireSymbols || !p.AllowUsersToChangePassword {
				r.Fail("account password policy", fmt.Sprintf("length %d lowercase %v uppercase %v numbers %v symbols %v users change own %v", n, p.RequireLowercaseCharacters, p.RequireUppercaseCharacters, p.RequireNumbers, p.RequireSymbols, p.AllowUsersToChangePassword), want)
			} else {
				r.Pass("account password policy", fmt.Sprintf("length %d lowercase %v uppercase %v numbers %v symbols %v users change own %v", n, p.RequireLowercaseCharacters, p.RequireUppercaseCharacters, p.RequireNumbers, p.RequireSymbols, p.AllowUsersToChangePassword), want)
			}
		}
	}})

// WP-15/iam-users: no long-lived keys. People sign in through roles with
// MFA and machines act through roles (OIDC in CI, instance profiles), so
// the account holds no IAM user and the root user no access key (IAM user
// guide, "Security best practices in IAM": require human users to use
// federation, workloads temporary credentials; "Root user best
// practices": no root access keys). Account-wide: every tenant of the
// account shares the verdict.
var _ = register(Check{ID: "WP-15/iam-users", Control: "WP-15", Title: "no IAM users or access keys; no root access key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		const want = "no IAM user and no access key: people through roles with MFA, machines through roles"
		type user struct {
			name string
			keys int
		}
		users, err := accountWide(t, "iam-users", func() ([]user, error) {
			var out []user
			err := allPages("iam:ListUsers", func(marker *string) (*string, error) {
				page, err := t.Clients.IAM.ListUsers(ctx, &iam.ListUsersInput{Marker: marker})
				if err != nil {
					return nil, err
				}
				for _, u := range page.Users {
					n := 0
					err := allPages("iam:ListAccessKeys", func(m *string) (*string, error) {
						keys, err := t.Clients.IAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: u.UserName, Marker: m})
						if err != nil {
							return nil, err
						}
						for _, k := range keys.AccessKeyMetadata {
							if k.Status == "Active" {
								n++
							}
						}
						if !keys.IsTruncated {
							return nil, nil
						}
						return keys.Marker, nil
					})
					if err != nil {
						return nil, err
					}
					out = append(out, user{aws.ToString(u.UserName), n})
				}
				if !page.IsTruncated {
					return nil, nil
				}
				return page.Marker, nil
			})
			return out, err
		})
		if err != nil {
			r.Error("IAM users of "+t.Inv.AccountID, err, want)
		} else if len(users) == 0 {
			r.Pass("IAM users of "+t.Inv.AccountID, fmt.Sprintf("%d IAM users", len(users)), want)
		}
		for _, u := range users {
			r.Fail("IAM user "+u.name, fmt.Sprintf("an IAM user with %d active access keys", u.keys), want)
		}
		summary, err := accountWide(t, "iam-summary", func() (map[string]int32, error) {
			out, err := t.Clients.IAM.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
			if err != nil {
				return nil, err
			}
			if out.SummaryMap == nil {
				return nil, errEmpty("iam:GetAccountSummary", "SummaryMap")
			}
			m := map[string]int32{}
			for k, v := range out.SummaryMap {
				m[string(k)] = v
			}
			return m, nil
		})
		switch n, ok := summary["AccountAccessKeysPresent"]; {
		case err != nil:
			r.Error("root user of "+t.Inv.AccountID, err, "no root access key")
		case !ok:
			r.Error("root user of "+t.Inv.AccountID, errEmpty("iam:GetAccountSummary", "AccountAccessKeysPresent"), "no root access key")
		case n > 0:
			r.Fail("root user of "+t.Inv.AccountID, fmt.Sprintf("AccountAccessKeysPresent %d", n), "no root access key")
		default:
			r.Pass("root user of "+t.Inv.AccountID, fmt.Sprintf("AccountAccessKeysPresent %d", n), "no root access key (AccountAccessKeysPresent 0)")
		}
	}})
