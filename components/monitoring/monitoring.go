// Package monitoring watches a tenant (WP-24, WP-37): alarms on memory, CPU
// and disk of its instances, and GuardDuty findings of medium severity and
// up, all sent to the operator's alert topic, encrypted with the tenant key.
package monitoring

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// Args configures the tenant's monitoring.
type Args struct {
	TenantID  string
	Region    string
	AccountID string
	KeyArn    pulumi.StringInput
	// Emails subscribe to the topic (each confirms by mail).
	Emails []string
	// AutoScalingGroup is the name of the app tier's group; the CloudWatch
	// agent aggregates its metrics by it.
	AutoScalingGroup string
	// CertificateArn is the listener's certificate, whose expiry is routed.
	CertificateArn string
	CPUPercent     float64
	MemoryPercent  float64
	DiskPercent    float64
}

// Monitoring is the topic, its subscriptions, the alarms and the findings
// rule.
type Monitoring struct {
	pulumi.ResourceState

	Topic  *sns.Topic
	Alarms []*cloudwatch.MetricAlarm
	Rule   *cloudwatch.EventRule
	// Routes are the other alert routes' rules, in awsdocs.Routes order.
	Routes []*cloudwatch.EventRule
}

// New builds the monitoring.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if args == nil || args.AutoScalingGroup == "" {
		return nil, fmt.Errorf("monitoring %s: args with the auto scaling group are required", name)
	}
	m := &Monitoring{}
	if err := ctx.RegisterComponentResource("tenantkit:monitoring:Monitoring", name, m, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(m)
	topicArn := fmt.Sprintf("arn:aws:sns:%s:%s:%s", args.Region, args.AccountID, expect.TopicName(args.TenantID))
	ruleArn := func(name string) string {
		return fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", args.Region, args.AccountID, name)
	}
	ruleArns := []string{ruleArn(expect.FindingsRuleName(args.TenantID))}
	for _, r := range awsdocs.Routes {
		ruleArns = append(ruleArns, ruleArn(awsdocs.RouteRuleName(args.TenantID, r.Key)))
	}
	alarms := expect.Alarms(args.TenantID, config.Alarms{CPUPercent: args.CPUPercent, MemoryPercent: args.MemoryPercent, DiskPercent: args.DiskPercent})
	alarmArns := make([]string, len(alarms))
	for i, a := range alarms {
		alarmArns[i] = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", args.Region, args.AccountID, expect.AlarmName(args.TenantID, a.Key))
	}
	var err error
	m.Topic, err = sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{
		Name:           pulumi.String(expect.TopicName(args.TenantID)),
		KmsMasterKeyId: args.KeyArn,
		Policy:         pulumi.String(TopicPolicy(topicArn, args.AccountID, args.TenantID, ruleArns, alarmArns).JSON()),
	}, child)
	if err != nil {
		return nil, err
	}
	for i, e := range args.Emails {
		if _, err := sns.NewTopicSubscription(ctx, fmt.Sprintf("%s-email-%d", name, i), &sns.TopicSubscriptionArgs{
			Topic: m.Topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(e),
		}, child); err != nil {
			return nil, err
		}
	}
	for _, a := range alarms {
		al, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+a.Key, &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(expect.AlarmName(args.TenantID, a.Key)),
			AlarmDescription:   pulumi.String(fmt.Sprintf("Tenant %s: %s of the app tier above %v%%", args.TenantID, a.Metric, a.Threshold)),
			Namespace:          pulumi.String(a.Namespace),
			MetricName:         pulumi.String(a.Metric),
			Dimensions:         pulumi.StringMap{"AutoScalingGroupName": pulumi.String(args.AutoScalingGroup)},
			Statistic:          pulumi.String(expect.Alarm.Statistic),
			Period:             pulumi.Int(int(expect.Alarm.PeriodSeconds)),
			EvaluationPeriods:  pulumi.Int(int(expect.Alarm.EvaluationPeriods)),
			ComparisonOperator: pulumi.String(expect.Alarm.Operator),
			Threshold:          pulumi.Float64(a.Threshold),
			// No data means the agent or the instances are gone: alarm.
			TreatMissingData: pulumi.String(expect.Alarm.TreatMissingData),
			AlarmActions:     pulumi.Array{m.Topic.Arn},
			OkActions:        pulumi.Array{m.Topic.Arn},
		}, child)
		if err != nil {
			return nil, err
		}
		m.Alarms = append(m.Alarms, al)
	}
	m.Rule, err = cloudwatch.NewEventRule(ctx, name+"-guardduty", &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(expect.FindingsRuleName(args.TenantID)),
		Description:  pulumi.String("GuardDuty findings of medium severity and up, to the operator's alert topic"),
		EventPattern: pulumi.String(expect.FindingsPattern()),
		State:        pulumi.String("ENABLED"),
	}, child)
	if err != nil {
		return nil, err
	}
	if _, err := cloudwatch.NewEventTarget(ctx, name+"-guardduty-topic", &cloudwatch.EventTargetArgs{
		Rule: m.Rule.Name, Arn: m.Topic.Arn, TargetId: pulumi.String("alert-topic"),
	}, child); err != nil {
		return nil, err
	}
	for _, r := range awsdocs.Routes {
		pattern := args.KeyArn.ToStringOutput().ApplyT(func(keyArn string) (string, error) {
			return awsdocs.RoutePattern(r.Key, args.TenantID, keyArn, args.CertificateArn)
		}).(pulumi.StringOutput)
		rule, err := cloudwatch.NewEventRule(ctx, name+"-"+r.Key, &cloudwatch.EventRuleArgs{
			Name:         pulumi.String(awsdocs.RouteRuleName(args.TenantID, r.Key)),
			Description:  pulumi.String(r.Description + ", to the tenant's alert topic"),
			EventPattern: pattern,
			State:        pulumi.String("ENABLED"),
		}, child)
		if err != nil {
			return nil, err
		}
		if _, err := cloudwatch.NewEventTarget(ctx, name+"-"+r.Key+"-topic", &cloudwatch.EventTargetArgs{
			Rule: rule.Name, Arn: m.Topic.Arn, TargetId: pulumi.String("alert-topic"),
		}, child); err != nil {
			return nil, err
		}
		m.Routes = append(m.Routes, rule)
	}
	if err := ctx.RegisterResourceOutputs(m, pulumi.Map{"topicArn": m.Topic.Arn}); err != nil {
		return nil, err
	}
	return m, nil
}

// TopicPolicy lets the account manage the topic and the tenant's own
// alarms and findings and route rules publish to it, each named exactly (a prefix
// would admit another tenant whose id extends this one); no other tenant's
// role reaches it at all. CloudWatch sends the alarm's ARN as
// aws:SourceArn (AWS re:Post knowledge center, "Why didn't I receive an SNS
// notification for my CloudWatch alarm trigger?",
// cloudwatch-receive-sns-for-alarm-trigger).
func TopicPolicy(topicArn, account, tenantID string, ruleArns, alarmArns []string) policydoc.Document {
	return policydoc.Document{Statement: []policydoc.Statement{
		{Sid: "AccountManages", Effect: "Allow", Principal: policydoc.AWS(fmt.Sprintf("arn:aws:iam::%s:root", account)),
			Action:   policydoc.List("sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"),
			Resource: policydoc.List(topicArn)},
		access.DenyOtherTenants(account, tenantID, policydoc.List("sns:*"), policydoc.List(topicArn)),
		{Sid: "AlarmsPublish", Effect: "Allow", Principal: policydoc.Service("cloudwatch.amazonaws.com"),
			Action: policydoc.List("sns:Publish"), Resource: policydoc.List(topicArn),
			Condition: policydoc.Condition{
				"StringEquals": {"aws:SourceAccount": policydoc.List(account)},
				"ArnEquals":    {"aws:SourceArn": policydoc.List(alarmArns...)},
			}},
		{Sid: "FindingsRulePublishes", Effect: "Allow", Principal: policydoc.Service("events.amazonaws.com"),
			Action: policydoc.List("sns:Publish"), Resource: policydoc.List(topicArn),
			Condition: policydoc.Condition{"ArnEquals": {"aws:SourceArn": policydoc.List(ruleArns...)}}},
		{Sid: "DenyInsecureTransport", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("sns:Publish"), Resource: policydoc.List(topicArn),
			Condition: policydoc.Condition{"Bool": {"aws:SecureTransport": policydoc.List("false")}}},
	}}
}
