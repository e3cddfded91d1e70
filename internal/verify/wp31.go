package verify

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/config"
)

var _ = register(Check{ID: "WP-31/routes", Control: "WP-31", Title: "no route to another tenant, no peering or transit gateway",
	Run: func(ctx context.Context, t *Target, r *Run) {
		tables, err := collectPages("ec2:DescribeRouteTables", func(tok *string) ([]ec2types.RouteTable, *string, error) {
			out, err := t.Clients.EC2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: vpcFilter(t.Inv.VpcID), NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.RouteTables, out.NextToken, nil
		})
		if err != nil {
			r.Error("route tables of "+t.Inv.VpcID, err, "routes to the tenant's own network and AWS only")
			return
		}
		n := 0
		for _, rt := range tables {
			if aws.ToString(rt.VpcId) != t.Inv.VpcID {
				continue // not the tenant's, whatever the filter said
			}
			n++
			bad := false
			for _, rt2 := range rt.Routes {
				dest := aws.ToString(rt2.DestinationCidrBlock)
				if rt2.VpcPeeringConnectionId != nil || rt2.TransitGatewayId != nil {
					r.Fail("route table "+aws.ToString(rt.RouteTableId), "route "+dest+" via a peering or transit gateway", "no path to another network")
					bad = true
					continue
				}
				if p, err := netip.ParsePrefix(dest); err == nil && p.Bits() > 0 {
					for name, other := range t.OtherCidrs {
						if other.Overlaps(p) {
							r.Fail("route table "+aws.ToString(rt.RouteTableId), "route "+dest, "no route to tenant "+name+" ("+other.String()+")")
							bad = true
						}
					}
				}
			}
			if !bad {
				r.Pass("route table "+aws.ToString(rt.RouteTableId), fmt.Sprintf("%d routes", len(rt.Routes)))
			}
		}
		if n == 0 {
			r.Error("route tables of "+t.Inv.VpcID, fmt.Errorf("none found"), "the VPC's route tables")
		}
	}})

var _ = register(Check{ID: "WP-31/endpoints", Control: "WP-31", Title: "private subnets reach AWS through VPC endpoints",
	Run: func(ctx context.Context, t *Target, r *Run) {
		endpoints, err := collectPages("ec2:DescribeVpcEndpoints", func(tok *string) ([]ec2types.VpcEndpoint, *string, error) {
			out, err := t.Clients.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: vpcFilter(t.Inv.VpcID), NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.VpcEndpoints, out.NextToken, nil
		})
		if err != nil {
			r.Error("VPC endpoints of "+t.Inv.VpcID, err, "the S3 gateway and the required interface endpoints")
			return
		}
		have := map[string]bool{}
		for _, e := range endpoints {
			// DescribeVpcEndpoints reports the state in lowercase
			// ("available", EC2 API reference, VpcEndpoint); the SDK's
			// constant is "Available".
			if aws.ToString(e.VpcId) == t.Inv.VpcID && strings.EqualFold(string(e.State), string(ec2types.StateAvailable)) {
				svc := aws.ToString(e.ServiceName)
				have[svc[strings.LastIndex(svc, ".")+1:]] = true
			}
		}
		for _, svc := range append([]string{"s3"}, config.RequiredInterfaceEndpoints...) {
			if have[svc] {
				r.Pass("VPC endpoint "+svc, "available")
			} else {
				r.Fail("VPC endpoint "+svc, "missing or not available", "an available endpoint in "+t.Inv.VpcID)
			}
		}
	}})
