package verify

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// Bucket reads, each shared between checks. A configuration that does not
// exist is (nil, nil): the control FAILs; any other error is ERROR.

func bucketEncryption(ctx context.Context, t *Target, b string) (*s3.GetBucketEncryptionOutput, error) {
	return cached(t, "sse/"+b, func() (*s3.GetBucketEncryptionOutput, error) {
		out, err := t.Clients.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(b)})
		if isCode(err, "ServerSideEncryptionConfigurationNotFoundError") {
			return nil, nil
		}
		return out, err
	})
}

func bucketPolicyDoc(ctx context.Context, t *Target, b string) (*policydoc.Document, error) {
	return cached(t, "policy/"+b, func() (*policydoc.Document, error) {
		out, err := t.Clients.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b)})
		if isCode(err, "NoSuchBucketPolicy") {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return policydoc.Parse(aws.ToString(out.Policy))
	})
}

func bucketTags(ctx context.Context, t *Target, b string) (map[string]string, error) {
	return cached(t, "tags/"+b, func() (map[string]string, error) {
		out, err := t.Clients.S3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(b)})
		if isCode(err, "NoSuchTagSet") {
			return map[string]string{}, nil
		}
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, tg := range out.TagSet {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m, nil
	})
}

func bucketVersioning(ctx context.Context, t *Target, b string) (string, error) {
	return cached(t, "ver/"+b, func() (string, error) {
		out, err := t.Clients.S3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(b)})
		if err != nil {
			return "", err
		}
		return string(out.Status), nil
	})
}

func bucketRole(t *Target, b string) string {
	switch b {
	case t.Inv.Buckets.ServiceLogs:
		return "service-logs"
	case t.Inv.Buckets.LogArchive:
		return "log-archive"
	}
	return "data"
}

func bucketRes(t *Target, b string) string { return "bucket " + b + " (" + bucketRole(t, b) + ")" }

var _ = register(Check{ID: "WP-21.1/bucket-encryption", Control: "WP-21.1", Title: "buckets encrypted with the tenant key (service logs: SSE-S3)",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			out, err := bucketEncryption(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "default encryption")
				continue
			}
			if out == nil || out.ServerSideEncryptionConfiguration == nil || len(out.ServerSideEncryptionConfiguration.Rules) == 0 {
				r.Fail(bucketRes(t, b), "no default encryption", "SSE-KMS with the tenant key")
				continue
			}
			rule := out.ServerSideEncryptionConfiguration.Rules[0]
			def := rule.ApplyServerSideEncryptionByDefault
			if def == nil {
				r.Fail(bucketRes(t, b), "no default encryption", "SSE-KMS with the tenant key")
				continue
			}
			algo, key := string(def.SSEAlgorithm), aws.ToString(def.KMSMasterKeyID)
			want := t.Inv.KeyArn
			if b == t.Inv.Buckets.LogArchive && t.Inv.ArchiveKeyArn != "" {
				want = t.Inv.ArchiveKeyArn // outlives the tenant key
			}
			switch {
			case b == t.Inv.Buckets.ServiceLogs:
				if def.SSEAlgorithm != s3types.ServerSideEncryptionAes256 {
					r.Fail(bucketRes(t, b), algo, "SSE-S3 (AES256): ALB and S3 access logs are delivered to nothing else")
				} else {
					r.Pass(bucketRes(t, b), "AES256")
				}
			case def.SSEAlgorithm != s3types.ServerSideEncryptionAwsKms && def.SSEAlgorithm != s3types.ServerSideEncryptionAwsKmsDsse:
				r.Fail(bucketRes(t, b), algo, "aws:kms with "+want)
			case !aws.ToBool(rule.BucketKeyEnabled):
				r.Fail(bucketRes(t, b), "bucket key off", "bucket key enabled")
			default:
				// S3 returns the key as it was written: an ARN, a key id or an
				// alias (S3 API reference, ServerSideEncryptionByDefault).
				keyVerdict(ctx, t, r, bucketRes(t, b), key, want, algo+" "+want+" bucket key")
			}
		}
	}})

var _ = register(Check{ID: "WP-21.1/public-access-block", Control: "WP-21.1", Title: "every bucket blocks public access (all four flags)",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			out, err := t.Clients.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(b)})
			if isCode(err, "NoSuchPublicAccessBlockConfiguration") {
				r.Fail(bucketRes(t, b), "no public access block", "all four flags on")
				continue
			}
			if err != nil {
				r.Error(bucketRes(t, b), err, "all four flags on")
				continue
			}
			c := out.PublicAccessBlockConfiguration
			if c == nil || !aws.ToBool(c.BlockPublicAcls) || !aws.ToBool(c.BlockPublicPolicy) || !aws.ToBool(c.IgnorePublicAcls) || !aws.ToBool(c.RestrictPublicBuckets) {
				r.Fail(bucketRes(t, b), fmt.Sprintf("%+v", pabString(c)), "all four flags on")
			} else {
				r.Pass(bucketRes(t, b), "all four flags on")
			}
		}
	}})

func pabString(c *s3types.PublicAccessBlockConfiguration) string {
	if c == nil {
		return "none"
	}
	return fmt.Sprintf("BlockPublicAcls=%v BlockPublicPolicy=%v IgnorePublicAcls=%v RestrictPublicBuckets=%v",
		aws.ToBool(c.BlockPublicAcls), aws.ToBool(c.BlockPublicPolicy), aws.ToBool(c.IgnorePublicAcls), aws.ToBool(c.RestrictPublicBuckets))
}

// readKey describes the tenant key once.
func readKey(ctx context.Context, t *Target) (*kmstypes.KeyMetadata, error) {
	return cached(t, "key", func() (*kmstypes.KeyMetadata, error) {
		return describeKey(ctx, t.Clients.KMS, t.Inv.KeyArn)
	})
}

// errEmpty is an answer that lacks what it must carry: an ERROR, never a
// verdict (an empty HTTP 200 from a proxy or a broken emulator).
func errEmpty(call, field string) error {
	return fmt.Errorf("%s answered without %s", call, field)
}

var _ = register(Check{ID: "WP-21.1/key-rotation", Control: "WP-21.1", Title: "the tenant key rotates",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.KMS.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(t.Inv.KeyArn)})
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "rotation enabled")
			return
		}
		if !out.KeyRotationEnabled {
			r.Fail("key "+t.Inv.KeyArn, "rotation off", "rotation enabled")
			return
		}
		if out.RotationPeriodInDays == nil {
			// AWS answers every rotating key with its period
			// (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html);
			// an answer without it proves nothing about the period.
			r.Error("key "+t.Inv.KeyArn, fmt.Errorf("rotation on, but the answer names no RotationPeriodInDays"), fmt.Sprintf("rotation every %d days (keyRotationDays)", t.Cfg.KeyRotationDays))
			return
		}
		if got := int(aws.ToInt32(out.RotationPeriodInDays)); got != t.Cfg.KeyRotationDays {
			r.Fail("key "+t.Inv.KeyArn, fmt.Sprintf("rotation every %d days", got), fmt.Sprintf("rotation every %d days (keyRotationDays)", t.Cfg.KeyRotationDays))
			return
		}
		r.Pass("key "+t.Inv.KeyArn, fmt.Sprintf("rotation every %d days", aws.ToInt32(out.RotationPeriodInDays)))
	}})

// tenantLogGroups reads the tenant's log groups: the inventory's, by
// prefix, in as few calls as the API allows (one per prefix and page).
func tenantLogGroups(ctx context.Context, t *Target) (map[string]logtypes.LogGroup, error) {
	return cached(t, "loggroups", func() (map[string]logtypes.LogGroup, error) {
		// One call per directory: /tenants/<id>/ holds most of them.
		prefixes := map[string]bool{}
		for _, g := range t.Inv.LogGroups {
			prefixes[g[:strings.LastIndex(g, "/")+1]] = true
		}
		found := map[string]logtypes.LogGroup{}
		for p := range prefixes {
			pg := cloudwatchlogs.NewDescribeLogGroupsPaginator(t.Clients.Logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(p)})
			for pg.HasMorePages() {
				page, err := pg.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, g := range page.LogGroups {
					found[aws.ToString(g.LogGroupName)] = g
				}
			}
		}
		return found, nil
	})
}

// eachLogGroup runs fn on every inventory log group, ERROR for a missing one.
func eachLogGroup(ctx context.Context, t *Target, r *Run, expected string, fn func(name string, g logtypes.LogGroup)) {
	groups, err := tenantLogGroups(ctx, t)
	if err != nil {
		r.Error("log groups of "+t.Inv.Tenant, err, expected)
		return
	}
	for _, name := range t.Inv.LogGroups {
		g, ok := groups[name]
		if !ok {
			r.Error("log group "+name, fmt.Errorf("not found"), expected)
			continue
		}
		fn(name, g)
	}
}

var _ = register(Check{ID: "WP-21.1/log-group-keys", Control: "WP-21.1", Title: "log groups encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		eachLogGroup(ctx, t, r, "encrypted with "+t.Inv.KeyArn, func(name string, g logtypes.LogGroup) {
			keyVerdict(ctx, t, r, "log group "+name, aws.ToString(g.KmsKeyId), t.Inv.KeyArn, "key "+t.Inv.KeyArn)
		})
	}})

var _ = register(Check{ID: "WP-39/log-retention", Control: "WP-39", Title: "log groups keep the configured retention",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := t.Cfg.LogRetentionDays
		eachLogGroup(ctx, t, r, fmt.Sprintf("retention %d days", want), func(name string, g logtypes.LogGroup) {
			got := int(aws.ToInt32(g.RetentionInDays))
			if got != want {
				r.Fail("log group "+name, fmt.Sprintf("retention %d days", got), fmt.Sprintf("retention %d days (0: never expire)", want))
			} else {
				r.Pass("log group "+name, fmt.Sprintf("retention %d days", got))
			}
		})
	}})

var _ = register(Check{ID: "WP-21.2/bucket-tls", Control: "WP-21.2", Title: "buckets deny non-TLS and TLS below 1.2",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			doc, err := bucketPolicyDoc(ctx, t, b)
			switch {
			case err != nil:
				r.Error(bucketRes(t, b), err, "a TLS-only bucket policy")
			default:
				// One verdict with the plan rule (policydoc).
				if why := doc.TransportDenyProblem(); why != "" {
					r.Fail(bucketRes(t, b), why, "reads denied without TLS and below TLS 1.2")
				} else {
					r.Pass(bucketRes(t, b), "TLS 1.2+ only")
				}
			}
		}
	}})

var _ = register(Check{ID: "WP-17/bucket-policies", Control: "WP-17", Title: "no open principals; other tenants denied; data only through the tenant's endpoint or roles",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			doc, err := bucketPolicyDoc(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "a policy scoped to the tenant")
				continue
			}
			if doc == nil {
				r.Fail(bucketRes(t, b), "no bucket policy", "a policy scoped to the tenant")
				continue
			}
			bad := false
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && slices.Contains(st.Principals("AWS"), "*") && len(st.Condition) == 0 {
					r.Fail(bucketRes(t, b), "statement "+st.Sid+" allows * without a condition", "principals restricted to the tenant")
					bad = true
				}
			}
			if !doc.DeniesOtherTenants(t.Inv.Tenant) {
				r.Fail(bucketRes(t, b), "no deny of the other tenants' roles (ArnLike role/tenants/*, ArnNotLike role/tenants/"+t.Inv.Tenant+"/*)", "every other tenant's role refused, whatever its IAM policies")
				bad = true
			}
			if bucketRole(t, b) == "data" {
				ok := false
				for _, st := range doc.Statement {
					if st.Effect == "Deny" && slices.Contains(st.ConditionValues("StringNotEquals", "aws:SourceVpce"), t.Inv.S3EndpointID) {
						ok = true
					}
				}
				if !ok {
					r.Fail(bucketRes(t, b), "no deny outside aws:SourceVpce "+t.Inv.S3EndpointID, "data reached only through the tenant's endpoint or roles")
					bad = true
				}
			}
			if !bad {
				r.Pass(bucketRes(t, b), "scoped to the tenant")
			}
		}
	}})

var _ = register(Check{ID: "WP-22/lifecycle", Control: "WP-22", Title: "noncurrent object versions expire",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			out, err := t.Clients.S3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(b)})
			if isCode(err, "NoSuchLifecycleConfiguration") {
				r.Fail(bucketRes(t, b), "no lifecycle", "an enabled rule expiring noncurrent versions")
				continue
			}
			if err != nil {
				r.Error(bucketRes(t, b), err, "an enabled rule expiring noncurrent versions")
				continue
			}
			ok := false
			for _, rule := range out.Rules {
				if rule.Status == s3types.ExpirationStatusEnabled && rule.NoncurrentVersionExpiration != nil && aws.ToInt32(rule.NoncurrentVersionExpiration.NoncurrentDays) > 0 {
					ok = true
				}
			}
			if ok {
				r.Pass(bucketRes(t, b), "noncurrent versions expire")
			} else {
				r.Fail(bucketRes(t, b), fmt.Sprintf("%d rules, none expiring noncurrent versions", len(out.Rules)), "an enabled rule expiring noncurrent versions")
			}
		}
	}})

var _ = register(Check{ID: "WP-22/key-state", Control: "WP-22", Title: "the key is usable while active; pending deletion by the deadline after offboarding",
	Run: func(ctx context.Context, t *Target, r *Run) {
		md, err := readKey(ctx, t)
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "the tenant key")
			return
		}
		state := string(md.KeyState)
		if t.Cfg.Lifecycle.State == config.StateDeleting || t.Cfg.Lifecycle.State == config.StateDeleted {
			if md.KeyState != kmstypes.KeyStatePendingDeletion || md.DeletionDate == nil {
				r.Fail("key "+t.Inv.KeyArn, state, "PendingDeletion with a date by "+t.Cfg.Lifecycle.DeleteBy)
			} else if d := md.DeletionDate.In(jst).Format("2006-01-02"); d > t.Cfg.Lifecycle.DeleteBy {
				r.Fail("key "+t.Inv.KeyArn, "deleted on "+d, "deleted by "+t.Cfg.Lifecycle.DeleteBy)
			} else {
				r.Pass("key "+t.Inv.KeyArn, "PendingDeletion, deleted on "+d)
			}
			return
		}
		if md.KeyState != kmstypes.KeyStateEnabled {
			r.Fail("key "+t.Inv.KeyArn, state, "Enabled while the tenant is "+t.Cfg.Lifecycle.State)
		} else {
			r.Pass("key "+t.Inv.KeyArn, state)
		}
	}})

var _ = register(Check{ID: "WP-27/bucket-logs", Control: "WP-27", Title: "bucket access logs to the service-logs bucket",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			if b == t.Inv.Buckets.ServiceLogs {
				continue // the target cannot log to itself
			}
			out, err := t.Clients.S3.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String(b)})
			if err != nil {
				r.Error(bucketRes(t, b), err, "access logs to "+t.Inv.Buckets.ServiceLogs)
				continue
			}
			if out.LoggingEnabled == nil || aws.ToString(out.LoggingEnabled.TargetBucket) != t.Inv.Buckets.ServiceLogs {
				target := "off"
				if out.LoggingEnabled != nil {
					target = "to " + aws.ToString(out.LoggingEnabled.TargetBucket)
				}
				r.Fail(bucketRes(t, b), "access logs "+target, "access logs to "+t.Inv.Buckets.ServiceLogs)
			} else {
				r.Pass(bucketRes(t, b), "access logs to "+t.Inv.Buckets.ServiceLogs)
			}
		}
	}})

var _ = register(Check{ID: "WP-39/log-buckets", Control: "WP-39", Title: "log buckets versioned, deletes denied, the archive under Object Lock",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range []string{t.Inv.Buckets.ServiceLogs, t.Inv.Buckets.LogArchive} {
			if b == "" {
				r.Error("log buckets of "+t.Inv.Tenant, fmt.Errorf("not in the inventory"), "service-logs and log-archive buckets")
				continue
			}
			v, err := bucketVersioning(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "versioning Enabled")
				continue
			}
			if v != "Enabled" {
				r.Fail(bucketRes(t, b), "versioning "+v, "versioning Enabled")
				continue
			}
			doc, err := bucketPolicyDoc(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "deletes denied except to the log-admin role")
				continue
			}
			deleting := t.Cfg.Deleting() && b == t.Inv.Buckets.ServiceLogs
			if !deleting {
				if why := deleteDenyProblem(t, doc, b); why != "" {
					r.Fail(bucketRes(t, b), why, "deletes denied to every principal but the log-admin roles and the deployers")
					continue
				}
			}
			if why := configDenyProblem(t, doc, b); why != "" {
				r.Fail(bucketRes(t, b), why, "policy, lifecycle, versioning, encryption and Object Lock changes denied to every principal but the log-admin roles and the deployers")
				continue
			}
			if b == t.Inv.Buckets.LogArchive {
				out, err := t.Clients.S3.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(b)})
				if isCode(err, "ObjectLockConfigurationNotFoundError") {
					r.Fail(bucketRes(t, b), "no Object Lock", fmt.Sprintf("Object Lock %s %d days", t.Cfg.ObjectLockMode, t.Cfg.ObjectLockDays))
					continue
				}
				if err != nil {
					r.Error(bucketRes(t, b), err, "Object Lock")
					continue
				}
				c := out.ObjectLockConfiguration
				var mode string
				var days int32
				if c != nil && c.Rule != nil && c.Rule.DefaultRetention != nil {
					mode, days = string(c.Rule.DefaultRetention.Mode), aws.ToInt32(c.Rule.DefaultRetention.Days)
				}
				if c == nil || c.ObjectLockEnabled != s3types.ObjectLockEnabledEnabled || mode != t.Cfg.ObjectLockMode || int(days) != t.Cfg.ObjectLockDays {
					r.Fail(bucketRes(t, b), fmt.Sprintf("Object Lock %s %d days", mode, days), fmt.Sprintf("Object Lock %s %d days", t.Cfg.ObjectLockMode, t.Cfg.ObjectLockDays))
					continue
				}
			}
			r.Pass(bucketRes(t, b), "versioned, deletes and rule changes denied")
		}
	}})

// deleteDenyProblem: the delete deny as the plan rule judges it
// (policydoc.ExemptDenyProblem), the tenant's log-admin role among the
// exempted.
func deleteDenyProblem(t *Target, doc *policydoc.Document, bucket string) string {
	return doc.ExemptDenyProblem([]string{"s3:DeleteObject", "s3:DeleteObjectVersion"}, "arn:aws:s3:::"+bucket+"/*", exemptions(t, t.Inv.Roles["logAdmin"]), "deletes")
}

// configDenyProblem: the same for the deny of the changes that would
// destroy records without deleting one (config.LogConfigCoreActions): the
// policy itself, lifecycle, versioning, encryption, Object Lock.
func configDenyProblem(t *Target, doc *policydoc.Document, bucket string) string {
	return doc.ExemptDenyProblem(config.LogConfigCoreActions, "arn:aws:s3:::"+bucket, exemptions(t, ""), "configuration changes")
}

// exemptions: the log-admin roles and the deployers, or the deploy's
// caller when the stack names none (Inventory.DeployerFromCaller).
func exemptions(t *Target, required string) policydoc.Exemptions {
	ex := policydoc.Exemptions{Allowed: exemptPrincipals(t), Required: required}
	if t.Inv.DeployerFromCaller {
		ex.CallerAccount = t.Inv.AccountID
	}
	return ex
}

// exemptPrincipals are the principals a log bucket's denies may exempt.
func exemptPrincipals(t *Target) []string {
	out := []string{t.Inv.Roles["logAdmin"], config.BaselineLogAdminArn(t.Inv.AccountID)}
	return append(out, t.Inv.Deployers...)
}

// labelled reads the tags the tenant's stores carry: buckets and log groups.
var _ = register(Check{ID: "WP-12/labels", Control: "WP-12", Title: "every data store carries a valid DataClassification",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			tags, err := bucketTags(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "DataClassification tag")
				continue
			}
			label(r, bucketRes(t, b), tags["DataClassification"])
		}
		eachLogGroup(ctx, t, r, "DataClassification tag", func(name string, g logtypes.LogGroup) {
			tags, err := logGroupTags(ctx, t, g)
			if err != nil {
				r.Error("log group "+name, err, "DataClassification tag")
				return
			}
			label(r, "log group "+name, tags["DataClassification"])
		})
	}})

func label(r *Run, res, v string) {
	if slices.Contains(config.Classifications, v) {
		r.Pass(res, "DataClassification="+v)
	} else {
		r.Fail(res, fmt.Sprintf("DataClassification=%q", v), "public, personal or confidential")
	}
}

func logGroupTags(ctx context.Context, t *Target, g logtypes.LogGroup) (map[string]string, error) {
	arn := strings.TrimSuffix(aws.ToString(g.Arn), ":*")
	return cached(t, "lgtags/"+arn, func() (map[string]string, error) {
		out, err := t.Clients.Logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		return out.Tags, nil
	})
}

// WP-11: the stores and the network carry the tenant's three tags.
var _ = register(Check{ID: "WP-11/tags", Control: "WP-11", Title: "Tenant, ManagedBy and Environment on the tenant's resources",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := map[string]string{"Tenant": t.Inv.Tenant, "ManagedBy": "tenantkit", "Environment": t.Cfg.Environment}
		check := func(res string, got map[string]string) {
			for k, v := range want {
				if got[k] != v {
					r.Fail(res, fmt.Sprintf("%s=%q", k, got[k]), k+"="+v)
					return
				}
			}
			r.Pass(res, "Tenant, ManagedBy, Environment")
		}
		for _, b := range t.Inv.AllBuckets() {
			if tags, err := bucketTags(ctx, t, b); err != nil {
				r.Error(bucketRes(t, b), err, "the tenant's tags")
			} else {
				check(bucketRes(t, b), tags)
			}
		}
		kt, err := t.Clients.KMS.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(t.Inv.KeyArn)})
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "the tenant's tags")
		} else {
			m := map[string]string{}
			for _, tg := range kt.Tags {
				m[aws.ToString(tg.TagKey)] = aws.ToString(tg.TagValue)
			}
			check("key "+t.Inv.KeyArn, m)
		}
		if v, err := tenantVpc(ctx, t); err != nil {
			r.Error("VPC "+t.Inv.VpcID, err, "the tenant's tags")
		} else {
			m := map[string]string{}
			for _, tg := range v.Tags {
				m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
			}
			check("VPC "+t.Inv.VpcID, m)
		}
		eachLogGroup(ctx, t, r, "the tenant's tags", func(name string, g logtypes.LogGroup) {
			if tags, err := logGroupTags(ctx, t, g); err != nil {
				r.Error("log group "+name, err, "the tenant's tags")
			} else {
				check("log group "+name, tags)
			}
		})
	}})

// WP-11, the other half: everything the tagging API finds under the
// tenant's tag is managed by the tenant's stack (ManagedBy and Environment
// too: a resource tagged by hand is "extra"), and the inventory's
// resources are all among it (nothing missing).
var _ = register(Check{ID: "WP-11/sweep", Control: "WP-11", Title: "what carries the tenant's tag is the stack's, and the stack's carries it",
	Run: func(ctx context.Context, t *Target, r *Run) {
		found := map[string]map[string]string{}
		p := resourcegroupstaggingapi.NewGetResourcesPaginator(t.Clients.Tagging, &resourcegroupstaggingapi.GetResourcesInput{
			TagFilters: []taggingtypes.TagFilter{{Key: aws.String("Tenant"), Values: []string{t.Inv.Tenant}}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.Error("resources tagged Tenant="+t.Inv.Tenant, err, "the stack's resources, and only them")
				return
			}
			for _, m := range page.ResourceTagMappingList {
				tags := map[string]string{}
				for _, tg := range m.Tags {
					tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
				}
				if tags["Tenant"] == t.Inv.Tenant { // re-checked, whatever the filter did
					found[aws.ToString(m.ResourceARN)] = tags
				}
			}
		}
		extra := 0
		for arn, tags := range found {
			if tags["ManagedBy"] != "tenantkit" || tags["Environment"] != t.Cfg.Environment {
				r.Fail(arn, fmt.Sprintf("tagged Tenant=%s but ManagedBy=%q Environment=%q", t.Inv.Tenant, tags["ManagedBy"], tags["Environment"]), "only the stack's resources carry the tenant's tag")
				extra++
			}
		}
		missing := 0
		for _, arn := range inventoryArns(t) {
			if _, ok := found[arn]; !ok {
				r.Fail(arn, "not found under Tenant="+t.Inv.Tenant, "the inventory's resource tagged")
				missing++
			}
		}
		if extra == 0 && missing == 0 {
			r.Pass("tenant "+t.Inv.Tenant, fmt.Sprintf("%d resources tagged, all the stack's; the inventory's all among them", len(found)))
		}
	}})

// inventoryArns are the inventory's resources the tagging API names by ARN.
func inventoryArns(t *Target) []string {
	var out []string
	add := func(arn string) {
		if arn != "" {
			out = append(out, arn)
		}
	}
	add(t.Inv.KeyArn)
	for _, b := range t.Inv.AllBuckets() {
		add("arn:aws:s3:::" + b)
	}
	add(t.Inv.TopicArn)
	add(t.Inv.LoadBalancerArn)
	add(fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", t.Inv.Region, t.Inv.AccountID, t.Inv.VpcID))
	if t.Inv.Database.Enabled {
		add(t.Inv.Database.Arn)
	}
	return out
}

// WP-07: where the data lives.
var _ = register(Check{ID: "WP-07/regions", Control: "WP-07", Title: "buckets, key, log groups and trail in the allowed regions",
	Run: func(ctx context.Context, t *Target, r *Run) {
		allowed := []string{config.RegionTokyo}
		if t.Cfg.DisasterRecovery {
			allowed = append(allowed, config.RegionOsaka)
		}
		in := func(res, region string) {
			if slices.Contains(allowed, region) {
				r.Pass(res, region)
			} else {
				r.Fail(res, fmt.Sprintf("region %q", region), strings.Join(allowed, " or "))
			}
		}
		for _, b := range t.Inv.AllBuckets() {
			out, err := t.Clients.S3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b)})
			if err != nil {
				r.Error(bucketRes(t, b), err, "a bucket in "+strings.Join(allowed, " or "))
				continue
			}
			region := string(out.LocationConstraint)
			if region == "" {
				region = "us-east-1" // S3 reports us-east-1 as an empty constraint
			}
			in(bucketRes(t, b), region)
		}
		if md, err := readKey(ctx, t); err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "a key in "+strings.Join(allowed, " or "))
		} else {
			in("key "+aws.ToString(md.Arn), arnRegion(aws.ToString(md.Arn)))
		}
		eachLogGroup(ctx, t, r, "log groups in "+strings.Join(allowed, " or "), func(name string, g logtypes.LogGroup) {
			in("log group "+name, arnRegion(aws.ToString(g.Arn)))
		})
		if trail, err := readTrail(ctx, t); err != nil {
			r.Error("trail "+t.Inv.Trail.Arn, err, "a trail homed in "+strings.Join(allowed, " or "))
		} else if trail != nil {
			in("trail "+t.Inv.Trail.Arn, aws.ToString(trail.HomeRegion))
		}
	}})

func arnRegion(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}

// unescape decodes an IAM policy document (IAM returns them URL-encoded).
func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
