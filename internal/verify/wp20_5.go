package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
)

// WP-20.5/bootstrap: the launch template version the group launches sends
// the host logs to the tenant's host log group.
var _ = register(Check{ID: "WP-20.5/bootstrap", Control: "WP-20.5", Title: "the running bootstrap sends the host logs to the tenant's group",
	Run: func(ctx context.Context, t *Target, r *Run) {
		group := config.HostLogGroup(t.Inv.Tenant)
		expected := "the system, authentication and SSM agent logs sent to " + group
		res, d, ok := runningVersion(ctx, t, r, expected)
		if !ok {
			return
		}
		ud := bootstrap(d)
		if ud == "" {
			r.Fail(res, "no readable bootstrap", expected)
			return
		}
		switch missing, err := awsdocs.MissingHostLogs(ud, group); {
		case err != nil:
			r.Fail(res, err.Error(), expected)
		case len(missing) > 0:
			r.Fail(res, "not sent: "+strings.Join(missing, ", "), expected)
		case !strings.Contains(ud, "rsyslog"):
			r.Fail(res, "no rsyslog installed", expected)
		default:
			r.Pass(res, "system, authentication and SSM agent logs to "+group)
		}
	}})

// WP-20.5/received: every instance of the group has sent host logs: a
// stream named for it in the host log group (CloudWatch Logs API
// reference, DescribeLogStreams by prefix).
var _ = register(Check{ID: "WP-20.5/received", Control: "WP-20.5", Title: "every instance's host logs arrive in the tenant's group",
	Run: func(ctx context.Context, t *Target, r *Run) {
		group := config.HostLogGroup(t.Inv.Tenant)
		expected := "streams <instance>/messages, /secure, /ssm-agent in " + group
		g, err := tenantGroup(ctx, t)
		if err != nil {
			r.Error("group "+t.Inv.AutoScalingGroup, err, expected)
			return
		}
		if len(g.Instances) == 0 {
			r.Error("group "+t.Inv.AutoScalingGroup, fmt.Errorf("no instance in the group to judge"), expected)
			return
		}
		var ids []string
		for _, in := range g.Instances {
			ids = append(ids, aws.ToString(in.InstanceId))
		}
		launched, err := launchTimes(ctx, t, ids)
		if err != nil {
			r.Error("instances of "+t.Inv.AutoScalingGroup, err, expected)
			return
		}
		for _, id := range ids {
			at, ok := launched[id]
			switch {
			case !ok:
				r.Error("instance "+id, fmt.Errorf("no launch time in the answer"), expected)
				continue
			case time.Since(at) < firstLogsDue:
				r.NA(fmt.Sprintf("instance %s launched %s ago: its first host logs are due %s after launch", id, time.Since(at).Round(time.Second), firstLogsDue))
				continue
			}
			var streams []string
			err := allPages("logs:DescribeLogStreams", func(tok *string) (*string, error) {
				out, err := t.Clients.Logs.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), LogStreamNamePrefix: aws.String(id + "/"), NextToken: tok})
				if err != nil {
					return nil, err
				}
				for _, s := range out.LogStreams {
					if name := aws.ToString(s.LogStreamName); strings.HasPrefix(name, id+"/") {
						streams = append(streams, strings.TrimPrefix(name, id+"/"))
					}
				}
				return out.NextToken, nil
			})
			switch {
			case err != nil:
				r.Error("instance "+id, err, expected)
			case len(streams) == 0:
				r.Fail("instance "+id, "no host logs received in "+group, expected)
			default:
				r.Pass("instance "+id, "host logs received: "+strings.Join(streams, ", "))
			}
		}
	}})

// firstLogsDue is how long after launch an instance's first host logs are
// expected: the bootstrap installs the agent, which then sends every five
// seconds (CloudWatch user guide, the agent's force_flush_interval).
const firstLogsDue = 15 * time.Minute

// launchTimes reads when each instance was launched (EC2 DescribeInstances,
// at most 1,000 ids a call, all pages).
func launchTimes(ctx context.Context, t *Target, ids []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := allPages("ec2:DescribeInstances", func(tok *string) (*string, error) {
		page, err := t.Clients.EC2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids, NextToken: tok})
		if err != nil {
			return nil, err
		}
		for _, res := range page.Reservations {
			for _, in := range res.Instances {
				if in.LaunchTime != nil {
					out[aws.ToString(in.InstanceId)] = *in.LaunchTime
				}
			}
		}
		return page.NextToken, nil
	})
	return out, err
}
