package policy

import (
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

// orEmpty lets a missing configuration resource be read as one with no inputs.
func orEmpty(r *graph.Resource) *graph.Resource {
	if r == nil {
		return &graph.Resource{}
	}
	return r
}
