package storage

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// DataArgs configures the tenant's data buckets.
type DataArgs struct {
	TenantID  string
	AccountID string
	// Classifications: one bucket per label the tenant uses (WP-12).
	Classifications []string
	KeyArn          pulumi.StringOutput
	NoncurrentDays  int
	// LogBucket is the service-logs bucket that receives access logs.
	LogBucket string
	// S3EndpointID is the tenant VPC's S3 gateway endpoint; with the
	// tenant's roles it is the only way to the data (WP-17).
	S3EndpointID pulumi.StringInput
	// Deployers run Pulumi: the provider reads the buckets (HeadBucket needs
	// s3:ListBucket) and offboarding's destroy empties them.
	Deployers []string
	// Refreshers read what a refresh reads (HeadBucket is s3:ListBucket)
	// and no object.
	Refreshers []string
	// Deleting lets destroy empty the buckets (offboarding, WP-10).
	Deleting bool
}

// Data is the set of data buckets, keyed by classification.
type Data struct {
	pulumi.ResourceState

	Buckets map[string]*Bucket
}

// NewData builds one data bucket per classification.
func NewData(ctx *pulumi.Context, name string, args *DataArgs, opts ...pulumi.ResourceOption) (*Data, error) {
	if args == nil || len(args.Classifications) == 0 {
		return nil, fmt.Errorf("data %s: at least one classification is required", name)
	}
	d := &Data{Buckets: map[string]*Bucket{}}
	if err := ctx.RegisterComponentResource("tenantkit:storage:Data", name, d, opts...); err != nil {
		return nil, err
	}
	outputs := pulumi.Map{}
	for _, c := range args.Classifications {
		b, err := NewBucket(ctx, name+"-"+c, &BucketArgs{
			Name:           expect.BucketName(args.TenantID, c, args.AccountID),
			Role:           expect.RoleData,
			Classification: c,
			KeyArn:         args.KeyArn,
			NoncurrentDays: args.NoncurrentDays,
			LogBucket:      args.LogBucket,
			ForceDestroy:   args.Deleting,
			Protect:        !args.Deleting,
			PolicyInputs:   pulumi.StringArray{args.KeyArn, args.S3EndpointID},
			Statements: func(arn string, in []string) []policydoc.Statement {
				return DataStatements(arn, in[0], in[1], args.AccountID, args.TenantID, args.Deployers, args.Refreshers)
			},
		}, pulumi.Parent(d))
		if err != nil {
			return nil, err
		}
		d.Buckets[c] = b
		outputs[c] = pulumi.String(b.Name)
	}
	if err := ctx.RegisterResourceOutputs(d, outputs); err != nil {
		return nil, err
	}
	return d, nil
}

// DataStatements keep a data bucket to the tenant (WP-17): no other
// tenant's role reaches it at all; object access goes through the tenant's
// S3 endpoint, by the tenant's own roles or by the deployers; uploads are
// encrypted under the tenant key. Bucket administration (Pulumi's own
// calls) is left to IAM.
//
// An upload may name the encryption or leave it to the bucket default (the
// tenant key). Each deny therefore tests a header only when it is present
// (Null false): a negated operator such as StringNotEqualsIfExists matches
// an absent key and would refuse every plain upload (IAM user guide,
// "Condition operators"). Naming aws:kms without a key id is refused: S3
// then uses the AWS managed key aws/s3, not the bucket default (S3 API
// reference, PutObject, x-amz-server-side-encryption-aws-kms-key-id).
func DataStatements(arn, keyArn, endpointID, account, tenantID string, deployers, refreshers []string) []policydoc.Statement {
	objects := policydoc.List(arn + "/*")
	const sse, sseKey = "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"
	present := func(key string) map[string]policydoc.Strings {
		return map[string]policydoc.Strings{key: policydoc.List("false")}
	}
	return []policydoc.Statement{
		access.DenyOtherTenants(account, tenantID, policydoc.List("s3:*"), policydoc.List(arn, arn+"/*")),
		{Sid: "DenyUploadsNotKMS", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:PutObject"), Resource: objects,
			Condition: policydoc.Condition{"Null": present(sse), "StringNotEquals": {sse: policydoc.List("aws:kms")}}},
		{Sid: "DenyUploadsOtherKey", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:PutObject"), Resource: objects,
			Condition: policydoc.Condition{"Null": present(sseKey), "StringNotEquals": {sseKey: policydoc.List(keyArn)}}},
		{Sid: "DenyUploadsAWSManagedKey", Effect: "Deny", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:PutObject"), Resource: objects,
			Condition: policydoc.Condition{"Null": {sse: policydoc.List("false"), sseKey: policydoc.List("true")}}},
		{Sid: "DenyOutsideTenant", Effect: "Deny", Principal: policydoc.AWS("*"),
			Action:   policydoc.List("s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject"),
			Resource: policydoc.List(arn, arn+"/*"),
			Condition: policydoc.Condition{
				"StringNotEquals": {"aws:SourceVpce": policydoc.List(endpointID)},
				"ArnNotLike":      {"aws:PrincipalArn": policydoc.List(append([]string{access.TenantRoles(account, tenantID)}, deployers...)...)},
			}},
		// Listing (HeadBucket, which a refresh makes, needs s3:ListBucket)
		// is also open to the refresh roles; objects never are.
		{Sid: "DenyListingOutsideTenant", Effect: "Deny", Principal: policydoc.AWS("*"),
			Action:   policydoc.List("s3:ListBucket*"),
			Resource: policydoc.List(arn),
			Condition: policydoc.Condition{
				"StringNotEquals": {"aws:SourceVpce": policydoc.List(endpointID)},
				"ArnNotLike":      {"aws:PrincipalArn": policydoc.List(append(append([]string{access.TenantRoles(account, tenantID)}, deployers...), refreshers...)...)},
			}},
	}
}
