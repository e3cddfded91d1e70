package storage

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// ObjectLock is a bucket's default retention.
type ObjectLock struct {
	Mode string // GOVERNANCE or COMPLIANCE
	Days int
}

// BucketArgs configures one bucket. Every bucket gets, whatever the args:
// all four public-access-block flags, object ownership enforced (no ACLs),
// versioning, a lifecycle rule expiring noncurrent versions, and a policy
// that denies non-TLS requests and TLS below 1.2.
type BucketArgs struct {
	// Name is the physical bucket name (BucketName).
	Name string
	// Role is data, service-logs or log-archive.
	Role string
	// Classification is the DataClassification label (WP-12).
	Classification string
	// KeyArn encrypts the bucket with SSE-KMS and a bucket key. Nil means
	// SSE-S3, which only the service-logs bucket may use: AWS delivers ALB
	// and S3 access logs to SSE-S3 buckets only.
	KeyArn pulumi.StringInput
	// NoncurrentDays before noncurrent versions expire (WP-22).
	NoncurrentDays int
	// LogBucket receives the bucket's server access logs under s3/<name>/.
	// Empty only for the service-logs bucket itself.
	LogBucket string
	// ObjectLock turns Object Lock on at creation with a default retention.
	ObjectLock *ObjectLock
	// PolicyInputs are resolved and handed to Statements, which returns the
	// bucket's own statements (added to the TLS denies).
	PolicyInputs pulumi.StringArray
	Statements   func(arn string, inputs []string) []policydoc.Statement
	// Retain keeps the bucket when the stack is destroyed (Object Lock),
	// with every configuration its protection needs: public access block,
	// ownership, policy, versioning, encryption, lifecycle and lock. Only the
	// access-logging configuration goes (its target is destroyed).
	Retain bool
	// ForceDestroy lets destroy empty the bucket (offboarding only).
	ForceDestroy bool
	// Protect refuses any delete of the bucket or of one of its
	// configurations. A data bucket dropped from the stack (a
	// classification removed) would otherwise lose its policy, public
	// access block, encryption and versioning, and then fail to delete
	// (BucketNotEmpty), leaving the data unprotected; offboarding turns
	// protection off before it destroys.
	Protect bool
}

// Bucket is one hardened S3 bucket and its configuration resources.
type Bucket struct {
	pulumi.ResourceState

	Bucket *s3.BucketV2
	Policy *s3.BucketPolicy
	Name   string
	Arn    string
}

// NewBucket builds a bucket. Public-access block, then ownership, then the
// policy, each depending on the one before: S3 answers 409 OperationAborted
// to concurrent changes of one bucket.
func NewBucket(ctx *pulumi.Context, name string, args *BucketArgs, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if args == nil || args.Name == "" || args.Role == "" {
		return nil, fmt.Errorf("bucket %s: Name and Role are required", name)
	}
	if args.KeyArn == nil && args.Role != expect.RoleServiceLogs {
		return nil, fmt.Errorf("bucket %s: a %s bucket must be encrypted with the tenant key (SSE-S3 is for the service-logs bucket only)", name, args.Role)
	}
	b := &Bucket{Name: args.Name, Arn: expect.BucketArn(args.Name)}
	if err := ctx.RegisterComponentResource("tenantkit:storage:Bucket", name, b, opts...); err != nil {
		return nil, err
	}
	var child pulumi.ResourceOption = pulumi.Parent(b)
	if args.Retain {
		child = pulumi.Composite(child, pulumi.RetainOnDelete(true))
	}
	if args.Protect {
		child = pulumi.Composite(child, pulumi.Protect(true))
	}
	var err error
	b.Bucket, err = s3.NewBucketV2(ctx, name+"-bucket", &s3.BucketV2Args{
		Bucket:            pulumi.String(args.Name),
		ObjectLockEnabled: pulumi.Bool(args.ObjectLock != nil),
		ForceDestroy:      pulumi.Bool(args.ForceDestroy),
		Tags:              pulumi.StringMap{"Role": pulumi.String(args.Role), "DataClassification": pulumi.String(args.Classification)},
	}, child)
	if err != nil {
		return nil, err
	}
	id := b.Bucket.ID().ToStringOutput()

	pab, err := s3.NewBucketPublicAccessBlock(ctx, name+"-pab", &s3.BucketPublicAccessBlockArgs{
		Bucket:                id,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, err
	}
	own, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: id,
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, child, pulumi.DependsOn([]pulumi.Resource{pab}))
	if err != nil {
		return nil, err
	}
	b.Policy, err = s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: id,
		Policy: b.policy(args),
	}, child, pulumi.DependsOn([]pulumi.Resource{pab, own}))
	if err != nil {
		return nil, err
	}

	// The other configurations follow one by one, for the same reason.
	var prev pulumi.Resource = b.Policy
	after := func(r pulumi.Resource, err error) error {
		if err == nil {
			prev = r
		}
		return err
	}
	if err := after(s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  id,
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, child, pulumi.DependsOn([]pulumi.Resource{prev}))); err != nil {
		return nil, err
	}
	sse := &s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
		ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm: pulumi.String("AES256"),
		},
	}
	if args.KeyArn != nil {
		sse = &s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: args.KeyArn,
			},
			BucketKeyEnabled: pulumi.Bool(true),
		}
	}
	if err := after(s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-sse", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: id,
		Rules:  s3.BucketServerSideEncryptionConfigurationV2RuleArray{sse},
	}, child, pulumi.DependsOn([]pulumi.Resource{prev}))); err != nil {
		return nil, err
	}
	days := max(args.NoncurrentDays, 1)
	if err := after(s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:                             pulumi.String("expire-noncurrent-versions"),
				Status:                         pulumi.String("Enabled"),
				Filter:                         &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
				NoncurrentVersionExpiration:    &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{NoncurrentDays: pulumi.Int(days)},
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(7)},
			},
		},
	}, child, pulumi.DependsOn([]pulumi.Resource{prev}))); err != nil {
		return nil, err
	}
	if args.LogBucket != "" {
		if err := after(s3.NewBucketLoggingV2(ctx, name+"-logging", &s3.BucketLoggingV2Args{
			Bucket:       id,
			TargetBucket: pulumi.String(args.LogBucket),
			TargetPrefix: pulumi.String("s3/" + args.Name + "/"),
		}, pulumi.Parent(b), pulumi.Protect(args.Protect), pulumi.DependsOn([]pulumi.Resource{prev}))); err != nil {
			return nil, err
		}
	}
	if args.ObjectLock != nil {
		if _, err := s3.NewBucketObjectLockConfigurationV2(ctx, name+"-lock", &s3.BucketObjectLockConfigurationV2Args{
			Bucket:            id,
			ObjectLockEnabled: pulumi.String("Enabled"),
			Rule: &s3.BucketObjectLockConfigurationV2RuleArgs{
				DefaultRetention: &s3.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs{
					Mode: pulumi.String(args.ObjectLock.Mode),
					Days: pulumi.Int(args.ObjectLock.Days),
				},
			},
		}, child, pulumi.DependsOn([]pulumi.Resource{prev})); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{"bucket": id, "arn": pulumi.String(b.Arn)}); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Bucket) policy(args *BucketArgs) pulumi.StringOutput {
	return pulumi.All(toAny(args.PolicyInputs)...).ApplyT(func(vals []any) string {
		in := make([]string, len(vals))
		for i, v := range vals {
			in[i], _ = v.(string)
		}
		doc := policydoc.Document{Statement: TransitDenies(b.Arn)}
		if args.Statements != nil {
			doc.Statement = append(doc.Statement, args.Statements(b.Arn, in)...)
		}
		return doc.JSON()
	}).(pulumi.StringOutput)
}

func toAny(in pulumi.StringArray) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

// TransitDenies are the statements every bucket carries (WP-21.2): no
// request without TLS, none below TLS 1.2.
func TransitDenies(arn string) []policydoc.Statement {
	res := policydoc.List(arn, arn+"/*")
	return []policydoc.Statement{
		{Sid: "DenyInsecureTransport", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:*"), Resource: res,
			Condition: policydoc.Condition{"Bool": {"aws:SecureTransport": policydoc.List("false")}}},
		{Sid: "DenyTLSBelow12", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:*"), Resource: res,
			Condition: policydoc.Condition{"NumericLessThan": {"s3:TlsVersion": policydoc.List("1.2")}}},
	}
}

// DenyDeletesExcept denies object deletes to everyone but the given
// principals (WP-39): log buckets keep their records.
func DenyDeletesExcept(arn string, principals ...string) policydoc.Statement {
	return policydoc.Statement{Sid: "DenyDeletesExceptLogAdmin", Effect: "Deny", Principal: policydoc.AWS("*"),
		Action:    policydoc.List("s3:DeleteObject", "s3:DeleteObjectVersion"),
		Resource:  policydoc.List(arn + "/*"),
		Condition: policydoc.Condition{"ArnNotLike": {"aws:PrincipalArn": policydoc.List(principals...)}}}
}

// LogConfigActions are the changes that would destroy a log bucket's
// records without deleting one: removing or rewriting the policy (and with
// it the delete deny), a lifecycle rule that expires them, suspended
// versioning, other encryption, a shorter lock or retention, a governance
// bypass, replication away, another logging target, public access, ACLs
// back on, the bucket itself.
var LogConfigActions = policydoc.List(slices.Concat(config.LogConfigCoreActions, []string{
	"s3:PutReplicationConfiguration", "s3:PutBucketLogging", "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls",
	"s3:DeleteBucket", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:BypassGovernanceRetention"})...)

// DenyConfigChangesExcept denies LogConfigActions to everyone but the given
// principals: the log administrators and the deployers, whose Pulumi
// updates set these configurations (WP-39). The account root can still
// remove the policy: S3 lets the bucket owner's root principal call
// GetBucketPolicy, PutBucketPolicy and DeleteBucketPolicy whatever the
// policy says (S3 API reference, DeleteBucketPolicy), which is how an
// account recovers from a policy that locks out everyone it names.
func DenyConfigChangesExcept(arn string, principals ...string) policydoc.Statement {
	return policydoc.Statement{Sid: "DenyLogConfigChanges", Effect: "Deny", Principal: policydoc.AWS("*"),
		Action:    LogConfigActions,
		Resource:  policydoc.List(arn, arn+"/*"),
		Condition: policydoc.Condition{"ArnNotLike": {"aws:PrincipalArn": policydoc.List(principals...)}}}
}
