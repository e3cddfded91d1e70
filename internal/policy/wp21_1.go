package policy

import (
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// WP-21.1: at rest with the tenant key; rotation on.
var _ = register(Rule{ID: "WP-21.1",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tKey:
			if r.Get("enableKeyRotation") != true {
				e.Fail(label(r), r.Get("enableKeyRotation"), "key rotation enabled")
			} else {
				e.Applies()
			}
		case tLogGroup:
			if name, _ := r.String("name"); !in.Baseline && in.Tenant != nil && name == expect.TenantSessionLogGroup(in.Tenant.TenantID) {
				// The operators' session record outlives the tenant key
				// (expect.TenantSessionLogGroup).
				usesArchiveKey(in, e, r, r.Get("kmsKeyId"), "session log group")
			} else if !in.Baseline {
				usesTenantKey(in, e, r, r.Get("kmsKeyId"), "log group")
			} else if r.Get("kmsKeyId") == nil {
				e.Fail(label(r), "no KMS key", "a customer-managed key")
			}
		case tTopic:
			if !in.Baseline {
				usesTenantKey(in, e, r, r.Get("kmsMasterKeyId"), "topic")
			}
		case tDB:
			if r.Get("storageEncrypted") != true {
				e.Fail(label(r), "storageEncrypted false", "encrypted storage")
				return
			}
			usesTenantKey(in, e, r, r.Get("kmsKeyId"), "database storage")
		case tTrail:
			if in.Baseline {
				usesTenantKeyOrAny(in, e, r)
			} else {
				usesArchiveKey(in, e, r, r.Get("kmsKeyId"), "trail log files")
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		for _, b := range in.Graph.OfType(tBucket) {
			sse, state := configOf(in, tBucketSSE, b)
			if sse == nil {
				e.Fail(label(b), "no default encryption", "SSE-KMS with the tenant key")
				continue
			}
			if state == refUnknown {
				e.Unknown(label(b), "the bucket's encryption", "SSE-KMS with the tenant key")
				continue
			}
			rules := asList(sse.Get("rules"))
			if len(rules) == 0 {
				e.Fail(label(sse), "no rule", "SSE-KMS with the tenant key")
				continue
			}
			def, _ := rules[0]["applyServerSideEncryptionByDefault"].(map[string]any)
			algo, _ := def["sseAlgorithm"].(string)
			if bucketRole(b) == roleServiceLogs {
				// AWS delivers ALB and S3 access logs only to SSE-S3 buckets.
				if algo != "AES256" {
					e.Fail(label(b), algo, "SSE-S3 (AES256): ALB and S3 access logs cannot be delivered to SSE-KMS buckets")
				} else {
					e.Applies()
				}
				continue
			}
			if algo != "aws:kms" && algo != "aws:kms:dsse" {
				e.Fail(label(b), algo, "aws:kms with the tenant key")
				continue
			}
			if rules[0]["bucketKeyEnabled"] != true {
				e.Fail(label(b), "bucket key off", "bucket key enabled")
				continue
			}
			if bucketRole(b) == roleLogArchive && !in.Baseline {
				usesArchiveKey(in, e, b, def["kmsMasterKeyId"], "log archive")
				continue
			}
			if bucketRole(b) == roleData {
				if doc, state := bucketPolicy(in, b); state != refUnknown {
					if why := uploadDenyProblem(in, doc); why != "" {
						e.Fail(label(b), why, "uploads naming another algorithm or key, or aws:kms without the key, denied")
						continue
					}
				}
			}
			usesTenantKey(in, e, b, def["kmsMasterKeyId"], "bucket")
		}
	},
})

// uploadDenyProblem says what a data bucket's policy lacks of the three
// upload denies (storage.DataStatements): another algorithm named, another
// key named, aws:kms named without a key (S3 then uses aws/s3). Each must
// test its header only when present (Null false), or plain uploads, which
// get the bucket default, would be refused; what AWS decides on them is
// proven in tests/iameval.
func uploadDenyProblem(in *Input, doc *policydoc.Document) string {
	const sse, sseKey = "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"
	if doc == nil {
		return "no bucket policy"
	}
	var algo, key, bare bool
	for _, st := range doc.Statement {
		if st.Effect != "Deny" || !st.HasAction("s3:PutObject") {
			continue
		}
		nullSSE, nullKey := st.ConditionValues("Null", sse), st.ConditionValues("Null", sseKey)
		switch {
		case slices.Equal(nullSSE, []string{"false"}) && slices.Equal(st.ConditionValues("StringNotEquals", sse), []string{"aws:kms"}) && len(st.Condition) == 2:
			algo = true
		case slices.Equal(nullKey, []string{"false"}) && len(st.ConditionValues("StringNotEquals", sseKey)) == 1 && len(st.Condition) == 2 &&
			ref(in, st.ConditionValues("StringNotEquals", sseKey)[0], tenantKey(in)) != refNo:
			key = true
		case slices.Equal(nullSSE, []string{"false"}) && slices.Equal(nullKey, []string{"true"}) && len(st.Condition) == 1:
			bare = true
		}
	}
	switch {
	case !algo:
		return "uploads under another algorithm not denied"
	case !key:
		return "uploads under another key not denied"
	case !bare:
		return "uploads naming aws:kms without a key (S3 then uses aws/s3) not denied"
	}
	return ""
}

// usesArchiveKey: what outlives the tenant (its log archive, its trail's
// log files) is encrypted with a customer-managed key that outlives the
// tenant key, which offboarding schedules for deletion: the account
// baseline's key, named by ARN.
func usesArchiveKey(in *Input, e *Eval, r *graph.Resource, v any, what string) {
	s, ok := v.(string)
	switch {
	case !ok:
		if _, unk := v.(graph.Unknown); unk {
			e.Unknown(label(r), what+" key", "the account baseline's key")
			return
		}
		e.Fail(label(r), v, what+" encrypted with the account baseline's key (it outlives the tenant key)")
	case ref(in, s, tenantKey(in)) == refYes:
		e.Fail(label(r), "the tenant key", what+" encrypted with the account baseline's key: the tenant key is deleted at offboarding and the retained records would become unreadable")
	case !strings.HasPrefix(s, "arn:aws:kms:") || !strings.Contains(s, ":key/"):
		e.Fail(label(r), s, what+" encrypted with the account baseline's key, by key ARN")
	default:
		e.Applies()
	}
}

func usesTenantKeyOrAny(in *Input, e *Eval, r *graph.Resource) {
	if in.Baseline {
		if r.Get("kmsKeyId") == nil {
			e.Fail(label(r), "no KMS key", "a customer-managed key")
		} else {
			e.Applies()
		}
		return
	}
	usesTenantKey(in, e, r, r.Get("kmsKeyId"), "trail")
}
