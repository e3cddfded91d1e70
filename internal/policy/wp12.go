package policy

import (
	"slices"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
)

var dataStores = []string{tBucket, tLogGroup, tDB, tLaunchTemplate}

// WP-12: every data store carries a valid DataClassification.
var _ = register(Rule{ID: "WP-12",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if !isType(r, dataStores...) {
			return
		}
		label_ := tags(in, r)["DataClassification"]
		if r.Type == tLaunchTemplate {
			label_ = nil
			for _, ts := range asList(r.Get("tagSpecifications")) {
				if ts["resourceType"] == "volume" {
					if m, ok := ts["tags"].(map[string]any); ok {
						label_ = m["DataClassification"]
					}
				}
			}
		}
		s, _ := label_.(string)
		if !slices.Contains(config.Classifications, s) {
			e.Fail(label(r), label_, "DataClassification public, personal or confidential")
			return
		}
		e.Applies()
	},
})
