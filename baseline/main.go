// Command baseline is the Pulumi program of the account baseline: one stack
// per AWS account and region (baseline/Pulumi.<stack>.yaml). Deploy it
// before the first tenant of the account: tenant keys name the Auto Scaling
// service-linked role it creates.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/internal/policy"
)

func main() {
	var guard *policy.Guard
	err := pulumi.RunErr(baseline.Guarded(&guard))
	if err == nil && guard != nil {
		var warnings []string
		warnings, err = guard.Finish()
		for _, w := range warnings {
			fmt.Fprintln(os.Stderr, "warning:", w)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
