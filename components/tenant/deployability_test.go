package tenant_test

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/components/compute"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// What a real deploy needs of the programs: service trusts in the form each
// service documents, the archive retained with its protection, the
// deployers able to refresh and empty the data buckets.

func trustOf(t *testing.T, r *graph.Resource) policydoc.Statement {
	t.Helper()
	doc, err := policydoc.Parse(str(r, "assumeRolePolicy"))
	if err != nil || len(doc.Statement) != 1 {
		t.Fatalf("%s: trust %v (%v)", r.Name, str(r, "assumeRolePolicy"), err)
	}
	return doc.Statement[0]
}

// Trusts and key grants in the form AWS documents for each service: a
// condition the service does not send stops delivery without an error.
func TestServiceTrustsInDocumentedForm(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		seen := map[string]bool{}
		for _, r := range g.OfType("aws:iam/role:Role") {
			st := trustOf(t, r)
			svc := st.Principals("Service")
			if len(svc) != 1 {
				continue
			}
			seen[svc[0]] = true
			switch svc[0] {
			case "ec2.amazonaws.com", "cloudtrail.amazonaws.com":
				// IAM user guide (EC2 roles) and CloudTrail user guide
				// (CloudWatch Logs role): the service principal alone.
				if len(st.Condition) != 0 {
					t.Errorf("%s: %s trust has conditions %v the service does not send", r.Name, svc[0], st.Condition)
				}
			case "vpc-flow-logs.amazonaws.com":
				// Amazon VPC user guide, flow-logs-iam-role.html.
				if got := st.ConditionValues("StringEquals", "aws:SourceAccount"); !slices.Equal(got, []string{mockengine.AccountID}) {
					t.Errorf("%s: flow-log trust aws:SourceAccount %v", r.Name, got)
				}
				if got := st.ConditionValues("ArnLike", "aws:SourceArn"); len(got) != 1 || got[0] != "arn:aws:ec2:"+cfg.Region+":"+mockengine.AccountID+":vpc-flow-log/*" {
					t.Errorf("%s: flow-log trust aws:SourceArn %v", r.Name, got)
				}
			}
		}
		if !seen["ec2.amazonaws.com"] || !seen["vpc-flow-logs.amazonaws.com"] || (cfg.TrailMode == "dedicated") != seen["cloudtrail.amazonaws.com"] {
			t.Errorf("service roles seen: %v", seen)
		}
		// The flow-log role may look its group up, as AWS's example role does.
		describes := false
		for _, p := range g.OfType("aws:iam/rolePolicy:RolePolicy") {
			if strings.HasPrefix(p.Name, cfg.TenantID+"-net-flowlog-role") && strings.Contains(str(p, "policy"), `"logs:DescribeLogGroups"`) {
				describes = true
			}
		}
		if !describes {
			t.Error("the flow-log role lacks logs:DescribeLogGroups")
		}
		// SNS developer guide: AWS services that publish to an encrypted
		// topic get GenerateDataKey*/Decrypt with no condition.
		key := requireSome(t, g, "aws:kms/key:Key")[0]
		doc, err := policydoc.Parse(str(key, "policy"))
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range doc.Statement {
			for _, p := range st.Principals("Service") {
				if (p == "events.amazonaws.com" || p == "cloudwatch.amazonaws.com") && len(st.Condition) != 0 {
					t.Errorf("key statement %s holds %s to conditions %v it does not send", st.Sid, p, st.Condition)
				}
			}
		}
	})
}

// The log archive outlives the tenant: it is retained with every
// configuration its protection needs, under a key that outlives the tenant
// key. Only its access-logging configuration goes with the stack.
func TestArchiveRetainedWithItsProtection(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		archive := g.ByName(cfg.TenantID + "-logs-archive-bucket")
		if archive == nil || !archive.RetainOnDelete {
			t.Fatalf("archive bucket not retained: %+v", archive)
		}
		for _, suffix := range []string{"pab", "ownership", "policy", "versioning", "sse", "lifecycle", "lock"} {
			r := g.ByName(cfg.TenantID + "-logs-archive-" + suffix)
			if r == nil || !r.RetainOnDelete {
				t.Errorf("archive %s not retained on delete", suffix)
			}
		}
		if r := g.ByName(cfg.TenantID + "-logs-archive-logging"); r == nil || r.RetainOnDelete {
			t.Errorf("archive logging configuration: %+v (its target is destroyed; it must go)", r)
		}
		for _, r := range g.All() {
			if r.RetainOnDelete && !strings.HasPrefix(r.Name, cfg.TenantID+"-logs-archive-") && r.Name != cfg.TenantID+"-session-logs" {
				t.Errorf("%s is retained; only the archive and the operators' session log should outlive the stack", r.Name)
			}
		}
		sse := g.ByName(cfg.TenantID + "-logs-archive-sse")
		if b, _ := json.Marshal(sse.Get("rules")); !strings.Contains(string(b), mockengine.BaselineKeyArn) {
			t.Errorf("archive encryption %s, want the baseline key", b)
		}
	})
}

// The deployers may still read and empty the data buckets: the provider's
// refresh needs s3:ListBucket and offboarding's destroy deletes versions.
func TestDeployersExemptFromDataBucketDeny(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		for _, b := range g.OfType("aws:s3/bucketV2:BucketV2") {
			if str(b, "tags.Role") != expect.RoleData {
				continue
			}
			st := statement(policyOf(t, g, b), "DenyOutsideTenant")
			for _, d := range cfg.DeployerPrincipalArns {
				if st == nil || !slices.Contains(st.ConditionValues("ArnNotLike", "aws:PrincipalArn"), d) {
					t.Errorf("%s: DenyOutsideTenant does not exempt the deployer %s: %+v", b.Name, d, st)
				}
			}
		}
	})
	// A stack naming none (WP-17's plan rule fails it): the caller's role.
	none := testkit.Load(t, "acme")
	none.DeployerPrincipalArns = nil
	for _, b := range testkit.Run(t, none).OfType("aws:s3/bucketV2:BucketV2") {
		if str(b, "tags.Role") != expect.RoleData {
			continue
		}
		if st := statement(policyOf(t, testkit.Run(t, none), b), "DenyOutsideTenant"); st == nil || !slices.Contains(st.ConditionValues("ArnNotLike", "aws:PrincipalArn"), mockengine.DeployerArn) {
			t.Errorf("%s: without deployerPrincipalArns, DenyOutsideTenant does not exempt the caller %s: %+v", b.Name, mockengine.DeployerArn, st)
		}
	}
	cfg := testkit.Load(t, "acme")
	cfg.DeployerPrincipalArns = []string{"arn:aws:iam::123456789012:role/ci/deployer"}
	g := testkit.Run(t, cfg)
	for _, b := range g.OfType("aws:s3/bucketV2:BucketV2") {
		if str(b, "tags.Role") == expect.RoleData {
			got := statement(policyOf(t, g, b), "DenyOutsideTenant").ConditionValues("ArnNotLike", "aws:PrincipalArn")
			if !slices.Contains(got, "arn:aws:iam::123456789012:role/ci/deployer") || slices.Contains(got, mockengine.DeployerArn) {
				t.Errorf("configured deployers not used: %v", got)
			}
		}
	}
}

// A fresh environment is stable: the target group asks the configured
// path, and the group replaces instances on it only when told to. Patching
// runs in its window only. The agent's dimension is the alarms', and in
// endpoints mode the ec2 endpoint it needs for DescribeTags exists.
func TestAppTierOperability(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		tg := requireSome(t, g, "aws:lb/targetGroup:TargetGroup")[0]
		if str(tg, "namePrefix") != compute.TargetGroupPrefix || tg.Get("name") != nil {
			t.Errorf("target group named %v / prefix %v", tg.Get("name"), tg.Get("namePrefix"))
		}
		if str(tg, "healthCheck.path") != cfg.HealthCheck.Path || str(tg, "healthCheck.matcher") != cfg.HealthCheck.Matcher || tg.Get("healthCheck.enabled") != true {
			t.Errorf("health check %v", tg.Get("healthCheck"))
		}
		asg := requireSome(t, g, "aws:autoscaling/group:Group")[0]
		if str(asg, "healthCheckType") != "EC2" {
			t.Errorf("health check type %s by default; a fresh environment would lose its instances", str(asg, "healthCheckType"))
		}
		assoc := requireSome(t, g, "aws:ssm/association:Association")[0]
		if assoc.Get("applyOnlyAtCronInterval") != true {
			t.Error("patching (and its reboots) would run at creation and on every new instance")
		}
		if cfg.EgressMode == "endpoints" {
			found := false
			for _, ep := range g.OfType("aws:ec2/vpcEndpoint:VpcEndpoint") {
				found = found || str(ep, "serviceName") == "com.amazonaws."+cfg.Region+".ec2"
			}
			if !found {
				t.Error("no ec2 endpoint: the CloudWatch agent cannot read its group, the memory and disk alarms never clear")
			}
		}
		if !strings.Contains(compute.AgentConfig(config.MetricNamespace("acme"), config.HostLogGroup("acme")), `"AutoScalingGroupName"`) {
			t.Fatal("agent config lost its group dimension")
		}
		for _, a := range g.OfType("aws:cloudwatch/metricAlarm:MetricAlarm") {
			if str(a, "dimensions.AutoScalingGroupName") != str(asg, "name") {
				t.Errorf("alarm %s watches %v, the group is %s", a.Name, a.Get("dimensions"), str(asg, "name"))
			}
		}
	})
	cfg := testkit.Load(t, "acme")
	cfg.HealthCheck = config.HealthCheck{Path: "/ready", Matcher: "200-299", ReplaceUnhealthy: true}
	g := testkit.Run(t, cfg)
	if asg := requireSome(t, g, "aws:autoscaling/group:Group")[0]; str(asg, "healthCheckType") != "ELB" {
		t.Errorf("replaceUnhealthy: health check type %s", str(asg, "healthCheckType"))
	}
	if tg := requireSome(t, g, "aws:lb/targetGroup:TargetGroup")[0]; str(tg, "healthCheck.path") != "/ready" || str(tg, "healthCheck.matcher") != "200-299" {
		t.Errorf("health check %v", tg.Get("healthCheck"))
	}
}

// RDS: the major version, with automatic minor upgrades and the family of
// that major.
func TestDatabaseMajorVersion(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		for _, db := range g.OfType("aws:rds/instance:Instance") {
			if str(db, "engineVersion") != "16" || db.Get("autoMinorVersionUpgrade") != true {
				t.Errorf("engine %v auto minor %v", db.Get("engineVersion"), db.Get("autoMinorVersionUpgrade"))
			}
			// A major change is an upgrade RDS accepts, applied at deploy time.
			if db.Get("allowMajorVersionUpgrade") != true || db.Get("applyImmediately") != true {
				t.Errorf("allow major upgrade %v, apply immediately %v", db.Get("allowMajorVersionUpgrade"), db.Get("applyImmediately"))
			}
			if p := requireSome(t, g, "aws:rds/parameterGroup:ParameterGroup")[0]; str(p, "family") != "postgres16" {
				t.Errorf("family %s", str(p, "family"))
			}
		}
	})
}

// Host logs (WP-20.5, §20④): the bootstrap installs rsyslog and has the
// agent send the system, authentication and SSM agent logs to the host log
// group, which the stack holds under the tenant key; the instance role
// writes only there (and to the app group).
func TestHostLogsCollected(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		group := config.HostLogGroup(cfg.TenantID)
		lt := requireSome(t, g, "aws:ec2/launchTemplate:LaunchTemplate")[0]
		ud, err := base64.StdEncoding.DecodeString(str(lt, "userData"))
		if err != nil {
			t.Fatal(err)
		}
		if missing, err := awsdocs.MissingHostLogs(string(ud), group); err != nil || len(missing) > 0 || !strings.Contains(string(ud), "dnf install -y rsyslog") {
			t.Errorf("bootstrap: missing %v, %v", missing, err)
		}
		held := false
		for _, lg := range g.OfType("aws:cloudwatch/logGroup:LogGroup") {
			if str(lg, "name") == group {
				held = str(lg, "kmsKeyId") != "" && lg.Get("retentionInDays") == float64(cfg.LogRetentionDays)
			}
		}
		if !held {
			t.Errorf("no host log group %s under the tenant key", group)
		}
		wrote := false
		for _, p := range g.OfType("aws:iam/rolePolicy:RolePolicy") {
			wrote = wrote || strings.Contains(str(p, "policy"), `"TenantHostLogs"`) && strings.Contains(str(p, "policy"), "log-group:"+group+`:*"`)
		}
		if !wrote {
			t.Error("the instance role may not write the host log group")
		}
	})
}
