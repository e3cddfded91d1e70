// Command tenantkit is the Pulumi program of one tenant stack. The stack's
// config (stacks/Pulumi.<tenant>.yaml) says which tenant; components/tenant
// builds it, and the control guard stops a non-compliant deployment.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/policy"
)

func main() {
	var guard *policy.Guard
	err := pulumi.RunErr(tenant.Guarded(&guard))
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
