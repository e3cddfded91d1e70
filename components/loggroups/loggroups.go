// Package loggroups holds the two pieces every log destination of a tenant
// needs: a CloudWatch log group encrypted with the tenant key, with the
// stack's retention and a DataClassification label (WP-12, WP-21.1, WP-39),
// and a role through which one AWS service writes to that group only.
package loggroups

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// GroupArgs configures a log group.
type GroupArgs struct {
	// Name is the log group's name, e.g. /tenants/<tenant>/cloudtrail.
	Name   string
	KeyArn pulumi.StringInput
	// RetentionDays; 0 keeps events forever.
	RetentionDays  int
	Classification string
}

// NewGroup builds a log group.
func NewGroup(ctx *pulumi.Context, name string, args *GroupArgs, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	return cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.Name),
		KmsKeyId:        args.KeyArn,
		RetentionInDays: pulumi.Int(args.RetentionDays),
		Tags:            pulumi.StringMap{"DataClassification": pulumi.String(args.Classification)},
	}, opts...)
}

// GroupArn is a log group's ARN by name (known before the group exists).
func GroupArn(region, account, group string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, account, group)
}

// WriterArgs configures a service's writer role.
type WriterArgs struct {
	// Service principal, e.g. vpc-flow-logs.amazonaws.com.
	Service string
	// TrustCondition holds the role to the tenant's own resources of that
	// service (confused deputy), in the form AWS documents for that service:
	// a condition the service does not send would stop delivery silently.
	// Nil when the service's documented trust has none.
	TrustCondition policydoc.Condition
	// GroupArn is the only log group the role may write to.
	GroupArn string
	// DescribeGroupsArn, when set, lets the service list log groups there
	// (VPC flow logs look their group up before writing).
	DescribeGroupsArn string
	Description       string
}

// NewWriterRole builds a role that the service can assume, for this
// account's resources only, and that can write to one log group only.
func NewWriterRole(ctx *pulumi.Context, name string, args *WriterArgs, opts ...pulumi.ResourceOption) (*iam.Role, error) {
	trust := policydoc.Document{Statement: []policydoc.Statement{{
		Effect:    "Allow",
		Principal: policydoc.Service(args.Service),
		Action:    policydoc.List("sts:AssumeRole"),
		Condition: args.TrustCondition,
	}}}
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(trust.JSON()),
		Description:      pulumi.String(args.Description),
	}, opts...)
	if err != nil {
		return nil, err
	}
	write := policydoc.Document{Statement: []policydoc.Statement{{
		Effect:   "Allow",
		Action:   policydoc.List("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
		Resource: policydoc.List(args.GroupArn, args.GroupArn+":*"),
	}}}
	if args.DescribeGroupsArn != "" {
		write.Statement = append(write.Statement, policydoc.Statement{
			Effect: "Allow", Action: policydoc.List("logs:DescribeLogGroups"), Resource: policydoc.List(args.DescribeGroupsArn),
		})
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-write", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.String(write.JSON()),
	}, opts...); err != nil {
		return nil, err
	}
	return role, nil
}
