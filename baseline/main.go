// Command baseline is the Pulumi program of the account baseline: one stack
// per AWS account and region (baseline/Pulumi.<stack>.yaml). Deploy it
// before the first tenant of the account: tenant keys name the Auto Scaling
// service-linked role it creates.
package main

import (
	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/internal/policy"
)

func main() { policy.Main(baseline.Guarded) }
