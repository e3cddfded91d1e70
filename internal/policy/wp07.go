package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

var allowedRegions = []string{config.RegionTokyo, config.RegionOsaka}

// WP-07: one allowed Japanese region, on an explicit provider, for all.
var _ = register(Rule{ID: "WP-07",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch {
		case r.Type == tProvider:
			region, ok := r.String("region")
			switch {
			case r.IsUnknown("region"):
				e.Unknown(label(r), "region", "ap-northeast-1")
			case !ok || !slices.Contains(allowedRegions, region):
				e.Fail(label(r), region, "ap-northeast-1 (or ap-northeast-3 for disaster recovery)")
			case region == config.RegionOsaka && in.Tenant != nil && !in.Tenant.DisasterRecovery:
				e.Fail(label(r), region, "ap-northeast-3 only with disasterRecovery: true")
			default:
				e.Applies()
			}
		case r.Type == tReplication:
			// The one replication the programs make copies the tenant's
			// access logs into its own archive, same account and region
			// (components/logging, WP-39); any other destination could
			// carry data out of the region.
			if dest := foreignDestinations(in, r); len(dest) > 0 {
				e.Fail(label(r), "S3 replication to "+strings.Join(dest, ", "), "no replication but into the stack's own buckets: data stays in the tenant's region")
			} else {
				e.Applies()
			}
		case strings.HasPrefix(r.Type, "aws:"):
			if r.Provider == "" {
				e.Fail(label(r), "the default provider", "the tenant's explicit provider")
			} else if _, set := r.Inputs["region"]; set {
				e.Fail(label(r), r.Inputs["region"], "no per-resource region override")
			}
		}
	},
})

// foreignDestinations are the destinations of a replication configuration
// that are not buckets of this stack (all of them when the rules cannot be
// read), judged as the live check judges them (expect.ReplicationProblem).
func foreignDestinations(in *Input, r *graph.Resource) []string {
	var own []expect.Bucket
	for _, b := range in.Graph.OfType(tBucket) {
		if name, ok := b.String("bucket"); ok {
			own = append(own, expect.Bucket{Name: name})
		}
	}
	rules, _ := r.Get("rules").([]any)
	if len(rules) == 0 {
		return []string{"destinations not given"}
	}
	var out []string
	for _, x := range rules {
		rule, _ := x.(map[string]any)
		dest, _ := rule["destination"].(map[string]any)
		b, _ := dest["bucket"].(string)
		if expect.ReplicationProblem(b, own) != "" {
			out = append(out, fmt.Sprint(dest["bucket"]))
		}
	}
	return out
}
