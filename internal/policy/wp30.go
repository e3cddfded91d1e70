package policy

import (
	"slices"
)

// WP-30: Inspector (baseline) and a patch association per tenant.
var _ = register(Rule{ID: "WP-30",
	Whole: func(in *Input, e *Eval) {
		if in.Baseline {
			for _, en := range in.Graph.OfType(tInspector) {
				types := strs(en.Get("resourceTypes"))
				if slices.Contains(types, "EC2") && slices.Contains(types, "ECR") {
					e.Applies()
					return
				}
			}
			e.Fail("baseline", "Inspector not enabled for EC2 and ECR", "inspector2 enabler for EC2, ECR")
			return
		}
		for _, db := range in.Graph.OfType(tDB) {
			if db.Get("autoMinorVersionUpgrade") != true {
				e.Fail(label(db), "automatic minor version upgrades off", "the database patched in its maintenance window")
			}
		}
		for _, a := range in.Graph.OfType(tAssociation) {
			if n, _ := a.String("name"); n == "AWS-RunPatchBaseline" {
				e.Applies()
				return
			}
		}
		e.Fail("stack", "no patch association", "an AWS-RunPatchBaseline association for the tenant's instances")
	},
})
