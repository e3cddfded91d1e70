// Package deploy runs a tenant stack for real through the Pulumi Automation
// API: the local program (main.go) with the stack's config from stacks/.
// Lifecycle commands see only the Deployer interface, so they are tested
// offline with a fake; the real implementation needs the Pulumi CLI, the
// AWS provider plugin and AWS credentials.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/tenantkit/tenantkit/internal/clock"
)

// Deployer deploys and destroys tenant stacks.
type Deployer interface {
	// Ready says what is missing for a deploy (nil when nothing is), so a
	// command can refuse before it changes anything.
	Ready() error
	// Preview runs the program in preview (the control guard included) and
	// returns the number of changes by operation.
	Preview(ctx context.Context, stack string) (map[string]int, error)
	// Up deploys and returns the stack outputs.
	Up(ctx context.Context, stack string) (map[string]any, error)
	// Destroy deletes every resource of the stack (retained ones stay).
	Destroy(ctx context.Context, stack string) error
	// Remove deletes the stack itself from the backend.
	Remove(ctx context.Context, stack string) error
}

// PinnedEnv is set on every Pulumi CLI tenantctl runs, after the
// operator's environment, so nothing there undoes it:
//
//   - PULUMI_IGNORE_AMBIENT_PLUGINS: only the plugins installed in
//     PULUMI_HOME run, at the version the program asks for; a
//     pulumi-resource-aws found on PATH is otherwise preferred
//     (https://www.pulumi.com/docs/iac/cli/environment-variables/).
//   - PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: a stack file without a
//     secrets provider reuses the one its state holds instead of the
//     backend's default, a passphrase with a fresh salt on a file-backed
//     state (pkg/cmd/pulumi/stack/secrets.go, GetSecretsManager).
//
// PULUMI_CONFIG_PASSPHRASE is never set here: a stack uses the passphrase
// provider only where its file says so.
var PinnedEnv = []string{"PULUMI_IGNORE_AMBIENT_PLUGINS=true", "PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER=true"}

// Available says what is missing for a real deploy, or nil.
func Available() error {
	if s := clock.Shifted(); s != "" && !onThisMachine(os.Getenv("AWS_ENDPOINT_URL")) {
		return fmt.Errorf("this is a test build whose clock is moved (%s): it deploys only into an emulator on this machine (AWS_ENDPOINT_URL on a loopback address), never into an account; deploy with a build of scripts/build-tenantctl.sh", s)
	}
	if _, err := exec.LookPath("pulumi"); err != nil {
		return fmt.Errorf("the Pulumi CLI is not on PATH (install it from https://www.pulumi.com/docs/install/, then `pulumi login`)")
	}
	return nil
}

// onThisMachine reports an endpoint URL on a loopback address.
func onThisMachine(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Hostname() == "" {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// preview, up and destroy run one operation on a selected stack, whatever
// its program's source; label names the operation in errors, opts add to
// it (an update plan to save or to apply).
func preview(ctx context.Context, s auto.Stack, label, name string, out io.Writer, opts ...optpreview.Option) (map[string]int, error) {
	res, err := s.Preview(ctx, append(opts, optpreview.ProgressStreams(orDiscard(out)))...)
	if err != nil {
		return nil, classify(label, name, interrupted(ctx, s, "preview", name, err))
	}
	return changes(res.ChangeSummary), nil
}

func up(ctx context.Context, s auto.Stack, label, name string, out io.Writer, opts ...optup.Option) (map[string]any, error) {
	if Stopping(ctx) {
		return nil, &Interrupted{Op: "up", Stack: name, Abandoned: ctx.Err() != nil, Err: errors.New("stopped before the deploy began")}
	}
	res, err := s.Up(ctx, append(opts, optup.ProgressStreams(orDiscard(out)))...)
	if err != nil {
		return nil, classify(label, name, interrupted(ctx, s, "up", name, err))
	}
	outputs := map[string]any{}
	for k, v := range res.Outputs {
		outputs[k] = v.Value
	}
	return outputs, nil
}

func destroy(ctx context.Context, s auto.Stack, name string, out io.Writer) error {
	if Stopping(ctx) {
		return &Interrupted{Op: "destroy", Stack: name, Abandoned: ctx.Err() != nil, Err: errors.New("stopped before the destroy began")}
	}
	if _, err := s.Destroy(ctx, optdestroy.ProgressStreams(orDiscard(out))); err != nil {
		return classify("destroy", name, interrupted(ctx, s, "destroy", name, err))
	}
	return nil
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// removeStack removes a stack from the backend and keeps its stack file:
// `pulumi stack rm` alone deletes stacks/Pulumi.<stack>.yaml, the tenant's
// record that offboarding marks deleted next (the Automation API's
// RemoveStack has no way to keep it; the CLI has --preserve-config).
func removeStack(ctx context.Context, dir, name string) error {
	if err := Available(); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "pulumi", "stack", "rm", "--yes", "--preserve-config", "--non-interactive", name)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), PinnedEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("remove stack %s: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// classify says what an Automation API failure means for the operator.
func classify(op, stack string, err error) error {
	switch {
	case IsInterrupted(err):
		return err
	case auto.IsConcurrentUpdateError(err):
		return fmt.Errorf("%s %s: another update of the stack is running; wait for it, or run `pulumi cancel --stack %s` if it died: %w", op, stack, stack, err)
	case auto.IsCompilationError(err):
		return fmt.Errorf("%s %s: the program does not compile (run go build ./... in the project): %w", op, stack, err)
	case auto.IsRuntimeError(err):
		return fmt.Errorf("%s %s: the program failed (a refused control names its ID; tenantctl plan %s shows the matrix): %w", op, stack, stack, err)
	}
	return fmt.Errorf("%s %s: %w", op, stack, err)
}
