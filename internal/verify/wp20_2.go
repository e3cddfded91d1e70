package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-20.2/protocols", Control: "WP-20.2", Title: "no all-protocol ingress",
	Run: func(ctx context.Context, t *Target, r *Run) {
		judgeIngress(ctx, t, r, "tcp on single ports only, no all-protocol rule", func(p ec2types.IpPermission) []string {
			if expect.AllProtocols(aws.ToString(p.IpProtocol)) {
				return []string{"tcp on single ports only"}
			}
			return nil
		})
	}})

var _ = register(Check{ID: "WP-20.2/nacls", Control: "WP-20.2", Title: "a network ACL on every subnet that denies 22 and 3389 first (3389 inside a load balancer's or NAT's return range excepted)",
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
		holders, err := returnSubnets(ctx, t)
		if err != nil {
			r.Error("subnets of the load balancer and NAT gateways", err, "the tiers whose ACL carries their return path")
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
				r.Fail("subnet "+s, notAmong(len(aclOf), "subnets associated with an ACL of the VPC", "DescribeNetworkAcls"), "a tier ACL")
			case aws.ToBool(a.IsDefault):
				r.Fail("subnet "+s, "the default ACL "+aws.ToString(a.NetworkAclId)+" (allows all)", "the tier's deny-by-default ACL")
			default:
				if p := expect.NaclProblem(naclEntriesOf(a), returnTier(a, holders)); p != "" {
					r.Fail("network ACL "+aws.ToString(a.NetworkAclId), p, "22 and 3389 denied from every source ahead of any allow, for IPv4 and IPv6; no allow of every protocol")
				} else {
					r.Pass("subnet "+s, "ACL "+aws.ToString(a.NetworkAclId)+": "+inboundRead(a), "a tier ACL that denies 22 and 3389 from every source ahead of any allow")
				}
			}
		}
	}})

// naclEntriesOf reads an ACL's entries as the judges compare them
// (expect.NaclEntry, the plan rule's shape too).
func naclEntriesOf(a ec2types.NetworkAcl) []expect.NaclEntry {
	var out []expect.NaclEntry
	for _, e := range a.Entries {
		n := expect.NaclEntry{Number: aws.ToInt32(e.RuleNumber), Egress: aws.ToBool(e.Egress),
			Allow: strings.EqualFold(string(e.RuleAction), string(ec2types.RuleActionAllow)), Protocol: aws.ToString(e.Protocol),
			Cidr: aws.ToString(e.CidrBlock) + aws.ToString(e.Ipv6CidrBlock)}
		if e.PortRange != nil {
			n.From, n.To = aws.ToInt32(e.PortRange.From), aws.ToInt32(e.PortRange.To)
		}
		out = append(out, n)
	}
	return out
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

// returnSubnets are the subnets that hold the tenant's load balancer or a
// NAT gateway of its VPC, read from AWS: their ACLs carry the ephemeral
// return path (expect.NaclProblem's returns).
func returnSubnets(ctx context.Context, t *Target) (map[string]bool, error) {
	out := map[string]bool{}
	lbs, err := t.Clients.ELB.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{t.Inv.LoadBalancerArn}})
	if err != nil {
		return nil, err
	}
	for _, lb := range lbs.LoadBalancers {
		for _, z := range lb.AvailabilityZones {
			out[aws.ToString(z.SubnetId)] = true
		}
	}
	nats, err := natGateways(ctx, t)
	for _, g := range nats {
		out[aws.ToString(g.SubnetId)] = true
	}
	return out, err
}

// returnTier: the ACL is associated with a subnet that holds a load
// balancer or NAT gateway.
func returnTier(a ec2types.NetworkAcl, holders map[string]bool) bool {
	for _, as := range a.Associations {
		if holders[aws.ToString(as.SubnetId)] {
			return true
		}
	}
	return false
}
