package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/tenantkit/tenantkit/internal/expect"
)

// WP-20.1: every ingress rule is one of the tier matrix; anything else FAILs.
var _ = register(Check{ID: "WP-20.1/tier-matrix", Control: "WP-20.1", Title: "ingress matches the tier matrix",
	Run: func(ctx context.Context, t *Target, r *Run) {
		groups, ok := vpcGroups(ctx, t, r)
		if !ok {
			return
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
				if ok, want := expect.TierAllows(role, ingressOf(t, p), t.Cfg); !ok {
					r.Fail(sgRes(t, g), "ingress "+perm(p), want)
					bad = true
				}
			}
			for _, p := range g.IpPermissionsEgress {
				if why := expect.EgressProblem(aws.ToString(p.IpProtocol), aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort)); why != "" {
					r.Fail(sgRes(t, g), why+": egress "+perm(p), "egress limited to what the tier needs: single named ports")
					bad = true
				}
			}
			if !bad {
				_, want := expect.TierAllows(role, expect.Ingress{}, t.Cfg)
				r.Pass(sgRes(t, g), rulesRead(g.IpPermissions)+"; no all-traffic egress", "ingress "+want+" only")
			}
		}
	}})
