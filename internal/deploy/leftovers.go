package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
)

// TaggedResources is the part of the tagging API the leftover check uses.
type TaggedResources interface {
	GetResources(ctx context.Context, in *resourcegroupstaggingapi.GetResourcesInput, opts ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error)
}

// Leftovers lists the ARNs that still carry Tenant=<tenant> (all pages),
// re-checking the tag on each result rather than trusting the filter.
func Leftovers(ctx context.Context, api TaggedResources, tenant string) ([]string, error) {
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
