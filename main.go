// Command tenantkit is the Pulumi program of one tenant stack. The stack's
// config (stacks/Pulumi.<tenant>.yaml) says which tenant; components/tenant
// builds it, and the control guard stops a non-compliant deployment.
package main

import (
	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/policy"
)

func main() { policy.Main(tenant.Guarded) }
