// Package access builds the roles people use to reach a tenant (WP-15,
// WP-17): each can be assumed only with MFA, lives under the tenant's role
// path (so the tenant key admits it), and is allowed only the tenant's own
// resources.
package access

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// RoleArgs configures a human role.
type RoleArgs struct {
	Name string
	// Path is /tenants/<tenant>/.
	Path string
	// Access is the role's Access tag: admin or log-reader; the plan rule of
	// WP-15 requires MFA of both.
	Access    string
	AccountID string
	// Principals may assume the role; empty means the account root (the
	// account's own IAM policies then decide who).
	Principals  []string
	Description string
	// Policy is the role's inline policy, scoped to tenant ARNs.
	Policy policydoc.Document
	// KeyArn, when set, adds kms:Decrypt on the tenant key to the policy.
	KeyArn pulumi.StringOutput
}

// MaxSessionSeconds limits a human session to one hour.
const MaxSessionSeconds = 3600

// NewRole builds the role and its inline policy.
func NewRole(ctx *pulumi.Context, name string, args *RoleArgs, opts ...pulumi.ResourceOption) (*iam.Role, error) {
	if args == nil || args.Name == "" || args.Access == "" {
		return nil, fmt.Errorf("role %s: Name and Access are required", name)
	}
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Name:               pulumi.String(args.Name),
		Path:               pulumi.String(args.Path),
		Description:        pulumi.String(args.Description),
		AssumeRolePolicy:   pulumi.String(TrustWithMFA(args.AccountID, args.Principals).JSON()),
		MaxSessionDuration: pulumi.Int(MaxSessionSeconds),
		Tags:               pulumi.StringMap{"Access": pulumi.String(args.Access)},
	}, opts...)
	if err != nil {
		return nil, err
	}
	policy := pulumi.String(args.Policy.JSON()).ToStringOutput()
	if args.KeyArn != (pulumi.StringOutput{}) {
		policy = args.KeyArn.ApplyT(func(key string) string {
			doc := args.Policy
			doc.Statement = append(doc.Statement[:len(doc.Statement):len(doc.Statement)], policydoc.Statement{
				Sid: "DecryptWithTenantKey", Effect: "Allow", Action: policydoc.List("kms:Decrypt", "kms:DescribeKey"), Resource: policydoc.List(key),
			})
			return doc.JSON()
		}).(pulumi.StringOutput)
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, opts...); err != nil {
		return nil, err
	}
	return role, nil
}

// TrustWithMFA lets the principals assume a role only with MFA.
func TrustWithMFA(account string, principals []string) policydoc.Document {
	if len(principals) == 0 {
		principals = []string{fmt.Sprintf("arn:aws:iam::%s:root", account)}
	}
	return policydoc.Document{Statement: []policydoc.Statement{{
		Effect:    "Allow",
		Principal: policydoc.AWS(principals...),
		Action:    policydoc.List("sts:AssumeRole"),
		Condition: policydoc.Condition{"Bool": {"aws:MultiFactorAuthPresent": policydoc.List("true")}},
	}}}
}
