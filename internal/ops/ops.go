// Package ops is the tenant lifecycle as operators run it: `tenantctl
// onboard`, `offboard`, `offboard suspend|delete|due` and `list`.
//
// Every command checks its arguments (a tenant argument is a tenant id
// before it is a path) and everything it can before it changes anything.
// A change is planned in memory first (the plan rules must pass), then,
// under the stacks lock, the stack file is re-read, edited in its YAML tree
// and written atomically, and the step is appended to the tenant's
// evidence record under the evidence lock; only then does anything deploy.
// A dry run reads and plans and writes nothing at all.
package ops

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/plan"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/safefile"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Env is what the commands run against.
type Env struct {
	StacksDir string
	// EvidenceDir holds the lifecycle records, <tenant>.json each; verify
	// reports belong elsewhere.
	EvidenceDir string
	// BaselineDir holds the account baseline's stack files: the quotas
	// raised for the account ("" : AWS's defaults).
	BaselineDir string
	// Deployer runs the real deploy; nil means offline (only --dry-run works).
	Deployer deploy.Deployer
	// Leftovers lists what still carries the tenant's tag after destroy.
	Leftovers func(ctx context.Context, tenant string) ([]string, error)
	// Verify runs the post-deploy checks on what up deployed (its stack
	// outputs); nil when not available.
	Verify func(ctx context.Context, tenant string, outputs map[string]any) error
	// DataKey makes a stack's encrypted data key for a KMS secrets
	// provider, as Pulumi's cloud secrets manager does (32 random bytes,
	// KMS Encrypt, base64); nil when this build reaches no KMS.
	DataKey func(ctx context.Context, p config.SecretsProvider) (string, error)
	// RecoverStack brings a stack back after an interrupted update
	// (deploy.Inline.Recover with the account's clients); nil offline.
	RecoverStack func(ctx context.Context, tenant string) error
	// Now is the real clock: evidence records it, always.
	Now func() time.Time
	// Simulated is the JST day a step acts as (--today), zero for the
	// real day.
	Simulated lifecycle.Date
	// Progress, when set (a terminal), hears how far `offboard due` is;
	// in CI it is nil and the output stays line-oriented.
	Progress io.Writer
	Stdout   io.Writer
	Stderr   io.Writer
	// Confirm asks the operator to type expect to confirm a destructive
	// step; nil means not interactive (then --yes is required).
	Confirm func(prompt, expect string) bool
}

// dirFlags binds --stacks-dir, --evidence-dir and --baseline-dir.
func (e *Env) dirFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.StacksDir, "stacks-dir", e.StacksDir, "directory of the tenant stack files")
	fs.StringVar(&e.BaselineDir, "baseline-dir", e.BaselineDir, "directory of the account baseline's stack files (the quotas raised, the fleet's defaults)")
	fs.StringVar(&e.EvidenceDir, "evidence-dir", e.EvidenceDir, "directory of the lifecycle evidence records (<tenant>.json each; keep verify reports elsewhere)")
}

// separateDirs refuses an evidence directory that is the stacks
// directory (however written: a trailing slash, ./, a link): each has its
// own lock, and one directory under both would wait on itself forever.
func (e *Env) separateDirs() error {
	same, err := sameDir(e.StacksDir, e.EvidenceDir)
	if err != nil || !same {
		return nil // a missing directory is reported where it is used
	}
	return bad("--evidence-dir %s is the stacks directory %s: keep the evidence records in a directory of their own (default evidence/lifecycle)", e.EvidenceDir, e.StacksDir)
}

func sameDir(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(ia, ib), nil
}

// today is the day a step acts as: the simulated one, or the real JST day.
func (e *Env) today() lifecycle.Date {
	if !e.Simulated.IsZero() {
		return e.Simulated
	}
	return lifecycle.Today(e.Now())
}

// entry stamps a step with the real clock and the simulated day, if any.
func (e *Env) entry(step lifecycle.Step, summary string, details map[string]any) lifecycle.Entry {
	return lifecycle.NewEntry(step, e.Now(), e.Simulated, summary, details)
}

// record appends a step to the tenant's evidence (outside the stacks lock).
func (e *Env) record(tenant string, step lifecycle.Step, summary string, details map[string]any) error {
	return e.recordUnder(nil, tenant, step, summary, details)
}

// recordUnder is record by the holder of the stacks lock: should the
// evidence directory share the lock (one directory under two names, which
// separateDirs refuses), the holder re-enters it instead of waiting on
// itself.
func (e *Env) recordUnder(held *safefile.Lock, tenant string, step lifecycle.Step, summary string, details map[string]any) error {
	return lifecycle.Append(e.EvidenceDir, tenant, e.entry(step, summary, details), held)
}

// tenantArg checks a tenant argument before it becomes a path.
func tenantArg(name string) error {
	if err := config.ValidateTenantID(name); err != nil {
		return bad("tenant %q: %w", name, err)
	}
	return nil
}

func (e *Env) logf(format string, args ...any) { fmt.Fprintf(e.Stdout, format+"\n", args...) }

// sayMissed reports a missed §10 deadline on stderr, in the one form
// operators and CI logs look for, with the next step when there is one.
func (e *Env) sayMissed(tenant, missed, next string) {
	if next != "" {
		next = ": " + next
	}
	fmt.Fprintf(e.Stderr, "DEADLINE MISSED: tenant %s: %s (§10)%s\n", tenant, missed, next)
}

// interrupted records a step the operator stopped, as "interrupted" (never
// FAILED: nothing refused it), with the recovery commands when Pulumi's
// state needs any, and returns it with exit 3 and the next command.
func (e *Env) interrupted(tenant string, step lifecycle.Step, what string, err error, details map[string]any, again string) error {
	d := maps.Clone(details)
	if d == nil {
		d = map[string]any{}
	}
	d["phase"] = lifecycle.PhaseInterrupted
	next := "run it again: " + again
	var i *deploy.Interrupted
	if errors.As(err, &i) {
		var pending []string
		for _, p := range i.Pending {
			pending = append(pending, p.String())
		}
		if len(pending) > 0 {
			d["pendingOperations"] = pending
		}
		if rec := i.Recovery(); len(rec) > 0 {
			d["recovery"] = rec
			next = "first: " + strings.Join(rec, "; then ") + "; then " + again
		}
	}
	_ = e.record(tenant, step, what+" interrupted by the operator: "+err.Error(), d)
	return &failure{cli.ExitError, fmt.Errorf("%s: %s interrupted: %w; %s", tenant, what, err, next)}
}

// stopped says whether the operator asked the command to stop: it then
// ends before its next step.
func stopped(ctx context.Context) bool { return deploy.Stopping(ctx) }

// failure is an error with its exit code.
type failure struct {
	code int
	err  error
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

// ExitError wraps an error with the exit code it stands for.
func ExitError(code int, err error) error { return &failure{code, err} }

func bad(format string, args ...any) error {
	return &failure{cli.ExitBadInput, fmt.Errorf(format, args...)}
}

func failed(format string, args ...any) error {
	return &failure{cli.ExitFail, fmt.Errorf(format, args...)}
}

// exit prints an error and returns its exit code.
func (e *Env) exit(cmd string, err error) int {
	if err == nil {
		return cli.ExitOK
	}
	fmt.Fprintf(e.Stderr, "tenantctl %s: %v\n", cmd, err)
	var f *failure
	if errors.As(err, &f) {
		return f.code
	}
	return cli.ExitFail
}

// planPasses plans a config in memory (the stack file is not touched): a
// mandatory FAIL stops the step.
func (e *Env) planPasses(cfg *config.Tenant) error {
	others, err := stackfile.OtherCidrs(e.StacksDir, cfg.TenantID)
	if err != nil {
		return bad("%w", err)
	}
	r, err := plan.ForConfig(cfg, others, e.today().Time())
	if err != nil {
		return bad("plan %s: %w", cfg.TenantID, err)
	}
	if fails := policy.MandatoryFailures(r.Controls); len(fails) > 0 {
		var ids []string
		for _, c := range fails {
			ids = append(ids, c.ID)
		}
		return failed("plan %s: mandatory controls FAIL (%s); nothing was written; run tenantctl plan %s for the findings", cfg.TenantID, strings.Join(ids, ", "), cfg.TenantID)
	}
	return nil
}

// commit writes a tenant's stack file and records the step, under the
// stacks lock (which the caller holds): the evidence is checked writable
// before the stack changes, and if recording still fails the stack file is
// put back as it was, so a change never stands without its evidence.
func (e *Env) commit(held *safefile.Lock, cfg *config.Tenant, step lifecycle.Step, summary string, details map[string]any) (path string, changed bool, err error) {
	if err := lifecycle.Writable(e.EvidenceDir, cfg.TenantID, held); err != nil {
		return "", false, bad("cannot record evidence, nothing was changed: %w", err)
	}
	path = stackfile.Path(e.StacksDir, cfg.TenantID)
	before, readErr := os.ReadFile(path)
	if readErr != nil {
		before = nil // no file: putting back removes it
	}
	path, changed, err = stackfile.Write(e.StacksDir, cfg)
	if err != nil {
		return "", false, err
	}
	written, _ := os.ReadFile(path)
	if details == nil {
		details = map[string]any{}
	}
	details["stackFile"], details["stackChanged"] = path, changed
	if err := e.recordUnder(held, cfg.TenantID, step, summary, details); err != nil {
		if !changed {
			return "", false, failed("recording the evidence failed; the stack file was not changed: %w", err)
		}
		if perr := putBack(path, written, before); perr != nil {
			return "", false, failed("recording the evidence failed (%w), and the stack file could not be put back (%v): %s holds this step's change without its evidence; restore it from git or record the step again", err, perr, path)
		}
		return "", false, failed("recording the evidence failed, the stack file was put back: %w", err)
	}
	return path, changed, nil
}

// putBack restores a stack file to before (nil: it did not exist), with its
// permissions and owner, provided it still holds what this step wrote: an
// edit saved since is never thrown away.
func putBack(path string, written, before []byte) error {
	if before != nil {
		return safefile.Update(path, written, before, 0o644)
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, written) {
		return fmt.Errorf("%s: %w", path, safefile.ErrChanged)
	}
	return os.Remove(path)
}

// deployable says why the real path cannot run.
func (e *Env) deployable() error {
	if e.Deployer == nil {
		return bad("no deployer: this build runs offline only; use --dry-run")
	}
	if err := e.Deployer.Ready(); err != nil {
		// Not bad input: the machine cannot run the step (no Pulumi CLI,
		// no backend), exit 3.
		return &failure{cli.ExitError, fmt.Errorf("cannot deploy: %w; nothing was changed (--dry-run and --no-deploy work offline)", err)}
	}
	return nil
}

// confirm guards a destructive step.
func (e *Env) confirm(yes bool, what, tenant string) error {
	if yes {
		return nil
	}
	if e.Confirm == nil {
		return bad("%s is destructive and this is not a terminal: pass --yes to confirm", what)
	}
	if !e.Confirm(fmt.Sprintf("%s tenant %s? Type the tenant id to confirm: ", what, tenant), tenant) {
		return bad("%s of %s not confirmed; nothing changed", what, tenant)
	}
	return nil
}

// TerminalConfirm reads a confirmation from the terminal, or returns nil
// when stdin is not one.
func TerminalConfirm(in *os.File, out io.Writer) func(string, string) bool {
	if !term.IsTerminal(int(in.Fd())) {
		return nil
	}
	return func(prompt, expect string) bool {
		fmt.Fprint(out, prompt)
		var answer string
		fmt.Fscanln(in, &answer)
		return answer == expect
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fieldErrors splits a joined validation error into its field errors.
func fieldErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func isField(err error, field string) bool {
	var fe *config.FieldError
	return errors.As(err, &fe) && fe.Field == field
}

// CellConfig is the AWS configuration of the tenant's cell, its account
// checked (deploy.CellConfig): what tenantctl's own calls into the
// tenant's account use.
func (e *Env) CellConfig(ctx context.Context, tenant string) (aws.Config, error) {
	t, _, err := stackfile.Load(e.StacksDir, tenant)
	if err != nil {
		return aws.Config{}, err
	}
	cell, err := stackfile.CellOf(e.BaselineDir, t)
	if err != nil {
		return aws.Config{}, err
	}
	return deploy.CellConfig(ctx, cell, t.Region)
}

// inItsCell refuses to deploy a tenant whose stack the backend holds as
// built in another account than its cell's: a tenant never moves cells
// silently (a stack file edited to name another cell would have the
// provider look for its resources where they are not, and build them
// again there). A move is an offboard and an onboard.
func (e *Env) inItsCell(ctx context.Context, tenant string) error {
	r, ok := e.Deployer.(deploy.StateReader)
	if !ok {
		return nil
	}
	t, _, err := stackfile.Load(e.StacksDir, tenant)
	if err != nil {
		return bad("%w", err)
	}
	cell, err := stackfile.CellOf(e.BaselineDir, t)
	if err != nil {
		return bad("%w", err)
	}
	if cell == nil || cell.AccountID == "" {
		return nil
	}
	st, err := r.DeployedState(ctx, tenant)
	if err != nil {
		return failed("tenant %s: what the backend holds of its stack: %w", tenant, err)
	}
	if st.Account != "" && st.Account != cell.AccountID {
		return bad("tenant %s is deployed in account %s, and its stack file names cell %s (account %s): nothing was deployed. A tenant never moves cells in place: put the cell back in %s, or move it by offboarding it and onboarding it anew (docs/cells.md)",
			tenant, st.Account, cell.Name, cell.AccountID, stackfile.Path(e.StacksDir, tenant))
	}
	return nil
}
