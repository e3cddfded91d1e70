package verify

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/tenantkit/tenantkit/internal/expect"
)

// WP-12/labels: every store of the tenant carries the DataClassification
// the stack gives it (expect: a data bucket its own classification, every
// store of mixed data the tenant's most protective one): buckets, log
// groups, the database and the instances' volumes. A valid label that is
// not the store's own is a finding (a personal bucket labelled public).
var _ = register(Check{ID: "WP-12/labels", Control: "WP-12", Title: "every data store carries the DataClassification the stack gives it",
	Run: func(ctx context.Context, t *Target, r *Run) {
		mixed := expect.MixedClassification(t.Cfg.DataClassifications)
		buckets := expect.Buckets(t.Cfg, t.Inv.AccountID)
		for _, b := range t.Inv.AllBuckets() {
			want := ""
			if i := slices.IndexFunc(buckets, func(x expect.Bucket) bool { return x.Name == b }); i >= 0 {
				want = buckets[i].Classification
			}
			tags, err := bucketTags(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "DataClassification tag")
				continue
			}
			label(r, bucketRes(t, b), tags["DataClassification"], want)
		}
		eachLogGroup(ctx, t, r, "DataClassification="+mixed, func(name string, g logtypes.LogGroup) {
			tags, err := logGroupTags(ctx, t, g)
			if err != nil {
				r.Error("log group "+name, err, "DataClassification="+mixed)
				return
			}
			label(r, "log group "+name, tags["DataClassification"], mixed)
		})
		if t.Cfg.Database.Enabled {
			if db, res, ok := database(ctx, t, r, "DataClassification="+mixed); ok {
				v := ""
				for _, tg := range db.TagList {
					if aws.ToString(tg.Key) == "DataClassification" {
						v = aws.ToString(tg.Value)
					}
				}
				label(r, res, v, mixed)
			}
		}
		vols, err := instanceVolumes(ctx, t)
		if err != nil {
			r.Error("volumes of "+t.Inv.AutoScalingGroup, err, "DataClassification="+mixed)
			return
		}
		for _, v := range vols {
			got := ""
			for _, tg := range v.Tags {
				if aws.ToString(tg.Key) == "DataClassification" {
					got = aws.ToString(tg.Value)
				}
			}
			label(r, volumeRes(v), got, mixed)
		}
	}})

// label judges a store's label against the one the stack gives it ("" when
// the stack declares no such store: any label is then a finding).
func label(r *Run, res, got, want string) {
	switch {
	case want == "":
		r.Fail(res, fmt.Sprintf("DataClassification=%q on a store the stack does not declare", got), "only the stack's stores")
	case got != want:
		r.Fail(res, fmt.Sprintf("DataClassification=%q", got), "DataClassification="+want)
	default:
		r.Pass(res, "DataClassification="+got, "DataClassification="+want)
	}
}
