package policy

import (
	"fmt"

	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-22: noncurrent versions expire on every bucket; the database leaves
// nothing behind when it is deleted (no final snapshot, no automated
// backups kept: either would outlive the 30-day deletion of §10) and tags
// every snapshot with the tenant (so the leftover sweep finds one).
var _ = register(Rule{ID: "WP-22",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if r.Type == tLaunchTemplate {
			// The instances' volumes and interfaces go with them: a volume
			// kept after termination would outlive the tenant's data.
			for _, b := range asList(r.Get("blockDeviceMappings")) {
				if ebs, _ := b["ebs"].(map[string]any); !flagOn(ebs["deleteOnTermination"]) {
					e.Fail(label(r), fmt.Sprint(b["deviceName"])+" kept after termination", "volumes deleted with the instance")
					return
				}
			}
			for _, ni := range asList(r.Get("networkInterfaces")) {
				if !flagOn(ni["deleteOnTermination"]) {
					e.Fail(label(r), "network interface kept after termination", "interfaces deleted with the instance")
					return
				}
			}
			e.Applies()
			return
		}
		if r.Type != tDB {
			return
		}
		for _, k := range []string{"skipFinalSnapshot", "deleteAutomatedBackups", "copyTagsToSnapshot"} {
			if r.Get(k) != true {
				e.Fail(label(r), k+" not true", "no final snapshot, automated backups deleted with the instance, snapshots tagged")
				return
			}
		}
		e.Applies()
	},
	Whole: func(in *Input, e *Eval) {
		for _, b := range in.Graph.OfType(tBucket) {
			lc, state := configOf(in, tBucketLife, b)
			if state == refUnknown {
				e.Unknown(label(b), "the lifecycle", "noncurrent version expiration")
				continue
			}
			ok := false
			for _, rule := range asList(orEmpty(lc).Get("rules")) {
				if x, _ := rule["noncurrentVersionExpiration"].(map[string]any); x != nil && rule["status"] == "Enabled" {
					ok = true
				}
			}
			if lc == nil || !ok {
				e.Fail(label(b), "no enabled noncurrent-version expiration", "a lifecycle rule that expires noncurrent versions")
			} else {
				e.Applies()
			}
		}
	},
})
