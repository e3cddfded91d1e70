package policydoc

import (
	"fmt"
	"slices"
	"strings"
)

// The verdicts on policy documents that the plan rules and the live checks
// both reach: one function each, so a document cannot pass before deploy
// and fail after it (or the other way round).

// TransportDenyProblem says what is wrong with a bucket policy's transport
// denies (WP-21.2), or "" when it has a Deny of reading objects
// (s3:GetObject, or s3:*) for requests without TLS (aws:SecureTransport
// false) and one for TLS below 1.2 (s3:TlsVersion NumericLessThan 1.2).
// A deny that leaves reads alone protects nothing a reader would notice.
func (d *Document) TransportDenyProblem() string {
	if d == nil {
		return "no bucket policy"
	}
	if !d.deniesReads("Bool", "aws:SecureTransport", "false") {
		return "no deny of reads with aws:SecureTransport=false"
	}
	if !d.deniesReads("NumericLessThan", "s3:TlsVersion", "1.2") {
		return "no deny of reads with s3:TlsVersion < 1.2"
	}
	return ""
}

func (d *Document) deniesReads(op, key, value string) bool {
	for _, s := range d.Statement {
		if s.Effect == "Deny" && slices.Contains(s.ConditionValues(op, key), value) && (s.HasAction("s3:GetObject") || s.HasAction("s3:*")) {
			return true
		}
	}
	return false
}

// Exemptions is who a log bucket's denies may exempt (WP-39).
type Exemptions struct {
	// Allowed are exact principal ARNs: the log administrators and the
	// configured deployers.
	Allowed []string
	// Required must be among the exempted (the tenant's log-admin role);
	// "" when none is.
	Required string
	// CallerAccount, when set, admits one more exempted principal: an
	// exact IAM role or user of that account outside role/tenants/, the
	// deploy's caller a stack exempts when it names no deployers.
	CallerAccount string
	// AnyCaller admits every such principal, not one (the baseline stack,
	// whose deployers the plan does not know).
	AnyCaller bool
}

// ExemptDenyProblem finds a Deny of every one of actions on resource, to
// any principal, whose one condition exempts principals by exact ARN
// (ArnNotLike, ArnNotEquals, StringNotLike or StringNotEquals on
// aws:PrincipalArn), each of them one ex admits, ex.Required among them.
// It returns "" when one statement has exactly that shape, else what is
// wrong (what names the actions in the message). A wildcard, another
// operator or an extra condition key would exempt more than that.
func (d *Document) ExemptDenyProblem(actions []string, resource string, ex Exemptions, what string) string {
	if d == nil {
		return "no bucket policy"
	}
	var reasons []string
	for _, s := range d.Statement {
		if s.Effect != "Deny" || slices.ContainsFunc(actions, func(a string) bool { return !s.HasAction(a) }) || !conditionsOn(s, "aws:PrincipalArn") {
			continue // not a deny that exempts principals (the TLS denies cover s3:*)
		}
		why := exemptShape(s, resource)
		if why == "" {
			why = ex.admits(s)
		}
		if why == "" {
			return ""
		}
		reasons = append(reasons, s.Sid+": "+why)
	}
	if len(reasons) == 0 {
		return what + " not denied"
	}
	return "deny of " + what + " of the wrong shape (" + strings.Join(reasons, "; ") + ")"
}

// exemptShape: Deny to *, on the resource, one condition operator that
// exempts, on aws:PrincipalArn alone.
func exemptShape(s Statement, resource string) string {
	switch {
	case s.NotPrincipal != nil || len(s.NotAction) > 0 || len(s.NotResource) > 0:
		return "NotPrincipal, NotAction or NotResource"
	case !slices.Equal(s.Principals("AWS"), []string{"*"}):
		return fmt.Sprintf("principal %v instead of *", s.Principals("AWS"))
	case !slices.ContainsFunc(s.Resource, func(r string) bool { return r == resource || r == "*" }):
		return fmt.Sprintf("resources %v, not %s", s.Resource, resource)
	case len(s.Condition) != 1:
		return fmt.Sprintf("%d condition operators", len(s.Condition))
	}
	for op, keys := range s.Condition {
		if op != "ArnNotLike" && op != "ArnNotEquals" && op != "StringNotLike" && op != "StringNotEquals" {
			return "condition operator " + op
		}
		if len(keys) != 1 {
			return fmt.Sprintf("%d condition keys", len(keys))
		}
		for k := range keys {
			if !strings.EqualFold(k, "aws:PrincipalArn") {
				return "condition key " + k
			}
		}
	}
	return ""
}

func (ex Exemptions) admits(s Statement) string {
	for _, keys := range s.Condition {
		for _, vals := range keys {
			callers := 0
			for _, v := range vals {
				if slices.Contains(ex.Allowed, v) {
					continue
				}
				if ex.CallerAccount != "" && (callers == 0 || ex.AnyCaller) && CallerShaped(ex.CallerAccount, v) {
					callers++ // the role that ran the deploy
					continue
				}
				return "exempts " + v
			}
			if ex.Required != "" && !slices.Contains(vals, ex.Required) {
				return "does not exempt the log-admin role " + ex.Required
			}
		}
	}
	return ""
}

// CallerShaped: what a program exempts as the deploy's caller when the
// stack names no deployers: the exact ARN of an IAM role or user of the
// account (read from the session's issuer), never a pattern, the account
// root or one of the tenants' roles.
func CallerShaped(account, arn string) bool {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::"+account+":")
	if !ok || strings.ContainsAny(rest, "*?") {
		return false
	}
	if !strings.HasPrefix(rest, "role/") && !strings.HasPrefix(rest, "user/") {
		return false
	}
	return !strings.HasPrefix(rest, "role/tenants/") && len(rest) > len("role/")
}

// conditionsOn: some condition of the statement tests the key.
func conditionsOn(s Statement, key string) bool {
	for _, keys := range s.Condition {
		for k := range keys {
			if strings.EqualFold(k, key) {
				return true
			}
		}
	}
	return false
}

// openAllow: an Allow to any principal with no condition to restrict it.
func openAllow(s Statement) bool {
	return s.Effect == "Allow" && slices.Contains(s.Principals("AWS"), "*") && len(s.Condition) == 0
}

// principalAccount is the account an AWS principal ARN (or bare account
// id) names, "" when it names none (the wildcard).
func principalAccount(p string) string {
	if len(p) == 12 && strings.Trim(p, "0123456789") == "" {
		return p
	}
	parts := strings.Split(p, ":")
	if len(parts) >= 5 && strings.HasPrefix(p, "arn:") {
		return parts[4]
	}
	return ""
}

// BucketScopeProblems says what keeps a bucket policy from restricting the
// bucket to its tenant (WP-17): an Allow to any principal without a
// condition, no deny of the other tenants' roles, and for a data bucket no
// deny outside the tenant's S3 endpoint (endpoint "" accepts any endpoint:
// before deploy its id is not known yet).
func (d *Document) BucketScopeProblems(tenantID string, data bool, endpoint string) []string {
	if d == nil {
		return []string{"no bucket policy"}
	}
	var out []string
	for _, s := range d.Statement {
		if openAllow(s) {
			out = append(out, "statement "+s.Sid+" allows * without a condition")
		}
	}
	if !d.DeniesOtherTenants(tenantID) {
		out = append(out, "no deny of the other tenants' roles (ArnLike role/tenants/*, ArnNotLike role/tenants/"+tenantID+"/*)")
	}
	if data {
		ok := false
		for _, s := range d.Statement {
			vs := s.ConditionValues("StringNotEquals", "aws:SourceVpce")
			if s.Effect == "Deny" && len(vs) > 0 && (endpoint == "" || slices.Contains(vs, endpoint)) {
				ok = true
			}
		}
		if !ok {
			out = append(out, "no deny outside the tenant's S3 endpoint (aws:SourceVpce "+endpoint+")")
		}
	}
	return out
}

// KeyScopeProblems says what keeps a tenant key's policy from restricting
// the key to the tenant's principals and services (WP-17): an Allow to
// any principal without a condition, or held to something other than
// named principals (kms:CallerAccount or kms:ViaService alone let every
// role of the account, other tenants' included, use the key through S3,
// EC2 or RDS); an Allow to a principal of another account; an Allow to a
// service the key does not serve; no deny of the other tenants' roles.
func (d *Document) KeyScopeProblems(account, tenantID string, services []string) []string {
	if d == nil {
		return []string{"no key policy"}
	}
	var out []string
	for _, s := range d.Statement {
		if s.Effect != "Allow" {
			continue
		}
		sid := s.Sid
		if sid == "" {
			sid = "a statement"
		}
		aws := s.Principals("AWS")
		switch {
		case openAllow(s):
			out = append(out, sid+": Allow to * without a condition")
		case slices.Contains(aws, "*") && !conditionsOn(s, "aws:PrincipalArn"):
			out = append(out, sid+": Allow to * not held to named principals (aws:PrincipalArn)")
		}
		for _, p := range aws {
			if a := principalAccount(p); a != "" && a != account {
				out = append(out, sid+": Allow to "+p+", another account")
			}
		}
		for _, svc := range s.Principals("Service") {
			if !slices.Contains(services, svc) {
				out = append(out, sid+": Allow to the service "+svc+", which the key does not serve")
			}
		}
	}
	if !d.DeniesOtherTenants(tenantID) {
		out = append(out, "no deny of the other tenants' roles")
	}
	return out
}

// RoleScopeProblems says what keeps a role's permission policy to the
// tenant's own resources (WP-17): an Allow on every resource, unless all
// its actions are ones IAM scopes by no resource (Describe and List reads,
// metric data, the Systems Manager agent's channels).
func (d *Document) RoleScopeProblems() []string {
	var out []string
	for _, s := range d.Statement {
		if s.Effect != "Allow" || unscopedReadsOnly(s) {
			continue
		}
		for _, r := range s.Resource {
			if r == "*" || r == "arn:aws:s3:::*" || r == "arn:aws:s3:::*/*" {
				out = append(out, fmt.Sprintf("%v on %s", []string(s.Action), r))
				break
			}
		}
	}
	return out
}

// Unscoped are the actions, beyond Describe* and List*, that IAM gives no
// resource-level scope to (Service Authorization Reference) and a tenant
// role is granted on *: metrics (scoped by namespace), the SSM agent's
// channels, and a Logs Insights query's results and its stop, which take
// the query id StartQuery returned for the reader's own groups.
var Unscoped = []string{"cloudwatch:PutMetricData", "logs:GetQueryResults", "logs:StopQuery"}

// unscopedReadsOnly: every action of the statement is one that IAM gives
// no resource-level scope to.
func unscopedReadsOnly(s Statement) bool {
	for _, a := range s.Action {
		if !strings.Contains(a, ":Describe") && !strings.Contains(a, ":List") && !slices.Contains(Unscoped, a) && !strings.HasPrefix(a, "ssm:UpdateInstance") && !strings.HasPrefix(a, "ssmmessages:") && !strings.HasPrefix(a, "ec2messages:") {
			return false
		}
	}
	return len(s.Action) > 0
}

// TrustProblems says what lets a role be assumed from outside its account
// (WP-17): an Allow to any principal without a condition, or to a
// principal of another account.
func (d *Document) TrustProblems(account string) []string {
	var out []string
	for _, s := range d.Statement {
		if s.Effect != "Allow" {
			continue
		}
		if openAllow(s) {
			out = append(out, "trust allows * without a condition")
		}
		for _, p := range s.Principals("AWS") {
			if a := principalAccount(p); a != "" && a != account {
				out = append(out, "trust allows "+p+", another account")
			}
		}
	}
	return out
}
