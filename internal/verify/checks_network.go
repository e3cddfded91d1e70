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

// vpcGroups reads every security group of the tenant's VPC, all pages,
// and keeps those that really are in it (filters are not trusted). A group
// of the inventory that is not there is ERROR; a group nobody inventoried
// is returned too: the checks judge it.
func vpcGroups(ctx context.Context, t *Target, r *Run) ([]ec2types.SecurityGroup, bool) {
	type read struct{ mine, elsewhere []ec2types.SecurityGroup }
	got, err := cached(t, "sg", func() (read, error) {
		var out read
		p := ec2.NewDescribeSecurityGroupsPaginator(t.Clients.EC2, &ec2.DescribeSecurityGroupsInput{Filters: vpcFilter(t.Inv.VpcID)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out, err
			}
			for _, g := range page.SecurityGroups {
				if aws.ToString(g.VpcId) == t.Inv.VpcID {
					out.mine = append(out.mine, g)
				} else if groupRole(t, aws.ToString(g.GroupId)) != notInventoried {
					out.elsewhere = append(out.elsewhere, g)
				}
			}
		}
		return out, nil
	})
	if err != nil {
		r.Error("security groups of "+t.Inv.VpcID, err, "the tenant's security groups")
		return nil, false
	}
	groups := got.mine
	for _, g := range got.elsewhere {
		r.Fail(sgRes(t, g), "in VPC "+aws.ToString(g.VpcId), "in the tenant's VPC "+t.Inv.VpcID)
	}
	if len(groups) == 0 {
		r.Error("security groups of "+t.Inv.VpcID, fmt.Errorf("none found"), "the tenant's security groups")
		return nil, false
	}
	for _, k := range []string{"lb", "app", "db", "endpoints"} {
		id := t.Inv.SecurityGroups[k]
		if id == "" {
			r.Error("security groups of "+t.Inv.Tenant, fmt.Errorf("the inventory names no %s group", k), "the tenant's four groups")
			continue
		}
		inVpc := slices.ContainsFunc(groups, func(g ec2types.SecurityGroup) bool { return aws.ToString(g.GroupId) == id })
		elsewhere := slices.ContainsFunc(got.elsewhere, func(g ec2types.SecurityGroup) bool { return aws.ToString(g.GroupId) == id })
		if !inVpc && !elsewhere {
			r.Error("security group "+id, fmt.Errorf("not in VPC %s", t.Inv.VpcID), "the "+k+" group of the inventory")
		}
	}
	return groups, true
}

// notInventoried names a group the tenant's stack did not make.
const notInventoried = "not in the inventory"

func sgRes(t *Target, g ec2types.SecurityGroup) string {
	return fmt.Sprintf("security group %s (%s)", aws.ToString(g.GroupId), groupRole(t, aws.ToString(g.GroupId)))
}

func groupRole(t *Target, id string) string {
	for k, v := range t.Inv.SecurityGroups {
		if v == id {
			return k
		}
	}
	return notInventoried
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
	groups, ok := vpcGroups(ctx, t, r)
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
		groups, ok := vpcGroups(ctx, t, r)
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
			if role == notInventoried {
				if aws.ToString(g.GroupName) == "default" {
					continue // WP-19 requires it empty
				}
				// A group the stack did not make is outside the matrix,
				// whatever its rules.
				r.Fail(sgRes(t, g), fmt.Sprintf("a group outside the tenant's inventory (%d ingress rules)", len(g.IpPermissions)), "only the tenant's four tier groups in its VPC")
				continue
			}
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
		groups, ok := vpcGroups(ctx, t, r) // the VPC's groups, read once for four checks
		if !ok {
			return
		}
		for _, g := range groups {
			if aws.ToString(g.GroupName) != "default" {
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

var _ = register(Check{ID: "WP-27/flow-logs", Control: "WP-27", Title: "VPC flow log of ALL traffic, active",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.EC2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{t.Inv.VpcID}}}})
		if err != nil {
			r.Error("flow logs of "+t.Inv.VpcID, err, "a flow log of ALL traffic")
			return
		}
		var seen []string
		for _, f := range out.FlowLogs {
			if aws.ToString(f.ResourceId) != t.Inv.VpcID {
				continue
			}
			res := "flow log " + aws.ToString(f.FlowLogId)
			switch {
			case f.TrafficType != ec2types.TrafficTypeAll:
				seen = append(seen, res+": traffic "+string(f.TrafficType))
			case aws.ToString(f.FlowLogStatus) != "ACTIVE":
				seen = append(seen, res+": status "+aws.ToString(f.FlowLogStatus))
			case aws.ToString(f.LogGroupName) != t.Inv.FlowLogGroup:
				seen = append(seen, res+": to "+aws.ToString(f.LogGroupName))
			case aws.ToString(f.DeliverLogsStatus) != "SUCCESS":
				// FAILED: the role cannot write, or the group is gone
				// (EC2 API reference, FlowLog.DeliverLogsStatus).
				seen = append(seen, res+": delivery "+aws.ToString(f.DeliverLogsStatus)+" "+aws.ToString(f.DeliverLogsErrorMessage))
			default:
				r.Pass(res, "ALL, ACTIVE, delivering to "+t.Inv.FlowLogGroup)
				return
			}
		}
		observed := "no flow log"
		if len(seen) > 0 {
			observed = strings.Join(seen, "; ")
		}
		r.Fail("VPC "+t.Inv.VpcID, observed, "an active flow log of ALL traffic delivering to "+t.Inv.FlowLogGroup)
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
				if p := admitsFromSomewhere(a, 22, 3389); p != "" {
					r.Fail("network ACL "+aws.ToString(a.NetworkAclId), p, "22 and 3389 denied from every source ahead of any allow, for IPv4 and IPv6")
				} else {
					r.Pass("subnet "+s, "ACL "+aws.ToString(a.NetworkAclId))
				}
			}
		}
	}})

// admitsFromSomewhere walks the ACL's inbound entries in rule order, as
// AWS evaluates them, separately for IPv4 and IPv6 sources, and names the
// first allow that admits a port over TCP from some source before a deny
// covers that port from every source. A deny of a narrower range, or of
// another protocol, protects nothing for the rest (Amazon VPC user guide,
// "Network ACL rules": the lowest-numbered matching rule applies).
func admitsFromSomewhere(a ec2types.NetworkAcl, ports ...int32) string {
	entries := slices.Clone(a.Entries)
	slices.SortFunc(entries, func(x, y ec2types.NetworkAclEntry) int {
		return int(aws.ToInt32(x.RuleNumber) - aws.ToInt32(y.RuleNumber))
	})
	for _, family := range []string{"IPv4", "IPv6"} {
		for _, port := range ports {
			for _, e := range entries {
				if aws.ToBool(e.Egress) {
					continue
				}
				var cidr string
				if family == "IPv4" {
					cidr = aws.ToString(e.CidrBlock)
				} else {
					cidr = aws.ToString(e.Ipv6CidrBlock)
				}
				if cidr == "" {
					continue // an entry of the other family
				}
				proto := aws.ToString(e.Protocol)
				tcp := proto == "-1" || proto == "6" || strings.EqualFold(proto, "tcp")
				inRange := proto == "-1" || (e.PortRange != nil && aws.ToInt32(e.PortRange.From) <= port && port <= aws.ToInt32(e.PortRange.To))
				if !tcp || !inRange {
					continue
				}
				if strings.EqualFold(string(e.RuleAction), string(ec2types.RuleActionAllow)) {
					return fmt.Sprintf("%s entry %d allows %s tcp %d", family, aws.ToInt32(e.RuleNumber), cidr, port)
				}
				if cidr == "0.0.0.0/0" || cidr == "::/0" {
					break // denied from every source of this family
				}
			}
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
		groups, ok := vpcGroups(ctx, t, r)
		if ok {
			vpc, err := netip.ParsePrefix(t.Cfg.VpcCidr)
			if err != nil {
				r.Error("VPC "+t.Inv.VpcID, err, "the tenant's range")
				return
			}
			inVpc := func(g ec2types.UserIdGroupPair) bool {
				id := aws.ToString(g.GroupId)
				return (aws.ToString(g.VpcId) == "" || aws.ToString(g.VpcId) == t.Inv.VpcID) &&
					(aws.ToString(g.UserId) == "" || aws.ToString(g.UserId) == t.Inv.AccountID) &&
					slices.ContainsFunc(groups, func(x ec2types.SecurityGroup) bool { return aws.ToString(x.GroupId) == id })
			}
			outside := 0
			for _, g := range groups {
				for _, p := range g.IpPermissions {
					var srcs []string
					for _, rg := range p.IpRanges {
						if q, err := netip.ParsePrefix(aws.ToString(rg.CidrIp)); err != nil || !vpc.Contains(q.Addr()) || q.Bits() < vpc.Bits() {
							srcs = append(srcs, aws.ToString(rg.CidrIp))
						}
					}
					for _, rg := range p.Ipv6Ranges {
						srcs = append(srcs, aws.ToString(rg.CidrIpv6))
					}
					for _, pl := range p.PrefixListIds {
						srcs = append(srcs, "prefix list "+aws.ToString(pl.PrefixListId))
					}
					for _, gp := range p.UserIdGroupPairs {
						if !inVpc(gp) {
							srcs = append(srcs, fmt.Sprintf("group %s (VPC %s, account %s)", aws.ToString(gp.GroupId), aws.ToString(gp.VpcId), aws.ToString(gp.UserId)))
						}
					}
					for _, src := range srcs {
						outside++
						r.Fail(sgRes(t, g), "ingress "+perm(p)+" admits "+src, "nothing from outside "+t.Cfg.VpcCidr+" while suspended")
					}
				}
			}
			if outside == 0 {
				r.Pass(fmt.Sprintf("%d security groups of %s", len(groups), t.Inv.VpcID), "no ingress from outside the VPC")
			}
		}
		listenersAnswer503(ctx, t, r)
	}})
