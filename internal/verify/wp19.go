package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

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
			r.Pass("VPC "+t.Inv.VpcID, fmt.Sprintf("%s, Tenant=%s", aws.ToString(v.CidrBlock), tagValue(v.Tags, "Tenant")), fmt.Sprintf("%s, Tenant=%s", t.Inv.VpcCidr, t.Inv.Tenant))
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
				r.Pass("default security group "+aws.ToString(g.GroupId), fmt.Sprintf("%d rules", n), "no rules")
			}
			return
		}
		r.Error("default security group of "+t.Inv.VpcID, fmt.Errorf("not found"), "the VPC's default group, emptied")
	}})

func tagValue(tags []ec2types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}
