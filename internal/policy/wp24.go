package policy

import (
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-24: memory, CPU and disk alarms to the encrypted topic.
var _ = register(Rule{ID: "WP-24",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		// Each alarm the stack declares, judged field by field as the live
		// check judges what it reads (expect.AlarmProblems).
		topics := in.Graph.OfType(tTopic)
		group := expect.AutoScalingGroupName(in.Tenant.TenantID)
		for _, spec := range expect.Alarms(in.Tenant.TenantID, in.Tenant.Alarms) {
			name := expect.AlarmName(in.Tenant.TenantID, spec.Key)
			var a *graph.Resource
			for _, x := range in.Graph.OfType(tAlarm) {
				if n, _ := x.String("name"); n == name {
					a = x
				}
			}
			if a == nil {
				e.Fail("stack", "no alarm "+name, spec.Metric+" alarm with the configured threshold")
				continue
			}
			th, _ := a.Get("threshold").(float64)
			period, _ := num(a, "period")
			evals, _ := num(a, "evaluationPeriods")
			dims, _ := a.Get("dimensions").(map[string]any)
			g, _ := dims["AutoScalingGroupName"].(string)
			if len(dims) != 1 {
				g = fmt.Sprint(dims)
			}
			got := expect.AlarmRead{Metric: str(a, "metricName"), Namespace: str(a, "namespace"), Statistic: str(a, "statistic"), Operator: str(a, "comparisonOperator"),
				TreatMissingData: str(a, "treatMissingData"), Threshold: th, Period: int32(period), EvaluationPeriods: int32(evals), Group: g}
			if ps := expect.AlarmProblems(got, spec, group); len(ps) > 0 {
				e.Fail(label(a), strings.Join(ps, "; "), fmt.Sprintf("%s %s %s %v as the stack declares", spec.Metric, expect.Alarm.Statistic, expect.Alarm.Operator, spec.Threshold))
				continue
			}
			notifies, unknown := false, false
			for _, act := range asSlice(a.Get("alarmActions")) {
				for _, t := range topics {
					switch ref(in, act, t) {
					case refYes:
						notifies = true
					case refUnknown:
						unknown = true
					}
				}
			}
			switch {
			case !notifies && unknown:
				// The topic's ARN is computed at deploy time (real engine).
				e.Unknown(label(a), "the alarm's actions", "the operator's alert topic")
			case !notifies:
				e.Fail(label(a), strs(a.Get("alarmActions")), "the operator's alert topic")
			default:
				e.Applies()
			}
		}
		if len(topics) == 0 {
			e.Fail("stack", "no alert topic", "an encrypted SNS topic")
		}
		// An alert must reach a person (§24, §29, §37): the topic has a
		// subscriber, which confirms its subscription (the live check sees
		// whether it did).
		for _, t := range topics {
			subscribers, unknown := 0, false
			var declared []string
			for _, s := range in.Graph.OfType("aws:sns/topicSubscription:TopicSubscription") {
				switch ref(in, s.Get("topic"), t) {
				case refYes:
					subscribers++
					declared = append(declared, str(s, "protocol")+":"+str(s, "endpoint"))
				case refUnknown:
					unknown = true
				}
			}
			switch {
			case subscribers > 0:
				if ps := expect.SubscriberProblems(declared, nil, in.Tenant.AlertEmails); len(ps) > 0 {
					e.Fail(label(t), strings.Join(ps, "; "), "e-mail subscriptions of alertEmails, and nothing else")
					continue
				}
				e.Applies()
			case unknown:
				e.Unknown(label(t), "the subscriptions' topic", "at least one subscriber")
			default:
				e.Fail(label(t), "no subscriber: alarms and findings reach no one", "at least one subscriber (alertEmails)")
			}
		}
		// The instances' metrics every minute, and the load balancer's
		// health check on: what the alarms and the operator watch.
		requireTrue(in, e, tLaunchTemplate, "monitoring.enabled", "detailed monitoring off", "detailed (1-minute) monitoring of the instances")
		requireTrue(in, e, tTargetGroup, "healthCheck.enabled", "health check off", "a health check on the target group")
	},
})
