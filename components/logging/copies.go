package logging

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// The two copies that keep a tenant's records where its promises need them
// (§27, §39, §42).
//
// Access logs. S3 refuses Object Lock on a server-access-logging target
// (S3 user guide, "Object Lock considerations":
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html),
// so the service-logs bucket cannot lock what it receives. It replicates
// every object to the tenant's archive instead, whose default retention
// locks each replica: "If you don't have retention controls applied to the
// objects in your source bucket, and you replicate into a destination
// bucket that has a default retention period set, the destination bucket's
// default retention period is applied to your object replicas" (S3 user
// guide, "What does Amazon S3 replicate?":
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html).
// Replicas of SSE-S3 objects stay SSE-S3 ("the replica objects use the same
// type of encryption as the source objects":
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#replication-default-encryption),
// the only encryption AWS delivers these logs with anyway. Delete markers
// are not replicated, so a delete in service-logs leaves the copy.
//
// API records, shared trail mode. The account's trail writes every tenant's
// records into one archive, by account and day, not by tenant; the tenant's
// log reader cannot be let into it. Two EventBridge rules copy the tenant's
// own records out of the same trail into /tenants/<tenant>/cloudtrail, the
// group a dedicated trail writes: the object events on its buckets (the
// shared trail's data events; EventBridge gets them only because the trail
// records them: EventBridge user guide, "Events from AWS services",
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html)
// and every call made by its roles (/tenants/<tenant>/), read-only calls
// included (the rule state that receives them, same page, "Receiving
// read-only management events"). CloudTrail delivers to EventBridge on a
// best-effort basis, so the copy is the tenant's view; the record kept
// unaltered is still the account archive's.

// copyAccessLogs replicates the service-logs bucket into the archive.
func (l *Logging) copyAccessLogs(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	source, dest := l.ServiceLogs.Arn, l.Archive.Arn
	// S3 user guide, "Setting up permissions for live replication"
	// (setting-repl-config-perm-overview.html): the trust with
	// aws:SourceAccount and aws:SourceArn, the source's reads (with the
	// two Object Lock reads) and the destination's writes, nothing else.
	trust := policydoc.Document{Statement: []policydoc.Statement{{
		Effect: "Allow", Principal: policydoc.Service("s3.amazonaws.com"), Action: policydoc.List("sts:AssumeRole"),
		Condition: policydoc.Condition{
			"StringEquals": {"aws:SourceAccount": policydoc.List(args.AccountID)},
			"ArnEquals":    {"aws:SourceArn": policydoc.List(source)},
		},
	}}}
	role, err := iam.NewRole(ctx, name+"-copy-role", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(trust.JSON()),
		Description:      pulumi.String("S3 replication of tenant " + args.TenantID + "'s access logs into its locked archive"),
	}, child)
	if err != nil {
		return err
	}
	rp, err := iam.NewRolePolicy(ctx, name+"-copy-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.String(CopyRolePolicy(source, dest).JSON()),
	}, child)
	if err != nil {
		return err
	}
	_, err = s3.NewBucketReplicationConfig(ctx, name+"-access-log-copy", &s3.BucketReplicationConfigArgs{
		Bucket: pulumi.String(l.ServiceLogs.Name),
		Role:   role.Arn,
		Rules: s3.BucketReplicationConfigRuleArray{&s3.BucketReplicationConfigRuleArgs{
			Id:                      pulumi.String(expect.AccessLogCopyRule),
			Status:                  pulumi.String("Enabled"),
			Priority:                pulumi.Int(1),
			Filter:                  &s3.BucketReplicationConfigRuleFilterArgs{},
			DeleteMarkerReplication: &s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs{Status: pulumi.String("Disabled")},
			Destination:             &s3.BucketReplicationConfigRuleDestinationArgs{Bucket: pulumi.String(dest)},
		}},
	}, child, pulumi.DependsOn([]pulumi.Resource{l.ServiceLogs, l.Archive, rp}))
	return err
}

// CopyRolePolicy is what the replication role may do: read the versions of
// the service-logs bucket and replicate them into the archive. No delete,
// no read of the archive, nothing else.
func CopyRolePolicy(sourceArn, destArn string) policydoc.Document {
	return policydoc.Document{Statement: []policydoc.Statement{
		{Sid: "ReadSourceConfiguration", Effect: "Allow", Action: policydoc.List("s3:GetReplicationConfiguration", "s3:ListBucket"),
			Resource: policydoc.List(sourceArn)},
		{Sid: "ReadSourceVersions", Effect: "Allow",
			Action: policydoc.List("s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
				"s3:GetObjectRetention", "s3:GetObjectLegalHold"),
			Resource: policydoc.List(sourceArn + "/*")},
		{Sid: "ReplicateIntoArchive", Effect: "Allow", Action: policydoc.List("s3:ReplicateObject", "s3:ReplicateTags"),
			Resource: policydoc.List(destArn + "/*")},
	}}
}

// trailGroup is the tenant's trail group, /tenants/<t>/cloudtrail, in
// either trail mode: the dedicated trail writes it, the shared trail's copy
// rules fill it. One resource under one URN, so a switch of trailMode
// leaves it in place: two URNs for one name would have Pulumi create the
// second before deleting the first, and CloudWatch Logs refuses a name
// twice (ResourceAlreadyExistsException). Stacks deployed before this
// registered it under the dedicated trail (<name>-trail-group); the alias
// adopts that group without a replacement.
func (l *Logging) trailGroup(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	dedicatedURN := pulumi.CreateURN(pulumi.String(name+"-trail-group"), pulumi.String("aws:cloudwatch/logGroup:LogGroup"),
		pulumi.CreateURN(pulumi.String(name+"-trail"), pulumi.String("tenantkit:logging:Trail"), l.URN(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack())),
		pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	return loggroups.NewGroup(ctx, name+"-trail-view", &loggroups.GroupArgs{
		Name: expect.TrailViewGroup(args.TenantID), KeyArn: args.KeyArn, RetentionDays: args.RetentionDays, Classification: args.Classification,
	}, child, pulumi.Aliases([]pulumi.Alias{{URN: dedicatedURN}}))
}

// viewTrail copies the tenant's records of the shared trail into its group.
func (l *Logging) viewTrail(ctx *pulumi.Context, name string, args *Args, group *cloudwatch.LogGroup, child pulumi.ResourceOption) error {
	names := make([]string, 0, len(args.DataBucketArns))
	for _, arn := range args.DataBucketArns {
		names = append(names, arn[len("arn:aws:s3:::"):])
	}
	for _, c := range expect.TrailViewCopies(args.TenantID, args.AccountID, names) {
		rule, err := cloudwatch.NewEventRule(ctx, name+"-trail-"+c.Kind, &cloudwatch.EventRuleArgs{
			Name:         pulumi.String(c.Name),
			Description:  pulumi.String("Tenant " + args.TenantID + "'s records of the shared trail (" + c.Kind + "), to " + expect.TrailViewGroup(args.TenantID)),
			EventPattern: pulumi.String(c.Pattern),
			State:        pulumi.String(expect.TrailViewState),
		}, child)
		if err != nil {
			return err
		}
		// No role: CloudWatch Logs targets take the group's resource
		// policy (the baseline's TrailViewResourcePolicy).
		if _, err := cloudwatch.NewEventTarget(ctx, name+"-trail-"+c.Kind+"-group", &cloudwatch.EventTargetArgs{
			Rule: rule.Name, Arn: group.Arn, TargetId: pulumi.String("trail-view"),
		}, child); err != nil {
			return err
		}
	}
	return nil
}
