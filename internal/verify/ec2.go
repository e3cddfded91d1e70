package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/expect"
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
		err := allPages("ec2:DescribeSecurityGroups", func(token *string) (*string, error) {
			page, err := t.Clients.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: vpcFilter(t.Inv.VpcID), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, g := range page.SecurityGroups {
				if aws.ToString(g.VpcId) == t.Inv.VpcID {
					out.mine = append(out.mine, g)
				} else if groupRole(t, aws.ToString(g.GroupId)) != notInventoried {
					out.elsewhere = append(out.elsewhere, g)
				}
			}
			return page.NextToken, nil
		})
		return out, err
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

// judgeIngress runs a verdict on every ingress rule of the tenant's groups:
// bad returns what was expected instead, or nothing for a rule that is
// fine. A group that passes is reported with every rule it holds, against
// expected.
func judgeIngress(ctx context.Context, t *Target, r *Run, expected string, bad func(p ec2types.IpPermission) []string) {
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
			r.Pass(sgRes(t, g), rulesRead(g.IpPermissions), expected)
		}
	}
}

// tenantVpc reads the tenant's VPC once for every check, matched by id
// client-side; a VPC the answer does not hold is an error (ERROR, not PASS).
func tenantVpc(ctx context.Context, t *Target) (ec2types.Vpc, error) {
	return cached(t, "vpc", func() (ec2types.Vpc, error) {
		var found *ec2types.Vpc
		err := allPages("ec2:DescribeVpcs", func(token *string) (*string, error) {
			out, err := t.Clients.EC2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{t.Inv.VpcID}, NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, v := range out.Vpcs {
				if aws.ToString(v.VpcId) == t.Inv.VpcID {
					found = &v
				}
			}
			return out.NextToken, nil
		})
		switch {
		case err != nil:
			return ec2types.Vpc{}, err
		case found == nil:
			return ec2types.Vpc{}, fmt.Errorf("VPC %s not found", t.Inv.VpcID)
		}
		return *found, nil
	})
}

// rulesRead lists a group's rules as read ("no ingress" when none).
func rulesRead(ps []ec2types.IpPermission) string {
	if len(ps) == 0 {
		return "no ingress"
	}
	var out []string
	for _, p := range ps {
		out = append(out, perm(p))
	}
	return "ingress " + strings.Join(out, "; ")
}

// ingressOf reads a rule as the judges compare rules (expect.Ingress, the
// plan rules' shape too): groups named by their tier in the inventory.
func ingressOf(t *Target, p ec2types.IpPermission) expect.Ingress {
	i := expect.Ingress{Protocol: aws.ToString(p.IpProtocol), From: aws.ToInt32(p.FromPort), To: aws.ToInt32(p.ToPort)}
	for _, r := range p.IpRanges {
		i.Cidrs = append(i.Cidrs, aws.ToString(r.CidrIp))
	}
	for _, r := range p.Ipv6Ranges {
		i.Cidrs = append(i.Cidrs, aws.ToString(r.CidrIpv6))
	}
	for _, g := range p.UserIdGroupPairs {
		role := groupRole(t, aws.ToString(g.GroupId))
		if role == notInventoried || (aws.ToString(g.UserId) != "" && aws.ToString(g.UserId) != t.Inv.AccountID) {
			role = "a group outside the tenant's"
		}
		i.Groups = append(i.Groups, role)
	}
	for _, pl := range p.PrefixListIds {
		i.PrefixLists = append(i.PrefixLists, aws.ToString(pl.PrefixListId))
	}
	return i
}
