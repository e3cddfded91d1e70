package verify

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/catalog"
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
			r.Fail(res, unreadableBootstrap(d), expected)
			return
		}
		switch missing, err := awsdocs.MissingHostLogs(ud, group); {
		case err != nil:
			r.Fail(res, err.Error(), expected)
		case len(missing) > 0:
			r.Fail(res, "not sent: "+strings.Join(missing, ", "), expected)
		case !strings.Contains(ud, "rsyslog"):
			r.Fail(res, fmt.Sprintf("a bootstrap of %d lines, none naming rsyslog", strings.Count(ud, "\n")+1), expected)
		default:
			r.Pass(res, "rsyslog installed; the agent sends "+strings.Join(hostLogPaths(), ", ")+" to "+group, expected)
		}
	}})

// WP-20.5/received: every instance of the group sends every host log the
// bootstrap configures, and is still sending: a stream per file named for
// the instance in the host log group (CloudWatch Logs API reference,
// DescribeLogStreams by prefix), and the freshest event of the instance no
// older than catalog.MaxAge.HostLogs (a quiet authentication log is not a
// stopped agent; a host none of whose logs moved in an hour is). An
// instance younger than its first logs are due is PENDING.
var _ = register(Check{ID: "WP-20.5/received", Control: "WP-20.5", Title: "every instance's host logs arrive in the tenant's group, and keep arriving",
	Run: func(ctx context.Context, t *Target, r *Run) {
		group := config.HostLogGroup(t.Inv.Tenant)
		var want []string
		for _, f := range awsdocs.HostLogFiles {
			want = append(want, strings.TrimPrefix(f.Stream, "{instance_id}/"))
		}
		expected := fmt.Sprintf("streams <instance>/%s in %s, the latest event at most %s old", strings.Join(want, ", /"), group, catalog.MaxAge.HostLogs)
		ids, launched, ok := groupInstances(ctx, t, r, expected)
		if !ok {
			return
		}
		for _, id := range ids {
			res := "instance " + id
			if age := t.age(launched[id]); age < catalog.MaxAge.FirstReading {
				r.Pending(res, fmt.Sprintf("launched %s ago: its first host logs are due %s after launch", age.Round(time.Second), catalog.MaxAge.FirstReading), expected)
				continue
			}
			last := map[string]time.Time{}
			err := allPages("logs:DescribeLogStreams", func(tok *string) (*string, error) {
				out, err := t.Clients.Logs.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), LogStreamNamePrefix: aws.String(id + "/"), NextToken: tok})
				if err != nil {
					return nil, err
				}
				for _, s := range out.LogStreams {
					if name := aws.ToString(s.LogStreamName); strings.HasPrefix(name, id+"/") {
						var at time.Time
						if s.LastEventTimestamp != nil {
							at = time.UnixMilli(*s.LastEventTimestamp)
						}
						last[strings.TrimPrefix(name, id+"/")] = at
					}
				}
				return out.NextToken, nil
			})
			if err != nil {
				r.Error(res, err, expected)
				continue
			}
			var missing []string
			var freshest time.Time
			for _, w := range want {
				at, ok := last[w]
				if !ok {
					missing = append(missing, w)
				}
				if at.After(freshest) {
					freshest = at
				}
			}
			switch {
			case len(missing) > 0:
				r.Fail(res, fmt.Sprintf("no stream for %s in %s (received: %s)", strings.Join(missing, ", "), group, streamNames(last)), expected)
			case freshest.IsZero():
				r.Fail(res, "streams "+streamNames(last)+" hold no event", expected)
			case t.age(freshest) > catalog.MaxAge.HostLogs:
				r.Fail(res, fmt.Sprintf("the latest host log event %s ago (%s)", t.age(freshest).Round(time.Minute), freshest.In(config.JST).Format("2006-01-02 15:04 JST")), expected)
			default:
				r.Pass(res, fmt.Sprintf("streams %s, the latest event %s ago", streamNames(last), t.age(freshest).Round(time.Second)), expected)
			}
		}
	}})

func streamNames(m map[string]time.Time) string {
	names := slices.Sorted(maps.Keys(m))
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// groupInstances are the group's instances and when each was launched;
// ok is false when the check is done (recorded as ERROR).
func groupInstances(ctx context.Context, t *Target, r *Run, expected string) (ids []string, launched map[string]time.Time, ok bool) {
	g, err := tenantGroup(ctx, t)
	if err != nil {
		r.Error("group "+t.Inv.AutoScalingGroup, err, expected)
		return nil, nil, false
	}
	if len(g.Instances) == 0 {
		r.Error("group "+t.Inv.AutoScalingGroup, fmt.Errorf("no instance in the group to judge"), expected)
		return nil, nil, false
	}
	for _, in := range g.Instances {
		ids = append(ids, aws.ToString(in.InstanceId))
	}
	launched, err = cached(t, "launched", func() (map[string]time.Time, error) { return launchTimes(ctx, t, ids) })
	if err != nil {
		r.Error("instances of "+t.Inv.AutoScalingGroup, err, expected)
		return nil, nil, false
	}
	for _, id := range ids {
		if _, ok := launched[id]; !ok {
			r.Error("instance "+id, fmt.Errorf("no launch time in the answer"), expected)
			return nil, nil, false
		}
	}
	return ids, launched, true
}

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

func hostLogPaths() []string {
	var out []string
	for _, f := range awsdocs.HostLogFiles {
		out = append(out, f.Path)
	}
	return out
}
