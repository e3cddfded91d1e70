package awsprovider

import (
	"context"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The calls below follow terraform-provider-aws (internal/service/ec2/*.go,
// v5 as pulumi-aws v6.83 bridges it): the file is named on each type.

func (m *Moto) tagSpec(rt ec2types.ResourceType, p props) []ec2types.TagSpecification {
	t := m.tags(p)
	if len(t) == 0 {
		return nil
	}
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: ec2Tags(t)}}
}

func ec2Tags(t map[string]string) []ec2types.Tag {
	var out []ec2types.Tag
	for _, k := range sortedKeys(t) {
		out = append(out, ec2types.Tag{Key: aws.String(k), Value: aws.String(t[k])})
	}
	return out
}

// retag replaces the tags of an EC2 resource (tags.go's updateTags).
func (m *Moto) retag(ctx context.Context, id string, old, new props) error {
	o, n := m.tags(old), m.tags(new)
	var gone []ec2types.Tag
	for k := range o {
		if _, ok := n[k]; !ok {
			gone = append(gone, ec2types.Tag{Key: aws.String(k)})
		}
	}
	if len(gone) > 0 {
		if _, err := m.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: gone}); err != nil {
			return err
		}
	}
	if len(n) > 0 {
		_, err := m.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2Tags(n)})
		return err
	}
	return nil
}

func (m *Moto) ec2Arn(kind, id string) string {
	return fmt.Sprintf("arn:aws:ec2:%s:%s:%s/%s", m.Region, m.Account, kind, id)
}

func tagsOnly(f func(ctx context.Context, m *Moto, id string, p props) error) func(context.Context, *Moto, string, props, props) (resource.PropertyMap, error) {
	return func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if f != nil {
			if err := f(ctx, m, id, new); err != nil {
				return nil, err
			}
		}
		return nil, m.retag(ctx, id, old, new)
	}
}

var _ = register("aws:ec2/vpc:Vpc", handler{source: "internal/service/ec2/vpc_.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: p.sptr("cidrBlock"), TagSpecifications: m.tagSpec(ec2types.ResourceTypeVpc, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.Vpc.VpcId)
		if err := vpcAttributes(ctx, m, id, p); err != nil {
			return id, nil, err
		}
		sg, err := m.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
		if err != nil || len(sg.SecurityGroups) == 0 {
			return id, nil, fmt.Errorf("the default security group of %s: %v", id, err)
		}
		rt, err := m.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("association.main"), Values: []string{"true"}}}})
		if err != nil || len(rt.RouteTables) == 0 {
			return id, nil, fmt.Errorf("the main route table of %s: %v", id, err)
		}
		acl, err := m.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("default"), Values: []string{"true"}}}})
		if err != nil || len(acl.NetworkAcls) == 0 {
			return id, nil, fmt.Errorf("the default network ACL of %s: %v", id, err)
		}
		return id, pm("arn", m.ec2Arn("vpc", id), "defaultSecurityGroupId", aws.ToString(sg.SecurityGroups[0].GroupId),
			"mainRouteTableId", aws.ToString(rt.RouteTables[0].RouteTableId), "defaultNetworkAclId", aws.ToString(acl.NetworkAcls[0].NetworkAclId),
			"dhcpOptionsId", aws.ToString(out.Vpc.DhcpOptionsId), "ownerId", m.Account), nil
	},
	read: func(ctx context.Context, m *Moto, id string, p props) (resource.PropertyMap, error) {
		out, err := m.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}})
		if err != nil {
			return nil, gone(err, "InvalidVpcID.NotFound")
		}
		if len(out.Vpcs) == 0 {
			return nil, errGone
		}
		return pm("cidrBlock", aws.ToString(out.Vpcs[0].CidrBlock)), nil
	},
	update: tagsOnly(vpcAttributes),
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
		return err
	},
})

func vpcAttributes(ctx context.Context, m *Moto, id string, p props) error {
	for k, set := range map[string]func(bool) *ec2.ModifyVpcAttributeInput{
		"enableDnsSupport": func(b bool) *ec2.ModifyVpcAttributeInput {
			return &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(b)}}
		},
		"enableDnsHostnames": func(b bool) *ec2.ModifyVpcAttributeInput {
			return &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id), EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(b)}}
		},
	} {
		if p.has(k) {
			if _, err := m.ec2.ModifyVpcAttribute(ctx, set(p.flag(k))); err != nil {
				return err
			}
		}
	}
	return nil
}

var _ = register("aws:ec2/subnet:Subnet", handler{source: "internal/service/ec2/vpc_subnet.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: p.sptr("vpcId"), CidrBlock: p.sptr("cidrBlock"),
			AvailabilityZoneId: p.sptr("availabilityZoneId"), AvailabilityZone: p.sptr("availabilityZone"),
			TagSpecifications: m.tagSpec(ec2types.ResourceTypeSubnet, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.Subnet.SubnetId)
		// The provider sets the attribute whenever the new subnet's differs
		// from the declared value (modifySubnetAttributesOnCreate). AWS
		// creates nondefault subnets without public addressing; moto 5.2.1
		// maps public IPs on the first subnet of each zone, and this call
		// corrects it as the provider would.
		if want := p.flag("mapPublicIpOnLaunch"); aws.ToBool(out.Subnet.MapPublicIpOnLaunch) != want {
			if err := mapPublicIP(ctx, m, id, want); err != nil {
				return id, nil, err
			}
		}
		return id, pm("arn", m.ec2Arn("subnet", id), "availabilityZone", aws.ToString(out.Subnet.AvailabilityZone),
			"availabilityZoneId", aws.ToString(out.Subnet.AvailabilityZoneId), "ownerId", m.Account), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}})
		if err != nil {
			return nil, gone(err, "InvalidSubnetID.NotFound")
		}
		if len(out.Subnets) == 0 {
			return nil, errGone
		}
		s := out.Subnets[0]
		return pm("mapPublicIpOnLaunch", aws.ToBool(s.MapPublicIpOnLaunch), "cidrBlock", aws.ToString(s.CidrBlock)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if old.flag("mapPublicIpOnLaunch") != new.flag("mapPublicIpOnLaunch") {
			if err := mapPublicIP(ctx, m, id, new.flag("mapPublicIpOnLaunch")); err != nil {
				return nil, err
			}
		}
		return nil, m.retag(ctx, id, old, new)
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
		return err
	},
})

func mapPublicIP(ctx context.Context, m *Moto, id string, on bool) error {
	_, err := m.ec2.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(id), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(on)}})
	return err
}

var _ = register("aws:ec2/internetGateway:InternetGateway", handler{source: "internal/service/ec2/vpc_internet_gateway.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: m.tagSpec(ec2types.ResourceTypeInternetGateway, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.InternetGateway.InternetGatewayId)
		if vpc := p.str("vpcId"); vpc != "" {
			if _, err := m.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpc)}); err != nil {
				return id, nil, err
			}
		}
		return id, pm("arn", m.ec2Arn("internet-gateway", id), "ownerId", m.Account), nil
	},
	update: tagsOnly(nil),
	delete: func(ctx context.Context, m *Moto, id string, p props) error {
		if vpc := p.str("vpcId"); vpc != "" {
			if _, err := m.ec2.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpc)}); err != nil && !notFound(err) {
				return err
			}
		}
		_, err := m.ec2.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(id)})
		return err
	},
})

var _ = register("aws:ec2/routeTable:RouteTable", handler{source: "internal/service/ec2/vpc_route_table.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: p.sptr("vpcId"), TagSpecifications: m.tagSpec(ec2types.ResourceTypeRouteTable, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.RouteTable.RouteTableId)
		return id, pm("arn", m.ec2Arn("route-table", id), "ownerId", m.Account), nil
	},
	update: tagsOnly(nil),
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: aws.String(id)})
		return err
	},
})

var _ = register("aws:ec2/route:Route", handler{source: "internal/service/ec2/vpc_route.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		_, err := m.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: p.sptr("routeTableId"), DestinationCidrBlock: p.sptr("destinationCidrBlock"),
			GatewayId: p.sptr("gatewayId"), NatGatewayId: p.sptr("natGatewayId"), VpcEndpointId: p.sptr("vpcEndpointId")})
		if err != nil {
			return "", nil, err
		}
		// The provider's id: "r-" + table + the destination's hash (vpc_route.go, routeCreateID).
		return fmt.Sprintf("r-%s%d", p.str("routeTableId"), crc32.ChecksumIEEE([]byte(p.str("destinationCidrBlock")))), nil, nil
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: p.sptr("routeTableId"), DestinationCidrBlock: p.sptr("destinationCidrBlock")})
		return err
	},
})

var _ = register("aws:ec2/routeTableAssociation:RouteTableAssociation", handler{source: "internal/service/ec2/vpc_route_table_association.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: p.sptr("routeTableId"), SubnetId: p.sptr("subnetId"), GatewayId: p.sptr("gatewayId")})
		if err != nil {
			return "", nil, err
		}
		return aws.ToString(out.AssociationId), nil, nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.ec2.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: aws.String(id), RouteTableId: new.sptr("routeTableId")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: aws.String(id)})
		return err
	},
})

var _ = register("aws:ec2/networkAcl:NetworkAcl", handler{source: "internal/service/ec2/vpc_network_acl.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: p.sptr("vpcId"), TagSpecifications: m.tagSpec(ec2types.ResourceTypeNetworkAcl, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.NetworkAcl.NetworkAclId)
		return id, pm("arn", m.ec2Arn("network-acl", id), "ownerId", m.Account), nil
	},
	update: tagsOnly(nil),
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(id)})
		return err
	},
})

// protocolNumber: the provider sends a protocol's number ("tcp" is 6).
func protocolNumber(p string) string {
	switch strings.ToLower(p) {
	case "tcp":
		return "6"
	case "udp":
		return "17"
	case "icmp":
		return "1"
	case "all":
		return "-1"
	}
	return p
}

var _ = register("aws:ec2/networkAclRule:NetworkAclRule", handler{source: "internal/service/ec2/vpc_network_acl_rule.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		_, err := m.ec2.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: p.sptr("networkAclId"),
			RuleNumber: aws.Int32(p.num("ruleNumber")), Egress: aws.Bool(p.flag("egress")), Protocol: aws.String(protocolNumber(p.str("protocol"))),
			RuleAction: ec2types.RuleAction(p.str("ruleAction")), CidrBlock: p.sptr("cidrBlock"),
			PortRange: &ec2types.PortRange{From: aws.Int32(p.num("fromPort")), To: aws.Int32(p.num("toPort"))}})
		if err != nil {
			return "", nil, err
		}
		// The provider's id: "nacl-" + a hash of acl, number, direction, protocol (vpc_network_acl_rule.go, networkACLRuleCreateResourceID).
		return fmt.Sprintf("nacl-%d", crc32.ChecksumIEEE([]byte(fmt.Sprintf("%s-%d-%t-%s-", p.str("networkAclId"), p.num("ruleNumber"), p.flag("egress"), p.str("protocol"))))), nil, nil
	},
	read: func(ctx context.Context, m *Moto, _ string, p props) (resource.PropertyMap, error) {
		out, err := m.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{p.str("networkAclId")}})
		if err != nil {
			return nil, gone(err, "InvalidNetworkAclID.NotFound")
		}
		for _, a := range out.NetworkAcls {
			for _, e := range a.Entries {
				if aws.ToInt32(e.RuleNumber) == p.num("ruleNumber") && aws.ToBool(e.Egress) == p.flag("egress") {
					return pm("cidrBlock", aws.ToString(e.CidrBlock), "ruleAction", string(e.RuleAction)), nil
				}
			}
		}
		return nil, errGone
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.ec2.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: p.sptr("networkAclId"), RuleNumber: aws.Int32(p.num("ruleNumber")), Egress: aws.Bool(p.flag("egress"))})
		return err
	},
})

// naclAssociationOf finds the association that holds a subnet: every subnet
// is always associated with exactly one ACL.
func naclAssociationOf(ctx context.Context, m *Moto, subnet string) (assoc, vpc string, err error) {
	out, err := m.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{subnet}}}})
	if err != nil {
		return "", "", err
	}
	for _, a := range out.NetworkAcls {
		for _, as := range a.Associations {
			if aws.ToString(as.SubnetId) == subnet {
				return aws.ToString(as.NetworkAclAssociationId), aws.ToString(a.VpcId), nil
			}
		}
	}
	return "", "", fmt.Errorf("subnet %s has no network ACL association", subnet)
}

var _ = register("aws:ec2/networkAclAssociation:NetworkAclAssociation", handler{source: "internal/service/ec2/vpc_network_acl_association.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		assoc, _, err := naclAssociationOf(ctx, m, p.str("subnetId"))
		if err != nil {
			return "", nil, err
		}
		out, err := m.ec2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: p.sptr("networkAclId")})
		if err != nil {
			return "", nil, err
		}
		return aws.ToString(out.NewAssociationId), nil, nil
	},
	// Deleting moves the subnet back to the VPC's default ACL.
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		assoc, vpc, err := naclAssociationOf(ctx, m, p.str("subnetId"))
		if err != nil {
			return nil // the subnet is gone, and its association with it
		}
		def, err := m.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("default"), Values: []string{"true"}}}})
		if err != nil || len(def.NetworkAcls) == 0 {
			return fmt.Errorf("the default network ACL of %s: %v", vpc, err)
		}
		_, err = m.ec2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: def.NetworkAcls[0].NetworkAclId})
		return err
	},
})

var _ = register("aws:ec2/securityGroup:SecurityGroup", handler{source: "internal/service/ec2/vpc_security_group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: p.sptr("name"), Description: p.sptr("description"),
			VpcId: p.sptr("vpcId"), TagSpecifications: m.tagSpec(ec2types.ResourceTypeSecurityGroup, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.GroupId)
		// The provider removes the allow-all egress rule AWS adds to a new
		// group in a VPC; rules come from the program only.
		if _, err := m.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{
			{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}); err != nil {
			return id, nil, err
		}
		return id, pm("arn", m.ec2Arn("security-group", id), "ownerId", m.Account), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
		if err != nil {
			return nil, gone(err, "InvalidGroup.NotFound")
		}
		if len(out.SecurityGroups) == 0 {
			return nil, errGone
		}
		return pm(), nil
	},
	update: tagsOnly(nil),
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
		return err
	},
})

// The default group is adopted, emptied of every rule and tagged; deleting
// it only forgets it (vpc_default_security_group.go).
var _ = register("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", handler{source: "internal/service/ec2/vpc_default_security_group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{p.str("vpcId")}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
		if err != nil {
			return "", nil, err
		}
		if len(out.SecurityGroups) == 0 {
			return "", nil, fmt.Errorf("no default security group in %s", p.str("vpcId"))
		}
		g := out.SecurityGroups[0]
		id := aws.ToString(g.GroupId)
		if len(g.IpPermissions) > 0 {
			if _, err := m.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: g.IpPermissions}); err != nil {
				return id, nil, err
			}
		}
		if len(g.IpPermissionsEgress) > 0 {
			if _, err := m.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: g.IpPermissionsEgress}); err != nil {
				return id, nil, err
			}
		}
		if t := m.tags(p); len(t) > 0 {
			if _, err := m.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2Tags(t)}); err != nil {
				return id, nil, err
			}
		}
		return id, pm("arn", m.ec2Arn("security-group", id), "name", "default", "ownerId", m.Account), nil
	},
	update: tagsOnly(nil),
	delete: func(context.Context, *Moto, string, props) error { return nil },
})

// sgRule is the permission of an aws_vpc_security_group_{ingress,egress}_rule.
func sgRule(p props) ec2types.IpPermission {
	perm := ec2types.IpPermission{IpProtocol: aws.String(protocolNumberOrName(p.str("ipProtocol")))}
	if p.has("fromPort") {
		perm.FromPort, perm.ToPort = aws.Int32(p.num("fromPort")), aws.Int32(p.num("toPort"))
	}
	desc := p.sptr("description")
	if c := p.str("cidrIpv4"); c != "" {
		perm.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(c), Description: desc}}
	}
	if c := p.str("cidrIpv6"); c != "" {
		perm.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(c), Description: desc}}
	}
	if g := p.str("referencedSecurityGroupId"); g != "" {
		perm.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(g), Description: desc}}
	}
	if pl := p.str("prefixListId"); pl != "" {
		perm.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: aws.String(pl), Description: desc}}
	}
	return perm
}

// protocolNumberOrName: the rule resources keep "tcp" as AWS does for the
// named protocols; "-1" is every protocol.
func protocolNumberOrName(p string) string {
	if p == "" {
		return "-1"
	}
	return p
}

func sgRuleHandler(egress bool, source string) handler {
	return handler{source: source,
		create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
			perm := []ec2types.IpPermission{sgRule(p)}
			spec := m.tagSpec(ec2types.ResourceTypeSecurityGroupRule, p)
			var rules []ec2types.SecurityGroupRule
			if egress {
				out, err := m.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: p.sptr("securityGroupId"), IpPermissions: perm, TagSpecifications: spec})
				if err != nil {
					return "", nil, err
				}
				rules = out.SecurityGroupRules
			} else {
				out, err := m.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: p.sptr("securityGroupId"), IpPermissions: perm, TagSpecifications: spec})
				if err != nil {
					return "", nil, err
				}
				rules = out.SecurityGroupRules
			}
			if len(rules) != 1 {
				return "", nil, fmt.Errorf("authorize on %s returned %d rules, want 1", p.str("securityGroupId"), len(rules))
			}
			id := aws.ToString(rules[0].SecurityGroupRuleId)
			return id, pm("arn", m.ec2Arn("security-group-rule", id), "securityGroupRuleId", id), nil
		},
		read: func(ctx context.Context, m *Moto, id string, p props) (resource.PropertyMap, error) {
			out, err := m.ec2.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{id}})
			if err != nil {
				return nil, gone(err, "InvalidSecurityGroupRuleId.NotFound")
			}
			if len(out.SecurityGroupRules) == 0 {
				return nil, errGone
			}
			r := out.SecurityGroupRules[0]
			return pm("fromPort", float64(aws.ToInt32(r.FromPort)), "toPort", float64(aws.ToInt32(r.ToPort))), nil
		},
		update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
			perm := sgRule(new)
			req := ec2types.SecurityGroupRuleRequest{IpProtocol: perm.IpProtocol, FromPort: perm.FromPort, ToPort: perm.ToPort,
				CidrIpv4: new.sptr("cidrIpv4"), CidrIpv6: new.sptr("cidrIpv6"), ReferencedGroupId: new.sptr("referencedSecurityGroupId"),
				PrefixListId: new.sptr("prefixListId"), Description: new.sptr("description")}
			_, err := m.ec2.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: new.sptr("securityGroupId"),
				SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: aws.String(id), SecurityGroupRule: &req}}})
			return nil, err
		},
		delete: func(ctx context.Context, m *Moto, id string, p props) error {
			var err error
			if egress {
				_, err = m.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: p.sptr("securityGroupId"), SecurityGroupRuleIds: []string{id}})
			} else {
				_, err = m.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: p.sptr("securityGroupId"), SecurityGroupRuleIds: []string{id}})
			}
			if notFound(err, "InvalidPermission.NotFound") {
				return nil
			}
			return err
		},
	}
}

var _ = register("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", sgRuleHandler(false, "internal/service/ec2/vpc_security_group_ingress_rule.go"))
var _ = register("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", sgRuleHandler(true, "internal/service/ec2/vpc_security_group_egress_rule.go"))

var _ = register("aws:ec2/vpcEndpoint:VpcEndpoint", handler{source: "internal/service/ec2/vpc_endpoint.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		in := &ec2.CreateVpcEndpointInput{VpcId: p.sptr("vpcId"), ServiceName: p.sptr("serviceName"), VpcEndpointType: ec2types.VpcEndpointType(p.str("vpcEndpointType")),
			SubnetIds: p.strs("subnetIds"), SecurityGroupIds: p.strs("securityGroupIds"), RouteTableIds: p.strs("routeTableIds"),
			PolicyDocument: p.sptr("policy"), TagSpecifications: m.tagSpec(ec2types.ResourceTypeVpcEndpoint, p)}
		if p.has("privateDnsEnabled") {
			in.PrivateDnsEnabled = aws.Bool(p.flag("privateDnsEnabled"))
		}
		out, err := m.ec2.CreateVpcEndpoint(ctx, in)
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.VpcEndpoint.VpcEndpointId)
		return id, pm("arn", m.ec2Arn("vpc-endpoint", id), "ownerId", m.Account, "state", string(out.VpcEndpoint.State)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
		if err != nil {
			return nil, gone(err, "InvalidVpcEndpointId.NotFound")
		}
		if len(out.VpcEndpoints) == 0 || strings.EqualFold(string(out.VpcEndpoints[0].State), "deleted") {
			return nil, errGone
		}
		return pm(), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		add, remove := diffStrings(old.strs("subnetIds"), new.strs("subnetIds"))
		addRT, removeRT := diffStrings(old.strs("routeTableIds"), new.strs("routeTableIds"))
		addSG, removeSG := diffStrings(old.strs("securityGroupIds"), new.strs("securityGroupIds"))
		if len(add)+len(remove)+len(addRT)+len(removeRT)+len(addSG)+len(removeSG) > 0 {
			if _, err := m.ec2.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id),
				AddSubnetIds: add, RemoveSubnetIds: remove, AddRouteTableIds: addRT, RemoveRouteTableIds: removeRT,
				AddSecurityGroupIds: addSG, RemoveSecurityGroupIds: removeSG}); err != nil {
				return nil, err
			}
		}
		return nil, m.retag(ctx, id, old, new)
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{id}})
		return err
	},
})

func diffStrings(old, new []string) (add, remove []string) {
	for _, n := range new {
		if !slices.Contains(old, n) {
			add = append(add, n)
		}
	}
	for _, o := range old {
		if !slices.Contains(new, o) {
			remove = append(remove, o)
		}
	}
	return add, remove
}

var _ = register("aws:ec2/flowLog:FlowLog", handler{source: "internal/service/ec2/vpc_flow_log.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		in := &ec2.CreateFlowLogsInput{ResourceIds: []string{p.str("vpcId")}, ResourceType: ec2types.FlowLogsResourceTypeVpc,
			TrafficType: ec2types.TrafficType(p.str("trafficType")), LogDestinationType: ec2types.LogDestinationType(p.str("logDestinationType")),
			DeliverLogsPermissionArn: p.sptr("iamRoleArn"), TagSpecifications: m.tagSpec(ec2types.ResourceTypeVpcFlowLog, p)}
		dest := p.str("logDestination")
		if m.Endpoint != "" && p.str("logDestinationType") == "cloud-watch-logs" {
			// moto 5.2.1 leaves a flow log given a log group's ARN without
			// its group and marks delivery failed; AWS accepts the group's
			// ARN or its name alike (CreateFlowLogs, LogDestination and
			// LogGroupName: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html),
			// so moto gets the name the ARN stands for.
			in.LogGroupName = aws.String(logGroupOfArn(dest))
		} else {
			in.LogDestination = aws.String(dest)
		}
		out, err := m.ec2.CreateFlowLogs(ctx, in)
		if err != nil {
			return "", nil, err
		}
		if len(out.Unsuccessful) > 0 || len(out.FlowLogIds) != 1 {
			return "", nil, fmt.Errorf("CreateFlowLogs: %d made, unsuccessful %v", len(out.FlowLogIds), out.Unsuccessful)
		}
		id := out.FlowLogIds[0]
		return id, pm("arn", m.ec2Arn("vpc-flow-log", id)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.ec2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: []string{id}})
		if err != nil {
			return nil, err
		}
		if len(out.FlowLogs) == 0 {
			return nil, errGone
		}
		return pm("trafficType", string(out.FlowLogs[0].TrafficType)), nil
	},
	update: tagsOnly(nil),
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: []string{id}})
		return err
	},
})

// logGroupOfArn: arn:aws:logs:<region>:<account>:log-group:<name>[:*].
func logGroupOfArn(arn string) string {
	_, name, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return arn
	}
	return strings.TrimSuffix(name, ":*")
}

var _ = register("aws:ec2/vpcDhcpOptions:VpcDhcpOptions", handler{source: "internal/service/ec2/vpc_dhcp_options.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		var cfgs []ec2types.NewDhcpConfiguration
		for key, prop := range map[string]string{"domain-name": "domainName", "domain-name-servers": "domainNameServers", "ntp-servers": "ntpServers", "netbios-name-servers": "netbiosNameServers"} {
			vals := p.strs(prop)
			if s := p.str(prop); s != "" {
				vals = []string{s}
			}
			if len(vals) > 0 {
				cfgs = append(cfgs, ec2types.NewDhcpConfiguration{Key: aws.String(key), Values: vals})
			}
		}
		slices.SortFunc(cfgs, func(a, b ec2types.NewDhcpConfiguration) int { return strings.Compare(*a.Key, *b.Key) })
		out, err := m.ec2.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: cfgs, TagSpecifications: m.tagSpec(ec2types.ResourceTypeDhcpOptions, p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.DhcpOptions.DhcpOptionsId)
		// moto 5.2.1 drops the TagSpecifications of CreateDhcpOptions; AWS
		// tags at creation, and CreateTags right after leaves the same tags
		// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDhcpOptions.html).
		if t := m.tags(p); len(t) > 0 && m.Endpoint != "" {
			if _, err := m.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2Tags(t)}); err != nil {
				return id, nil, err
			}
		}
		return id, pm("arn", m.ec2Arn("dhcp-options", id), "ownerId", m.Account), nil
	},
	update: tagsOnly(nil),
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(id)})
		return err
	},
})

var _ = register("aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation", handler{source: "internal/service/ec2/vpc_dhcp_options_association.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		_, err := m.ec2.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: p.sptr("dhcpOptionsId"), VpcId: p.sptr("vpcId")})
		if err != nil {
			return "", nil, err
		}
		return p.str("dhcpOptionsId") + "-" + p.str("vpcId"), nil, nil
	},
	// Deleting puts the VPC back on the default options.
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.ec2.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: p.sptr("vpcId")})
		if notFound(err) {
			return nil
		}
		return err
	},
})

func launchTemplateData(p props) *ec2types.RequestLaunchTemplateData {
	d := &ec2types.RequestLaunchTemplateData{ImageId: p.sptr("imageId"), InstanceType: ec2types.InstanceType(p.str("instanceType")), UserData: p.sptr("userData")}
	if ud := p.str("userData"); ud != "" {
		if _, err := base64.StdEncoding.DecodeString(ud); err != nil {
			d.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(ud)))
		}
	}
	for _, b := range p.list("blockDeviceMappings") {
		e := b.obj("ebs")
		bd := ec2types.LaunchTemplateBlockDeviceMappingRequest{DeviceName: b.sptr("deviceName"), Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{
			Encrypted: aws.Bool(e.flag("encrypted")), DeleteOnTermination: aws.Bool(e.flag("deleteOnTermination")), KmsKeyId: e.sptr("kmsKeyId"),
			VolumeType: ec2types.VolumeType(e.str("volumeType"))}}
		if e.has("volumeSize") {
			bd.Ebs.VolumeSize = aws.Int32(e.num("volumeSize"))
		}
		d.BlockDeviceMappings = append(d.BlockDeviceMappings, bd)
	}
	if ip := p.obj("iamInstanceProfile"); len(ip) > 0 {
		d.IamInstanceProfile = &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Arn: ip.sptr("arn"), Name: ip.sptr("name")}
	}
	if mo := p.obj("metadataOptions"); len(mo) > 0 {
		d.MetadataOptions = &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{HttpTokens: ec2types.LaunchTemplateHttpTokensState(mo.str("httpTokens")),
			HttpEndpoint: ec2types.LaunchTemplateInstanceMetadataEndpointState(mo.str("httpEndpoint"))}
		if mo.has("httpPutResponseHopLimit") {
			d.MetadataOptions.HttpPutResponseHopLimit = aws.Int32(mo.num("httpPutResponseHopLimit"))
		}
	}
	if mon := p.obj("monitoring"); len(mon) > 0 {
		d.Monitoring = &ec2types.LaunchTemplatesMonitoringRequest{Enabled: aws.Bool(mon.flag("enabled"))}
	}
	for _, ni := range p.list("networkInterfaces") {
		d.NetworkInterfaces = append(d.NetworkInterfaces, ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{
			AssociatePublicIpAddress: aws.Bool(ni.flag("associatePublicIpAddress")), DeleteOnTermination: aws.Bool(ni.flag("deleteOnTermination")),
			DeviceIndex: aws.Int32(ni.num("deviceIndex")), Groups: ni.strs("securityGroups")})
	}
	for _, ts := range p.list("tagSpecifications") {
		d.TagSpecifications = append(d.TagSpecifications, ec2types.LaunchTemplateTagSpecificationRequest{
			ResourceType: ec2types.ResourceType(ts.str("resourceType")), Tags: ec2Tags(ts.strMap("tags"))})
	}
	return d
}

var _ = register("aws:ec2/launchTemplate:LaunchTemplate", handler{source: "internal/service/ec2/ec2_launch_template.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: p.sptr("name"), VersionDescription: p.sptr("description"),
			LaunchTemplateData: launchTemplateData(p), TagSpecifications: m.tagSpec(ec2types.ResourceTypeLaunchTemplate, p)})
		if err != nil {
			return "", nil, err
		}
		lt := out.LaunchTemplate
		id := aws.ToString(lt.LaunchTemplateId)
		return id, pm("arn", m.ec2Arn("launch-template", id), "latestVersion", float64(aws.ToInt64(lt.LatestVersionNumber)),
			"defaultVersion", float64(aws.ToInt64(lt.DefaultVersionNumber))), nil
	},
	// Every change is a new version, made the default when the program
	// says so (updateDefaultVersion).
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		v, err := m.ec2.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: aws.String(id),
			VersionDescription: new.sptr("description"), LaunchTemplateData: launchTemplateData(new)})
		if err != nil {
			return nil, err
		}
		n := aws.ToInt64(v.LaunchTemplateVersion.VersionNumber)
		def := old.num("defaultVersion")
		if new.flag("updateDefaultVersion") {
			if _, err := m.ec2.ModifyLaunchTemplate(ctx, &ec2.ModifyLaunchTemplateInput{LaunchTemplateId: aws.String(id), DefaultVersion: aws.String(fmt.Sprint(n))}); err != nil {
				return nil, err
			}
			def = int32(n)
		}
		return pm("latestVersion", float64(n), "defaultVersion", float64(def)), m.retag(ctx, id, old, new)
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ec2.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateId: aws.String(id)})
		return err
	},
})

var _ = register("aws:ebs/encryptionByDefault:EncryptionByDefault", handler{source: "internal/service/ec2/ebs_encryption_by_default.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		return m.Region, nil, ebsDefault(ctx, m, !p.has("enabled") || p.flag("enabled"))
	},
	read: func(ctx context.Context, m *Moto, _ string, _ props) (resource.PropertyMap, error) {
		out, err := m.ec2.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		if err != nil {
			return nil, err
		}
		return pm("enabled", aws.ToBool(out.EbsEncryptionByDefault)), nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		return nil, ebsDefault(ctx, m, !new.has("enabled") || new.flag("enabled"))
	},
	delete: func(ctx context.Context, m *Moto, _ string, _ props) error { return ebsDefault(ctx, m, false) },
})

func ebsDefault(ctx context.Context, m *Moto, on bool) error {
	var err error
	if on {
		_, err = m.ec2.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{})
	} else {
		_, err = m.ec2.DisableEbsEncryptionByDefault(ctx, &ec2.DisableEbsEncryptionByDefaultInput{})
	}
	return err
}

var _ = register("aws:ebs/defaultKmsKey:DefaultKmsKey", handler{source: "internal/service/ec2/ebs_default_kms_key.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.ec2.ModifyEbsDefaultKmsKeyId(ctx, &ec2.ModifyEbsDefaultKmsKeyIdInput{KmsKeyId: p.sptr("keyArn")})
		if err != nil {
			return "", nil, err
		}
		return aws.ToString(out.KmsKeyId), nil, nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		_, err := m.ec2.ModifyEbsDefaultKmsKeyId(ctx, &ec2.ModifyEbsDefaultKmsKeyIdInput{KmsKeyId: new.sptr("keyArn")})
		return nil, err
	},
	// Deleting puts the account back on the AWS-managed key.
	delete: func(ctx context.Context, m *Moto, _ string, _ props) error {
		_, err := m.ec2.ResetEbsDefaultKmsKeyId(ctx, &ec2.ResetEbsDefaultKmsKeyIdInput{})
		return err
	},
})
