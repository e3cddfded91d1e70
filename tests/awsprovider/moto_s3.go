package awsprovider

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// S3 follows terraform-provider-aws internal/service/s3/*.go. The
// configuration resources are keyed by their bucket: their id is the
// bucket's name.

func s3Tags(t map[string]string) []s3types.Tag {
	var out []s3types.Tag
	for _, k := range sortedKeys(t) {
		out = append(out, s3types.Tag{Key: aws.String(k), Value: aws.String(t[k])})
	}
	return out
}

func (m *Moto) bucketTags(ctx context.Context, bucket string, p props) error {
	t := m.tags(p)
	if len(t) == 0 {
		_, err := m.s3.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String(bucket)})
		return err
	}
	_, err := m.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &s3types.Tagging{TagSet: s3Tags(t)}})
	return err
}

var _ = register("aws:s3/bucketV2:BucketV2", handler{source: "internal/service/s3/bucket.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		name := p.str("bucket")
		in := &s3.CreateBucketInput{Bucket: aws.String(name), ObjectLockEnabledForBucket: aws.Bool(p.flag("objectLockEnabled"))}
		if m.Region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(m.Region)}
		}
		if _, err := m.s3.CreateBucket(ctx, in); err != nil {
			return "", nil, err
		}
		if err := m.bucketTags(ctx, name, p); err != nil {
			return name, nil, err
		}
		return name, pm("arn", "arn:aws:s3:::"+name, "bucketDomainName", name+".s3.amazonaws.com",
			"bucketRegionalDomainName", name+".s3."+m.Region+".amazonaws.com", "region", m.Region), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		if _, err := m.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(id)}); err != nil {
			return nil, gone(err, "NotFound", "NoSuchBucket")
		}
		return pm(), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		return nil, m.bucketTags(ctx, id, new)
	},
	// forceDestroy empties the bucket first, every version and delete
	// marker, as the provider does (bucket.go, emptyBucket); otherwise S3
	// refuses to delete a bucket that holds anything (BucketNotEmpty).
	delete: func(ctx context.Context, m *Moto, id string, p props) error {
		if p.flag("forceDestroy") {
			if err := emptyBucket(ctx, m, id); err != nil {
				return err
			}
		}
		_, err := m.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(id)})
		return err
	},
})

func emptyBucket(ctx context.Context, m *Moto, bucket string) error {
	pg := s3.NewListObjectVersionsPaginator(m.s3, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return err
		}
		var ids []s3types.ObjectIdentifier
		for _, v := range page.Versions {
			ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, d := range page.DeleteMarkers {
			ids = append(ids, s3types.ObjectIdentifier{Key: d.Key, VersionId: d.VersionId})
		}
		if len(ids) == 0 {
			continue
		}
		out, err := m.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), BypassGovernanceRetention: aws.Bool(true),
			Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return err
		}
		if len(out.Errors) > 0 {
			return fmt.Errorf("empty %s: %d objects not deleted, first %s: %s", bucket, len(out.Errors), aws.ToString(out.Errors[0].Key), aws.ToString(out.Errors[0].Message))
		}
	}
	return nil
}

// bucketConfig is a configuration resource of a bucket: put on create and
// update, read back to see that it is still there, removed on delete.
func bucketConfig(source string, put func(context.Context, *Moto, props) error, get func(context.Context, *Moto, string) (resource.PropertyMap, error), del func(context.Context, *Moto, string) error) handler {
	return handler{source: source,
		create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
			if err := put(ctx, m, p); err != nil {
				return "", nil, err
			}
			return p.str("bucket"), nil, nil
		},
		read: func(ctx context.Context, m *Moto, id string, p props) (resource.PropertyMap, error) {
			if get == nil {
				return nil, nil
			}
			return get(ctx, m, p.str("bucket"))
		},
		update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
			return nil, put(ctx, m, new)
		},
		delete: func(ctx context.Context, m *Moto, _ string, p props) error {
			err := del(ctx, m, p.str("bucket"))
			if notFound(err, "NoSuchBucket") {
				return nil
			}
			return err
		},
	}
}

var _ = register("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucketConfig("internal/service/s3/bucket_public_access_block.go",
	func(ctx context.Context, m *Moto, p props) error {
		_, err := m.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: p.sptr("bucket"), PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(p.flag("blockPublicAcls")), BlockPublicPolicy: aws.Bool(p.flag("blockPublicPolicy")),
			IgnorePublicAcls: aws.Bool(p.flag("ignorePublicAcls")), RestrictPublicBuckets: aws.Bool(p.flag("restrictPublicBuckets"))}})
		return err
	},
	func(ctx context.Context, m *Moto, b string) (resource.PropertyMap, error) {
		out, err := m.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(b)})
		if err != nil {
			return nil, gone(err, "NoSuchPublicAccessBlockConfiguration")
		}
		c := out.PublicAccessBlockConfiguration
		return pm("blockPublicAcls", aws.ToBool(c.BlockPublicAcls), "blockPublicPolicy", aws.ToBool(c.BlockPublicPolicy),
			"ignorePublicAcls", aws.ToBool(c.IgnorePublicAcls), "restrictPublicBuckets", aws.ToBool(c.RestrictPublicBuckets)), nil
	},
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String(b)})
		return err
	}))

var _ = register("aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucketConfig("internal/service/s3/bucket_ownership_controls.go",
	func(ctx context.Context, m *Moto, p props) error {
		_, err := m.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: p.sptr("bucket"), OwnershipControls: &s3types.OwnershipControls{
			Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnership(p.obj("rule").str("objectOwnership"))}}}})
		return err
	},
	nil,
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: aws.String(b)})
		return err
	}))

var _ = register("aws:s3/bucketPolicy:BucketPolicy", bucketConfig("internal/service/s3/bucket_policy.go",
	func(ctx context.Context, m *Moto, p props) error {
		_, err := m.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: p.sptr("bucket"), Policy: p.sptr("policy")})
		return err
	},
	func(ctx context.Context, m *Moto, b string) (resource.PropertyMap, error) {
		if _, err := m.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b)}); err != nil {
			return nil, gone(err, "NoSuchBucketPolicy")
		}
		return pm(), nil
	},
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String(b)})
		return err
	}))

// Deleting the versioning resource suspends versioning (bucket_versioning.go).
var _ = register("aws:s3/bucketVersioningV2:BucketVersioningV2", bucketConfig("internal/service/s3/bucket_versioning.go",
	func(ctx context.Context, m *Moto, p props) error {
		_, err := m.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: p.sptr("bucket"), VersioningConfiguration: &s3types.VersioningConfiguration{
			Status: s3types.BucketVersioningStatus(p.obj("versioningConfiguration").str("status"))}})
		return err
	},
	func(ctx context.Context, m *Moto, b string) (resource.PropertyMap, error) {
		out, err := m.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(b)})
		if err != nil {
			return nil, gone(err)
		}
		return pm("versioningConfiguration", map[string]any{"status": string(out.Status)}), nil
	},
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(b), VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}})
		return err
	}))

var _ = register("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", bucketConfig("internal/service/s3/bucket_server_side_encryption_configuration.go",
	func(ctx context.Context, m *Moto, p props) error {
		var rules []s3types.ServerSideEncryptionRule
		for _, r := range p.list("rules") {
			d := r.obj("applyServerSideEncryptionByDefault")
			rules = append(rules, s3types.ServerSideEncryptionRule{BucketKeyEnabled: aws.Bool(r.flag("bucketKeyEnabled")),
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryption(d.str("sseAlgorithm")), KMSMasterKeyID: d.sptr("kmsMasterKeyId")}})
		}
		_, err := m.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: p.sptr("bucket"), ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: rules}})
		return err
	},
	func(ctx context.Context, m *Moto, b string) (resource.PropertyMap, error) {
		out, err := m.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(b)})
		if err != nil {
			return nil, gone(err, "ServerSideEncryptionConfigurationNotFoundError")
		}
		var rules []any
		for _, r := range out.ServerSideEncryptionConfiguration.Rules {
			d := map[string]any{}
			if r.ApplyServerSideEncryptionByDefault != nil {
				d["sseAlgorithm"] = string(r.ApplyServerSideEncryptionByDefault.SSEAlgorithm)
				if k := aws.ToString(r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID); k != "" {
					d["kmsMasterKeyId"] = k
				}
			}
			rule := map[string]any{"applyServerSideEncryptionByDefault": d}
			// An unset bool and false are one value to the provider (its
			// SDK's zero value): only a true one is read back.
			if aws.ToBool(r.BucketKeyEnabled) {
				rule["bucketKeyEnabled"] = true
			}
			rules = append(rules, rule)
		}
		return pm("rules", rules), nil
	},
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: aws.String(b)})
		return err
	}))

var _ = register("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", bucketConfig("internal/service/s3/bucket_lifecycle_configuration.go",
	func(ctx context.Context, m *Moto, p props) error {
		var rules []s3types.LifecycleRule
		for _, r := range p.list("rules") {
			lr := s3types.LifecycleRule{ID: r.sptr("id"), Status: s3types.ExpirationStatus(r.str("status")), Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String(r.obj("filter").str("prefix"))}}
			if a := r.obj("abortIncompleteMultipartUpload"); len(a) > 0 {
				lr.AbortIncompleteMultipartUpload = &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(a.num("daysAfterInitiation"))}
			}
			if n := r.obj("noncurrentVersionExpiration"); len(n) > 0 {
				lr.NoncurrentVersionExpiration = &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(n.num("noncurrentDays"))}
			}
			if e := r.obj("expiration"); len(e) > 0 {
				lr.Expiration = &s3types.LifecycleExpiration{}
				if e.has("days") {
					lr.Expiration.Days = aws.Int32(e.num("days"))
				}
			}
			rules = append(rules, lr)
		}
		_, err := m.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: p.sptr("bucket"), LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: rules}})
		return err
	},
	nil,
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: aws.String(b)})
		return err
	}))

var _ = register("aws:s3/bucketLoggingV2:BucketLoggingV2", bucketConfig("internal/service/s3/bucket_logging.go",
	func(ctx context.Context, m *Moto, p props) error {
		put := func() error {
			_, err := m.s3.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: p.sptr("bucket"), BucketLoggingStatus: &s3types.BucketLoggingStatus{
				LoggingEnabled: &s3types.LoggingEnabled{TargetBucket: p.sptr("targetBucket"), TargetPrefix: aws.String(p.str("targetPrefix"))}}})
			return err
		}
		err := put()
		if m.Endpoint != "" && errCode(err) == "InvalidTargetBucketForLogging" {
			// AWS lets the logging service write through the target
			// bucket's policy (logging.s3.amazonaws.com may s3:PutObject
			// under the prefix; policies are evaluated with their
			// wildcards: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
			// moto 5.2.1 accepts the policy only when its statement names
			// the principal and resource as single strings, exactly
			// "<bucket>/<prefix>*" or "<bucket>/*"; its other way in, the
			// log-delivery group's ACL, stands in for the same grant.
			if aerr := logDeliveryGrant(ctx, m, p.str("targetBucket")); aerr != nil {
				return fmt.Errorf("%w (and the log-delivery grant moto takes instead: %v)", err, aerr)
			}
			err = put()
		}
		return err
	},
	nil,
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: aws.String(b), BucketLoggingStatus: &s3types.BucketLoggingStatus{}})
		return err
	}))

// Deleting the lock configuration leaves Object Lock on without a default
// retention: a bucket cannot turn it off (bucket_object_lock_configuration.go).
var _ = register("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", bucketConfig("internal/service/s3/bucket_object_lock_configuration.go",
	func(ctx context.Context, m *Moto, p props) error {
		c := &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabled(p.str("objectLockEnabled"))}
		if d := p.obj("rule").obj("defaultRetention"); len(d) > 0 {
			c.Rule = &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionMode(d.str("mode"))}}
			if d.has("days") {
				c.Rule.DefaultRetention.Days = aws.Int32(d.num("days"))
			}
			if d.has("years") {
				c.Rule.DefaultRetention.Years = aws.Int32(d.num("years"))
			}
		}
		_, err := m.s3.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: p.sptr("bucket"), ObjectLockConfiguration: c})
		return err
	},
	nil,
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(b), ObjectLockConfiguration: &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled}})
		return err
	}))

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// logDeliveryGrant adds the log-delivery group's WRITE and READ_ACP to a
// bucket's ACL (moto's stand-in for the policy grant, above).
func logDeliveryGrant(ctx context.Context, m *Moto, bucket string) error {
	acl, err := m.s3.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String(bucket)})
	if err != nil {
		return err
	}
	group := &s3types.Grantee{Type: s3types.TypeGroup, URI: aws.String("http://acs.amazonaws.com/groups/s3/LogDelivery")}
	grants := append(acl.Grants, s3types.Grant{Grantee: group, Permission: s3types.PermissionWrite}, s3types.Grant{Grantee: group, Permission: s3types.PermissionReadAcp})
	_, err = m.s3.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String(bucket), AccessControlPolicy: &s3types.AccessControlPolicy{Owner: acl.Owner, Grants: grants}})
	return err
}

// Replication: terraform-provider-aws bucket_replication_configuration.go
// puts the whole configuration (role and rules) in one PutBucketReplication
// and removes it with DeleteBucketReplication. Only what the programs set is
// carried: id, status, priority, an empty or prefix filter, delete-marker
// replication and the destination bucket.
var _ = register("aws:s3/bucketReplicationConfig:BucketReplicationConfig", bucketConfig("internal/service/s3/bucket_replication_configuration.go",
	func(ctx context.Context, m *Moto, p props) error {
		var rules []s3types.ReplicationRule
		for _, r := range p.list("rules") {
			rule := s3types.ReplicationRule{ID: r.sptr("id"), Status: s3types.ReplicationRuleStatus(r.str("status")),
				Destination: &s3types.Destination{Bucket: r.obj("destination").sptr("bucket")}}
			if r.has("priority") {
				rule.Priority = aws.Int32(r.num("priority"))
			}
			if r.has("filter") {
				rule.Filter = &s3types.ReplicationRuleFilter{Prefix: r.obj("filter").sptr("prefix")}
			}
			if r.has("deleteMarkerReplication") {
				rule.DeleteMarkerReplication = &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatus(r.obj("deleteMarkerReplication").str("status"))}
			}
			rules = append(rules, rule)
		}
		_, err := m.s3.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: p.sptr("bucket"),
			ReplicationConfiguration: &s3types.ReplicationConfiguration{Role: p.sptr("role"), Rules: rules}})
		return err
	},
	func(ctx context.Context, m *Moto, b string) (resource.PropertyMap, error) {
		if _, err := m.s3.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(b)}); err != nil {
			return nil, gone(err, "ReplicationConfigurationNotFoundError")
		}
		return nil, nil
	},
	func(ctx context.Context, m *Moto, b string) error {
		_, err := m.s3.DeleteBucketReplication(ctx, &s3.DeleteBucketReplicationInput{Bucket: aws.String(b)})
		return err
	}))
