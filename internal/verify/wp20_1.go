package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

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
				_, want := allowed(role, ec2types.IpPermission{})
				r.Pass(sgRes(t, g), rulesRead(g.IpPermissions)+"; no all-traffic egress", "ingress "+want+" only")
			}
		}
	}})
