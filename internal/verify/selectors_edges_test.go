package verify

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// Operators gremlins found unpinned in the selector evaluation: an ARN
// field with EndsWith or NotEndsWith names only some keys (no proof); a
// field with StartsWith alone admits a value it prefixes.
func TestSelectorOperatorEdges(t *testing.T) {
	bucket := "arn:aws:s3:::tk-acme-data-personal"
	sel := func(arn cttypes.AdvancedFieldSelector, source cttypes.AdvancedFieldSelector) cttypes.AdvancedEventSelector {
		arn.Field, source.Field = aws.String("resources.ARN"), aws.String("eventSource")
		return cttypes.AdvancedEventSelector{FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("eventCategory"), Equals: []string{"Data"}},
			{Field: aws.String("resources.type"), Equals: []string{"AWS::S3::Object"}},
			source, arn,
		}}
	}
	all := cttypes.AdvancedFieldSelector{StartsWith: []string{bucket + "/"}}
	s3 := cttypes.AdvancedFieldSelector{Equals: []string{"s3.amazonaws.com"}}
	for _, c := range []struct {
		name   string
		s      cttypes.AdvancedEventSelector
		covers bool
	}{
		{"every key of the bucket", sel(all, s3), true},
		{"event source by StartsWith alone", sel(all, cttypes.AdvancedFieldSelector{StartsWith: []string{"s3."}}), true},
		{"event source StartsWith another service", sel(all, cttypes.AdvancedFieldSelector{StartsWith: []string{"ec2."}}), false},
		{"ARN EndsWith: some keys only", sel(cttypes.AdvancedFieldSelector{StartsWith: []string{bucket + "/"}, EndsWith: []string{".log"}}, s3), false},
		{"ARN NotEndsWith: keys excluded", sel(cttypes.AdvancedFieldSelector{StartsWith: []string{bucket + "/"}, NotEndsWith: []string{".tmp"}}, s3), false},
		{"ARN NotEquals outside the bucket", sel(cttypes.AdvancedFieldSelector{StartsWith: []string{bucket + "/"}, NotEquals: []string{"arn:aws:s3:::other/x"}}, s3), true},
	} {
		for _, ro := range readOnlyValues {
			if got := selectorCovers(c.s, bucket, ro); got != c.covers {
				t.Errorf("%s (readOnly %s): covers %v, want %v", c.name, ro, got, c.covers)
			}
		}
	}
}

// Checks come in ID order (the reports list them so), each ID once.
func TestChecksInIDOrder(t *testing.T) {
	var ids []string
	for _, c := range Checks() {
		ids = append(ids, c.ID)
	}
	if len(ids) < 20 || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("checks not in ID order or repeated: %v", ids)
	}
}

// RunChecks with a parallelism below 1 still runs every check (one at a
// time) instead of blocking on a channel without room.
func TestRunChecksParallelismBelowOne(t *testing.T) {
	var list []Check
	for _, id := range []string{"X/1", "X/2", "X/3"} {
		list = append(list, Check{ID: id, Control: "WP-07", Run: func(_ context.Context, _ *Target, r *Run) { r.Pass("r", "ok", "ok") }})
	}
	for _, p := range []int{0, -1} {
		done := make(chan []CheckResult, 1)
		go func() { done <- RunChecks(context.Background(), &Target{}, list, p) }()
		select {
		case res := <-done:
			if len(res) != 3 {
				t.Errorf("parallel %d: %d results", p, len(res))
			}
			for _, r := range res {
				if r.Status != catalog.Pass {
					t.Errorf("parallel %d: %s %s", p, r.ID, r.Status)
				}
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("parallel %d: RunChecks blocked", p)
		}
	}
}
