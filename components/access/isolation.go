package access

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// Every role of a tenant lives under the IAM path /tenants/<tenant>/. A
// role session's aws:PrincipalArn is the role's ARN with its path (IAM user
// guide, "AWS global condition context keys",
// reference_policies_condition-keys.html), so resource policies tell the
// tenants apart by it. The path's closing slash is what keeps tenant acme
// from matching tenant acme-corp: no id contains a slash.

// RolePath is the IAM path of every role of the tenant.
func RolePath(tenantID string) string { return expect.RolePath(tenantID) }

// TenantRoles matches (ArnLike) every role of the tenant.
func TenantRoles(account, tenantID string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role%s*", account, RolePath(tenantID))
}

// AnyTenantRoles matches (ArnLike) the roles of every tenant in the account.
func AnyTenantRoles(account string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/tenants/*", account)
}

// DenyOtherTenants refuses the actions on the resources to every role of
// any other tenant of the account, whatever its identity policies allow:
// the explicit barrier between tenants that share an account. Principals
// that are no tenant's (the deployers, the account's administrators,
// service principals) are left to the other statements.
func DenyOtherTenants(account, tenantID string, actions, resources policydoc.Strings) policydoc.Statement {
	return policydoc.Statement{
		Sid: "DenyOtherTenants", Effect: "Deny", Principal: policydoc.AWS("*"),
		Action: actions, Resource: resources,
		Condition: policydoc.Condition{
			"ArnLike":    {"aws:PrincipalArn": policydoc.List(AnyTenantRoles(account))},
			"ArnNotLike": {"aws:PrincipalArn": policydoc.List(TenantRoles(account, tenantID))},
		},
	}
}

// Deployers are the principals that run Pulumi: the configured ones, or
// else the role (or user) behind the caller, read through the IAM session
// context because an assumed-role ARN names no path. The log buckets' and
// data buckets' denies exempt them, so the provider's reads, updates and
// offboarding's destroy keep working.
func Deployers(ctx *pulumi.Context, configured []string, callerArn string, provider pulumi.ProviderResource, parent pulumi.Resource) ([]string, error) {
	if len(configured) > 0 {
		return configured, nil
	}
	sc, err := iam.GetSessionContext(ctx, &iam.GetSessionContextArgs{Arn: callerArn}, pulumi.Provider(provider), pulumi.Parent(parent))
	if err != nil {
		return nil, fmt.Errorf("read the role behind the caller %s (or set deployerPrincipalArns): %w", callerArn, err)
	}
	if sc.IssuerArn == "" {
		return nil, fmt.Errorf("the caller %s is not a role or user; set deployerPrincipalArns to the role that runs Pulumi", callerArn)
	}
	return []string{sc.IssuerArn}, nil
}
