package baseline

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/scheduler"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sfn"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Deadlines are the §10 deadlines of the tenants in dir, in the
// baseline's cell, still ahead at now (expect.WatchesOf, expect.Pending).
func Deadlines(dir string, cell config.Cell, now time.Time) ([]expect.Watch, error) {
	names, err := stackfile.List(dir)
	if err != nil {
		return nil, err
	}
	var out []expect.Watch
	for _, n := range names {
		t, _, err := stackfile.Load(dir, n)
		if err != nil {
			return nil, err
		}
		if cell.Holds(t) {
			out = append(out, expect.Pending(expect.WatchesOf(t), now)...)
		}
	}
	return out, nil
}

// watch builds the §10 deadline watchdog (#33 item 6): the provider's
// operations topic with its subscribers, the state machine that reads a
// tenant's deployed lifecycle state and alerts the topic when the step
// its deadline needs is not deployed, and one EventBridge Scheduler
// schedule per deadline ahead. The schedules fire in AWS, whatever
// GitHub does; the baseline deploys with every change to stacks/, so a
// cancellation merged to main is watched from that deploy on.
func (b *Baseline) watch(ctx *pulumi.Context, name string, cfg *Config, region, account string, deadlines []expect.Watch, child []pulumi.ResourceOption) error {
	topicArn := fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, account, expect.OperationsTopicName)
	machineArn := fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", region, account, expect.WatchStateMachineName)
	topic, err := sns.NewTopic(ctx, name+"-operations", &sns.TopicArgs{
		Name:           pulumi.String(expect.OperationsTopicName),
		KmsMasterKeyId: b.Key.Arn,
		Policy:         pulumi.String(OperationsTopicPolicy(topicArn, account).JSON()),
	}, child...)
	if err != nil {
		return err
	}
	for i, e := range cfg.OperationsEmails {
		if _, err := sns.NewTopicSubscription(ctx, fmt.Sprintf("%s-operations-email-%d", name, i), &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(e),
		}, child...); err != nil {
			return err
		}
	}
	role, err := iam.NewRole(ctx, name+"-watch-role", &iam.RoleArgs{
		Name: pulumi.String(expect.WatchStateMachineName), Path: pulumi.String("/tenantkit/"),
		AssumeRolePolicy: pulumi.String(ServiceTrust("states.amazonaws.com", account, machineArn).JSON()),
		Description:      pulumi.String("tenantkit §10 deadline watchdog: reads the tenants' deployed lifecycle state, alerts the operations topic"),
	}, child...)
	if err != nil {
		return err
	}
	policy := b.Key.Arn.ApplyT(func(key string) string { return WatchPolicy(region, account, topicArn, key).JSON() }).(pulumi.StringOutput)
	rp, err := iam.NewRolePolicy(ctx, name+"-watch-policy", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, child...)
	if err != nil {
		return err
	}
	machine, err := sfn.NewStateMachine(ctx, name+"-watch", &sfn.StateMachineArgs{
		Name: pulumi.String(expect.WatchStateMachineName), RoleArn: role.Arn, Type: pulumi.String("STANDARD"),
		Definition: topic.Arn.ApplyT(expect.WatchDefinition).(pulumi.StringOutput),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{rp}))...)
	if err != nil {
		return err
	}
	if len(deadlines) == 0 {
		return nil
	}
	group, err := scheduler.NewScheduleGroup(ctx, name+"-deadlines", &scheduler.ScheduleGroupArgs{
		Name: pulumi.String(expect.WatchScheduleGroup),
	}, child...)
	if err != nil {
		return err
	}
	schedRole, err := iam.NewRole(ctx, name+"-deadlines-role", &iam.RoleArgs{
		Name: pulumi.String(expect.WatchScheduleGroup), Path: pulumi.String("/tenantkit/"),
		AssumeRolePolicy: pulumi.String(ServiceTrust("scheduler.amazonaws.com", account,
			fmt.Sprintf("arn:aws:scheduler:%s:%s:schedule-group/%s", region, account, expect.WatchScheduleGroup)).JSON()),
		Description: pulumi.String("tenantkit §10 deadline schedules: start the watchdog, nothing else"),
	}, child...)
	if err != nil {
		return err
	}
	srp, err := iam.NewRolePolicy(ctx, name+"-deadlines-policy", &iam.RolePolicyArgs{
		Role: schedRole.ID(), Policy: pulumi.String(StartWatchPolicy(machineArn).JSON()),
	}, child...)
	if err != nil {
		return err
	}
	for _, w := range deadlines {
		if _, err := scheduler.NewSchedule(ctx, name+"-"+w.ScheduleName(), &scheduler.ScheduleArgs{
			Name: pulumi.String(w.ScheduleName()), GroupName: group.Name,
			Description:                pulumi.String(fmt.Sprintf("§10: tenant %s's %s must be deployed by %s JST", w.Tenant, w.Step, w.Day)),
			ScheduleExpression:         pulumi.String(w.At()),
			ScheduleExpressionTimezone: pulumi.String(expect.WatchTimezone),
			FlexibleTimeWindow:         &scheduler.ScheduleFlexibleTimeWindowArgs{Mode: pulumi.String("OFF")},
			Target: &scheduler.ScheduleTargetArgs{
				Arn: machine.Arn, RoleArn: schedRole.Arn, Input: pulumi.String(w.Input()),
				// Retried for a day: a deadline check is never dropped by
				// one failed start.
				RetryPolicy: &scheduler.ScheduleTargetRetryPolicyArgs{
					MaximumEventAgeInSeconds: pulumi.Int(86400), MaximumRetryAttempts: pulumi.Int(185),
				},
			},
		}, append(child, pulumi.DependsOn([]pulumi.Resource{srp}))...); err != nil {
			return err
		}
	}
	return nil
}

// ServiceTrust lets one AWS service assume a role for one source in this
// account (the confused-deputy conditions,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
func ServiceTrust(service, account, source string) policydoc.Document {
	return policydoc.Document{Statement: []policydoc.Statement{{
		Effect: "Allow", Principal: policydoc.Service(service), Action: policydoc.List("sts:AssumeRole"),
		Condition: policydoc.Condition{
			"StringEquals": {"aws:SourceAccount": policydoc.List(account)},
			"ArnLike":      {"aws:SourceArn": policydoc.List(source)},
		},
	}}}
}

// WatchPolicy is what the watchdog may do: read the tenants' lifecycle
// parameters and publish to the operations topic (encrypted with the
// baseline key: publishing to an encrypted topic needs
// kms:GenerateDataKey* and kms:Decrypt,
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
func WatchPolicy(region, account, topicArn, keyArn string) policydoc.Document {
	return policydoc.Document{Statement: []policydoc.Statement{
		{Sid: "ReadDeployedLifecycle", Effect: "Allow", Action: policydoc.List("ssm:GetParameter"),
			Resource: policydoc.List(fmt.Sprintf("arn:aws:ssm:%s:%s:parameter%s*", region, account, expect.LifecycleParameterPrefix))},
		{Sid: "AlertOperations", Effect: "Allow", Action: policydoc.List("sns:Publish"), Resource: policydoc.List(topicArn)},
		{Sid: "EncryptedTopic", Effect: "Allow", Action: policydoc.List("kms:GenerateDataKey*", "kms:Decrypt"), Resource: policydoc.List(keyArn)},
	}}
}

// StartWatchPolicy is what the deadline schedules may do: start the
// watchdog.
func StartWatchPolicy(machineArn string) policydoc.Document {
	return policydoc.Document{Statement: []policydoc.Statement{
		{Sid: "StartWatchdog", Effect: "Allow", Action: policydoc.List("states:StartExecution"), Resource: policydoc.List(machineArn)},
	}}
}

// OperationsTopicPolicy: only the account publishes and subscribes (its
// principals as their IAM policies allow: the watchdog's role; a role
// named here would have to exist before the topic, as SNS checks the
// principals of a policy), only over TLS (WP-21.2).
func OperationsTopicPolicy(topicArn, account string) policydoc.Document {
	return policydoc.Document{Statement: []policydoc.Statement{
		{Sid: "AccountOnly", Effect: "Allow", Principal: policydoc.AWS(fmt.Sprintf("arn:aws:iam::%s:root", account)),
			Action:   policydoc.List("sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"),
			Resource: policydoc.List(topicArn)},
		{Sid: "DenyInsecureTransport", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("sns:Publish"), Resource: policydoc.List(topicArn),
			Condition: policydoc.Condition{"Bool": {"aws:SecureTransport": policydoc.List("false")}}},
	}}
}
