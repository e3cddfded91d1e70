package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

func bucketPolicyDoc(ctx context.Context, t *Target, b string) (*policydoc.Document, error) {
	return cached(t, "policy/"+b, func() (*policydoc.Document, error) {
		out, err := t.Clients.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b)})
		if isCode(err, "NoSuchBucketPolicy") {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return policydoc.Parse(aws.ToString(out.Policy))
	})
}

func bucketTags(ctx context.Context, t *Target, b string) (map[string]string, error) {
	return cached(t, "tags/"+b, func() (map[string]string, error) {
		out, err := t.Clients.S3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(b)})
		if isCode(err, "NoSuchTagSet") {
			return map[string]string{}, nil
		}
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, tg := range out.TagSet {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m, nil
	})
}

func bucketRole(t *Target, b string) string {
	switch b {
	case t.Inv.Buckets.ServiceLogs:
		return "service-logs"
	case t.Inv.Buckets.LogArchive:
		return "log-archive"
	}
	return "data"
}

func bucketRes(t *Target, b string) string { return "bucket " + b + " (" + bucketRole(t, b) + ")" }

// readKey describes the tenant key once.
func readKey(ctx context.Context, t *Target) (*kmstypes.KeyMetadata, error) {
	return cached(t, "key", func() (*kmstypes.KeyMetadata, error) {
		return describeKey(ctx, t.Clients.KMS, t.Inv.KeyArn)
	})
}

// tenantLogGroups reads the tenant's log groups: the inventory's, and
// always the tenant's own directory /tenants/<id>/ (where the groups the
// stack implies live, such as its trail's), by prefix, in as few calls as
// the API allows (one per prefix and page).
func tenantLogGroups(ctx context.Context, t *Target) (map[string]logtypes.LogGroup, error) {
	return cached(t, "loggroups", func() (map[string]logtypes.LogGroup, error) {
		// One call per directory: /tenants/<id>/ holds most of them. The
		// operators' session group of the tenant (WP-18) by its own name.
		prefixes := map[string]bool{"/tenants/" + t.Inv.Tenant + "/": true, expect.TenantSessionLogGroup(t.Inv.Tenant): true}
		for _, g := range t.Inv.LogGroups {
			prefixes[g[:strings.LastIndex(g, "/")+1]] = true
		}
		found := map[string]logtypes.LogGroup{}
		for p := range prefixes {
			err := allPages("logs:DescribeLogGroups", func(token *string) (*string, error) {
				page, err := t.Clients.Logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(p), NextToken: token})
				if err != nil {
					return nil, err
				}
				for _, g := range page.LogGroups {
					found[aws.ToString(g.LogGroupName)] = g
				}
				return page.NextToken, nil
			})
			if err != nil {
				return nil, err
			}
		}
		return found, nil
	})
}

// eachLogGroup runs fn on every inventory log group, ERROR for a missing one.
func eachLogGroup(ctx context.Context, t *Target, r *Run, expected string, fn func(name string, g logtypes.LogGroup)) {
	groups, err := tenantLogGroups(ctx, t)
	if err != nil {
		r.Error("log groups of "+t.Inv.Tenant, err, expected)
		return
	}
	for _, name := range t.Inv.LogGroups {
		g, ok := groups[name]
		if !ok {
			r.Error("log group "+name, fmt.Errorf("not found"), expected)
			continue
		}
		fn(name, g)
	}
}

func logGroupTags(ctx context.Context, t *Target, g logtypes.LogGroup) (map[string]string, error) {
	arn := strings.TrimSuffix(aws.ToString(g.Arn), ":*")
	return cached(t, "lgtags/"+arn, func() (map[string]string, error) {
		out, err := t.Clients.Logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		return out.Tags, nil
	})
}

// dbParameters reads the values a parameter group sets (source user), all
// pages, once per target whichever checks need them.
func dbParameters(ctx context.Context, t *Target, group string) (map[string]string, error) {
	return cached(t, "dbparams/"+group, func() (map[string]string, error) {
		out := map[string]string{}
		err := allPages("rds:DescribeDBParameters", func(marker *string) (*string, error) {
			page, err := t.Clients.RDS.DescribeDBParameters(ctx, &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String(group), Source: aws.String("user"), Marker: marker})
			if err != nil {
				return nil, err
			}
			for _, prm := range page.Parameters {
				out[aws.ToString(prm.ParameterName)] = aws.ToString(prm.ParameterValue)
			}
			return page.Marker, nil
		})
		return out, err
	})
}
