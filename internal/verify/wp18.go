package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-18/no-ssh-rdp", Control: "WP-18", Title: "no security-group rule opens 22 or 3389",
	Run: func(ctx context.Context, t *Target, r *Run) {
		judgeIngress(ctx, t, r, "no rule open to 22 or 3389 (shell access through Session Manager only)", func(p ec2types.IpPermission) (want []string) {
			for _, port := range ingressOf(t, p).ShellPortsOpened() {
				want = append(want, fmt.Sprintf("nothing open to %d (shell access through Session Manager only)", port))
			}
			return want
		})
	}})

// WP-18/session-logging: a session to a tenant host can start and is
// logged where the tenant's sessions are kept, and a session that names no
// tenant document cannot start (baseline.SessionPreferences). Four reads:
// the account's default preferences; the tenant's document; its log group
// (the agent refuses a session unless the group is KMS-encrypted; the
// group is the operators' record, under the baseline key); the instance
// role's inline policies, judged call by call
// (expect.SessionGrants) the way tests/iameval shows an IAM evaluator
// written by others judges them.
var _ = register(Check{ID: "WP-18/session-logging", Control: "WP-18", Title: "Session Manager sessions start only logged, to the tenant's encrypted group",
	Run: func(ctx context.Context, t *Target, r *Run) {
		defaultPreferences(ctx, t, r)
		tenantDocument(ctx, t, r)
		sessionGroup(ctx, t, r)
		sessionGrants(ctx, t, r)
	}})

func defaultPreferences(ctx context.Context, t *Target, r *Run) {
	const res = "SSM-SessionManagerRunShell"
	type prefs struct {
		out     *ssm.GetDocumentOutput
		missing error // InvalidDocument: no preferences saved, sessions not logged
	}
	read, err := accountWide(t, "session-prefs", func() (prefs, error) {
		out, err := t.Clients.SSM.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String(res)})
		if isCode(err, "InvalidDocument") {
			return prefs{missing: err}, nil
		}
		return prefs{out: out}, err
	})
	out := read.out
	want := fmt.Sprintf("cloudWatchLogGroupName %s, cloudWatchEncryptionEnabled true, kmsKeyId %s (the baseline key: no tenant host may use it, so a session naming no tenant document is refused)", expect.SessionLogGroup, t.Inv.ArchiveKeyArn)
	switch {
	case err != nil:
		r.Error(res, err, want)
		return
	case read.missing != nil:
		r.Fail(res, answered("GetDocument", read.missing)+": no Session Manager preferences in the account", want)
		return
	case out == nil:
		r.Error(res, errEmpty("ssm:GetDocument", "Content"), want)
		return
	}
	p, err := awsdocs.SessionLogging(aws.ToString(out.Content))
	switch {
	case err != nil:
		r.Fail(res, "unreadable preferences: "+err.Error(), want)
	case p.Group != expect.SessionLogGroup || !p.Encrypted || p.KmsKeyID != t.Inv.ArchiveKeyArn:
		r.Fail(res, fmt.Sprintf("cloudWatchLogGroupName %q, cloudWatchEncryptionEnabled %v, kmsKeyId %q", p.Group, p.Encrypted, p.KmsKeyID), want)
	default:
		r.Pass(res, fmt.Sprintf("cloudWatchLogGroupName %s, cloudWatchEncryptionEnabled %v, kmsKeyId %s", p.Group, p.Encrypted, p.KmsKeyID), want)
	}
}

func tenantDocument(ctx context.Context, t *Target, r *Run) {
	name, group := expect.SessionDocument(t.Inv.Tenant), expect.TenantSessionLogGroup(t.Inv.Tenant)
	want := fmt.Sprintf("cloudWatchLogGroupName %s, cloudWatchEncryptionEnabled true, kmsKeyId %s (the tenant key)", group, t.Inv.KeyArn)
	out, err := t.Clients.SSM.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String(name)})
	switch {
	case isCode(err, "InvalidDocument"):
		r.Fail(name, answered("GetDocument", err)+": the tenant's hosts cannot hold a logged session", want)
		return
	case err != nil:
		r.Error(name, err, want)
		return
	}
	p, err := awsdocs.SessionLogging(aws.ToString(out.Content))
	switch {
	case err != nil:
		r.Fail(name, "unreadable document: "+err.Error(), want)
	case p.Group != group || !p.Encrypted || p.KmsKeyID != t.Inv.KeyArn:
		r.Fail(name, fmt.Sprintf("cloudWatchLogGroupName %q, cloudWatchEncryptionEnabled %v, kmsKeyId %q", p.Group, p.Encrypted, p.KmsKeyID), want)
	default:
		r.Pass(name, fmt.Sprintf("cloudWatchLogGroupName %s, cloudWatchEncryptionEnabled %v, kmsKeyId %s", p.Group, p.Encrypted, p.KmsKeyID), want)
	}
}

// sessionGroup: the group exists, encrypted with the baseline key (the
// agent refuses a session otherwise; the key outlives the tenant as the
// record does).
func sessionGroup(ctx context.Context, t *Target, r *Run) {
	group := expect.TenantSessionLogGroup(t.Inv.Tenant)
	want := "the group, encrypted with the baseline key " + t.Inv.ArchiveKeyArn
	groups, err := tenantLogGroups(ctx, t)
	if err != nil {
		r.Error(group, err, want)
		return
	}
	if g, ok := groups[group]; ok {
		k := aws.ToString(g.KmsKeyId)
		if k != t.Inv.ArchiveKeyArn {
			r.Fail(group, fmt.Sprintf("kmsKeyId %q", k), want)
			return
		}
		r.Pass(group, "kmsKeyId "+k, want)
		return
	}
	r.Fail(group, notAmong(len(groups), "log groups", "DescribeLogGroups")+": no session can start (the agent refuses a group it cannot find encrypted)", want)
}

// sessionGrants: the instance role may make every call the agent makes
// for a logged session.
func sessionGrants(ctx context.Context, t *Target, r *Run) {
	role := expect.InstanceRoleName(t.Inv.Tenant)
	res := "role " + expect.RolePath(t.Inv.Tenant) + role
	policies, err := inlinePolicies(ctx, t, role)
	if err != nil {
		r.Error(res, err, "the instance role granted what a logged session needs")
		return
	}
	for _, g := range expect.SessionGrants(t.Inv.Region, t.Inv.AccountID, t.Inv.Tenant, t.Inv.KeyArn) {
		want := fmt.Sprintf("%s on %s granted (%s)", g.Action, g.Resource, g.Why)
		var by []string
		for _, p := range policies {
			if p.doc.Grants(g.Action, g.Resource) {
				by = append(by, p.name)
			}
		}
		if len(by) == 0 {
			r.Fail(res, fmt.Sprintf("%s on %s: no inline policy grants it", g.Action, g.Resource), want)
			continue
		}
		r.Pass(res, fmt.Sprintf("%s on %s granted by %s", g.Action, g.Resource, strings.Join(by, ", ")), want)
	}
}
