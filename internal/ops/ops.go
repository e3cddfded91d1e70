// Package ops is the tenant lifecycle as operators run it: `tenantctl
// onboard`, `offboard`, `offboard suspend|delete|due` and `list`. Each
// command validates everything before it changes anything, writes the stack
// file deterministically, plans offline (the plan rules must pass), and only
// then deploys through a deploy.Deployer. Every step is appended to the
// tenant's evidence record.
package ops

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/plan"
	"github.com/tenantkit/tenantkit/internal/policy"
)

// Env is what the commands run against.
type Env struct {
	StacksDir   string
	EvidenceDir string
	// Deployer runs the real deploy; nil means offline (only --dry-run works).
	Deployer deploy.Deployer
	// Leftovers lists what still carries the tenant's tag after destroy.
	Leftovers func(ctx context.Context, tenant string) ([]string, error)
	// Verify runs the post-deploy checks; nil when not available.
	Verify func(ctx context.Context, tenant string) error
	Now    func() time.Time
	Stdout io.Writer
	Stderr io.Writer
	// Confirm asks the operator to type expect to confirm a destructive
	// step; nil means not interactive (then --yes is required).
	Confirm func(prompt, expect string) bool
}

// dirFlags binds --stacks-dir and --evidence-dir.
func (e *Env) dirFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.StacksDir, "stacks-dir", e.StacksDir, "directory of the tenant stack files")
	fs.StringVar(&e.EvidenceDir, "evidence-dir", e.EvidenceDir, "directory of the evidence records (one JSON file per tenant)")
}

func (e *Env) today() lifecycle.Date { return lifecycle.Today(e.Now()) }

func (e *Env) logf(format string, args ...any) { fmt.Fprintf(e.Stdout, format+"\n", args...) }

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

// planPasses runs the offline plan; a mandatory FAIL stops the step.
func (e *Env) planPasses(tenant string) error {
	r, err := plan.Tenant(e.StacksDir, tenant, e.today().Time())
	if err != nil {
		return bad("plan %s: %v", tenant, err)
	}
	if fails := policy.MandatoryFailures(r.Controls); len(fails) > 0 {
		var ids []string
		for _, c := range fails {
			ids = append(ids, c.ID)
		}
		return failed("plan %s: mandatory controls FAIL (%s); run tenantctl plan %s for the findings", tenant, strings.Join(ids, ", "), tenant)
	}
	return nil
}

// deployable says why the real path cannot run.
func (e *Env) deployable() error {
	if e.Deployer == nil {
		return bad("no deployer: this build runs offline only; use --dry-run")
	}
	if err := e.Deployer.Ready(); err != nil {
		return bad("cannot deploy: %v; nothing was changed (--dry-run works offline)", err)
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
