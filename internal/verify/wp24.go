package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/tenantkit/tenantkit/internal/expect"
)

// WP-24/alarms: each alarm the stack declares, read back and compared with
// its spec field by field (expect.AlarmProblems, the plan rule's verdict
// too): metric, namespace, threshold, statistic, period, evaluation
// periods, operator, missing data, the group it watches; enabled, and
// notifying the topic.
var _ = register(Check{ID: "WP-24/alarms", Control: "WP-24", Title: "memory, CPU and disk alarms as the stack declares them, to the topic",
	Run: func(ctx context.Context, t *Target, r *Run) {
		specs := expect.Alarms(t.Inv.Tenant, t.Cfg.Alarms)
		var names []string
		for _, s := range specs {
			names = append(names, expect.AlarmName(t.Inv.Tenant, s.Key))
		}
		alarms, err := collectPages("cloudwatch:DescribeAlarms", func(tok *string) ([]cwtypes.MetricAlarm, *string, error) {
			out, err := t.Clients.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: names, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.MetricAlarms, out.NextToken, nil
		})
		if err != nil {
			r.Error("alarms "+strings.Join(names, ","), err, "the tenant's alarms")
			return
		}
		for i, spec := range specs {
			name := names[i]
			want := fmt.Sprintf("%s %s %s %v, %s of %ds twice, missing data %s, on %s, to %s", spec.Metric, expect.Alarm.Statistic, expect.Alarm.Operator, spec.Threshold,
				expect.Alarm.Statistic, expect.Alarm.PeriodSeconds, expect.Alarm.TreatMissingData, t.Inv.AutoScalingGroup, t.Inv.TopicArn)
			res := "alarm " + name
			j := slices.IndexFunc(alarms, func(a cwtypes.MetricAlarm) bool { return aws.ToString(a.AlarmName) == name })
			if j < 0 {
				r.Fail(res, notAmong(len(alarms), "alarms", "DescribeAlarms"), want)
				continue
			}
			a := alarms[j]
			got := expect.AlarmRead{Metric: aws.ToString(a.MetricName), Namespace: aws.ToString(a.Namespace), Statistic: string(a.Statistic),
				Operator: string(a.ComparisonOperator), TreatMissingData: aws.ToString(a.TreatMissingData), Threshold: aws.ToFloat64(a.Threshold),
				Period: aws.ToInt32(a.Period), EvaluationPeriods: aws.ToInt32(a.EvaluationPeriods), Group: groupDimension(a.Dimensions)}
			problems := expect.AlarmProblems(got, spec, t.Inv.AutoScalingGroup)
			if !aws.ToBool(a.ActionsEnabled) {
				problems = append(problems, "actions disabled")
			}
			if !slices.Contains(a.AlarmActions, t.Inv.TopicArn) {
				problems = append(problems, fmt.Sprintf("alarm actions %v, not the topic", a.AlarmActions))
			}
			if len(problems) > 0 {
				r.Fail(res, strings.Join(problems, "; "), want)
				continue
			}
			r.Pass(res, fmt.Sprintf("%s %s %s %v, period %ds x %d, missing data %s, dimensions %s, actions %v", got.Metric, got.Statistic, got.Operator, got.Threshold,
				got.Period, got.EvaluationPeriods, got.TreatMissingData, dims(a.Dimensions), a.AlarmActions), want)
		}
	}})

// groupDimension is the auto scaling group an alarm's dimensions name, ""
// unless that is its one dimension.
func groupDimension(ds []cwtypes.Dimension) string {
	if len(ds) == 1 && aws.ToString(ds[0].Name) == "AutoScalingGroupName" {
		return aws.ToString(ds[0].Value)
	}
	return dims(ds)
}

func dims(ds []cwtypes.Dimension) string {
	var out []string
	for _, d := range ds {
		out = append(out, aws.ToString(d.Name)+"="+aws.ToString(d.Value))
	}
	return "[" + strings.Join(out, " ") + "]"
}

// WP-24/subscribers: an alert reaches the customer's people only through
// a confirmed subscription, and no one else should receive it. The topic's
// subscriptions are compared with alertEmails (expect.SubscriberProblems,
// the plan rule's verdict too): every address confirmed, nothing else. A
// subscription still waiting for its confirmation mail is listed with the
// SubscriptionArn "PendingConfirmation" and delivers nothing (SNS API
// reference, ListSubscriptionsByTopic; "Confirming the subscription").
var _ = register(Check{ID: "WP-24/subscribers", Control: "WP-24", Title: "the alert topic's confirmed subscribers are the stack's alertEmails, and only they",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "topic " + t.Inv.TopicArn
		want := "confirmed e-mail subscriptions of " + strings.Join(t.Cfg.AlertEmails, ", ") + " and nothing else"
		var confirmed, pending []string
		err := allPages("sns:ListSubscriptionsByTopic", func(tok *string) (*string, error) {
			out, err := t.Clients.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(t.Inv.TopicArn), NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, s := range out.Subscriptions {
				who := aws.ToString(s.Protocol) + ":" + aws.ToString(s.Endpoint)
				switch arn := aws.ToString(s.SubscriptionArn); {
				case arn == "PendingConfirmation":
					pending = append(pending, who)
				case strings.HasPrefix(arn, "arn:"):
					confirmed = append(confirmed, who)
				}
			}
			return out.NextToken, nil
		})
		if err != nil {
			r.Error(res, err, want)
			return
		}
		if ps := expect.SubscriberProblems(confirmed, pending, t.Cfg.AlertEmails); len(ps) > 0 {
			for _, p := range ps {
				r.Fail(res, p, want)
			}
			return
		}
		r.Pass(res, "confirmed: "+strings.Join(confirmed, ", "), want)
	}})
