package verify

import (
	"context"
	"slices"
)

var _ = register(Check{ID: "WP-17/bucket-policies", Control: "WP-17", Title: "no open principals; other tenants denied; data only through the tenant's endpoint or roles",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			doc, err := bucketPolicyDoc(ctx, t, b)
			if err != nil {
				r.Error(bucketRes(t, b), err, "a policy scoped to the tenant")
				continue
			}
			if doc == nil {
				r.Fail(bucketRes(t, b), "no bucket policy", "a policy scoped to the tenant")
				continue
			}
			bad := false
			for _, st := range doc.Statement {
				if st.Effect == "Allow" && slices.Contains(st.Principals("AWS"), "*") && len(st.Condition) == 0 {
					r.Fail(bucketRes(t, b), "statement "+st.Sid+" allows * without a condition", "principals restricted to the tenant")
					bad = true
				}
			}
			if !doc.DeniesOtherTenants(t.Inv.Tenant) {
				r.Fail(bucketRes(t, b), "no deny of the other tenants' roles (ArnLike role/tenants/*, ArnNotLike role/tenants/"+t.Inv.Tenant+"/*)", "every other tenant's role refused, whatever its IAM policies")
				bad = true
			}
			if bucketRole(t, b) == "data" {
				ok := false
				for _, st := range doc.Statement {
					if st.Effect == "Deny" && slices.Contains(st.ConditionValues("StringNotEquals", "aws:SourceVpce"), t.Inv.S3EndpointID) {
						ok = true
					}
				}
				if !ok {
					r.Fail(bucketRes(t, b), "no deny outside aws:SourceVpce "+t.Inv.S3EndpointID, "data reached only through the tenant's endpoint or roles")
					bad = true
				}
			}
			if !bad {
				r.Pass(bucketRes(t, b), "scoped to the tenant")
			}
		}
	}})
