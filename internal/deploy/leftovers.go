package deploy

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
)

// TaggedResources is the part of the tagging API the leftover check uses.
type TaggedResources interface {
	GetResources(ctx context.Context, in *resourcegroupstaggingapi.GetResourcesInput, opts ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error)
}

// Instances is the part of EC2 the leftover check uses.
type Instances interface {
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, opts ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
}

// Leftovers lists the ARNs that still carry Tenant=<tenant> (all pages),
// re-checking the tag on each result rather than trusting the filter. The
// tagging API can still list resources already deleted ("Only get
// existing resources with get-resources", AWS re:Post); an EC2 instance is
// a leftover only while EC2 says it is not terminated (the auto scaling
// group's instances end with the group).
func Leftovers(ctx context.Context, api TaggedResources, instances Instances, tenant string) ([]string, error) {
	all, err := taggedArns(ctx, api, tenant)
	if err != nil {
		return nil, err
	}
	var out []string
	instanceArn := map[string]string{} // id → ARN
	for _, arn := range all {
		if _, id, ok := strings.Cut(arn, ":instance/"); ok && strings.HasPrefix(arn, "arn:aws:ec2:") {
			instanceArn[id] = arn
			continue
		}
		out = append(out, arn)
	}
	if len(instanceArn) == 0 {
		return out, nil
	}
	ids := slices.Sorted(maps.Keys(instanceArn))
	if instances == nil {
		return nil, fmt.Errorf("instances tagged Tenant=%s (%s), and no EC2 client to see whether they are terminated", tenant, strings.Join(ids, ", "))
	}
	p := ec2.NewDescribeInstancesPaginator(instances, &ec2.DescribeInstancesInput{InstanceIds: ids})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("the state of the instances tagged Tenant=%s: %w", tenant, err)
		}
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				if i.State == nil || i.State.Name != ec2types.InstanceStateNameTerminated {
					out = append(out, instanceArn[aws.ToString(i.InstanceId)])
				}
			}
		}
	}
	return out, nil
}

func taggedArns(ctx context.Context, api TaggedResources, tenant string) ([]string, error) {
	var out []string
	p := resourcegroupstaggingapi.NewGetResourcesPaginator(api, &resourcegroupstaggingapi.GetResourcesInput{
		TagFilters: []types.TagFilter{{Key: aws.String("Tenant"), Values: []string{tenant}}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list resources tagged Tenant=%s: %w", tenant, err)
		}
		for _, m := range page.ResourceTagMappingList {
			for _, t := range m.Tags {
				if aws.ToString(t.Key) == "Tenant" && aws.ToString(t.Value) == tenant {
					out = append(out, aws.ToString(m.ResourceARN))
				}
			}
		}
	}
	return out, nil
}
