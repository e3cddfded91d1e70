package verify

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/tenantkit/tenantkit/internal/config"
)

var _ = register(Check{ID: "WP-24/alarms", Control: "WP-24", Title: "memory, CPU and disk alarms with the configured thresholds, to the topic",
	Run: func(ctx context.Context, t *Target, r *Run) {
		alarms, err := collectPages("cloudwatch:DescribeAlarms", func(tok *string) ([]cwtypes.MetricAlarm, *string, error) {
			out, err := t.Clients.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: t.Inv.Alarms, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.MetricAlarms, out.NextToken, nil
		})
		if err != nil {
			r.Error("alarms "+strings.Join(t.Inv.Alarms, ","), err, "the tenant's alarms")
			return
		}
		want := map[string]float64{"CPUUtilization": t.Cfg.Alarms.CPUPercent, "mem_used_percent": t.Cfg.Alarms.MemoryPercent, "disk_used_percent": t.Cfg.Alarms.DiskPercent}
		for _, a := range alarms {
			if !slices.Contains(t.Inv.Alarms, aws.ToString(a.AlarmName)) {
				continue
			}
			m := aws.ToString(a.MetricName)
			th, ok := want[m]
			res := "alarm " + aws.ToString(a.AlarmName)
			switch {
			case !ok:
				continue
			case aws.ToFloat64(a.Threshold) != th:
				r.Fail(res, fmt.Sprintf("threshold %v", aws.ToFloat64(a.Threshold)), fmt.Sprintf("threshold %v from config", th))
			case m != "CPUUtilization" && aws.ToString(a.Namespace) != config.MetricNamespace(t.Inv.Tenant):
				r.Fail(res, "namespace "+aws.ToString(a.Namespace), "namespace "+config.MetricNamespace(t.Inv.Tenant))
			case !slices.Contains(a.AlarmActions, t.Inv.TopicArn):
				r.Fail(res, fmt.Sprint(a.AlarmActions), "notifies "+t.Inv.TopicArn)
			case !watchesGroup(a.Dimensions, t.Inv.AutoScalingGroup):
				r.Fail(res, "dimensions "+dims(a.Dimensions), "AutoScalingGroupName="+t.Inv.AutoScalingGroup+" (the tenant's instances)")
			case !aws.ToBool(a.ActionsEnabled):
				r.Fail(res, "actions disabled", "actions enabled")
			default:
				r.Pass(res, fmt.Sprintf("%s > %v to the topic", m, th))
			}
			delete(want, m)
		}
		for m := range want {
			r.Fail("tenant "+t.Inv.Tenant, "no "+m+" alarm", m+" alarm with the configured threshold")
		}
	}})

func watchesGroup(ds []cwtypes.Dimension, group string) bool {
	return len(ds) == 1 && aws.ToString(ds[0].Name) == "AutoScalingGroupName" && aws.ToString(ds[0].Value) == group
}

func dims(ds []cwtypes.Dimension) string {
	var out []string
	for _, d := range ds {
		out = append(out, aws.ToString(d.Name)+"="+aws.ToString(d.Value))
	}
	return "[" + strings.Join(out, " ") + "]"
}

// An alert reaches a person only through a confirmed subscription: a
// subscription still waiting for its confirmation mail is listed with the
// SubscriptionArn "PendingConfirmation" and delivers nothing (SNS API
// reference, ListSubscriptionsByTopic; "Confirming the subscription").
var _ = register(Check{ID: "WP-24/subscribers", Control: "WP-24", Title: "the alert topic has a confirmed subscriber",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "topic " + t.Inv.TopicArn
		confirmed, pending := map[string]int{}, 0
		err := allPages("sns:ListSubscriptionsByTopic", func(tok *string) (*string, error) {
			out, err := t.Clients.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(t.Inv.TopicArn), NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, s := range out.Subscriptions {
				switch arn := aws.ToString(s.SubscriptionArn); {
				case arn == "PendingConfirmation":
					pending++
				case strings.HasPrefix(arn, "arn:"):
					confirmed[aws.ToString(s.Protocol)]++
				}
			}
			return out.NextToken, nil
		})
		if err != nil {
			r.Error(res, err, "a confirmed subscriber")
			return
		}
		switch {
		case len(confirmed) > 0:
			var parts []string
			for _, p := range slices.Sorted(maps.Keys(confirmed)) {
				parts = append(parts, fmt.Sprintf("%d %s", confirmed[p], p))
			}
			r.Pass(res, "confirmed subscribers: "+strings.Join(parts, ", "))
		case pending > 0:
			r.Fail(res, fmt.Sprintf("%d subscription(s) pending confirmation, none confirmed: alerts reach no one yet", pending), "a confirmed subscriber")
		default:
			r.Fail(res, "no subscriber: alerts reach no one", "a confirmed subscriber")
		}
	}})
