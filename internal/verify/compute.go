package verify

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/tenantkit/tenantkit/internal/expect"
)

// readTrail finds the trail that must cover the tenant by its name among
// the trails this region sees, shadow copies of other regions'
// multi-region trails included (CloudTrail API reference, DescribeTrails:
// names match only the current region's trails, so the list is read
// whole). Its ARN and home region come from the answer: an Osaka tenant's
// shared trail is homed in Tokyo.
func readTrail(ctx context.Context, t *Target) (*cttypes.Trail, error) {
	name := t.Inv.Trail.Arn[strings.LastIndex(t.Inv.Trail.Arn, "/")+1:]
	return cached(t, "trail", func() (*cttypes.Trail, error) {
		out, err := t.Clients.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
		if err != nil {
			return nil, err
		}
		for _, tr := range out.TrailList {
			arn := aws.ToString(tr.TrailARN)
			if aws.ToString(tr.Name) == name && arnAccount(arn) == t.Inv.AccountID {
				return &tr, nil
			}
		}
		return nil, fmt.Errorf("no trail named %s in account %s seen from %s", name, t.Inv.AccountID, t.Inv.Region)
	})
}

func arnAccount(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 5 {
		return ""
	}
	return parts[4]
}

func listeners(ctx context.Context, t *Target) ([]elbtypes.Listener, error) {
	return cached(t, "listeners", func() ([]elbtypes.Listener, error) {
		var mine []elbtypes.Listener
		err := allPages("elasticloadbalancing:DescribeListeners", func(marker *string) (*string, error) {
			out, err := t.Clients.ELB.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(t.Inv.LoadBalancerArn), Marker: marker})
			if err != nil {
				return nil, err
			}
			for _, l := range out.Listeners {
				if aws.ToString(l.LoadBalancerArn) == t.Inv.LoadBalancerArn {
					mine = append(mine, l)
				}
			}
			return out.NextMarker, nil
		})
		if err != nil {
			return nil, err
		}
		if len(mine) == 0 {
			return nil, fmt.Errorf("no listener on %s", t.Inv.LoadBalancerArn)
		}
		return mine, nil
	})
}

// database reads the tenant's instance once for every check, with the
// label the checks report it under; ok is false when the check is done
// (N/A when the stack declares no database, ERROR when it cannot be read).
// The stack file says whether a database is expected, never the inventory
// (an inventory that disagrees is WP-11/stack-inventory's finding); the
// instance is the one the program names.
func database(ctx context.Context, t *Target, r *Run, expected string) (db *rdsInstance, res string, ok bool) {
	id := expect.DatabaseIdentifier(t.Cfg.TenantID)
	res = "database " + id
	if !t.Cfg.Database.Enabled {
		r.NA("the stack declares no database", "スタックがデータベースを宣言していない")
		return nil, res, false
	}
	db, err := cached(t, "db", func() (*rdsInstance, error) {
		var found *rdsInstance
		err := allPages("rds:DescribeDBInstances", func(marker *string) (*string, error) {
			out, err := t.Clients.RDS.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id), Marker: marker})
			if err != nil {
				return nil, err
			}
			for _, d := range out.DBInstances {
				if aws.ToString(d.DBInstanceIdentifier) == id {
					found = &rdsInstance{d}
				}
			}
			return out.Marker, nil
		})
		if err == nil && found == nil {
			err = fmt.Errorf("not found")
		}
		return found, err
	})
	if err != nil {
		r.Error(res, err, expected)
		return nil, res, false
	}
	return db, res, true
}

// rdsInstance wraps the SDK's instance type for the memo.
type rdsInstance struct{ rdstypes.DBInstance }

// tenantGroup is the tenant's auto scaling group, read once per run (all
// pages, the name re-checked).
func tenantGroup(ctx context.Context, t *Target) (astypes.AutoScalingGroup, error) {
	return cached(t, "asg", func() (astypes.AutoScalingGroup, error) {
		var found *astypes.AutoScalingGroup
		err := allPages("autoscaling:DescribeAutoScalingGroups", func(tok *string) (*string, error) {
			out, err := t.Clients.AutoScaling.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{t.Inv.AutoScalingGroup}, NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, g := range out.AutoScalingGroups {
				if aws.ToString(g.AutoScalingGroupName) == t.Inv.AutoScalingGroup {
					found = &g
				}
			}
			return out.NextToken, nil
		})
		switch {
		case err != nil:
			return astypes.AutoScalingGroup{}, err
		case found == nil:
			return astypes.AutoScalingGroup{}, fmt.Errorf("auto scaling group %s not found", t.Inv.AutoScalingGroup)
		}
		return *found, nil
	})
}

// templateVersion is the data of one version of the tenant's launch
// template, read once per run (the running version: WP-20.4, WP-20.5).
func templateVersion(ctx context.Context, t *Target, version string) (*ec2types.ResponseLaunchTemplateData, error) {
	return cached(t, "lt/"+version, func() (*ec2types.ResponseLaunchTemplateData, error) {
		versions, err := collectPages("ec2:DescribeLaunchTemplateVersions", func(tok *string) ([]ec2types.LaunchTemplateVersion, *string, error) {
			out, err := t.Clients.EC2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(t.Inv.LaunchTemplate), Versions: []string{version}, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.LaunchTemplateVersions, out.NextToken, nil
		})
		if err != nil {
			return nil, err
		}
		if len(versions) == 0 || versions[0].LaunchTemplateData == nil {
			return nil, fmt.Errorf("no version returned")
		}
		return versions[0].LaunchTemplateData, nil
	})
}

// runningVersion reads the launch template version the tenant's group
// launches (WP-20.4, WP-20.5, WP-28): its label for the report and its
// data. When it cannot, it records why against expected (a group launching
// another template is a finding, a failed read an error) and ok is false.
func runningVersion(ctx context.Context, t *Target, r *Run, expected string) (res string, d *ec2types.ResponseLaunchTemplateData, ok bool) {
	res = "launch template " + t.Inv.LaunchTemplate
	id, version, err := runningTemplate(ctx, t)
	if err != nil {
		r.Error(res, err, expected)
		return res, nil, false
	}
	if id != "" && id != t.Inv.LaunchTemplate {
		r.Fail("auto scaling group "+t.Inv.AutoScalingGroup, "launches from "+id, "the tenant's launch template "+t.Inv.LaunchTemplate)
		return res, nil, false
	}
	res += " version " + version
	d, err = templateVersion(ctx, t, version)
	if err != nil {
		r.Error(res, err, expected)
		return res, nil, false
	}
	return res, d, true
}

// bootstrap is a launch template version's user data, decoded ("" when it
// has none or it is not base64).
func bootstrap(d *ec2types.ResponseLaunchTemplateData) string {
	if d == nil {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(aws.ToString(d.UserData))
	if err != nil {
		return ""
	}
	return string(b)
}

// unreadableBootstrap says what the template's user data was when
// bootstrap could not read it: absent, or its length and why it is not
// base64.
func unreadableBootstrap(d *ec2types.ResponseLaunchTemplateData) string {
	if d == nil || d.UserData == nil {
		return "UserData absent"
	}
	if _, err := base64.StdEncoding.DecodeString(*d.UserData); err != nil {
		return fmt.Sprintf("UserData of %d characters, not base64 (%v)", len(*d.UserData), err)
	}
	return fmt.Sprintf("UserData of %d characters, empty when decoded", len(*d.UserData))
}

// linesNaming are the bootstrap's lines holding any of the words, as
// read (the first few), or how many lines held none.
func linesNaming(ud string, words ...string) string {
	var found []string
	lines := strings.Split(ud, "\n")
	for _, l := range lines {
		for _, w := range words {
			if strings.Contains(l, w) {
				found = append(found, strconv.Quote(strings.TrimSpace(l)))
				break
			}
		}
	}
	if len(found) == 0 {
		return fmt.Sprintf("none of %d lines names %s", len(lines), strings.Join(words, ", "))
	}
	if len(found) > 6 {
		found = append(found[:6], fmt.Sprintf("(+%d)", len(found)-6))
	}
	return strings.Join(found, "; ")
}

// instanceVolumes are the volumes attached to the group's instances, read
// once per run by attachment (never by tag: a volume that lost its tags
// must still be judged). A group without instances has none.
func instanceVolumes(ctx context.Context, t *Target) ([]ec2types.Volume, error) {
	return cached(t, "volumes", func() ([]ec2types.Volume, error) {
		g, err := tenantGroup(ctx, t)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, in := range g.Instances {
			ids = append(ids, aws.ToString(in.InstanceId))
		}
		if len(ids) == 0 {
			return nil, nil
		}
		var out []ec2types.Volume
		err = allPages("ec2:DescribeVolumes", func(tok *string) (*string, error) {
			page, err := t.Clients.EC2.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.instance-id"), Values: ids}}, NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, v := range page.Volumes {
				for _, a := range v.Attachments {
					if slices.Contains(ids, aws.ToString(a.InstanceId)) { // the filter re-checked
						out = append(out, v)
						break
					}
				}
			}
			return page.NextToken, nil
		})
		return out, err
	})
}

// volumeRes names a volume and where it is attached.
func volumeRes(v ec2types.Volume) string {
	s := "volume " + aws.ToString(v.VolumeId)
	for _, a := range v.Attachments {
		s += fmt.Sprintf(" (%s on %s)", aws.ToString(a.Device), aws.ToString(a.InstanceId))
	}
	return s
}
