// Command tenantkit is the Pulumi program of one tenant stack. The stack's
// config (stacks/Pulumi.<tenant>.yaml) says which tenant; components/tenant
// builds it.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/tenant"
)

func main() {
	pulumi.Run(tenant.Program)
}
