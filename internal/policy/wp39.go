package policy

import (
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

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
			accessLogCopy(in, e)
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
	account := accountOfBucket(bucket)
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

// accountOfBucket is the account in a tenantkit bucket's name
// (tk-<tenant>-<kind>-<account>, storage.BucketName).
func accountOfBucket(name string) string { return name[strings.LastIndex(name, "-")+1:] }

func withRequired(ex policydoc.Exemptions, required string) policydoc.Exemptions {
	ex.Required = required
	return ex
}

// accessLogCopy: the service-logs bucket, which S3 will not lock, replicates
// every object into the tenant's archive, whose default retention locks the
// copies (components/logging/copies.go).
func accessLogCopy(in *Input, e *Eval) {
	var serviceLogs, archive string
	for _, b := range in.Graph.OfType(tBucket) {
		name, _ := b.String("bucket")
		switch bucketRole(b) {
		case roleServiceLogs:
			serviceLogs = name
		case roleLogArchive:
			archive = name
		}
	}
	if serviceLogs == "" || archive == "" {
		return // judged above: no archive is a failure of its own
	}
	want := "every object replicated into " + archive + " (its Object Lock keeps the copies), delete markers not"
	for _, r := range in.Graph.OfType(tReplication) {
		if b, _ := r.String("bucket"); b != serviceLogs {
			continue
		}
		if why := copyRuleProblem(r, "arn:aws:s3:::"+archive); why != "" {
			e.Fail(label(r), why, want)
		} else {
			e.Applies()
		}
		return
	}
	e.Fail(serviceLogs, "no replication: access logs kept only where S3 cannot lock them", want)
}

// copyRuleProblem reads the program's rules for logging.CopyProblem, the
// judgment the live check makes too (verify, WP-39/access-log-copy).
func copyRuleProblem(r *graph.Resource, archiveArn string) string {
	raw, _ := r.Get("rules").([]any)
	rules := make([]expect.CopyRule, 0, len(raw))
	for _, x := range raw {
		rule, _ := x.(map[string]any)
		dest, _ := rule["destination"].(map[string]any)
		dm, _ := rule["deleteMarkerReplication"].(map[string]any)
		c := expect.CopyRule{Status: fmt.Sprint(rule["status"]), Destination: fmt.Sprint(dest["bucket"]), DeleteMarkers: fmt.Sprint(dm["status"])}
		if f, _ := rule["filter"].(map[string]any); len(f) != 0 {
			c.Filter = fmt.Sprint(f)
		}
		rules = append(rules, c)
	}
	return expect.CopyProblem(rules, archiveArn)
}
