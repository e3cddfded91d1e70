package verify

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Usage of `tenantctl verify`.
const Usage = `usage: tenantctl verify <tenant> (--inventory FILE | --discover) [flags]

Checks every control with a live column against the AWS APIs and writes an
evidence report. Exit codes: 0 all PASS (N/A allowed), 1 a FAIL, 3 no FAIL
but an ERROR (something could not be read), 2 bad input or usage.`

// Options of a verification.
type Options struct {
	Tenant    string
	Inventory string
	Discover  bool
	Region    string
	Endpoint  string
	Format    string
	Out       string
	StacksDir string
	Parallel  int
}

// Main runs `tenantctl verify`.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o Options
	fs.StringVar(&o.Inventory, "inventory", "", "the stack's inventory: pulumi stack output --json > FILE")
	fs.BoolVar(&o.Discover, "discover", false, "find the tenant's resources by their tags and names instead")
	fs.StringVar(&o.Region, "region", "", "AWS region (default: the stack's)")
	fs.StringVar(&o.Endpoint, "endpoint", os.Getenv("AWS_ENDPOINT_URL"), "AWS endpoint URL, e.g. an emulator (default AWS_ENDPOINT_URL)")
	fs.StringVar(&o.Format, "format", "text", "text, json, junit or markdown")
	fs.StringVar(&o.Out, "out", "", "write the report to FILE (default stdout)")
	fs.StringVar(&o.StacksDir, "stacks-dir", "stacks", "directory of the tenant stack files (the expected values)")
	fs.IntVar(&o.Parallel, "parallel", 8, "checks run at once")
	fs.Usage = func() { fmt.Fprintln(stderr, Usage); fs.PrintDefaults() }
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return cli.ExitBadInput
	}
	if len(pos) != 1 || (o.Inventory == "") == !o.Discover {
		fs.Usage()
		return cli.ExitBadInput
	}
	if o.Format != "text" && o.Format != "json" && o.Format != "junit" && o.Format != "markdown" {
		fmt.Fprintf(stderr, "tenantctl verify: --format %q: use text, json, junit or markdown\n", o.Format)
		return cli.ExitBadInput
	}
	o.Tenant = pos[0]
	report, code := Verify(ctx, o, stderr)
	if report == nil {
		return code
	}
	w := stdout
	if o.Out != "" {
		f, err := os.Create(o.Out)
		if err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: --out: %v\n", err)
			return cli.ExitBadInput
		}
		defer f.Close()
		w = f
	}
	if err := report.Write(w, o.Format); err != nil {
		fmt.Fprintf(stderr, "tenantctl verify: %v\n", err)
		return cli.ExitError
	}
	return report.ExitCode()
}

// Verify loads the expectations and the inventory, runs every check and
// returns the report and the exit code (nil report: bad input).
func Verify(ctx context.Context, o Options, stderr io.Writer) (*Report, int) {
	bad := func(format string, args ...any) (*Report, int) {
		fmt.Fprintf(stderr, "tenantctl verify: "+format+"\n", args...)
		return nil, cli.ExitBadInput
	}
	cfg, _, err := stackfile.Load(o.StacksDir, o.Tenant)
	if err != nil {
		return bad("%v", err)
	}
	others, err := stackfile.OtherCidrs(o.StacksDir, o.Tenant)
	if err != nil {
		return bad("%v", err)
	}
	region := o.Region
	if region == "" {
		region = cfg.Region
	}
	calls := &Calls{}
	awsCfg, err := LoadConfig(ctx, region, o.Endpoint, calls)
	if err != nil {
		return bad("AWS configuration: %v", err)
	}
	var inv *Inventory
	if o.Inventory != "" {
		if inv, err = ReadInventory(o.Inventory); err != nil {
			return bad("--inventory %s: %v", o.Inventory, err)
		}
	} else {
		f := &Finder{STS: sts.NewFromConfig(awsCfg), EC2: ec2.NewFromConfig(awsCfg), ELB: elbv2.NewFromConfig(awsCfg), KMS: kms.NewFromConfig(awsCfg)}
		if inv, err = Discover(ctx, f, cfg); err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: %v\n", err)
			return nil, cli.ExitError
		}
	}
	if inv.Tenant != o.Tenant {
		return bad("the inventory is tenant %q's, not %q's", inv.Tenant, o.Tenant)
	}
	now := time.Now()
	t := &Target{Inv: inv, Cfg: cfg, OtherCidrs: others, Clients: NewClients(awsCfg, o.Endpoint), Today: lifecycle.Today(now).Time()}
	results := RunChecks(ctx, t, Checks(), o.Parallel)
	return NewReport(t, results, now, calls), cli.ExitOK
}
