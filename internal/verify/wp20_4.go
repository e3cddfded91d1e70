package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/expect"
)

// runningTemplate reads the launch template and version the auto scaling
// group actually launches from: its LaunchTemplate, or the one in its
// mixed-instances policy ("$Latest", "$Default" or a number).
func runningTemplate(ctx context.Context, t *Target) (id, version string, err error) {
	g, err := tenantGroup(ctx, t)
	if err != nil {
		return "", "", err
	}
	spec := g.LaunchTemplate
	if spec == nil && g.MixedInstancesPolicy != nil && g.MixedInstancesPolicy.LaunchTemplate != nil {
		spec = g.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
	}
	if spec == nil {
		return "", "", fmt.Errorf("group %s launches from no launch template", t.Inv.AutoScalingGroup)
	}
	version = aws.ToString(spec.Version)
	if version == "" {
		version = "$Default" // Auto Scaling's default when none is given
	}
	return aws.ToString(spec.LaunchTemplateId), version, nil
}

var _ = register(Check{ID: "WP-20.4/launch-template", Control: "WP-20.4", Title: "the version the group launches: IMDSv2, volumes under the tenant key, no public IP",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res, d, ok := runningVersion(ctx, t, r, "the version the auto scaling group launches, hardened")
		if !ok {
			return
		}
		if d.MetadataOptions == nil || string(d.MetadataOptions.HttpTokens) != expect.IMDS.HttpTokens {
			r.Fail(res, fieldOf(d, "MetadataOptions.HttpTokens"), "IMDSv2: HttpTokens required")
			return
		}
		if hop := aws.ToInt32(d.MetadataOptions.HttpPutResponseHopLimit); hop != expect.IMDS.HopLimit {
			r.Fail(res, fmt.Sprintf("IMDS hop limit %d", hop), fmt.Sprintf("IMDS hop limit %d (no container reaches the instance's credentials)", expect.IMDS.HopLimit))
			return
		}
		for _, ni := range d.NetworkInterfaces {
			if aws.ToBool(ni.AssociatePublicIpAddress) {
				r.Fail(res, fieldOf(ni, "AssociatePublicIpAddress"), "no public IP")
				return
			}
		}
		if len(d.BlockDeviceMappings) == 0 {
			r.Fail(res, fieldOf(d, "BlockDeviceMappings"), "the root volume encrypted with the tenant key")
			return
		}
		for _, b := range d.BlockDeviceMappings {
			if b.Ebs == nil || !aws.ToBool(b.Ebs.Encrypted) {
				r.Fail(res, aws.ToString(b.DeviceName)+" not encrypted", "encrypted with "+t.Inv.KeyArn)
				return
			}
			if ok, err := sameKey(ctx, t, aws.ToString(b.Ebs.KmsKeyId), t.Inv.KeyArn); err != nil {
				r.Error(res, fmt.Errorf("resolve key %q: %w", aws.ToString(b.Ebs.KmsKeyId), err), "encrypted with "+t.Inv.KeyArn)
				return
			} else if !ok {
				r.Fail(res, aws.ToString(b.DeviceName)+" under key "+aws.ToString(b.Ebs.KmsKeyId), "encrypted with "+t.Inv.KeyArn)
				return
			}
		}
		profile := expect.InstanceProfileArn(t.Inv.AccountID, t.Inv.Tenant)
		switch {
		case d.IamInstanceProfile == nil:
			r.Fail(res, fieldOf(d, "IamInstanceProfile"), "the tenant's instance profile "+profile)
			return
		case aws.ToString(d.IamInstanceProfile.Arn) != profile && aws.ToString(d.IamInstanceProfile.Name) != expect.InstanceRoleName(t.Inv.Tenant):
			r.Fail(res, "instance profile "+aws.ToString(d.IamInstanceProfile.Arn)+aws.ToString(d.IamInstanceProfile.Name), "the tenant's instance profile "+profile)
			return
		}
		var devices []string
		for _, b := range d.BlockDeviceMappings {
			devices = append(devices, aws.ToString(b.DeviceName)+" encrypted under "+aws.ToString(b.Ebs.KmsKeyId))
		}
		r.Pass(res, fmt.Sprintf("HttpTokens %s, hop limit %d, public IP %v, %s, profile %s", d.MetadataOptions.HttpTokens, aws.ToInt32(d.MetadataOptions.HttpPutResponseHopLimit), publicIP(d), strings.Join(devices, ", "), aws.ToString(d.IamInstanceProfile.Arn)+aws.ToString(d.IamInstanceProfile.Name)),
			"HttpTokens required, hop limit 1, no public IP, every volume encrypted with "+t.Inv.KeyArn+", profile "+profile)
	}})

// Subnets that map public IPs on launch give every instance launched into
// them a public address unless its launch template says otherwise.
var _ = register(Check{ID: "WP-20.4/subnets", Control: "WP-20.4", Title: "no subnet of the VPC maps public IPs on launch",
	Run: func(ctx context.Context, t *Target, r *Run) {
		var subnets []ec2types.Subnet
		err := allPages("ec2:DescribeSubnets", func(tok *string) (*string, error) {
			page, err := t.Clients.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: vpcFilter(t.Inv.VpcID), NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, s := range page.Subnets {
				if aws.ToString(s.VpcId) == t.Inv.VpcID {
					subnets = append(subnets, s)
				}
			}
			return page.NextToken, nil
		})
		if err != nil {
			r.Error("subnets of "+t.Inv.VpcID, err, "no public IPs mapped on launch")
			return
		}
		if len(subnets) == 0 {
			r.Error("subnets of "+t.Inv.VpcID, fmt.Errorf("none found"), "no public IPs mapped on launch")
			return
		}
		for _, s := range subnets {
			res := "subnet " + aws.ToString(s.SubnetId)
			if s.MapPublicIpOnLaunch == nil {
				r.Error(res, fmt.Errorf("the answer has no MapPublicIpOnLaunch"), "no public IPs mapped on launch")
			} else if *s.MapPublicIpOnLaunch {
				r.Fail(res, fieldOf(s, "MapPublicIpOnLaunch"), "MapPublicIpOnLaunch false")
			} else {
				r.Pass(res, fieldOf(s, "MapPublicIpOnLaunch"), "MapPublicIpOnLaunch false")
			}
		}
	}})

var _ = register(Check{ID: "WP-20.4/ebs-default", Control: "WP-20.4", Title: "EBS encryption by default on in the account",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := accountWide(t, "ebs-default", func() (*ec2.GetEbsEncryptionByDefaultOutput, error) {
			return t.Clients.EC2.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		})
		if err != nil {
			r.Error("account EBS settings", err, "encryption by default on")
			return
		}
		if !aws.ToBool(out.EbsEncryptionByDefault) {
			r.Fail("account EBS settings", fieldOf(out, "EbsEncryptionByDefault"), "EbsEncryptionByDefault true (account baseline)")
		} else {
			r.Pass("account EBS settings", fieldOf(out, "EbsEncryptionByDefault"), "EbsEncryptionByDefault true (account baseline)")
		}
	}})

// publicIP: some network interface of the version associates a public IP.
func publicIP(d *ec2types.ResponseLaunchTemplateData) bool {
	for _, ni := range d.NetworkInterfaces {
		if aws.ToBool(ni.AssociatePublicIpAddress) {
			return true
		}
	}
	return false
}
