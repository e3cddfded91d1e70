// Package storage holds the tenant's data at rest: its customer-managed KMS
// key (WP-19, WP-21.1, WP-22), its data buckets (WP-12, WP-17, WP-21) and its
// optional PostgreSQL database.
package storage

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// KeyArgs configures the tenant key.
type KeyArgs struct {
	TenantID  string
	Region    string
	AccountID string
	// RotationDays between automatic rotations (90 to 2560).
	RotationDays int
	// DeletionWindowDays when the key is scheduled for deletion (7 to 30).
	DeletionWindowDays int
	// Deployers run Pulumi: RDS and Secrets Manager use the key, at
	// creation, with the caller's permissions.
	Deployers []string
}

// Key is the tenant's customer-managed key and its alias.
type Key struct {
	pulumi.ResourceState

	Key   *kms.Key
	Alias *kms.Alias
	Arn   pulumi.StringOutput `pulumi:"arn"`
}

// NewKey builds the key.
func NewKey(ctx *pulumi.Context, name string, args *KeyArgs, opts ...pulumi.ResourceOption) (*Key, error) {
	if args == nil {
		return nil, fmt.Errorf("key %s: args are required", name)
	}
	k := &Key{}
	if err := ctx.RegisterComponentResource("tenantkit:storage:Key", name, k, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(k)
	var err error
	k.Key, err = kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.String("Tenant " + args.TenantID + ": encrypts every store of this tenant"),
		EnableKeyRotation:    pulumi.Bool(true),
		RotationPeriodInDays: pulumi.Int(args.RotationDays),
		DeletionWindowInDays: pulumi.Int(args.DeletionWindowDays),
		Policy:               pulumi.String(KeyPolicy(args).JSON()),
	}, child)
	if err != nil {
		return nil, err
	}
	k.Alias, err = kms.NewAlias(ctx, name+"-alias", &kms.AliasArgs{
		Name:        pulumi.String(AliasName(args.TenantID)),
		TargetKeyId: k.Key.Arn,
	}, child)
	if err != nil {
		return nil, err
	}
	k.Arn = k.Key.Arn
	if err := ctx.RegisterResourceOutputs(k, pulumi.Map{"arn": k.Arn}); err != nil {
		return nil, err
	}
	return k, nil
}

// AliasName is the tenant key's alias (config.KeyAlias).
func AliasName(tenantID string) string { return config.KeyAlias(tenantID) }

// KeyPolicy: the account administers the key (KMS refuses a policy
// without the root statement, AWS-NOTES); only the tenant's own roles, the
// deployers, CloudWatch Logs for the tenant's log groups, the services that
// publish to the tenant's topic and the Auto Scaling service-linked role may
// use it; every other tenant's roles are refused outright.
//
// No statement opens the key to "every principal of the account through
// S3/EC2/RDS": kms:CallerAccount with kms:ViaService lets any role of the
// account, another tenant's included, decrypt through those services with
// no permission on the key at all. Principals outside this list need an IAM
// policy on the key (the root statement) and must not be a tenant's.
func KeyPolicy(a *KeyArgs) policydoc.Document {
	root := fmt.Sprintf("arn:aws:iam::%s:root", a.AccountID)
	logGroups := policydoc.List(
		fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/tenants/%s/*", a.Region, a.AccountID, a.TenantID),
		fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/rds/instance/%s/*", a.Region, a.AccountID, expect.DatabaseIdentifier(a.TenantID)))
	use := policydoc.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey")
	st := []policydoc.Statement{
		{Sid: "AccountAdministers", Effect: "Allow", Principal: policydoc.AWS(root), Action: policydoc.List("kms:*"), Resource: policydoc.List("*")},
		access.DenyOtherTenants(a.AccountID, a.TenantID, policydoc.List("kms:*"), policydoc.List("*")),
		// S3, EC2 and Secrets Manager call KMS with the caller's identity:
		// the tenant's roles reach their data through them with this.
		{Sid: "TenantRolesUse", Effect: "Allow", Principal: policydoc.AWS("*"), Action: use, Resource: policydoc.List("*"),
			Condition: policydoc.Condition{"ArnLike": {"aws:PrincipalArn": policydoc.List(access.TenantRoles(a.AccountID, a.TenantID))}}},
		{Sid: "CloudWatchLogsForTenantGroups", Effect: "Allow", Principal: policydoc.Service(fmt.Sprintf("logs.%s.amazonaws.com", a.Region)),
			Action:    policydoc.List("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
			Resource:  policydoc.List("*"),
			Condition: policydoc.Condition{"ArnLike": {"kms:EncryptionContext:aws:logs:arn": logGroups}}},
		// The form the SNS developer guide documents for AWS services that
		// publish to an encrypted topic ("Key management", "Enable
		// compatibility between event sources from AWS services and
		// encrypted topics", sns-key-management.html): the service principal,
		// no condition. EventBridge and CloudWatch do not send
		// aws:SourceAccount here, and alerts would be dropped silently. The
		// topic policy decides who may publish.
		{Sid: "AlertsPublishToTopic", Effect: "Allow", Principal: policydoc.Service("events.amazonaws.com", "cloudwatch.amazonaws.com"),
			Action: policydoc.List("kms:GenerateDataKey*", "kms:Decrypt"), Resource: policydoc.List("*")},
	}
	if len(a.Deployers) > 0 {
		// RDS (storage and the managed master secret through Secrets
		// Manager) uses the key with the permissions of whoever creates the
		// instance, and keeps it through grants for AWS resources (RDS user
		// guide, "Password management with Amazon RDS and AWS Secrets
		// Manager", required permissions; KMS developer guide, "Grants in
		// AWS KMS").
		st = append(st,
			policydoc.Statement{Sid: "DeployersUse", Effect: "Allow", Principal: policydoc.AWS("*"), Action: use, Resource: policydoc.List("*"),
				Condition: policydoc.Condition{"ArnEquals": {"aws:PrincipalArn": policydoc.List(a.Deployers...)}}},
			policydoc.Statement{Sid: "DeployersGrantToServices", Effect: "Allow", Principal: policydoc.AWS("*"), Action: policydoc.List("kms:CreateGrant"), Resource: policydoc.List("*"),
				Condition: policydoc.Condition{
					"ArnEquals": {"aws:PrincipalArn": policydoc.List(a.Deployers...)},
					"Bool":      {"kms:GrantIsForAWSResource": policydoc.List("true")},
				}})
	}
	return policydoc.Document{Statement: append(st, AutoScalingKeyStatements(a.AccountID)...)}
}

// AutoScalingKeyStatements let the Auto Scaling service-linked role encrypt
// the volumes it launches, and grant that use to EC2 (AWS-NOTES). The role
// must exist first: the account baseline creates it.
func AutoScalingKeyStatements(account string) []policydoc.Statement {
	asg := fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", account)
	return []policydoc.Statement{
		{Sid: "AutoScalingEncryptsVolumes", Effect: "Allow", Principal: policydoc.AWS(asg),
			Action:   policydoc.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
			Resource: policydoc.List("*")},
		{Sid: "AutoScalingGrants", Effect: "Allow", Principal: policydoc.AWS(asg),
			Action: policydoc.List("kms:CreateGrant"), Resource: policydoc.List("*"),
			Condition: policydoc.Condition{"Bool": {"kms:GrantIsForAWSResource": policydoc.List("true")}}},
	}
}
