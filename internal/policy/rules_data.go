package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

const (
	tBucket     = "aws:s3/bucketV2:BucketV2"
	tBucketSSE  = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tBucketVer  = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tBucketPAB  = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tBucketPol  = "aws:s3/bucketPolicy:BucketPolicy"
	tBucketLog  = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	tBucketLife = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	tBucketLock = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
	tLogGroup   = "aws:cloudwatch/logGroup:LogGroup"
	tTopic      = "aws:sns/topic:Topic"
	tDB         = "aws:rds/instance:Instance"
	tDBParams   = "aws:rds/parameterGroup:ParameterGroup"
	tTrail      = "aws:cloudtrail/trail:Trail"
)

// Bucket roles, from the bucket's Role tag.
const (
	roleData        = "data"
	roleServiceLogs = "service-logs"
	roleLogArchive  = "log-archive"
)

func bucketRole(r *graph.Resource) string { s, _ := r.String("tags.Role"); return s }

// configOf finds the configuration resource of a type attached to a bucket.
func configOf(in *Input, typ string, bucket *graph.Resource) (*graph.Resource, refState) {
	state := refNo
	var found *graph.Resource
	for _, c := range in.Graph.OfType(typ) {
		switch ref(in, c.Get("bucket"), bucket) {
		case refYes:
			return c, refYes
		case refUnknown:
			found, state = c, refUnknown
		}
	}
	return found, state
}

func tenantKey(in *Input) *graph.Resource {
	keys := in.Graph.OfType(tKey)
	if len(keys) == 1 {
		return keys[0]
	}
	return nil
}

// usesTenantKey checks a key reference (ARN) against the tenant key.
func usesTenantKey(in *Input, e *Eval, r *graph.Resource, v any, what string) {
	switch ref(in, v, tenantKey(in)) {
	case refYes:
		e.Applies()
	case refUnknown:
		e.Unknown(label(r), what, "the tenant key")
	default:
		e.Fail(label(r), v, what+" encrypted with the tenant's customer-managed key")
	}
}

var dataStores = []string{tBucket, tLogGroup, tDB, tLaunchTemplate}

// WP-12: every data store carries a valid DataClassification.
var _ = register(Rule{ID: "WP-12",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if !isType(r, dataStores...) {
			return
		}
		label_ := tags(in, r)["DataClassification"]
		if r.Type == tLaunchTemplate {
			label_ = nil
			for _, ts := range asList(r.Get("tagSpecifications")) {
				if ts["resourceType"] == "volume" {
					if m, ok := ts["tags"].(map[string]any); ok {
						label_ = m["DataClassification"]
					}
				}
			}
		}
		s, _ := label_.(string)
		if !slices.Contains(config.Classifications, s) {
			e.Fail(label(r), label_, "DataClassification public, personal or confidential")
			return
		}
		e.Applies()
	},
})

// WP-21.1: at rest with the tenant key; rotation on.
var _ = register(Rule{ID: "WP-21.1",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tKey:
			if r.Get("enableKeyRotation") != true {
				e.Fail(label(r), r.Get("enableKeyRotation"), "key rotation enabled")
			} else {
				e.Applies()
			}
		case tLogGroup:
			if !in.Baseline {
				usesTenantKey(in, e, r, r.Get("kmsKeyId"), "log group")
			} else if r.Get("kmsKeyId") == nil {
				e.Fail(label(r), "no KMS key", "a customer-managed key")
			}
		case tTopic:
			if !in.Baseline {
				usesTenantKey(in, e, r, r.Get("kmsMasterKeyId"), "topic")
			}
		case tDB:
			if r.Get("storageEncrypted") != true {
				e.Fail(label(r), "storageEncrypted false", "encrypted storage")
				return
			}
			usesTenantKey(in, e, r, r.Get("kmsKeyId"), "database storage")
		case tTrail:
			if in.Baseline {
				usesTenantKeyOrAny(in, e, r)
			} else {
				usesArchiveKey(in, e, r, r.Get("kmsKeyId"), "trail log files")
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		for _, b := range in.Graph.OfType(tBucket) {
			sse, state := configOf(in, tBucketSSE, b)
			if sse == nil {
				e.Fail(label(b), "no default encryption", "SSE-KMS with the tenant key")
				continue
			}
			if state == refUnknown {
				e.Unknown(label(b), "the bucket's encryption", "SSE-KMS with the tenant key")
				continue
			}
			rules := asList(sse.Get("rules"))
			if len(rules) == 0 {
				e.Fail(label(sse), "no rule", "SSE-KMS with the tenant key")
				continue
			}
			def, _ := rules[0]["applyServerSideEncryptionByDefault"].(map[string]any)
			algo, _ := def["sseAlgorithm"].(string)
			if bucketRole(b) == roleServiceLogs {
				// AWS delivers ALB and S3 access logs only to SSE-S3 buckets.
				if algo != "AES256" {
					e.Fail(label(b), algo, "SSE-S3 (AES256): ALB and S3 access logs cannot be delivered to SSE-KMS buckets")
				} else {
					e.Applies()
				}
				continue
			}
			if algo != "aws:kms" && algo != "aws:kms:dsse" {
				e.Fail(label(b), algo, "aws:kms with the tenant key")
				continue
			}
			if rules[0]["bucketKeyEnabled"] != true {
				e.Fail(label(b), "bucket key off", "bucket key enabled")
				continue
			}
			if bucketRole(b) == roleLogArchive && !in.Baseline {
				usesArchiveKey(in, e, b, def["kmsMasterKeyId"], "log archive")
				continue
			}
			if bucketRole(b) == roleData {
				if doc, state := bucketPolicy(in, b); state != refUnknown {
					if why := uploadDenyProblem(in, doc); why != "" {
						e.Fail(label(b), why, "uploads naming another algorithm or key, or aws:kms without the key, denied")
						continue
					}
				}
			}
			usesTenantKey(in, e, b, def["kmsMasterKeyId"], "bucket")
		}
	},
})

// uploadDenyProblem says what a data bucket's policy lacks of the three
// upload denies (storage.DataStatements): another algorithm named, another
// key named, aws:kms named without a key (S3 then uses aws/s3). Each must
// test its header only when present (Null false), or plain uploads, which
// get the bucket default, would be refused; what AWS decides on them is
// proven in tests/iameval.
func uploadDenyProblem(in *Input, doc *policydoc.Document) string {
	const sse, sseKey = "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"
	if doc == nil {
		return "no bucket policy"
	}
	var algo, key, bare bool
	for _, st := range doc.Statement {
		if st.Effect != "Deny" || !st.HasAction("s3:PutObject") {
			continue
		}
		nullSSE, nullKey := st.ConditionValues("Null", sse), st.ConditionValues("Null", sseKey)
		switch {
		case slices.Equal(nullSSE, []string{"false"}) && slices.Equal(st.ConditionValues("StringNotEquals", sse), []string{"aws:kms"}) && len(st.Condition) == 2:
			algo = true
		case slices.Equal(nullKey, []string{"false"}) && len(st.ConditionValues("StringNotEquals", sseKey)) == 1 && len(st.Condition) == 2 &&
			ref(in, st.ConditionValues("StringNotEquals", sseKey)[0], tenantKey(in)) != refNo:
			key = true
		case slices.Equal(nullSSE, []string{"false"}) && slices.Equal(nullKey, []string{"true"}) && len(st.Condition) == 1:
			bare = true
		}
	}
	switch {
	case !algo:
		return "uploads under another algorithm not denied"
	case !key:
		return "uploads under another key not denied"
	case !bare:
		return "uploads naming aws:kms without a key (S3 then uses aws/s3) not denied"
	}
	return ""
}

// usesArchiveKey: what outlives the tenant (its log archive, its trail's
// log files) is encrypted with a customer-managed key that outlives the
// tenant key, which offboarding schedules for deletion: the account
// baseline's key, named by ARN.
func usesArchiveKey(in *Input, e *Eval, r *graph.Resource, v any, what string) {
	s, ok := v.(string)
	switch {
	case !ok:
		if _, unk := v.(graph.Unknown); unk {
			e.Unknown(label(r), what+" key", "the account baseline's key")
			return
		}
		e.Fail(label(r), v, what+" encrypted with the account baseline's key (it outlives the tenant key)")
	case ref(in, s, tenantKey(in)) == refYes:
		e.Fail(label(r), "the tenant key", what+" encrypted with the account baseline's key: the tenant key is deleted at offboarding and the retained records would become unreadable")
	case !strings.HasPrefix(s, "arn:aws:kms:") || !strings.Contains(s, ":key/"):
		e.Fail(label(r), s, what+" encrypted with the account baseline's key, by key ARN")
	default:
		e.Applies()
	}
}

func usesTenantKeyOrAny(in *Input, e *Eval, r *graph.Resource) {
	if in.Baseline {
		if r.Get("kmsKeyId") == nil {
			e.Fail(label(r), "no KMS key", "a customer-managed key")
		} else {
			e.Applies()
		}
		return
	}
	usesTenantKey(in, e, r, r.Get("kmsKeyId"), "trail")
}

// policyOf parses the policy of a bucket.
func bucketPolicy(in *Input, b *graph.Resource) (*policydoc.Document, refState) {
	p, state := configOf(in, tBucketPol, b)
	if p == nil || state == refUnknown {
		return nil, state
	}
	s, ok := p.String("policy")
	if !ok {
		return nil, refUnknown
	}
	doc, err := policydoc.Parse(s)
	if err != nil {
		return nil, refNo
	}
	return doc, refYes
}

func hasDeny(doc *policydoc.Document, op, key, value string) bool {
	for _, s := range doc.Statement {
		if s.Effect == "Deny" && slices.Contains(s.ConditionValues(op, key), value) {
			return true
		}
	}
	return false
}

// WP-21.2 (bucket part, the listener part is in rules_compute.go).
func bucketTransit(in *Input, e *Eval) {
	for _, b := range in.Graph.OfType(tBucket) {
		doc, state := bucketPolicy(in, b)
		switch {
		case state == refUnknown:
			e.Unknown(label(b), "the bucket policy", "TLS-only statements")
		default:
			// One verdict with the live check (policydoc).
			if why := doc.TransportDenyProblem(); why != "" {
				e.Fail(label(b), why, "reads denied without TLS and below TLS 1.2")
			} else {
				e.Applies()
			}
		}
	}
}

// WP-22: noncurrent versions expire on every bucket; the database leaves
// nothing behind when it is deleted (no final snapshot, no automated
// backups kept: either would outlive the 30-day deletion of §10) and tags
// every snapshot with the tenant (so the leftover sweep finds one).
var _ = register(Rule{ID: "WP-22",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if r.Type == tLaunchTemplate {
			// The instances' volumes and interfaces go with them: a volume
			// kept after termination would outlive the tenant's data.
			for _, b := range asList(r.Get("blockDeviceMappings")) {
				if ebs, _ := b["ebs"].(map[string]any); !flagOn(ebs["deleteOnTermination"]) {
					e.Fail(label(r), fmt.Sprint(b["deviceName"])+" kept after termination", "volumes deleted with the instance")
					return
				}
			}
			for _, ni := range asList(r.Get("networkInterfaces")) {
				if !flagOn(ni["deleteOnTermination"]) {
					e.Fail(label(r), "network interface kept after termination", "interfaces deleted with the instance")
					return
				}
			}
			e.Applies()
			return
		}
		if r.Type != tDB {
			return
		}
		for _, k := range []string{"skipFinalSnapshot", "deleteAutomatedBackups", "copyTagsToSnapshot"} {
			if r.Get(k) != true {
				e.Fail(label(r), k+" not true", "no final snapshot, automated backups deleted with the instance, snapshots tagged")
				return
			}
		}
		e.Applies()
	},
	Whole: func(in *Input, e *Eval) {
		for _, b := range in.Graph.OfType(tBucket) {
			lc, state := configOf(in, tBucketLife, b)
			if state == refUnknown {
				e.Unknown(label(b), "the lifecycle", "noncurrent version expiration")
				continue
			}
			ok := false
			for _, rule := range asList(orEmpty(lc).Get("rules")) {
				if x, _ := rule["noncurrentVersionExpiration"].(map[string]any); x != nil && rule["status"] == "Enabled" {
					ok = true
				}
			}
			if lc == nil || !ok {
				e.Fail(label(b), "no enabled noncurrent-version expiration", "a lifecycle rule that expires noncurrent versions")
			} else {
				e.Applies()
			}
		}
	},
})

// WP-17: buckets accept only the tenant's endpoint or roles; no open
// principals; roles scoped.
var _ = register(Rule{ID: "WP-17",
	Whole: func(in *Input, e *Eval) {
		for _, b := range in.Graph.OfType(tBucket) {
			doc, state := bucketPolicy(in, b)
			if state == refUnknown || doc == nil {
				continue // WP-21.2 reports a missing policy
			}
			for _, st := range openAllows(doc) {
				e.Fail(label(b), st.Sid+": Allow to * without a condition", "principals restricted to the tenant")
			}
			if in.Tenant != nil && !doc.DeniesOtherTenants(in.Tenant.TenantID) {
				e.Fail(label(b), "no explicit deny of the other tenants' roles", "every other tenant's role refused, whatever its IAM policies")
				continue
			}
			if bucketRole(b) == roleData {
				restricted := false
				for _, s := range doc.Statement {
					if s.Effect == "Deny" && (len(s.ConditionValues("StringNotEquals", "aws:SourceVpce")) > 0) {
						restricted = true
					}
				}
				if !restricted {
					e.Fail(label(b), "no aws:SourceVpce restriction", "data reached only through the tenant's endpoint or roles")
					continue
				}
			}
			e.Applies()
		}
		for _, k := range in.Graph.OfType(tKey) {
			s, _ := k.String("policy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Fail(label(k), "unreadable key policy", "a key policy scoped to the tenant")
				continue
			}
			for _, st := range openAllows(doc) {
				e.Fail(label(k), st.Sid+": Allow to * without a condition", "principals restricted to the tenant")
			}
			for _, st := range doc.Statement {
				// Principal * held only to the account or to a service
				// (kms:CallerAccount, kms:ViaService) lets every role of the
				// account, other tenants' included, use the key through S3,
				// EC2 or RDS with no permission on it.
				// (The baseline's key is the account's EBS default: every
				// principal of the account launches through EC2 with it.)
				if in.Tenant != nil && st.Effect == "Allow" && slices.Contains(st.Principals("AWS"), "*") && len(st.Condition) > 0 && !conditionsOnKey(st, "aws:PrincipalArn") {
					e.Fail(label(k), st.Sid+": Allow to * not held to named principals (aws:PrincipalArn)", "key usable by the tenant's roles, its services and the deployers only")
				}
			}
			if in.Tenant != nil && !doc.DeniesOtherTenants(in.Tenant.TenantID) {
				e.Fail(label(k), "no explicit deny of the other tenants' roles", "every other tenant's role refused, whatever its IAM policies")
			}
			e.Applies()
		}
		if in.Tenant != nil {
			for _, tp := range in.Graph.OfType(tTopic) {
				s, _ := tp.String("policy")
				doc, err := policydoc.Parse(s)
				if err != nil {
					e.Unknown(label(tp), "the topic policy", "every other tenant's role refused")
					continue
				}
				if !doc.DeniesOtherTenants(in.Tenant.TenantID) {
					e.Fail(label(tp), "no explicit deny of the other tenants' roles", "every other tenant's role refused, whatever its IAM policies")
					continue
				}
				e.Applies()
			}
		}
		for _, p := range in.Graph.OfType("aws:iam/rolePolicy:RolePolicy") {
			s, _ := p.String("policy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Unknown(label(p), "the policy", "a policy scoped to tenant ARNs")
				continue
			}
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && slices.Contains(st.Resource, "*") && !readOnlyDescribe(st) {
					e.Failf(label(p), "actions on tenant ARNs only", "%v on Resource *", st.Action)
				}
			}
			e.Applies()
		}
	},
})

// conditionsOnKey: some condition of the statement tests the key.
func conditionsOnKey(s policydoc.Statement, key string) bool {
	for _, keys := range s.Condition {
		if _, ok := keys[key]; ok {
			return true
		}
	}
	return false
}

// openAllows returns the statements that allow any principal with no
// condition to restrict it.
func openAllows(doc *policydoc.Document) []policydoc.Statement {
	var out []policydoc.Statement
	for _, st := range doc.Statement {
		if st.Effect == "Allow" && slices.Contains(st.Principals("AWS"), "*") && len(st.Condition) == 0 {
			out = append(out, st)
		}
	}
	return out
}

// readOnlyDescribe: some read actions (ec2:Describe*, cloudwatch:PutMetricData)
// have no resource-level scoping in IAM.
func readOnlyDescribe(st policydoc.Statement) bool {
	for _, a := range st.Action {
		if !strings.Contains(a, ":Describe") && !strings.Contains(a, ":List") && a != "cloudwatch:PutMetricData" && !strings.HasPrefix(a, "ssm:UpdateInstance") && !strings.HasPrefix(a, "ssmmessages:") && !strings.HasPrefix(a, "ec2messages:") {
			return false
		}
	}
	return true
}

// WP-39: the log archive is locked and deletes are denied; log groups keep
// the configured retention.
var _ = register(Rule{ID: "WP-39",
	Whole: func(in *Input, e *Eval) {
		archives := 0
		for _, b := range in.Graph.OfType(tBucket) {
			role := bucketRole(b)
			if role != roleLogArchive && role != roleServiceLogs {
				continue
			}
			if role == roleLogArchive {
				archives++
			}
			if ver, _ := configOf(in, tBucketVer, b); ver == nil || ver.Get("versioningConfiguration.status") != "Enabled" {
				e.Fail(label(b), "versioning not enabled", "versioning on log buckets")
				continue
			}
			doc, state := bucketPolicy(in, b)
			if state == refUnknown {
				// In the real engine the policy is computed at deploy time;
				// the hook judged nothing, so neither can this.
				e.Unknown(label(b), "the bucket policy", "deletes denied except to the log-admin role")
				continue
			}
			// One verdict with the live check (policydoc.ExemptDenyProblem):
			// exact ARNs of the log administrators and the deployers.
			name, _ := b.String("bucket")
			arn := "arn:aws:s3:::" + name
			ex, admin := logExemptions(in, name)
			if why := doc.ExemptDenyProblem([]string{"s3:DeleteObject", "s3:DeleteObjectVersion"}, arn+"/*", withRequired(ex, admin), "deletes"); why != "" {
				if role == roleServiceLogs && in.Tenant != nil && in.Tenant.Deleting() {
					e.Note("deleting: the service-logs bucket may be emptied; the log archive keeps its Object Lock")
				} else {
					e.Fail(label(b), why, "deletes denied except to the log-admin roles and the deployers")
					continue
				}
			}
			if why := doc.ExemptDenyProblem(config.LogConfigCoreActions, arn, ex, "configuration changes"); why != "" {
				e.Fail(label(b), why+": the bucket's rules may be changed (policy, lifecycle, versioning, encryption, Object Lock)",
					"rule changes denied except to the log administrators and the deployers")
				continue
			}
			if role == roleLogArchive {
				if b.Get("objectLockEnabled") != true {
					e.Fail(label(b), "Object Lock off", "Object Lock enabled at creation")
					continue
				}
				lock, _ := configOf(in, tBucketLock, b)
				if orEmpty(lock).Get("objectLockEnabled") != "Enabled" {
					e.Fail(label(b), "no Object Lock configuration Enabled", "Object Lock Enabled with a default retention")
					continue
				}
				if mode, _ := orEmpty(lock).String("rule.defaultRetention.mode"); in.Tenant != nil && mode != in.Tenant.ObjectLockMode {
					e.Failf(label(b), "Object Lock mode "+in.Tenant.ObjectLockMode+" from config", "mode %s", mode)
					continue
				}
				days, _ := num(orEmpty(lock), "rule.defaultRetention.days")
				if in.Tenant != nil && days != in.Tenant.ObjectLockDays {
					e.Failf(label(b), "default retention of objectLockDays", "default retention %d days", days)
					continue
				}
			}
			e.Applies()
		}
		if in.Tenant != nil {
			if archives == 0 {
				e.Fail("stack", "no log archive bucket", "a log archive with Object Lock")
			}
			for _, lg := range in.Graph.OfType(tLogGroup) {
				if d, _ := num(lg, "retentionInDays"); d != in.Tenant.LogRetentionDays {
					e.Failf(label(lg), "retention from config", "retention %d days, config %d", d, in.Tenant.LogRetentionDays)
				} else {
					e.Applies()
				}
			}
		}
	},
})

// logExemptions: who a log bucket's denies may exempt, from the stack's
// config and the account in the bucket's name (tk-<tenant>-<kind>-<account>),
// and the log-admin role that must be among them.
func logExemptions(in *Input, bucket string) (policydoc.Exemptions, string) {
	account := bucket[strings.LastIndex(bucket, "-")+1:]
	base := config.BaselineLogAdminArn(account)
	if in.Tenant == nil {
		// The baseline stack: its deployers are its own config, which the
		// plan does not read; each must still be an exact role or user.
		return policydoc.Exemptions{Allowed: []string{base}, CallerAccount: account, AnyCaller: true}, base
	}
	admin := config.TenantRoleArn(account, in.Tenant.TenantID, "log-admin")
	ex := policydoc.Exemptions{Allowed: append([]string{admin, base}, in.Tenant.DeployerPrincipalArns...)}
	if len(in.Tenant.DeployerPrincipalArns) == 0 {
		ex.CallerAccount = account // the deploy's caller (access.Deployers)
	}
	return ex, admin
}

func withRequired(ex policydoc.Exemptions, required string) policydoc.Exemptions {
	ex.Required = required
	return ex
}

// orEmpty lets a missing configuration resource be read as one with no inputs.
func orEmpty(r *graph.Resource) *graph.Resource {
	if r == nil {
		return &graph.Resource{}
	}
	return r
}
