package verify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-27/flow-logs", Control: "WP-27", Title: "VPC flow log of ALL traffic, active",
	Run: func(ctx context.Context, t *Target, r *Run) {
		flowLogs, err := collectPages("ec2:DescribeFlowLogs", func(tok *string) ([]ec2types.FlowLog, *string, error) {
			out, err := t.Clients.EC2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{t.Inv.VpcID}}}, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.FlowLogs, out.NextToken, nil
		})
		if err != nil {
			r.Error("flow logs of "+t.Inv.VpcID, err, "a flow log of ALL traffic")
			return
		}
		var seen []string
		for _, f := range flowLogs {
			if aws.ToString(f.ResourceId) != t.Inv.VpcID {
				continue
			}
			res := "flow log " + aws.ToString(f.FlowLogId)
			switch {
			case f.TrafficType != ec2types.TrafficTypeAll:
				seen = append(seen, res+": traffic "+string(f.TrafficType))
			case aws.ToString(f.FlowLogStatus) != "ACTIVE":
				seen = append(seen, res+": status "+aws.ToString(f.FlowLogStatus))
			case aws.ToString(f.LogGroupName) != t.Inv.FlowLogGroup:
				seen = append(seen, res+": to "+aws.ToString(f.LogGroupName))
			case aws.ToString(f.DeliverLogsStatus) != "SUCCESS":
				// FAILED: the role cannot write, or the group is gone
				// (EC2 API reference, FlowLog.DeliverLogsStatus).
				seen = append(seen, res+": delivery "+aws.ToString(f.DeliverLogsStatus)+" "+aws.ToString(f.DeliverLogsErrorMessage))
			default:
				r.Pass(res, fmt.Sprintf("traffic %s, %s, to %s, delivery %s", f.TrafficType, aws.ToString(f.FlowLogStatus), aws.ToString(f.LogGroupName), aws.ToString(f.DeliverLogsStatus)), "an active flow log of ALL traffic delivering to "+t.Inv.FlowLogGroup)
				return
			}
		}
		observed := "no flow log"
		if len(seen) > 0 {
			observed = strings.Join(seen, "; ")
		}
		r.Fail("VPC "+t.Inv.VpcID, observed, "an active flow log of ALL traffic delivering to "+t.Inv.FlowLogGroup)
	}})

// WP-27/bucket-logs: every bucket's access logs go where the stack sends
// them (expect.AccessLogTarget): the tenant's service-logs bucket, the
// archive's to the baseline's, never into a bucket that replicates back.
var _ = register(Check{ID: "WP-27/bucket-logs", Control: "WP-27", Title: "bucket access logs to the service-logs bucket (the archive's to the baseline's)",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			if b == t.Inv.Buckets.ServiceLogs {
				continue // the target cannot log to itself
			}
			role := expect.RoleData
			if b == t.Inv.Buckets.LogArchive {
				role = expect.RoleLogArchive
			}
			target := expect.AccessLogTarget(t.Inv.Tenant, role, t.Inv.AccountID)
			want := "access logs to " + target
			out, err := t.Clients.S3.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String(b)})
			if err != nil {
				r.Error(bucketRes(t, b), err, want)
				continue
			}
			if out.LoggingEnabled == nil || aws.ToString(out.LoggingEnabled.TargetBucket) != target {
				got := "off"
				if out.LoggingEnabled != nil {
					got = "to " + aws.ToString(out.LoggingEnabled.TargetBucket)
				}
				r.Fail(bucketRes(t, b), "access logs "+got, want)
			} else {
				r.Pass(bucketRes(t, b), "access logs to "+target+" prefix "+aws.ToString(out.LoggingEnabled.TargetPrefix), want)
			}
		}
	}})

// WP-27/trail: the trail that records the tenant logs, delivers its log
// files recently into the bucket the stack expects (the baseline's archive
// in the shared mode, the tenant's own in the dedicated mode), under the
// key that outlives the tenant, validates them, reaches CloudWatch Logs and
// records every management event, read and write.
var _ = register(Check{ID: "WP-27/trail", Control: "WP-27", Title: "the trail logs every management event into the expected archive, validated, encrypted, recently delivered, to CloudWatch Logs",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "trail " + t.Inv.Trail.Arn
		bucket := expect.TrailBucket(t.Inv.Trail.Mode, t.Inv.Tenant, t.Inv.AccountID)
		want := fmt.Sprintf("logging, multi-region with global events, log files into %s/%s validated and encrypted with %s, delivered within %s, to CloudWatch Logs, every management event (read and write)",
			bucket, expect.TrailPrefix, cmp.Or(t.Inv.ArchiveKeyArn, "a KMS key"), catalog.MaxAge.TrailDelivery)
		tr, err := readTrail(ctx, t)
		if err != nil {
			r.Error(res, err, want)
			return
		}
		st, err := t.Clients.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: tr.TrailARN})
		if err != nil {
			r.Error(res, err, want)
			return
		}
		sel, err := t.Clients.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: tr.TrailARN})
		if err != nil {
			r.Error(res, err, want)
			return
		}
		var wrong []string
		if !aws.ToBool(st.IsLogging) {
			wrong = append(wrong, "not logging")
		}
		if e := aws.ToString(st.LatestDeliveryError); e != "" {
			wrong = append(wrong, "S3 delivery error "+e)
		}
		if e := aws.ToString(st.LatestCloudWatchLogsDeliveryError); e != "" {
			wrong = append(wrong, "CloudWatch Logs delivery error "+e)
		}
		if !aws.ToBool(tr.IsMultiRegionTrail) || !aws.ToBool(tr.IncludeGlobalServiceEvents) {
			wrong = append(wrong, fmt.Sprintf("multi-region %v, global service events %v", aws.ToBool(tr.IsMultiRegionTrail), aws.ToBool(tr.IncludeGlobalServiceEvents)))
		}
		if got := aws.ToString(tr.S3BucketName); got != bucket || aws.ToString(tr.S3KeyPrefix) != expect.TrailPrefix {
			wrong = append(wrong, fmt.Sprintf("log files into %s/%s", got, aws.ToString(tr.S3KeyPrefix)))
		}
		if !aws.ToBool(tr.LogFileValidationEnabled) {
			wrong = append(wrong, "log-file validation off")
		}
		if aws.ToString(tr.KmsKeyId) == "" {
			wrong = append(wrong, "no KMS key")
		}
		if aws.ToString(tr.CloudWatchLogsLogGroupArn) == "" {
			wrong = append(wrong, "no CloudWatch Logs delivery")
		}
		if why := managementIncomplete(sel.AdvancedEventSelectors, sel.EventSelectors); why != "" {
			wrong = append(wrong, why)
		}
		delivered := aws.ToTime(st.LatestDeliveryTime)
		switch {
		case delivered.IsZero() && t.age(aws.ToTime(st.StartLoggingTime)) < catalog.MaxAge.TrailDelivery:
			r.Pending(res, "no log file delivered yet since logging started "+aws.ToTime(st.StartLoggingTime).In(config.JST).Format("2006-01-02 15:04 JST"), want)
		case delivered.IsZero():
			wrong = append(wrong, "no log file ever delivered")
		case t.age(delivered) > catalog.MaxAge.TrailDelivery:
			wrong = append(wrong, fmt.Sprintf("the latest log file delivered %s ago", t.age(delivered).Round(time.Minute)))
		}
		if len(wrong) > 0 {
			r.Fail(res, strings.Join(wrong, "; "), want)
			return
		}
		observed := fmt.Sprintf("logging, multi-region, log files into %s/%s validated, to %s, every management event, delivered %s ago",
			aws.ToString(tr.S3BucketName), aws.ToString(tr.S3KeyPrefix), aws.ToString(tr.CloudWatchLogsLogGroupArn), t.age(delivered).Round(time.Second))
		if t.Inv.ArchiveKeyArn != "" {
			keyVerdict(ctx, t, r, res, aws.ToString(tr.KmsKeyId), t.Inv.ArchiveKeyArn, observed+", encrypted")
			return
		}
		r.Pass(res, observed+", encrypted with "+aws.ToString(tr.KmsKeyId), want)
	}})

// managementIncomplete reads a trail's selectors as the judges compare
// them (expect.ManagementProblem, the plan rule's verdict too).
func managementIncomplete(adv []cttypes.AdvancedEventSelector, basic []cttypes.EventSelector) string {
	var sels []expect.Selector
	for _, s := range adv {
		sel := expect.Selector{}
		for _, f := range s.FieldSelectors {
			name := aws.ToString(f.Field)
			sel[name] = append(sel[name], f.Equals...)
			for op, vs := range map[string][]string{"StartsWith": f.StartsWith, "NotEquals": f.NotEquals, "EndsWith": f.EndsWith, "NotStartsWith": f.NotStartsWith, "NotEndsWith": f.NotEndsWith} {
				if len(vs) > 0 {
					sel[name+" "+op] = vs
				}
			}
		}
		sels = append(sels, sel)
	}
	var rw []string
	for _, s := range basic {
		if aws.ToBool(s.IncludeManagementEvents) {
			rw = append(rw, string(s.ReadWriteType))
		}
	}
	return expect.ManagementProblem(sels, rw)
}

var _ = register(Check{ID: "WP-27/trail-coverage", Control: "WP-27", Title: "the trail records the object events of the tenant's buckets",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "trail " + t.Inv.Trail.Arn
		tr, err := readTrail(ctx, t)
		if err != nil {
			r.Error(res, err, "data events of "+strings.Join(t.Inv.Trail.Coverage, ", "))
			return
		}
		out, err := t.Clients.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: tr.TrailARN})
		if err != nil {
			r.Error(res, err, "data events of "+strings.Join(t.Inv.Trail.Coverage, ", "))
			return
		}
		for _, b := range t.Inv.Trail.Coverage {
			if trailCovers(out.AdvancedEventSelectors, out.EventSelectors, b) {
				r.Pass("bucket "+b, "every object event (read and write) recorded by "+aws.ToString(tr.TrailARN), "all object events of the bucket recorded")
			} else {
				r.Fail("bucket "+b, "not every object event covered by "+aws.ToString(tr.TrailARN)+"'s selectors", "all object events of the bucket recorded")
			}
		}
		if len(t.Inv.Trail.Coverage) == 0 {
			r.Fail(res, fmt.Sprintf("the inventory names %d buckets to cover", len(t.Inv.Trail.Coverage)), "the tenant's data buckets")
		}
	}})

var _ = register(Check{ID: "WP-27/alb-logs", Control: "WP-27", Title: "load-balancer access logs to the service-logs bucket; invalid headers dropped",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "load balancer " + t.Inv.LoadBalancerArn
		out, err := t.Clients.ELB.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(t.Inv.LoadBalancerArn)})
		if err != nil {
			r.Error(res, err, "access logs on")
			return
		}
		attr := map[string]string{}
		for _, a := range out.Attributes {
			attr[aws.ToString(a.Key)] = aws.ToString(a.Value)
		}
		switch {
		case attr["access_logs.s3.enabled"] != "true":
			r.Fail(res, "access_logs.s3.enabled="+attr["access_logs.s3.enabled"], "access logs on")
		case attr["access_logs.s3.bucket"] != t.Inv.Buckets.ServiceLogs:
			r.Fail(res, "access logs to "+attr["access_logs.s3.bucket"], "access logs to "+t.Inv.Buckets.ServiceLogs)
		case attr["routing.http.drop_invalid_header_fields.enabled"] != "true":
			r.Fail(res, "routing.http.drop_invalid_header_fields.enabled="+attr["routing.http.drop_invalid_header_fields.enabled"], "routing.http.drop_invalid_header_fields.enabled=true")
		default:
			r.Pass(res, "access logs to "+attr["access_logs.s3.bucket"]+", invalid headers dropped", "access logs to "+t.Inv.Buckets.ServiceLogs+", routing.http.drop_invalid_header_fields.enabled=true")
		}
	}})

var _ = register(Check{ID: "WP-27/trail-view", Control: "WP-27", Title: "the tenant reads its own records of the shared trail",
	Run: func(ctx context.Context, t *Target, r *Run) {
		id := t.Inv.Tenant
		group := expect.TrailViewGroup(id)
		if t.Inv.Trail.Mode == expect.TrailDedicated {
			r.NA("dedicated trail mode: the tenant's own trail writes "+group+" (WP-27/trail)", "専用証跡モード：テナント自身の証跡がロググループに書き込む（WP-27 の証跡の確認で判定）")
			return
		}
		groupArn := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", t.Inv.Region, t.Inv.AccountID, group)
		res := "log group " + group
		groups, err := tenantLogGroups(ctx, t)
		if err != nil {
			r.Error(res, err, "the tenant's records of the shared trail in "+group)
			return
		}
		if _, ok := groups[group]; !ok {
			r.Fail(res, notAmong(len(groups), "log groups", "DescribeLogGroups"), "the tenant's records of the shared trail in "+group)
			return
		}
		// The buckets the stack file declares (#23 item 8), named as the
		// program names them; WP-11/stack-inventory judges the inventory.
		var buckets []string
		for _, c := range t.Cfg.DataClassifications {
			buckets = append(buckets, expect.BucketName(id, c, t.Inv.AccountID))
		}
		for _, c := range expect.TrailViewCopies(id, t.Inv.AccountID, buckets) {
			name, want, kind := c.Name, c.Pattern, c.Kind
			rres := "rule " + name
			rule, err := t.Clients.Events.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
			switch {
			case isCode(err, "ResourceNotFoundException"):
				r.Fail(rres, answered("DescribeRule", err), "the tenant's "+kind+" records copied to "+group)
				continue
			case err != nil:
				r.Error(rres, err, "the tenant's "+kind+" records copied to "+group)
				continue
			case string(rule.State) != expect.TrailViewState:
				r.Fail(rres, "state "+string(rule.State), "state "+expect.TrailViewState+" (read-only calls too)")
				continue
			case !awsdocs.SamePattern(aws.ToString(rule.EventPattern), want):
				r.Fail(rres, "pattern "+aws.ToString(rule.EventPattern), "pattern "+want)
				continue
			}
			targets, err := ruleTargets(ctx, t, name)
			if err != nil {
				r.Error(rres, err, "targets "+groupArn)
				continue
			}
			if !slices.ContainsFunc(targets, func(x ebtypes.Target) bool {
				a := strings.TrimSuffix(aws.ToString(x.Arn), ":*")
				return a == groupArn
			}) {
				r.Fail(rres, fmt.Sprintf("%d targets, not %s", len(targets), group), "targets "+groupArn)
				continue
			}
			r.Pass(rres, fmt.Sprintf("state %s, the stack's pattern, target %s", rule.State, groupArn), "the tenant's "+kind+" records, read-only calls included, to "+group)
		}
		// Without the baseline's resource policy EventBridge cannot write.
		pres := "resource policy " + expect.TrailViewPolicyName
		policies, err := collectPages("logs:DescribeResourcePolicies", func(tok *string) ([]logtypes.ResourcePolicy, *string, error) {
			out, err := t.Clients.Logs.DescribeResourcePolicies(ctx, &cloudwatchlogs.DescribeResourcePoliciesInput{NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.ResourcePolicies, out.NextToken, nil
		})
		if err != nil {
			r.Error(pres, err, "EventBridge allowed to write "+group)
			return
		}
		wantPolicy := expect.TrailViewResourcePolicy(t.Inv.Region, t.Inv.AccountID)
		for _, p := range policies {
			if aws.ToString(p.PolicyName) != expect.TrailViewPolicyName {
				continue
			}
			if !awsdocs.SamePattern(aws.ToString(p.PolicyDocument), wantPolicy) {
				r.Fail(pres, "document "+aws.ToString(p.PolicyDocument), "document "+wantPolicy+" (the baseline's)")
				return
			}
			r.Pass(pres, "document "+aws.ToString(p.PolicyDocument), "document "+wantPolicy+" (the baseline's)")
			return
		}
		r.Fail(pres, notAmong(len(policies), "resource policies", "DescribeResourcePolicies")+": EventBridge cannot write the copies", "the baseline's policy (deploy the baseline stack)")
	}})
