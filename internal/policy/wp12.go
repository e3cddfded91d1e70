package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

var dataStores = []string{tBucket, tLogGroup, tDB, tLaunchTemplate}

// WP-12: every data store carries the DataClassification the stack gives
// it, as the live check compares what it reads: a data bucket its own
// classification, every store of mixed data (log buckets, log groups, the
// database, the instances' volumes) the tenant's most protective one. The
// baseline's stores need a valid label.
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
		want := "DataClassification public, personal or confidential"
		ok := slices.Contains(config.Classifications, s)
		if in.Tenant != nil {
			w := expect.MixedClassification(in.Tenant.DataClassifications)
			if r.Type == tBucket {
				name, _ := r.String("bucket")
				for _, c := range in.Tenant.DataClassifications {
					if strings.HasPrefix(name, "tk-"+in.Tenant.TenantID+"-"+c+"-") {
						w = c
					}
				}
			}
			want, ok = "DataClassification="+w, s == w
		}
		if !ok {
			e.Fail(label(r), fmt.Sprintf("DataClassification=%v", label_), want)
			return
		}
		e.Applies()
	},
})
