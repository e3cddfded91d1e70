package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// Bucket reads, each shared between checks. A configuration that does not
// exist is (nil, nil): the control FAILs; any other error is ERROR.

func bucketEncryption(ctx context.Context, t *Target, b string) (*s3.GetBucketEncryptionOutput, error) {
	return cached(t, "sse/"+b, func() (*s3.GetBucketEncryptionOutput, error) {
		out, err := t.Clients.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(b)})
		if isCode(err, "ServerSideEncryptionConfigurationNotFoundError") {
			return nil, nil
		}
		return out, err
	})
}

var _ = register(Check{ID: "WP-21.1/bucket-encryption", Control: "WP-21.1", Title: "buckets encrypted with the tenant key (service logs: SSE-S3)",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			out, err := bucketEncryption(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "default encryption")
				continue
			}
			if out == nil || out.ServerSideEncryptionConfiguration == nil || len(out.ServerSideEncryptionConfiguration.Rules) == 0 {
				r.Fail(bucketRes(t, b), fieldOf(out, "ServerSideEncryptionConfiguration.Rules"), "SSE-KMS with the tenant key")
				continue
			}
			rule := out.ServerSideEncryptionConfiguration.Rules[0]
			def := rule.ApplyServerSideEncryptionByDefault
			if def == nil {
				r.Fail(bucketRes(t, b), fieldOf(rule, "ApplyServerSideEncryptionByDefault"), "SSE-KMS with the tenant key")
				continue
			}
			algo, key := string(def.SSEAlgorithm), aws.ToString(def.KMSMasterKeyID)
			want := t.Inv.KeyArn
			if b == t.Inv.Buckets.LogArchive && t.Inv.ArchiveKeyArn != "" {
				want = t.Inv.ArchiveKeyArn // outlives the tenant key
			}
			switch {
			case b == t.Inv.Buckets.ServiceLogs:
				if def.SSEAlgorithm != s3types.ServerSideEncryptionAes256 {
					r.Fail(bucketRes(t, b), algo, "SSE-S3 (AES256): ALB and S3 access logs are delivered to nothing else")
				} else {
					r.Pass(bucketRes(t, b), "SSE "+algo, "SSE-S3 (AES256): ALB and S3 access logs are delivered to nothing else")
				}
			case def.SSEAlgorithm != s3types.ServerSideEncryptionAwsKms && def.SSEAlgorithm != s3types.ServerSideEncryptionAwsKmsDsse:
				r.Fail(bucketRes(t, b), algo, "aws:kms with "+want)
			case !aws.ToBool(rule.BucketKeyEnabled):
				r.Fail(bucketRes(t, b), fieldOf(rule, "BucketKeyEnabled"), "BucketKeyEnabled true")
			default:
				// S3 returns the key as it was written: an ARN, a key id or an
				// alias (S3 API reference, ServerSideEncryptionByDefault).
				keyVerdict(ctx, t, r, bucketRes(t, b), key, want, algo+" "+want+" bucket key")
			}
		}
	}})

var _ = register(Check{ID: "WP-21.1/public-access-block", Control: "WP-21.1", Title: "every bucket blocks public access (all four flags)",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			out, err := t.Clients.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(b)})
			if isCode(err, "NoSuchPublicAccessBlockConfiguration") {
				r.Fail(bucketRes(t, b), answered("GetPublicAccessBlock", err), "all four flags on")
				continue
			}
			if err != nil {
				r.Error(bucketRes(t, b), err, "all four flags on")
				continue
			}
			c := out.PublicAccessBlockConfiguration
			if c == nil || !aws.ToBool(c.BlockPublicAcls) || !aws.ToBool(c.BlockPublicPolicy) || !aws.ToBool(c.IgnorePublicAcls) || !aws.ToBool(c.RestrictPublicBuckets) {
				r.Fail(bucketRes(t, b), fmt.Sprintf("%+v", pabString(c)), "all four flags on")
			} else {
				r.Pass(bucketRes(t, b), pabString(c), "all four flags on")
			}
		}
	}})

func pabString(c *s3types.PublicAccessBlockConfiguration) string {
	if c == nil {
		return "none"
	}
	return fmt.Sprintf("BlockPublicAcls=%v BlockPublicPolicy=%v IgnorePublicAcls=%v RestrictPublicBuckets=%v",
		aws.ToBool(c.BlockPublicAcls), aws.ToBool(c.BlockPublicPolicy), aws.ToBool(c.IgnorePublicAcls), aws.ToBool(c.RestrictPublicBuckets))
}

var _ = register(Check{ID: "WP-21.1/key-rotation", Control: "WP-21.1", Title: "the tenant key rotates",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := t.Clients.KMS.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(t.Inv.KeyArn)})
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "rotation enabled")
			return
		}
		if !out.KeyRotationEnabled {
			r.Fail("key "+t.Inv.KeyArn, fieldOf(out, "KeyRotationEnabled"), "KeyRotationEnabled true")
			return
		}
		if out.RotationPeriodInDays == nil {
			// AWS answers every rotating key with its period
			// (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html);
			// an answer without it proves nothing about the period.
			r.Error("key "+t.Inv.KeyArn, fmt.Errorf("rotation on, but the answer names no RotationPeriodInDays"), fmt.Sprintf("rotation every %d days (keyRotationDays)", t.Cfg.KeyRotationDays))
			return
		}
		if got := int(aws.ToInt32(out.RotationPeriodInDays)); got != t.Cfg.KeyRotationDays {
			r.Fail("key "+t.Inv.KeyArn, fmt.Sprintf("rotation every %d days", got), fmt.Sprintf("rotation every %d days (keyRotationDays)", t.Cfg.KeyRotationDays))
			return
		}
		r.Pass("key "+t.Inv.KeyArn, fmt.Sprintf("rotation on, every %d days", aws.ToInt32(out.RotationPeriodInDays)), fmt.Sprintf("rotation every %d days (keyRotationDays)", t.Cfg.KeyRotationDays))
	}})

var _ = register(Check{ID: "WP-21.1/log-group-keys", Control: "WP-21.1", Title: "log groups encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		eachLogGroup(ctx, t, r, "encrypted with "+t.Inv.KeyArn, func(name string, g logtypes.LogGroup) {
			keyVerdict(ctx, t, r, "log group "+name, aws.ToString(g.KmsKeyId), t.Inv.KeyArn, "key "+t.Inv.KeyArn)
		})
	}})

var _ = register(Check{ID: "WP-21.1/database", Control: "WP-21.1", Title: "the database is encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "storage encrypted with the tenant key")
		if !ok {
			return
		}
		switch {
		case !aws.ToBool(db.StorageEncrypted):
			r.Fail(res, fieldOf(db, "StorageEncrypted"), "encrypted with "+t.Inv.KeyArn)
		default:
			keyVerdict(ctx, t, r, res, aws.ToString(db.KmsKeyId), t.Inv.KeyArn, "encrypted with the tenant key")
		}
	}})

var _ = register(Check{ID: "WP-21.1/topic", Control: "WP-21.1", Title: "the alert topic is encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "topic " + t.Inv.TopicArn
		out, err := t.Clients.SNS.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(t.Inv.TopicArn)})
		if err != nil {
			r.Error(res, err, "encrypted with the tenant key")
			return
		}
		k := out.Attributes["KmsMasterKeyId"]
		if k == "" || strings.EqualFold(k, "alias/aws/sns") {
			r.Fail(res, fmt.Sprintf("key %q", k), "key "+t.Inv.KeyArn+" (the AWS-managed aws/sns key would drop alarms)")
			return
		}
		keyVerdict(ctx, t, r, res, k, t.Inv.KeyArn, "encrypted with the tenant key")
	}})

// WP-21.1/volumes: every volume attached to the tenant's instances is
// encrypted with the tenant key (read by attachment: a volume attached by
// hand is judged too). A group without instances has nothing to judge.
var _ = register(Check{ID: "WP-21.1/volumes", Control: "WP-21.1", Title: "the instances' volumes encrypted with the tenant key",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := "encrypted with " + t.Inv.KeyArn
		vols, err := instanceVolumes(ctx, t)
		if err != nil {
			r.Error("volumes of "+t.Inv.AutoScalingGroup, err, want)
			return
		}
		if len(vols) == 0 {
			r.NA("the group "+t.Inv.AutoScalingGroup+" has no instance, so no volume", "Auto Scaling グループにインスタンスがなく、ボリュームもない")
			return
		}
		for _, v := range vols {
			if !aws.ToBool(v.Encrypted) {
				r.Fail(volumeRes(v), fieldOf(v, "Encrypted"), want)
				continue
			}
			keyVerdict(ctx, t, r, volumeRes(v), aws.ToString(v.KmsKeyId), t.Inv.KeyArn, "encrypted")
		}
	}})
