package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// takes says whether creating r takes one of the quota named (config.Quotas):
// the resource AWS counts against it.
func takes(quota string, r *graph.Resource) bool {
	switch quota {
	case "VPCs per Region":
		return r.Type == tVpc
	case "Gateway VPC endpoints per Region":
		kind, _ := r.String("vpcEndpointType")
		return r.Type == tEndpoint && strings.EqualFold(kind, "Gateway")
	case "Application Load Balancers per Region":
		kind, _ := r.String("loadBalancerType")
		return r.Type == tLB && !strings.EqualFold(kind, "network") && !strings.EqualFold(kind, "gateway")
	case "DB instances":
		return r.Type == tDB
	case "DB subnet groups":
		return r.Type == "aws:rds/subnetGroup:SubnetGroup"
	case "DB parameter groups":
		return r.Type == tDBParams
	case "Trails per region":
		return r.Type == tTrail
	case "Rules per event bus":
		return r.Type == tEventRule
	}
	return false
}

// SetQuotaProblems gives the guard the quotas the stacks of the region
// (this tenant with the others, stackfile.QuotaProblems) would exceed.
func (g *Guard) SetQuotaProblems(problems []error) { g.quotas = problems }

// refuseOverQuota runs before a resource is created (also in preview): creating
// what a quota counts while the region's stacks exceed that quota is
// refused before AWS is asked, so the tenant that would pass it fails at
// its first resource, not halfway. A deployed tenant's updates create
// nothing that counts and go on.
func (g *Guard) refuseOverQuota(args *pulumi.ResourceHookArgs) error {
	r := &graph.Resource{Type: string(args.Type), Name: args.Name, Custom: true, Inputs: graph.FromPropertyMap(args.NewInputs)}
	return g.checkQuota(r)
}

func (g *Guard) checkQuota(r *graph.Resource) error {
	for _, p := range g.quotas {
		var q *config.QuotaExceeded
		if errors.As(p, &q) && takes(q.Quota, r) {
			return fmt.Errorf("creating %s %s would take the region past a quota, nothing of it was created: %w", r.Type, r.Name, p)
		}
	}
	return nil
}
