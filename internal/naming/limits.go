package naming

import (
	"fmt"
	"regexp"
	"strings"
)

// Rule is AWS's rule for the physical name of one resource type, and how
// the programs set it.
type Rule struct {
	// Property holds the physical name in the resource's inputs.
	Property string
	// Max is AWS's maximum length.
	Max int
	// Pattern is the shape AWS accepts.
	Pattern *regexp.Regexp
	// AutoMax, when set, is the maximum the Pulumi AWS provider applies when
	// it auto-names the resource: the Pulumi name, "-" and 7 random hex
	// characters (pulumi-terraform-bridge info.AutoName, Randlen 7).
	AutoMax int
	// PrefixProperty, when set, lets AWS complete a name from a prefix
	// (name_prefix): the provider then does not auto-name (the bridge skips
	// defaults of a property whose ConflictsWith partner is set,
	// pkg/tfbridge/schema.go buildConflictsWith).
	PrefixProperty string
	// PrefixMax is the longest prefix AWS accepts.
	PrefixMax int
	// Reserved prefixes AWS refuses.
	Reserved []string
	// Source is where the rule is documented.
	Source string
}

var (
	albName      = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	iamName      = regexp.MustCompile(`^[\w+=,.@-]+$`)
	bucketName   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	rdsID        = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9])*$`)
	rdsGroupName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	logGroupName = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`)
	anyPrintable = regexp.MustCompile(`^[ -~]+$`)
	eventRule    = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)
	snsName      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	kmsAlias     = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]+$`)
	ltName       = regexp.MustCompile(`^[a-zA-Z0-9().\-/_]+$`)
	ssmName      = regexp.MustCompile(`^[a-zA-Z0-9_\-.]+$`)
	trailName    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)
)

// Rules covers every resource type the tenant and baseline programs
// create that has a physical name. A test builds the longest valid tenant
// id and checks every name against these (components/tenant).
var Rules = map[string]Rule{
	"aws:lb/loadBalancer:LoadBalancer": {Property: "name", Max: 32, Pattern: albName, AutoMax: 32, Reserved: []string{"internal-"},
		Source: "ELB API reference, CreateLoadBalancer Name: 32 characters, alphanumerics and hyphens, not starting or ending with a hyphen; pulumi-aws AutoName 32"},
	"aws:lb/targetGroup:TargetGroup": {Property: "name", Max: 32, Pattern: albName, AutoMax: 32, PrefixProperty: "namePrefix", PrefixMax: 6,
		Source: "ELB API reference, CreateTargetGroup Name: 32 characters; pulumi-aws provider/aliases.go AutoName(\"name\", 32); namePrefix at most 6"},
	"aws:iam/role:Role": {Property: "name", Max: 64, Pattern: iamName, AutoMax: 64,
		Source: "IAM quotas: role name 64 characters; pulumi-aws resources.go AutoName(\"name\", 64)"},
	"aws:iam/rolePolicy:RolePolicy": {Property: "name", Max: 128, Pattern: iamName, AutoMax: 255,
		Source: "IAM quotas: policy name 128 characters"},
	"aws:iam/instanceProfile:InstanceProfile": {Property: "name", Max: 128, Pattern: iamName, AutoMax: 255,
		Source: "IAM quotas: instance profile name 128 characters"},
	"aws:s3/bucketV2:BucketV2": {Property: "bucket", Max: 63, Pattern: bucketName,
		Source: "S3 user guide, bucket naming rules: 3-63 lowercase letters, digits, dots, hyphens"},
	"aws:rds/instance:Instance": {Property: "identifier", Max: 63, Pattern: rdsID,
		Source: "RDS API reference, CreateDBInstance DBInstanceIdentifier: 1-63, a letter first, no two hyphens in a row, no hyphen last"},
	"aws:rds/subnetGroup:SubnetGroup": {Property: "name", Max: 255, Pattern: regexp.MustCompile(`^[a-z0-9 ._-]+$`), AutoMax: 255, PrefixProperty: "namePrefix", PrefixMax: 229,
		Source: "RDS API reference, CreateDBSubnetGroup: 255 characters, lowercase"},
	"aws:rds/parameterGroup:ParameterGroup": {Property: "name", Max: 255, Pattern: rdsGroupName, AutoMax: 255, PrefixProperty: "namePrefix", PrefixMax: 229,
		Source: "RDS API reference, CreateDBParameterGroup: 1-255, a letter first, no hyphen last"},
	"aws:ec2/securityGroup:SecurityGroup": {Property: "name", Max: 255, Pattern: anyPrintable, AutoMax: 255, Reserved: []string{"sg-"},
		Source: "EC2 API reference, CreateSecurityGroup GroupName: 255 characters, cannot start with sg-"},
	"aws:ec2/launchTemplate:LaunchTemplate": {Property: "name", Max: 128, Pattern: ltName, AutoMax: 255,
		Source: "EC2 API reference, CreateLaunchTemplate LaunchTemplateName: 3-128"},
	"aws:autoscaling/group:Group": {Property: "name", Max: 255, Pattern: anyPrintable, AutoMax: 255,
		Source: "Auto Scaling API reference, AutoScalingGroupName: 1-255"},
	"aws:cloudwatch/logGroup:LogGroup": {Property: "name", Max: 512, Pattern: logGroupName, AutoMax: 512,
		Source: "CloudWatch Logs API reference, CreateLogGroup logGroupName: 1-512"},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {Property: "name", Max: 255, Pattern: anyPrintable, AutoMax: 255,
		Source: "CloudWatch API reference, PutMetricAlarm AlarmName: 1-255"},
	"aws:cloudwatch/eventRule:EventRule": {Property: "name", Max: 64, Pattern: eventRule, AutoMax: 64,
		Source: "EventBridge API reference, PutRule Name: 1-64; pulumi-aws AutoName(\"name\", 64)"},
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {Property: "policyName", Max: 255, Pattern: anyPrintable,
		Source: "CloudWatch Logs API reference, PutResourcePolicy policyName: a string, no length given (the service model, botocore logs service-2.json, has none); 255 is ours, tk-tenant-trail-views is 21"},
	"aws:cloudwatch/eventTarget:EventTarget": {Property: "targetId", Max: 64, Pattern: eventRule, AutoMax: 255,
		Source: "EventBridge API reference, Target Id: 1-64"},
	"aws:sns/topic:Topic": {Property: "name", Max: 256, Pattern: snsName, AutoMax: 256,
		Source: "SNS API reference, CreateTopic Name: up to 256 alphanumerics, hyphens, underscores"},
	"aws:kms/alias:Alias": {Property: "name", Max: 256, Pattern: kmsAlias, Reserved: []string{"alias/aws"},
		Source: "KMS API reference, CreateAlias AliasName: 1-256, alias/ then letters, digits, /_-; alias/aws/ is reserved"},
	"aws:cloudtrail/trail:Trail": {Property: "name", Max: 128, Pattern: trailName,
		Source: "CloudTrail API reference, CreateTrail Name: 3-128, starts and ends with a letter or digit"},
	"aws:ssm/association:Association": {Property: "associationName", Max: 128, Pattern: ssmName,
		Source: "SSM API reference, CreateAssociation AssociationName: 3-128, [a-zA-Z0-9_\\-.]"},
	"aws:ssm/document:Document": {Property: "name", Max: 128, Pattern: regexp.MustCompile(`^[a-zA-Z0-9_\-.]{3,128}$`),
		Source: "SSM API reference, CreateDocument Name: 3-128"},
	"aws:ssm/parameter:Parameter": {Property: "name", Max: 2048, Pattern: regexp.MustCompile(`^/?[a-zA-Z0-9_.\-/]+$`), Reserved: []string{"aws", "ssm", "/aws", "/ssm"},
		Source: "SSM API reference, PutParameter Name: 1-2048; a-zA-Z0-9_.- and /; names beginning with aws or ssm are reserved"},
	"aws:scheduler/schedule:Schedule": {Property: "name", Max: 64, Pattern: regexp.MustCompile(`^[0-9a-zA-Z\-_.]+$`),
		Source: "EventBridge Scheduler API reference, CreateSchedule Name: 1-64, [0-9a-zA-Z-_.]+"},
	"aws:scheduler/scheduleGroup:ScheduleGroup": {Property: "name", Max: 64, Pattern: regexp.MustCompile(`^[0-9a-zA-Z\-_.]+$`),
		Source: "EventBridge Scheduler API reference, CreateScheduleGroup Name: 1-64, [0-9a-zA-Z-_.]+"},
	"aws:sfn/stateMachine:StateMachine": {Property: "name", Max: 80, Pattern: regexp.MustCompile(`^[0-9A-Za-z_-]+$`),
		Source: "Step Functions API reference, CreateStateMachine name: 1-80; letters, digits, - and _"},
}

// Check tells whether a physical name meets the rule.
func (r Rule) Check(name string) error {
	switch {
	case len(name) > r.Max:
		return fmt.Errorf("%q has %d characters, more than %d", name, len(name), r.Max)
	case r.Pattern != nil && !r.Pattern.MatchString(name):
		return fmt.Errorf("%q does not match %s", name, r.Pattern)
	}
	for _, p := range r.Reserved {
		if strings.HasPrefix(name, p) {
			return fmt.Errorf("%q starts with %q, which AWS reserves", name, p)
		}
	}
	return nil
}

// AutoName is the name the provider makes up for a resource named
// pulumiName: the name, "-" and 7 random characters. An error when that
// exceeds the provider's maximum, which fails the deploy (the bridge's
// resource.NewUniqueName refuses it).
func (r Rule) AutoName(pulumiName string) (name string, err error) {
	name = pulumiName + "-abcdef0"
	if r.AutoMax > 0 && len(name) > r.AutoMax {
		return name, fmt.Errorf("the provider refuses to auto-name %q: %d characters with the random suffix, its maximum is %d", pulumiName, len(name), r.AutoMax)
	}
	return name, nil
}

// PrefixedName is the longest name AWS completes from a prefix: the prefix
// and 26 characters (the AWS provider's id.PrefixedUniqueId).
func (r Rule) PrefixedName(prefix string) (string, error) {
	if r.PrefixMax > 0 && len(prefix) > r.PrefixMax {
		return prefix, fmt.Errorf("name prefix %q has %d characters, more than %d", prefix, len(prefix), r.PrefixMax)
	}
	return prefix + "20261126000000000000000001", nil
}
