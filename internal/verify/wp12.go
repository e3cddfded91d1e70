package verify

import (
	"context"
	"fmt"
	"slices"

	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/tenantkit/tenantkit/internal/config"
)

// labelled reads the tags the tenant's stores carry: buckets and log groups.
var _ = register(Check{ID: "WP-12/labels", Control: "WP-12", Title: "every data store carries a valid DataClassification",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			tags, err := bucketTags(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "DataClassification tag")
				continue
			}
			label(r, bucketRes(t, b), tags["DataClassification"])
		}
		eachLogGroup(ctx, t, r, "DataClassification tag", func(name string, g logtypes.LogGroup) {
			tags, err := logGroupTags(ctx, t, g)
			if err != nil {
				r.Error("log group "+name, err, "DataClassification tag")
				return
			}
			label(r, "log group "+name, tags["DataClassification"])
		})
	}})

func label(r *Run, res, v string) {
	if slices.Contains(config.Classifications, v) {
		r.Pass(res, "DataClassification="+v)
	} else {
		r.Fail(res, fmt.Sprintf("DataClassification=%q", v), "public, personal or confidential")
	}
}
