package policy

import (
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-11: the provider tags everything; nothing overrides a tag.
var _ = register(Rule{ID: "WP-11",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if in.Tenant == nil || !strings.HasPrefix(r.Type, "aws:") && r.Type != tProvider {
			return
		}
		want := map[string]string{"Tenant": in.Tenant.TenantID, "ManagedBy": "tenantkit", "Environment": in.Tenant.Environment}
		if r.Type == tProvider {
			for k, v := range want {
				if got, _ := r.String("defaultTags.tags." + k); got != v {
					e.Failf(label(r), fmt.Sprintf("default tag %s=%s", k, v), "default tag %s=%q", k, got)
					return
				}
			}
			e.Applies()
			return
		}
		own, _ := r.Get("tags").(map[string]any)
		for k, v := range want {
			if got, set := own[k]; set && got != v {
				e.Failf(label(r), fmt.Sprintf("tag %s=%s", k, v), "tag %s overridden to %v", k, got)
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Tenant != nil && len(in.Graph.OfType(tProvider)) == 0 {
			e.Fail("stack", "no AWS provider", "an explicit provider with default tags")
		}
	},
})
