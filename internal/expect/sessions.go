package expect

import (
	"fmt"
	"strings"
)

// Sessions (WP-18): each tenant's hosts hold Session Manager sessions only
// through the tenant's own preferences document, which streams them to the
// tenant's own log group with session data under the tenant's key. The
// group is the provider's record of operating the tenant (operators'
// sessions), so it is the account's: /tenantkit/sessions/<tenant>, under the
// baseline key, kept when the tenant is deleted (lifecycle.Retained), as
// the baseline's session group was before each tenant had its own.

// SessionDocument names a tenant's Session Manager document: operators
// start a session with --document-name SessionDocument(tenant).
func SessionDocument(tenantID string) string { return "tk-" + tenantID + "-session" }

// TenantSessionLogGroup is where a tenant's sessions are logged (the
// instance role's grant names it exactly, and ":*" after it: no other
// tenant's group, acme-corp's included, matches acme's).
func TenantSessionLogGroup(tenantID string) string { return "/tenantkit/sessions/" + tenantID }

// Grant is one call a principal must be allowed.
type Grant struct{ Action, Resource, Why string }

// SessionGrants are the calls a tenant's instance role makes for a session
// to start and be logged, on the resources it makes them on:
//   - the agent finds the group and checks that it is KMS-encrypted with
//     DescribeLogGroups, which IAM scopes to no resource, and refuses the
//     session when it cannot (amazon-ssm-agent agent/session/shell/shell.go,
//     validate; Session Manager user guide, "Create a custom IAM role for
//     Session Manager": logs:DescribeLogGroups on *);
//   - it creates the session's stream, finds it and writes to it (the same
//     page: CreateLogStream, PutLogEvents, DescribeLogStreams on the group);
//   - it decrypts the session's data key with the document's KMS key, or
//     the handshake fails ("Turn on KMS key encryption of session data").
func SessionGrants(region, account, tenantID, keyArn string) []Grant {
	group := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, account, TenantSessionLogGroup(tenantID))
	stream := group + ":log-stream:operator-0123456789abcdef0"
	return []Grant{
		{"logs:DescribeLogGroups", "*", "find the session log group and check its encryption"},
		{"logs:DescribeLogStreams", group, "find the session's stream"},
		{"logs:CreateLogStream", stream, "open the session's stream"},
		{"logs:PutLogEvents", stream, "write the session"},
		{"kms:Decrypt", keyArn, "decrypt the session's data key"},
	}
}

// OutlivesTheStack says whether a resource still tagged with the tenant
// after its stack is destroyed is one the deletion keeps on purpose: the
// log archive (Object Lock), the keys (scheduled for deletion by the
// deadline) and the operators' session group (lifecycle.Retained).
func OutlivesTheStack(tenantID, arn string) bool {
	return strings.Contains(arn, ":::"+BucketName(tenantID, RoleLogArchive, "")) ||
		strings.Contains(arn, ":key/") ||
		strings.HasSuffix(arn, ":log-group:"+TenantSessionLogGroup(tenantID)) ||
		strings.HasSuffix(arn, ":log-group:"+TenantSessionLogGroup(tenantID)+":*")
}
