package verify

import (
	"context"
	"fmt"
	"strings"

	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// WP-17: access restricted to the tenant's own resources. Each document
// is judged by the plan rule's own verdict (policydoc), read back.

var _ = register(Check{ID: "WP-17/bucket-policies", Control: "WP-17", Title: "no open principals; other tenants denied; data only through the tenant's endpoint or roles",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			data := bucketRole(t, b) == "data"
			want := "principals restricted to the tenant, every other tenant's role denied"
			if data {
				want += ", data only through " + t.Inv.S3EndpointID + " or the tenant's roles"
			}
			doc, err := bucketPolicyDoc(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, want)
				continue
			}
			if ps := doc.BucketScopeProblems(t.Inv.Tenant, data, t.Inv.S3EndpointID); len(ps) > 0 {
				for _, p := range ps {
					r.Fail(bucketRes(t, b), p, want)
				}
				continue
			}
			r.Pass(bucketRes(t, b), fmt.Sprintf("%d statements: no open Allow, other tenants denied%s", len(doc.Statement), map[bool]string{true: ", aws:SourceVpce " + t.Inv.S3EndpointID + " enforced"}[data]), want)
		}
	}})

// WP-17/key-policy: the tenant key's own policy, read back (KMS API
// reference, GetKeyPolicy: "default" is the only policy name).
var _ = register(Check{ID: "WP-17/key-policy", Control: "WP-17", Title: "the tenant key's policy: the tenant's principals and services only, other tenants and accounts refused",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "key " + t.Inv.KeyArn
		services := expect.KeyServices(t.Inv.Region)
		want := "the account's root, the tenant's roles (by aws:PrincipalArn), the deployers and the services " + strings.Join(services, ", ") + "; every other tenant's role denied"
		out, err := t.Clients.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(t.Inv.KeyArn), PolicyName: aws.String("default")})
		if err == nil && aws.ToString(out.Policy) == "" {
			err = errEmpty("kms:GetKeyPolicy", "Policy")
		}
		if err != nil {
			r.Error(res, err, want)
			return
		}
		doc, err := policydoc.Parse(aws.ToString(out.Policy))
		if err != nil {
			r.Error(res, err, "a readable key policy")
			return
		}
		if ps := doc.KeyScopeProblems(t.Inv.AccountID, t.Inv.Tenant, services); len(ps) > 0 {
			for _, p := range ps {
				r.Fail(res, p, want)
			}
			return
		}
		r.Pass(res, fmt.Sprintf("%d statements: %s", len(doc.Statement), statementSummary(doc)), want)
	}})

// statementSummary names a policy's statements by Sid and effect.
func statementSummary(doc *policydoc.Document) string {
	var out []string
	for _, s := range doc.Statement {
		out = append(out, s.Effect+" "+s.Sid)
	}
	return strings.Join(out, ", ")
}

// WP-17/role-policies: every role under the tenant's path, its inline
// policies and the managed policies attached to it. An inline or
// customer-managed policy is judged by the plan's verdict (no Allow on
// every resource but the reads IAM cannot scope); an AWS-managed policy
// is allowed only if the stack attaches it (expect.InstanceManagedPolicies).
var _ = register(Check{ID: "WP-17/role-policies", Control: "WP-17", Title: "the tenant's roles act on its own resources only",
	Run: func(ctx context.Context, t *Target, r *Run) {
		path := expect.RolePath(t.Inv.Tenant)
		const want = "trust within the account; Allow only on the tenant's resources (reads IAM cannot scope excepted); AWS-managed policies only the stack's"
		roles, err := collectPages("iam:ListRoles", func(marker *string) ([]string, *string, error) {
			out, err := t.Clients.IAM.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String(path), Marker: marker})
			if err != nil {
				return nil, nil, err
			}
			var names []string
			for _, role := range out.Roles {
				if strings.HasPrefix(aws.ToString(role.Path), path) { // the filter re-checked
					names = append(names, aws.ToString(role.RoleName))
				}
			}
			if !out.IsTruncated {
				return names, nil, nil
			}
			return names, out.Marker, nil
		})
		if err != nil {
			r.Error("roles under "+path, err, want)
			return
		}
		if len(roles) == 0 {
			r.Error("roles under "+path, fmt.Errorf("none found"), "the tenant's roles")
			return
		}
		for _, name := range roles {
			res := "role " + path + name
			read, problems, err := rolePolicies(ctx, t, name)
			if err != nil {
				r.Error(res, err, want)
				continue
			}
			for _, p := range problems {
				r.Fail(res, p, want)
			}
			if len(problems) == 0 {
				r.Pass(res, strings.Join(read, "; "), want)
			}
		}
	}})

// rolePolicies reads a role's trust, inline and attached policies: what
// was read, and what is wrong with them.
func rolePolicies(ctx context.Context, t *Target, role string) (read, problems []string, err error) {
	out, err := t.Clients.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)})
	if err == nil && out.Role == nil {
		err = errEmpty("iam:GetRole", "Role")
	}
	if err != nil {
		return nil, nil, err
	}
	trust, err := policydoc.Parse(unescape(aws.ToString(out.Role.AssumeRolePolicyDocument)))
	if err != nil {
		return nil, nil, fmt.Errorf("trust policy: %w", err)
	}
	read = append(read, fmt.Sprintf("trust (%d statements)", len(trust.Statement)))
	problems = append(problems, trust.TrustProblems(t.Inv.AccountID)...)
	inline, err := inlinePolicies(ctx, t, role)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range inline {
		read = append(read, fmt.Sprintf("inline %s (%d statements)", p.name, len(p.doc.Statement)))
		for _, pr := range p.doc.RoleScopeProblems() {
			problems = append(problems, "inline "+p.name+": "+pr)
		}
	}
	attached, err := collectPages("iam:ListAttachedRolePolicies", func(marker *string) ([]string, *string, error) {
		out, err := t.Clients.IAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(role), Marker: marker})
		if err != nil {
			return nil, nil, err
		}
		var arns []string
		for _, p := range out.AttachedPolicies {
			arns = append(arns, aws.ToString(p.PolicyArn))
		}
		if !out.IsTruncated {
			return arns, nil, nil
		}
		return arns, out.Marker, nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, arn := range attached {
		if strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
			read = append(read, "AWS-managed "+arn)
			if !slices.Contains(expect.InstanceManagedPolicies, arn) {
				problems = append(problems, "AWS-managed "+arn+" attached, not one the stack attaches")
			}
			continue
		}
		p, err := t.Clients.IAM.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
		if err != nil {
			return nil, nil, err
		}
		if p.Policy == nil {
			return nil, nil, errEmpty("iam:GetPolicy", "Policy")
		}
		v, err := t.Clients.IAM.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId})
		if err != nil {
			return nil, nil, err
		}
		if v.PolicyVersion == nil {
			return nil, nil, errEmpty("iam:GetPolicyVersion", "PolicyVersion")
		}
		doc, err := policydoc.Parse(unescape(aws.ToString(v.PolicyVersion.Document)))
		if err != nil {
			return nil, nil, fmt.Errorf("managed policy %s: %w", arn, err)
		}
		read = append(read, "managed "+arn)
		for _, pr := range doc.RoleScopeProblems() {
			problems = append(problems, "managed "+arn+": "+pr)
		}
	}
	if len(read) == 0 {
		read = []string{"no policy"}
	}
	return read, problems, nil
}

type namedPolicy struct {
	name string
	doc  *policydoc.Document
}

// inlinePolicies reads a role's inline policies.
func inlinePolicies(ctx context.Context, t *Target, role string) ([]namedPolicy, error) {
	names, err := collectPages("iam:ListRolePolicies", func(marker *string) ([]string, *string, error) {
		out, err := t.Clients.IAM.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(role), Marker: marker})
		if err != nil {
			return nil, nil, err
		}
		if !out.IsTruncated {
			return out.PolicyNames, nil, nil
		}
		return out.PolicyNames, out.Marker, nil
	})
	if err != nil {
		return nil, err
	}
	var out []namedPolicy
	for _, name := range names {
		p, err := t.Clients.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name)})
		if err != nil {
			return nil, err
		}
		doc, err := policydoc.Parse(unescape(aws.ToString(p.PolicyDocument)))
		if err != nil {
			return nil, fmt.Errorf("inline policy %s: %w", name, err)
		}
		out = append(out, namedPolicy{name, doc})
	}
	return out, nil
}
