// Package network builds a tenant's isolated VPC (WP-19, WP-31): subnets per
// zone and tier, route tables per tier, network ACLs that deny by default
// (WP-20.2), flow logs of all traffic (WP-27), NTP through DHCP options
// (WP-28) and the emptied default security group.
package network

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// TimeSyncServer is the Amazon Time Sync Service, reachable from every VPC.
const TimeSyncServer = "169.254.169.123"

// Args configures the network. Plain Go values decide how many resources
// exist; inputs flow into properties.
type Args struct {
	TenantID  string
	Region    string
	AccountID string
	VpcCidr   string
	// ZoneIDs are availability zone IDs (apne1-az1), never letters.
	ZoneIDs []string
	// IngressCidrs may reach the public tier on 443 and 80.
	IngressCidrs []string
	// NatEgress adds a NAT gateway per zone; off by default (endpoints only).
	NatEgress bool
	AppPort   int
	DBPort    int
	// KeyArn encrypts the flow-log group: the tenant key.
	KeyArn pulumi.StringInput
	// LogRetentionDays of the flow-log group; 0 means never expire.
	LogRetentionDays int
	// Classification labels the flow-log group (WP-12).
	Classification string
}

// Subnet is one subnet with the keys it was derived from.
type Subnet struct {
	ZoneID string
	Tier   string
	Cidr   string
	Subnet *ec2.Subnet
}

// Network is the tenant VPC and everything attached to it.
type Network struct {
	pulumi.ResourceState

	Vpc          *ec2.Vpc
	Subnets      []Subnet
	RouteTables  map[string]*ec2.RouteTable // keyed by tier, or tier-zone for private in NAT mode
	FlowLogGroup *cloudwatch.LogGroup
	FlowLog      *ec2.FlowLog
	DhcpOptions  *ec2.VpcDhcpOptions
	// InternetRoute is the public tier's route to the internet gateway:
	// an internet-facing load balancer waits for it (ELB refuses one in a
	// VPC without an internet gateway).
	InternetRoute *ec2.Route

	VpcID pulumi.StringOutput `pulumi:"vpcId"`
}

// SubnetIDs returns the ids of the tier's subnets in zone order.
func (n *Network) SubnetIDs(tier string) pulumi.StringArray {
	var ids pulumi.StringArray
	for _, s := range n.Subnets {
		if s.Tier == tier {
			ids = append(ids, s.Subnet.ID().ToStringOutput())
		}
	}
	return ids
}

// SubnetCidrs returns the CIDRs of the tier's subnets in zone order.
func (n *Network) SubnetCidrs(tier string) []string {
	var out []string
	for _, s := range n.Subnets {
		if s.Tier == tier {
			out = append(out, s.Cidr)
		}
	}
	return out
}

// PrivateRouteTableIDs returns the route tables of the private tier.
func (n *Network) PrivateRouteTableIDs() pulumi.StringArray {
	var ids pulumi.StringArray
	for _, key := range slices.Sorted(maps.Keys(n.RouteTables)) {
		if key == config.TierPrivate || strings.HasPrefix(key, config.TierPrivate+"-") {
			ids = append(ids, n.RouteTables[key].ID().ToStringOutput())
		}
	}
	return ids
}

// New builds the tenant network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, fmt.Errorf("network %s: args are required", name)
	}
	n := &Network{RouteTables: map[string]*ec2.RouteTable{}}
	if err := ctx.RegisterComponentResource("tenantkit:network:Network", name, n, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(n)
	named := func(s string) pulumi.StringMap { return pulumi.StringMap{"Name": pulumi.String(s)} }

	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.VpcCidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               named(name + "-vpc"),
	}, child)
	if err != nil {
		return nil, err
	}
	n.Vpc, n.VpcID = vpc, vpc.ID().ToStringOutput()

	// An adopted default group with no rules strips AWS's allow-all (WP-19).
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  named(name + "-default-do-not-use"),
	}, child); err != nil {
		return nil, err
	}

	for _, tier := range config.Tiers {
		for _, zone := range args.ZoneIDs {
			cidr, err := SubnetCidr(args.VpcCidr, tier, zone)
			if err != nil {
				return nil, err
			}
			sn := fmt.Sprintf("%s-subnet-%s-%s", name, zone, tier)
			s, err := ec2.NewSubnet(ctx, sn, &ec2.SubnetArgs{
				VpcId:               vpc.ID(),
				CidrBlock:           pulumi.String(cidr),
				AvailabilityZoneId:  pulumi.String(zone),
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags:                pulumi.StringMap{"Name": pulumi.String(sn), "Tier": pulumi.String(tier)},
			}, child)
			if err != nil {
				return nil, err
			}
			n.Subnets = append(n.Subnets, Subnet{ZoneID: zone, Tier: tier, Cidr: cidr, Subnet: s})
		}
	}

	if err := n.routes(ctx, name, args, child); err != nil {
		return nil, err
	}
	if err := n.acls(ctx, name, args, child); err != nil {
		return nil, err
	}
	if err := n.flowLogs(ctx, name, args, child); err != nil {
		return nil, err
	}
	if err := n.dhcp(ctx, name, args, child); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{"vpcId": n.VpcID}); err != nil {
		return nil, err
	}
	return n, nil
}

// routes: the public tier reaches the internet gateway; the private tier
// reaches nothing but the VPC (and, in NAT mode, its zone's NAT gateway);
// the isolated tier has no route out at all.
func (n *Network) routes(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: n.Vpc.ID(),
		Tags:  pulumi.StringMap{"Name": pulumi.String(name + "-igw")},
	}, child)
	if err != nil {
		return err
	}
	table := func(key string) (*ec2.RouteTable, error) {
		rt, err := ec2.NewRouteTable(ctx, name+"-rt-"+key, &ec2.RouteTableArgs{
			VpcId: n.Vpc.ID(),
			Tags:  pulumi.StringMap{"Name": pulumi.String(name + "-rt-" + key)},
		}, child)
		n.RouteTables[key] = rt
		return rt, err
	}
	associate := func(rt *ec2.RouteTable, s Subnet) error {
		_, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-rta-%s-%s", name, s.ZoneID, s.Tier), &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     s.Subnet.ID(),
		}, child)
		return err
	}

	public, err := table(config.TierPublic)
	if err != nil {
		return err
	}
	if n.InternetRoute, err = ec2.NewRoute(ctx, name+"-route-public-internet", &ec2.RouteArgs{
		RouteTableId:         public.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, child); err != nil {
		return err
	}
	isolated, err := table(config.TierIsolated)
	if err != nil {
		return err
	}
	var private *ec2.RouteTable
	if !args.NatEgress {
		if private, err = table(config.TierPrivate); err != nil {
			return err
		}
	}
	nats := map[string]*ec2.NatGateway{}
	for _, s := range n.Subnets {
		switch s.Tier {
		case config.TierPublic:
			if err := associate(public, s); err != nil {
				return err
			}
			if args.NatEgress {
				eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-eip-%s", name, s.ZoneID), &ec2.EipArgs{
					Domain: pulumi.String("vpc"),
					Tags:   pulumi.StringMap{"Name": pulumi.String(fmt.Sprintf("%s-nat-%s", name, s.ZoneID))},
				}, child)
				if err != nil {
					return err
				}
				nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-nat-%s", name, s.ZoneID), &ec2.NatGatewayArgs{
					AllocationId: eip.ID(),
					SubnetId:     s.Subnet.ID(),
					Tags:         pulumi.StringMap{"Name": pulumi.String(fmt.Sprintf("%s-nat-%s", name, s.ZoneID))},
				}, child)
				if err != nil {
					return err
				}
				nats[s.ZoneID] = nat
			}
		case config.TierPrivate:
			rt := private
			if args.NatEgress {
				if rt, err = table(config.TierPrivate + "-" + s.ZoneID); err != nil {
					return err
				}
				if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-route-private-%s-nat", name, s.ZoneID), &ec2.RouteArgs{
					RouteTableId:         rt.ID(),
					DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
					NatGatewayId:         nats[s.ZoneID].ID(),
				}, child); err != nil {
					return err
				}
			}
			if err := associate(rt, s); err != nil {
				return err
			}
		case config.TierIsolated:
			if err := associate(isolated, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// flowLogs sends a record of ALL traffic to a KMS-encrypted log group,
// through a role that can write only to that group.
func (n *Network) flowLogs(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	groupName := fmt.Sprintf("/tenants/%s/vpc-flow-logs", args.TenantID)
	group, err := loggroups.NewGroup(ctx, name+"-flowlog-group", &loggroups.GroupArgs{
		Name: groupName, KeyArn: args.KeyArn, RetentionDays: args.LogRetentionDays, Classification: args.Classification,
	}, child)
	if err != nil {
		return err
	}
	n.FlowLogGroup = group
	// The trust and permissions AWS documents for flow logs (Amazon VPC
	// user guide, "IAM role for publishing flow logs to CloudWatch Logs",
	// flow-logs-iam-role.html): aws:SourceAccount and aws:SourceArn. The
	// tightest aws:SourceArn AWS allows here is this account's flow logs in
	// this region: a flow log's ARN carries an id AWS assigns at creation,
	// and the flow log cannot be created before the role it names, so no
	// trust can name it. What that leaves open is bounded: attaching the
	// role to another flow log needs iam:PassRole on it, and the role can
	// write to this tenant's flow-log group only, so a foreign flow log could
	// add records to this group but read nothing (tests/iameval proves both
	// the account and region limits and the write limit).
	role, err := loggroups.NewWriterRole(ctx, name+"-flowlog-role", &loggroups.WriterArgs{
		Service: "vpc-flow-logs.amazonaws.com",
		TrustCondition: policydoc.Condition{
			"StringEquals": {"aws:SourceAccount": policydoc.List(args.AccountID)},
			"ArnLike":      {"aws:SourceArn": policydoc.List(fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", args.Region, args.AccountID))},
		},
		GroupArn:          loggroups.GroupArn(args.Region, args.AccountID, groupName),
		DescribeGroupsArn: loggroups.GroupArn(args.Region, args.AccountID, "*"),
		Description:       "VPC flow logs of tenant " + args.TenantID + " write to their own log group only",
	}, child)
	if err != nil {
		return err
	}
	n.FlowLog, err = ec2.NewFlowLog(ctx, name+"-flowlog", &ec2.FlowLogArgs{
		VpcId:              n.Vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     group.Arn,
		IamRoleArn:         role.Arn,
		Tags:               pulumi.StringMap{"Name": pulumi.String(name + "-flowlog")},
	}, child)
	return err
}

// dhcp points NTP at the Amazon Time Sync Service and keeps Amazon's DNS
// (WP-28); without AmazonProvidedDNS and the domain name instances lose DNS.
func (n *Network) dhcp(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	opts, err := ec2.NewVpcDhcpOptions(ctx, name+"-dhcp", &ec2.VpcDhcpOptionsArgs{
		DomainName:        pulumi.String(args.Region + ".compute.internal"),
		DomainNameServers: pulumi.StringArray{pulumi.String("AmazonProvidedDNS")},
		NtpServers:        pulumi.StringArray{pulumi.String(TimeSyncServer)},
		Tags:              pulumi.StringMap{"Name": pulumi.String(name + "-dhcp")},
	}, child)
	if err != nil {
		return err
	}
	n.DhcpOptions = opts
	_, err = ec2.NewVpcDhcpOptionsAssociation(ctx, name+"-dhcp-assoc", &ec2.VpcDhcpOptionsAssociationArgs{
		VpcId:         n.Vpc.ID(),
		DhcpOptionsId: opts.ID(),
	}, child)
	return err
}

// SubnetCidr derives a subnet's range from stable keys: the VPC range is cut
// into 16 equal blocks; the tier picks a row of four and the zone number
// (apne1-az4 → 4) the block in it, so adding or reordering zones never moves
// an existing subnet.
func SubnetCidr(vpcCidr, tier, zoneID string) (string, error) {
	vpc, err := netip.ParsePrefix(vpcCidr)
	if err != nil {
		return "", fmt.Errorf("vpc cidr %q: %w", vpcCidr, err)
	}
	row := map[string]int{config.TierPublic: 0, config.TierPrivate: 1, config.TierIsolated: 2}[tier]
	var zone int
	if _, err := fmt.Sscanf(zoneID[len(zoneID)-1:], "%d", &zone); err != nil || zone < 1 || zone > 4 {
		return "", fmt.Errorf("zone id %q: want apneN-az1 to apneN-az4", zoneID)
	}
	bits := vpc.Bits() + 4
	size := uint32(1) << (32 - bits)
	base := vpc.Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	start += uint32(row*4+zone-1) * size
	addr := netip.AddrFrom4([4]byte{byte(start >> 24), byte(start >> 16), byte(start >> 8), byte(start)})
	return netip.PrefixFrom(addr, bits).String(), nil
}
