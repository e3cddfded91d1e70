package verify

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
)

// WP-11: the stores and the network carry the tenant's three tags.
var _ = register(Check{ID: "WP-11/tags", Control: "WP-11", Title: "Tenant, ManagedBy and Environment on the tenant's resources",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := map[string]string{"Tenant": t.Inv.Tenant, "ManagedBy": "tenantkit", "Environment": t.Cfg.Environment}
		wantS := fmt.Sprintf("Tenant=%s ManagedBy=tenantkit Environment=%s", t.Inv.Tenant, t.Cfg.Environment)
		check := func(res string, got map[string]string) {
			for _, k := range []string{"Tenant", "ManagedBy", "Environment"} {
				if got[k] != want[k] {
					r.Fail(res, fmt.Sprintf("%s=%q", k, got[k]), k+"="+want[k])
					return
				}
			}
			r.Pass(res, fmt.Sprintf("Tenant=%s ManagedBy=%s Environment=%s", got["Tenant"], got["ManagedBy"], got["Environment"]), wantS)
		}
		for _, b := range t.Inv.AllBuckets() {
			if tags, err := bucketTags(ctx, t, b); err != nil {
				r.Error(bucketRes(t, b), err, "the tenant's tags")
			} else {
				check(bucketRes(t, b), tags)
			}
		}
		m := map[string]string{}
		err := allPages("kms:ListResourceTags", func(marker *string) (*string, error) {
			kt, err := t.Clients.KMS.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(t.Inv.KeyArn), Marker: marker})
			if err != nil {
				return nil, err
			}
			for _, tg := range kt.Tags {
				m[aws.ToString(tg.TagKey)] = aws.ToString(tg.TagValue)
			}
			if !kt.Truncated {
				return nil, nil
			}
			return kt.NextMarker, nil
		})
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "the tenant's tags")
		} else {
			check("key "+t.Inv.KeyArn, m)
		}
		if v, err := tenantVpc(ctx, t); err != nil {
			r.Error("VPC "+t.Inv.VpcID, err, "the tenant's tags")
		} else {
			m := map[string]string{}
			for _, tg := range v.Tags {
				m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
			}
			check("VPC "+t.Inv.VpcID, m)
		}
		eachLogGroup(ctx, t, r, "the tenant's tags", func(name string, g logtypes.LogGroup) {
			if tags, err := logGroupTags(ctx, t, g); err != nil {
				r.Error("log group "+name, err, "the tenant's tags")
			} else {
				check("log group "+name, tags)
			}
		})
	}})

// WP-11, the other half: everything the tagging API finds under the
// tenant's tag is managed by the tenant's stack (ManagedBy and Environment
// too: a resource tagged by hand is "extra"), and the inventory's
// resources are all among it (nothing missing).
var _ = register(Check{ID: "WP-11/sweep", Control: "WP-11", Title: "what carries the tenant's tag is the stack's, and the stack's carries it",
	Run: func(ctx context.Context, t *Target, r *Run) {
		found := map[string]map[string]string{}
		err := allPages("tag:GetResources", func(tok *string) (*string, error) {
			page, err := t.Clients.Tagging.GetResources(ctx, &resourcegroupstaggingapi.GetResourcesInput{
				TagFilters: []taggingtypes.TagFilter{{Key: aws.String("Tenant"), Values: []string{t.Inv.Tenant}}}, PaginationToken: tok})
			if err != nil {
				return nil, err
			}
			for _, m := range page.ResourceTagMappingList {
				tags := map[string]string{}
				for _, tg := range m.Tags {
					tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
				}
				if tags["Tenant"] == t.Inv.Tenant { // re-checked, whatever the filter did
					found[aws.ToString(m.ResourceARN)] = tags
				}
			}
			return page.PaginationToken, nil
		})
		if err != nil {
			r.Error("resources tagged Tenant="+t.Inv.Tenant, err, "the stack's resources, and only them")
			return
		}
		extra := 0
		for arn, tags := range found {
			if tags["ManagedBy"] != "tenantkit" || tags["Environment"] != t.Cfg.Environment {
				r.Fail(arn, fmt.Sprintf("tagged Tenant=%s but ManagedBy=%q Environment=%q", t.Inv.Tenant, tags["ManagedBy"], tags["Environment"]), "only the stack's resources carry the tenant's tag")
				extra++
			}
		}
		missing := 0
		for _, arn := range inventoryArns(t) {
			if _, ok := found[arn]; !ok {
				r.Fail(arn, "not found under Tenant="+t.Inv.Tenant, "the inventory's resource tagged")
				missing++
			}
		}
		if extra == 0 && missing == 0 {
			r.Pass("tenant "+t.Inv.Tenant, fmt.Sprintf("%d resources tagged Tenant=%s, each ManagedBy=tenantkit Environment=%s; the %d of the inventory among them", len(found), t.Inv.Tenant, t.Cfg.Environment, len(inventoryArns(t))),
				"only the stack's resources carry the tenant's tag, and each of the inventory's does")
		}
	}})

// inventoryArns are the inventory's resources the tagging API names by ARN.
func inventoryArns(t *Target) []string {
	var out []string
	add := func(arn string) {
		if arn != "" {
			out = append(out, arn)
		}
	}
	add(t.Inv.KeyArn)
	for _, b := range t.Inv.AllBuckets() {
		add("arn:aws:s3:::" + b)
	}
	add(t.Inv.TopicArn)
	add(t.Inv.LoadBalancerArn)
	add(fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", t.Inv.Region, t.Inv.AccountID, t.Inv.VpcID))
	if t.Inv.Database.Enabled {
		add(t.Inv.Database.Arn)
	}
	return out
}

// WP-11/stack-inventory: the inventory is the stack's. Expected resources
// come from the stack file; an inventory that names other data
// classifications, another trail mode or a database the stack does not
// declare (or lacks one it does) is a finding, not a new expectation.
var _ = register(Check{ID: "WP-11/stack-inventory", Control: "WP-11", Title: "the inventory holds what the stack declares",
	Run: func(ctx context.Context, t *Target, r *Run) {
		res := "inventory of " + t.Inv.Tenant
		var differ []string
		want := slices.Sorted(slices.Values(t.Cfg.DataClassifications))
		got := slices.Sorted(maps.Keys(t.Inv.Buckets.Data))
		if !slices.Equal(want, got) {
			differ = append(differ, fmt.Sprintf("data buckets %v, the stack's classifications %v", got, want))
		}
		if t.Inv.Trail.Mode != t.Cfg.TrailMode {
			differ = append(differ, fmt.Sprintf("trail mode %q, the stack's %q", t.Inv.Trail.Mode, t.Cfg.TrailMode))
		}
		if t.Inv.Database.Enabled != t.Cfg.Database.Enabled {
			differ = append(differ, fmt.Sprintf("database %v, the stack's %v", t.Inv.Database.Enabled, t.Cfg.Database.Enabled))
		}
		if len(differ) > 0 {
			r.Fail(res, strings.Join(differ, "; "), "the stack file's resources (redeploy, or export the inventory again)")
			return
		}
		r.Pass(res, fmt.Sprintf("data buckets %v, trail mode %s, database %v", got, t.Inv.Trail.Mode, t.Inv.Database.Enabled),
			fmt.Sprintf("the stack's: classifications %v, trail mode %s, database %v", want, t.Cfg.TrailMode, t.Cfg.Database.Enabled))
	}})
