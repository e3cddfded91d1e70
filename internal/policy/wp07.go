package policy

import (
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
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
			e.Fail(label(r), "an S3 replication rule", "no replication: data stays in the tenant's region")
		case strings.HasPrefix(r.Type, "aws:"):
			if r.Provider == "" {
				e.Fail(label(r), "the default provider", "the tenant's explicit provider")
			} else if _, set := r.Inputs["region"]; set {
				e.Fail(label(r), r.Inputs["region"], "no per-resource region override")
			}
		}
	},
})
