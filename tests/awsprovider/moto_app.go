package awsprovider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SNS, EventBridge, ELBv2, Auto Scaling, RDS, CloudTrail, GuardDuty, SSM
// documents and parameters and Step Functions, as terraform-provider-aws
// calls them (file named per type).

func snsTopicAttrs(p props) map[string]string {
	a := map[string]string{}
	if k := p.str("kmsMasterKeyId"); k != "" {
		a["KmsMasterKeyId"] = k
	}
	if pol := p.str("policy"); pol != "" {
		a["Policy"] = pol
	}
	return a
}

var _ = register("aws:sns/topic:Topic", handler{source: "internal/service/sns/topic.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		var tags []snstypes.Tag
		for k, v := range m.tags(p) {
			tags = append(tags, snstypes.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		out, err := m.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: p.sptr("name"), Attributes: snsTopicAttrs(p), Tags: tags})
		if err != nil {
			return "", nil, err
		}
		arn := aws.ToString(out.TopicArn)
		return arn, pm("arn", arn, "owner", m.Account), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		if _, err := m.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(id)}); err != nil {
			return nil, gone(err)
		}
		return pm(), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		o := snsTopicAttrs(old)
		for k, v := range snsTopicAttrs(new) {
			if o[k] != v {
				if _, err := m.sns.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(id), AttributeName: aws.String(k), AttributeValue: aws.String(v)}); err != nil {
					return nil, err
				}
			}
		}
		return nil, nil
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.sns.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(id)})
		return err
	},
})

var _ = register("aws:sns/topicSubscription:TopicSubscription", handler{source: "internal/service/sns/topic_subscription.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.sns.Subscribe(ctx, &sns.SubscribeInput{TopicArn: p.sptr("topic"), Protocol: p.sptr("protocol"), Endpoint: p.sptr("endpoint"), ReturnSubscriptionArn: true})
		if err != nil {
			return "", nil, err
		}
		arn := aws.ToString(out.SubscriptionArn)
		return arn, pm("arn", arn), nil
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.sns.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(id)})
		return err
	},
})

func putRule(ctx context.Context, m *Moto, p props) (string, error) {
	tags := tagList(m.tags(p), func(k, v *string) ebtypes.Tag { return ebtypes.Tag{Key: k, Value: v} })
	out, err := m.ev.PutRule(ctx, &eventbridge.PutRuleInput{Name: p.sptr("name"), EventPattern: p.sptr("eventPattern"), Description: p.sptr("description"),
		State: ebtypes.RuleState(p.str("state")), ScheduleExpression: p.sptr("scheduleExpression"), Tags: tags})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.RuleArn), nil
}

var _ = register("aws:cloudwatch/eventRule:EventRule", handler{source: "internal/service/events/rule.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		arn, err := putRule(ctx, m, p)
		return p.str("name"), pm("arn", arn), err
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(id)})
		if err != nil {
			return nil, gone(err)
		}
		return pm("state", string(out.State)), nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		_, err := putRule(ctx, m, new)
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ev.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(id)})
		return err
	},
})

func putTarget(ctx context.Context, m *Moto, p props) error {
	out, err := m.ev.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: p.sptr("rule"), Targets: []ebtypes.Target{{Id: p.sptr("targetId"), Arn: p.sptr("arn"), RoleArn: p.sptr("roleArn")}}})
	if err == nil && out.FailedEntryCount > 0 {
		err = fmt.Errorf("PutTargets: %d failed", out.FailedEntryCount)
	}
	return err
}

var _ = register("aws:cloudwatch/eventTarget:EventTarget", handler{source: "internal/service/events/target.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		return p.str("rule") + "-" + p.str("targetId"), nil, putTarget(ctx, m, p)
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		return nil, putTarget(ctx, m, new)
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.ev.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: p.sptr("rule"), Ids: []string{p.str("targetId")}})
		return err
	},
})

func elbTags(t map[string]string) []elbtypes.Tag {
	return tagList(t, func(k, v *string) elbtypes.Tag { return elbtypes.Tag{Key: k, Value: v} })
}

// lbAttributes are the load balancer's attributes the program sets.
func lbAttributes(p props) []elbtypes.LoadBalancerAttribute {
	a := func(k, v string) elbtypes.LoadBalancerAttribute {
		return elbtypes.LoadBalancerAttribute{Key: aws.String(k), Value: aws.String(v)}
	}
	logs := p.obj("accessLogs")
	out := []elbtypes.LoadBalancerAttribute{
		a("deletion_protection.enabled", fmt.Sprint(p.flag("enableDeletionProtection"))),
		a("access_logs.s3.enabled", fmt.Sprint(logs.flag("enabled"))),
		a("routing.http.drop_invalid_header_fields.enabled", fmt.Sprint(p.flag("dropInvalidHeaderFields"))),
	}
	if logs.flag("enabled") {
		out = append(out, a("access_logs.s3.bucket", logs.str("bucket")), a("access_logs.s3.prefix", logs.str("prefix")))
	}
	if d := p.str("desyncMitigationMode"); d != "" {
		out = append(out, a("routing.http.desync_mitigation_mode", d))
	}
	return out
}

var _ = register("aws:lb/loadBalancer:LoadBalancer", handler{source: "internal/service/elbv2/load_balancer.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		scheme := elbtypes.LoadBalancerSchemeEnumInternetFacing
		if p.flag("internal") {
			scheme = elbtypes.LoadBalancerSchemeEnumInternal
		}
		out, err := m.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: p.sptr("name"), Subnets: p.strs("subnets"), SecurityGroups: p.strs("securityGroups"),
			Scheme: scheme, Type: elbtypes.LoadBalancerTypeEnum(p.str("loadBalancerType")), Tags: elbTags(m.tags(p))})
		if err != nil {
			return "", nil, err
		}
		lb := out.LoadBalancers[0]
		arn := aws.ToString(lb.LoadBalancerArn)
		if _, err := m.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn), Attributes: lbAttributes(p)}); err != nil {
			return arn, nil, err
		}
		suffix := arn[strings.Index(arn, ":loadbalancer/")+len(":loadbalancer/"):]
		return arn, pm("arn", arn, "arnSuffix", suffix, "dnsName", aws.ToString(lb.DNSName), "zoneId", aws.ToString(lb.CanonicalHostedZoneId), "vpcId", aws.ToString(lb.VpcId)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{id}})
		if err != nil {
			return nil, gone(err, "LoadBalancerNotFound")
		}
		if len(out.LoadBalancers) == 0 {
			return nil, errGone
		}
		return pm(), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if _, err := m.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(id), SecurityGroups: new.strs("securityGroups")}); err != nil {
			return nil, err
		}
		if _, err := m.elb.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: aws.String(id), Subnets: new.strs("subnets")}); err != nil {
			return nil, err
		}
		_, err := m.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(id), Attributes: lbAttributes(new)})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.elb.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(id)})
		return err
	},
})

// uniqueName is the provider's name from a prefix: the prefix and a
// time-ordered random suffix, cut to the type's limit (id.PrefixedUniqueId).
func uniqueName(prefix string, max int) string {
	b := make([]byte, 13)
	_, _ = rand.Read(b)
	n := prefix + hex.EncodeToString(b)
	if len(n) > max {
		n = n[:max]
	}
	return n
}

func healthCheck(p props) (*elbv2.ModifyTargetGroupInput, *elbv2.CreateTargetGroupInput) {
	hc := p.obj("healthCheck")
	mod := &elbv2.ModifyTargetGroupInput{HealthCheckEnabled: aws.Bool(!hc.has("enabled") || hc.flag("enabled")), HealthCheckPath: hc.sptr("path")}
	cr := &elbv2.CreateTargetGroupInput{HealthCheckEnabled: mod.HealthCheckEnabled, HealthCheckPath: hc.sptr("path")}
	if mt := hc.str("matcher"); mt != "" {
		mod.Matcher = &elbtypes.Matcher{HttpCode: aws.String(mt)}
		cr.Matcher = mod.Matcher
	}
	return mod, cr
}

var _ = register("aws:lb/targetGroup:TargetGroup", handler{source: "internal/service/elbv2/target_group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		name := p.str("name")
		if name == "" {
			name = uniqueName(p.str("namePrefix"), 32)
		}
		_, in := healthCheck(p)
		in.Name, in.Port, in.Protocol, in.VpcId = aws.String(name), aws.Int32(p.num("port")), elbtypes.ProtocolEnum(p.str("protocol")), p.sptr("vpcId")
		if t := p.str("targetType"); t != "" {
			in.TargetType = elbtypes.TargetTypeEnum(t)
		}
		in.Tags = elbTags(m.tags(p))
		out, err := m.elb.CreateTargetGroup(ctx, in)
		if err != nil {
			return "", nil, err
		}
		arn := aws.ToString(out.TargetGroups[0].TargetGroupArn)
		if p.has("deregistrationDelay") {
			if _, err := m.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(arn), Attributes: []elbtypes.TargetGroupAttribute{
				{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String(fmt.Sprint(p.num("deregistrationDelay")))}}}); err != nil {
				return arn, nil, err
			}
		}
		return arn, pm("arn", arn, "name", name, "arnSuffix", arn[strings.Index(arn, "targetgroup/"):]), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		in, _ := healthCheck(new)
		in.TargetGroupArn = aws.String(id)
		_, err := m.elb.ModifyTargetGroup(ctx, in)
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.elb.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(id)})
		return err
	},
})

func listenerActions(p props) []elbtypes.Action {
	var out []elbtypes.Action
	for i, a := range p.list("defaultActions") {
		act := elbtypes.Action{Type: elbtypes.ActionTypeEnum(a.str("type")), TargetGroupArn: a.sptr("targetGroupArn"), Order: aws.Int32(int32(i + 1))}
		if r := a.obj("redirect"); len(r) > 0 {
			act.RedirectConfig = &elbtypes.RedirectActionConfig{Port: r.sptr("port"), Protocol: r.sptr("protocol"), StatusCode: elbtypes.RedirectActionStatusCodeEnum(r.str("statusCode"))}
		}
		if f := a.obj("fixedResponse"); len(f) > 0 {
			act.FixedResponseConfig = &elbtypes.FixedResponseActionConfig{StatusCode: f.sptr("statusCode"), ContentType: f.sptr("contentType"), MessageBody: f.sptr("messageBody")}
		}
		out = append(out, act)
	}
	return out
}

func listenerCerts(p props) []elbtypes.Certificate {
	if c := p.str("certificateArn"); c != "" {
		return []elbtypes.Certificate{{CertificateArn: aws.String(c)}}
	}
	return nil
}

var _ = register("aws:lb/listener:Listener", handler{source: "internal/service/elbv2/listener.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: p.sptr("loadBalancerArn"), Port: aws.Int32(p.num("port")),
			Protocol: elbtypes.ProtocolEnum(p.str("protocol")), SslPolicy: p.sptr("sslPolicy"), Certificates: listenerCerts(p), DefaultActions: listenerActions(p),
			Tags: elbTags(m.tags(p))})
		if err != nil {
			return "", nil, err
		}
		arn := aws.ToString(out.Listeners[0].ListenerArn)
		return arn, pm("arn", arn), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{id}})
		if err != nil {
			return nil, gone(err, "ListenerNotFound")
		}
		if len(out.Listeners) == 0 {
			return nil, errGone
		}
		return pm("port", float64(aws.ToInt32(out.Listeners[0].Port)), "protocol", string(out.Listeners[0].Protocol)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(id), Port: aws.Int32(new.num("port")), Protocol: elbtypes.ProtocolEnum(new.str("protocol")),
			SslPolicy: new.sptr("sslPolicy"), Certificates: listenerCerts(new), DefaultActions: listenerActions(new)})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.elb.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: aws.String(id)})
		return err
	},
})

func asgTags(name string, p props, m *Moto) []asgtypes.Tag {
	var out []asgtypes.Tag
	own := map[string]bool{}
	for _, t := range p.list("tags") {
		own[t.str("key")] = true
		out = append(out, asgtypes.Tag{Key: t.sptr("key"), Value: t.sptr("value"), PropagateAtLaunch: aws.Bool(t.flag("propagateAtLaunch")),
			ResourceId: aws.String(name), ResourceType: aws.String("auto-scaling-group")})
	}
	for _, k := range sortedKeys(m.DefaultTags) {
		if !own[k] {
			out = append(out, asgtypes.Tag{Key: aws.String(k), Value: aws.String(m.DefaultTags[k]), PropagateAtLaunch: aws.Bool(true),
				ResourceId: aws.String(name), ResourceType: aws.String("auto-scaling-group")})
		}
	}
	return out
}

func asgLaunchTemplate(p props) *asgtypes.LaunchTemplateSpecification {
	lt := p.obj("launchTemplate")
	return &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.sptr("id"), LaunchTemplateName: lt.sptr("name"), Version: lt.sptr("version")}
}

var _ = register("aws:autoscaling/group:Group", handler{source: "internal/service/autoscaling/group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		name := p.str("name")
		in := &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(name), LaunchTemplate: asgLaunchTemplate(p),
			MinSize: aws.Int32(p.num("minSize")), MaxSize: aws.Int32(p.num("maxSize")), VPCZoneIdentifier: aws.String(strings.Join(p.strs("vpcZoneIdentifiers"), ",")),
			TargetGroupARNs: p.strs("targetGroupArns"), HealthCheckType: p.sptr("healthCheckType"), Tags: asgTags(name, p, m)}
		if p.has("desiredCapacity") {
			in.DesiredCapacity = aws.Int32(p.num("desiredCapacity"))
		}
		if p.has("healthCheckGracePeriod") {
			in.HealthCheckGracePeriod = aws.Int32(p.num("healthCheckGracePeriod"))
		}
		if _, err := m.asg.CreateAutoScalingGroup(ctx, in); err != nil {
			return "", nil, err
		}
		if err := m.launchAsAWSDoes(ctx, name); err != nil {
			return name, nil, err
		}
		if ms := p.strs("enabledMetrics"); len(ms) > 0 {
			if _, err := m.asg.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String(name), Granularity: aws.String("1Minute"), Metrics: ms}); err != nil {
				return name, nil, err
			}
		}
		return name, pm("arn", fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:*:autoScalingGroupName/%s", m.Region, m.Account, name)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{id}})
		if err != nil {
			return nil, err
		}
		if len(out.AutoScalingGroups) == 0 {
			return nil, errGone
		}
		return pm(), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		in := &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String(id), LaunchTemplate: asgLaunchTemplate(new),
			MinSize: aws.Int32(new.num("minSize")), MaxSize: aws.Int32(new.num("maxSize")), VPCZoneIdentifier: aws.String(strings.Join(new.strs("vpcZoneIdentifiers"), ",")),
			HealthCheckType: new.sptr("healthCheckType")}
		if new.has("desiredCapacity") {
			in.DesiredCapacity = aws.Int32(new.num("desiredCapacity"))
		}
		if _, err := m.asg.UpdateAutoScalingGroup(ctx, in); err != nil {
			return nil, err
		}
		add, remove := diffStrings(old.strs("targetGroupArns"), new.strs("targetGroupArns"))
		if len(remove) > 0 {
			if _, err := m.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String(id), TargetGroupARNs: remove}); err != nil {
				return nil, err
			}
		}
		if len(add) > 0 {
			if _, err := m.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String(id), TargetGroupARNs: add}); err != nil {
				return nil, err
			}
		}
		_, err := m.asg.CreateOrUpdateTags(ctx, &autoscaling.CreateOrUpdateTagsInput{Tags: asgTags(id, new, m)})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: aws.String(id), ForceDelete: aws.Bool(true)})
		return err
	},
})

func rdsTags(t map[string]string) []rdstypes.Tag {
	return tagList(t, func(k, v *string) rdstypes.Tag { return rdstypes.Tag{Key: k, Value: v} })
}

var _ = register("aws:rds/subnetGroup:SubnetGroup", handler{source: "internal/service/rds/subnet_group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		name := p.str("name")
		if name == "" {
			name = uniqueName(p.str("namePrefix"), 255)
		}
		out, err := m.rds.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String(name), DBSubnetGroupDescription: p.sptr("description"),
			SubnetIds: p.strs("subnetIds"), Tags: rdsTags(m.tags(p))})
		if err != nil {
			return "", nil, err
		}
		return name, pm("name", name, "arn", aws.ToString(out.DBSubnetGroup.DBSubnetGroupArn)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.rds.ModifyDBSubnetGroup(ctx, &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: aws.String(id), DBSubnetGroupDescription: new.sptr("description"), SubnetIds: new.strs("subnetIds")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.rds.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String(id)})
		return err
	},
})

func dbParameters(p props) []rdstypes.Parameter {
	var out []rdstypes.Parameter
	for _, x := range p.list("parameters") {
		method := rdstypes.ApplyMethodImmediate
		if x.str("applyMethod") == "pending-reboot" {
			method = rdstypes.ApplyMethodPendingReboot
		}
		out = append(out, rdstypes.Parameter{ParameterName: x.sptr("name"), ParameterValue: x.sptr("value"), ApplyMethod: method})
	}
	return out
}

var _ = register("aws:rds/parameterGroup:ParameterGroup", handler{source: "internal/service/rds/parameter_group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		name := p.str("name")
		if name == "" {
			name = uniqueName(p.str("namePrefix"), 255)
		}
		out, err := m.rds.CreateDBParameterGroup(ctx, &rds.CreateDBParameterGroupInput{DBParameterGroupName: aws.String(name), DBParameterGroupFamily: p.sptr("family"),
			Description: p.sptr("description"), Tags: rdsTags(m.tags(p))})
		if err != nil {
			return "", nil, err
		}
		if ps := dbParameters(p); len(ps) > 0 {
			if _, err := m.rds.ModifyDBParameterGroup(ctx, &rds.ModifyDBParameterGroupInput{DBParameterGroupName: aws.String(name), Parameters: ps}); err != nil {
				return name, nil, err
			}
		}
		return name, pm("name", name, "arn", aws.ToString(out.DBParameterGroup.DBParameterGroupArn)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.rds.ModifyDBParameterGroup(ctx, &rds.ModifyDBParameterGroupInput{DBParameterGroupName: aws.String(id), Parameters: dbParameters(new)})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.rds.DeleteDBParameterGroup(ctx, &rds.DeleteDBParameterGroupInput{DBParameterGroupName: aws.String(id)})
		return err
	},
})

var _ = register("aws:rds/instance:Instance", handler{source: "internal/service/rds/instance.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		id := p.str("identifier")
		in := &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(id), Engine: p.sptr("engine"), EngineVersion: p.sptr("engineVersion"),
			DBInstanceClass: p.sptr("instanceClass"), AllocatedStorage: aws.Int32(p.num("allocatedStorage")), StorageType: p.sptr("storageType"),
			StorageEncrypted: aws.Bool(p.flag("storageEncrypted")), KmsKeyId: p.sptr("kmsKeyId"), MasterUsername: p.sptr("username"),
			ManageMasterUserPassword: aws.Bool(p.flag("manageMasterUserPassword")), MasterUserSecretKmsKeyId: p.sptr("masterUserSecretKmsKeyId"),
			DBSubnetGroupName: p.sptr("dbSubnetGroupName"), DBParameterGroupName: p.sptr("parameterGroupName"), VpcSecurityGroupIds: p.strs("vpcSecurityGroupIds"),
			Port: aws.Int32(p.num("port")), MultiAZ: aws.Bool(p.flag("multiAz")), PubliclyAccessible: aws.Bool(p.flag("publiclyAccessible")),
			BackupRetentionPeriod: aws.Int32(p.num("backupRetentionPeriod")), CopyTagsToSnapshot: aws.Bool(p.flag("copyTagsToSnapshot")),
			DeletionProtection: aws.Bool(p.flag("deletionProtection")), AutoMinorVersionUpgrade: aws.Bool(p.flag("autoMinorVersionUpgrade")),
			EnableIAMDatabaseAuthentication: aws.Bool(p.flag("iamDatabaseAuthenticationEnabled")), EnableCloudwatchLogsExports: p.strs("enabledCloudwatchLogsExports"),
			Tags: rdsTags(m.tags(p))}
		out, err := m.rds.CreateDBInstance(ctx, in)
		if err != nil {
			return "", nil, err
		}
		db := out.DBInstance
		endpoint := ""
		if db.Endpoint != nil {
			endpoint = fmt.Sprintf("%s:%d", aws.ToString(db.Endpoint.Address), aws.ToInt32(db.Endpoint.Port))
		}
		return aws.ToString(db.DbiResourceId), pm("arn", aws.ToString(db.DBInstanceArn), "resourceId", aws.ToString(db.DbiResourceId), "endpoint", endpoint), nil
	},
	read: func(ctx context.Context, m *Moto, _ string, p props) (resource.PropertyMap, error) {
		out, err := m.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: p.sptr("identifier")})
		if err != nil {
			return nil, gone(err, "DBInstanceNotFound", "DBInstanceNotFoundFault")
		}
		if len(out.DBInstances) == 0 {
			return nil, errGone
		}
		db := out.DBInstances[0]
		return pm("storageEncrypted", aws.ToBool(db.StorageEncrypted), "deletionProtection", aws.ToBool(db.DeletionProtection)), nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		_, err := m.rds.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: new.sptr("identifier"), ApplyImmediately: aws.Bool(new.flag("applyImmediately")),
			DBInstanceClass: new.sptr("instanceClass"), MultiAZ: aws.Bool(new.flag("multiAz")), DeletionProtection: aws.Bool(new.flag("deletionProtection")),
			BackupRetentionPeriod: aws.Int32(new.num("backupRetentionPeriod")), VpcSecurityGroupIds: new.strs("vpcSecurityGroupIds"),
			AutoMinorVersionUpgrade: aws.Bool(new.flag("autoMinorVersionUpgrade")), CopyTagsToSnapshot: aws.Bool(new.flag("copyTagsToSnapshot")),
			DBParameterGroupName: new.sptr("parameterGroupName")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.rds.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: p.sptr("identifier"), SkipFinalSnapshot: aws.Bool(p.flag("skipFinalSnapshot")),
			DeleteAutomatedBackups: aws.Bool(p.flag("deleteAutomatedBackups")), FinalDBSnapshotIdentifier: p.sptr("finalSnapshotIdentifier")})
		return err
	},
})

func trailSelectors(p props) []cttypes.AdvancedEventSelector {
	var out []cttypes.AdvancedEventSelector
	for _, s := range p.list("advancedEventSelectors") {
		sel := cttypes.AdvancedEventSelector{Name: s.sptr("name")}
		for _, f := range s.list("fieldSelectors") {
			sel.FieldSelectors = append(sel.FieldSelectors, cttypes.AdvancedFieldSelector{Field: f.sptr("field"), Equals: f.strs("equals"),
				NotEquals: f.strs("notEquals"), StartsWith: f.strs("startsWiths"), NotStartsWith: f.strs("notStartsWiths"),
				EndsWith: f.strs("endsWiths"), NotEndsWith: f.strs("notEndsWiths")})
		}
		out = append(out, sel)
	}
	return out
}

func trailLogging(ctx context.Context, m *Moto, name string, on bool) error {
	var err error
	if on {
		_, err = m.trail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
	} else {
		_, err = m.trail.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(name)})
	}
	return err
}

var _ = register("aws:cloudtrail/trail:Trail", handler{source: "internal/service/cloudtrail/trail.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		tags := tagList(m.tags(p), func(k, v *string) cttypes.Tag { return cttypes.Tag{Key: k, Value: v} })
		out, err := m.trail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: p.sptr("name"), S3BucketName: p.sptr("s3BucketName"), S3KeyPrefix: p.sptr("s3KeyPrefix"),
			IncludeGlobalServiceEvents: aws.Bool(!p.has("includeGlobalServiceEvents") || p.flag("includeGlobalServiceEvents")),
			IsMultiRegionTrail:         aws.Bool(p.flag("isMultiRegionTrail")), EnableLogFileValidation: aws.Bool(p.flag("enableLogFileValidation")),
			KmsKeyId: p.sptr("kmsKeyId"), CloudWatchLogsLogGroupArn: p.sptr("cloudWatchLogsGroupArn"), CloudWatchLogsRoleArn: p.sptr("cloudWatchLogsRoleArn"), TagsList: tags})
		if err != nil {
			return "", nil, err
		}
		name := aws.ToString(out.Name)
		if sel := trailSelectors(p); len(sel) > 0 {
			if _, err := m.trail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(name), AdvancedEventSelectors: sel}); err != nil {
				return name, nil, err
			}
		}
		if !p.has("enableLogging") || p.flag("enableLogging") {
			if err := trailLogging(ctx, m, name, true); err != nil {
				return name, nil, err
			}
		}
		return name, pm("arn", aws.ToString(out.TrailARN), "homeRegion", m.Region), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.trail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(id)})
		if err != nil {
			return nil, gone(err, "TrailNotFoundException")
		}
		return pm("enableLogging", aws.ToBool(out.IsLogging)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if _, err := m.trail.UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String(id), S3BucketName: new.sptr("s3BucketName"), S3KeyPrefix: new.sptr("s3KeyPrefix"),
			IncludeGlobalServiceEvents: aws.Bool(!new.has("includeGlobalServiceEvents") || new.flag("includeGlobalServiceEvents")),
			IsMultiRegionTrail:         aws.Bool(new.flag("isMultiRegionTrail")), EnableLogFileValidation: aws.Bool(new.flag("enableLogFileValidation")),
			KmsKeyId: new.sptr("kmsKeyId"), CloudWatchLogsLogGroupArn: new.sptr("cloudWatchLogsGroupArn"), CloudWatchLogsRoleArn: new.sptr("cloudWatchLogsRoleArn")}); err != nil {
			return nil, err
		}
		if sel := trailSelectors(new); len(sel) > 0 {
			if _, err := m.trail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(id), AdvancedEventSelectors: sel}); err != nil {
				return nil, err
			}
		}
		on := !new.has("enableLogging") || new.flag("enableLogging")
		return nil, trailLogging(ctx, m, id, on)
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.trail.DeleteTrail(ctx, &cloudtrail.DeleteTrailInput{Name: aws.String(id)})
		return err
	},
})

var _ = register("aws:guardduty/detector:Detector", handler{source: "internal/service/guardduty/detector.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.gd.CreateDetector(ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(!p.has("enable") || p.flag("enable")),
			FindingPublishingFrequency: gdtypes.FindingPublishingFrequency(p.str("findingPublishingFrequency")), Tags: m.tags(p)})
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.DetectorId)
		return id, pm("arn", fmt.Sprintf("arn:aws:guardduty:%s:%s:detector/%s", m.Region, m.Account, id), "accountId", m.Account), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		if err != nil {
			return nil, gone(err, "BadRequestException")
		}
		return pm("enable", out.Status == gdtypes.DetectorStatusEnabled, "findingPublishingFrequency", string(out.FindingPublishingFrequency)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.gd.UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: aws.String(id), Enable: aws.Bool(!new.has("enable") || new.flag("enable")),
			FindingPublishingFrequency: gdtypes.FindingPublishingFrequency(new.str("findingPublishingFrequency"))})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.gd.DeleteDetector(ctx, &guardduty.DeleteDetectorInput{DetectorId: aws.String(id)})
		return err
	},
})

var _ = register("aws:ssm/document:Document", handler{source: "internal/service/ssm/document.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		tags := tagList(m.tags(p), func(k, v *string) ssmtypes.Tag { return ssmtypes.Tag{Key: k, Value: v} })
		out, err := m.ssm.CreateDocument(ctx, &ssm.CreateDocumentInput{Name: p.sptr("name"), Content: p.sptr("content"), DocumentType: ssmtypes.DocumentType(p.str("documentType")),
			DocumentFormat: ssmtypes.DocumentFormat(p.str("documentFormat")), Tags: tags})
		if err != nil {
			return "", nil, err
		}
		name := aws.ToString(out.DocumentDescription.Name)
		return name, pm("arn", fmt.Sprintf("arn:aws:ssm:%s:%s:document/%s", m.Region, m.Account, name), "latestVersion", aws.ToString(out.DocumentDescription.LatestVersion)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, p props) (resource.PropertyMap, error) {
		out, err := m.ssm.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String(id)})
		if err != nil {
			return nil, gone(err, "InvalidDocument")
		}
		content := aws.ToString(out.Content)
		if jsonEqual(content, p.str("content")) {
			content = p.str("content")
		}
		return pm("content", content, "documentType", string(out.DocumentType), "documentFormat", string(out.DocumentFormat)), nil
	},
	// A new version, made the default (the provider's update).
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		out, err := m.ssm.UpdateDocument(ctx, &ssm.UpdateDocumentInput{Name: aws.String(id), Content: new.sptr("content"), DocumentVersion: aws.String("$LATEST"),
			DocumentFormat: ssmtypes.DocumentFormat(new.str("documentFormat"))})
		if err != nil {
			return nil, err
		}
		v := out.DocumentDescription.DocumentVersion
		if _, err := m.ssm.UpdateDocumentDefaultVersion(ctx, &ssm.UpdateDocumentDefaultVersionInput{Name: aws.String(id), DocumentVersion: v}); err != nil {
			return nil, err
		}
		return pm("latestVersion", aws.ToString(v)), nil
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ssm.DeleteDocument(ctx, &ssm.DeleteDocumentInput{Name: aws.String(id)})
		return err
	},
})

// setFeature sets one detector feature. The provider sends only the named
// feature (detector_feature.go), which AWS updates leaving the others as
// they are (UpdateDetector, Features: "the features that will be updated":
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateDetector.html).
// moto 5.2.1 replaces the whole list instead, so against moto the provider
// sends every feature, this one changed: the state AWS would reach.
func setFeature(ctx context.Context, m *Moto, detector, name, status string) error {
	// The read and the write of the whole list go together: the engine
	// creates the features at once.
	featureMu.Lock()
	defer featureMu.Unlock()
	features := []gdtypes.DetectorFeatureConfiguration{{Name: gdtypes.DetectorFeature(name), Status: gdtypes.FeatureStatus(status)}}
	if m.Endpoint != "" {
		d, err := m.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(detector)})
		if err != nil {
			return err
		}
		for _, f := range d.Features {
			if string(f.Name) != name {
				features = append(features, gdtypes.DetectorFeatureConfiguration{Name: gdtypes.DetectorFeature(f.Name), Status: f.Status})
			}
		}
	}
	_, err := m.gd.UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: aws.String(detector), Features: features})
	return err
}

var featureMu sync.Mutex

var _ = register("aws:guardduty/detectorFeature:DetectorFeature", handler{source: "internal/service/guardduty/detector_feature.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		if err := setFeature(ctx, m, p.str("detectorId"), p.str("name"), p.str("status")); err != nil {
			return "", nil, err
		}
		return p.str("detectorId") + "/" + p.str("name"), nil, nil
	},
	read: func(ctx context.Context, m *Moto, _ string, p props) (resource.PropertyMap, error) {
		d, err := m.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: p.sptr("detectorId")})
		if err != nil {
			return nil, gone(err, "BadRequestException")
		}
		for _, f := range d.Features {
			if string(f.Name) == p.str("name") {
				return pm("status", string(f.Status)), nil
			}
		}
		return nil, errGone
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		return nil, setFeature(ctx, m, new.str("detectorId"), new.str("name"), new.str("status"))
	},
	// Deleting the resource leaves the feature as it is (the provider only
	// forgets it).
	delete: func(context.Context, *Moto, string, props) error { return nil },
})

func inspectorTypes(p props) []insptypes.ResourceScanType {
	var out []insptypes.ResourceScanType
	for _, t := range p.strs("resourceTypes") {
		out = append(out, insptypes.ResourceScanType(t))
	}
	return out
}

// The enabler's id is its accounts and types (inspector2/enabler.go).
var _ = register("aws:inspector2/enabler:Enabler", handler{source: "internal/service/inspector2/enabler.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.insp.Enable(ctx, &inspector2.EnableInput{AccountIds: p.strs("accountIds"), ResourceTypes: inspectorTypes(p)})
		if err != nil {
			return "", nil, err
		}
		if len(out.FailedAccounts) > 0 {
			return "", nil, fmt.Errorf("Inspector not enabled for %s: %s", aws.ToString(out.FailedAccounts[0].AccountId), aws.ToString(out.FailedAccounts[0].ErrorMessage))
		}
		return strings.Join(p.strs("accountIds"), ":") + "-" + strings.Join(p.strs("resourceTypes"), ":"), nil, nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		_, err := m.insp.Enable(ctx, &inspector2.EnableInput{AccountIds: new.strs("accountIds"), ResourceTypes: inspectorTypes(new)})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.insp.Disable(ctx, &inspector2.DisableInput{AccountIds: p.strs("accountIds"), ResourceTypes: inspectorTypes(p)})
		return err
	},
})

// launchAsAWSDoes makes the group's instances hold the volumes AWS would
// have given them. moto 5.2.1 launches each instance with its stock
// image's root volume at /dev/sda1 (unencrypted, untagged) beside the one
// the template maps at /dev/xvda, and applies none of the template's
// volume tags. Amazon Linux 2023's root device is /dev/xvda, which the
// template's mapping replaces ("Block device mappings for volumes on
// Amazon EC2 instances", EC2 user guide: a mapping for the root device
// overrides the image's), and AWS tags the volumes it launches with the
// template's volume tag specification ("Tag your Amazon EC2 resources",
// EC2 user guide, launch templates). So the stock root volume is removed
// and the template's volume tags applied.
func (m *Moto) launchAsAWSDoes(ctx context.Context, group string) error {
	g, err := m.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{group}})
	if err != nil || len(g.AutoScalingGroups) == 0 || g.AutoScalingGroups[0].LaunchTemplate == nil {
		return err
	}
	lt := g.AutoScalingGroups[0].LaunchTemplate
	vs, err := m.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplateId, Versions: []string{aws.ToString(lt.Version)}})
	if err != nil || len(vs.LaunchTemplateVersions) == 0 {
		return err
	}
	data := vs.LaunchTemplateVersions[0].LaunchTemplateData
	mapped := map[string]bool{}
	for _, b := range data.BlockDeviceMappings {
		mapped[aws.ToString(b.DeviceName)] = true
	}
	var volumeTags []ec2types.Tag
	for _, ts := range data.TagSpecifications {
		if ts.ResourceType == ec2types.ResourceTypeVolume {
			volumeTags = ts.Tags
		}
	}
	for _, in := range g.AutoScalingGroups[0].Instances {
		id := aws.ToString(in.InstanceId)
		vols, err := m.ec2.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.instance-id"), Values: []string{id}}}})
		if err != nil {
			return err
		}
		for _, v := range vols.Volumes {
			device := ""
			if len(v.Attachments) > 0 {
				device = aws.ToString(v.Attachments[0].Device)
			}
			if !mapped[device] {
				if _, err := m.ec2.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: v.VolumeId, InstanceId: aws.String(id)}); err != nil {
					return err
				}
				if _, err := m.ec2.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: v.VolumeId}); err != nil {
					return err
				}
				continue
			}
			if len(volumeTags) > 0 {
				if _, err := m.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{aws.ToString(v.VolumeId)}, Tags: volumeTags}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

var _ = register("aws:ssm/parameter:Parameter", handler{source: "internal/service/ssm/parameter.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		tags := tagList(m.tags(p), func(k, v *string) ssmtypes.Tag { return ssmtypes.Tag{Key: k, Value: v} })
		out, err := m.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: p.sptr("name"), Type: ssmtypes.ParameterType(p.str("type")),
			Value: p.sptr("value"), Description: p.sptr("description"), Tags: tags})
		if err != nil {
			return "", nil, err
		}
		name := p.str("name")
		return name, pm("arn", fmt.Sprintf("arn:aws:ssm:%s:%s:parameter%s", m.Region, m.Account, name), "version", float64(out.Version)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(id)})
		if err != nil {
			return nil, gone(err, "ParameterNotFound")
		}
		return pm("value", aws.ToString(out.Parameter.Value), "type", string(out.Parameter.Type)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		out, err := m.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(id), Type: ssmtypes.ParameterType(new.str("type")),
			Value: new.sptr("value"), Description: new.sptr("description"), Overwrite: aws.Bool(true)})
		if err != nil {
			return nil, err
		}
		return pm("version", float64(out.Version)), nil
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.ssm.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(id)})
		return err
	},
})

var _ = register("aws:sfn/stateMachine:StateMachine", handler{source: "internal/service/sfn/state_machine.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		tags := tagList(m.tags(p), func(k, v *string) sfntypes.Tag { return sfntypes.Tag{Key: k, Value: v} })
		out, err := m.sfn.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: p.sptr("name"), Definition: p.sptr("definition"),
			RoleArn: p.sptr("roleArn"), Type: sfntypes.StateMachineType(p.str("type")), Tags: tags})
		if err != nil {
			return "", nil, err
		}
		arn := aws.ToString(out.StateMachineArn)
		return arn, pm("arn", arn, "status", "ACTIVE"), nil
	},
	read: func(ctx context.Context, m *Moto, id string, p props) (resource.PropertyMap, error) {
		out, err := m.sfn.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(id)})
		if err != nil {
			return nil, gone(err, "StateMachineDoesNotExist")
		}
		def := aws.ToString(out.Definition)
		if jsonEqual(def, p.str("definition")) {
			def = p.str("definition")
		}
		return pm("definition", def, "roleArn", aws.ToString(out.RoleArn)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.sfn.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(id), Definition: new.sptr("definition"), RoleArn: new.sptr("roleArn")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.sfn.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(id)})
		return err
	},
})
