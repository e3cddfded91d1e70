// Package catalog is the control catalog as code, turned from the
// whitepaper's promises: each control's ID, whitepaper section, titles,
// severity and what its plan rule and live check establish, written once.
// Plan rules (internal/policy) and live checks (internal/verify) register
// under these IDs; tests fail if a control with a plan or live column has
// none.
package catalog

import (
	"fmt"
	"time"
)

// Severity says whether a FAIL stops a deployment.
type Severity string

// Severities.
const (
	Mandatory Severity = "mandatory"
	Advisory  Severity = "advisory"
)

// Status of a control after a rule or check ran.
type Status string

// Statuses. ERROR and UNKNOWN are never PASS: the verifier fails closed.
const (
	Pass    Status = "PASS"
	Fail    Status = "FAIL"
	NA      Status = "N/A"
	Error   Status = "ERROR"   // a live check could not read what it needs
	Unknown Status = "UNKNOWN" // a plan value is computed at deploy time
	// Pending: a reading is not yet due (an instance younger than the
	// time its first host logs take); it says when it will be, and is
	// never a pass.
	Pending Status = "PENDING"
)

// Control is one entry of the catalog.
type Control struct {
	ID       string
	Section  string
	Title    string
	TitleJA  string // the whitepaper section's title
	Severity Severity
	Plan     string // what the plan rule checks; "" if none
	Live     string // what the live check reads; "" if none
}

// Finding is one observation about one resource.
type Finding struct {
	Resource string `json:"resource"`
	Observed string `json:"observed"`
	Expected string `json:"expected"`
}

// Result is a control's status with the findings behind it.
type Result struct {
	ID       string    `json:"id"`
	Section  string    `json:"section"`
	Title    string    `json:"title"`
	Severity Severity  `json:"severity"`
	Status   Status    `json:"status"`
	Findings []Finding `json:"findings"`
	Note     string    `json:"note,omitempty"`
}

// Controls lists the catalog in document order.
var Controls = []Control{
	{"WP-07", "7", "Customer data stays in Japan", "関係当局との連絡", Mandatory,
		"Provider region is an allowed Japanese region; no resource overrides it; no S3 replication.",
		"Bucket locations, trail home region, key and log-group ARNs in the allowed regions; every replication rule of every bucket only into the stack's own buckets (the foreign destination's region named)."},
	{"WP-10", "10", "Offboarding: access stops the next day, deletion within 30 days", "クラウドサービス利用者の資産の除去", Mandatory,
		"A suspended stack has no ingress from outside the VPC; key deletion window fits the days left to the deadline.",
		"After suspension no listener or rule admits outside traffic; after deletion nothing tagged remains."},
	{"WP-11", "11", "Inventory: every resource tagged Tenant, ManagedBy, Environment", "資産目録", Mandatory,
		"Every taggable resource gets the three tags with the stack's values.",
		"Resources found by the tenant tag equal the stack's inventory."},
	{"WP-12", "12", "Labelling: every data store has a DataClassification", "情報のラベル付け", Mandatory,
		"Every bucket, volume, database and log group has a valid label.",
		"Each store's label read back and compared with the one the stack gives it: a data bucket its own classification, the log buckets, log groups, database and instance volumes the tenant's most protective one."},
	{"WP-15", "15–16", "Privileged access needs MFA; no long-lived tenant keys", "特権的アクセス権の管理", Mandatory,
		"Admin role trust requires MFA; no IAM users or access keys; password policy meets the minimums.",
		"The human roles' trust read back (every Allow with MFA); every IAM user of the account and its access keys, and the root user's access keys (none); the password policy against the baseline's."},
	{"WP-17", "17", "Access restricted to the tenant's own resources", "情報へのアクセス制限", Mandatory,
		"Policies scoped to tenant ARNs; no * principal without a restricting condition.",
		"Bucket policies, the tenant key's policy and every policy of the tenant's roles (inline, attached) read back and judged by the plan's own verdicts: no open principal, no other account, only the key's services, other tenants denied, no Allow on every resource."},
	{"WP-18", "18", "No back doors: no SSH/RDP; Session Manager logged", "特権的なユーティリティプログラムの使用", Mandatory,
		"No rule opens 22/3389; the baseline's default Session Manager preferences refuse a session that names no tenant document (session data under the baseline key); the tenant's own session document streams to its own encrypted group under the tenant key; the instance role may make every call a logged session needs.",
		"No security-group rule opens 22/3389; the default preferences and the tenant's session document read back; the instance role's policies read back and judged call by call (find and check the group, open and write the stream, decrypt the session key): a PASS means a session can start and is logged in the tenant's group."},
	{"WP-19", "19", "Isolation: dedicated VPC, key and buckets", "仮想コンピューティング環境における分離", Mandatory,
		"One VPC and one key per tenant; default SG emptied; no peering or transit gateway.",
		"Same, read back."},
	{"WP-20.1", "20", "Only the needed ports", "仮想マシンの要塞化", Mandatory,
		"No internet ingress except 443/80 on the load balancer; no port ranges; tiers reference groups.",
		"Every deployed rule matches the declared tier matrix."},
	{"WP-20.2", "20", "Only the needed protocols; NACLs deny by default", "仮想マシンの要塞化", Mandatory,
		"No all-protocol ingress; a NACL on every subnet, denying 22 and 3389 ahead of every allow (3389 excepted where it lies in the return range of a subnet holding the load balancer or a NAT gateway).",
		"Same, read back; the subnets holding the load balancer and NAT gateways read from AWS."},
	{"WP-20.3", "20", "Anti-malware: GuardDuty with EBS malware protection", "仮想マシンの要塞化", Mandatory,
		"Baseline declares the detector and the feature.",
		"Detector enabled, its findings frequency and every malware feature as the baseline declares them."},
	{"WP-20.4", "20", "Instances hardened: IMDSv2, encrypted EBS, no public IP", "仮想マシンの要塞化", Mandatory,
		"Launch template: httpTokens=required, encrypted volumes, no public IP.",
		"Launch template read back; EBS encryption by default on."},
	{"WP-20.5", "20", "Host logs collected: system, authentication and Systems Manager agent logs of every instance (§20④)", "仮想マシンの要塞化", Mandatory,
		"The bootstrap installs rsyslog and has the CloudWatch agent send /var/log/messages, /var/log/secure and the SSM agent's log to the tenant's host log group, which the stack holds (encrypted with the tenant key and kept as WP-21.1 and WP-39 say); the instance role writes only there.",
		"The running launch template version's bootstrap read back; every instance of the group has a stream for each configured file in the host log group, its latest event at most an hour old (younger instances PENDING)."},
	{"WP-21.1", "21", "Encryption at rest with the tenant key, rotation on", "暗号による管理策の利用方針", Mandatory,
		"Every store names the tenant key (service-logs bucket: SSE-S3); key rotation on.",
		"Bucket encryption, key rotation and its period, log-group keys, database encryption, the topic's key and every volume attached to the tenant's instances read back, each compared with the tenant key."},
	{"WP-21.2", "21, 43", "Encryption in transit: TLS 1.2+", "暗号による管理策の利用方針", Mandatory,
		"Listener policy allowed; 80 redirects; buckets deny non-TLS and TLS < 1.2; database forces TLS.",
		"Listener, bucket policy, database parameter read back."},
	{"WP-22", "22", "Secure disposal: key deletion; noncurrent versions expire", "装置のセキュリティを保った処分又は再利用", Mandatory,
		"Lifecycle rule for noncurrent versions on every bucket.",
		"Lifecycle read back; after offboarding, key state; the database's snapshots and automated backups (kept as configured, encrypted)."},
	{"WP-24", "24, 29", "Capacity and monitoring alarms", "容量・能力の管理", Mandatory,
		"Memory, CPU and disk alarms with thresholds from config, to an encrypted topic that has a subscriber.",
		"Each alarm compared field by field with the stack's (metric, namespace, threshold, statistic, period, evaluation periods, operator, missing data, group), enabled, to the topic; the topic's subscribers equal alertEmails, each confirmed, and no one else subscribed."},
	{"WP-27", "27", "Event logs: trail, flow logs, access logs", "イベントログ取得", Mandatory,
		"Flow log on the VPC; access logging on buckets and load balancer; trail coverage of the buckets; in the shared trail mode two rules copying the tenant's own records of the account trail (its buckets' object events, its roles' calls) into /tenants/<tenant>/cloudtrail, which its log reader reads.",
		"A trail logging every management event (read and write) into the expected archive bucket and prefix, validated, encrypted, its latest delivery at most a day old, covering the buckets; flow log active; access logs on; in the shared mode the copy rules, their target group and the baseline's resource policy that lets EventBridge write it."},
	{"WP-28", "28", "Clock sync to NTP in JST", "クロックの同期", Mandatory,
		"DHCP options with 169.254.169.123 associated; bootstrap sets chrony and Asia/Tokyo; the database's parameter group sets timezone Asia/Tokyo.",
		"DHCP options of the VPC, the running launch template version's bootstrap (chrony, Asia/Tokyo) and the database's timezone parameter read back. The clock inside a running instance is not read: SSM's default inventory types hold no time source or zone."},
	{"WP-30", "30", "Vulnerability management", "技術的脆弱性の管理", Mandatory,
		"Baseline declares Inspector; a patch association per tenant; new high and critical findings routed to the tenant's topic (WP-37).",
		"Inspector account status; Inspector's coverage of every instance of the tenant (scanned within a week); the association with the stack's document and schedule; the tenant's active high and critical Inspector findings, each shown; every instance's Patch Manager state (nothing missing, nothing failed, scanned within eight days; never scanned is FAIL, PENDING for an instance younger than that)."},
	{"WP-31", "31", "Network separation", "ネットワークの分離", Mandatory,
		"CIDR unique across stacks and outside reserved ranges; no route to another tenant; endpoints present.",
		"Every route of the tenant's route tables read back: its target must be local, the tenant's internet gateway, its NAT gateways or its S3 endpoint (a VPN, transit, peering or any other target FAILs), and none reaches another tenant; endpoints present."},
	{"WP-37", "37–38", "Incident notification (target: customers told within one business day of detection, §37)", "責任および手順", Mandatory,
		"EventBridge rules to the tenant's alert topic: GuardDuty findings of medium severity and up; Inspector findings of high and critical severity on the tenant's instances; scheduled deletion, disabling, rotation off or a new policy on the tenant key; the certificate's expiry.",
		"Each rule enabled, its pattern the tenant's, targeting the topic; the topic's confirmed subscribers (WP-24). Telling the customer within one business day stays a process of the support desk."},
	{"WP-39", "39, 42", "Evidence and records protection", "証拠の収集", Mandatory,
		"Log archive with Object Lock and retention from config; the service-logs bucket (which S3 will not lock) replicating every object into the archive, whose lock keeps the copies; deny-delete statement; log retention from config.",
		"Same, read back."},
	{"WP-44", "44", "Independent review: evidence reports", "情報セキュリティの独立したレビュー", Advisory,
		"", "The report itself, its account cross-checked: the credentials' account (STS) is the one EC2 and KMS hold the tenant's VPC and key in."},
}

// ByID returns a control.
func ByID(id string) (Control, bool) {
	for _, c := range Controls {
		if c.ID == id {
			return c, true
		}
	}
	return Control{}, false
}

// NewResult starts a result for a control.
func NewResult(id string) Result {
	c, ok := ByID(id)
	if !ok {
		panic(fmt.Sprintf("catalog: unknown control %s", id))
	}
	return Result{ID: c.ID, Section: c.Section, Title: c.Title, Severity: c.Severity}
}

// ByIDResult finds a control's result in a list (zero Result if absent).
func ByIDResult(results []Result, id string) Result {
	for _, r := range results {
		if r.ID == id {
			return r
		}
	}
	return Result{}
}

// Process says, per control, what no infrastructure keeps and stays a
// process of the provider (the customers' reviewers ask for it apart).
var Process = map[string]string{
	"WP-10": "The customer takes its data out before access stops (support desk, on request); the cancellation date is recorded by an operator (`tenantctl offboard --cancelled-on`).",
	"WP-15": "People's accounts, MFA devices and their reviews live in the operator's identity provider.",
	"WP-24": "Someone confirms each e-mail subscription and answers the alarms.",
	"WP-30": "The yearly third-party vulnerability assessment (§30); acting on findings.",
	"WP-37": "Telling the customer within one business day of detection (§37), through the support desk. Root sign-in is not routed: CloudTrail records a console sign-in in the region of the sign-in endpoint, for the global endpoint us-east-1 (CloudTrail user guide, 'AWS Management Console sign-in events'), where WP-07 allows no resource; the account owner watches it (an organisation-level rule, the root user's MFA).",
	"WP-27": "In the shared trail mode the tenant's own copy of its API records is best effort (CloudTrail delivers to EventBridge so); the record no one can alter is the account's archive, from which the provider extracts a tenant's records on request.",
	"WP-39": "The break-glass role that could delete log groups is kept out of daily use (an SCP where the account is in an organisation).",
}

// Remediation says, per control, what to do when it does not pass: where
// the fix lives (a stack key, a component, the baseline) and the step that
// brings the account back (most are a deploy: `pulumi up --refresh` of the
// stack puts back what drifted). The reports print it under each control
// that does not pass.
var Remediation = map[string]string{
	"WP-07":   "Keep tenantkit:region at ap-northeast-1 (ap-northeast-3 only with disasterRecovery); delete what was made elsewhere, then pulumi up --refresh.",
	"WP-10":   "Run what `tenantctl offboard due` says is due (suspend, delete); a missed deadline is an incident to record; after suspension, remove any rule or listener admitting outside traffic by pulumi up --refresh.",
	"WP-11":   "Tag by the stack, not by hand: pulumi up --refresh restores Tenant, ManagedBy and Environment; remove or adopt resources tagged by hand; re-export the inventory (pulumi stack output --json) when it disagrees with the stack file.",
	"WP-12":   "Set tenantkit:dataClassifications for the data the tenant keeps; pulumi up --refresh puts the DataClassification tags back.",
	"WP-15":   "Human roles need MFA (components/access); the account's password policy is the baseline's (baseline stack, pulumi up); delete long-lived access keys.",
	"WP-17":   "Bucket and key policies come from the stack: pulumi up --refresh replaces a hand-edited policy; never grant another tenant's path.",
	"WP-18":   "Remove SSH/RDP rules (pulumi up --refresh); Session Manager logging is the baseline's (session preferences, baseline stack).",
	"WP-19":   "One VPC, key and set of buckets per tenant: remove what another stack or a person added to the tenant's VPC; never share the key.",
	"WP-20.1": "Only the tier matrix's ports (lb 443/80 from tenantkit:ingressCidrs, app tenantkit:appPort from lb, db from app): pulumi up --refresh removes other rules.",
	"WP-20.2": "Network ACLs and protocols come from the stack (components/network): pulumi up --refresh; add ports by stack keys, never by hand.",
	"WP-20.3": "GuardDuty with EBS malware protection is the baseline's: deploy the baseline stack (pulumi up in baseline/).",
	"WP-20.4": "Launch template and subnets come from the stack: pulumi up --refresh (IMDSv2, encrypted volumes, no public IP); EBS encryption by default is the baseline's.",
	"WP-20.5": "Redeploy the stack so instances launch from the bootstrap that installs rsyslog and the agent's log collection (pulumi up, then an instance refresh of the group); check the instance role and the host log group exist.",
	"WP-21.1": "Encryption with the tenant key comes from the stack: pulumi up --refresh restores bucket encryption and key rotation; an unencrypted database needs a snapshot restored into an encrypted instance (RDS cannot encrypt in place).",
	"WP-21.2": "Keep tenantkit:tlsPolicy on the allow-list; bucket TLS denies and the database's rds.force_ssl come from the stack: pulumi up --refresh.",
	"WP-22":   "Lifecycle rules, key deletion windows and backups come from the stack: pulumi up --refresh; delete manual snapshots that would outlive the tenant.",
	"WP-24":   "Confirm every alert subscription (the e-mail link) and set tenantkit:alertEmails; alarms come from the stack: pulumi up --refresh.",
	"WP-27":   "Restart the trail (aws cloudtrail start-logging) and pulumi up --refresh for flow logs and access logs; in the shared trail mode deploy the baseline after adding a tenant (the trail's selectors and the resource policy the tenant's copy rules need).",
	"WP-28":   "DHCP options, the bootstrap's chrony and Asia/Tokyo, and the database's timezone come from the stack: pulumi up --refresh, then an instance refresh.",
	"WP-30":   "Patch: run AWS-RunPatchBaseline on the instances (the tenant's patch association) and fix what Inspector reports; Inspector itself is the baseline's.",
	"WP-31":   "Remove routes to other tenants, peerings and transit gateways; VPC endpoints come from the stack: pulumi up --refresh; a new range must not overlap another stack's.",
	"WP-37":   "Alert routes come from the stack: pulumi up --refresh re-creates or re-enables the rules and their targets on the topic.",
	"WP-39":   "Log buckets' versioning, Object Lock and deny statements and the log groups' retention come from the stack: pulumi up --refresh; a bucket made without Object Lock must be replaced (Object Lock is set at creation); access logs delivered while the copy was off are copied by S3 Batch Replication.",
	"WP-44":   "Run tenantctl verify for every tenant (the nightly workflow) and keep the reports.",
}

// MaxAge bounds how old a reading that stands for "still happening" may
// be: older is FAIL, and the report states the bound beside the reading.
// A resource younger than its first reading is due is PENDING, never PASS.
var MaxAge = struct {
	// HostLogs: the CloudWatch agent flushes every five seconds and the
	// system log is written all the time; an instance none of whose
	// streams has had an event for an hour has stopped sending.
	HostLogs time.Duration
	// PatchScan: the patch association runs weekly (Saturday 18:00 UTC)
	// and on every new instance; a day's grace.
	PatchScan time.Duration
	// InspectorScan: Inspector rescans an instance when its software or
	// the CVE database changes, and at least daily for agent-based
	// scanning; a week without a scan means it is no longer covered.
	InspectorScan time.Duration
	// TrailDelivery: CloudTrail delivers log files about every five
	// minutes while calls are made, and an account always makes some.
	TrailDelivery time.Duration
	// FirstReading: how long a new instance is given before its host
	// logs, patch state and Inspector coverage are due.
	FirstReading time.Duration
}{HostLogs: time.Hour, PatchScan: 8 * 24 * time.Hour, InspectorScan: 7 * 24 * time.Hour, TrailDelivery: 24 * time.Hour, FirstReading: 15 * time.Minute}
