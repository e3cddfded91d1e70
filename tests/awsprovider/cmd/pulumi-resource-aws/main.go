// Command pulumi-resource-aws is the test provider (tests/awsprovider)
// served as the Pulumi CLI's "aws" plugin, backed by the AWS endpoint in
// TENANTKIT_AWS_ENDPOINT (moto). It reports the pinned pulumi-aws version,
// so the CLI takes it for the plugin the programs ask for. TENANTKIT_TEST_FAULTS
// names a directory of faults it then meets (awsprovider.Faults). Never put it on
// the PATH of a real deploy: it is for the journey against moto.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/pkg/v3/resource/provider"
	sdkprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/tenantkit/tenantkit/tests/awsprovider"
)

func main() {
	endpoint := os.Getenv("TENANTKIT_AWS_ENDPOINT")
	if endpoint == "" {
		fmt.Fprintln(os.Stderr, "pulumi-resource-aws (tenantkit test provider): TENANTKIT_AWS_ENDPOINT is not set; this plugin only deploys into an emulator such as moto (http://127.0.0.1:<port>)")
		os.Exit(1)
	}
	a := awsprovider.NewAccount("")
	a.Endpoint = endpoint
	if err := provider.Main("aws", func(*sdkprovider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		p := a.Provider()
		if dir := os.Getenv("TENANTKIT_TEST_FAULTS"); dir != "" {
			p = awsprovider.Faults(p, dir) // the journey's failures and slow creates
		}
		return plugin.NewProviderServer(p), nil
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
