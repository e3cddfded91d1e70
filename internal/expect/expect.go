// Package expect holds what a tenant's resources are expected to be named
// and shaped, below the components: the programs (components/) build from
// it, and the plan rules (internal/policy) and the live checks
// (internal/verify) compare with it. Neither judge imports a component, so
// a wrong name in a component can never become the expectation that checks
// it, and the verifier links no Pulumi SDK.
package expect

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// Bucket roles, written to the bucket's Role tag; the plan rules and the
// live checks tell buckets apart by it.
const (
	RoleData        = "data"
	RoleServiceLogs = "service-logs"
	RoleLogArchive  = "log-archive"
)

// BucketName is the physical name of a tenant bucket. Names are global in
// S3, so they carry the account; they are also predictable, so the baseline's
// shared trail and the post-deploy checks can name them without reading
// state. The longest tenant id (32) with the longest kind still fits S3's 63.
func BucketName(tenantID, kind, accountID string) string {
	return fmt.Sprintf("tk-%s-%s-%s", tenantID, kind, accountID)
}

// BucketArn is the ARN of a bucket by name.
func BucketArn(name string) string { return "arn:aws:s3:::" + name }

// EvidenceBucket is the account's evidence bucket, made on Day 0 (Object
// Lock, in Tokyo): the sealed reports of every run are kept there.
func EvidenceBucket(account string) string { return "tenantkit-evidence-" + account }

// CustomerEvidencePrefix is where the evidence bucket keeps a tenant's own
// copy of its sealed reports (its reports only, sealed as its own), which
// the tenant's log-reader role may list and read (#37 item 2).
func CustomerEvidencePrefix(tenantID string) string { return "customers/" + tenantID + "/" }

// DatabaseIdentifier is the RDS identifier of a tenant's database; its log
// groups are /aws/rds/instance/<identifier>/<log>.
func DatabaseIdentifier(tenantID string) string { return "tk-" + tenantID }

// AutoScalingGroupName is the tenant's auto scaling group.
func AutoScalingGroupName(tenantID string) string { return "tk-" + tenantID + "-app" }

// AppLogGroup is where the application writes its own logs.
func AppLogGroup(tenantID string) string { return fmt.Sprintf("/tenants/%s/app", tenantID) }

// LogGroupArn is a log group's ARN (without the ":*" some APIs append).
func LogGroupArn(region, account, group string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, account, group)
}

// TopicName is the tenant's alert topic.
func TopicName(tenantID string) string { return "tk-" + tenantID + "-alerts" }

// AlarmName is one of the tenant's alarms (cpu, memory, disk).
func AlarmName(tenantID, key string) string { return "tk-" + tenantID + "-" + key }

// Alarm is how every instance alarm of a tenant judges its metric: the
// worst instance over five minutes, twice in a row, above the configured
// threshold; no data (the agent or the instances gone) alarms too.
var Alarm = struct {
	Statistic         string
	PeriodSeconds     int32
	EvaluationPeriods int32
	Operator          string
	TreatMissingData  string
}{Statistic: "Maximum", PeriodSeconds: 300, EvaluationPeriods: 2, Operator: "GreaterThanThreshold", TreatMissingData: "breaching"}

// FindingsRuleName is the tenant's GuardDuty findings rule.
func FindingsRuleName(tenantID string) string { return "tk-" + tenantID + "-guardduty" }

// FindingsPattern matches GuardDuty findings of severity 4 (medium) and up.
func FindingsPattern() string {
	b, _ := json.Marshal(map[string]any{
		"source":      []string{"aws.guardduty"},
		"detail-type": []string{"GuardDuty Finding"},
		"detail":      map[string]any{"severity": []any{map[string]any{"numeric": []any{">=", config.MinFindingSeverity}}}},
	})
	return string(b)
}

// GuardDuty is what the account baseline turns on: findings published
// every fifteen minutes, with the malware features.
var GuardDuty = struct {
	FindingPublishingFrequency string
	Features                   []string
}{FindingPublishingFrequency: "FIFTEEN_MINUTES", Features: []string{"EBS_MALWARE_PROTECTION", "S3_DATA_EVENTS"}}

// Trail modes.
const (
	TrailShared    = "shared"
	TrailDedicated = "dedicated"
)

// SharedTrailName is the baseline's account trail, which covers the data
// buckets of every tenant in trailMode shared.
const SharedTrailName = "tenantkit-shared"

// TrailName is a tenant's dedicated trail.
func TrailName(tenantID string) string { return "tk-" + tenantID }

// TrailArn is built as a string: the trail needs the bucket policy first,
// and the policy names the trail.
func TrailArn(region, account, name string) string {
	return fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, name)
}

// TrailPrefix is where a trail writes its log files in its bucket.
const TrailPrefix = "cloudtrail"

// AccessLogCopyRule is the id of the service-logs bucket's replication rule.
const AccessLogCopyRule = "lock-access-logs-in-archive"

// TrailViewGroup is where the tenant reads its API records, in either mode.
func TrailViewGroup(tenantID string) string { return "/tenants/" + tenantID + "/cloudtrail" }

// trailViewRule names one of the tenant's copy rules: "buckets" or "roles".
func trailViewRule(tenantID, kind string) string { return "tk-" + tenantID + "-trail-" + kind }

// TrailViewCopy is one of the tenant's copy rules.
type TrailViewCopy struct{ Kind, Name, Pattern string }

// TrailViewCopies are the copy rules a tenant has, in order: its buckets'
// when it has data buckets (EventBridge refuses a pattern with an empty
// list), its roles' always. The program builds exactly these, and the plan
// rule and the live check expect exactly these.
func TrailViewCopies(tenantID, account string, bucketNames []string) []TrailViewCopy {
	var out []TrailViewCopy
	for _, kind := range []string{"buckets", "roles"} {
		if kind == "buckets" && len(bucketNames) == 0 {
			continue
		}
		out = append(out, TrailViewCopy{Kind: kind, Name: trailViewRule(tenantID, kind), Pattern: trailViewPattern(kind, tenantID, account, bucketNames)})
	}
	return out
}

// TrailViewState receives read-only management events too (EventBridge
// API reference, PutRule, State).
const TrailViewState = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"

// trailViewPattern is the event pattern of one copy rule.
func trailViewPattern(kind, tenantID, account string, bucketNames []string) string {
	p := map[string]any{"detail-type": []string{"AWS API Call via CloudTrail"}}
	switch kind {
	case "buckets":
		names := slices.Clone(bucketNames)
		slices.Sort(names)
		p["source"] = []string{"aws.s3"}
		p["detail"] = map[string]any{"requestParameters": map[string]any{"bucketName": names}}
	case "roles":
		p["detail"] = map[string]any{"userIdentity": map[string]any{"sessionContext": map[string]any{"sessionIssuer": map[string]any{
			"arn": []any{map[string]string{"prefix": fmt.Sprintf("arn:aws:iam::%s:role/tenants/%s/", account, tenantID)}}}}}}
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// TrailViewPolicyName is the baseline's CloudWatch Logs resource policy
// that lets EventBridge write the copies. An account has ten such policies
// per region, so one serves every tenant.
const TrailViewPolicyName = "tk-tenant-trail-views"

// TrailViewResourcePolicy lets EventBridge write into every tenant's trail
// view group, in the form AWS documents (EventBridge user guide, "CloudWatch
// Logs permissions":
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions).
// Only the account's rules can target these groups, and only a deployer
// can create one.
func TrailViewResourcePolicy(region, account string) string {
	arn := LogGroupArn(region, account, TrailViewGroup("*")) + ":*"
	return policydoc.Document{Statement: []policydoc.Statement{{
		Sid: "EventBridgeWritesTenantTrailViews", Effect: "Allow",
		Principal: policydoc.Service("events.amazonaws.com", "delivery.logs.amazonaws.com"),
		Action:    policydoc.List("logs:CreateLogStream", "logs:PutLogEvents"),
		Resource:  policydoc.List(arn),
	}}}.JSON()
}

// CopyRule is one rule of the service-logs bucket's replication, as the
// plan (from the program's inputs) and the live check (from
// GetBucketReplication) read it, so both judge it alike (CopyProblem).
type CopyRule struct {
	Status, Destination, DeleteMarkers string
	// Filter describes any filter that narrows the rule ("" for none).
	Filter string
}

// CopyProblem says what keeps the rules from copying every access log into
// the archive, "" when nothing does: one rule, enabled, every object,
// into the archive, delete markers not replicated (a replicated delete
// marker would hide the copy; the locked version stays either way).
func CopyProblem(rules []CopyRule, archiveArn string) string {
	if len(rules) != 1 {
		return fmt.Sprintf("%d replication rules", len(rules))
	}
	r := rules[0]
	switch {
	case r.Status != "Enabled":
		return "rule " + r.Status
	case r.Destination != archiveArn:
		return "into " + r.Destination
	case r.Filter != "":
		return "only objects matching " + r.Filter
	case r.DeleteMarkers == "Enabled":
		return "delete markers replicated"
	}
	return ""
}

// MixedClassification labels the stores that hold mixed tenant data
// (logs, the database, the instances' volumes, the log buckets) with the
// most protective of the tenant's classifications; a data bucket carries
// its own.
func MixedClassification(cs []string) string {
	best := config.Classifications[0]
	for _, c := range cs {
		if slices.Index(config.Classifications, c) > slices.Index(config.Classifications, best) {
			best = c
		}
	}
	return best
}

// Bucket is one of the buckets a tenant's stack declares.
type Bucket struct {
	Name string
	// Role is RoleData, RoleServiceLogs or RoleLogArchive.
	Role string
	// Classification is the DataClassification the bucket carries: a data
	// bucket's own, the mixed one for the log buckets.
	Classification string
}

// Buckets are the buckets the tenant's stack declares, in a stable order:
// its data buckets (one per classification), the service logs, the archive.
func Buckets(cfg *config.Tenant, account string) []Bucket {
	var out []Bucket
	for _, c := range cfg.DataClassifications {
		out = append(out, Bucket{Name: BucketName(cfg.TenantID, c, account), Role: RoleData, Classification: c})
	}
	mixed := MixedClassification(cfg.DataClassifications)
	out = append(out, Bucket{Name: BucketName(cfg.TenantID, RoleServiceLogs, account), Role: RoleServiceLogs, Classification: mixed},
		Bucket{Name: BucketName(cfg.TenantID, RoleLogArchive, account), Role: RoleLogArchive, Classification: mixed})
	return out
}

// ReplicationProblem says why a replication destination (a bucket ARN)
// may carry data where it must not go, "" when it is one of the stack's
// own buckets: the one replication the programs make copies the tenant's
// access logs into its own archive (WP-39), and any other destination
// could carry data out of the region or to another party (WP-07). The plan
// rule and the live check both judge with it.
func ReplicationProblem(destination string, own []Bucket) string {
	for _, b := range own {
		if destination == BucketArn(b.Name) {
			return ""
		}
	}
	if destination == "" {
		return "replication to a destination not given"
	}
	return "replication into " + destination + ", not a bucket of the tenant's stack"
}

// KeyServices are the service principals the tenant key's policy serves:
// CloudWatch Logs in the region (the tenant's groups), and the services
// that publish alerts to its encrypted topic.
func KeyServices(region string) []string {
	return []string{"logs." + region + ".amazonaws.com", "events.amazonaws.com", "cloudwatch.amazonaws.com"}
}

// InstanceManagedPolicies are the AWS-managed policies of the instance
// role: SSM (Session Manager, patching), which names no tenant resource.
// The CloudWatch agent's managed policy (CloudWatchAgentServerPolicy) is
// not attached: it grants log-group writes, retention changes and metric
// data on every resource of the account, so one tenant's host could
// shorten another's log retention or feed its alarms; the instance policy
// grants the agent what it uses, scoped to the tenant.
var InstanceManagedPolicies = []string{
	"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
}

// RolePath is the IAM path of every role of a tenant.
func RolePath(tenantID string) string { return "/tenants/" + tenantID + "/" }

// SessionLogGroup receives Session Manager session logs (the baseline's
// preferences name it).
const SessionLogGroup = "/tenantkit/session-manager"

// InstanceRoleName names the tenant's instance role and its profile.
func InstanceRoleName(tenantID string) string { return "tk-" + tenantID + "-app" }

// InstanceProfileArn is the ARN of the tenant's instance profile.
func InstanceProfileArn(account, tenantID string) string {
	return fmt.Sprintf("arn:aws:iam::%s:instance-profile%s%s", account, RolePath(tenantID), InstanceRoleName(tenantID))
}

// NoncurrentDays is after how many days a bucket's noncurrent object
// versions expire (WP-22): the stack's noncurrentVersionDays (at least
// one), and for the archive never before its lock ends.
func NoncurrentDays(cfg *config.Tenant, role string) int {
	days := max(cfg.NoncurrentVersionDays, 1)
	if role == RoleLogArchive {
		days = max(days, cfg.ObjectLockDays)
	}
	return days
}

// AlarmSpec is one instance alarm of a tenant, as the program declares it
// and the judges expect it: besides these, every alarm has the shape of
// Alarm, watches the tenant's auto scaling group and notifies its topic.
type AlarmSpec struct {
	Key, Metric, Namespace string
	Threshold              float64
}

// Alarms are the tenant's instance alarms with the configured thresholds.
func Alarms(tenantID string, a config.Alarms) []AlarmSpec {
	return []AlarmSpec{
		{"cpu", "CPUUtilization", "AWS/EC2", a.CPUPercent},
		{"memory", "mem_used_percent", config.MetricNamespace(tenantID), a.MemoryPercent},
		{"disk", "disk_used_percent", config.MetricNamespace(tenantID), a.DiskPercent},
	}
}

// AlarmRead is an alarm as a judge reads it (the plan from the program's
// inputs, the live check from DescribeAlarms).
type AlarmRead struct {
	Metric, Namespace, Statistic, Operator, TreatMissingData string
	Threshold                                                float64
	Period, EvaluationPeriods                                int32
	// Group is the AutoScalingGroupName the alarm's one dimension names.
	Group string
}

// AlarmProblems says how an alarm differs from its spec: the metric,
// namespace, threshold, statistic, period, evaluation periods, operator,
// missing-data treatment and the group it watches, each compared.
func AlarmProblems(got AlarmRead, want AlarmSpec, group string) []string {
	var out []string
	diff := func(what string, g, w any) {
		if fmt.Sprint(g) != fmt.Sprint(w) {
			out = append(out, fmt.Sprintf("%s %v (want %v)", what, g, w))
		}
	}
	diff("metric", got.Metric, want.Metric)
	diff("namespace", got.Namespace, want.Namespace)
	diff("threshold", got.Threshold, want.Threshold)
	diff("statistic", got.Statistic, Alarm.Statistic)
	diff("period", got.Period, Alarm.PeriodSeconds)
	diff("evaluation periods", got.EvaluationPeriods, Alarm.EvaluationPeriods)
	diff("operator", got.Operator, Alarm.Operator)
	diff("missing data", got.TreatMissingData, Alarm.TreatMissingData)
	diff("group", got.Group, group)
	return out
}

// SubscriberProblems compares a topic's subscriptions with the addresses
// the stack declares (alertEmails): each confirmed by e-mail, nothing else
// subscribed (another address, another protocol). confirmed and pending
// hold "protocol:endpoint".
func SubscriberProblems(confirmed, pending, emails []string) []string {
	var out []string
	for _, e := range emails {
		switch {
		case slices.Contains(confirmed, "email:"+e):
		case slices.Contains(pending, "email:"+e):
			out = append(out, e+" has not confirmed its subscription: its alerts reach no one yet")
		default:
			out = append(out, e+" is not subscribed")
		}
	}
	for _, s := range append(slices.Clone(confirmed), pending...) {
		if proto, addr, _ := strings.Cut(s, ":"); proto != "email" || !slices.Contains(emails, addr) {
			out = append(out, "subscribed and not in alertEmails: "+s)
		}
	}
	return out
}

// BaselineID names the account baseline's buckets as a tenant id would.
const BaselineID = "baseline"

// AccessLogTarget is where a bucket's server access logs go: the
// tenant's service-logs bucket, but for a log archive, whose access logs
// go to the baseline's service-logs bucket. The tenant's service-logs
// bucket replicates into the tenant's archive (the access-log copy), so an
// archive logging there would receive its own access logs back, each
// delivery making another, each locked (S3 user guide, "Logging requests
// with server access logging": a bucket must not log into itself, nor into
// a bucket whose objects come back to it). The baseline's service-logs
// bucket replicates nowhere: no loop by construction, and the archive's
// access logs outlive the tenant as the archive does.
func AccessLogTarget(tenantID, role, account string) string {
	if role == RoleLogArchive {
		return BucketName(BaselineID, RoleServiceLogs, account)
	}
	return BucketName(tenantID, RoleServiceLogs, account)
}

// LogArchivesPattern matches the ARN of every log archive of the account
// (the baseline's and each tenant's: tk-<id>-log-archive-<account>), the
// sources the baseline's service-logs bucket takes access logs from.
func LogArchivesPattern(account string) string {
	return BucketArn(BucketName("*", RoleLogArchive, account))
}

// TrailBucket is where the trail that records a tenant writes its log
// files: the baseline's archive in the shared mode, the tenant's own in the
// dedicated mode (under TrailPrefix).
func TrailBucket(mode, tenantID, account string) string {
	if mode == TrailDedicated {
		return BucketName(tenantID, RoleLogArchive, account)
	}
	return BucketName(BaselineID, RoleLogArchive, account)
}

// Patch is the tenant's patch association: AWS-RunPatchBaseline
// installing, weekly on Sunday 03:00 JST (the cron is UTC), only then.
var Patch = struct{ Document, Operation, Schedule string }{Document: "AWS-RunPatchBaseline", Operation: "Install", Schedule: "cron(0 18 ? * SAT *)"}

// Selector is one advanced event selector of a trail: each field with the
// values it equals (other operators are listed under the field name with
// their operator, "readOnly StartsWith").
type Selector map[string][]string

// ManagementProblem says why a trail's selectors do not record every
// management event, read and write ("" when they do): an advanced
// selector on eventCategory Management with no other field (a readOnly
// field keeps half of them out), or a basic selector with management
// events and ReadWriteType All (CloudTrail user guide, "Logging management
// events"). basic holds each basic selector's ReadWriteType when it
// includes management events.
func ManagementProblem(adv []Selector, basic []string) string {
	for _, s := range adv {
		if !slices.Equal(s["eventCategory"], []string{"Management"}) {
			continue
		}
		var other []string
		for f := range s {
			if f != "eventCategory" {
				other = append(other, f)
			}
		}
		if len(other) == 0 {
			return ""
		}
		slices.Sort(other)
		return "management events limited by " + strings.Join(other, ", ")
	}
	if slices.Contains(basic, "All") {
		return ""
	}
	return "management events not all recorded (read and write)"
}

// IMDS is how the tenant's instances answer the metadata service: tokens
// required (IMDSv2), and a hop limit of one, so a container on the
// instance cannot reach the instance role's credentials (EC2 user guide,
// "Configure the instance metadata options").
var IMDS = struct {
	HttpTokens string
	HopLimit   int32
}{HttpTokens: "required", HopLimit: 1}
