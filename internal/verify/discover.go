package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// Finder is what discovery reads beyond the checks' clients.
type Finder struct {
	// Account, when known (the session asked sts:GetCallerIdentity once
	// for the cell), spares each tenant the question; else STS answers it.
	Account string
	STS     STS
	EC2     finderEC2
	ELB     finderELB
	KMS     keyDescriber
}

type finderEC2 interface {
	DescribeVpcs(context.Context, *ec2.DescribeVpcsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeSecurityGroups(context.Context, *ec2.DescribeSecurityGroupsInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeVpcEndpoints(context.Context, *ec2.DescribeVpcEndpointsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error)
	DescribeLaunchTemplates(context.Context, *ec2.DescribeLaunchTemplatesInput, ...func(*ec2.Options)) (*ec2.DescribeLaunchTemplatesOutput, error)
}

type finderELB interface {
	DescribeLoadBalancers(context.Context, *elbv2.DescribeLoadBalancersInput, ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)
}

func tagged(tags []ec2types.Tag, tenant string) bool { return tagValue(tags, "Tenant") == tenant }

// Discover builds the inventory from the account: the VPC, groups, subnets
// and endpoint by the Tenant tag (re-checked on every result, whatever the
// filter did), the rest by the names the components give (tk-<tenant>-...).
// It needs the stack config for the classifications and the trail mode.
func Discover(ctx context.Context, f *Finder, cfg *config.Tenant) (*Inventory, error) {
	acct := f.Account
	if acct == "" {
		id, err := f.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return nil, fmt.Errorf("discover: who am I: %w", err)
		}
		acct = aws.ToString(id.Account)
	}
	if acct == "" {
		return nil, fmt.Errorf("discover: who am I: the answer names no account")
	}
	inv := &Inventory{Schema: InventorySchema, Tenant: cfg.TenantID, Region: cfg.Region, AccountID: acct, State: cfg.Lifecycle.State, VpcCidr: cfg.VpcCidr}
	tag := []ec2types.Filter{{Name: aws.String("tag:Tenant"), Values: []string{cfg.TenantID}}}
	vpcs, err := collectPages("ec2:DescribeVpcs", func(tok *string) ([]ec2types.Vpc, *string, error) {
		out, err := f.EC2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: tag, NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return out.Vpcs, out.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover: VPCs: %w", err)
	}
	for _, v := range vpcs {
		if tagged(v.Tags, cfg.TenantID) {
			if inv.VpcID != "" {
				return nil, fmt.Errorf("discover: two VPCs tagged Tenant=%s (%s, %s)", cfg.TenantID, inv.VpcID, aws.ToString(v.VpcId))
			}
			inv.VpcID = aws.ToString(v.VpcId)
		}
	}
	if inv.VpcID == "" {
		return nil, fmt.Errorf("discover: no VPC tagged Tenant=%s", cfg.TenantID)
	}
	sgs, err := collectPages("ec2:DescribeSecurityGroups", func(tok *string) ([]ec2types.SecurityGroup, *string, error) {
		out, err := f.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: vpcFilter(inv.VpcID), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return out.SecurityGroups, out.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover: security groups: %w", err)
	}
	inv.SecurityGroups = map[string]string{}
	for _, g := range sgs {
		if aws.ToString(g.VpcId) == inv.VpcID && tagged(g.Tags, cfg.TenantID) {
			if tier := tagValue(g.Tags, "Tier"); tier != "" {
				inv.SecurityGroups[tier] = aws.ToString(g.GroupId)
			}
		}
	}
	subnets, err := collectPages("ec2:DescribeSubnets", func(tok *string) ([]ec2types.Subnet, *string, error) {
		out, err := f.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: vpcFilter(inv.VpcID), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return out.Subnets, out.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover: subnets: %w", err)
	}
	for _, s := range subnets {
		if aws.ToString(s.VpcId) == inv.VpcID {
			inv.SubnetIDs = append(inv.SubnetIDs, aws.ToString(s.SubnetId))
		}
	}
	// The S3 gateway endpoint, which the data buckets' policies name; an
	// interface endpoint for S3 may exist beside it. A failed read is an
	// error, not an endpoint-less tenant (WP-17 would FAIL on a guess).
	eps, err := collectPages("ec2:DescribeVpcEndpoints", func(tok *string) ([]ec2types.VpcEndpoint, *string, error) {
		out, err := f.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: vpcFilter(inv.VpcID), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return out.VpcEndpoints, out.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover: VPC endpoints: %w", err)
	}
	for _, e := range eps {
		if aws.ToString(e.VpcId) == inv.VpcID && strings.HasSuffix(aws.ToString(e.ServiceName), ".s3") &&
			strings.EqualFold(string(e.VpcEndpointType), string(ec2types.VpcEndpointTypeGateway)) {
			inv.S3EndpointID = aws.ToString(e.VpcEndpointId)
		}
	}
	if inv.S3EndpointID == "" {
		return nil, fmt.Errorf("discover: no S3 gateway endpoint in %s", inv.VpcID)
	}
	key, err := describeKey(ctx, f.KMS, config.KeyAlias(cfg.TenantID))
	if err != nil {
		return nil, fmt.Errorf("discover: key %s: %w", config.KeyAlias(cfg.TenantID), err)
	}
	inv.KeyArn = aws.ToString(key.Arn)
	archive, err := describeKey(ctx, f.KMS, config.BaselineKeyAlias)
	if err != nil {
		return nil, fmt.Errorf("discover: the baseline's key %s: %w", config.BaselineKeyAlias, err)
	}
	inv.ArchiveKeyArn = aws.ToString(archive.Arn)
	inv.Deployers = cfg.DeployerPrincipalArns
	// Without deployerPrincipalArns the program exempts the role behind the
	// deploy's caller (access.Deployers), unknown to a later reader.
	inv.DeployerFromCaller = len(cfg.DeployerPrincipalArns) == 0
	// Every physical name comes from the builder the component names it
	// with: one vocabulary for the program and for discovery.
	name := func(kind string) string { return expect.BucketName(cfg.TenantID, kind, acct) }
	inv.Buckets.Data = map[string]string{}
	for _, c := range cfg.DataClassifications {
		inv.Buckets.Data[c] = name(c)
		inv.Trail.Coverage = append(inv.Trail.Coverage, "arn:aws:s3:::"+name(c))
	}
	inv.Buckets.ServiceLogs, inv.Buckets.LogArchive = name(expect.RoleServiceLogs), name(expect.RoleLogArchive)
	inv.Trail.Mode = cfg.TrailMode
	inv.Trail.Arn = expect.TrailArn(cfg.Region, acct, expect.SharedTrailName)
	if cfg.TrailMode == "dedicated" {
		inv.Trail.Arn = expect.TrailArn(cfg.Region, acct, expect.TrailName(cfg.TenantID))
	}
	inv.FlowLogGroup = "/tenants/" + cfg.TenantID + "/vpc-flow-logs"
	inv.LogGroups = []string{inv.FlowLogGroup, expect.AppLogGroup(cfg.TenantID), config.HostLogGroup(cfg.TenantID), expect.TrailViewGroup(cfg.TenantID)}
	if cfg.Database.Enabled {
		inv.Database.Enabled, inv.Database.Identifier = true, expect.DatabaseIdentifier(cfg.TenantID)
		inv.Database.Arn = fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", cfg.Region, acct, inv.Database.Identifier)
		for _, l := range []string{"postgresql", "upgrade"} {
			inv.LogGroups = append(inv.LogGroups, "/aws/rds/instance/"+inv.Database.Identifier+"/"+l)
		}
	}
	lbName := config.LoadBalancerName(cfg.TenantID)
	lbs, err := collectPages("elasticloadbalancing:DescribeLoadBalancers", func(marker *string) ([]elbtypes.LoadBalancer, *string, error) {
		out, err := f.ELB.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{lbName}, Marker: marker})
		if err != nil {
			return nil, nil, err
		}
		return out.LoadBalancers, out.NextMarker, nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover: load balancer %s: %w", lbName, err)
	}
	for _, lb := range lbs {
		if aws.ToString(lb.LoadBalancerName) == lbName {
			inv.LoadBalancerArn = aws.ToString(lb.LoadBalancerArn)
		}
	}
	if lts, err := f.EC2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{expect.AutoScalingGroupName(cfg.TenantID)}}); err == nil {
		for _, lt := range lts.LaunchTemplates {
			inv.LaunchTemplate = aws.ToString(lt.LaunchTemplateId)
		}
	}
	inv.AutoScalingGroup = expect.AutoScalingGroupName(cfg.TenantID)
	inv.TopicArn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", cfg.Region, acct, expect.TopicName(cfg.TenantID))
	for _, a := range []string{"cpu", "memory", "disk"} {
		inv.Alarms = append(inv.Alarms, expect.AlarmName(cfg.TenantID, a))
	}
	inv.FindingsRule = expect.FindingsRuleName(cfg.TenantID)
	inv.Roles = map[string]string{
		"logAdmin":  config.TenantRoleArn(acct, cfg.TenantID, "log-admin"),
		"logReader": config.TenantRoleArn(acct, cfg.TenantID, "log-reader"),
	}
	return inv, nil
}
