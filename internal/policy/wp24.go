package policy

import (
	"fmt"

	"github.com/tenantkit/tenantkit/internal/config"
)

// WP-24: memory, CPU and disk alarms to the encrypted topic.
var _ = register(Rule{ID: "WP-24",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		want := map[string]float64{"mem_used_percent": in.Tenant.Alarms.MemoryPercent, "CPUUtilization": in.Tenant.Alarms.CPUPercent, "disk_used_percent": in.Tenant.Alarms.DiskPercent}
		topics := in.Graph.OfType(tTopic)
		for metric, threshold := range want {
			found := false
			for _, a := range in.Graph.OfType(tAlarm) {
				if m, _ := a.String("metricName"); m != metric {
					continue
				}
				found = true
				if th, _ := a.Get("threshold").(float64); th != threshold {
					e.Failf(label(a), fmt.Sprintf("threshold %v from config", threshold), "threshold %v", th)
					continue
				}
				if ns, _ := a.String("namespace"); metric != "CPUUtilization" && ns != config.MetricNamespace(in.Tenant.TenantID) {
					e.Fail(label(a), ns, "namespace "+config.MetricNamespace(in.Tenant.TenantID)+" (the tenant's CloudWatch agent)")
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
				if !notifies && unknown {
					// The topic's ARN is computed at deploy time (real engine).
					e.Unknown(label(a), "the alarm's actions", "the operator's alert topic")
					continue
				}
				if !notifies {
					e.Fail(label(a), strs(a.Get("alarmActions")), "the operator's alert topic")
					continue
				}
				e.Applies()
			}
			if !found {
				e.Fail("stack", "no "+metric+" alarm", metric+" alarm with the configured threshold")
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
			for _, s := range in.Graph.OfType("aws:sns/topicSubscription:TopicSubscription") {
				switch ref(in, s.Get("topic"), t) {
				case refYes:
					subscribers++
				case refUnknown:
					unknown = true
				}
			}
			switch {
			case subscribers > 0:
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
