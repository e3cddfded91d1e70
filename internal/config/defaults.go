package config

import (
	"time"

	"github.com/tenantkit/tenantkit/internal/naming"
)

// Regions where tenant data may live (WP-07, whitepaper §7).
const (
	RegionTokyo = "ap-northeast-1"
	RegionOsaka = "ap-northeast-3"
)

// OperatorReservedCidrs are the operator's own ranges (corporate network,
// VPN, shared services). No tenant VPC may overlap them (WP-31). A stack may
// add ranges with reservedCidrs; it cannot remove these.
var OperatorReservedCidrs = []string{
	"10.0.0.0/16",   // operator shared services VPC
	"10.255.0.0/16", // operator VPN and office network
	"172.16.0.0/12", // operator data-centre interconnect
}

// RequiredInterfaceEndpoints are the interface endpoints every tenant VPC has,
// so the private tiers reach SSM, CloudWatch and KMS without the internet.
// ec2 is among them because the CloudWatch agent reads the instance's
// auto scaling group from EC2 DescribeTags (the alarms' dimension): without
// it and without NAT the agent sends nothing and the alarms never clear.
var RequiredInterfaceEndpoints = []string{"ssm", "ssmmessages", "ec2messages", "logs", "kms", "monitoring", "ec2"}

// ReferenceTLSPolicy is the policy the catalog names for WP-21.2 (TLS 1.3
// and 1.2): an allowed policy offers no cipher outside its set. The live
// check compares the two policies' ciphers as DescribeSSLPolicies lists
// them, so the comparison is AWS's own.
const ReferenceTLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// AllowedTLSPolicies are the load-balancer TLS policies accepted (WP-21.2):
// TLS 1.2 as a floor with TLS 1.3, or stricter, and ciphers within
// ReferenceTLSPolicy's, including the hybrid post-quantum policies AWS now
// recommends (their key exchange differs, not their ciphers). The Ext0, Ext1
// and Ext2 variants are not among them: they add CBC-SHA1 ciphers and (Ext2)
// RSA key exchange for old clients. Source: Elastic Load Balancing user
// guide, "Security policies for your Application Load Balancer"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html);
// the live check decides from the policy's protocols and ciphers
// (DescribeSSLPolicies), so a policy AWS adds later is judged by what it
// allows, not by this list.
var AllowedTLSPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
}

// DefaultTLSPolicy is the policy AWS recommends (the same page): hybrid
// post-quantum key exchange, TLS 1.3 and 1.2 with restricted ciphers.
const DefaultTLSPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"

// MinFindingSeverity is GuardDuty's lower bound of medium severity: the
// findings rule forwards this and up (WP-37).
const MinFindingSeverity = 4

// SessionIdleMinutes closes idle Session Manager sessions: the baseline's
// default (sessionIdleMinutes) and every tenant's session document.
const SessionIdleMinutes = 20

// HostLogGroup is where a tenant's instances send their system,
// authentication and Systems Manager agent logs (WP-20.5, §20④).
func HostLogGroup(tenantID string) string { return "/tenants/" + tenantID + "/host" }

// PatchAssociationName is a tenant's patch association (WP-30).
func PatchAssociationName(tenantID string) string { return "tk-" + tenantID + "-patch" }

// RetentionDays are the values CloudWatch Logs accepts for retentionInDays;
// 0 means never expire.
var RetentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Classifications are the data labels of WP-12 (一般情報, 個人情報, 秘密情報).
var Classifications = []string{"public", "personal", "confidential"}

// Defaults returns a tenant with every optional knob at its secure default.
// DefaultRing is a tenant's ring unless its stack file says otherwise;
// Rings is how many there are.
const (
	DefaultRing = 1
	Rings       = 3
)

func Defaults() *Tenant {
	return &Tenant{
		Environment:           "production",
		Ring:                  DefaultRing,
		Region:                RegionTokyo,
		AvailabilityZoneIDs:   []string{"apne1-az1", "apne1-az2", "apne1-az4"},
		EgressMode:            "endpoints",
		AppPort:               8080,
		NaclEntryLimit:        DefaultNaclEntryLimit,
		LogRetentionDays:      0,
		TrailMode:             "shared",
		ObjectLockMode:        "COMPLIANCE",
		ObjectLockDays:        365,
		KeyRotationDays:       365,
		KeyDeletionWindowDays: 30,
		DataClassifications:   []string{"confidential"},
		NoncurrentVersionDays: 30,
		Database: Database{
			Enabled:             true,
			InstanceClass:       "db.t4g.medium",
			EngineVersion:       "16",
			AllocatedStorageGB:  20,
			BackupRetentionDays: 7,
			Port:                5432,
		},
		TLSPolicy:    DefaultTLSPolicy,
		InstanceType: "t3.small",
		ImageID:      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
		Capacity:     Capacity{Min: 2, Max: 4, Desired: 2},
		Alarms:       Alarms{CPUPercent: 80, MemoryPercent: 80, DiskPercent: 85},
		HealthCheck:  HealthCheck{Path: "/healthz", Matcher: "200"},
		Lifecycle:    Lifecycle{State: StateActive},
	}
}

// DefaultNaclEntryLimit is AWS's default quota of entries per network ACL
// and direction; MaxNaclEntryLimit the most it can be raised to (Amazon VPC
// quotas, "Rules per network ACL").
const (
	DefaultNaclEntryLimit = 20
	MaxNaclEntryLimit     = 40
)

// RequiredKeys have no default: every stack sets them (Pulumi.yaml declares
// them without one, so `pulumi up` refuses a stack that leaves one out).
var RequiredKeys = []string{"tenantId", "vpcCidr", "ingressCidrs", "certificateArn"}

// KeyAlias is a tenant key's alias. Prefixed, because KMS reserves
// alias/aws and a tenant id may start with "aws".
func KeyAlias(tenantID string) string { return "alias/tk-" + tenantID }

// BaselineKeyAlias names the account baseline's key, which encrypts what
// outlives a tenant: its log archive and its dedicated trail's log files.
const BaselineKeyAlias = "alias/tenantkit-baseline"

// BaselineLogAdminRole administers the records that outlive tenants: the
// shared trail's archive and, after offboarding, a tenant's retained archive.
const BaselineLogAdminRole = "tenantkit-log-admin"

// LogConfigCoreActions are the bucket changes that would destroy a log
// bucket's records without deleting one: the policy (and with it the
// delete deny), a lifecycle rule that expires them, suspended versioning,
// other encryption, a shorter lock. The log buckets deny them to all but
// the log administrators and the deployers (components/storage adds more
// to its deny); the plan rule and the live check of WP-39 require these.
var LogConfigCoreActions = []string{
	"s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
	"s3:PutEncryptionConfiguration", "s3:PutBucketObjectLockConfiguration",
}

// BaselineLogAdminArn is its ARN in the account (path /).
func BaselineLogAdminArn(account string) string {
	return "arn:aws:iam::" + account + ":role/" + BaselineLogAdminRole
}

// TimeZone is the zone the tenants' hosts and databases keep time in (§28).
const TimeZone = "Asia/Tokyo"

// JST is Japan Standard Time (UTC+9, no daylight saving): the zone of every
// date the whitepaper promises (§10) and of the reports' local times.
var JST = time.FixedZone("JST", 9*60*60)

// MetricNamespace is where a tenant's hosts publish their metrics (the
// CloudWatch agent) and where its memory and disk alarms read them: one
// namespace per tenant, the only one its instance role may publish into
// (cloudwatch:namespace), so no tenant's hosts can feed another tenant's
// alarms.
func MetricNamespace(tenantID string) string { return "tenantkit/" + tenantID }

// TenantRoleArn is a tenant role's ARN: tk-<tenant>-<role> under the
// tenant's path /tenants/<tenant>/ (components/access, components/logging).
func TenantRoleArn(account, tenantID, role string) string {
	return "arn:aws:iam::" + account + ":role/tenants/" + tenantID + "/tk-" + tenantID + "-" + role
}

// LoadBalancerName fits AWS's 32 characters whatever the tenant id
// (internal/naming.Fit: tk-<tenant>, or its first 20 characters and a hash).
func LoadBalancerName(tenantID string) string { return naming.Fit("tk-"+tenantID, 32) }
