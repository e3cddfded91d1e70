package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// An operator's Ctrl-C during a deploy: Pulumi's own CLI takes a first
// SIGINT as "cancel": the operations in flight finish and are recorded,
// nothing new starts, the lock is released; only a second SIGINT makes it
// terminate at once, which may leave pending operations: resources that
// exist in AWS but not in the state (pkg/backend/cancellation_scope.go,
// "If you would like to terminate immediately, press ^C again").
//
// The Automation API's own command runner undoes that: it runs the CLI in
// the caller's process group (its new-process-group hook does nothing on
// unix), so a terminal's Ctrl-C reaches the CLI directly and again through
// the cancelled context, which is the second SIGINT; and it kills the CLI
// 10 s after the context is cancelled, in flight or not (sdk/go/auto
// cmd.go, Run: cmd.Cancel, cmd.WaitDelay). Our runner (pulumiCLI) runs the
// CLI in a process group of its own, so only tenantctl signals it: the
// first stop (WithStop's channel closing) sends one SIGINT and waits for
// the CLI to finish however long that takes; cancelling the context (the
// operator's second signal, "abandon") sends the second SIGINT and kills
// the CLI if it has not ended 10 s later.

type stopKey struct{}

// WithStop returns a context whose Pulumi operations stop gracefully when
// stop is closed: the CLI is asked once to cancel and is waited for.
// Cancelling the context itself abandons them.
func WithStop(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, stopKey{}, stop)
}

// StopSignal is the channel WithStop set (nil, never ready, when none).
func StopSignal(ctx context.Context) <-chan struct{} {
	c, _ := ctx.Value(stopKey{}).(<-chan struct{})
	return c
}

// Stopping reports whether a graceful stop (or an abandon) was asked.
func Stopping(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	select {
	case <-StopSignal(ctx):
		return true
	default:
		return false
	}
}

// Interrupted is a Pulumi operation the operator stopped.
type Interrupted struct {
	Op, Stack string
	// Abandoned: the operator's second signal; the CLI was not waited for.
	Abandoned bool
	// Pending are the operations the state holds as begun and never
	// finished: a pending create's resource may exist in AWS and not in
	// the state. Unknown says why they could not be read, if so.
	Pending []Pending
	Unknown string
	Err     error
}

// Pending is one pending operation of a stack's state.
type Pending struct {
	Op   string // creating, updating, deleting, ...
	Type string // aws:ec2/vpc:Vpc
	URN  string
	// Parent and Provider are the URNs a resource is imported under
	// (the provider reference without its id).
	Parent, Provider string
}

func (p Pending) String() string { return p.Op + " " + p.URN }

// Name is the resource's name, the URN's last part.
func (p Pending) Name() string {
	if i := strings.LastIndex(p.URN, "::"); i >= 0 {
		return p.URN[i+2:]
	}
	return p.URN
}

func (e *Interrupted) Error() string {
	how := "stopped after the operations in flight finished"
	if e.Abandoned {
		how = "abandoned (second signal): the operations in flight were not waited for"
	}
	msg := fmt.Sprintf("%s %s interrupted: %s", e.Op, e.Stack, how)
	switch {
	case e.Unknown != "":
		msg += "; the state could not be read for pending operations: " + e.Unknown
	case len(e.Pending) > 0:
		var ops []string
		for _, p := range e.Pending {
			ops = append(ops, p.String())
		}
		msg += fmt.Sprintf("; %d pending operation(s) in the state: %s", len(e.Pending), strings.Join(ops, ", "))
	default:
		msg += "; the state holds no pending operation"
	}
	return msg
}

func (e *Interrupted) Unwrap() error { return e.Err }

// Recovery is what an operator runs, in order, before the step is run
// again; nothing when the stop was graceful and the state is clean (the
// step is simply run again). It follows Pulumi's documented path for an
// interrupted update
// (https://www.pulumi.com/docs/iac/troubleshooting/common-issues/interrupted-updates/):
// release the lock the abandoned CLI held (`pulumi cancel`), settle each
// pending create, then clear them (`pulumi refresh --clear-pending-creates`).
// A pending create's resource, if AWS made it, is deleted: it is new, so
// nothing depends on it and it holds no data, and the re-run creates it
// again under the state (leaving it would give a second VPC, or a failure
// on a fixed name). Taking it into the state instead is what `pulumi
// refresh --import-pending-creates` is for, but with the CLI v3.274.1 it
// drops the pending create without recording the resource (the re-run in
// tests/journey TestLifecycleUnderFailure made a second VPC), and `pulumi
// import` needs the program's language plugin, which the Automation API's
// inline programs do not have.
func (e *Interrupted) Recovery() []string {
	var out []string
	if e.Abandoned || e.Unknown != "" {
		out = append(out, fmt.Sprintf("pulumi cancel --stack %s --yes", e.Stack))
	}
	if e.Unknown != "" {
		out = append(out, fmt.Sprintf("pulumi stack export --stack %s   # read pending_operations: each pending create's type and name; delete what AWS made of them", e.Stack))
	}
	creates := 0
	for _, p := range e.Pending {
		if p.Op != string(apitype.OperationTypeCreating) {
			continue // an update or delete in flight is read back by the refresh
		}
		creates++
		why := fmt.Sprintf("   # the %s %s, if AWS made it (find <ID> by its tag Tenant=%s: aws resourcegroupstaggingapi get-resources --tag-filters Key=Tenant,Values=%s); new, nothing depends on it", p.Type, p.Name(), e.Stack, e.Stack)
		if del, ok := deleteCommands[p.Type]; ok {
			out = append(out, del+why)
		} else {
			out = append(out, fmt.Sprintf("delete the %s %s in AWS", p.Type, p.Name())+why)
		}
	}
	if creates > 0 || e.Unknown != "" {
		out = append(out, fmt.Sprintf("pulumi refresh --stack %s --yes --clear-pending-creates", e.Stack))
	} else if len(e.Pending) > 0 {
		out = append(out, fmt.Sprintf("pulumi refresh --stack %s --yes", e.Stack))
	}
	return out
}

// deleteCommands delete, with the AWS CLI, a resource of the types whose
// creates take long enough to be caught in flight (AWS CLI reference,
// https://docs.aws.amazon.com/cli/latest/reference/: ec2 delete-vpc,
// delete-subnet, delete-security-group, delete-nat-gateway; s3api
// delete-bucket; kms schedule-key-deletion; rds delete-db-instance;
// elbv2 delete-load-balancer; logs delete-log-group).
var deleteCommands = map[string]string{
	"aws:ec2/vpc:Vpc":                     "aws ec2 delete-vpc --vpc-id <ID>",
	"aws:ec2/subnet:Subnet":               "aws ec2 delete-subnet --subnet-id <ID>",
	"aws:ec2/securityGroup:SecurityGroup": "aws ec2 delete-security-group --group-id <ID>",
	"aws:ec2/natGateway:NatGateway":       "aws ec2 delete-nat-gateway --nat-gateway-id <ID>",
	"aws:s3/bucketV2:BucketV2":            "aws s3api delete-bucket --bucket <ID>",
	"aws:kms/key:Key":                     "aws kms schedule-key-deletion --key-id <ID> --pending-window-in-days 7",
	"aws:rds/instance:Instance":           "aws rds delete-db-instance --db-instance-identifier <ID> --skip-final-snapshot",
	"aws:lb/loadBalancer:LoadBalancer":    "aws elbv2 delete-load-balancer --load-balancer-arn <ID>",
	"aws:cloudwatch/logGroup:LogGroup":    "aws logs delete-log-group --log-group-name <ID>",
}

// IsInterrupted reports an operation the operator stopped.
func IsInterrupted(err error) bool {
	var i *Interrupted
	return errors.As(err, &i)
}

// interrupted turns the error of an operation that was asked to stop into
// an Interrupted, with the pending operations the state now holds.
func interrupted(ctx context.Context, s auto.Stack, op, name string, err error) error {
	if err == nil || !Stopping(ctx) {
		return err
	}
	i := &Interrupted{Op: op, Stack: name, Abandoned: ctx.Err() != nil, Err: err}
	// The state is read even when the context is gone (abandoned), and
	// without the stop that ended the operation.
	rctx, cancel := context.WithTimeout(WithStop(context.WithoutCancel(ctx), nil), 30*time.Second)
	defer cancel()
	i.Pending, err = pendingOperations(rctx, s)
	if err != nil {
		i.Unknown = err.Error()
	}
	return i
}

// pendingOperations reads the operations a stack's state holds as begun.
func pendingOperations(ctx context.Context, s auto.Stack) ([]Pending, error) {
	exp, err := s.Export(ctx)
	if err != nil {
		return nil, err
	}
	return pendingOf(exp)
}

func pendingOf(exp apitype.UntypedDeployment) ([]Pending, error) {
	d, err := deploymentOf(exp)
	if err != nil {
		return nil, err
	}
	return pendingIn(d), nil
}

// deploymentOf reads an exported state (empty: a stack never updated).
func deploymentOf(exp apitype.UntypedDeployment) (*apitype.DeploymentV3, error) {
	var d apitype.DeploymentV3
	if len(exp.Deployment) == 0 {
		return &d, nil
	}
	if err := json.Unmarshal(exp.Deployment, &d); err != nil {
		return nil, fmt.Errorf("read the exported state: %w", err)
	}
	return &d, nil
}

// pendingIn are a state's pending operations.
func pendingIn(d *apitype.DeploymentV3) []Pending {
	var out []Pending
	for _, op := range d.PendingOperations {
		provider, _, _ := strings.Cut(op.Resource.Provider, "::"+lastPart(op.Resource.Provider))
		out = append(out, Pending{Op: string(op.Type), Type: string(op.Resource.Type), URN: string(op.Resource.URN),
			Parent: string(op.Resource.Parent), Provider: provider})
	}
	return out
}

// lastPart is what follows a provider reference's last "::" (its id).
func lastPart(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		return ref[i+2:]
	}
	return ""
}

// pulumiCLI runs the Pulumi CLI as the Automation API's runner does
// (non-interactive, PULUMI_AUTOMATION_API=true) but in a process group of
// its own, stopped as the comment above says.
type pulumiCLI struct {
	command string
	version semver.Version
}

// MinimumCLI is the oldest Pulumi CLI tenantctl runs. Adopting an account
// singleton (the import resource option with inputs that differ from what
// exists: the baseline's session preferences, GuardDuty, the password
// policy) imports the resource and then updates it; CLIs before 3.174.0
// refuse instead ("inputs to import do not match the existing resource").
// pulumi/pulumi#19339, "New eventual state import system", first released
// in v3.174.0.
var MinimumCLI = semver.MustParse("3.174.0")

// newPulumiCLI finds the CLI on PATH and checks its version: the
// Automation API's own minimum, then ours, which no environment variable
// skips (PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK skips only the first;
// an unreadable version is refused).
func newPulumiCLI() (auto.PulumiCommand, error) {
	found, err := auto.NewPulumiCommand(nil)
	if err != nil {
		return nil, err
	}
	if err := checkCLIVersion(found.Version()); err != nil {
		return nil, err
	}
	return pulumiCLI{command: "pulumi", version: found.Version()}, nil
}

// checkCLIVersion refuses a CLI older than MinimumCLI.
func checkCLIVersion(v semver.Version) error {
	if v.LT(MinimumCLI) {
		return fmt.Errorf("pulumi version: %s, older than %s, the oldest tenantctl runs (adopting an existing singleton needs the engine's import-then-update): install Pulumi CLI %s or later (https://www.pulumi.com/docs/install/)", v, MinimumCLI, MinimumCLI)
	}
	return nil
}

func (p pulumiCLI) Version() semver.Version { return p.version }

// abandonDelay is how long an abandoned CLI has to end before it is killed.
var abandonDelay = 10 * time.Second

// signalGap separates the first SIGINT from the second when abandoning.
const signalGap = time.Second

func (p pulumiCLI) Run(ctx context.Context, workdir string, stdin io.Reader, outs, errs []io.Writer, env []string, args ...string) (string, string, int, error) {
	if !slices.Contains(args, "--non-interactive") {
		args = append([]string{"--non-interactive"}, args...)
	}
	cmd := exec.Command(p.command, args...)
	cmd.Dir = workdir
	cmd.Env = append(append(append(os.Environ(), env...), PinnedEnv...), "PULUMI_AUTOMATION_API=true")
	var stdout, stderr bytes.Buffer
	cmd.Stdout = io.MultiWriter(append(outs, &stdout)...)
	cmd.Stderr = io.MultiWriter(append(errs, &stderr)...)
	cmd.Stdin = stdin
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return "", "", -2, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop, cancelled := StopSignal(ctx), ctx.Done()
	// Signals are not queued: two SIGINTs sent back to back can arrive as
	// one, so the second (terminate) follows the first after a pause.
	var second, kill <-chan time.Time
	interrupted := false
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-stop:
			stop = nil
			if !interrupted {
				interrupted = true
				_ = interrupt(cmd.Process)
			}
		case <-cancelled:
			cancelled, stop = nil, nil
			if !interrupted {
				interrupted = true
				_ = interrupt(cmd.Process)
			}
			second = time.After(signalGap)
		case <-second:
			second = nil
			_ = interrupt(cmd.Process)
			kill = time.After(abandonDelay)
		case <-kill:
			kill = nil
			_ = cmd.Process.Kill()
		}
	}
	code := -2
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err == nil {
		code = 0
	}
	return stdout.String(), stderr.String(), code, err
}
