package lifecycle

import (
	"github.com/tenantkit/tenantkit/internal/config"
)

// RetainedRule is the one rule for what outlives a tenant's deletion
// (§10 against §27, §39, §42): only the provider's own records of
// operating the service (API activity, access logs, operator sessions), kept for audit
// where no one can alter them, never the customer's content; each is
// listed in the deletion's evidence with where it sits, until when, and
// who disposes of it.
const RetainedRule = "What outlives the deletion deadline is the provider's own records of operating the service (API activity, access logs, operator sessions), kept for audit (§27, §39, §42) where no one can alter them, never the customer's content; each is listed here with where it sits, until when, and who disposes of it."

// Retained lists the records that outlive a tenant deleted on today:
// the tenant's log archive, and in the shared trail mode the account's
// archive and trail log group that hold the tenant's API activity; the
// operators' Session Manager sessions always. base is the region's
// baseline (nil: its defaults).
func Retained(t *config.Tenant, base *config.Baseline, today Date) []map[string]string {
	if base == nil {
		base = config.BaselineDefaults()
	}
	until := func(days int) string {
		if days == 0 {
			return "until the log administrator deletes it (no expiry)"
		}
		return today.AddDays(days).String()
	}
	out := []map[string]string{{
		"resource": "log archive bucket tk-" + t.TenantID + "-log-archive-<account>",
		"holds":    archiveHolds(t),
		"reason":   "Object Lock " + t.ObjectLockMode, "retentionEndsBy": today.AddDays(t.ObjectLockDays).String(),
		"disposal": "after the lock, deleted by the log administrator (the bucket denies every other delete)",
	}}
	if t.TrailMode != "dedicated" {
		out = append(out, map[string]string{
			"resource": "shared trail archive tk-baseline-log-archive-<account>",
			"holds":    "the account's CloudTrail records, among them the data events of the tenant's buckets and the operators' calls on its resources",
			"reason":   "Object Lock " + base.ObjectLockMode, "retentionEndsBy": today.AddDays(base.ObjectLockDays).String(),
			"disposal": "after the lock, deleted by the baseline's log administrator",
		}, map[string]string{
			"resource": "log group /tenantkit/cloudtrail",
			"holds":    "the same CloudTrail records",
			"reason":   "the account's trail log", "retentionEndsBy": until(base.LogRetentionDays),
			"disposal": "by the baseline's log administrator",
		})
	}
	out = append(out, map[string]string{
		"resource": "log group /tenantkit/sessions/" + t.TenantID,
		"holds":    "the operators' Session Manager sessions on the tenant's instances (the baseline key; the customer's content is not in it)",
		"reason":   "the operators' session log (WP-18)", "retentionEndsBy": until(0),
		"disposal": "by the baseline's log administrator",
	}, map[string]string{
		"resource": "log group /tenantkit/session-manager",
		"holds":    "the operators' earlier Session Manager sessions, those on the tenant's instances among them, from before each tenant had its own session group",
		"reason":   "the account's session log (WP-18)", "retentionEndsBy": until(base.LogRetentionDays),
		"disposal": "by the baseline's log administrator",
	})
	return out
}

func archiveHolds(t *config.Tenant) string {
	copies := "the locked copies of the tenant's load-balancer and bucket access logs (replicated from its service-logs bucket)"
	if t.TrailMode == "dedicated" {
		return "the tenant's CloudTrail records (its dedicated trail) and " + copies
	}
	return copies + "; its API records are in the account's archive (shared trail mode)"
}
