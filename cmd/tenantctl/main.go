// Command tenantctl is the operator's tool: plan a tenant offline, and (as
// the lifecycle grows) verify, onboard and offboard tenants.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/tenantkit/tenantkit/internal/plan"
)

const usage = `usage: tenantctl <command> [flags]

commands:
  plan <tenant> | --all   run the tenant program offline under the Pulumi mock
                          engine and print its resources and control matrix

exit codes: 0 ok, 1 a mandatory control failed, 2 bad input or usage
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return plan.ExitBadInput
	}
	switch args[0] {
	case "plan":
		return plan.Main(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return plan.ExitOK
	}
	fmt.Fprintf(stderr, "tenantctl: unknown command %q\n%s", args[0], usage)
	return plan.ExitBadInput
}
