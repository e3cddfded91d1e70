// Package storage holds the tenant's data at rest: its customer-managed KMS
// key (WP-19, WP-21.1, WP-22), its data buckets (WP-12, WP-17, WP-21) and its
// optional PostgreSQL database.
package storage

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
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
	// RoleArnPrefix matches the tenant's own IAM roles, which may use the key.
	RoleArnPrefix string
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

// KeyPolicy lets the account administer the key (KMS refuses a policy
// without it) and lets only the tenant's roles and the services that store
// the tenant's data use it, each held to this tenant by a condition.
func KeyPolicy(a *KeyArgs) policydoc.Document {
	root := fmt.Sprintf("arn:aws:iam::%s:root", a.AccountID)
	logGroups := policydoc.List(
		fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/tenants/%s/*", a.Region, a.AccountID, a.TenantID),
		fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/rds/instance/%s/*", a.Region, a.AccountID, DatabaseIdentifier(a.TenantID)))
	trails := fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/*", a.Region, a.AccountID)
	account := policydoc.Condition{"StringEquals": {"aws:SourceAccount": policydoc.List(a.AccountID)}}
	return policydoc.Document{Statement: append([]policydoc.Statement{
		{Sid: "AccountAdministers", Effect: "Allow", Principal: policydoc.AWS(root), Action: policydoc.List("kms:*"), Resource: policydoc.List("*")},
		{Sid: "TenantRolesUse", Effect: "Allow", Principal: policydoc.AWS("*"),
			Action:   policydoc.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
			Resource: policydoc.List("*"),
			Condition: policydoc.Condition{
				"StringEquals": {"aws:PrincipalAccount": policydoc.List(a.AccountID)},
				"ArnLike":      {"aws:PrincipalArn": policydoc.List(a.RoleArnPrefix + "*")},
			}},
		{Sid: "CloudWatchLogsForTenantGroups", Effect: "Allow", Principal: policydoc.Service(fmt.Sprintf("logs.%s.amazonaws.com", a.Region)),
			Action:    policydoc.List("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
			Resource:  policydoc.List("*"),
			Condition: policydoc.Condition{"ArnLike": {"kms:EncryptionContext:aws:logs:arn": logGroups}}},
		{Sid: "CloudTrailEncrypts", Effect: "Allow", Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action: policydoc.List("kms:GenerateDataKey*"), Resource: policydoc.List("*"),
			Condition: policydoc.Condition{
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": policydoc.List(trails)},
				"StringEquals": {"aws:SourceAccount": policydoc.List(a.AccountID)},
			}},
		{Sid: "CloudTrailDescribes", Effect: "Allow", Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action: policydoc.List("kms:DescribeKey"), Resource: policydoc.List("*"), Condition: account},
		// The form the SNS developer guide documents for AWS services that
		// publish to an encrypted topic ("Key management", "Enable
		// compatibility between event sources from AWS services and
		// encrypted topics", sns-key-management.html): the service principal,
		// no condition. EventBridge and CloudWatch do not send
		// aws:SourceAccount here, and alerts would be dropped silently. The
		// topic policy decides who may publish.
		{Sid: "AlertsPublishToTopic", Effect: "Allow", Principal: policydoc.Service("events.amazonaws.com", "cloudwatch.amazonaws.com"),
			Action: policydoc.List("kms:GenerateDataKey*", "kms:Decrypt"), Resource: policydoc.List("*")},
		{Sid: "ServicesThroughTenantAccount", Effect: "Allow", Principal: policydoc.AWS("*"),
			Action:   policydoc.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"),
			Resource: policydoc.List("*"),
			Condition: policydoc.Condition{
				"StringEquals": {
					"kms:CallerAccount": policydoc.List(a.AccountID),
					"kms:ViaService": policydoc.List(
						fmt.Sprintf("s3.%s.amazonaws.com", a.Region), fmt.Sprintf("rds.%s.amazonaws.com", a.Region),
						fmt.Sprintf("ec2.%s.amazonaws.com", a.Region), fmt.Sprintf("sns.%s.amazonaws.com", a.Region),
						fmt.Sprintf("secretsmanager.%s.amazonaws.com", a.Region)),
				},
			}},
	}, AutoScalingKeyStatements(a.AccountID)...)}
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
