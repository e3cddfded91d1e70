package ops

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// OffboardCommand is `tenantctl offboard` for the help.
var OffboardCommand = cli.Command{
	Name: "offboard",
	Synopsis: []string{
		"offboard <tenant> --cancelled-on YYYY-MM-DD [--dry-run]",
		"offboard <tenant> --correct-cancelled-on YYYY-MM-DD --reason TEXT [--dry-run]",
		"offboard suspend <tenant> [--yes] [--dry-run]",
		"offboard delete <tenant> [--yes] [--force] [--late] [--dry-run]",
		"offboard due [<tenant>] [--today YYYY-MM-DD] [--yes] [--late] [--dry-run]",
		"offboard due --record-only [<tenant>] [--today YYYY-MM-DD] [--yes] [--late] [--dry-run]",
	},
	Summary: "the tenant lifecycle of whitepaper §10 (WP-10): cancel, suspend, delete, the daily job",
	Details: `Records the cancellation (JST): suspension the next day, deletion within
30 days; corrects a mistaken date before deletion starts, with evidence;
suspends (all outside access stops) and deletes (the environment destroyed,
keys scheduled to end by the deadline); "due" carries out every suspension
and deletion the day requires. A dry run reads and plans and writes
nothing, not even evidence.

"due --record-only" writes the day's steps into the stack files (suspended,
deleting) with their evidence and deploys nothing: the offboarding workflow
commits that to main first, then applies each recorded step with "suspend"
or "delete", so main says what the account is about to be, never less, and
no deploy from main undoes a step. A recorded step is applied without being
recorded again.`,
}

type offFlags struct {
	cancelled, correct, reason, today string
	yes, force, late                  bool
	dryRun                            bool
	// recordOnly writes a due step into the stack file and its evidence,
	// and deploys nothing (offboard due --record-only).
	recordOnly bool
}

// Offboard runs `tenantctl offboard`.
func (e *Env) Offboard(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("offboard", flag.ContinueOnError)
	e.dirFlags(fs)
	var f offFlags
	fs.StringVar(&f.cancelled, "cancelled-on", "", "JST date the customer cancelled, YYYY-MM-DD")
	fs.StringVar(&f.correct, "correct-cancelled-on", "", "replace a mistaken cancellation date (with --reason), before deletion starts")
	fs.StringVar(&f.reason, "reason", "", "why the cancellation date is corrected (recorded in the evidence)")
	fs.StringVar(&f.today, "today", "", "act as if today (JST) were this date: a past day for backfills, any day with --dry-run; recorded as simulated")
	fs.BoolVar(&f.yes, "yes", false, "confirm destructive steps (required when not interactive)")
	fs.BoolVar(&f.force, "force", false, "delete a tenant that was not suspended first")
	fs.BoolVar(&f.late, "late", false, "delete although a 7-day key window no longer ends by the deadline")
	fs.BoolVar(&f.dryRun, "dry-run", false, "read and plan; write nothing (no stack file, no evidence)")
	fs.BoolVar(&f.recordOnly, "record-only", false, "due: write the day's steps into the stack files and evidence, deploy nothing (the workflow commits them to main, then applies them)")
	pos, code, done := cli.ParseCommand(OffboardCommand, fs, args, e.Stdout, e.Stderr)
	if done {
		return code
	}
	if err := e.separateDirs(); err != nil {
		return e.exit("offboard", err)
	}
	if f.today != "" {
		day, err := lifecycle.ParseDate(f.today)
		if err != nil {
			return e.exit("offboard", bad("--today: %w", err))
		}
		if real := lifecycle.Today(e.Now()); real.Before(day) && !f.dryRun {
			return e.exit("offboard", bad("--today %s is after today (%s JST): a real run never acts on a future day; add --dry-run to simulate it", day, real))
		}
		e.Simulated = day
	}
	sub, rest := "", pos
	if len(pos) > 0 && (pos[0] == "due" || pos[0] == "suspend" || pos[0] == "delete") {
		sub, rest = pos[0], pos[1:]
	}
	// Flags that mean nothing to a subcommand are refused, not ignored:
	// `offboard due --cancelled-on X` must not run the daily job.
	var misplaced []string
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	allowed := map[string][]string{
		"":        {"cancelled-on", "correct-cancelled-on", "reason", "dry-run", "today"},
		"suspend": {"yes", "dry-run", "today"},
		"delete":  {"yes", "force", "late", "dry-run", "today"},
		"due":     {"yes", "late", "dry-run", "today", "record-only"},
	}
	for name := range set {
		if name != "stacks-dir" && name != "evidence-dir" && name != "baseline-dir" && !slices.Contains(allowed[sub], name) {
			misplaced = append(misplaced, "--"+name)
		}
	}
	if len(misplaced) > 0 {
		slices.Sort(misplaced)
		what := "offboard " + sub
		if sub == "" {
			what = "offboard <tenant>"
		}
		return e.exit("offboard", bad("%s does not take %s", strings.TrimSpace(what), strings.Join(misplaced, ", ")))
	}
	switch {
	case sub == "due" && len(rest) <= 1:
		return e.due(ctx, f, rest)
	case sub == "suspend" && len(rest) == 1:
		return e.exit("offboard suspend", e.suspend(ctx, rest[0], f))
	case sub == "delete" && len(rest) == 1:
		return e.exit("offboard delete", e.delete(ctx, rest[0], f))
	case sub == "" && len(rest) == 1 && f.cancelled != "" && f.correct == "":
		return e.exit("offboard", e.cancel(rest[0], f))
	case sub == "" && len(rest) == 1 && f.correct != "" && f.cancelled == "":
		return e.exit("offboard", e.correct(rest[0], f))
	case sub == "" && len(rest) == 1:
		return e.exit("offboard", bad("say when the customer cancelled: tenantctl offboard %s --cancelled-on YYYY-MM-DD (or --correct-cancelled-on to fix a recorded date)", rest[0]))
	}
	return cli.UsageError(e.Stderr, OffboardCommand, "name a tenant, or suspend <tenant>, delete <tenant> or due")
}

// load reads a tenant's stack (a valid tenant id, its own file).
func (e *Env) load(tenant string) (*config.Tenant, error) {
	if err := tenantArg(tenant); err != nil {
		return nil, err
	}
	t, _, err := stackfile.Load(e.StacksDir, tenant)
	if errors.Is(err, stackfile.ErrNotFound) {
		return nil, bad("unknown tenant %q: no %s", tenant, stackfile.Path(e.StacksDir, tenant))
	}
	if err != nil {
		return nil, bad("%w", err)
	}
	return t, nil
}

// step is one change of a tenant's stack file: change is applied to the
// stack as read (it may refuse), the result planned in memory, and then,
// unless dry, under the stacks lock (the stack re-read and change applied
// again, so nothing another process wrote in between is lost) written and
// recorded. A dry run returns the changed config and writes nothing.
type step struct {
	tenant  string
	kind    lifecycle.Step
	summary string
	details map[string]any
	change  func(*config.Tenant) error
	// plan: run the plan rules on the result (off for --late deletions).
	plan bool
	dry  bool
}

func (e *Env) apply(s step) (*config.Tenant, error) {
	if s.dry {
		return e.changed(s)
	}
	lock, err := lifecycle.Acquire(e.StacksDir)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	t, err := e.changed(s)
	if err != nil {
		return nil, err
	}
	if _, _, err := e.commit(lock, t, s.kind, s.summary, s.details); err != nil {
		return nil, err
	}
	return t, nil
}

// changed reads the stack, applies the step's change, validates and (if
// the step says so) plans the result in memory.
func (e *Env) changed(s step) (*config.Tenant, error) {
	t, err := e.load(s.tenant)
	if err != nil {
		return nil, err
	}
	if err := s.change(t); err != nil {
		return nil, err
	}
	if err := t.Validate(); err != nil {
		return nil, bad("%w", err)
	}
	if s.plan {
		if err := e.planPasses(t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// previewThenUp: the whole-graph rules run when the program finishes, so a
// preview must pass before anything is deployed.
func (e *Env) previewThenUp(ctx context.Context, tenant string) (map[string]any, error) {
	if stopped(ctx) {
		return nil, &deploy.Interrupted{Op: "preview", Stack: tenant, Err: errors.New("stopped before the deploy began")}
	}
	if err := e.inItsCell(ctx, tenant); err != nil {
		return nil, err
	}
	if _, err := e.Deployer.Preview(ctx, tenant); err != nil {
		return nil, err
	}
	if stopped(ctx) {
		return nil, &deploy.Interrupted{Op: "up", Stack: tenant, Err: errors.New("stopped after the preview, before the deploy began")}
	}
	return e.Deployer.Up(ctx, tenant)
}

// cancelDay reads and bounds a cancellation date for a tenant.
func (e *Env) cancelDay(tenant, flagName, value string) (lifecycle.Date, error) {
	day, err := lifecycle.ParseDate(value)
	if err != nil {
		return day, bad("--%s: %w", flagName, err)
	}
	onboarded, known := lifecycle.OnboardedOn(e.EvidenceDir, tenant)
	if err := lifecycle.CheckCancelDate(day, e.today(), onboarded, known); err != nil {
		return day, bad("--%s %w", flagName, err)
	}
	return day, nil
}

func (e *Env) cancel(tenant string, f offFlags) error {
	if err := tenantArg(tenant); err != nil {
		return err
	}
	day, err := e.cancelDay(tenant, "cancelled-on", f.cancelled)
	if err != nil {
		return err
	}
	s := lifecycle.ScheduleFor(day)
	t, err := e.apply(step{tenant: tenant, kind: lifecycle.StepCancel, summary: "cancellation recorded", dry: f.dryRun,
		details: map[string]any{"cancelledOn": s.CancelledOn.String(), "suspendOn": s.SuspendOn.String(), "deleteBy": s.DeleteBy.String()},
		change: func(t *config.Tenant) error {
			if err := lifecycle.Cancel(t, day); err != nil {
				return bad("%w", err)
			}
			return nil
		}})
	if err != nil {
		return err
	}
	l := t.Lifecycle
	e.logf("%s: cancelled on %s; access stops on %s (suspend); everything deleted by %s (%d days left)%s", tenant, l.CancelledOn, l.SuspendOn, l.DeleteBy, daysLeft(e.today(), l.DeleteBy), dryNote(f.dryRun))
	// A date recorded late: the suspension (or more) is already overdue,
	// said at once rather than left for the next daily run to find.
	if d, err := lifecycle.DueOn(t, e.today()); err == nil && d.Missed != "" {
		e.sayMissed(tenant, d.Missed, fmt.Sprintf("run tenantctl offboard %s %s --yes now", d.Step, tenant))
	}
	return nil
}

// correct replaces a mistaken cancellation date, with its reason, while
// nothing has been deleted on the old one (WP-10: the deadline must run
// from the real date).
func (e *Env) correct(tenant string, f offFlags) error {
	if err := tenantArg(tenant); err != nil {
		return err
	}
	if strings.TrimSpace(f.reason) == "" {
		return bad("--correct-cancelled-on needs --reason: say why the recorded date was wrong (it goes into the evidence)")
	}
	day, err := e.cancelDay(tenant, "correct-cancelled-on", f.correct)
	if err != nil {
		return err
	}
	var old string
	s := lifecycle.ScheduleFor(day)
	details := map[string]any{"cancelledOn": s.CancelledOn.String(), "suspendOn": s.SuspendOn.String(), "deleteBy": s.DeleteBy.String(), "reason": f.reason}
	t, err := e.apply(step{tenant: tenant, kind: lifecycle.StepCorrect, summary: "cancellation date corrected", dry: f.dryRun, details: details,
		change: func(t *config.Tenant) error {
			o, err := lifecycle.Correct(t, day)
			if err != nil {
				return bad("%w", err)
			}
			old, details["previousCancelledOn"] = o, o
			return nil
		}})
	if err != nil {
		return err
	}
	l := t.Lifecycle
	e.logf("%s: cancellation date corrected from %s to %s; suspend on %s; deleted by %s%s", tenant, old, l.CancelledOn, l.SuspendOn, l.DeleteBy, dryNote(f.dryRun))
	return nil
}

func dryNote(dry bool) string {
	if dry {
		return " (dry run: nothing written)"
	}
	return ""
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
		return bad("%w", err)
	}
	// Recorded already (offboard due --record-only, committed to main):
	// the step is applied, not recorded again.
	recorded := t.Lifecycle.State == config.StateSuspended
	summary := "stack set to suspended"
	if f.recordOnly {
		summary += " (recorded; the deploy follows)"
	}
	if !f.dryRun {
		if !f.recordOnly {
			if err := e.deployable(); err != nil {
				return err
			}
		}
		if err := e.confirm(f.yes, "suspend", tenant); err != nil {
			return err
		}
	}
	// Only a deployed stack is suspended: the backend must hold it (a
	// stack never deployed, or a backend that is not this fleet's, would
	// otherwise be built by the deploy that should stop it).
	if !f.dryRun && !f.recordOnly {
		st, err := e.deployedState(ctx, tenant)
		if err != nil {
			return err
		}
		if recorded && st.Lifecycle == config.StateSuspended {
			e.logf("%s: suspended in the stack file and deployed suspended already (its outputs say so): recording it as applied", tenant)
			return e.record(tenant, lifecycle.StepSuspend, "suspended: the deployed stack already answers 503 and admits nothing from outside the VPC (read from its outputs)",
				map[string]any{"phase": lifecycle.PhaseApplied, "deployedState": st.Lifecycle})
		}
	}
	if recorded {
		e.logf("%s: suspended in the stack file already; deploying it", tenant)
	} else if _, err := e.apply(step{tenant: tenant, kind: lifecycle.StepSuspend, summary: summary, plan: true, dry: f.dryRun,
		details: map[string]any{"phase": lifecycle.PhaseRecorded},
		change: func(t *config.Tenant) error {
			if err := lifecycle.Check(t, lifecycle.StepSuspend, false); err != nil {
				return bad("%w", err)
			}
			t.Lifecycle.State = config.StateSuspended
			return nil
		}}); err != nil {
		return err
	}
	if f.dryRun {
		e.logf("%s: dry run: suspended, the plan admits nothing from outside the VPC and the listeners answer 503; nothing written", tenant)
		return nil
	}
	if f.recordOnly {
		e.logf("%s: suspension recorded in the stack file; apply it with tenantctl offboard suspend %s --yes", tenant, tenant)
		return nil
	}
	if !recorded {
		e.logf("%s: suspended in the stack file; the plan admits nothing from outside the VPC and the listeners answer 503", tenant)
	}
	outputs, err := e.previewThenUp(deploy.ExistingOnly(ctx), tenant)
	if err != nil && (deploy.IsInterrupted(err) || stopped(ctx)) {
		return e.interrupted(tenant, lifecycle.StepSuspend, "suspension deploy", err, nil, "tenantctl offboard suspend "+tenant+" --yes (the stack file stays suspended; the suspension stays due until it is deployed)")
	}
	if err != nil {
		_ = e.record(tenant, lifecycle.StepSuspend, "suspension deploy FAILED: "+err.Error(), map[string]any{"phase": lifecycle.PhaseFailed})
		return failed("%w (the stack file stays suspended; run suspend again)", err)
	}
	// Applied only as deployed: the stack file may have changed between
	// the plan and the deploy (the locks are not held through it).
	if got := deploy.LifecycleOf(outputs); got != config.StateSuspended {
		_ = e.record(tenant, lifecycle.StepSuspend, "suspension NOT applied: the deploy exported state "+strconv.Quote(got), map[string]any{"phase": lifecycle.PhaseFailed, "deployedState": got})
		return failed("%s: the deploy did not suspend the tenant: it deployed state %q (was the stack file changed during the deploy?); the suspension stays due: run tenantctl offboard suspend %s --yes", tenant, got, tenant)
	}
	return e.record(tenant, lifecycle.StepSuspend, "suspended: listeners answer 503, no ingress from outside the VPC (as deployed)", map[string]any{"phase": lifecycle.PhaseApplied, "deployedState": config.StateSuspended})
}

// deployedState asks the backend what it holds of the tenant: an
// offboarding step needs a deployed stack.
func (e *Env) deployedState(ctx context.Context, tenant string) (deploy.State, error) {
	r, ok := e.Deployer.(deploy.StateReader)
	if !ok {
		return deploy.State{}, &failure{cli.ExitError, fmt.Errorf("%s: this build cannot ask the backend what is deployed; nothing was changed", tenant)}
	}
	st, err := r.DeployedState(ctx, tenant)
	if err != nil {
		return st, &failure{cli.ExitError, fmt.Errorf("%s: ask the backend what is deployed: %w; nothing was changed", tenant, err)}
	}
	if !st.Exists {
		return st, bad("%s: the backend holds no stack %s: nothing deployed to act on. If the tenant was never deployed, there is nothing to suspend or destroy; if it was, PULUMI_BACKEND_URL points at another backend (check it before anything else)", tenant, tenant)
	}
	return st, nil
}

func (e *Env) delete(ctx context.Context, tenant string, f offFlags) error {
	t, err := e.load(tenant)
	if err != nil {
		return err
	}
	if err := lifecycle.Check(t, lifecycle.StepDelete, f.force); err != nil {
		return bad("%w", err)
	}
	sched, err := lifecycle.Dates(t)
	if err != nil {
		return bad("%w", err)
	}
	today := e.today()
	window, err := lifecycle.KeyWindow(today, sched.DeleteBy)
	if err != nil && !f.late {
		return bad("%w", err)
	}
	late := err != nil
	if late {
		window = lifecycle.MinKeyWindowDays
	}
	if !f.dryRun {
		if !f.recordOnly {
			if err := e.deployable(); err != nil {
				return err
			}
		}
		if err := e.confirm(f.yes, "delete", tenant); err != nil {
			return err
		}
	}
	keyDate := today.AddDays(window)
	lockEnd := today.AddDays(t.ObjectLockDays)
	base, err := stackfile.BaselineOf(e.BaselineDir, t)
	if err != nil {
		return bad("%w", err)
	}
	details := map[string]any{"phase": lifecycle.PhaseRecorded,
		"keyDeletionWindowDays": window, "keysDeletedOn": keyDate.String(), "deleteBy": sched.DeleteBy.String(), "late": late,
		"retainedRule": lifecycle.RetainedRule,
		"retained":     lifecycle.Retained(t, base, today),
	}
	// Recorded already with the same key window (offboard due
	// --record-only, committed to main): applied, not recorded again.
	recorded := t.Lifecycle.State == config.StateDeleting && t.KeyDeletionWindowDays == window
	summary := "stack set to deleting"
	if f.recordOnly {
		summary += " (recorded; the destroy follows)"
	}
	if recorded {
		e.logf("%s: deleting in the stack file already; applying it", tenant)
	} else if _, err := e.apply(step{tenant: tenant, kind: lifecycle.StepDelete, summary: summary, plan: !late, dry: f.dryRun, details: details,
		change: func(t *config.Tenant) error {
			if err := lifecycle.Check(t, lifecycle.StepDelete, f.force); err != nil {
				return bad("%w", err)
			}
			t.Lifecycle.State = config.StateDeleting
			t.KeyDeletionWindowDays = window
			return nil
		}}); err != nil {
		return err
	}
	e.logf("%s: deleting; keys scheduled with a %d-day window (deleted on %s, deadline %s); the log archive stays under Object Lock until %s at the latest", tenant, window, keyDate, sched.DeleteBy, lockEnd)
	if late {
		fmt.Fprintf(e.Stderr, "WARNING: %s: key deletion on %s ends after the deadline %s; disable the key now (aws kms disable-key --key-id %s) and record the exception\n", tenant, keyDate, sched.DeleteBy, config.KeyAlias(tenant))
	}
	if f.dryRun {
		e.logf("%s: dry run: nothing deployed, destroyed or written", tenant)
		return nil
	}
	if f.recordOnly {
		e.logf("%s: deletion recorded in the stack file; apply it with tenantctl offboard delete %s --yes", tenant, tenant)
		return nil
	}
	if _, err := e.deployedState(ctx, tenant); err != nil {
		return err
	}
	ctx = deploy.ExistingOnly(ctx)
	details["phase"] = lifecycle.PhaseFailed
	// Up first: it turns deletion protection off, lets the buckets be
	// emptied and sets the key window that destroy then schedules.
	again := "tenantctl offboard delete " + tenant + " --yes (the stack file stays deleting)"
	if _, err := e.previewThenUp(ctx, tenant); err != nil {
		if deploy.IsInterrupted(err) || stopped(ctx) {
			return e.interrupted(tenant, lifecycle.StepDelete, "deletion (up)", err, details, again)
		}
		_ = e.record(tenant, lifecycle.StepDelete, "deletion FAILED at up: "+err.Error(), details)
		return failed("%w (the stack stays deleting; run delete again)", err)
	}
	if err := e.inItsCell(ctx, tenant); err != nil {
		return err
	}
	if err := e.Deployer.Destroy(ctx, tenant); err != nil {
		if deploy.IsInterrupted(err) || stopped(ctx) {
			return e.interrupted(tenant, lifecycle.StepDelete, "deletion (destroy)", err, details, again)
		}
		_ = e.record(tenant, lifecycle.StepDelete, "deletion FAILED at destroy: "+err.Error(), details)
		return failed("%w (the stack stays deleting; run delete again)", err)
	}
	if e.Leftovers == nil {
		return &failure{cli.ExitError, fmt.Errorf("destroyed %s, but this build cannot list what still carries its tag; the stack is kept until that check passes", tenant)}
	}
	left, err := e.Leftovers(ctx, tenant)
	if err != nil {
		return &failure{cli.ExitError, fmt.Errorf("destroyed %s, but listing what still carries its tag failed: %w; the stack is kept", tenant, err)}
	}
	var unexpected []string
	for _, r := range left {
		if !expect.OutlivesTheStack(tenant, r) {
			unexpected = append(unexpected, r)
		}
	}
	details["leftovers"] = left
	if len(unexpected) > 0 {
		_ = e.record(tenant, lifecycle.StepDelete, "destroyed, but resources tagged with the tenant remain", details)
		return failed("resources tagged Tenant=%s remain: %s", tenant, strings.Join(unexpected, ", "))
	}
	if err := e.Deployer.Remove(ctx, tenant); err != nil {
		_ = e.record(tenant, lifecycle.StepDelete, "destroyed, but removing the stack FAILED: "+err.Error(), details)
		return failed("%w", err)
	}
	details["phase"] = lifecycle.PhaseApplied
	_, err = e.apply(step{tenant: tenant, kind: lifecycle.StepDeleted, summary: "deleted: nothing tagged with the tenant remains but the retained archive and the keys pending deletion", details: details,
		change: func(t *config.Tenant) error { t.Lifecycle.State = config.StateDeleted; return nil }})
	return err
}

// due carries out what the day requires, loudly reporting what was missed.
// A stack that cannot be read is reported and the others are handled.
func (e *Env) due(ctx context.Context, f offFlags, only []string) int {
	names, problems, err := stackfile.Scan(e.StacksDir)
	if err != nil {
		return e.exit("offboard due", bad("%w", err))
	}
	if len(only) == 1 {
		// One tenant's step (a workflow job per tenant, in that stack's
		// concurrency group); the other files are not this run's concern.
		if err := tenantArg(only[0]); err != nil {
			return e.exit("offboard due", err)
		}
		if !slices.Contains(names, only[0]) {
			return e.exit("offboard due", bad("unknown tenant %q: no readable %s", only[0], stackfile.Path(e.StacksDir, only[0])))
		}
		names, problems = only, nil
	}
	code := cli.ExitOK
	worse := func(c int) {
		if c != cli.ExitOK && (code == cli.ExitOK || c == cli.ExitFail) {
			code = c
		}
	}
	for _, p := range problems {
		worse(e.exit("offboard due", bad("skipped: %v", p)))
	}
	today := e.today()
	did := 0
	for i, n := range names {
		if stopped(ctx) {
			worse(e.exit("offboard due", &failure{cli.ExitError, fmt.Errorf("interrupted by the operator before %s: %s still to be looked at; run offboard due again", n, strings.Join(names[i:], ", "))}))
			break
		}
		if e.Progress != nil {
			fmt.Fprintf(e.Progress, "offboard due: %d/%d %s\n", i+1, len(names), n)
		}
		t, err := e.load(n)
		if err != nil {
			worse(e.exit("offboard due", err))
			continue
		}
		ev, _ := lifecycle.ReadEvidence(e.EvidenceDir, n)
		d, err := lifecycle.DueWith(t, ev, today)
		if err != nil {
			worse(e.exit("offboard due", bad("%s: %w", n, err)))
			continue
		}
		if d.Missed != "" {
			e.sayMissed(n, d.Missed, "")
			worse(cli.ExitFail)
		}
		if d.Unapplied != "" && !f.recordOnly {
			// Recorded on main, not deployed: due until it is, and said
			// every run (the apply below clears it when it succeeds).
			fmt.Fprintf(e.Stderr, "%s: %s\n", n, d.Unapplied)
			if f.dryRun {
				worse(cli.ExitFail)
			}
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
