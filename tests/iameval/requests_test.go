package iameval_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
)

// principal is who signs a request: what AWS puts in the request context
// for it, and the identity policies it holds. The context keys follow the
// IAM user guide, "AWS global condition context keys"
// (reference_policies_condition-keys.html): a role session's
// aws:PrincipalArn is the role's ARN with its path; a service principal's
// request carries aws:SourceArn / aws:SourceAccount only where that
// service documents them.
type principal struct {
	arn      string
	context  map[string]any
	identity []namedPolicy
	boundary []namedPolicy // its permissions boundary, if it has one
}

// session is a session of a role, holding the given identity policies.
func session(r role, identity ...namedPolicy) principal {
	return principal{
		arn:      fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/session", account, r.Name),
		context:  map[string]any{"aws:PrincipalArn": r.Arn, "aws:PrincipalAccount": account},
		identity: identity,
	}
}

// withInline is a session of the role holding its real inline policies.
func withInline(r role) principal { return session(r, r.Inline...) }

// service is an AWS service principal with the source keys it sends, and
// its own name, which AWS puts in every request a service principal makes
// (IAM user guide, "AWS global condition context keys",
// aws:PrincipalServiceName).
func service(name string, context map[string]any) principal {
	ctx := map[string]any{"aws:PrincipalServiceName": name}
	maps.Copy(ctx, context)
	return principal{arn: name, context: ctx}
}

// allowAll is an identity policy that allows everything: an over-granted
// role.
var allowAll = namedPolicy{Name: "AllowAll", Policy: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}

// policyAllowing is an identity policy for the given actions on anything.
func policyAllowing(actions ...string) namedPolicy {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": actions, "Resource": "*"}}})
	return namedPolicy{Name: "Allow" + strings.ReplaceAll(strings.Join(actions, ""), ":", ""), Policy: b}
}

// request builds the simulation of p calling action on resource under
// resourcePolicy. Every request is over TLS 1.3 (the transport denies are
// proven apart); the extra context is what the call itself carries.
func request(p principal, action, resource string, resourcePolicy json.RawMessage, extra map[string]any) simulation {
	ctx := map[string]any{"aws:SecureTransport": "true"}
	if strings.HasPrefix(action, "s3:") {
		ctx["s3:TlsVersion"] = "1.3"
	}
	maps.Copy(ctx, p.context)
	maps.Copy(ctx, extra)
	identity := p.identity
	if identity == nil {
		identity = []namedPolicy{}
	}
	return simulation{
		IdentityPolicies: identity, SCPs: []any{}, RCPs: []any{},
		ResourcePolicy: resourcePolicy,
		Request:        simRequest{Principal: p.arn, Action: action, Resource: simResource{Resource: resource, AccountID: account}, Context: ctx},
	}
}

// viaS3 is the context of a KMS call S3 makes for a caller (SSE-KMS with a
// bucket key: the encryption context is the bucket's ARN; S3 user guide,
// "Using server-side encryption with AWS KMS keys", encryption context).
func viaS3(bucketArn string) map[string]any {
	return map[string]any{
		"kms:ViaService": "s3." + region + ".amazonaws.com", "kms:CallerAccount": account,
		"kms:EncryptionContext:aws:s3:arn": bucketArn,
	}
}

// via is the context of a KMS call another service makes for a caller.
func via(svc string) map[string]any {
	return map[string]any{"kms:ViaService": svc + "." + region + ".amazonaws.com", "kms:CallerAccount": account}
}

// logsContext is the encryption context CloudWatch Logs uses for a log
// group (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs
// using AWS Key Management Service").
func logsContext(groupArn string) map[string]any {
	return map[string]any{"kms:EncryptionContext:aws:logs:arn": groupArn}
}

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}
