package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

var jst = time.FixedZone("JST", 9*60*60)

// readTrail finds the trail that must cover the tenant by its name among
// the trails this region sees, shadow copies of other regions'
// multi-region trails included (CloudTrail API reference, DescribeTrails:
// names match only the current region's trails, so the list is read
// whole). Its ARN and home region come from the answer: an Osaka tenant's
// shared trail is homed in Tokyo.
func readTrail(ctx context.Context, t *Target) (*cttypes.Trail, error) {
	name := t.Inv.Trail.Arn[strings.LastIndex(t.Inv.Trail.Arn, "/")+1:]
	return cached(t, "trail", func() (*cttypes.Trail, error) {
		out, err := t.Clients.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
		if err != nil {
			return nil, err
		}
		for _, tr := range out.TrailList {
			arn := aws.ToString(tr.TrailARN)
			if aws.ToString(tr.Name) == name && arnAccount(arn) == t.Inv.AccountID {
				return &tr, nil
			}
		}
		return nil, fmt.Errorf("no trail named %s in account %s seen from %s", name, t.Inv.AccountID, t.Inv.Region)
	})
}

func arnAccount(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 5 {
		return ""
	}
	return parts[4]
}

var _ = register(Check{ID: "WP-27/trail", Control: "WP-27", Title: "the trail logs, validates log files, is encrypted and reaches CloudWatch Logs",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "trail " + t.Inv.Trail.Arn
		tr, err := readTrail(ctx, t)
		if err != nil {
			r.Error(res, err, "the trail covering the tenant ("+t.Inv.Trail.Mode+")")
			return
		}
		st, err := t.Clients.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: tr.TrailARN})
		if err != nil {
			r.Error(res, err, "a logging trail")
			return
		}
		switch {
		case !aws.ToBool(st.IsLogging):
			r.Fail(res, "not logging", "logging")
		case aws.ToString(st.LatestDeliveryError) != "":
			r.Fail(res, "S3 delivery error "+aws.ToString(st.LatestDeliveryError), "log files delivered")
		case aws.ToString(st.LatestCloudWatchLogsDeliveryError) != "":
			r.Fail(res, "CloudWatch Logs delivery error "+aws.ToString(st.LatestCloudWatchLogsDeliveryError), "events delivered to CloudWatch Logs")
		case !aws.ToBool(tr.IsMultiRegionTrail) || !aws.ToBool(tr.IncludeGlobalServiceEvents):
			r.Fail(res, fmt.Sprintf("multi-region %v, global service events %v", aws.ToBool(tr.IsMultiRegionTrail), aws.ToBool(tr.IncludeGlobalServiceEvents)), "a multi-region trail with global service events (IAM, STS)")
		case !aws.ToBool(tr.LogFileValidationEnabled):
			r.Fail(res, "log-file validation off", "log-file validation on")
		case aws.ToString(tr.KmsKeyId) == "":
			r.Fail(res, "no KMS key", "KMS-encrypted log files")
		case aws.ToString(tr.CloudWatchLogsLogGroupArn) == "":
			r.Fail(res, "no CloudWatch Logs delivery", "delivered to CloudWatch Logs")
		case t.Inv.ArchiveKeyArn != "":
			keyVerdict(ctx, t, r, res, aws.ToString(tr.KmsKeyId), t.Inv.ArchiveKeyArn, "logging, multi-region, validated, encrypted with the key that outlives the tenant, to CloudWatch Logs")
		default:
			r.Pass(res, "logging, multi-region, validated, encrypted, to CloudWatch Logs")
		}
	}})

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
				r.Pass("bucket "+b, "every object event (read and write) recorded by "+aws.ToString(tr.TrailARN))
			} else {
				r.Fail("bucket "+b, "not every object event covered by "+aws.ToString(tr.TrailARN)+"'s selectors", "all object events of the bucket recorded")
			}
		}
		if len(t.Inv.Trail.Coverage) == 0 {
			r.Fail(res, "the inventory names no bucket to cover", "the tenant's data buckets")
		}
	}})

func listeners(ctx context.Context, t *Target) ([]elbtypes.Listener, error) {
	return cached(t, "listeners", func() ([]elbtypes.Listener, error) {
		out, err := t.Clients.ELB.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(t.Inv.LoadBalancerArn)})
		if err != nil {
			return nil, err
		}
		var mine []elbtypes.Listener
		for _, l := range out.Listeners {
			if aws.ToString(l.LoadBalancerArn) == t.Inv.LoadBalancerArn {
				mine = append(mine, l)
			}
		}
		if len(mine) == 0 {
			return nil, fmt.Errorf("no listener on %s", t.Inv.LoadBalancerArn)
		}
		return mine, nil
	})
}

func listenersAnswer503(ctx context.Context, t *Target, r *Run) {
	ls, err := listeners(ctx, t)
	if err != nil {
		r.Error("load balancer "+t.Inv.LoadBalancerArn, err, "listeners answering 503")
		return
	}
	for _, l := range ls {
		res := fmt.Sprintf("listener %s:%d", l.Protocol, aws.ToInt32(l.Port))
		if len(l.DefaultActions) == 1 && l.DefaultActions[0].Type == elbtypes.ActionTypeEnumFixedResponse && l.DefaultActions[0].FixedResponseConfig != nil && aws.ToString(l.DefaultActions[0].FixedResponseConfig.StatusCode) == "503" {
			r.Pass(res, "fixed 503")
		} else {
			r.Fail(res, "serves traffic", "a fixed 503 while suspended")
		}
	}
}

var _ = register(Check{ID: "WP-21.2/listeners", Control: "WP-21.2", Title: "HTTPS with an allowed TLS policy; port 80 only redirects",
	Run: func(ctx context.Context, t *Target, r *Run) {
		ls, err := listeners(ctx, t)
		if err != nil {
			r.Error("load balancer "+t.Inv.LoadBalancerArn, err, "HTTPS and a redirecting HTTP listener")
			return
		}
		for _, l := range ls {
			res := fmt.Sprintf("listener %s:%d", l.Protocol, aws.ToInt32(l.Port))
			switch {
			case l.Protocol == elbtypes.ProtocolEnumHttps:
				tlsVerdict(ctx, t, r, res, aws.ToString(l.SslPolicy))
			case l.Protocol == elbtypes.ProtocolEnumHttp && aws.ToInt32(l.Port) == 80:
				ok := len(l.DefaultActions) > 0
				for _, a := range l.DefaultActions {
					red := a.RedirectConfig
					redirect := a.Type == elbtypes.ActionTypeEnumRedirect && red != nil && aws.ToString(red.Protocol) == "HTTPS" && aws.ToString(red.Port) == "443"
					suspended := a.Type == elbtypes.ActionTypeEnumFixedResponse && t.Cfg.Suspended()
					ok = ok && (redirect || suspended)
				}
				if ok {
					r.Pass(res, "redirects to HTTPS 443")
				} else {
					r.Fail(res, "does not only redirect", "a redirect to HTTPS 443")
				}
			default:
				r.Fail(res, "plain listener", "HTTPS, or HTTP 80 that redirects")
			}
		}
	}})

// tlsVerdict judges a listener's policy by the protocols it allows, read
// from DescribeSSLPolicies: TLS 1.2 and 1.3 only (WP-21.2). A policy AWS
// adds later is judged the same way; one AWS does not know is ERROR.
func tlsVerdict(ctx context.Context, t *Target, r *Run, res, policy string) {
	protocols, err := cached(t, "sslpolicy/"+policy, func() ([]string, error) {
		out, err := t.Clients.ELB.DescribeSSLPolicies(ctx, &elbv2.DescribeSSLPoliciesInput{Names: []string{policy}})
		if err != nil {
			return nil, err
		}
		for _, p := range out.SslPolicies {
			if aws.ToString(p.Name) == policy {
				return p.SslProtocols, nil
			}
		}
		return nil, fmt.Errorf("policy %s not in the answer", policy)
	})
	if err != nil {
		r.Error(res, fmt.Errorf("read policy %q: %w", policy, err), "a TLS 1.2+ policy")
		return
	}
	if len(protocols) == 0 {
		r.Error(res, fmt.Errorf("policy %s lists no protocols", policy), "a TLS 1.2+ policy")
		return
	}
	for _, p := range protocols {
		if p != "TLSv1.2" && p != "TLSv1.3" {
			r.Fail(res, fmt.Sprintf("policy %s allows %s", policy, strings.Join(protocols, ", ")), "TLSv1.2 and TLSv1.3 only")
			return
		}
	}
	r.Pass(res, fmt.Sprintf("%s (%s)", policy, strings.Join(protocols, ", ")))
}

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
			r.Fail(res, "invalid headers passed on", "routing.http.drop_invalid_header_fields.enabled=true")
		default:
			r.Pass(res, "access logs to "+t.Inv.Buckets.ServiceLogs)
		}
	}})

// database reads the tenant's instance once for every check, with the
// label the checks report it under; ok is false when the check is done
// (N/A without a database, ERROR when it cannot be read).
func database(ctx context.Context, t *Target, r *Run, expected string) (db *rdsInstance, res string, ok bool) {
	res = "database " + t.Inv.Database.Identifier
	if !t.Inv.Database.Enabled {
		r.NA("the tenant has no database")
		return nil, res, false
	}
	db, err := cached(t, "db", func() (*rdsInstance, error) {
		out, err := t.Clients.RDS.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(t.Inv.Database.Identifier)})
		if err != nil {
			return nil, err
		}
		for _, d := range out.DBInstances {
			if aws.ToString(d.DBInstanceIdentifier) == t.Inv.Database.Identifier {
				return &rdsInstance{d}, nil
			}
		}
		return nil, fmt.Errorf("not found")
	})
	if err != nil {
		r.Error(res, err, expected)
		return nil, res, false
	}
	return db, res, true
}

// The database leaves nothing behind its 30-day deletion (§10): every
// snapshot carries the tenant's tags (so the leftover sweep finds it), and
// no manual snapshot exists, which would outlive the instance. Whether the
// instance will skip its final snapshot and delete its automated backups
// is a parameter of the delete call, not readable from AWS: the plan rule
// of WP-22 holds the program to it.
var _ = register(Check{ID: "WP-22/database", Control: "WP-22", Title: "database snapshots tagged, none kept by hand",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "snapshots tagged and none kept")
		if !ok {
			return
		}
		if !aws.ToBool(db.CopyTagsToSnapshot) {
			r.Fail(res, "CopyTagsToSnapshot false", "snapshots carry the tenant's tags")
			return
		}
		var manual []string
		p := rds.NewDescribeDBSnapshotsPaginator(t.Clients.RDS, &rds.DescribeDBSnapshotsInput{DBInstanceIdentifier: aws.String(t.Inv.Database.Identifier), SnapshotType: aws.String("manual")})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.Error(res, err, "no manual snapshot")
				return
			}
			for _, sn := range page.DBSnapshots {
				manual = append(manual, aws.ToString(sn.DBSnapshotIdentifier))
			}
		}
		if len(manual) > 0 {
			r.Fail(res, "manual snapshots "+strings.Join(manual, ", "), "no manual snapshot (it would outlive the deletion)")
			return
		}
		r.Pass(res, "snapshots tagged, no manual snapshot")
	}})

var _ = register(Check{ID: "WP-30/database-upgrades", Control: "WP-30", Title: "the database takes minor version upgrades",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "automatic minor version upgrades")
		if !ok {
			return
		}
		if !aws.ToBool(db.AutoMinorVersionUpgrade) {
			r.Fail(res, "AutoMinorVersionUpgrade false", "automatic minor version upgrades in the maintenance window")
			return
		}
		r.Pass(res, "minor versions upgraded automatically")
	}})

var _ = register(Check{ID: "WP-21.1/database", Control: "WP-21.1", Title: "the database is encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "storage encrypted with the tenant key")
		if !ok {
			return
		}
		switch {
		case !aws.ToBool(db.StorageEncrypted):
			r.Fail(res, "storage not encrypted", "encrypted with "+t.Inv.KeyArn)
		default:
			keyVerdict(ctx, t, r, res, aws.ToString(db.KmsKeyId), t.Inv.KeyArn, "encrypted with the tenant key")
		}
	}})

var _ = register(Check{ID: "WP-21.2/database-tls", Control: "WP-21.2", Title: "the database forces TLS",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "rds.force_ssl = 1")
		if !ok {
			return
		}
		if len(db.DBParameterGroups) == 0 {
			r.Fail(res, "no parameter group", "a parameter group with rds.force_ssl = 1")
			return
		}
		group := aws.ToString(db.DBParameterGroups[0].DBParameterGroupName)
		p := rds.NewDescribeDBParametersPaginator(t.Clients.RDS, &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String(group), Source: aws.String("user")})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.Error("parameter group "+group, err, "rds.force_ssl = 1")
				return
			}
			for _, prm := range page.Parameters {
				if aws.ToString(prm.ParameterName) == "rds.force_ssl" {
					if aws.ToString(prm.ParameterValue) == "1" {
						r.Pass(res, "rds.force_ssl = 1 in "+group)
					} else {
						r.Fail(res, "rds.force_ssl = "+aws.ToString(prm.ParameterValue), "rds.force_ssl = 1")
					}
					return
				}
			}
		}
		r.Fail(res, "rds.force_ssl not set in "+group, "rds.force_ssl = 1")
	}})

var _ = register(Check{ID: "WP-21.1/topic", Control: "WP-21.1", Title: "the alert topic is encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "topic " + t.Inv.TopicArn
		out, err := t.Clients.SNS.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(t.Inv.TopicArn)})
		if err != nil {
			r.Error(res, err, "encrypted with the tenant key")
			return
		}
		k := out.Attributes["KmsMasterKeyId"]
		if k == "" || strings.EqualFold(k, "alias/aws/sns") {
			r.Fail(res, fmt.Sprintf("key %q", k), "key "+t.Inv.KeyArn+" (the AWS-managed aws/sns key would drop alarms)")
			return
		}
		keyVerdict(ctx, t, r, res, k, t.Inv.KeyArn, "encrypted with the tenant key")
	}})

var _ = register(Check{ID: "WP-24/alarms", Control: "WP-24", Title: "memory, CPU and disk alarms with the configured thresholds, to the topic",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: t.Inv.Alarms})
		if err != nil {
			r.Error("alarms "+strings.Join(t.Inv.Alarms, ","), err, "the tenant's alarms")
			return
		}
		want := map[string]float64{"CPUUtilization": t.Cfg.Alarms.CPUPercent, "mem_used_percent": t.Cfg.Alarms.MemoryPercent, "disk_used_percent": t.Cfg.Alarms.DiskPercent}
		for _, a := range out.MetricAlarms {
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
			case m != "CPUUtilization" && aws.ToString(a.Namespace) != "CWAgent":
				r.Fail(res, "namespace "+aws.ToString(a.Namespace), "namespace CWAgent")
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
		tg, err := t.Clients.Events.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(t.Inv.FindingsRule)})
		if err != nil {
			r.Error(res, err, "the topic as a target")
			return
		}
		for _, x := range tg.Targets {
			if aws.ToString(x.Arn) == t.Inv.TopicArn {
				r.Pass(res, "enabled, severity >= 4, to "+t.Inv.TopicArn)
				return
			}
		}
		r.Fail(res, fmt.Sprintf("%d targets, not the topic", len(tg.Targets)), "targets "+t.Inv.TopicArn)
	}})

// runningTemplate reads the launch template and version the auto scaling
// group actually launches from: its LaunchTemplate, or the one in its
// mixed-instances policy ("$Latest", "$Default" or a number).
func runningTemplate(ctx context.Context, t *Target) (id, version string, err error) {
	out, err := t.Clients.AutoScaling.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{t.Inv.AutoScalingGroup}})
	if err != nil {
		return "", "", err
	}
	for _, g := range out.AutoScalingGroups {
		if aws.ToString(g.AutoScalingGroupName) != t.Inv.AutoScalingGroup {
			continue
		}
		spec := g.LaunchTemplate
		if spec == nil && g.MixedInstancesPolicy != nil && g.MixedInstancesPolicy.LaunchTemplate != nil {
			spec = g.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
		}
		if spec == nil {
			return "", "", fmt.Errorf("group %s launches from no launch template", t.Inv.AutoScalingGroup)
		}
		version = aws.ToString(spec.Version)
		if version == "" {
			version = "$Default" // Auto Scaling's default when none is given
		}
		return aws.ToString(spec.LaunchTemplateId), version, nil
	}
	return "", "", fmt.Errorf("auto scaling group %s not found", t.Inv.AutoScalingGroup)
}

var _ = register(Check{ID: "WP-20.4/launch-template", Control: "WP-20.4", Title: "the version the group launches: IMDSv2, volumes under the tenant key, no public IP",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "launch template " + t.Inv.LaunchTemplate
		id, version, err := runningTemplate(ctx, t)
		if err != nil {
			r.Error(res, err, "the version the auto scaling group launches, hardened")
			return
		}
		if id != "" && id != t.Inv.LaunchTemplate {
			r.Fail("auto scaling group "+t.Inv.AutoScalingGroup, "launches from "+id, "the tenant's launch template "+t.Inv.LaunchTemplate)
			return
		}
		res += " version " + version
		out, err := t.Clients.EC2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(t.Inv.LaunchTemplate), Versions: []string{version}})
		if err != nil {
			r.Error(res, err, "the running version hardened")
			return
		}
		if len(out.LaunchTemplateVersions) == 0 || out.LaunchTemplateVersions[0].LaunchTemplateData == nil {
			r.Error(res, fmt.Errorf("no version returned"), "the running version hardened")
			return
		}
		d := out.LaunchTemplateVersions[0].LaunchTemplateData
		if d.MetadataOptions == nil || d.MetadataOptions.HttpTokens != "required" {
			r.Fail(res, "IMDS tokens optional", "IMDSv2: HttpTokens required")
			return
		}
		for _, ni := range d.NetworkInterfaces {
			if aws.ToBool(ni.AssociatePublicIpAddress) {
				r.Fail(res, "public IP", "no public IP")
				return
			}
		}
		if len(d.BlockDeviceMappings) == 0 {
			r.Fail(res, "no block device mapping", "the root volume encrypted with the tenant key")
			return
		}
		for _, b := range d.BlockDeviceMappings {
			if b.Ebs == nil || !aws.ToBool(b.Ebs.Encrypted) {
				r.Fail(res, aws.ToString(b.DeviceName)+" not encrypted", "encrypted with "+t.Inv.KeyArn)
				return
			}
			if ok, err := sameKey(ctx, t, aws.ToString(b.Ebs.KmsKeyId), t.Inv.KeyArn); err != nil {
				r.Error(res, fmt.Errorf("resolve key %q: %w", aws.ToString(b.Ebs.KmsKeyId), err), "encrypted with "+t.Inv.KeyArn)
				return
			} else if !ok {
				r.Fail(res, aws.ToString(b.DeviceName)+" under key "+aws.ToString(b.Ebs.KmsKeyId), "encrypted with "+t.Inv.KeyArn)
				return
			}
		}
		if d.IamInstanceProfile == nil {
			r.Fail(res, "no instance profile", "the SSM instance role")
			return
		}
		r.Pass(res, "IMDSv2, encrypted volumes, no public IP")
	}})

// Subnets that map public IPs on launch give every instance launched into
// them a public address unless its launch template says otherwise.
var _ = register(Check{ID: "WP-20.4/subnets", Control: "WP-20.4", Title: "no subnet of the VPC maps public IPs on launch",
	Run: func(ctx context.Context, t *Target, r *Run) {
		var subnets []ec2types.Subnet
		p := ec2.NewDescribeSubnetsPaginator(t.Clients.EC2, &ec2.DescribeSubnetsInput{Filters: vpcFilter(t.Inv.VpcID)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.Error("subnets of "+t.Inv.VpcID, err, "no public IPs mapped on launch")
				return
			}
			for _, s := range page.Subnets {
				if aws.ToString(s.VpcId) == t.Inv.VpcID {
					subnets = append(subnets, s)
				}
			}
		}
		if len(subnets) == 0 {
			r.Error("subnets of "+t.Inv.VpcID, fmt.Errorf("none found"), "no public IPs mapped on launch")
			return
		}
		for _, s := range subnets {
			res := "subnet " + aws.ToString(s.SubnetId)
			if s.MapPublicIpOnLaunch == nil {
				r.Error(res, fmt.Errorf("the answer has no MapPublicIpOnLaunch"), "no public IPs mapped on launch")
			} else if *s.MapPublicIpOnLaunch {
				r.Fail(res, "maps public IPs on launch", "MapPublicIpOnLaunch false")
			} else {
				r.Pass(res, "no public IPs mapped on launch")
			}
		}
	}})

var _ = register(Check{ID: "WP-20.4/ebs-default", Control: "WP-20.4", Title: "EBS encryption by default on in the account",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := accountWide(t, "ebs-default", func() (*ec2.GetEbsEncryptionByDefaultOutput, error) {
			return t.Clients.EC2.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		})
		if err != nil {
			r.Error("account EBS settings", err, "encryption by default on")
			return
		}
		if !aws.ToBool(out.EbsEncryptionByDefault) {
			r.Fail("account EBS settings", "encryption by default off", "on (account baseline)")
		} else {
			r.Pass("account EBS settings", "encryption by default on")
		}
	}})

var _ = register(Check{ID: "WP-20.3/guardduty", Control: "WP-20.3", Title: "GuardDuty on with EBS malware protection",
	Run: func(ctx context.Context, t *Target, r *Run) {
		type detector struct {
			id string
			d  *guardduty.GetDetectorOutput
		}
		det, err := accountWide(t, "guardduty", func() (*detector, error) {
			ids, err := t.Clients.GuardDuty.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
			if err != nil || len(ids.DetectorIds) == 0 {
				return nil, err
			}
			d, err := t.Clients.GuardDuty.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(ids.DetectorIds[0])})
			if err != nil {
				return nil, fmt.Errorf("detector %s: %w", ids.DetectorIds[0], err)
			}
			return &detector{ids.DetectorIds[0], d}, nil
		})
		if err != nil {
			r.Error("GuardDuty", err, "an enabled detector")
			return
		}
		if det == nil {
			r.Fail("GuardDuty", "no detector", "an enabled detector (account baseline)")
			return
		}
		res := "detector " + det.id
		if det.d.Status != "ENABLED" {
			r.Fail(res, string(det.d.Status), "ENABLED")
			return
		}
		for _, f := range det.d.Features {
			if f.Name == "EBS_MALWARE_PROTECTION" && f.Status == "ENABLED" {
				r.Pass(res, "enabled with EBS malware protection")
				return
			}
		}
		r.Fail(res, "EBS malware protection off", "EBS_MALWARE_PROTECTION ENABLED")
	}})

var _ = register(Check{ID: "WP-30/inspector", Control: "WP-30", Title: "Inspector scans EC2 and ECR",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := accountWide(t, "inspector", func() (*inspector2.BatchGetAccountStatusOutput, error) {
			return t.Clients.Inspector.BatchGetAccountStatus(ctx, &inspector2.BatchGetAccountStatusInput{AccountIds: []string{t.Inv.AccountID}})
		})
		if err != nil {
			r.Error("Inspector", err, "EC2 and ECR scanning enabled")
			return
		}
		for _, a := range out.Accounts {
			if aws.ToString(a.AccountId) != t.Inv.AccountID || a.ResourceState == nil {
				continue
			}
			rs := a.ResourceState
			if rs.Ec2 == nil || rs.Ec2.Status != "ENABLED" || rs.Ecr == nil || rs.Ecr.Status != "ENABLED" {
				r.Fail("Inspector in "+t.Inv.AccountID, "EC2 or ECR scanning not enabled", "EC2 and ECR ENABLED")
			} else {
				r.Pass("Inspector in "+t.Inv.AccountID, "EC2 and ECR ENABLED")
			}
			return
		}
		r.Error("Inspector in "+t.Inv.AccountID, fmt.Errorf("account not in the answer"), "EC2 and ECR ENABLED")
	}})

var _ = register(Check{ID: "WP-30/patching", Control: "WP-30", Title: "a patch association for the tenant's instances",
	Run: func(ctx context.Context, t *Target, r *Run) {
		// The tenant's association by its name, all pages: a page holds at
		// most 50, and an account of many tenants has many (SSM API
		// reference, ListAssociations). The filter is re-checked here.
		name := config.PatchAssociationName(t.Inv.Tenant)
		p := ssm.NewListAssociationsPaginator(t.Clients.SSM, &ssm.ListAssociationsInput{AssociationFilterList: []ssmtypes.AssociationFilter{
			{Key: ssmtypes.AssociationFilterKeyAssociationName, Value: aws.String(name)}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.Error("patch associations", err, "AWS-RunPatchBaseline for "+t.Inv.AutoScalingGroup)
				return
			}
			for _, a := range page.Associations {
				if aws.ToString(a.AssociationName) != name || aws.ToString(a.Name) != "AWS-RunPatchBaseline" {
					continue
				}
				for _, tg := range a.Targets {
					if aws.ToString(tg.Key) == "tag:aws:autoscaling:groupName" && slices.Contains(tg.Values, t.Inv.AutoScalingGroup) {
						r.Pass("association "+aws.ToString(a.AssociationId), "AWS-RunPatchBaseline on "+t.Inv.AutoScalingGroup)
						return
					}
				}
			}
		}
		r.Fail("tenant "+t.Inv.Tenant, "no association "+name+" of AWS-RunPatchBaseline targets "+t.Inv.AutoScalingGroup, "AWS-RunPatchBaseline for the tenant's instances")
	}})

var _ = register(Check{ID: "WP-15/mfa-roles", Control: "WP-15", Title: "human roles can be assumed only with MFA",
	Run: func(ctx context.Context, t *Target, r *Run) {
		if len(t.Inv.Roles) == 0 {
			r.Error("roles of "+t.Inv.Tenant, fmt.Errorf("not in the inventory"), "log-admin and log-reader roles")
			return
		}
		for _, k := range []string{"logAdmin", "logReader"} {
			arn := t.Inv.Roles[k]
			name := arn[strings.LastIndex(arn, "/")+1:]
			out, err := t.Clients.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
			if err == nil && out.Role == nil {
				err = errEmpty("iam:GetRole", "Role")
			}
			if err != nil {
				r.Error("role "+arn, err, "trust with MFA")
				continue
			}
			doc, err := policydoc.Parse(unescape(aws.ToString(out.Role.AssumeRolePolicyDocument)))
			if err != nil {
				r.Error("role "+arn, err, "a readable trust policy")
				continue
			}
			ok := len(doc.Statement) > 0
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && !slices.Contains(st.ConditionValues("Bool", "aws:MultiFactorAuthPresent"), "true") {
					ok = false
				}
			}
			if ok {
				r.Pass("role "+arn, "MFA required")
			} else {
				r.Fail("role "+arn, "trust without aws:MultiFactorAuthPresent", "assume only with MFA")
			}
		}
	}})

var _ = register(Check{ID: "WP-15/password-policy", Control: "WP-15", Title: "the account password policy meets the minimums",
	Run: func(ctx context.Context, t *Target, r *Run) {
		if t.Baseline == nil {
			r.Error("account password policy", fmt.Errorf("no baseline stack for %s in the baseline directory", t.Inv.Region), "the baseline's password policy")
			return
		}
		min := int32(t.Baseline.PasswordMinLength)
		out, err := accountWide(t, "password-policy", func() (*iam.GetAccountPasswordPolicyOutput, error) {
			out, err := t.Clients.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
			if isCode(err, "NoSuchEntity") {
				return nil, nil
			}
			return out, err
		})
		want := fmt.Sprintf("length %d or more with lowercase, uppercase, numbers and symbols, users may change their own (account baseline)", min)
		switch {
		case err != nil:
			r.Error("account password policy", err, want)
		case out == nil || out.PasswordPolicy == nil:
			r.Fail("account password policy", "none", want)
		default:
			p := out.PasswordPolicy
			n := aws.ToInt32(p.MinimumPasswordLength)
			if n < min || !p.RequireLowercaseCharacters || !p.RequireUppercaseCharacters || !p.RequireNumbers || !p.RequireSymbols || !p.AllowUsersToChangePassword {
				r.Fail("account password policy", fmt.Sprintf("length %d lowercase %v uppercase %v numbers %v symbols %v users change own %v", n, p.RequireLowercaseCharacters, p.RequireUppercaseCharacters, p.RequireNumbers, p.RequireSymbols, p.AllowUsersToChangePassword), want)
			} else {
				r.Pass("account password policy", fmt.Sprintf("length %d, all character classes", n))
			}
		}
	}})

var _ = register(Check{ID: "WP-18/session-logging", Control: "WP-18", Title: "Session Manager logs sessions to an encrypted log group",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := accountWide(t, "session-prefs", func() (*ssm.GetDocumentOutput, error) {
			out, err := t.Clients.SSM.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String("SSM-SessionManagerRunShell")})
			if isCode(err, "InvalidDocument") {
				return nil, nil // no preferences saved: sessions are not logged
			}
			return out, err
		})
		if err != nil {
			r.Error("SSM-SessionManagerRunShell", err, "session logging configured (account baseline)")
			return
		}
		if out == nil {
			r.Fail("SSM-SessionManagerRunShell", "no Session Manager preferences in the account", "sessions logged to an encrypted log group (account baseline)")
			return
		}
		group, enc, err := awsdocs.SessionLogging(aws.ToString(out.Content))
		if err != nil || group == "" || !enc {
			r.Fail("SSM-SessionManagerRunShell", "sessions not logged to an encrypted group", "cloudWatchLogGroupName set, cloudWatchEncryptionEnabled true")
			return
		}
		r.Pass("SSM-SessionManagerRunShell", "sessions logged to "+group)
	}})

// rdsInstance wraps the SDK's instance type for the memo.
type rdsInstance struct{ rdstypes.DBInstance }
