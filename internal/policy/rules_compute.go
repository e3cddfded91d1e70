package policy

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

const (
	tLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
	tLB             = "aws:lb/loadBalancer:LoadBalancer"
	tListener       = "aws:lb/listener:Listener"
	tTargetGroup    = "aws:lb/targetGroup:TargetGroup"
	tAlarm          = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tEventRule      = "aws:cloudwatch/eventRule:EventRule"
	tEventTarget    = "aws:cloudwatch/eventTarget:EventTarget"
	tRole           = "aws:iam/role:Role"
	tAccessKey      = "aws:iam/accessKey:AccessKey"
	tUser           = "aws:iam/user:User"
	tPasswordPolicy = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
	tDetector       = "aws:guardduty/detector:Detector"
	tDetectorFeat   = "aws:guardduty/detectorFeature:DetectorFeature"
	tInspector      = "aws:inspector2/enabler:Enabler"
	tAssociation    = "aws:ssm/association:Association"
	tSSMDocument    = "aws:ssm/document:Document"
	tEBSDefault     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
)

func userData(lt *graph.Resource) string {
	s, _ := lt.String("userData")
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return string(b)
	}
	return s
}

// WP-20.4: hardened instances.
var _ = register(Rule{ID: "WP-20.4",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tLaunchTemplate:
			if r.Get("metadataOptions.httpTokens") != "required" {
				e.Fail(label(r), r.Get("metadataOptions.httpTokens"), "IMDSv2: httpTokens required")
				return
			}
			for _, ni := range asList(r.Get("networkInterfaces")) {
				if flagOn(ni["associatePublicIpAddress"]) {
					e.Fail(label(r), "public IP", "no public IP")
					return
				}
			}
			bdms := asList(r.Get("blockDeviceMappings"))
			if len(bdms) == 0 {
				e.Fail(label(r), "no block device mapping", "root volume encrypted with the tenant key")
				return
			}
			for _, b := range bdms {
				ebs, _ := b["ebs"].(map[string]any)
				if !flagOn(ebs["encrypted"]) {
					e.Fail(label(r), fmt.Sprint(b["deviceName"])+" unencrypted", "encrypted volumes")
					return
				}
				if in.Tenant != nil {
					usesTenantKey(in, e, r, ebs["kmsKeyId"], "volume")
				}
			}
			if r.Get("iamInstanceProfile") == nil {
				e.Fail(label(r), "no instance profile", "the SSM instance role attached")
			}
		case tLB:
			if r.Get("desyncMitigationMode") != "strictest" || r.Get("dropInvalidHeaderFields") != true {
				e.Failf(label(r), "desync mitigation strictest, invalid header fields dropped", "desync mitigation %v, drop invalid headers %v", r.Get("desyncMitigationMode"), r.Get("dropInvalidHeaderFields"))
			} else {
				e.Applies()
			}
		case tSubnet:
			// An instance launched into a subnet that maps public IPs gets
			// one unless its launch template says otherwise; no tier of a
			// tenant needs one (the load balancer has its own addresses).
			if flagOn(r.Get("mapPublicIpOnLaunch")) {
				e.Fail(label(r), "public IPs mapped on launch", "mapPublicIpOnLaunch false")
			} else {
				e.Applies()
			}
		case tEBSDefault:
			if r.Get("enabled") == false {
				e.Fail(label(r), "off", "EBS encryption by default on")
			} else {
				e.Applies()
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Tenant != nil && len(in.Graph.OfType(tLaunchTemplate)) == 0 {
			e.Fail("stack", "no launch template", "the app tier's hardened launch template")
		}
	},
})

// WP-21.2: TLS in transit.
var _ = register(Rule{ID: "WP-21.2",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tListener:
			proto, _ := r.String("protocol")
			port, _ := num(r, "port")
			switch {
			case proto == "HTTPS":
				if p, _ := r.String("sslPolicy"); !slices.Contains(config.AllowedTLSPolicies, p) {
					e.Fail(label(r), p, "a TLS 1.2+ policy: "+strings.Join(config.AllowedTLSPolicies, ", "))
					return
				}
				e.Applies()
			case proto == "HTTP" && port == 80:
				for _, a := range asList(r.Get("defaultActions")) {
					t := a["type"]
					red, _ := a["redirect"].(map[string]any)
					// Permanent (301): browsers remember the upgrade to HTTPS.
					if t == "redirect" && red["protocol"] == "HTTPS" && red["port"] == "443" && red["statusCode"] == "HTTP_301" {
						e.Applies()
						return
					}
					if t == "fixed-response" && in.Tenant != nil && in.Tenant.Suspended() {
						e.Applies()
						return
					}
				}
				e.Fail(label(r), "HTTP listener that does not redirect permanently", "port 80 only redirects to HTTPS 443 (HTTP_301)")
			default:
				e.Failf(label(r), "HTTPS, or HTTP 80 that redirects", "%s listener on %d", proto, port)
			}
		case tDBParams:
			for _, p := range asList(r.Get("parameters")) {
				if p["name"] == "rds.force_ssl" && p["value"] == "1" {
					e.Applies()
					return
				}
			}
			e.Fail(label(r), "rds.force_ssl not 1", "rds.force_ssl = 1")
		case tDB:
			if r.Get("parameterGroupName") == nil {
				e.Fail(label(r), "default parameter group", "a parameter group forcing TLS")
			}
		case tTopic:
			s, _ := r.String("policy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Unknown(label(r), "the topic policy", "publishing only over TLS")
				return
			}
			if !hasDeny(doc, "Bool", "aws:SecureTransport", "false") {
				e.Fail(label(r), "no deny of aws:SecureTransport false", "publishing only over TLS")
				return
			}
			e.Applies()
		}
	},
	Whole: func(in *Input, e *Eval) { bucketTransit(in, e) },
})

// WP-24: memory, CPU and disk alarms to the encrypted topic.
var _ = register(Rule{ID: "WP-24",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		want := map[string]float64{"mem_used_percent": in.Tenant.Alarms.MemoryPercent, "CPUUtilization": in.Tenant.Alarms.CPUPercent, "disk_used_percent": in.Tenant.Alarms.DiskPercent}
		topics := in.Graph.OfType(tTopic)
		for metric, threshold := range want {
			found := false
			for _, a := range in.Graph.OfType(tAlarm) {
				if m, _ := a.String("metricName"); m != metric {
					continue
				}
				found = true
				if th, _ := a.Get("threshold").(float64); th != threshold {
					e.Failf(label(a), fmt.Sprintf("threshold %v from config", threshold), "threshold %v", th)
					continue
				}
				if ns, _ := a.String("namespace"); metric != "CPUUtilization" && ns != "CWAgent" {
					e.Fail(label(a), ns, "namespace CWAgent (the CloudWatch agent)")
					continue
				}
				notifies, unknown := false, false
				for _, act := range asSlice(a.Get("alarmActions")) {
					for _, t := range topics {
						switch ref(in, act, t) {
						case refYes:
							notifies = true
						case refUnknown:
							unknown = true
						}
					}
				}
				if !notifies && unknown {
					// The topic's ARN is computed at deploy time (real engine).
					e.Unknown(label(a), "the alarm's actions", "the operator's alert topic")
					continue
				}
				if !notifies {
					e.Fail(label(a), strs(a.Get("alarmActions")), "the operator's alert topic")
					continue
				}
				e.Applies()
			}
			if !found {
				e.Fail("stack", "no "+metric+" alarm", metric+" alarm with the configured threshold")
			}
		}
		if len(topics) == 0 {
			e.Fail("stack", "no alert topic", "an encrypted SNS topic")
		}
		// The instances' metrics every minute, and the load balancer's
		// health check on: what the alarms and the operator watch.
		requireTrue(in, e, tLaunchTemplate, "monitoring.enabled", "detailed monitoring off", "detailed (1-minute) monitoring of the instances")
		requireTrue(in, e, tTargetGroup, "healthCheck.enabled", "health check off", "a health check on the target group")
	},
})

// requireTrue holds every resource of a type to a setting that must be on:
// each one applies when its input at path is true and fails otherwise
// (absent or computed included).
func requireTrue(in *Input, e *Eval, typ, path, observed, expected string) {
	for _, r := range in.Graph.OfType(typ) {
		if r.Get(path) != true {
			e.Fail(label(r), observed, expected)
		} else {
			e.Applies()
		}
	}
}

// WP-27: trail, flow logs, access logs.
var _ = register(Rule{ID: "WP-27",
	Whole: func(in *Input, e *Eval) {
		for _, v := range in.Graph.OfType(tVpc) {
			ok := false
			for _, f := range in.Graph.OfType(tFlowLog) {
				if ref(in, f.Get("vpcId"), v) != refNo && f.Get("trafficType") == "ALL" {
					ok = true
				}
			}
			if !ok {
				e.Fail(label(v), "no flow log of ALL traffic", "a VPC flow log of ALL traffic")
			} else {
				e.Applies()
			}
		}
		for _, b := range in.Graph.OfType(tBucket) {
			if role := bucketRole(b); role == roleServiceLogs {
				continue // the target of access logs cannot log to itself
			}
			if l, _ := configOf(in, tBucketLog, b); l == nil {
				e.Fail(label(b), "no server access logging", "access logs to the service-logs bucket")
			} else {
				e.Applies()
			}
		}
		requireTrue(in, e, tLB, "accessLogs.enabled", "access logs off", "load-balancer access logs on")
		trails := in.Graph.OfType(tTrail)
		for _, t := range trails {
			if t.Get("enableLogFileValidation") != true || t.Get("enableLogging") == false {
				e.Fail(label(t), "validation or logging off", "a logging trail with log-file validation")
			} else if t.Get("includeGlobalServiceEvents") != true || t.Get("isMultiRegionTrail") != true {
				e.Fail(label(t), "global service events or other regions not recorded", "a multi-region trail with global service events (IAM, STS)")
			} else if t.Get("cloudWatchLogsGroupArn") == nil {
				e.Fail(label(t), "no CloudWatch Logs delivery", "trail delivered to CloudWatch Logs")
			} else {
				e.Applies()
			}
		}
		if in.Tenant != nil && in.Tenant.TrailMode == "dedicated" && len(trails) == 0 {
			e.Fail("stack", "trailMode dedicated without a trail", "a trail of the tenant's own")
		}
		if in.Tenant != nil && in.Tenant.TrailMode == "shared" {
			e.Note("data events are covered by the baseline's shared trail; the stack exports the bucket ARNs it must cover")
		}
	},
})

// WP-37: GuardDuty findings of medium severity and up reach the topic.
var _ = register(Rule{ID: "WP-37",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		for _, r := range in.Graph.OfType(tEventRule) {
			s, _ := r.String("eventPattern")
			gd, min, err := awsdocs.FindingsPattern(s)
			if err != nil || !gd {
				continue
			}
			if st, ok := r.String("state"); ok && st != "ENABLED" {
				e.Fail(label(r), "rule "+st, "the findings rule ENABLED")
				return
			}
			if min > 4 {
				e.Failf(label(r), "findings of severity 4 (medium) and up", "pattern %s", s)
				continue
			}
			targeted := false
			for _, t := range in.Graph.OfType(tEventTarget) {
				if ref(in, t.Get("rule"), r) != refNo {
					targeted = true
				}
			}
			if !targeted {
				e.Fail(label(r), "no target", "the operator's alert topic")
				continue
			}
			e.Applies()
			return
		}
		e.Fail("stack", "no GuardDuty finding rule", "an EventBridge rule for GuardDuty findings to the topic")
	},
})

// WP-15: MFA for admin roles, no IAM users or keys, password policy.
var _ = register(Rule{ID: "WP-15",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tAccessKey, tUser:
			if !in.Baseline {
				e.Fail(label(r), r.Type, "no IAM users or long-lived keys for tenants")
			}
		case tRole:
			tagRole, _ := r.String("tags.Access")
			if tagRole != "admin" && tagRole != "log-reader" {
				return
			}
			s, _ := r.String("assumeRolePolicy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Unknown(label(r), "the trust policy", "MFA required")
				return
			}
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && !slices.Contains(st.ConditionValues("Bool", "aws:MultiFactorAuthPresent"), "true") {
					e.Fail(label(r), "trust without aws:MultiFactorAuthPresent", "assume only with MFA")
					return
				}
			}
			e.Applies()
		case tPasswordPolicy:
			if n, _ := num(r, "minimumPasswordLength"); n < 14 {
				e.Failf(label(r), "minimum length 14 or more", "minimum length %d", n)
				return
			}
			for _, k := range []string{"requireLowercaseCharacters", "requireUppercaseCharacters", "requireNumbers", "requireSymbols"} {
				if r.Get(k) != true {
					e.Fail(label(r), k+" not true", "lowercase, uppercase, numbers and symbols required")
					return
				}
			}
			// With a maximum age, users who cannot change their own
			// password keep an expired one or lose access.
			if r.Get("allowUsersToChangePassword") != true {
				e.Fail(label(r), "allowUsersToChangePassword not true", "users rotate their own passwords")
				return
			}
			e.Applies()
		}
	},
})

// WP-20.3: GuardDuty with EBS malware protection (baseline).
var _ = register(Rule{ID: "WP-20.3",
	Whole: func(in *Input, e *Eval) {
		if !in.Baseline {
			e.Note("account baseline control: plan the baseline stack")
			return
		}
		dets := in.Graph.OfType(tDetector)
		if len(dets) == 0 || dets[0].Get("enable") == false {
			e.Fail("baseline", "no enabled detector", "a GuardDuty detector")
			return
		}
		for _, f := range in.Graph.OfType(tDetectorFeat) {
			if f.Get("name") == "EBS_MALWARE_PROTECTION" && f.Get("status") == "ENABLED" {
				e.Applies()
				return
			}
		}
		e.Fail(label(dets[0]), "EBS malware protection not enabled", "feature EBS_MALWARE_PROTECTION ENABLED")
	},
})

// WP-30: Inspector (baseline) and a patch association per tenant.
var _ = register(Rule{ID: "WP-30",
	Whole: func(in *Input, e *Eval) {
		if in.Baseline {
			for _, en := range in.Graph.OfType(tInspector) {
				types := strs(en.Get("resourceTypes"))
				if slices.Contains(types, "EC2") && slices.Contains(types, "ECR") {
					e.Applies()
					return
				}
			}
			e.Fail("baseline", "Inspector not enabled for EC2 and ECR", "inspector2 enabler for EC2, ECR")
			return
		}
		for _, db := range in.Graph.OfType(tDB) {
			if db.Get("autoMinorVersionUpgrade") != true {
				e.Fail(label(db), "automatic minor version upgrades off", "the database patched in its maintenance window")
			}
		}
		for _, a := range in.Graph.OfType(tAssociation) {
			if n, _ := a.String("name"); n == "AWS-RunPatchBaseline" {
				e.Applies()
				return
			}
		}
		e.Fail("stack", "no patch association", "an AWS-RunPatchBaseline association for the tenant's instances")
	},
})

// WP-10: suspended stacks admit nothing from outside the VPC; a stack being
// deleted has key deletion windows that end by the deadline.
var _ = register(Rule{ID: "WP-10",
	Whole: func(in *Input, e *Eval) {
		t := in.Tenant
		if t == nil {
			return
		}
		if t.Suspended() {
			vpc, err := netip.ParsePrefix(t.VpcCidr)
			if err != nil {
				e.Fail("vpcCidr", t.VpcCidr, "a valid VPC range")
				return
			}
			for _, r := range append(in.Graph.OfType(tIngress), in.Graph.OfType(tSGRule)...) {
				if !isIngress(r) {
					continue
				}
				for _, c := range sgRuleCidrs(r) {
					if p, err := netip.ParsePrefix(c); err != nil || !vpc.Contains(p.Addr()) || p.Bits() < vpc.Bits() {
						e.Failf(label(r), "a suspended tenant admits nothing from outside the VPC", "admits %s", c)
					}
				}
			}
			for _, l := range in.Graph.OfType(tListener) {
				ok := false
				for _, a := range asList(l.Get("defaultActions")) {
					fr, _ := a["fixedResponse"].(map[string]any)
					if a["type"] == "fixed-response" && fr["statusCode"] == "503" {
						ok = true
					}
				}
				if !ok {
					e.Fail(label(l), "serves traffic", "a fixed 503 while suspended")
				} else {
					e.Applies()
				}
			}
			e.Applies()
		}
		// Keys are scheduled for deletion when the stack is destroyed: then
		// their window must end by the deadline.
		if t.Deleting() && t.Lifecycle.DeleteBy != "" && !in.Today.IsZero() {
			deadline, err := time.Parse(time.DateOnly, t.Lifecycle.DeleteBy)
			if err == nil {
				left := int(deadline.Sub(in.Today).Hours() / 24)
				for _, k := range in.Graph.OfType(tKey) {
					if w, _ := num(k, "deletionWindowInDays"); w > left {
						e.Failf(label(k), fmt.Sprintf("a deletion window of at most %d days (deadline %s)", left, t.Lifecycle.DeleteBy), "window %d days", w)
					} else {
						e.Applies()
					}
				}
			}
		}
		if !t.Suspended() && t.Lifecycle.DeleteBy == "" {
			e.Note("tenant active: no offboarding in progress")
		}
	},
})
