package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

func bucketVersioning(ctx context.Context, t *Target, b string) (string, error) {
	return cached(t, "ver/"+b, func() (string, error) {
		out, err := t.Clients.S3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(b)})
		if err != nil {
			return "", err
		}
		return string(out.Status), nil
	})
}

var _ = register(Check{ID: "WP-39/log-retention", Control: "WP-39", Title: "log groups keep the configured retention",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := t.Cfg.LogRetentionDays
		eachLogGroup(ctx, t, r, retentionText(want), func(name string, g logtypes.LogGroup) {
			got := int(aws.ToInt32(g.RetentionInDays))
			if got != want {
				r.Fail("log group "+name, retentionText(got), retentionText(want))
			} else {
				r.Pass("log group "+name, retentionText(got), retentionText(want))
			}
		})
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
					r.Fail(bucketRes(t, b), answered("GetObjectLockConfiguration", err), fmt.Sprintf("Object Lock %s %d days", t.Cfg.ObjectLockMode, t.Cfg.ObjectLockDays))
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
			observed, want := "versioning Enabled, deletes and rule changes denied but to the log admins and the deployers", "versioning Enabled, deletes and rule changes denied to every principal but the log-admin roles and the deployers"
			if b == t.Inv.Buckets.LogArchive {
				observed += fmt.Sprintf(", Object Lock %s %d days", t.Cfg.ObjectLockMode, t.Cfg.ObjectLockDays)
				want += fmt.Sprintf(", Object Lock %s %d days", t.Cfg.ObjectLockMode, t.Cfg.ObjectLockDays)
			}
			r.Pass(bucketRes(t, b), observed, want)
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

// retentionText says a CloudWatch Logs retention as a reader needs it: 0
// (no retention set) is "never expire", not "0 days".
func retentionText(days int) string {
	if days == 0 {
		return "never expire (no retention set)"
	}
	return fmt.Sprintf("expire after %d days", days)
}

var _ = register(Check{ID: "WP-39/access-log-copy", Control: "WP-39", Title: "the access logs replicated into the locked archive",
	Run: func(ctx context.Context, t *Target, r *Run) {
		src, archive := t.Inv.Buckets.ServiceLogs, t.Inv.Buckets.LogArchive
		if src == "" || archive == "" {
			r.Error("log buckets of "+t.Inv.Tenant, fmt.Errorf("not in the inventory"), "service-logs replicated into the log archive")
			return
		}
		want := "every object replicated into " + archive + " (its Object Lock keeps the copies), delete markers not"
		out, err := t.Clients.S3.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(src)})
		switch {
		case isCode(err, "ReplicationConfigurationNotFoundError"): // S3 API reference, GetBucketReplication
			r.Fail(bucketRes(t, src), answered("GetBucketReplication", err)+": access logs kept only where S3 cannot lock them", want)
			return
		case err != nil:
			r.Error(bucketRes(t, src), err, want)
			return
		case out.ReplicationConfiguration == nil:
			r.Error(bucketRes(t, src), fmt.Errorf("the answer holds no replication configuration"), want)
			return
		}
		var rules []expect.CopyRule
		for _, x := range out.ReplicationConfiguration.Rules {
			c := expect.CopyRule{Status: string(x.Status)}
			if x.Destination != nil {
				c.Destination = aws.ToString(x.Destination.Bucket)
			}
			if x.DeleteMarkerReplication != nil {
				c.DeleteMarkers = string(x.DeleteMarkerReplication.Status)
			}
			c.Filter = copyFilter(x)
			rules = append(rules, c)
		}
		if why := expect.CopyProblem(rules, "arn:aws:s3:::"+archive); why != "" {
			r.Fail(bucketRes(t, src), why, want)
			return
		}
		r.Pass(bucketRes(t, src), "one rule, enabled, every object into "+archive+", delete markers not replicated", want)
	}})

// copyFilter describes what narrows a replication rule, "" for every
// object: no filter, an empty one, or an empty prefix (the V1 form).
func copyFilter(x s3types.ReplicationRule) string {
	var parts []string
	if p := aws.ToString(x.Prefix); p != "" {
		parts = append(parts, "prefix "+p)
	}
	if f := x.Filter; f != nil {
		if p := aws.ToString(f.Prefix); p != "" {
			parts = append(parts, "prefix "+p)
		}
		if f.Tag != nil {
			parts = append(parts, "tag "+aws.ToString(f.Tag.Key))
		}
		if f.And != nil {
			parts = append(parts, fmt.Sprintf("prefix %q and %d tags", aws.ToString(f.And.Prefix), len(f.And.Tags)))
		}
	}
	return strings.Join(parts, ", ")
}
