package verify

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/config"
)

func vpcFilter(id string) []ec2types.Filter {
	return []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}
}

// tenantGroups reads the tenant's security groups in one call and keeps
// only those that really are in the tenant's VPC (filters are not trusted).
func tenantGroups(ctx context.Context, t *Target, r *Run) ([]ec2types.SecurityGroup, bool) {
	var ids []string
	for _, k := range []string{"lb", "app", "db", "endpoints"} {
		if id := t.Inv.SecurityGroups[k]; id != "" {
			ids = append(ids, id)
		}
	}
	out, err := cached(t, "sg", func() (*ec2.DescribeSecurityGroupsOutput, error) {
		return t.Clients.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: ids})
	})
	if err != nil {
		r.Error("security groups "+strings.Join(ids, ","), err, "the tenant's security groups")
		return nil, false
	}
	var mine []ec2types.SecurityGroup
	for _, g := range out.SecurityGroups {
		if slices.Contains(ids, aws.ToString(g.GroupId)) {
			if aws.ToString(g.VpcId) != t.Inv.VpcID {
				r.Fail("security group "+aws.ToString(g.GroupId), "in VPC "+aws.ToString(g.VpcId), "in the tenant's VPC "+t.Inv.VpcID)
				continue
			}
			mine = append(mine, g)
		}
	}
	for _, id := range ids {
		if !slices.ContainsFunc(mine, func(g ec2types.SecurityGroup) bool { return aws.ToString(g.GroupId) == id }) {
			r.Error("security group "+id, fmt.Errorf("not returned"), "the group of the inventory")
		}
	}
	return mine, true
}

func sgRes(t *Target, g ec2types.SecurityGroup) string {
	return fmt.Sprintf("security group %s (%s)", aws.ToString(g.GroupId), groupRole(t, aws.ToString(g.GroupId)))
}

func groupRole(t *Target, id string) string {
	for k, v := range t.Inv.SecurityGroups {
		if v == id {
			return k
		}
	}
	return "?"
}

func perm(p ec2types.IpPermission) string {
	var src []string
	for _, c := range p.IpRanges {
		src = append(src, aws.ToString(c.CidrIp))
	}
	for _, c := range p.Ipv6Ranges {
		src = append(src, aws.ToString(c.CidrIpv6))
	}
	for _, g := range p.UserIdGroupPairs {
		src = append(src, aws.ToString(g.GroupId))
	}
	for _, pl := range p.PrefixListIds {
		src = append(src, aws.ToString(pl.PrefixListId))
	}
	return fmt.Sprintf("%s %d-%d from %s", aws.ToString(p.IpProtocol), aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort), strings.Join(src, ","))
}

func opens(p ec2types.IpPermission, port int32) bool {
	proto := aws.ToString(p.IpProtocol)
	return proto == "-1" || (aws.ToInt32(p.FromPort) <= port && port <= aws.ToInt32(p.ToPort))
}

// judgeIngress runs a verdict on every ingress rule of the tenant's groups:
// bad returns what was expected instead, or "" for a rule that is fine.
func judgeIngress(ctx context.Context, t *Target, r *Run, passed string, bad func(p ec2types.IpPermission) []string) {
	groups, ok := tenantGroups(ctx, t, r)
	if !ok {
		return
	}
	for _, g := range groups {
		failed := false
		for _, p := range g.IpPermissions {
			for _, want := range bad(p) {
				r.Fail(sgRes(t, g), "ingress "+perm(p), want)
				failed = true
			}
		}
		if !failed {
			r.Pass(sgRes(t, g), fmt.Sprintf("%d ingress rules, %s", len(g.IpPermissions), passed))
		}
	}
}

var _ = register(Check{ID: "WP-18/no-ssh-rdp", Control: "WP-18", Title: "no security-group rule opens 22 or 3389",
	Run: func(ctx context.Context, t *Target, r *Run) {
		judgeIngress(ctx, t, r, "none to 22/3389", func(p ec2types.IpPermission) (want []string) {
			for _, port := range []int32{22, 3389} {
				if opens(p, port) {
					want = append(want, fmt.Sprintf("nothing open to %d (shell access through Session Manager only)", port))
				}
			}
			return want
		})
	}})

var _ = register(Check{ID: "WP-20.2/protocols", Control: "WP-20.2", Title: "no all-protocol ingress",
	Run: func(ctx context.Context, t *Target, r *Run) {
		judgeIngress(ctx, t, r, "no all-protocol ingress", func(p ec2types.IpPermission) []string {
			if aws.ToString(p.IpProtocol) == "-1" {
				return []string{"tcp on single ports only"}
			}
			return nil
		})
	}})

// WP-20.1: every ingress rule is one of the tier matrix; anything else FAILs.
var _ = register(Check{ID: "WP-20.1/tier-matrix", Control: "WP-20.1", Title: "ingress matches the tier matrix",
	Run: func(ctx context.Context, t *Target, r *Run) {
		groups, ok := tenantGroups(ctx, t, r)
		if !ok {
			return
		}
		c := t.Cfg
		sg := t.Inv.SecurityGroups
		allowed := func(role string, p ec2types.IpPermission) (bool, string) {
			proto, from, to := aws.ToString(p.IpProtocol), aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort)
			if proto != "tcp" || from != to {
				return false, "tcp on a single port"
			}
			onlyCidrs := func(want []string) bool {
				if len(p.UserIdGroupPairs)+len(p.PrefixListIds)+len(p.Ipv6Ranges) > 0 || len(p.IpRanges) == 0 {
					return false
				}
				for _, rg := range p.IpRanges {
					if !slices.Contains(want, aws.ToString(rg.CidrIp)) {
						return false
					}
				}
				return true
			}
			onlyGroup := func(id string) bool {
				if len(p.IpRanges)+len(p.Ipv6Ranges)+len(p.PrefixListIds) > 0 || len(p.UserIdGroupPairs) == 0 {
					return false
				}
				for _, g := range p.UserIdGroupPairs {
					if aws.ToString(g.GroupId) != id {
						return false
					}
				}
				return true
			}
			switch role {
			case "lb":
				if c.Suspended() {
					return false, "no ingress while suspended (WP-10)"
				}
				return (from == 443 || from == 80) && onlyCidrs(c.IngressCidrs), "443 or 80 from " + strings.Join(c.IngressCidrs, ",")
			case "app":
				return int(from) == c.AppPort && onlyGroup(sg["lb"]), fmt.Sprintf("%d from the load-balancer group %s", c.AppPort, sg["lb"])
			case "db":
				return int(from) == c.Database.Port && onlyGroup(sg["app"]), fmt.Sprintf("%d from the app group %s", c.Database.Port, sg["app"])
			case "endpoints":
				return from == 443 && onlyCidrs([]string{c.VpcCidr}), "443 from " + c.VpcCidr
			}
			return false, "a group of the tenant"
		}
		for _, g := range groups {
			role := groupRole(t, aws.ToString(g.GroupId))
			bad := false
			for _, p := range g.IpPermissions {
				if ok, want := allowed(role, p); !ok {
					r.Fail(sgRes(t, g), "ingress "+perm(p), want)
					bad = true
				}
			}
			for _, p := range g.IpPermissionsEgress {
				if aws.ToString(p.IpProtocol) == "-1" {
					r.Fail(sgRes(t, g), "egress "+perm(p), "egress limited to what the tier needs")
					bad = true
				}
			}
			if !bad {
				r.Pass(sgRes(t, g), fmt.Sprintf("%d ingress rules, all in the matrix", len(g.IpPermissions)))
			}
		}
	}})

var _ = register(Check{ID: "WP-19/isolation", Control: "WP-19", Title: "the tenant's own VPC; its default security group has no rules",
	Run: func(ctx context.Context, t *Target, r *Run) {
		v, err := tenantVpc(ctx, t)
		if err != nil {
			r.Error("VPC "+t.Inv.VpcID, err, "the tenant's VPC")
			return
		}
		switch {
		case aws.ToString(v.CidrBlock) != t.Inv.VpcCidr:
			r.Fail("VPC "+t.Inv.VpcID, aws.ToString(v.CidrBlock), t.Inv.VpcCidr)
		case tagValue(v.Tags, "Tenant") != t.Inv.Tenant:
			r.Fail("VPC "+t.Inv.VpcID, "Tenant="+tagValue(v.Tags, "Tenant"), "Tenant="+t.Inv.Tenant)
		default:
			r.Pass("VPC "+t.Inv.VpcID, aws.ToString(v.CidrBlock))
		}
		sgs, err := t.Clients.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: append(vpcFilter(t.Inv.VpcID), ec2types.Filter{Name: aws.String("group-name"), Values: []string{"default"}})})
		if err != nil {
			r.Error("default security group of "+t.Inv.VpcID, err, "no rules")
			return
		}
		for _, g := range sgs.SecurityGroups {
			if aws.ToString(g.VpcId) != t.Inv.VpcID || aws.ToString(g.GroupName) != "default" {
				continue
			}
			if n := len(g.IpPermissions) + len(g.IpPermissionsEgress); n > 0 {
				r.Fail("default security group "+aws.ToString(g.GroupId), fmt.Sprintf("%d rules", n), "no rules")
			} else {
				r.Pass("default security group "+aws.ToString(g.GroupId), "no rules")
			}
			return
		}
		r.Error("default security group of "+t.Inv.VpcID, fmt.Errorf("not found"), "the VPC's default group, emptied")
	}})

// tenantVpc reads the tenant's VPC once for every check, matched by id
// client-side; a VPC the answer does not hold is an error (ERROR, not PASS).
func tenantVpc(ctx context.Context, t *Target) (ec2types.Vpc, error) {
	return cached(t, "vpc", func() (ec2types.Vpc, error) {
		out, err := t.Clients.EC2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{t.Inv.VpcID}})
		if err != nil {
			return ec2types.Vpc{}, err
		}
		for _, v := range out.Vpcs {
			if aws.ToString(v.VpcId) == t.Inv.VpcID {
				return v, nil
			}
		}
		return ec2types.Vpc{}, fmt.Errorf("VPC %s not found", t.Inv.VpcID)
	})
}

func tagValue(tags []ec2types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

var _ = register(Check{ID: "WP-31/routes", Control: "WP-31", Title: "no route to another tenant, no peering or transit gateway",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.EC2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: vpcFilter(t.Inv.VpcID)})
		if err != nil {
			r.Error("route tables of "+t.Inv.VpcID, err, "routes to the tenant's own network and AWS only")
			return
		}
		n := 0
		for _, rt := range out.RouteTables {
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
		out, err := t.Clients.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: vpcFilter(t.Inv.VpcID)})
		if err != nil {
			r.Error("VPC endpoints of "+t.Inv.VpcID, err, "the S3 gateway and the required interface endpoints")
			return
		}
		have := map[string]bool{}
		for _, e := range out.VpcEndpoints {
			if aws.ToString(e.VpcId) == t.Inv.VpcID && e.State == ec2types.StateAvailable {
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

var _ = register(Check{ID: "WP-27/flow-logs", Control: "WP-27", Title: "VPC flow log of ALL traffic, active",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.EC2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{t.Inv.VpcID}}}})
		if err != nil {
			r.Error("flow logs of "+t.Inv.VpcID, err, "a flow log of ALL traffic")
			return
		}
		for _, f := range out.FlowLogs {
			if aws.ToString(f.ResourceId) == t.Inv.VpcID && f.TrafficType == ec2types.TrafficTypeAll && aws.ToString(f.FlowLogStatus) == "ACTIVE" {
				r.Pass("flow log "+aws.ToString(f.FlowLogId), "ALL, ACTIVE, to "+aws.ToString(f.LogGroupName))
				return
			}
		}
		r.Fail("VPC "+t.Inv.VpcID, "no active flow log of ALL traffic", "a flow log of ALL traffic")
	}})

var _ = register(Check{ID: "WP-28/dhcp", Control: "WP-28", Title: "DHCP options point NTP at the Time Sync Service",
	Run: func(ctx context.Context, t *Target, r *Run) {
		v, err := tenantVpc(ctx, t)
		if err != nil {
			r.Error("VPC "+t.Inv.VpcID, err, "DHCP options with ntp-servers 169.254.169.123")
			return
		}
		dhcp := aws.ToString(v.DhcpOptionsId)
		if dhcp == "" {
			r.Error("VPC "+t.Inv.VpcID, fmt.Errorf("the answer names no DHCP options set"), "DHCP options with ntp-servers 169.254.169.123")
			return
		}
		if dhcp == "default" {
			r.Fail("VPC "+t.Inv.VpcID, "DHCP options "+dhcp, "the tenant's options with ntp-servers 169.254.169.123")
			return
		}
		out, err := t.Clients.EC2.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{dhcp}})
		if err != nil {
			r.Error("DHCP options "+dhcp, err, "ntp-servers 169.254.169.123")
			return
		}
		for _, o := range out.DhcpOptions {
			if aws.ToString(o.DhcpOptionsId) != dhcp {
				continue
			}
			vals := map[string][]string{}
			for _, c := range o.DhcpConfigurations {
				for _, v := range c.Values {
					vals[aws.ToString(c.Key)] = append(vals[aws.ToString(c.Key)], aws.ToString(v.Value))
				}
			}
			switch {
			case !slices.Contains(vals["ntp-servers"], "169.254.169.123"):
				r.Fail("DHCP options "+dhcp, fmt.Sprint(vals["ntp-servers"]), "ntp-servers 169.254.169.123")
			case !slices.Contains(vals["domain-name-servers"], "AmazonProvidedDNS"):
				r.Fail("DHCP options "+dhcp, fmt.Sprint(vals["domain-name-servers"]), "AmazonProvidedDNS kept")
			default:
				r.Pass("DHCP options "+dhcp, "ntp-servers 169.254.169.123, AmazonProvidedDNS")
			}
			return
		}
		r.Error("DHCP options "+dhcp, fmt.Errorf("not found"), "ntp-servers 169.254.169.123")
	}})

var _ = register(Check{ID: "WP-20.2/nacls", Control: "WP-20.2", Title: "a network ACL on every subnet that denies 22 and 3389 first",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.EC2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: vpcFilter(t.Inv.VpcID)})
		if err != nil {
			r.Error("network ACLs of "+t.Inv.VpcID, err, "an ACL on every subnet")
			return
		}
		aclOf := map[string]ec2types.NetworkAcl{}
		for _, a := range out.NetworkAcls {
			if aws.ToString(a.VpcId) != t.Inv.VpcID {
				continue
			}
			for _, as := range a.Associations {
				aclOf[aws.ToString(as.SubnetId)] = a
			}
		}
		for _, s := range t.Inv.SubnetIDs {
			a, ok := aclOf[s]
			switch {
			case !ok:
				r.Fail("subnet "+s, "no network ACL of the tenant", "a tier ACL")
			case aws.ToBool(a.IsDefault):
				r.Fail("subnet "+s, "the default ACL "+aws.ToString(a.NetworkAclId)+" (allows all)", "the tier's deny-by-default ACL")
			default:
				if p := firstMatchAllows(a, 22, 3389); p != "" {
					r.Fail("network ACL "+aws.ToString(a.NetworkAclId), p, "the first entry for 22 and 3389 denies")
				} else {
					r.Pass("subnet "+s, "ACL "+aws.ToString(a.NetworkAclId))
				}
			}
		}
	}})

// firstMatchAllows names a port whose first matching inbound entry allows it.
func firstMatchAllows(a ec2types.NetworkAcl, ports ...int32) string {
	entries := slices.Clone(a.Entries)
	slices.SortFunc(entries, func(x, y ec2types.NetworkAclEntry) int {
		return int(aws.ToInt32(x.RuleNumber) - aws.ToInt32(y.RuleNumber))
	})
	for _, port := range ports {
		for _, e := range entries {
			if aws.ToBool(e.Egress) {
				continue
			}
			proto := aws.ToString(e.Protocol)
			if proto != "-1" && (e.PortRange == nil || port < aws.ToInt32(e.PortRange.From) || port > aws.ToInt32(e.PortRange.To)) {
				continue
			}
			if e.RuleAction == ec2types.RuleActionAllow {
				return fmt.Sprintf("entry %d allows %d", aws.ToInt32(e.RuleNumber), port)
			}
			break
		}
	}
	return ""
}

var _ = register(Check{ID: "WP-10/suspended", Control: "WP-10", Title: "a suspended tenant admits nothing from outside",
	Run: func(ctx context.Context, t *Target, r *Run) {
		if !t.Cfg.Suspended() {
			r.NA("tenant " + t.Cfg.Lifecycle.State + ": not offboarding")
			return
		}
		groups, ok := tenantGroups(ctx, t, r)
		if ok {
			vpc := netip.MustParsePrefix(t.Cfg.VpcCidr)
			for _, g := range groups {
				for _, p := range g.IpPermissions {
					for _, rg := range p.IpRanges {
						if q, err := netip.ParsePrefix(aws.ToString(rg.CidrIp)); err != nil || !vpc.Contains(q.Addr()) || q.Bits() < vpc.Bits() {
							r.Fail("security group "+aws.ToString(g.GroupId), "ingress "+perm(p), "nothing from outside "+t.Cfg.VpcCidr+" while suspended")
						}
					}
					if len(p.Ipv6Ranges) > 0 {
						r.Fail("security group "+aws.ToString(g.GroupId), "ingress "+perm(p), "nothing from outside the VPC while suspended")
					}
				}
			}
			r.Pass("security groups of "+t.Inv.Tenant, "checked for outside ingress")
		}
		listenersAnswer503(ctx, t, r)
	}})
