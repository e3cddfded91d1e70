package deploy

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	tagtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Orphans are the AWS clients the recovery finds and deletes a pending
// create's resource with.
type Orphans struct {
	Tags TaggedResources
	EC2  interface {
		DeleteVpc(ctx context.Context, in *ec2.DeleteVpcInput, opts ...func(*ec2.Options)) (*ec2.DeleteVpcOutput, error)
		DeleteSubnet(ctx context.Context, in *ec2.DeleteSubnetInput, opts ...func(*ec2.Options)) (*ec2.DeleteSubnetOutput, error)
		DeleteSecurityGroup(ctx context.Context, in *ec2.DeleteSecurityGroupInput, opts ...func(*ec2.Options)) (*ec2.DeleteSecurityGroupOutput, error)
	}
	Logs interface {
		DeleteLogGroup(ctx context.Context, in *cloudwatchlogs.DeleteLogGroupInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DeleteLogGroupOutput, error)
	}
	S3 interface {
		DeleteBucket(ctx context.Context, in *s3.DeleteBucketInput, opts ...func(*s3.Options)) (*s3.DeleteBucketOutput, error)
	}
	KMS interface {
		ScheduleKeyDeletion(ctx context.Context, in *kms.ScheduleKeyDeletionInput, opts ...func(*kms.Options)) (*kms.ScheduleKeyDeletionOutput, error)
	}
}

// orphanKind is how a type's orphan is found (its tagging API resource
// type, its id in an ARN) and deleted: the AWS CLI commands of
// deleteCommands, made with the SDK.
type orphanKind struct {
	filter string
	id     func(arn string) string
	del    func(ctx context.Context, o *Orphans, id string) error
}

var orphanKinds = map[string]orphanKind{
	"aws:ec2/vpc:Vpc": {"ec2:vpc", afterSlash, func(ctx context.Context, o *Orphans, id string) error {
		_, err := o.EC2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
		return err
	}},
	"aws:ec2/subnet:Subnet": {"ec2:subnet", afterSlash, func(ctx context.Context, o *Orphans, id string) error {
		_, err := o.EC2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
		return err
	}},
	"aws:ec2/securityGroup:SecurityGroup": {"ec2:security-group", afterSlash, func(ctx context.Context, o *Orphans, id string) error {
		_, err := o.EC2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
		return err
	}},
	"aws:cloudwatch/logGroup:LogGroup": {"logs:log-group", func(arn string) string {
		_, name, _ := strings.Cut(arn, ":log-group:")
		return strings.TrimSuffix(name, ":*")
	}, func(ctx context.Context, o *Orphans, id string) error {
		_, err := o.Logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(id)})
		return err
	}},
	"aws:s3/bucketV2:BucketV2": {"s3", func(arn string) string { return strings.TrimPrefix(arn, "arn:aws:s3:::") }, func(ctx context.Context, o *Orphans, id string) error {
		_, err := o.S3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(id)})
		return err
	}},
	"aws:kms/key:Key": {"kms:key", afterSlash, func(ctx context.Context, o *Orphans, id string) error {
		_, err := o.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
		return err
	}},
}

func afterSlash(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// Recover brings a stack back after an interrupted or killed update, the
// way Recovery says to by hand
// (https://www.pulumi.com/docs/iac/troubleshooting/common-issues/interrupted-updates/):
// the lock the dead CLI held is released (`pulumi cancel`), each pending
// create's resource that AWS made and no state records (tagged with the
// tenant, of the pending type, its id in no resource of the state) is
// deleted, and the pending creates are cleared (`pulumi refresh
// --clear-pending-creates`), which reads every other resource back. It
// stops before the refresh when a pending create is of a type it cannot
// find or delete, naming it: the refresh would otherwise forget a resource
// AWS may hold. Only ever run where no update of the stack can be running
// (the stack's concurrency group, or with every pipeline stopped).
func (d *Inline) Recover(ctx context.Context, name string, o *Orphans, out io.Writer) error {
	s, err := d.existing(ctx, name)
	if err != nil {
		return fmt.Errorf("recover %s: %w", name, err)
	}
	say := func(format string, args ...any) {
		fmt.Fprintf(orDiscard(out), "recover %s: "+format+"\n", append([]any{name}, args...)...)
	}
	if err := s.Cancel(ctx); err != nil {
		return fmt.Errorf("recover %s: pulumi cancel: %w", name, err)
	}
	say("the stack's lock released (pulumi cancel)")
	exp, err := s.Export(ctx)
	if err != nil {
		return fmt.Errorf("recover %s: read the state: %w", name, err)
	}
	state, err := deploymentOf(exp)
	if err != nil {
		return err
	}
	pending, known := pendingIn(state), stateIDs(state)
	creates := 0
	for _, p := range pending {
		if p.Op != string(apitype.OperationTypeCreating) {
			continue
		}
		creates++
		kind, ok := orphanKinds[p.Type]
		if !ok {
			return fmt.Errorf("recover %s: a pending create of %s %s, which tenantctl cannot find or delete: delete it in AWS if it was made (tag Tenant=%s), then pulumi refresh --stack %s --yes --clear-pending-creates", name, p.Type, p.Name(), name, name)
		}
		ids, err := orphans(ctx, o.Tags, name, kind, known[p.Type])
		if err != nil {
			return fmt.Errorf("recover %s: find what AWS made of %s: %w", name, p.Name(), err)
		}
		if len(ids) == 0 {
			say("%s %s: AWS holds none the state does not know; nothing to delete", p.Type, p.Name())
		}
		for _, id := range ids {
			if err := kind.del(ctx, o, id); err != nil {
				return fmt.Errorf("recover %s: delete %s %s (%s): %w", name, p.Type, id, p.Name(), err)
			}
			say("deleted %s %s, made by the interrupted create of %s and in no state", p.Type, id, p.Name())
		}
	}
	if len(pending) == 0 {
		say("no pending operations")
		return nil
	}
	opts := []optrefresh.Option{optrefresh.ProgressStreams(orDiscard(d.Out))}
	if creates > 0 {
		opts = append(opts, optrefresh.ClearPendingCreates())
	}
	if _, err := s.Refresh(ctx, opts...); err != nil {
		return fmt.Errorf("recover %s: pulumi refresh --clear-pending-creates: %w", name, err)
	}
	say("%d pending operation(s) settled (pulumi refresh --clear-pending-creates); run the step again", len(pending))
	return nil
}

// stateIDs are the ids of the state's resources, by type.
func stateIDs(d *apitype.DeploymentV3) map[string][]string {
	out := map[string][]string{}
	for _, r := range d.Resources {
		out[string(r.Type)] = append(out[string(r.Type)], string(r.ID))
	}
	return out
}

// orphans are the ids of the kind's resources tagged Tenant=<tenant> that
// no resource of the state holds (all pages, the tag checked again).
func orphans(ctx context.Context, tags TaggedResources, tenant string, kind orphanKind, known []string) ([]string, error) {
	var out []string
	in := &resourcegroupstaggingapi.GetResourcesInput{ResourceTypeFilters: []string{kind.filter},
		TagFilters: []tagtypes.TagFilter{{Key: aws.String("Tenant"), Values: []string{tenant}}}}
	for {
		page, err := tags.GetResources(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, r := range page.ResourceTagMappingList {
			if !slices.ContainsFunc(r.Tags, func(t tagtypes.Tag) bool { return aws.ToString(t.Key) == "Tenant" && aws.ToString(t.Value) == tenant }) {
				continue
			}
			id := kind.id(aws.ToString(r.ResourceARN))
			if id != "" && !slices.Contains(known, id) && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		if aws.ToString(page.PaginationToken) == "" {
			return out, nil
		}
		in.PaginationToken = page.PaginationToken
	}
}
