package tenant_test

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/components/logging"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// Assertions of the stores, logs, application tier and monitoring of every
// example stack, property by property (WP-12, 17, 21, 22, 24, 27, 30, 37,
// 39, 10).

// isTenantKey: the mocks give the key the ARN .../kms-key-NNNN.
func isTenantKey(cfg *config.Tenant, v any) bool {
	s, _ := v.(string)
	return strings.Contains(s, ":kms:") && strings.Contains(s, "/"+cfg.TenantID+"-kms-key-")
}

// attached finds the configuration resource of a bucket (the component
// names it <bucket component>-<suffix>; its bucket input is the bucket's id).
func attached(t *testing.T, g *graph.Graph, b *graph.Resource, typ, suffix string) *graph.Resource {
	t.Helper()
	want := strings.TrimSuffix(b.Name, "-bucket") + "-" + suffix
	r := g.ByName(want)
	if r == nil {
		t.Fatalf("%s: no %s %s", b.Name, typ, want)
	}
	if id := str(r, "bucket"); !strings.HasPrefix(id, b.Name+"-") {
		t.Fatalf("%s %s configures %q, not %s", typ, want, id, b.Name)
	}
	return r
}

func policyOf(t *testing.T, g *graph.Graph, b *graph.Resource) *policydoc.Document {
	t.Helper()
	doc, err := policydoc.Parse(str(attached(t, g, b, "aws:s3/bucketPolicy:BucketPolicy", "policy"), "policy"))
	if err != nil {
		t.Fatalf("%s: policy: %v", b.Name, err)
	}
	return doc
}

func statement(doc *policydoc.Document, sid string) *policydoc.Statement {
	for i := range doc.Statement {
		if doc.Statement[i].Sid == sid {
			return &doc.Statement[i]
		}
	}
	return nil
}

func TestBuckets(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		byRole := map[string][]*graph.Resource{}
		for _, b := range requireSome(t, g, "aws:s3/bucketV2:BucketV2") {
			byRole[str(b, "tags.Role")] = append(byRole[str(b, "tags.Role")], b)
		}
		if len(byRole[expect.RoleData]) != len(cfg.DataClassifications) || len(byRole[expect.RoleServiceLogs]) != 1 || len(byRole[expect.RoleLogArchive]) != 1 {
			t.Fatalf("buckets by role: %d data (want %d), %d service-logs, %d archive", len(byRole[expect.RoleData]), len(cfg.DataClassifications), len(byRole[expect.RoleServiceLogs]), len(byRole[expect.RoleLogArchive]))
		}
		serviceLogs := str(byRole[expect.RoleServiceLogs][0], "bucket")
		for _, b := range g.OfType("aws:s3/bucketV2:BucketV2") {
			role, label := str(b, "tags.Role"), str(b, "tags.DataClassification")
			// WP-12.
			if !slices.Contains(config.Classifications, label) {
				t.Errorf("%s: DataClassification %q", b.Name, label)
			}
			if role == expect.RoleData && str(b, "bucket") != expect.BucketName(cfg.TenantID, label, mockengine.AccountID) {
				t.Errorf("%s: name %q, want %q", b.Name, str(b, "bucket"), expect.BucketName(cfg.TenantID, label, mockengine.AccountID))
			}
			pab := attached(t, g, b, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab")
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				if pab.Get(k) != true {
					t.Errorf("%s: public access block %s = %v", b.Name, k, pab.Get(k))
				}
			}
			if o := attached(t, g, b, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership"); str(o, "rule.objectOwnership") != "BucketOwnerEnforced" {
				t.Errorf("%s: ownership %q", b.Name, str(o, "rule.objectOwnership"))
			}
			if v := attached(t, g, b, "aws:s3/bucketVersioningV2:BucketVersioningV2", "versioning"); str(v, "versioningConfiguration.status") != "Enabled" {
				t.Errorf("%s: versioning %q", b.Name, str(v, "versioningConfiguration.status"))
			}
			// WP-21.1.
			sse := attached(t, g, b, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "sse").Get("rules").([]any)[0].(map[string]any)
			def := sse["applyServerSideEncryptionByDefault"].(map[string]any)
			if role == expect.RoleServiceLogs {
				if def["sseAlgorithm"] != "AES256" || def["kmsMasterKeyId"] != nil {
					t.Errorf("%s: service-logs encryption %v, want SSE-S3 only", b.Name, def)
				}
			} else if role == expect.RoleLogArchive {
				// The archive outlives the tenant key (offboarding schedules it
				// for deletion): it uses the baseline's key.
				if def["sseAlgorithm"] != "aws:kms" || def["kmsMasterKeyId"] != mockengine.BaselineKeyArn || sse["bucketKeyEnabled"] != true {
					t.Errorf("%s: encryption %v bucket key %v, want the baseline key with a bucket key", b.Name, def, sse["bucketKeyEnabled"])
				}
			} else if def["sseAlgorithm"] != "aws:kms" || !isTenantKey(cfg, def["kmsMasterKeyId"]) || sse["bucketKeyEnabled"] != true {
				t.Errorf("%s: encryption %v bucket key %v, want the tenant key with a bucket key", b.Name, def, sse["bucketKeyEnabled"])
			}
			// WP-22.
			lc := attached(t, g, b, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "lifecycle").Get("rules").([]any)[0].(map[string]any)
			nve, _ := lc["noncurrentVersionExpiration"].(map[string]any)
			if lc["status"] != "Enabled" || nve == nil || nve["noncurrentDays"].(float64) < float64(cfg.NoncurrentVersionDays) {
				t.Errorf("%s: lifecycle %v", b.Name, lc)
			}
			// WP-27: access logs to the service-logs bucket, the
			// archive's to the baseline's (expect.AccessLogTarget).
			if role != expect.RoleServiceLogs {
				l := attached(t, g, b, "aws:s3/bucketLoggingV2:BucketLoggingV2", "logging")
				want := serviceLogs
				if role == expect.RoleLogArchive {
					want = expect.BucketName(expect.BaselineID, expect.RoleServiceLogs, mockengine.AccountID)
				}
				if str(l, "targetBucket") != want {
					t.Errorf("%s: access logs to %q, want %q", b.Name, str(l, "targetBucket"), want)
				}
			}
			// WP-21.2: TLS only, 1.2 and up.
			doc := policyOf(t, g, b)
			tls, old := statement(doc, "DenyInsecureTransport"), statement(doc, "DenyTLSBelow12")
			if tls == nil || tls.Effect != "Deny" || !slices.Contains(tls.ConditionValues("Bool", "aws:SecureTransport"), "false") {
				t.Errorf("%s: no deny of non-TLS requests", b.Name)
			}
			if old == nil || old.Effect != "Deny" || !slices.Contains(old.ConditionValues("NumericLessThan", "s3:TlsVersion"), "1.2") {
				t.Errorf("%s: no deny of TLS below 1.2", b.Name)
			}
			switch role {
			case expect.RoleData: // WP-17, WP-21.1
				out := statement(doc, "DenyOutsideTenant")
				if out == nil || !strings.HasPrefix(strings.Join(out.ConditionValues("StringNotEquals", "aws:SourceVpce"), ""), cfg.TenantID+"-vpce-s3-") ||
					!slices.Contains(out.ConditionValues("ArnNotLike", "aws:PrincipalArn"), "arn:aws:iam::123456789012:role/tenants/"+cfg.TenantID+"/*") {
					t.Errorf("%s: data not held to the tenant's endpoint and roles: %+v", b.Name, out)
				}
				// What AWS decides on these is proven in tests/iameval.
				if st := statement(doc, "DenyUploadsOtherKey"); st == nil || !isTenantKey(cfg, strings.Join(st.ConditionValues("StringNotEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id"), "")) {
					t.Errorf("%s: uploads under another key not denied", b.Name)
				}
			case expect.RoleServiceLogs, expect.RoleLogArchive: // WP-39
				del := statement(doc, "DenyDeletesExceptLogAdmin")
				if del == nil || !del.HasAction("s3:DeleteObjectVersion") ||
					!slices.Contains(del.ConditionValues("ArnNotLike", "aws:PrincipalArn"), "arn:aws:iam::123456789012:role/tenants/"+cfg.TenantID+"/tk-"+cfg.TenantID+"-log-admin") {
					t.Errorf("%s: deletes not denied except to the log-admin role: %+v", b.Name, del)
				}
			}
			if role == expect.RoleLogArchive {
				lock := attached(t, g, b, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", "lock")
				if b.Get("objectLockEnabled") != true || num(lock, "rule.defaultRetention.days") != cfg.ObjectLockDays || str(lock, "rule.defaultRetention.mode") != cfg.ObjectLockMode {
					t.Errorf("%s: Object Lock %v %v, want %s %d days", b.Name, b.Get("objectLockEnabled"), lock.Inputs["rule"], cfg.ObjectLockMode, cfg.ObjectLockDays)
				}
			} else if b.Get("objectLockEnabled") == true {
				t.Errorf("%s: Object Lock on a %s bucket (S3 refuses it as a log target)", b.Name, role)
			}
		}
		// The service-logs bucket admits the ELB account for Tokyo.
		elb := statement(policyOf(t, g, byRole[expect.RoleServiceLogs][0]), "ElbAccessLogs")
		if elb == nil || !slices.Contains(elb.Principals("AWS"), "arn:aws:iam::582318560864:root") {
			t.Errorf("service-logs bucket does not admit the ELB account: %+v", elb)
		}
	})
}

func TestLogGroups(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		for _, lg := range requireSome(t, g, "aws:cloudwatch/logGroup:LogGroup") {
			if str(lg, "name") == expect.TenantSessionLogGroup(cfg.TenantID) {
				// The operators' record: the baseline key, never
				// expiring, kept when the stack goes (#34 item 1).
				if lg.Get("kmsKeyId") != mockengine.BaselineKeyArn || num(lg, "retentionInDays") != 0 || !lg.RetainOnDelete {
					t.Errorf("%s: key %v retention %d retained %v; want the baseline key, no expiry, retained", str(lg, "name"), lg.Get("kmsKeyId"), num(lg, "retentionInDays"), lg.RetainOnDelete)
				}
				continue
			}
			if !isTenantKey(cfg, lg.Get("kmsKeyId")) || num(lg, "retentionInDays") != cfg.LogRetentionDays || !slices.Contains(config.Classifications, str(lg, "tags.DataClassification")) {
				t.Errorf("%s: key %v retention %d label %q; want the tenant key, %d days, a label", str(lg, "name"), lg.Get("kmsKeyId"), num(lg, "retentionInDays"), str(lg, "tags.DataClassification"), cfg.LogRetentionDays)
			}
		}
	})
}

func TestDatabase(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		dbs := g.OfType("aws:rds/instance:Instance")
		if !cfg.Database.Enabled {
			if len(dbs) != 0 {
				t.Fatalf("database disabled but %d instances", len(dbs))
			}
			return
		}
		if len(dbs) != 1 {
			t.Fatalf("want one database, got %d", len(dbs))
		}
		db := dbs[0]
		for k, want := range map[string]any{
			"engine": "postgres", "storageEncrypted": true, "publiclyAccessible": false, "deletionProtection": true,
			"iamDatabaseAuthenticationEnabled": true, "manageMasterUserPassword": true,
			"backupRetentionPeriod": float64(cfg.Database.BackupRetentionDays), "engineVersion": cfg.Database.EngineVersion,
		} {
			if db.Get(k) != want {
				t.Errorf("database %s = %v, want %v", k, db.Get(k), want)
			}
		}
		if db.Get("password") != nil {
			t.Error("database has a password in the program; AWS must manage it")
		}
		if !isTenantKey(cfg, db.Get("kmsKeyId")) || !isTenantKey(cfg, db.Get("masterUserSecretKmsKeyId")) {
			t.Errorf("database keys %v / %v, want the tenant key", db.Get("kmsKeyId"), db.Get("masterUserSecretKmsKeyId"))
		}
		if exports := db.Get("enabledCloudwatchLogsExports"); !slices.Contains(exports.([]any), any("postgresql")) {
			t.Errorf("database log exports %v", exports)
		}
		if sgs := db.Get("vpcSecurityGroupIds").([]any); len(sgs) != 1 || !strings.HasPrefix(sgs[0].(string), cfg.TenantID+"-sg-db-") {
			t.Errorf("database groups %v, want the database group only", sgs)
		}
		for _, s := range requireSome(t, g, "aws:rds/subnetGroup:SubnetGroup")[0].Get("subnetIds").([]any) {
			if !strings.Contains(s.(string), "-isolated-") {
				t.Errorf("database subnet %v is not isolated", s)
			}
		}
		params := requireSome(t, g, "aws:rds/parameterGroup:ParameterGroup")[0]
		forced := false
		for _, p := range params.Get("parameters").([]any) {
			if p.(map[string]any)["name"] == "rds.force_ssl" && p.(map[string]any)["value"] == "1" {
				forced = true
			}
		}
		if !forced || !strings.HasPrefix(str(db, "parameterGroupName"), params.Name) {
			t.Errorf("database TLS not forced through its parameter group (%v)", params.Inputs["parameters"])
		}
	})
}

func TestAppTier(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		lt := requireSome(t, g, "aws:ec2/launchTemplate:LaunchTemplate")[0]
		// WP-20.4.
		if str(lt, "metadataOptions.httpTokens") != "required" {
			t.Errorf("IMDSv2 not required: %v", lt.Get("metadataOptions"))
		}
		ni := lt.Get("networkInterfaces").([]any)[0].(map[string]any)
		if ni["associatePublicIpAddress"] != "false" {
			t.Errorf("public IP %v", ni["associatePublicIpAddress"])
		}
		ebs := lt.Get("blockDeviceMappings").([]any)[0].(map[string]any)["ebs"].(map[string]any)
		if ebs["encrypted"] != "true" || !isTenantKey(cfg, ebs["kmsKeyId"]) {
			t.Errorf("root volume %v, want encrypted with the tenant key", ebs)
		}
		if !strings.Contains(str(lt, "iamInstanceProfile.arn"), "-app-profile-") {
			t.Errorf("instance profile %v", lt.Get("iamInstanceProfile"))
		}
		// WP-28 and WP-24: bootstrap.
		ud, err := base64.StdEncoding.DecodeString(str(lt, "userData"))
		for _, want := range []string{"server 169.254.169.123", "timedatectl set-timezone Asia/Tokyo", "mem_used_percent", "amazon-cloudwatch-agent-ctl"} {
			if err != nil || !strings.Contains(string(ud), want) {
				t.Errorf("bootstrap lacks %q", want)
			}
		}
		// Instance role: the managed SSM policy, the rest scoped. Only the
		// agent calls IAM cannot scope by resource take Resource *:
		// metrics only into the tenant's namespace, and reading tags.
		for _, p := range g.OfType("aws:iam/rolePolicy:RolePolicy") {
			doc, err := policydoc.Parse(str(p, "policy"))
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			for _, st := range doc.Statement {
				if !slices.Contains(st.Resource, "*") {
					continue
				}
				switch {
				case slices.Equal(st.Action, []string{"cloudwatch:PutMetricData"}) &&
					slices.Equal(st.ConditionValues("StringEquals", "cloudwatch:namespace"), []string{config.MetricNamespace(cfg.TenantID)}):
				case slices.Equal(st.Action, []string{"ec2:DescribeTags"}):
				// The SSM agent checks the session group's encryption
				// (expect.SessionGrants).
				case slices.Equal(st.Action, []string{"logs:DescribeLogGroups"}):
				// The log reader reads its queries' results (#34 item 3).
				case slices.Equal(st.Action, []string{"logs:GetQueryResults", "logs:StopQuery"}) && strings.HasSuffix(p.Name, "log-reader-policy"):
				default:
					t.Errorf("%s: %v on Resource *", p.Name, st.Action)
				}
			}
		}
		for _, a := range g.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
			if str(a, "policyArn") != "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" {
				t.Errorf("the instance role takes %s", str(a, "policyArn"))
			}
		}
		asg := requireSome(t, g, "aws:autoscaling/group:Group")[0]
		for _, s := range asg.Get("vpcZoneIdentifiers").([]any) {
			if !strings.Contains(s.(string), "-private-") {
				t.Errorf("app instance subnet %v is not private", s)
			}
		}
		// WP-21.2 and WP-27.
		alb := requireSome(t, g, "aws:lb/loadBalancer:LoadBalancer")[0]
		if alb.Get("dropInvalidHeaderFields") != true || alb.Get("enableDeletionProtection") != true || alb.Get("accessLogs.enabled") != true ||
			str(alb, "accessLogs.bucket") != expect.BucketName(cfg.TenantID, expect.RoleServiceLogs, mockengine.AccountID) {
			t.Errorf("load balancer %v", alb.Inputs)
		}
		https, http := g.ByName(cfg.TenantID+"-app-https"), g.ByName(cfg.TenantID+"-app-http")
		if https == nil || http == nil {
			t.Fatal("listeners missing")
		}
		if str(https, "protocol") != "HTTPS" || str(https, "sslPolicy") != cfg.TLSPolicy || str(https, "certificateArn") != cfg.CertificateArn {
			t.Errorf("HTTPS listener %v", https.Inputs)
		}
		red := http.Get("defaultActions").([]any)[0].(map[string]any)
		to, _ := red["redirect"].(map[string]any)
		if red["type"] != "redirect" || to["protocol"] != "HTTPS" || to["port"] != "443" || len(http.Get("defaultActions").([]any)) != 1 {
			t.Errorf("port 80 does not only redirect to HTTPS 443: %v", red)
		}
		// WP-30.
		assoc := requireSome(t, g, "aws:ssm/association:Association")[0]
		if str(assoc, "name") != "AWS-RunPatchBaseline" || str(assoc, "parameters.Operation") != "Install" {
			t.Errorf("patch association %v", assoc.Inputs)
		}
	})
}

func TestMonitoring(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		topic := requireSome(t, g, "aws:sns/topic:Topic")[0]
		if !isTenantKey(cfg, topic.Get("kmsMasterKeyId")) {
			t.Errorf("topic key %v", topic.Get("kmsMasterKeyId"))
		}
		if n := len(g.OfType("aws:sns/topicSubscription:TopicSubscription")); n != len(cfg.AlertEmails) {
			t.Errorf("%d subscriptions for %d alert e-mails", n, len(cfg.AlertEmails))
		}
		want := map[string]float64{"CPUUtilization": cfg.Alarms.CPUPercent, "mem_used_percent": cfg.Alarms.MemoryPercent, "disk_used_percent": cfg.Alarms.DiskPercent}
		for _, a := range requireSome(t, g, "aws:cloudwatch/metricAlarm:MetricAlarm") {
			m := str(a, "metricName")
			th, ok := want[m]
			if !ok || a.Get("threshold") != th || !strings.HasPrefix(a.Get("alarmActions").([]any)[0].(string), "arn:aws:sns:") || str(a, "dimensions.AutoScalingGroupName") != "tk-"+cfg.TenantID+"-app" {
				t.Errorf("alarm %s: %v", a.Name, a.Inputs)
			}
			delete(want, m)
		}
		if len(want) != 0 {
			t.Errorf("alarms missing: %v", want)
		}
		var rule *graph.Resource
		rules := map[string]*graph.Resource{}
		for _, r := range requireSome(t, g, "aws:cloudwatch/eventRule:EventRule") {
			rules[str(r, "name")] = r
			if str(r, "name") == expect.FindingsRuleName(cfg.TenantID) {
				rule = r
			}
		}
		if rule == nil {
			t.Fatalf("no findings rule %s", expect.FindingsRuleName(cfg.TenantID))
		}
		// Every other alert route: its rule, pattern and target (#25 item 1).
		// The mocks make the key's ARN from its resource name.
		key := requireSome(t, g, "aws:kms/key:Key")[0]
		keyArn := ""
		if r := rules[awsdocs.RouteRuleName(cfg.TenantID, "key-changes")]; r != nil {
			if m := regexp.MustCompile(`"(arn:aws:kms:[^"]*:key/` + regexp.QuoteMeta(key.Name) + `-\d+)"`).FindStringSubmatch(str(r, "eventPattern")); m != nil {
				keyArn = m[1]
			}
		}
		if keyArn == "" {
			t.Errorf("the key-changes route does not name the tenant key %s", key.Name)
		}
		alertTopic := requireSome(t, g, "aws:sns/topic:Topic")[0]
		for _, route := range awsdocs.Routes {
			r := rules[awsdocs.RouteRuleName(cfg.TenantID, route.Key)]
			if r == nil {
				t.Errorf("no rule for route %s", route.Key)
				continue
			}
			want, _ := awsdocs.RoutePattern(route.Key, cfg.TenantID, keyArn, cfg.CertificateArn)
			if !awsdocs.SamePattern(str(r, "eventPattern"), want) || str(r, "state") != "ENABLED" {
				t.Errorf("route %s: pattern %s state %s, want %s", route.Key, str(r, "eventPattern"), str(r, "state"), want)
			}
			found := false
			for _, tg := range g.OfType("aws:cloudwatch/eventTarget:EventTarget") {
				found = found || str(tg, "rule") == str(r, "name") && strings.HasPrefix(str(tg, "arn"), "arn:aws:sns:")
			}
			if !found {
				t.Errorf("route %s has no target on the topic", route.Key)
			}
			if !strings.Contains(str(alertTopic, "policy"), "rule/"+awsdocs.RouteRuleName(cfg.TenantID, route.Key)+`"`) {
				t.Errorf("the topic policy does not let route %s publish", route.Key)
			}
		}
		var p struct {
			Source []string `json:"source"`
			Detail struct {
				Severity []map[string][]any `json:"severity"`
			} `json:"detail"`
		}
		if err := json.Unmarshal([]byte(str(rule, "eventPattern")), &p); err != nil || p.Source[0] != "aws.guardduty" || p.Detail.Severity[0]["numeric"][1] != 4.0 {
			t.Errorf("findings rule pattern %s", str(rule, "eventPattern"))
		}
		targeted := false
		for _, target := range requireSome(t, g, "aws:cloudwatch/eventTarget:EventTarget") {
			targeted = targeted || str(target, "rule") == str(rule, "name") && strings.HasPrefix(str(target, "arn"), "arn:aws:sns:")
		}
		if !targeted {
			t.Errorf("the findings rule has no target on the topic")
		}
	})
}

func TestTrailModes(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		trails := g.OfType("aws:cloudtrail/trail:Trail")
		if cfg.TrailMode == "shared" {
			if len(trails) != 0 {
				t.Errorf("shared mode built %d trails (the baseline's trail covers the tenant)", len(trails))
			}
			return
		}
		if len(trails) != 1 {
			t.Fatalf("dedicated mode: %d trails", len(trails))
		}
		tr := trails[0]
		// Multi-region (global services' events), log files under the key
		// that outlives the tenant, like the archive they land in.
		if tr.Get("enableLogFileValidation") != true || tr.Get("isMultiRegionTrail") != true || tr.Get("includeGlobalServiceEvents") != true ||
			tr.Get("kmsKeyId") != mockengine.BaselineKeyArn || !strings.HasSuffix(str(tr, "cloudWatchLogsGroupArn"), ":log-group:/tenants/"+cfg.TenantID+"/cloudtrail:*") ||
			str(tr, "s3BucketName") != expect.BucketName(cfg.TenantID, expect.RoleLogArchive, mockengine.AccountID) {
			t.Errorf("trail %v", tr.Inputs)
		}
		sel, _ := json.Marshal(tr.Get("advancedEventSelectors"))
		for _, c := range cfg.DataClassifications {
			if !strings.Contains(string(sel), expect.BucketArn(expect.BucketName(cfg.TenantID, c, mockengine.AccountID))+"/") {
				t.Errorf("trail does not cover the %s bucket: %s", c, sel)
			}
		}
	})
}

// WP-39, §27: the service-logs bucket, which S3 will not lock, replicates
// every object into the locked archive; in the shared trail mode the
// tenant's records of the account trail are copied into the group its
// log reader reads, as a dedicated trail would write them.
func TestLockedAndReadableCopies(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		archive := expect.BucketArn(expect.BucketName(cfg.TenantID, expect.RoleLogArchive, mockengine.AccountID))
		serviceLogs := expect.BucketName(cfg.TenantID, expect.RoleServiceLogs, mockengine.AccountID)
		reps := g.OfType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
		if len(reps) != 1 {
			t.Fatalf("%d replication configurations, want the service-logs bucket's", len(reps))
		}
		rep := reps[0]
		rules, _ := rep.Get("rules").([]any)
		rule := map[string]any{}
		if len(rules) == 1 {
			rule, _ = rules[0].(map[string]any)
		}
		sub := func(k string) any { m, _ := rule[k].(map[string]any); return m["status"] }
		dest, _ := rule["destination"].(map[string]any)
		filter, isMap := rule["filter"].(map[string]any)
		if str(rep, "bucket") != serviceLogs || len(rules) != 1 || !strings.Contains(str(rep, "role"), ":role/") ||
			rule["id"] != expect.AccessLogCopyRule || rule["status"] != "Enabled" || dest["bucket"] != archive ||
			sub("deleteMarkerReplication") != "Disabled" || !isMap || len(filter) != 0 {
			t.Errorf("replication %v: want every object of %s into %s, delete markers not replicated", rep.Inputs, serviceLogs, archive)
		}
		var copyPolicy *policydoc.Document
		for _, rp := range g.OfType("aws:iam/rolePolicy:RolePolicy") {
			if doc, err := policydoc.Parse(str(rp, "policy")); err == nil && statement(doc, "ReplicateIntoArchive") != nil {
				copyPolicy = doc
			}
		}
		if copyPolicy == nil {
			t.Fatal("no policy for the replication role")
		}
		if want := logging.CopyRolePolicy(expect.BucketArn(serviceLogs), archive); copyPolicy.JSON() != want.JSON() {
			t.Errorf("replication role policy\n%s\nwant\n%s", copyPolicy.JSON(), want.JSON())
		}

		group := g.ByName(cfg.TenantID + "-logs-trail-view")
		rules0 := map[string]*graph.Resource{}
		for _, r := range g.OfType("aws:cloudwatch/eventRule:EventRule") {
			if strings.Contains(str(r, "name"), "-trail-") {
				rules0[str(r, "name")] = r
			}
		}
		// One group in either mode, under one URN (#34 item 2).
		if group == nil || str(group, "name") != expect.TrailViewGroup(cfg.TenantID) || !isTenantKey(cfg, group.Get("kmsKeyId")) {
			t.Fatalf("trail group %v", group)
		}
		if cfg.TrailMode == expect.TrailDedicated {
			if len(rules0) != 0 {
				t.Errorf("dedicated mode: the trail writes the group itself, yet %d copy rules were built", len(rules0))
			}
			return
		}
		var buckets []string
		for _, c := range cfg.DataClassifications {
			buckets = append(buckets, expect.BucketName(cfg.TenantID, c, mockengine.AccountID))
		}
		copies := expect.TrailViewCopies(cfg.TenantID, mockengine.AccountID, buckets)
		if len(copies) != 2 || len(rules0) != 2 {
			t.Errorf("%d copy rules built, %d expected; want the buckets' and the roles'", len(rules0), len(copies))
		}
		for _, c := range copies {
			r := rules0[c.Name]
			if r == nil || c.Name != "tk-"+cfg.TenantID+"-trail-"+c.Kind {
				t.Errorf("no %s copy rule %s", c.Kind, c.Name)
				continue
			}
			if str(r, "state") != expect.TrailViewState || str(r, "eventPattern") != c.Pattern {
				t.Errorf("%s rule: state %s pattern %s", c.Kind, str(r, "state"), str(r, "eventPattern"))
			}
			tg := g.ByName(cfg.TenantID + "-logs-trail-" + c.Kind + "-group")
			if tg == nil || str(tg, "arn") != group.ARN || str(tg, "rule") != c.Name || tg.Get("roleArn") != nil {
				t.Errorf("%s rule target %v: want the view group, no role", c.Kind, tg)
			}
		}
	})
	// The baseline lets EventBridge write into every tenant's view group.
	g := testkit.RunBaseline(t)
	pols := g.OfType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy")
	if len(pols) != 1 || str(pols[0], "policyName") != expect.TrailViewPolicyName ||
		str(pols[0], "policyDocument") != expect.TrailViewResourcePolicy("ap-northeast-1", mockengine.AccountID) {
		t.Errorf("baseline resource policies %v", pols)
	}
}

// WP-15: the human roles need MFA and stay on the tenant's path.
func TestHumanRoles(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		n := 0
		for _, r := range g.OfType("aws:iam/role:Role") {
			access := str(r, "tags.Access")
			if access == "" {
				continue
			}
			n++
			doc, err := policydoc.Parse(str(r, "assumeRolePolicy"))
			if err != nil || !slices.Contains(doc.Statement[0].ConditionValues("Bool", "aws:MultiFactorAuthPresent"), "true") || str(r, "path") != "/tenants/"+cfg.TenantID+"/" {
				t.Errorf("%s: trust %s path %s", r.Name, str(r, "assumeRolePolicy"), str(r, "path"))
			}
		}
		if n != 2 {
			t.Errorf("%d human roles, want log-admin and log-reader", n)
		}
		if len(g.OfType("aws:iam/user:User"))+len(g.OfType("aws:iam/accessKey:AccessKey")) != 0 {
			t.Error("tenant stack creates IAM users or access keys")
		}
	})
}

// WP-10: a suspended tenant admits nothing from outside and answers 503.
func TestSuspendedTenant(t *testing.T) {
	for _, name := range testkit.ExampleTenants(t) {
		cfg := testkit.Load(t, name)
		cfg.Lifecycle = config.Lifecycle{State: config.StateSuspended, CancelledOn: "2026-11-20", SuspendOn: "2026-11-21", DeleteBy: "2026-12-20"}
		cfg.KeyDeletionWindowDays = 14 // offboarding shortens it to end before the deadline
		g := testkit.Run(t, cfg)
		for _, r := range g.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
			if c := str(r, "cidrIpv4"); c != "" && c != cfg.VpcCidr {
				t.Errorf("%s: suspended tenant admits %s", r.Name, c)
			}
		}
		for _, l := range requireSome(t, g, "aws:lb/listener:Listener") {
			a := l.Get("defaultActions").([]any)[0].(map[string]any)
			if a["type"] != "fixed-response" || a["fixedResponse"].(map[string]any)["statusCode"] != "503" {
				t.Errorf("%s %s: suspended listener %v", name, l.Name, a)
			}
		}
		in := &policy.Input{Graph: g, Tenant: cfg, MockIDs: true, Today: mustDate(t, "2026-11-21")}
		if r := catalog.ByIDResult(policy.Evaluate(in), "WP-10"); r.Status != catalog.Pass {
			t.Errorf("%s: WP-10 %s %+v", name, r.Status, r.Findings)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// #34 item 6: no access-log loop, by construction: across every example
// tenant and the baseline, no bucket's access logs reach, through logging
// and replication, a bucket whose objects come back to it. The loop the
// review found (the archive logging into service-logs, which replicates
// into the archive) is the two-bucket case; any cycle of the "logs into" and
// "replicates into" edges would be one.
func TestNoAccessLogLoop(t *testing.T) {
	edges := map[string][]string{} // bucket -> buckets its objects or access logs go to
	var logged []string
	collect := func(g *graph.Graph) {
		// A bucket is named by its id (the mock's) or its name: both to
		// the name.
		name := map[string]string{}
		for _, b := range g.OfType("aws:s3/bucketV2:BucketV2") {
			name[b.ID], name[str(b, "bucket")] = str(b, "bucket"), str(b, "bucket")
		}
		nameOf := func(v string) string {
			if n, ok := name[v]; ok {
				return n
			}
			return strings.TrimPrefix(v, "arn:aws:s3:::")
		}
		for _, l := range g.OfType("aws:s3/bucketLoggingV2:BucketLoggingV2") {
			src := nameOf(str(l, "bucket"))
			edges[src] = append(edges[src], nameOf(str(l, "targetBucket")))
			logged = append(logged, src)
		}
		for _, r := range g.OfType("aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
			src := nameOf(str(r, "bucket"))
			for _, rule := range r.Get("rules").([]any) {
				edges[src] = append(edges[src], nameOf(rule.(map[string]any)["destination"].(map[string]any)["bucket"].(string)))
			}
		}
	}
	forEachStack(t, func(t *testing.T, _ *config.Tenant, g *graph.Graph) { collect(g) })
	collect(testkit.RunBaseline(t))
	if len(logged) == 0 {
		t.Fatal("no bucket logs its access")
	}
	// A depth-first walk from each logging bucket: reaching it again is a
	// loop.
	for _, start := range logged {
		seen := map[string]bool{}
		var walk func(b string, path []string)
		walk = func(b string, path []string) {
			for _, next := range edges[b] {
				if next == start {
					t.Errorf("access-log loop: %s", strings.Join(append(path, next), " -> "))
					continue
				}
				if !seen[next] {
					seen[next] = true
					walk(next, append(path, next))
				}
			}
		}
		walk(start, []string{start})
	}
}
