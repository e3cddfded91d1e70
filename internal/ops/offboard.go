package ops

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// OffboardUsage is the offboard command's usage.
const OffboardUsage = `usage:
  tenantctl offboard <tenant> --cancelled-on YYYY-MM-DD   record the cancellation (JST): suspension the next day, deletion within 30 days
  tenantctl offboard suspend <tenant> [--yes] [--dry-run] stop all outside access and deploy
  tenantctl offboard delete <tenant> [--yes] [--force] [--late] [--dry-run]
                                                          destroy the environment, keys scheduled to end by the deadline
  tenantctl offboard due [--today YYYY-MM-DD] [--yes] [--dry-run]
                                                          carry out every suspension and deletion that is due`

type offFlags struct {
	cancelled, today string
	yes, force, late bool
	dryRun           bool
}

// Offboard runs `tenantctl offboard`.
func (e *Env) Offboard(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("offboard", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	e.dirFlags(fs)
	var f offFlags
	fs.StringVar(&f.cancelled, "cancelled-on", "", "JST date the customer cancelled, YYYY-MM-DD")
	fs.StringVar(&f.today, "today", "", "act as if today (JST) were this date; for backfills and tests")
	fs.BoolVar(&f.yes, "yes", false, "confirm destructive steps (required when not interactive)")
	fs.BoolVar(&f.force, "force", false, "delete a tenant that was not suspended first")
	fs.BoolVar(&f.late, "late", false, "delete although a 7-day key window no longer ends by the deadline")
	fs.BoolVar(&f.dryRun, "dry-run", false, "write the stack file and plan it; deploy nothing")
	fs.Usage = func() { fmt.Fprintln(e.Stderr, OffboardUsage); fs.PrintDefaults() }
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return cli.ExitBadInput
	}
	if f.today != "" {
		day, err := lifecycle.ParseDate(f.today)
		if err != nil {
			return e.exit("offboard", bad("--today: %v", err))
		}
		// Noon JST of that day.
		e.Now = func() time.Time { return day.Time().Add(3 * time.Hour) }
	}
	switch {
	case len(pos) == 1 && pos[0] == "due":
		return e.due(ctx, f)
	case len(pos) == 2 && pos[0] == "suspend":
		return e.exit("offboard suspend", e.suspend(ctx, pos[1], f))
	case len(pos) == 2 && pos[0] == "delete":
		return e.exit("offboard delete", e.delete(ctx, pos[1], f))
	case len(pos) == 1 && f.cancelled != "":
		return e.exit("offboard", e.cancel(pos[0], f))
	case len(pos) == 1:
		return e.exit("offboard", bad("say when the customer cancelled: tenantctl offboard %s --cancelled-on YYYY-MM-DD", pos[0]))
	}
	fs.Usage()
	return cli.ExitBadInput
}

// load reads a tenant's stack under the lock.
func (e *Env) load(tenant string) (*config.Tenant, error) {
	t, _, err := stackfile.Load(e.StacksDir, tenant)
	if errors.Is(err, stackfile.ErrNotFound) {
		return nil, bad("unknown tenant %q: no %s", tenant, stackfile.Path(e.StacksDir, tenant))
	}
	if err != nil {
		return nil, bad("%v", err)
	}
	return t, nil
}

// update changes a tenant's stack file under the lock: change may refuse.
func (e *Env) update(tenant string, change func(*config.Tenant) error) (*config.Tenant, error) {
	lock, err := lifecycle.Acquire(e.StacksDir)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	t, err := e.load(tenant)
	if err != nil {
		return nil, err
	}
	if err := change(t); err != nil {
		return nil, err
	}
	if err := t.Validate(); err != nil {
		return nil, bad("%v", err)
	}
	if _, err := stackfile.Write(e.StacksDir, t); err != nil {
		return nil, err
	}
	return t, nil
}

// previewThenUp: the whole-graph rules run when the program finishes, so a
// preview must pass before anything is deployed.
func (e *Env) previewThenUp(ctx context.Context, tenant string) error {
	if _, err := e.Deployer.Preview(ctx, tenant); err != nil {
		return err
	}
	_, err := e.Deployer.Up(ctx, tenant)
	return err
}

// change updates the stack file and returns how to put the old bytes back
// (a dry run, or a plan the rules refuse, leaves nothing changed).
func (e *Env) change(tenant string, fn func(*config.Tenant) error) (func(), error) {
	path := stackfile.Path(e.StacksDir, tenant)
	old, err := os.ReadFile(path)
	if err != nil {
		return nil, bad("unknown tenant %q: %v", tenant, err)
	}
	if _, err := e.update(tenant, fn); err != nil {
		return nil, err
	}
	return func() {
		if lock, err := lifecycle.Acquire(e.StacksDir); err == nil {
			_ = os.WriteFile(path, old, 0o644)
			lock.Release()
		}
	}, nil
}

func (e *Env) record(tenant string, step lifecycle.Step, dry bool, summary string, details map[string]any) error {
	entry := lifecycle.NewEntry(step, e.Now(), summary, details)
	entry.DryRun = dry
	return lifecycle.Append(e.EvidenceDir, tenant, entry)
}

func (e *Env) cancel(tenant string, f offFlags) error {
	day, err := lifecycle.ParseDate(f.cancelled)
	if err != nil {
		return bad("--cancelled-on: %v", err)
	}
	if e.today().Before(day) {
		return bad("--cancelled-on %s is in the future (today is %s JST)", day, e.today())
	}
	t, err := e.update(tenant, func(t *config.Tenant) error {
		if err := lifecycle.Cancel(t, day); err != nil {
			return bad("%v", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	l := t.Lifecycle
	e.logf("%s: cancelled on %s; access stops on %s (suspend); everything deleted by %s (%d days left)", tenant, l.CancelledOn, l.SuspendOn, l.DeleteBy, daysLeft(e.today(), l.DeleteBy))
	return e.record(tenant, lifecycle.StepCancel, false, "cancellation recorded", map[string]any{
		"cancelledOn": l.CancelledOn, "suspendOn": l.SuspendOn, "deleteBy": l.DeleteBy,
	})
}

func daysLeft(today lifecycle.Date, deleteBy string) int {
	d, err := lifecycle.ParseDate(deleteBy)
	if err != nil {
		return 0
	}
	return today.DaysUntil(d)
}

func (e *Env) suspend(ctx context.Context, tenant string, f offFlags) error {
	t, err := e.load(tenant)
	if err != nil {
		return err
	}
	if err := lifecycle.Check(t, lifecycle.StepSuspend, false); err != nil {
		return bad("%v", err)
	}
	if !f.dryRun {
		if err := e.deployable(); err != nil {
			return err
		}
		if err := e.confirm(f.yes, "suspend", tenant); err != nil {
			return err
		}
	}
	restore, err := e.change(tenant, func(t *config.Tenant) error { t.Lifecycle.State = config.StateSuspended; return nil })
	if err != nil {
		return err
	}
	if err := e.planPasses(tenant); err != nil {
		restore()
		return err
	}
	if f.dryRun {
		restore()
		e.logf("%s: dry run: suspended, the plan admits nothing from outside the VPC and the listeners answer 503; stack file unchanged", tenant)
		return e.record(tenant, lifecycle.StepSuspend, true, "suspension planned", nil)
	}
	e.logf("%s: suspended in the stack file; the plan admits nothing from outside the VPC and the listeners answer 503", tenant)
	if err := e.previewThenUp(ctx, tenant); err != nil {
		_ = e.record(tenant, lifecycle.StepSuspend, false, "suspension deploy FAILED: "+err.Error(), nil)
		return failed("%v (the stack file stays suspended; run suspend again)", err)
	}
	return e.record(tenant, lifecycle.StepSuspend, false, "suspended: listeners answer 503, no ingress from outside the VPC", nil)
}

func (e *Env) delete(ctx context.Context, tenant string, f offFlags) error {
	t, err := e.load(tenant)
	if err != nil {
		return err
	}
	if err := lifecycle.Check(t, lifecycle.StepDelete, f.force); err != nil {
		return bad("%v", err)
	}
	sched, err := lifecycle.Dates(t)
	if err != nil {
		return bad("%v", err)
	}
	today := e.today()
	window, err := lifecycle.KeyWindow(today, sched.DeleteBy)
	if err != nil && !f.late {
		return bad("%v", err)
	}
	late := err != nil
	if late {
		window = lifecycle.MinKeyWindowDays
	}
	if !f.dryRun {
		if err := e.deployable(); err != nil {
			return err
		}
		if err := e.confirm(f.yes, "delete", tenant); err != nil {
			return err
		}
	}
	restore, err := e.change(tenant, func(t *config.Tenant) error {
		t.Lifecycle.State = config.StateDeleting
		t.KeyDeletionWindowDays = window
		return nil
	})
	if err != nil {
		return err
	}
	if !late {
		if err := e.planPasses(tenant); err != nil {
			restore()
			return err
		}
	}
	keyDate := today.AddDays(window)
	lockEnd := today.AddDays(t.ObjectLockDays)
	details := map[string]any{
		"keyDeletionWindowDays": window, "keysDeletedOn": keyDate.String(), "deleteBy": sched.DeleteBy.String(), "late": late,
		"retained": []map[string]string{{
			"resource": "log archive bucket tk-" + tenant + "-log-archive-<account>", "reason": "Object Lock " + t.ObjectLockMode,
			"retentionEndsBy": lockEnd.String(),
		}},
	}
	e.logf("%s: deleting; keys scheduled with a %d-day window (deleted on %s, deadline %s); the log archive stays under Object Lock until %s at the latest", tenant, window, keyDate, sched.DeleteBy, lockEnd)
	if late {
		fmt.Fprintf(e.Stderr, "WARNING: %s: key deletion on %s ends after the deadline %s; disable the key now (aws kms disable-key --key-id %s) and record the exception\n", tenant, keyDate, sched.DeleteBy, config.KeyAlias(tenant))
	}
	if f.dryRun {
		restore()
		e.logf("%s: dry run: nothing deployed or destroyed; stack file unchanged", tenant)
		return e.record(tenant, lifecycle.StepDelete, true, "deletion planned", details)
	}
	// Up first: it turns deletion protection off, lets the buckets be
	// emptied and sets the key window that destroy then schedules.
	if err := e.previewThenUp(ctx, tenant); err != nil {
		_ = e.record(tenant, lifecycle.StepDelete, false, "deletion FAILED at up: "+err.Error(), details)
		return failed("%v (the stack stays deleting; run delete again)", err)
	}
	if err := e.Deployer.Destroy(ctx, tenant); err != nil {
		_ = e.record(tenant, lifecycle.StepDelete, false, "deletion FAILED at destroy: "+err.Error(), details)
		return failed("%v (the stack stays deleting; run delete again)", err)
	}
	if e.Leftovers == nil {
		return &failure{cli.ExitError, fmt.Errorf("destroyed %s, but this build cannot list what still carries its tag; the stack is kept until that check passes", tenant)}
	}
	left, err := e.Leftovers(ctx, tenant)
	if err != nil {
		return &failure{cli.ExitError, fmt.Errorf("destroyed %s, but listing what still carries its tag failed: %v; the stack is kept", tenant, err)}
	}
	var unexpected []string
	for _, r := range left {
		if !strings.Contains(r, ":::tk-"+tenant+"-log-archive-") && !strings.Contains(r, ":key/") {
			unexpected = append(unexpected, r)
		}
	}
	details["leftovers"] = left
	if len(unexpected) > 0 {
		_ = e.record(tenant, lifecycle.StepDelete, false, "destroyed, but resources tagged with the tenant remain", details)
		return failed("resources tagged Tenant=%s remain: %s", tenant, strings.Join(unexpected, ", "))
	}
	if err := e.Deployer.Remove(ctx, tenant); err != nil {
		return failed("%v", err)
	}
	if _, err := e.update(tenant, func(t *config.Tenant) error { t.Lifecycle.State = config.StateDeleted; return nil }); err != nil {
		return err
	}
	return e.record(tenant, lifecycle.StepDeleted, false, "deleted: nothing tagged with the tenant remains but the retained archive and the keys pending deletion", details)
}

// due carries out what the day requires, loudly reporting what was missed.
func (e *Env) due(ctx context.Context, f offFlags) int {
	names, err := stackfile.List(e.StacksDir)
	if err != nil {
		return e.exit("offboard due", bad("%v", err))
	}
	code := cli.ExitOK
	worse := func(c int) {
		if c != cli.ExitOK && (code == cli.ExitOK || c == cli.ExitFail) {
			code = c
		}
	}
	today := e.today()
	did := 0
	for _, n := range names {
		t, err := e.load(n)
		if err != nil {
			worse(e.exit("offboard due", err))
			continue
		}
		d, err := lifecycle.DueOn(t, today)
		if err != nil {
			worse(e.exit("offboard due", bad("%s: %v", n, err)))
			continue
		}
		if d.Missed != "" {
			fmt.Fprintf(e.Stderr, "DEADLINE MISSED: tenant %s: %s\n", n, d.Missed)
			worse(cli.ExitFail)
		}
		switch d.Step {
		case lifecycle.StepSuspend:
			did++
			e.logf("%s: suspension due (from %s)", n, t.Lifecycle.SuspendOn)
			worse(e.exit("offboard due", e.suspend(ctx, n, f)))
		case lifecycle.StepDelete:
			did++
			e.logf("%s: deletion due (deadline %s)", n, t.Lifecycle.DeleteBy)
			worse(e.exit("offboard due", e.delete(ctx, n, f)))
		}
	}
	if did == 0 {
		e.logf("nothing due on %s (JST)", today)
	}
	return code
}
