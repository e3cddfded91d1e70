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
)

// WP-07: where the data lives.
var _ = register(Check{ID: "WP-07/regions", Control: "WP-07", Title: "buckets, key, log groups and trail in the allowed regions",
	Run: func(ctx context.Context, t *Target, r *Run) {
		allowed := []string{config.RegionTokyo}
		if t.Cfg.DisasterRecovery {
			allowed = append(allowed, config.RegionOsaka)
		}
		in := func(res, region string) {
			if slices.Contains(allowed, region) {
				r.Pass(res, region)
			} else {
				r.Fail(res, fmt.Sprintf("region %q", region), strings.Join(allowed, " or "))
			}
		}
		for _, b := range t.Inv.AllBuckets() {
			out, err := t.Clients.S3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b)})
			if err != nil {
				r.Error(bucketRes(t, b), err, "a bucket in "+strings.Join(allowed, " or "))
				continue
			}
			region := string(out.LocationConstraint)
			if region == "" {
				region = "us-east-1" // S3 reports us-east-1 as an empty constraint
			}
			in(bucketRes(t, b), region)
		}
		if md, err := readKey(ctx, t); err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "a key in "+strings.Join(allowed, " or "))
		} else {
			in("key "+aws.ToString(md.Arn), arnRegion(aws.ToString(md.Arn)))
		}
		eachLogGroup(ctx, t, r, "log groups in "+strings.Join(allowed, " or "), func(name string, g logtypes.LogGroup) {
			in("log group "+name, arnRegion(aws.ToString(g.Arn)))
		})
		if trail, err := readTrail(ctx, t); err != nil {
			r.Error("trail "+t.Inv.Trail.Arn, err, "a trail homed in "+strings.Join(allowed, " or "))
		} else if trail != nil {
			in("trail "+t.Inv.Trail.Arn, aws.ToString(trail.HomeRegion))
		}
	}})

func arnRegion(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}
