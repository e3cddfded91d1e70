package verify

import (
	"context"
	"fmt"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
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
		if gd, min, err := awsdocs.FindingsPattern(aws.ToString(rule.EventPattern)); err != nil || !gd || min > config.MinFindingSeverity {
			r.Fail(res, "pattern "+aws.ToString(rule.EventPattern), "GuardDuty findings of severity 4 and up")
			return
		}
		var targets []ebtypes.Target
		err = allPages("events:ListTargetsByRule", func(tok *string) (*string, error) {
			out, err := t.Clients.Events.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(t.Inv.FindingsRule), NextToken: tok})
			if err != nil {
				return nil, err
			}
			targets = append(targets, out.Targets...)
			return out.NextToken, nil
		})
		if err != nil {
			r.Error(res, err, "the topic as a target")
			return
		}
		for _, x := range targets {
			if aws.ToString(x.Arn) == t.Inv.TopicArn {
				r.Pass(res, "enabled, severity >= 4, to "+t.Inv.TopicArn)
				return
			}
		}
		r.Fail(res, fmt.Sprintf("%d targets, not the topic", len(targets)), "targets "+t.Inv.TopicArn)
	}})
