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
