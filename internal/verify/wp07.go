package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// allowedRegions are where the tenant's data may be: Tokyo, and Osaka
// when the stack declares disaster recovery.
func allowedRegions(t *Target) []string {
	allowed := []string{config.RegionTokyo}
	if t.Cfg.DisasterRecovery {
		allowed = append(allowed, config.RegionOsaka)
	}
	return allowed
}

// bucketRegion reads where a bucket lives (S3 reports us-east-1 as an
// empty constraint).
func bucketRegion(ctx context.Context, t *Target, b string) (string, error) {
	return cached(t, "location/"+b, func() (string, error) {
		out, err := t.Clients.S3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b)})
		if err != nil {
			return "", err
		}
		if out.LocationConstraint == "" {
			return "us-east-1", nil
		}
		return string(out.LocationConstraint), nil
	})
}

// WP-07: where the data lives.
var _ = register(Check{ID: "WP-07/regions", Control: "WP-07", Title: "buckets, key, log groups and trail in the allowed regions",
	Run: func(ctx context.Context, t *Target, r *Run) {
		allowed := allowedRegions(t)
		want := "in " + strings.Join(allowed, " or ")
		in := func(res, region string) {
			if slices.Contains(allowed, region) {
				r.Pass(res, "region "+region, want)
			} else {
				r.Fail(res, fmt.Sprintf("region %q", region), want)
			}
		}
		for _, b := range t.Inv.AllBuckets() {
			region, err := bucketRegion(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "a bucket "+want)
				continue
			}
			in(bucketRes(t, b), region)
		}
		if md, err := readKey(ctx, t); err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "a key "+want)
		} else {
			in("key "+aws.ToString(md.Arn), arnRegion(aws.ToString(md.Arn)))
		}
		eachLogGroup(ctx, t, r, "log groups "+want, func(name string, g logtypes.LogGroup) {
			in("log group "+name, arnRegion(aws.ToString(g.Arn)))
		})
		if trail, err := readTrail(ctx, t); err != nil {
			r.Error("trail "+t.Inv.Trail.Arn, err, "a trail homed "+want)
		} else if trail != nil {
			in("trail "+t.Inv.Trail.Arn, aws.ToString(trail.HomeRegion))
		}
	}})

// WP-07/replication: every replication rule of every bucket of the
// tenant's (enabled or not: a rule switched off is a path one call away)
// goes into a bucket the stack declares, judged by the plan rule's own
// verdict (expect.ReplicationProblem); where a destination is foreign, its
// region is read and named.
var _ = register(Check{ID: "WP-07/replication", Control: "WP-07", Title: "buckets replicate only into the tenant's own buckets",
	Run: func(ctx context.Context, t *Target, r *Run) {
		own := expect.Buckets(t.Cfg, t.Inv.AccountID)
		want := "no replication, or only into the stack's own buckets (" + strings.Join(ownNames(own), ", ") + ")"
		for _, b := range t.Inv.AllBuckets() {
			res := bucketRes(t, b)
			out, err := t.Clients.S3.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(b)})
			switch {
			case isCode(err, "ReplicationConfigurationNotFoundError"): // S3 API reference, GetBucketReplication
				r.Pass(res, answered("GetBucketReplication", err), want)
				continue
			case err != nil:
				r.Error(res, err, want)
				continue
			case out.ReplicationConfiguration == nil:
				r.Error(res, errEmpty("s3:GetBucketReplication", "ReplicationConfiguration"), want)
				continue
			}
			var into []string
			bad := false
			for _, rule := range out.ReplicationConfiguration.Rules {
				dest := ""
				if rule.Destination != nil {
					dest = aws.ToString(rule.Destination.Bucket)
				}
				into = append(into, dest)
				problem := expect.ReplicationProblem(dest, own)
				if problem == "" {
					continue
				}
				bad = true
				if name, ok := strings.CutPrefix(dest, "arn:aws:s3:::"); ok {
					if region, err := bucketRegion(ctx, t, name); err == nil {
						problem += " (in " + region + ")"
					}
				}
				r.Fail(res, fmt.Sprintf("rule %q (%s): %s", aws.ToString(rule.ID), rule.Status, problem), want)
			}
			if !bad {
				r.Pass(res, "replication into "+strings.Join(into, ", "), want)
			}
		}
	}})

func ownNames(bs []expect.Bucket) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Name)
	}
	return out
}

func arnRegion(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}
