package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-37/findings-rule", Control: "WP-37", Title: "GuardDuty findings of medium severity and up reach the topic",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "rule " + t.Inv.FindingsRule
		rule, err := t.Clients.Events.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(t.Inv.FindingsRule)})
		if err != nil {
			r.Error(res, err, "an enabled rule for GuardDuty findings")
			return
		}
		if string(rule.State) != "ENABLED" {
			r.Fail(res, "state "+string(rule.State), "ENABLED")
			return
		}
		if want := expect.FindingsPattern(); !awsdocs.SamePattern(aws.ToString(rule.EventPattern), want) {
			r.Fail(res, "pattern "+aws.ToString(rule.EventPattern), "pattern "+want+" (every GuardDuty finding of severity 4 and up)")
			return
		}
		toTopic(ctx, t, r, res, t.Inv.FindingsRule, "state ENABLED, pattern "+aws.ToString(rule.EventPattern))
	}})

// WP-37/alert-routes: every other alert route (awsdocs.Routes) is the
// tenant's rule, enabled, with the route's pattern for this tenant (its
// tag, its key, its certificate), targeted at the topic: how an alert
// travels to a person, read back.
var _ = register(Check{ID: "WP-37/alert-routes", Control: "WP-37", Title: "Inspector, key and certificate alerts reach the topic",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, route := range awsdocs.Routes {
			name := awsdocs.RouteRuleName(t.Inv.Tenant, route.Key)
			res := "rule " + name
			want, err := awsdocs.RoutePattern(route.Key, t.Inv.Tenant, t.Inv.KeyArn, t.Cfg.CertificateArn)
			if err != nil {
				r.Error(res, err, route.Description)
				continue
			}
			rule, err := t.Clients.Events.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
			switch {
			case isCode(err, "ResourceNotFoundException"): // EventBridge API reference, DescribeRule, errors
				r.Fail(res, answered("DescribeRule", err), route.Description+", to the topic")
				continue
			case err != nil:
				r.Error(res, err, route.Description)
				continue
			case rule.State == "":
				r.Error(res, fmt.Errorf("the answer names no state"), route.Description)
				continue
			case string(rule.State) != "ENABLED":
				r.Fail(res, "state "+string(rule.State), "ENABLED")
				continue
			case !awsdocs.SamePattern(aws.ToString(rule.EventPattern), want):
				r.Fail(res, "pattern "+aws.ToString(rule.EventPattern), "pattern "+want)
				continue
			}
			toTopic(ctx, t, r, res, name, "state ENABLED, pattern "+aws.ToString(rule.EventPattern))
		}
	}})

// toTopic passes a rule whose targets include the tenant's topic.
func toTopic(ctx context.Context, t *Target, r *Run, res, rule, what string) {
	targets, err := ruleTargets(ctx, t, rule)
	if err != nil {
		r.Error(res, err, "the topic as a target")
		return
	}
	for _, x := range targets {
		if aws.ToString(x.Arn) == t.Inv.TopicArn {
			r.Pass(res, what+", target "+t.Inv.TopicArn, "enabled, the stack's pattern, targeting "+t.Inv.TopicArn)
			return
		}
	}
	r.Fail(res, fmt.Sprintf("%d targets, not the topic", len(targets)), "targets "+t.Inv.TopicArn)
}

// ruleTargets lists every target of an EventBridge rule.
func ruleTargets(ctx context.Context, t *Target, rule string) ([]ebtypes.Target, error) {
	return collectPages("events:ListTargetsByRule", func(tok *string) ([]ebtypes.Target, *string, error) {
		out, err := t.Clients.Events.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return out.Targets, out.NextToken, nil
	})
}
