package verify

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

var _ = register(Check{ID: "WP-10/suspended", Control: "WP-10", Title: "a suspended tenant admits nothing from outside",
	Run: func(ctx context.Context, t *Target, r *Run) {
		// A §10 deadline already missed is a finding whatever AWS shows.
		if d, err := lifecycle.DueOn(t.Cfg, t.today()); err == nil && d.Missed != "" {
			r.Fail("tenant "+t.Inv.Tenant, d.Missed, "suspension the day after cancellation, deletion within 30 days (§10)")
		}
		if !t.Cfg.Suspended() {
			if t.Cfg.Lifecycle.CancelledOn != "" {
				r.NA("tenant "+t.Cfg.Lifecycle.State+": cancelled on "+t.Cfg.Lifecycle.CancelledOn+", suspension due on "+t.Cfg.Lifecycle.SuspendOn,
					"解約済み（"+t.Cfg.Lifecycle.CancelledOn+"）、停止期限 "+t.Cfg.Lifecycle.SuspendOn+" の前")
			} else {
				r.NA("tenant "+t.Cfg.Lifecycle.State+": not offboarding", "解約の手続き中ではない")
			}
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
				r.Pass(fmt.Sprintf("%d security groups of %s", len(groups), t.Inv.VpcID), "every ingress from inside "+t.Cfg.VpcCidr, "nothing from outside "+t.Cfg.VpcCidr+" while suspended")
			}
		}
		listenersAnswer503(ctx, t, r)
	}})

func listenersAnswer503(ctx context.Context, t *Target, r *Run) {
	ls, err := listeners(ctx, t)
	if err != nil {
		r.Error("load balancer "+t.Inv.LoadBalancerArn, err, "listeners answering 503")
		return
	}
	for _, l := range ls {
		res := fmt.Sprintf("listener %s:%d", l.Protocol, aws.ToInt32(l.Port))
		if len(l.DefaultActions) == 1 && l.DefaultActions[0].Type == elbtypes.ActionTypeEnumFixedResponse && l.DefaultActions[0].FixedResponseConfig != nil && aws.ToString(l.DefaultActions[0].FixedResponseConfig.StatusCode) == "503" {
			r.Pass(res, "fixed response "+aws.ToString(l.DefaultActions[0].FixedResponseConfig.StatusCode), "a fixed 503 while suspended")
		} else {
			r.Fail(res, "default action "+actionsOf(l.DefaultActions), "a fixed 503 while suspended")
		}
	}
}

// actionsOf names a listener's default actions as read.
func actionsOf(as []elbtypes.Action) string {
	var out []string
	for _, a := range as {
		s := string(a.Type)
		switch {
		case a.FixedResponseConfig != nil:
			s += " " + aws.ToString(a.FixedResponseConfig.StatusCode)
		case a.RedirectConfig != nil:
			s += fmt.Sprintf(" %s:%s %s", aws.ToString(a.RedirectConfig.Protocol), aws.ToString(a.RedirectConfig.Port), a.RedirectConfig.StatusCode)
		case a.TargetGroupArn != nil:
			s += " " + aws.ToString(a.TargetGroupArn)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
