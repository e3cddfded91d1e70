package logging

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// TrailArgs configures a trail (WP-27).
type TrailArgs struct {
	Name      string
	Region    string
	AccountID string
	// KeyArn encrypts the log files; LogGroupKeyArn the log group (KeyArn
	// when nil).
	KeyArn         pulumi.StringInput
	LogGroupKeyArn pulumi.StringInput
	// Bucket receives the log files under cloudtrail/; its policy must
	// already allow the trail (TrailStatements), hence DependsOn.
	Bucket    string
	DependsOn []pulumi.Resource
	// LogGroup receives the events too. Group, when set, is that group,
	// made by the caller (a tenant's, which outlives a switch of trail
	// mode: logging.trailGroup); otherwise the trail makes it.
	LogGroup       string
	Group          pulumi.Resource
	RetentionDays  int
	Classification string
	// DataBucketArns are the buckets whose object events are recorded.
	DataBucketArns []string
	// MultiRegion records management events of every region (the baseline).
	MultiRegion bool
}

// Trail is a trail with its CloudWatch Logs delivery.
type Trail struct {
	pulumi.ResourceState

	Trail *cloudtrail.Trail
	Arn   string
}

// NewTrail builds the trail: log-file validation, the given key, delivery
// to CloudWatch Logs through a role that writes to that group only, all
// management events and the object events of the listed buckets.
func NewTrail(ctx *pulumi.Context, name string, args *TrailArgs, opts ...pulumi.ResourceOption) (*Trail, error) {
	if args == nil || args.Name == "" || args.Bucket == "" {
		return nil, fmt.Errorf("trail %s: Name and Bucket are required", name)
	}
	t := &Trail{Arn: expect.TrailArn(args.Region, args.AccountID, args.Name)}
	if err := ctx.RegisterComponentResource("tenantkit:logging:Trail", name, t, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(t)
	groupKey := args.LogGroupKeyArn
	if groupKey == nil {
		groupKey = args.KeyArn
	}
	group := args.Group
	if group == nil {
		var err error
		if group, err = loggroups.NewGroup(ctx, name+"-group", &loggroups.GroupArgs{
			Name: args.LogGroup, KeyArn: groupKey, RetentionDays: args.RetentionDays, Classification: args.Classification,
		}, child); err != nil {
			return nil, err
		}
	}
	groupArn := loggroups.GroupArn(args.Region, args.AccountID, args.LogGroup)
	// CloudTrail's documented trust for its CloudWatch Logs role names the
	// service only (CloudTrail user guide, "Sending events to CloudWatch
	// Logs" and "Role policy document for CloudTrail to use CloudWatch Logs
	// for monitoring", cloudtrail-required-policy-for-cloudwatch-logs.html):
	// a condition it does not send would stop delivery without an error.
	// The role can write to this trail's group only.
	role, err := loggroups.NewWriterRole(ctx, name+"-cwl-role", &loggroups.WriterArgs{
		Service: "cloudtrail.amazonaws.com", GroupArn: groupArn,
		Description: "CloudTrail " + args.Name + " writes to its own log group only",
	}, child)
	if err != nil {
		return nil, err
	}
	t.Trail, err = cloudtrail.NewTrail(ctx, name+"-trail", &cloudtrail.TrailArgs{
		Name:                       pulumi.String(args.Name),
		S3BucketName:               pulumi.String(args.Bucket),
		S3KeyPrefix:                pulumi.String(expect.TrailPrefix),
		KmsKeyId:                   args.KeyArn,
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		IsMultiRegionTrail:         pulumi.Bool(args.MultiRegion),
		CloudWatchLogsGroupArn:     pulumi.String(groupArn + ":*"),
		CloudWatchLogsRoleArn:      role.Arn,
		AdvancedEventSelectors:     EventSelectors(args.DataBucketArns),
	}, child, pulumi.DependsOn(append(args.DependsOn, group)))
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{"arn": pulumi.String(t.Arn)}); err != nil {
		return nil, err
	}
	return t, nil
}

// EventSelectors record every management event and the object-level events
// of the given buckets. Advanced selectors allow 500 values in all, which is
// what lets one shared trail cover many tenants (AWS-NOTES).
func EventSelectors(bucketArns []string) cloudtrail.TrailAdvancedEventSelectorArray {
	sel := cloudtrail.TrailAdvancedEventSelectorArray{
		cloudtrail.TrailAdvancedEventSelectorArgs{
			Name: pulumi.String("Management events"),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
				cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("eventCategory"), Equals: pulumi.ToStringArray([]string{"Management"})},
			},
		},
	}
	if len(bucketArns) == 0 {
		return sel
	}
	prefixes := make([]string, len(bucketArns))
	for i, b := range bucketArns {
		prefixes[i] = b + "/"
	}
	return append(sel, cloudtrail.TrailAdvancedEventSelectorArgs{
		Name: pulumi.String("Tenant data buckets"),
		FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
			cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("eventCategory"), Equals: pulumi.ToStringArray([]string{"Data"})},
			cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("resources.type"), Equals: pulumi.ToStringArray([]string{"AWS::S3::Object"})},
			cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("resources.ARN"), StartsWiths: pulumi.ToStringArray(prefixes)},
		},
	})
}

// TrailStatements let CloudTrail write to a bucket, for the named trail of
// this account only (confused deputy: aws:SourceArn).
func TrailStatements(bucketArn, account, trailArn string) []policydoc.Statement {
	source := policydoc.Condition{"StringEquals": {"aws:SourceArn": policydoc.List(trailArn)}}
	return []policydoc.Statement{
		{Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action: policydoc.List("s3:GetBucketAcl"), Resource: policydoc.List(bucketArn), Condition: source},
		{Sid: "CloudTrailWrite", Effect: "Allow", Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action:   policydoc.List("s3:PutObject"),
			Resource: policydoc.List(fmt.Sprintf("%s/cloudtrail/AWSLogs/%s/*", bucketArn, account)),
			Condition: policydoc.Condition{
				"StringEquals": {"aws:SourceArn": policydoc.List(trailArn), "s3:x-amz-acl": policydoc.List("bucket-owner-full-control")},
			}},
	}
}
