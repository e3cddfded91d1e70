package verify

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// WP-31/routes: every route of the tenant's route tables leads to the VPC
// itself, the tenant's own internet gateway, its NAT gateways or its S3
// gateway endpoint, and none reaches another tenant's range. Anything else
// (a peering connection, a transit, VPN or carrier gateway, an instance or
// a network interface, a core network) is a path to another network.
var _ = register(Check{ID: "WP-31/routes", Control: "WP-31", Title: "routes only to the VPC, its own gateways and endpoints; none to another tenant",
	Run: func(ctx context.Context, t *Target, r *Run) {
		const want = "targets local, the tenant's internet gateway, its NAT gateways or its S3 gateway endpoint only; no route to another tenant"
		tables, err := collectPages("ec2:DescribeRouteTables", func(tok *string) ([]ec2types.RouteTable, *string, error) {
			out, err := t.Clients.EC2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: vpcFilter(t.Inv.VpcID), NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.RouteTables, out.NextToken, nil
		})
		if err != nil {
			r.Error("route tables of "+t.Inv.VpcID, err, want)
			return
		}
		own, err := ownGateways(ctx, t)
		if err != nil {
			r.Error("gateways of "+t.Inv.VpcID, err, want)
			return
		}
		n := 0
		for _, rt := range tables {
			if aws.ToString(rt.VpcId) != t.Inv.VpcID {
				continue // not the tenant's, whatever the filter said
			}
			n++
			res := "route table " + aws.ToString(rt.RouteTableId)
			bad := false
			var read []string
			for _, rt2 := range rt.Routes {
				dest := cmp.Or(aws.ToString(rt2.DestinationCidrBlock), aws.ToString(rt2.DestinationIpv6CidrBlock), aws.ToString(rt2.DestinationPrefixListId))
				target := routeTarget(rt2)
				read = append(read, dest+" → "+target)
				// One verdict with the plan rule (expect.RouteProblem).
				if why := expect.RouteProblem(dest, target+" ("+targetKind(target)+")", own[target], t.OtherCidrs); why != "" {
					r.Fail(res, why, want)
					bad = true
				}
			}
			if !bad {
				r.Pass(res, strings.Join(read, ", "), want)
			}
		}
		if n == 0 {
			r.Error("route tables of "+t.Inv.VpcID, fmt.Errorf("none found"), "the VPC's route tables")
		}
	}})

// routeTarget names where a route leads, whatever kind of target it is.
func routeTarget(r ec2types.Route) string {
	return cmp.Or(aws.ToString(r.GatewayId), aws.ToString(r.NatGatewayId), aws.ToString(r.TransitGatewayId), aws.ToString(r.VpcPeeringConnectionId),
		aws.ToString(r.NetworkInterfaceId), aws.ToString(r.InstanceId), aws.ToString(r.CarrierGatewayId), aws.ToString(r.LocalGatewayId),
		aws.ToString(r.EgressOnlyInternetGatewayId), aws.ToString(r.CoreNetworkArn), "no target")
}

// ownGateways are the targets a tenant's route may have: local, the
// internet gateway attached to its VPC, its NAT gateways, its S3 gateway
// endpoint.
func ownGateways(ctx context.Context, t *Target) (map[string]bool, error) {
	return cached(t, "gateways", func() (map[string]bool, error) {
		own := map[string]bool{"local": true}
		if t.Inv.S3EndpointID != "" {
			own[t.Inv.S3EndpointID] = true
		}
		err := allPages("ec2:DescribeInternetGateways", func(tok *string) (*string, error) {
			out, err := t.Clients.EC2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{t.Inv.VpcID}}}, NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, g := range out.InternetGateways {
				for _, a := range g.Attachments {
					if aws.ToString(a.VpcId) == t.Inv.VpcID {
						own[aws.ToString(g.InternetGatewayId)] = true
					}
				}
			}
			return out.NextToken, nil
		})
		if err != nil {
			return nil, err
		}
		nats, err := natGateways(ctx, t)
		for _, g := range nats {
			own[aws.ToString(g.NatGatewayId)] = true
		}
		return own, err
	})
}

// natGateways are the NAT gateways of the tenant's VPC, read once per
// target.
func natGateways(ctx context.Context, t *Target) ([]ec2types.NatGateway, error) {
	return cached(t, "nat-gateways", func() ([]ec2types.NatGateway, error) {
		var own []ec2types.NatGateway
		err := allPages("ec2:DescribeNatGateways", func(tok *string) (*string, error) {
			out, err := t.Clients.EC2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: vpcFilter(t.Inv.VpcID), NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, g := range out.NatGateways {
				if aws.ToString(g.VpcId) == t.Inv.VpcID {
					own = append(own, g)
				}
			}
			return out.NextToken, nil
		})
		return own, err
	})
}

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
				r.Pass("VPC endpoint "+svc, "available in "+t.Inv.VpcID, "an available endpoint in "+t.Inv.VpcID)
			} else {
				r.Fail("VPC endpoint "+svc, notAmong(len(have), "available endpoints of "+t.Inv.VpcID, "DescribeVpcEndpoints"), "an available endpoint in "+t.Inv.VpcID)
			}
		}
	}})

// targetKind names the kind of a route's target by its id's prefix.
func targetKind(id string) string {
	for prefix, kind := range map[string]string{"igw-": "an internet gateway", "nat-": "a NAT gateway", "tgw-": "a transit gateway",
		"pcx-": "a peering connection", "vgw-": "a VPN gateway", "eni-": "a network interface", "i-": "an instance", "vpce-": "a VPC endpoint",
		"cagw-": "a carrier gateway", "lgw-": "a local gateway", "eigw-": "an egress-only internet gateway", "arn:": "a core network"} {
		if strings.HasPrefix(id, prefix) {
			return kind
		}
	}
	return "an unknown target"
}
