package verify

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

func acme(t *testing.T) (*config.Tenant, *world, *Inventory) {
	t.Helper()
	cfg := testkit.Load(t, "acme")
	w, inv := newWorld(cfg)
	return cfg, w, inv
}

func runOne(t *testing.T, w *world, cfg *config.Tenant, inv *Inventory, id string) CheckResult {
	t.Helper()
	for _, c := range Checks() {
		if c.ID == id {
			return RunChecks(context.Background(), w.target(cfg, inv), []Check{c}, 1)[0]
		}
	}
	t.Fatalf("no check %s", id)
	return CheckResult{}
}

// The compliant world passes every check (WP-10 is N/A while active), and
// the decoy VPC's open default group and peering route are not seen.
func TestCompliantTenantPasses(t *testing.T) {
	cfg, w, inv := acme(t)
	results := RunChecks(context.Background(), w.target(cfg, inv), Checks(), 4)
	for _, r := range results {
		want := catalog.Pass
		if r.ID == "WP-10/suspended" {
			want = catalog.NA
		}
		if r.Status != want {
			t.Errorf("%s: %s %+v", r.ID, r.Status, r.Observations)
		}
	}
}

type breakCase struct {
	check    string
	name     string
	breakIt  func(w *world, cfg *config.Tenant, inv *Inventory)
	resource string // the finding must name it
}

// For every check: a breaking change that makes exactly it FAIL naming the
// resource. If a comparison is removed (the check always passes), its case
// fails here.
var breakCases = []breakCase{
	{"WP-07/regions", "bucket in Virginia", func(w *world, _ *config.Tenant, inv *Inventory) { w.buckets[inv.Buckets.LogArchive].location = "" }, "log-archive"},
	{"WP-10/suspended", "suspended but listening", func(w *world, cfg *config.Tenant, _ *Inventory) {
		cfg.Lifecycle = config.Lifecycle{State: config.StateSuspended, CancelledOn: "2026-11-20"}
	}, "listener HTTPS:443"},
	{"WP-11/sweep", "a resource tagged by hand", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.tagged = append(w.tagged, taggingtypes.ResourceTagMapping{ResourceARN: aws.String("arn:aws:ec2:ap-northeast-1:111122223333:instance/i-handmade"),
			Tags: []taggingtypes.Tag{{Key: aws.String("Tenant"), Value: aws.String("acme")}}})
	}, "i-handmade"},
	{"WP-11/sweep", "the key not under the tenant's tag", func(w *world, _ *config.Tenant, _ *Inventory) { w.tagged = w.tagged[1:] }, "key/k-1"},
	{"WP-11/tags", "key without the tenant tag", func(w *world, _ *config.Tenant, _ *Inventory) { delete(w.keyTags, "Tenant") }, "key arn:aws:kms"},
	{"WP-12/labels", "unlabelled log group", func(w *world, _ *config.Tenant, inv *Inventory) {
		delete(w.logTags["arn:aws:logs:ap-northeast-1:111122223333:log-group:"+inv.FlowLogGroup], "DataClassification")
	}, "vpc-flow-logs"},
	{"WP-15/mfa-roles", "log reader without MFA", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.roles["tk-acme-log-reader"] = `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`
	}, "tk-acme-log-reader"},
	{"WP-15/password-policy", "short passwords", func(w *world, _ *config.Tenant, _ *Inventory) { w.password.MinimumPasswordLength = aws.Int32(8) }, "password policy"},
	{"WP-17/bucket-policies", "data bucket open beyond the endpoint", func(w *world, _ *config.Tenant, inv *Inventory) {
		b := w.buckets[inv.Buckets.Data["personal"]]
		b.policy = strings.ReplaceAll(b.policy, "aws:SourceVpce", "aws:SourceVpc")
	}, "tk-acme-personal"},
	{"WP-17/bucket-policies", "other tenants admitted to the archive by a prefix", func(w *world, _ *config.Tenant, inv *Inventory) {
		b := w.buckets[inv.Buckets.LogArchive]
		b.policy = strings.ReplaceAll(b.policy, "role/tenants/acme/*", "role/tenants/acme*")
	}, "tk-acme-log-archive"},
	{"WP-18/no-ssh-rdp", "port 22 opened", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.groups[1].IpPermissions = append(w.groups[1].IpPermissions, tcp(22, []string{"10.0.0.0/8"}))
	}, "sg-app"},
	{"WP-18/session-logging", "sessions not logged", func(w *world, _ *config.Tenant, _ *Inventory) { w.sessionPref = `{"inputs":{}}` }, "SSM-SessionManagerRunShell"},
	// #34 item 1: a session naming no document would start unlogged.
	{"WP-18/session-logging", "the default preferences under no key", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.sessionPref = strings.Replace(w.sessionPref, archiveKey, "", 1)
	}, "SSM-SessionManagerRunShell"},
	{"WP-18/session-logging", "no tenant session document", func(w *world, _ *config.Tenant, _ *Inventory) { w.sessionDocs = nil }, "tk-acme-session"},
	{"WP-18/session-logging", "the tenant's sessions logged to the baseline group", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.sessionDocs["tk-acme-session"] = strings.Replace(w.sessionDocs["tk-acme-session"], expect.TenantSessionLogGroup("acme"), expect.SessionLogGroup, 1)
	}, "tk-acme-session"},
	{"WP-18/session-logging", "the session group not encrypted", func(w *world, _ *config.Tenant, _ *Inventory) {
		for i, g := range w.logGroups {
			if aws.ToString(g.LogGroupName) == expect.TenantSessionLogGroup("acme") {
				w.logGroups[i].KmsKeyId = nil
			}
		}
	}, "/tenantkit/sessions/acme"},
	// #34 item 1 as the review found it: the host may not write its group.
	{"WP-18/session-logging", "the instance role cannot reach its session group", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.inline["tk-acme-app"]["tenant"] = strings.ReplaceAll(w.inline["tk-acme-app"]["tenant"], expect.TenantSessionLogGroup("acme"), "/tenantkit/sessions/elsewhere")
	}, "tk-acme-app"},
	{"WP-19/isolation", "default group with a rule", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.groups[4].IpPermissions = []ec2types.IpPermission{tcp(443, []string{"0.0.0.0/0"})}
	}, "sg-default"},
	{"WP-20.1/tier-matrix", "app port open to a CIDR", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.groups[1].IpPermissions = append(w.groups[1].IpPermissions, tcp(8080, []string{"0.0.0.0/0"}))
	}, "sg-app"},
	{"WP-20.2/protocols", "all-protocol ingress", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.groups[2].IpPermissions = append(w.groups[2].IpPermissions, ec2types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-app")}}})
	}, "sg-db"},
	// #34 item 5: 3389 inside the ephemeral allow is a return path only
	// where a load balancer or NAT gateway sits (here none does).
	{"WP-20.2/nacls", "3389 admitted on a tier with no load balancer or NAT", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.acls[0].Entries = slices.DeleteFunc(w.acls[0].Entries, func(e ec2types.NetworkAclEntry) bool { return aws.ToInt32(e.RuleNumber) == 11 })
	}, "acl-1"},
	{"WP-20.2/nacls", "subnet on the default ACL", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.acls[0].Associations = w.acls[0].Associations[:1]
	}, "subnet-b"},
	{"WP-20.3/guardduty", "malware protection off", func(w *world, _ *config.Tenant, _ *Inventory) { w.detector.Features[0].Status = "DISABLED" }, "det-1"},
	{"WP-20.4/launch-template", "IMDSv1", func(w *world, _ *config.Tenant, _ *Inventory) { w.ltData.MetadataOptions.HttpTokens = "optional" }, "lt-1"},
	{"WP-20.4/subnets", "a subnet maps public IPs", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.subnets[1].MapPublicIpOnLaunch = aws.Bool(true)
	}, "subnet-b"},
	{"WP-20.4/ebs-default", "EBS default off", func(w *world, _ *config.Tenant, _ *Inventory) { w.ebsDefault = false }, "EBS"},
	{"WP-21.1/bucket-encryption", "encryption removed", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.Data["confidential"]].sse = nil
	}, "tk-acme-confidential"},
	{"WP-21.1/bucket-encryption", "another key", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.LogArchive].sse.Rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID = aws.String("arn:aws:kms:ap-northeast-1:111122223333:key/other")
	}, "log-archive"},
	{"WP-21.1/bucket-encryption", "bucket key off", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.Data["personal"]].sse.Rules[0].BucketKeyEnabled = aws.Bool(false)
	}, "tk-acme-personal"},
	{"WP-21.1/bucket-encryption", "service logs under KMS (ALB cannot deliver)", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.ServiceLogs].sse = w.buckets[inv.Buckets.LogArchive].sse
	}, "service-logs"},
	{"WP-21.1/public-access-block", "public access block off", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.ServiceLogs].pab.RestrictPublicBuckets = aws.Bool(false)
	}, "service-logs"},
	{"WP-21.1/key-rotation", "rotation off", func(w *world, _ *config.Tenant, _ *Inventory) { w.rotation = false }, "key"},
	{"WP-21.1/log-group-keys", "log group under another key", func(w *world, _ *config.Tenant, _ *Inventory) { w.logGroups[1].KmsKeyId = nil }, "/tenants/acme/app"},
	{"WP-21.1/database", "database unencrypted", func(w *world, _ *config.Tenant, _ *Inventory) { w.db.StorageEncrypted = aws.Bool(false) }, "tk-acme"},
	{"WP-22/database", "a manual snapshot kept", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.snapshots = []rdstypes.DBSnapshot{{DBSnapshotIdentifier: aws.String("before-migration")}}
	}, "tk-acme"},
	{"WP-22/database", "snapshots untagged", func(w *world, _ *config.Tenant, _ *Inventory) { w.db.CopyTagsToSnapshot = aws.Bool(false) }, "tk-acme"},
	{"WP-30/database-upgrades", "minor versions frozen", func(w *world, _ *config.Tenant, _ *Inventory) { w.db.AutoMinorVersionUpgrade = aws.Bool(false) }, "tk-acme"},
	{"WP-21.1/topic", "topic under aws/sns", func(w *world, _ *config.Tenant, _ *Inventory) { w.topicKey = "alias/aws/sns" }, "tk-acme-alerts"},
	{"WP-21.2/listeners", "old TLS policy", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.listeners[0].SslPolicy = aws.String("ELBSecurityPolicy-2016-08")
	}, "HTTPS:443"},
	{"WP-21.2/listeners", "TLS 1.3/1.2 with ciphers beyond the reference (#25 item 7)", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.listeners[0].SslPolicy = aws.String(extPolicy)
	}, "HTTPS:443"},
	{"WP-21.2/bucket-tls", "policy without the TLS deny", func(w *world, _ *config.Tenant, inv *Inventory) {
		b := w.buckets[inv.Buckets.LogArchive]
		b.policy = strings.ReplaceAll(b.policy, "aws:SecureTransport", "aws:ViaAWSService")
	}, "log-archive"},
	{"WP-24/subscribers", "the only subscriber never confirmed", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.subscriptions[0].SubscriptionArn = aws.String("PendingConfirmation")
	}, "topic"},
	{"WP-22/database-backups", "backups off", func(w *world, _ *config.Tenant, _ *Inventory) { w.db.BackupRetentionPeriod = aws.Int32(0) }, "tk-acme"},
	{"WP-28/database-timezone", "database in UTC", func(w *world, _ *config.Tenant, _ *Inventory) { w.dbParams = w.dbParams[:1] }, "tk-acme"},
	{"WP-21.2/database-tls", "TLS not forced", func(w *world, _ *config.Tenant, _ *Inventory) { w.dbParams[0].ParameterValue = aws.String("0") }, "tk-acme"},
	{"WP-22/lifecycle", "no lifecycle", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.Data["personal"]].lifecycle = nil
	}, "tk-acme-personal"},
	{"WP-22/key-state", "key scheduled for deletion while active", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.key.KeyState = kmstypes.KeyStatePendingDeletion
	}, "key"},
	{"WP-24/alarms", "memory threshold changed", func(w *world, _ *config.Tenant, _ *Inventory) { w.alarms[1].Threshold = aws.Float64(99) }, "tk-acme-memory"},
	{"WP-27/trail", "trail stopped", func(w *world, _ *config.Tenant, _ *Inventory) { w.logging = false }, "tenantkit-shared"},
	{"WP-27/trail-coverage", "bucket not covered", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.selectors[1].FieldSelectors[2].StartsWith = []string{"arn:aws:s3:::someone-else/"}
	}, "tk-acme-personal"},
	{"WP-27/flow-logs", "flow log of rejects only", func(w *world, _ *config.Tenant, _ *Inventory) { w.flowLogs[0].TrafficType = ec2types.TrafficTypeReject }, "vpc-tenant"},
	{"WP-27/alb-logs", "access logs off", func(w *world, _ *config.Tenant, _ *Inventory) { w.lbAttrs["access_logs.s3.enabled"] = "false" }, "loadbalancer/app/tk-acme"},
	{"WP-27/bucket-logs", "bucket access logs off", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.Data["personal"]].logging = nil
	}, "tk-acme-personal"},
	// #34 item 6: the loop the review found, the archive logging into the
	// bucket that replicates into it.
	{"WP-27/bucket-logs", "the archive logs into the bucket that replicates into it", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.LogArchive].logging.TargetBucket = aws.String(inv.Buckets.ServiceLogs)
	}, "tk-acme-log-archive"},
	{"WP-28/dhcp", "NTP elsewhere", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.dhcp[0].DhcpConfigurations[0].Values[0].Value = aws.String("10.0.0.2")
	}, "dopt-1"},
	{"WP-30/inspector", "ECR not scanned", func(w *world, _ *config.Tenant, _ *Inventory) { w.inspector.Ecr.Status = "DISABLED" }, "Inspector"},
	{"WP-30/patching", "no patch association", func(w *world, _ *config.Tenant, _ *Inventory) { w.assocs = nil }, "acme"},
	{"WP-31/routes", "route to another tenant", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.routes[0].Routes = append(w.routes[0].Routes, ec2types.Route{DestinationCidrBlock: aws.String("10.16.16.0/20"), GatewayId: aws.String("vgw-1")})
	}, "rtb-1"},
	{"WP-31/endpoints", "kms endpoint missing", func(w *world, _ *config.Tenant, _ *Inventory) { w.endpoints = w.endpoints[:3] }, "kms"},
	{"WP-30/findings", "a critical vulnerability on an instance (#25 item 3)", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.findings = []insptypes.Finding{{FindingArn: aws.String("arn:aws:inspector2:ap-northeast-1:111122223333:finding/f-1"), Severity: insptypes.SeverityCritical,
			Status: insptypes.FindingStatusActive, Title: aws.String("CVE-2026-0001 - openssl"), FirstObservedAt: aws.Time(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)),
			Resources: []insptypes.Resource{{Id: aws.String("i-0a1"), Type: insptypes.ResourceTypeAwsEc2Instance, Tags: map[string]string{"Tenant": "acme"}}}}}
	}, "i-0a1"},
	{"WP-30/patch-compliance", "missing patches (#25 item 3)", func(w *world, _ *config.Tenant, _ *Inventory) { w.patchStates[1].MissingCount = 3 }, "i-0b2"},
	{"WP-30/patch-compliance", "an instance never scanned, launched a month ago", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.patchStates = w.patchStates[:1]
		w.launched = fakeNow.Add(-30 * 24 * time.Hour)
	}, "i-0b2"},
	{"WP-20.5/bootstrap", "the running bootstrap sends no authentication log (#25 item 2)", func(w *world, _ *config.Tenant, _ *Inventory) {
		ud, _ := base64.StdEncoding.DecodeString(aws.ToString(w.ltData.UserData))
		w.ltData.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(ud), "/var/log/secure", "/var/log/other", 1))))
	}, "launch template"},
	{"WP-20.5/received", "an instance whose host logs never arrived", func(w *world, _ *config.Tenant, _ *Inventory) { w.hostStreams = w.hostStreams[:3] }, "i-0b2"},
	{"WP-28/instance-clock", "the running bootstrap keeps UTC (#25 item 5)", func(w *world, _ *config.Tenant, _ *Inventory) {
		ud, _ := base64.StdEncoding.DecodeString(aws.ToString(w.ltData.UserData))
		w.ltData.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(ud), "set-timezone Asia/Tokyo", "set-timezone UTC", 1))))
	}, "launch template"},
	{"WP-10/suspended", "cancelled a week ago, still active (#23 item 6)", func(_ *world, cfg *config.Tenant, _ *Inventory) {
		cfg.Lifecycle = config.Lifecycle{State: config.StateActive, CancelledOn: "2026-11-18", SuspendOn: "2026-11-19", DeleteBy: "2026-12-18"}
	}, "tenant acme"},
	{"WP-11/stack-inventory", "an inventory without the stack's personal data bucket (#23 item 8)", func(_ *world, _ *config.Tenant, inv *Inventory) {
		delete(inv.Buckets.Data, "personal")
	}, "inventory of acme"},
	{"WP-11/stack-inventory", "the inventory says no database, the stack declares one (#23 item 8: four checks said N/A)", func(_ *world, _ *config.Tenant, inv *Inventory) {
		inv.Database.Enabled = false
	}, "inventory of acme"},
	{"WP-37/findings-rule", "rule disabled", func(w *world, _ *config.Tenant, _ *Inventory) { w.rule.State = "DISABLED" }, "tk-acme-guardduty"},
	{"WP-37/alert-routes", "Inspector findings of every tenant (#25 item 1)", func(w *world, _ *config.Tenant, _ *Inventory) {
		r := w.rules["tk-acme-inspector"]
		r.EventPattern = aws.String(`{"source":["aws.inspector2"],"detail-type":["Inspector2 Finding"]}`)
		w.rules["tk-acme-inspector"] = r
	}, "tk-acme-inspector"},
	{"WP-37/alert-routes", "certificate expiry route gone", func(w *world, _ *config.Tenant, _ *Inventory) { delete(w.rules, "tk-acme-cert-expiry") }, "tk-acme-cert-expiry"},
	{"WP-39/log-buckets", "rule changes allowed", func(w *world, _ *config.Tenant, inv *Inventory) {
		b := w.buckets[inv.Buckets.LogArchive]
		doc, _ := policydoc.Parse(b.policy)
		doc.Statement = slices.DeleteFunc(doc.Statement, func(s policydoc.Statement) bool { return s.Sid == "DenyLogConfigChanges" })
		b.policy = doc.JSON()
	}, "log-archive"},
	{"WP-39/log-buckets", "Object Lock shortened", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.LogArchive].lock.Rule.DefaultRetention.Days = aws.Int32(1)
	}, "log-archive"},
	{"WP-39/access-log-copy", "no replication", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.ServiceLogs].replication = nil
	}, "service-logs"},
	{"WP-39/access-log-copy", "only the load balancer's logs copied", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.ServiceLogs].replication.Rules[0].Filter = &s3types.ReplicationRuleFilter{Prefix: aws.String("alb/")}
	}, "only objects matching prefix alb/"},
	{"WP-39/access-log-copy", "copied elsewhere", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.ServiceLogs].replication.Rules[0].Destination.Bucket = aws.String("arn:aws:s3:::unlocked-bucket")
	}, "into arn:aws:s3:::unlocked-bucket"},
	{"WP-39/access-log-copy", "delete markers replicated", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.ServiceLogs].replication.Rules[0].DeleteMarkerReplication.Status = s3types.DeleteMarkerReplicationStatusEnabled
	}, "delete markers replicated"},
	{"WP-27/trail-view", "the view group deleted", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.logGroups = slices.DeleteFunc(w.logGroups, func(g logtypes.LogGroup) bool { return aws.ToString(g.LogGroupName) == "/tenants/acme/cloudtrail" })
	}, "/tenants/acme/cloudtrail"},
	{"WP-27/trail-view", "read-only calls not copied", func(w *world, _ *config.Tenant, _ *Inventory) {
		r := w.rules["tk-acme-trail-roles"]
		r.State = ebtypes.RuleStateEnabled
		w.rules["tk-acme-trail-roles"] = r
	}, "tk-acme-trail-roles"},
	{"WP-27/trail-view", "every tenant's roles copied", func(w *world, _ *config.Tenant, _ *Inventory) {
		r := w.rules["tk-acme-trail-roles"]
		r.EventPattern = aws.String(strings.ReplaceAll(aws.ToString(r.EventPattern), "/tenants/acme/", "/tenants/"))
		w.rules["tk-acme-trail-roles"] = r
	}, "tk-acme-trail-roles"},
	{"WP-27/trail-view", "copied into another tenant's group", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.ruleTargets["tk-acme-trail-buckets"] = []ebtypes.Target{{Id: aws.String("trail-view"), Arn: aws.String("arn:aws:logs:ap-northeast-1:111122223333:log-group:/tenants/globex/cloudtrail")}}
	}, "tk-acme-trail-buckets"},
	{"WP-27/trail-view", "the baseline's resource policy missing", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.resourcePolicies = nil
	}, "EventBridge cannot write"},
	{"WP-39/log-retention", "retention shortened", func(w *world, _ *config.Tenant, _ *Inventory) { w.logGroups[0].RetentionInDays = aws.Int32(7) }, "vpc-flow-logs"},
	{"WP-44/account-witness", "the VPC held by another account", func(w *world, _ *config.Tenant, _ *Inventory) { w.vpcs[0].OwnerId = aws.String("444455556666") }, "vpc-tenant"},
	{"WP-07/replication", "a data bucket copied abroad (#32)", func(w *world, _ *config.Tenant, inv *Inventory) {
		w.buckets[inv.Buckets.Data["personal"]].replication = &s3types.ReplicationConfiguration{Role: aws.String("arn:aws:iam::111122223333:role/x"), Rules: []s3types.ReplicationRule{{
			ID: aws.String("out"), Status: s3types.ReplicationRuleStatusEnabled, Destination: &s3types.Destination{Bucket: aws.String("arn:aws:s3:::somewhere-else")}}}}
	}, "tk-acme-personal"},
	{"WP-15/iam-users", "an IAM user with a key (#32)", func(w *world, _ *config.Tenant, _ *Inventory) { w.users["ops-robot"] = 1 }, "ops-robot"},
	{"WP-15/iam-users", "root access keys (#32)", func(w *world, _ *config.Tenant, _ *Inventory) { w.rootKeys = 1 }, "root user"},
	{"WP-17/key-policy", "the key opened to another account (#32)", func(w *world, _ *config.Tenant, _ *Inventory) {
		doc, _ := policydoc.Parse(w.keyPolicy)
		doc.Statement = append(doc.Statement, policydoc.Statement{Sid: "Elsewhere", Effect: "Allow", Principal: policydoc.AWS("arn:aws:iam::999988887777:root"), Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List("*")})
		w.keyPolicy = doc.JSON()
	}, "Elsewhere"},
	{"WP-17/role-policies", "the log reader reads every bucket (#32)", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.inline["tk-acme-log-reader"]["wide"] = policydoc.Document{Statement: []policydoc.Statement{{Effect: "Allow", Action: policydoc.List("s3:GetObject"), Resource: policydoc.List("*")}}}.JSON()
	}, "tk-acme-log-reader"},
	{"WP-17/role-policies", "an AWS-managed policy the stack does not attach (#32)", func(w *world, _ *config.Tenant, _ *Inventory) {
		w.attached["tk-acme-log-admin"] = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
	}, "AdministratorAccess"},
	{"WP-21.1/volumes", "an unencrypted volume (#32)", func(w *world, _ *config.Tenant, _ *Inventory) { w.volumes[1].Encrypted = aws.Bool(false) }, "vol-1"},
	{"WP-30/inspector-coverage", "an instance not covered (#32)", func(w *world, _ *config.Tenant, _ *Inventory) { w.coverage = w.coverage[1:] }, "i-0a1"},
}

func TestEachCheckFails(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range breakCases {
		covered[tc.check] = true
		t.Run(tc.check+" "+tc.name, func(t *testing.T) {
			cfg, w, inv := acme(t)
			tc.breakIt(w, cfg, inv)
			cfg.TenantID = "acme"
			results := RunChecks(context.Background(), w.target(cfg, inv), Checks(), 4)
			for _, r := range results {
				switch {
				case r.ID == tc.check && r.Status != catalog.Fail:
					t.Errorf("%s: %s after breaking it, want FAIL: %+v", r.ID, r.Status, r.Observations)
				case r.ID == tc.check:
					named := false
					for _, o := range r.Observations {
						if o.Status == catalog.Fail && strings.Contains(o.Resource+" "+o.Observed, tc.resource) && o.Expected != "" {
							named = true
						}
					}
					if !named {
						t.Errorf("%s: no FAIL names %q: %+v", r.ID, tc.resource, r.Observations)
					}
				case r.Status == catalog.Fail && !slices.Contains(overlaps[tc.check], r.ID):
					t.Errorf("breaking %s also failed %s: %+v", tc.check, r.ID, r.Observations)
				}
			}
		})
	}
	for _, c := range Checks() {
		if !covered[c.ID] {
			t.Errorf("check %s has no breaking case", c.ID)
		}
	}
}

// overlaps: breaking changes that the catalog rightly counts under more
// than one control (port 22 is also outside the tier matrix).
var overlaps = map[string][]string{
	"WP-18/no-ssh-rdp":  {"WP-20.1/tier-matrix"},
	"WP-10/suspended":   {"WP-20.1/tier-matrix", "WP-21.2/listeners"}, // a suspended matrix admits nothing
	"WP-20.2/protocols": {"WP-18/no-ssh-rdp", "WP-20.1/tier-matrix"},
	"WP-21.1/database":  {"WP-22/database-backups"}, // an unencrypted database has unencrypted backups
	// a copy into a bucket not the tenant's is a path out of its region too
	"WP-39/access-log-copy": {"WP-07/replication"},
	// a human role's trust opened to everyone is a role reachable from outside
	"WP-15/mfa-roles": {"WP-17/role-policies"},
}

// For every check: its main API failing (access denied, throttled past the
// retries, unsupported) makes it ERROR, never PASS.
func TestEachCheckFailsClosed(t *testing.T) {
	ops := map[string]string{
		"WP-07/regions": "GetBucketLocation", "WP-10/suspended": "DescribeListeners", "WP-11/tags": "ListResourceTags", "WP-11/sweep": "GetResources",
		"WP-12/labels": "GetBucketTagging", "WP-15/mfa-roles": "GetRole", "WP-15/password-policy": "GetAccountPasswordPolicy",
		"WP-17/bucket-policies": "GetBucketPolicy", "WP-18/no-ssh-rdp": "DescribeSecurityGroups", "WP-18/session-logging": "GetDocument",
		"WP-19/isolation": "DescribeVpcs", "WP-20.1/tier-matrix": "DescribeSecurityGroups", "WP-20.2/protocols": "DescribeSecurityGroups",
		"WP-20.2/nacls": "DescribeNetworkAcls", "WP-20.3/guardduty": "ListDetectors", "WP-20.4/launch-template": "DescribeLaunchTemplateVersions",
		"WP-20.4/ebs-default": "GetEbsEncryptionByDefault", "WP-20.4/subnets": "DescribeSubnets", "WP-21.1/bucket-encryption": "GetBucketEncryption",
		"WP-21.1/public-access-block": "GetPublicAccessBlock", "WP-21.1/key-rotation": "GetKeyRotationStatus",
		"WP-21.1/log-group-keys": "DescribeLogGroups", "WP-21.1/database": "DescribeDBInstances", "WP-21.1/topic": "GetTopicAttributes",
		"WP-22/database": "DescribeDBSnapshots", "WP-22/database-backups": "DescribeDBInstances", "WP-30/database-upgrades": "DescribeDBInstances",
		"WP-21.2/listeners": "DescribeListeners", "WP-21.2/bucket-tls": "GetBucketPolicy", "WP-21.2/database-tls": "DescribeDBParameters", "WP-28/database-timezone": "DescribeDBParameters",
		"WP-22/lifecycle": "GetBucketLifecycleConfiguration", "WP-22/key-state": "DescribeKey", "WP-24/alarms": "DescribeAlarms", "WP-24/subscribers": "ListSubscriptionsByTopic",
		"WP-27/trail": "GetTrailStatus", "WP-27/trail-coverage": "GetEventSelectors", "WP-27/flow-logs": "DescribeFlowLogs",
		"WP-27/alb-logs": "DescribeLoadBalancerAttributes", "WP-27/bucket-logs": "GetBucketLogging", "WP-28/dhcp": "DescribeDhcpOptions",
		"WP-30/inspector": "BatchGetAccountStatus", "WP-30/patching": "ListAssociations", "WP-31/routes": "DescribeRouteTables",
		"WP-31/endpoints": "DescribeVpcEndpoints", "WP-37/findings-rule": "DescribeRule", "WP-37/alert-routes": "DescribeRule", "WP-30/findings": "ListFindings", "WP-20.5/bootstrap": "DescribeLaunchTemplateVersions", "WP-28/instance-clock": "DescribeLaunchTemplateVersions", "WP-20.5/received": "DescribeLogStreams", "WP-30/patch-compliance": "DescribeInstancePatchStates", "WP-39/log-buckets": "GetBucketVersioning",
		"WP-39/log-retention": "DescribeLogGroups", "WP-39/access-log-copy": "GetBucketReplication", "WP-27/trail-view": "DescribeLogGroups",
		"WP-07/replication": "GetBucketReplication", "WP-15/iam-users": "ListUsers", "WP-17/key-policy": "GetKeyPolicy", "WP-17/role-policies": "ListRoles",
		"WP-21.1/volumes": "DescribeVolumes", "WP-30/inspector-coverage": "ListCoverage", "WP-44/account-witness": "DescribeKey",
	}
	// Checks that read no API (they compare the stack with the inventory)
	// cannot meet an API failure.
	readsNothing := map[string]bool{"WP-11/stack-inventory": true}
	for _, c := range Checks() {
		op, ok := ops[c.ID]
		if readsNothing[c.ID] {
			continue
		}
		if !ok {
			t.Errorf("check %s has no fail-closed case", c.ID)
			continue
		}
		for _, err := range []error{apiErr("AccessDenied"), apiErr("UnknownOperationException"), apiErr("ThrottlingException"), errors.New("connection refused")} {
			cfg, w, inv := acme(t)
			if c.ID == "WP-10/suspended" {
				cfg.Lifecycle = config.Lifecycle{State: config.StateSuspended, CancelledOn: "2026-11-20"}
				w.listeners = nil
			}
			w.errs = map[string]error{op: err}
			r := runOne(t, w, cfg, inv, c.ID)
			if r.Status != catalog.Error && r.Status != catalog.Fail {
				t.Errorf("%s with %s failing (%v): %s, want ERROR", c.ID, op, err, r.Status)
			}
			if r.Status == catalog.Pass {
				t.Errorf("%s PASSed without reading %s", c.ID, op)
			}
		}
	}
}

// A resource of the inventory that does not exist is ERROR, not PASS.
func TestMissingResourceIsError(t *testing.T) {
	cfg, w, inv := acme(t)
	delete(w.buckets, inv.Buckets.Data["personal"])
	r := runOne(t, w, cfg, inv, "WP-21.1/bucket-encryption")
	if r.Status != catalog.Error || !strings.Contains(r.Observations[0].Observed+r.Observations[1].Observed, "NoSuchBucket") {
		t.Errorf("missing bucket: %s %+v", r.Status, r.Observations)
	}
	cfg, w, inv = acme(t)
	w.logGroups = w.logGroups[1:]
	if r := runOne(t, w, cfg, inv, "WP-39/log-retention"); r.Status != catalog.Error {
		t.Errorf("missing log group: %s", r.Status)
	}
	cfg, w, inv = acme(t)
	w.vpcs = w.vpcs[1:] // only the decoy's VPC is left
	for _, id := range []string{"WP-11/tags", "WP-19/isolation", "WP-28/dhcp"} {
		if r := runOne(t, w, cfg, inv, id); r.Status != catalog.Error {
			t.Errorf("missing VPC: %s %s", id, r.Status)
		}
	}
	cfg, w, inv = acme(t)
	w.groups = w.groups[:3] // the endpoints group is gone
	if r := runOne(t, w, cfg, inv, "WP-18/no-ssh-rdp"); r.Status != catalog.Error {
		t.Errorf("missing security group: %s", r.Status)
	}
}

// A check that observed nothing proved nothing: ERROR.
func TestNothingObservedIsError(t *testing.T) {
	cfg, w, inv := acme(t)
	silent := Check{ID: "WP-19/silent", Control: "WP-19", Run: func(context.Context, *Target, *Run) {}}
	if r := RunChecks(context.Background(), w.target(cfg, inv), []Check{silent}, 1)[0]; r.Status != catalog.Error {
		t.Errorf("silent check: %s", r.Status)
	}
	boom := Check{ID: "WP-19/boom", Control: "WP-19", Run: func(context.Context, *Target, *Run) { panic("nil map") }}
	if r := RunChecks(context.Background(), w.target(cfg, inv), []Check{boom}, 1)[0]; r.Status != catalog.Error {
		t.Errorf("panicking check: %s", r.Status)
	}
}

// Ownership is re-checked: a group of the inventory that sits in another
// VPC FAILs even though the API returned it.
func TestOwnershipRechecked(t *testing.T) {
	cfg, w, inv := acme(t)
	w.groups[0].VpcId = aws.String(decoyID)
	if r := runOne(t, w, cfg, inv, "WP-20.1/tier-matrix"); r.Status != catalog.Fail {
		t.Errorf("group in another VPC: %s", r.Status)
	}
	cfg, w, inv = acme(t)
	w.vpcs[0].CidrBlock = aws.String("10.16.16.0/20")
	if r := runOne(t, w, cfg, inv, "WP-19/isolation"); r.Status != catalog.Fail {
		t.Errorf("VPC with another range: %s", r.Status)
	}
	cfg, w, inv = acme(t)
	w.vpcs[0].Tags = tags("Tenant", "globex")
	if r := runOne(t, w, cfg, inv, "WP-19/isolation"); r.Status != catalog.Fail {
		t.Errorf("VPC tagged for another tenant: %s", r.Status)
	}
}

// Offboarded tenants: the key is pending deletion by the deadline.
func TestKeyStateAfterOffboarding(t *testing.T) {
	cfg, w, inv := acme(t)
	cfg.Lifecycle = config.Lifecycle{State: config.StateDeleting, CancelledOn: "2026-11-20", DeleteBy: "2026-12-20"}
	w.key.KeyState = kmstypes.KeyStatePendingDeletion
	w.key.DeletionDate = aws.Time(time.Date(2026, 12, 19, 20, 0, 0, 0, time.UTC)) // 12-20 05:00 JST
	if r := runOne(t, w, cfg, inv, "WP-22/key-state"); r.Status != catalog.Pass {
		t.Errorf("deleted on the deadline day: %s %+v", r.Status, r.Observations)
	}
	w.key.DeletionDate = aws.Time(time.Date(2026, 12, 20, 16, 0, 0, 0, time.UTC)) // 12-21 JST
	if r := runOne(t, w, cfg, inv, "WP-22/key-state"); r.Status != catalog.Fail {
		t.Errorf("deleted after the deadline: %s", r.Status)
	}
}

// The number of calls does not grow with the number of log groups, alarms
// or security-group rules: one batched call each, matched client-side.
func TestCallCountIndependentOfResources(t *testing.T) {
	count := func(extraGroups, extraRules int) map[string]int {
		cfg, w, inv := acme(t)
		for i := 0; i < extraGroups; i++ {
			name := "/tenants/acme/extra-" + string(rune('a'+i))
			arn := "arn:aws:logs:ap-northeast-1:111122223333:log-group:" + name
			w.logGroups = append(w.logGroups, logtypes.LogGroup{LogGroupName: aws.String(name), Arn: aws.String(arn + ":*"), KmsKeyId: aws.String(keyArn)})
			w.logTags[arn] = w.logTags["arn:aws:logs:ap-northeast-1:111122223333:log-group:"+inv.FlowLogGroup]
			inv.LogGroups = append(inv.LogGroups, name)
		}
		for i := 0; i < extraRules; i++ {
			w.groups[0].IpPermissions = append(w.groups[0].IpPermissions, tcp(443, cfg.IngressCidrs))
		}
		RunChecks(context.Background(), w.target(cfg, inv), Checks(), 4)
		return w.calls
	}
	small, large := count(0, 0), count(10, 50)
	for _, op := range []string{"DescribeLogGroups", "DescribeSecurityGroups", "DescribeAlarms", "DescribeVpcs", "DescribeListeners", "DescribeKey"} {
		if small[op] != large[op] {
			t.Errorf("%s: %d calls for the small tenant, %d for the large one", op, small[op], large[op])
		}
	}
	if small["DescribeSecurityGroups"] != 1 || small["DescribeVpcs"] != 1 {
		t.Errorf("shared reads not shared: %v", small)
	}
}

func TestReportFormats(t *testing.T) {
	cfg, w, inv := acme(t)
	w.rotation = false
	w.errs = map[string]error{"DescribeFlowLogs": apiErr("UnknownOperationException")}
	tgt := w.target(cfg, inv)
	calls := &Calls{}
	calls.Add("EC2.DescribeVpcs")
	r := NewReport(tgt, RunChecks(context.Background(), tgt, Checks(), 4), time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC), calls)
	if r.Status != catalog.Fail || r.ExitCode() != 1 {
		t.Fatalf("report %s exit %d", r.Status, r.ExitCode())
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, "json"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema, Tenant, Account, Region string
		Time                            struct{ UTC, JST string }
		Controls                        []struct {
			ID, Status string
			Findings   []struct{ Resource, Observed, Expected string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.Schema != ReportSchema || doc.Account != acct || doc.Time.JST != "2026-11-26T00:30:00+09:00" {
		t.Fatalf("json: %v %+v", err, doc)
	}
	statuses := map[string]string{}
	for _, c := range doc.Controls {
		statuses[c.ID] = c.Status
	}
	if statuses["WP-21.1"] != "FAIL" || statuses["WP-27"] != "ERROR" || statuses["WP-19"] != "PASS" || statuses["WP-10"] != "N/A" {
		t.Errorf("control statuses %v", statuses)
	}
	buf.Reset()
	if err := r.Write(&buf, "junit"); err != nil {
		t.Fatal(err)
	}
	var suite junitSuite
	if err := xml.Unmarshal(buf.Bytes(), &suite); err != nil || suite.Failures != 1 || suite.Errors != 1 || suite.Tests != len(Checks()) {
		t.Errorf("junit: %v failures %d errors %d tests %d", err, suite.Failures, suite.Errors, suite.Tests)
	}
	for _, f := range []string{"text", "markdown"} {
		buf.Reset()
		// The text report wraps long findings: compared with the breaks undone.
		if err := r.Write(&buf, f); err != nil || !strings.Contains(buf.String(), "WP-21.1") || !strings.Contains(strings.Join(strings.Fields(buf.String()), " "), "KeyRotationEnabled false") {
			t.Errorf("%s: %v\n%s", f, err, buf.String())
		}
	}
	// No FAIL but an ERROR: exit 3.
	w.rotation = true
	r = NewReport(tgt, RunChecks(context.Background(), w.target(cfg, inv), Checks(), 4), clock.Now(), nil)
	if r.Status != catalog.Error || r.ExitCode() != 3 {
		t.Errorf("only errors: %s exit %d", r.Status, r.ExitCode())
	}
}

func TestInventoryParsing(t *testing.T) {
	_, _, inv := acme(t)
	b, _ := json.Marshal(map[string]any{"inventory": inv})
	got, err := ParseInventory(b)
	if err != nil || got.Tenant != "acme" || got.Buckets.LogArchive != inv.Buckets.LogArchive {
		t.Fatalf("wrapped: %v %+v", err, got)
	}
	b, _ = json.Marshal(inv)
	if _, err := ParseInventory(b); err != nil {
		t.Fatalf("bare: %v", err)
	}
	for _, bad := range []string{`{`, `{"schema":"other"}`, `{"schema":"tenantkit.inventory/v1"}`} {
		if _, err := ParseInventory([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

var (
	_ = elbtypes.ActionTypeEnumForward
	_ = rdstypes.DBInstance{}
	_ = s3types.BucketVersioningStatusEnabled
)

// Every control with a live column has at least one check; none without.
func TestEveryLiveControlHasChecks(t *testing.T) {
	has := map[string]bool{}
	for _, c := range Checks() {
		has[c.Control] = true
		if !strings.HasPrefix(c.ID, c.Control+"/") {
			t.Errorf("check %s is filed under %s", c.ID, c.Control)
		}
	}
	for _, c := range catalog.Controls {
		if (c.Live != "") != has[c.ID] && c.ID != "WP-44" {
			t.Errorf("%s: live column %q, checks %v", c.ID, c.Live, has[c.ID])
		}
	}
}
