package ops

import (
	"context"
	"flag"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// RecoverCommand is `tenantctl recover` for the help.
var RecoverCommand = cli.Command{
	Name:     "recover",
	Synopsis: []string{"recover <tenant> [--yes]"},
	Summary:  "after an interrupted or killed deploy: release the lock, delete what pending creates made, clear them",
	Details: `Brings a stack back after an update that was abandoned or killed (a second
Ctrl-C, a CI job at its timeout): releases the lock the dead CLI held
(pulumi cancel), deletes each resource a pending create made in AWS that no
state records (found by the tenant's tag and the pending create's type),
and clears the pending creates with a refresh, which reads every other
resource back. Stops, naming it, at a pending create of a type it cannot
find or delete. Run it only where no update of the stack can be running:
the recover workflow joins the stack's concurrency group. Then run the
interrupted step again.`,
}

// Recover runs `tenantctl recover`.
func (e *Env) Recover(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("recover", flag.ContinueOnError)
	e.dirFlags(fs)
	yes := fs.Bool("yes", false, "confirm without a prompt (CI)")
	pos, code, done := cli.ParseCommand(RecoverCommand, fs, args, e.Stdout, e.Stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return cli.UsageError(e.Stderr, RecoverCommand, "name one tenant")
	}
	return e.exit("recover", e.recover(ctx, pos[0], *yes))
}

func (e *Env) recover(ctx context.Context, tenant string, yes bool) error {
	if err := tenantArg(tenant); err != nil {
		return err
	}
	if _, _, err := stackfile.Load(e.StacksDir, tenant); err != nil {
		return bad("%w", err)
	}
	if err := e.deployable(); err != nil {
		return err
	}
	if e.RecoverStack == nil {
		return bad("this build cannot recover a stack")
	}
	if err := e.confirm(yes, "recover", tenant); err != nil {
		return err
	}
	if err := e.RecoverStack(ctx, tenant); err != nil {
		_ = e.record(tenant, lifecycle.StepRecover, "recovery FAILED: "+err.Error(), nil)
		return failed("%w", err)
	}
	return e.record(tenant, lifecycle.StepRecover, "the stack recovered: lock released, pending creates settled", nil)
}
