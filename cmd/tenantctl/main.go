// Command tenantctl is the operator's tool: plan a tenant offline, onboard
// and offboard tenants, list them, verify them on the live account.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/term"

	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/evidence"
	"github.com/tenantkit/tenantkit/internal/ops"
	"github.com/tenantkit/tenantkit/internal/plan"
	"github.com/tenantkit/tenantkit/internal/verify"
)

// commands are tenantctl's commands, in the order the help lists them.
var commands = []cli.Command{
	plan.Command, ops.OnboardCommand, ops.DeployCommand, ops.RecoverCommand, ops.OffboardCommand, ops.ListCommand, verify.Command, evidence.Command,
	{Name: "version", Synopsis: []string{"version"}, Summary: "print tenantctl's version (also in every report and evidence entry)"},
	{Name: "help", Synopsis: []string{"help [command]", "<command> --help"}, Summary: "this help, or a command's"},
}

// help writes the top-level help: every command's synopsis and summary.
func help(w io.Writer) {
	fmt.Fprintln(w, "tenantctl: builds, for every tenant, an isolated AWS environment in Tokyo, and proves it.")
	fmt.Fprintln(w, "\nusage: tenantctl <command> [flags]\n\ncommands:")
	for _, c := range commands {
		for _, s := range c.Synopsis {
			fmt.Fprintf(w, "  tenantctl %s\n", s)
		}
		fmt.Fprintf(w, "      %s\n", c.Summary)
	}
	fmt.Fprintln(w, "\n"+cli.ExitCodes)
}

func main() { os.Exit(run(os.Args[1:], newFactory(os.Stdout, os.Stderr))) }

// factory is what the commands share: the output streams and the way a
// deploy is made (the Automation API on the compiled-in tenant program;
// the process tests hand in another).
type factory struct {
	stdout, stderr io.Writer
	deployer       func(progress io.Writer) deploy.Deployer
}

func newFactory(stdout, stderr io.Writer) *factory {
	return &factory{stdout: stdout, stderr: stderr, deployer: func(progress io.Writer) deploy.Deployer {
		return &deploy.Inline{WorkDir: ".", Program: tenant.Inline, Out: progress}
	}}
}

func run(args []string, f *factory) int {
	stdout, stderr := f.stdout, f.stderr
	if len(args) == 0 {
		help(stderr)
		return cli.ExitBadInput
	}
	switch args[0] {
	case "plan":
		return plan.Main(args[1:], stdout, stderr)
	case "onboard":
		ctx, stop := interruptible(stderr)
		defer stop()
		return f.env().Onboard(ctx, args[1:])
	case "offboard":
		ctx, stop := interruptible(stderr)
		defer stop()
		return f.env().Offboard(ctx, args[1:])
	case "deploy":
		ctx, stop := interruptible(stderr)
		defer stop()
		return f.env().Deploy(ctx, args[1:])
	case "recover":
		ctx, stop := interruptible(stderr)
		defer stop()
		return f.env().Recover(ctx, args[1:])
	case "list":
		return f.env().List(args[1:])
	case "evidence":
		ctx, stop := cancellable()
		defer stop()
		return evidence.MainWith(ctx, args[1:], stdout, stderr, func(ctx context.Context, dir, tenant, key, upload string) error {
			return verify.Seal(ctx, verify.Options{Tenant: tenant, SignKey: key, Upload: upload, Endpoint: os.Getenv("AWS_ENDPOINT_URL"),
				StacksDir: "stacks", BaselineDir: "baseline", Mode: "lifecycle evidence"}, dir, stdout)
		})
	case "verify":
		ctx, stop := cancellable()
		defer stop()
		return verify.Main(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		if len(args) > 1 {
			if args[1] == "--help" || args[1] == "-h" {
				fmt.Fprintln(stdout, "usage:\n  tenantctl version\n\nPrints tenantctl's version: a release, or the commit it was built from\n(+dirty when the tree had changes). A build that names no commit says\nUNTRACEABLE, and so does everything it writes.\n\nexit codes: 0 ok, 2 bad input or usage")
				return cli.ExitOK
			}
			fmt.Fprintf(stderr, "tenantctl version: takes no arguments\n")
			return cli.ExitBadInput
		}
		fmt.Fprintf(stdout, "tenantctl %s\n", cli.Version())
		return cli.ExitOK
	case "help", "-h", "--help":
		if len(args) == 2 && args[0] == "help" {
			return run([]string{args[1], "--help"}, f)
		}
		help(stdout)
		return cli.ExitOK
	}
	fmt.Fprintf(stderr, "tenantctl: unknown command %q\n", args[0])
	help(stderr)
	return cli.ExitBadInput
}

// interruptible is the context of a command that changes things. The
// first SIGINT or SIGTERM asks it to stop: Pulumi, if running, is asked
// once to cancel and finishes the operations in flight (deploy.WithStop),
// the write in progress completes (a stack file and its evidence entry go
// together), the step is recorded as interrupted and the command stops
// before its next step. A second signal abandons: Pulumi is told to
// terminate and killed if it has not within 10 s, which may leave pending
// operations the evidence then names. A third kills tenantctl at once
// (the writes are atomic: a file is old or new, never half).
func interruptible(stderr io.Writer) (context.Context, context.CancelFunc) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	stop := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
			return
		}
		fmt.Fprintln(stderr, "tenantctl: stopping: the operations in flight finish, then the command stops before its next step (signal again to abandon them, which may leave pending operations in the stack's state)")
		close(stop)
		select {
		case <-sigs:
		case <-ctx.Done():
			return
		}
		fmt.Fprintln(stderr, "tenantctl: abandoning: Pulumi is told to terminate (a third signal kills tenantctl at once)")
		signal.Stop(sigs)
		cancel()
	}()
	return deploy.WithStop(ctx, stop), func() { signal.Stop(sigs); cancel() }
}

// cancellable is the context of a command that only reads (verify): the
// first signal cancels it; a second kills at once.
func cancellable() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// env is the real environment: the stacks and evidence directories of
// the working directory, the Automation API on the tenant program compiled
// into this binary, the AWS tagging API for the leftover check.
func (f *factory) env() *ops.Env {
	stdout, stderr := f.stdout, f.stderr
	dep := f.deployer(stderr)
	e := &ops.Env{
		StacksDir: "stacks", EvidenceDir: "evidence/lifecycle", BaselineDir: "baseline",
		Deployer: dep,
		Now:      clock.Now, Stdout: stdout, Stderr: stderr,
		Confirm: ops.TerminalConfirm(os.Stdin, stderr),
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		e.Progress = stderr
	}
	if in, ok := dep.(*deploy.Inline); ok {
		in.SecretsProvider = e.SecretsProvider
	}
	if in, ok := dep.(*deploy.Inline); ok {
		e.RecoverStack = func(ctx context.Context, tenant string) error {
			cfg, err := e.CellConfig(ctx, tenant)
			if err != nil {
				return err
			}
			return in.Recover(ctx, tenant, &deploy.Orphans{Tags: resourcegroupstaggingapi.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg),
				Logs: cloudwatchlogs.NewFromConfig(cfg), KMS: kms.NewFromConfig(cfg),
				// Path-style against an emulator's endpoint, as verify does.
				S3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = os.Getenv("AWS_ENDPOINT_URL") != "" })}, stdout)
		}
	}
	e.DataKey = func(ctx context.Context, p config.SecretsProvider) (string, error) {
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(p.Region))
		if err != nil {
			return "", err
		}
		return deploy.NewDataKey(ctx, kms.NewFromConfig(cfg), p.KeyID)
	}
	// Onboarding ends with the post-deploy verification of the new stack.
	// It reads the inventory the stack's up just exported (what was
	// deployed, deployers included) and judges the account settings
	// against the baseline's stack files, as `tenantctl verify` does.
	e.Verify = func(ctx context.Context, tenant string, outputs map[string]any) error {
		o := verify.Options{Tenant: tenant, Format: "text", StacksDir: e.StacksDir, BaselineDir: "baseline", Parallel: 8,
			Endpoint: os.Getenv("AWS_ENDPOINT_URL")}
		inv, err := verify.InventoryFromOutputs(outputs)
		if err != nil {
			return ops.ExitError(cli.ExitError, fmt.Errorf("deployed %s, but its outputs hold no inventory to verify (%v): run tenantctl verify %s --discover", tenant, err, tenant))
		}
		o.Inventoried = inv
		report, code := verify.Verify(ctx, o, stderr)
		if report != nil {
			_ = report.Write(stdout, "text")
			code = report.ExitCode()
		}
		if code != cli.ExitOK {
			return ops.ExitError(code, fmt.Errorf("post-deploy verification of %s did not pass (exit %d)", tenant, code))
		}
		return nil
	}
	e.Leftovers = func(ctx context.Context, tenant string) ([]string, error) {
		cfg, err := e.CellConfig(ctx, tenant)
		if err != nil {
			return nil, err
		}
		return deploy.Leftovers(ctx, resourcegroupstaggingapi.NewFromConfig(cfg), ec2.NewFromConfig(cfg), tenant)
	}
	return e
}
