package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

var _ = register(Check{ID: "WP-20.2/protocols", Control: "WP-20.2", Title: "no all-protocol ingress",
	Run: func(ctx context.Context, t *Target, r *Run) {
		judgeIngress(ctx, t, r, "tcp on single ports only, no all-protocol rule", func(p ec2types.IpPermission) []string {
			if aws.ToString(p.IpProtocol) == "-1" {
				return []string{"tcp on single ports only"}
			}
			return nil
		})
	}})

var _ = register(Check{ID: "WP-20.2/nacls", Control: "WP-20.2", Title: "a network ACL on every subnet that denies 22 and 3389 first",
	Run: func(ctx context.Context, t *Target, r *Run) {
		acls, err := collectPages("ec2:DescribeNetworkAcls", func(tok *string) ([]ec2types.NetworkAcl, *string, error) {
			out, err := t.Clients.EC2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: vpcFilter(t.Inv.VpcID), NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.NetworkAcls, out.NextToken, nil
		})
		if err != nil {
			r.Error("network ACLs of "+t.Inv.VpcID, err, "an ACL on every subnet")
			return
		}
		aclOf := map[string]ec2types.NetworkAcl{}
		for _, a := range acls {
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
					r.Pass("subnet "+s, "ACL "+aws.ToString(a.NetworkAclId)+": "+inboundRead(a), "a tier ACL that denies 22 and 3389 from every source ahead of any allow")
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

// inboundRead lists an ACL's inbound entries in rule order, as read.
func inboundRead(a ec2types.NetworkAcl) string {
	entries := slices.Clone(a.Entries)
	slices.SortFunc(entries, func(x, y ec2types.NetworkAclEntry) int {
		return int(aws.ToInt32(x.RuleNumber) - aws.ToInt32(y.RuleNumber))
	})
	var out []string
	for _, e := range entries {
		if aws.ToBool(e.Egress) {
			continue
		}
		ports := "all"
		if e.PortRange != nil {
			ports = fmt.Sprintf("%d-%d", aws.ToInt32(e.PortRange.From), aws.ToInt32(e.PortRange.To))
		}
		out = append(out, fmt.Sprintf("%d %s %s %s %s", aws.ToInt32(e.RuleNumber), strings.ToLower(string(e.RuleAction)), aws.ToString(e.Protocol), ports, aws.ToString(e.CidrBlock)+aws.ToString(e.Ipv6CidrBlock)))
	}
	return "inbound " + strings.Join(out, ", ")
}
