package ops

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/safefile"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// DeployCommand is `tenantctl deploy` for the help.
var DeployCommand = cli.Command{
	Name:     "deploy",
	Synopsis: []string{"deploy <tenant> --save-plan DIR", "deploy <tenant> --plan DIR [--main REF]"},
	Summary:  "save an update plan for approval; apply exactly that plan, refusing a stale commit",
	Details: `--save-plan previews the tenant's stack at the checkout's commit and writes
the update plan Pulumi saves (DIR/<tenant>.plan.json) with what it was made
of (DIR/<tenant>.meta.json: the commit, the stack file's and the plan's
SHA-256). --plan applies that plan with pulumi up --plan, which performs
the operations it holds and fails on any other
(https://www.pulumi.com/docs/iac/concepts/update-plans/), and only when the
checkout is the commit the plan was made at, the stack file and the plan
are as they were, and (--main) that commit is still the tip of main: an
older run's plan is refused, the newer run deploys main.`,
}

// PlanMeta is what a saved update plan was made of.
type PlanMeta struct {
	Schema          string         `json:"schema"`
	Tenant          string         `json:"tenant"`
	Commit          string         `json:"commit"`
	StackFileSHA256 string         `json:"stackFileSha256"`
	PlanSHA256      string         `json:"planSha256"`
	Changes         map[string]int `json:"changes"`
	MadeAt          string         `json:"madeAt"`
	ToolVersion     string         `json:"toolVersion"`
}

// PlanSchema names PlanMeta's format.
const PlanSchema = "tenantkit.update-plan/v1"

// Deploy runs `tenantctl deploy`.
func (e *Env) Deploy(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	e.dirFlags(fs)
	var save, plan, main string
	fs.StringVar(&save, "save-plan", "", "preview and write the update plan and its record into this directory")
	fs.StringVar(&plan, "plan", "", "apply the update plan saved in this directory")
	fs.StringVar(&main, "main", "", "a git ref of main's tip (origin/main after git fetch): refuse a plan of any other commit")
	pos, code, done := cli.ParseCommand(DeployCommand, fs, args, e.Stdout, e.Stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return cli.UsageError(e.Stderr, DeployCommand, "name one tenant")
	}
	if (save == "") == (plan == "") {
		return cli.UsageError(e.Stderr, DeployCommand, "give --save-plan DIR or --plan DIR")
	}
	if err := tenantArg(pos[0]); err != nil {
		return e.exit("deploy", err)
	}
	if save != "" {
		return e.exit("deploy", e.savePlan(ctx, pos[0], save))
	}
	return e.exit("deploy", e.applyPlan(ctx, pos[0], plan, main))
}

func planPaths(dir, tenant string) (plan, meta string) {
	return filepath.Join(dir, tenant+".plan.json"), filepath.Join(dir, tenant+".meta.json")
}

func (e *Env) planner() (deploy.Planner, error) {
	if err := e.deployable(); err != nil {
		return nil, err
	}
	p, ok := e.Deployer.(deploy.Planner)
	if !ok {
		return nil, bad("this build's deployer saves no update plans")
	}
	return p, nil
}

func (e *Env) savePlan(ctx context.Context, tenant, dir string) error {
	stack := stackfile.Path(e.StacksDir, tenant)
	if _, _, err := stackfile.Load(e.StacksDir, tenant); err != nil {
		return bad("%w", err)
	}
	commit, err := git(e.StacksDir, "rev-parse", "HEAD")
	if err != nil {
		return bad("the plan records the commit it is made at: %w", err)
	}
	// A plan is of a commit: what is approved is what main holds.
	if dirty, err := git(e.StacksDir, "status", "--porcelain", "--", filepath.Base(stack)); err != nil || dirty != "" {
		return bad("%s differs from commit %s (%s%v): commit it, then save the plan", stack, short(commit), dirty, errOr(err))
	}
	p, err := e.planner()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	planPath, metaPath := planPaths(dir, tenant)
	abs, err := filepath.Abs(planPath)
	if err != nil {
		return err
	}
	changes, err := p.SavePlan(ctx, tenant, abs)
	if err != nil {
		return failed("%w", err)
	}
	meta := PlanMeta{Schema: PlanSchema, Tenant: tenant, Commit: commit, Changes: changes,
		MadeAt: e.Now().UTC().Format(time.RFC3339), ToolVersion: cli.Version()}
	if meta.StackFileSHA256, err = fileSHA256(stack); err != nil {
		return err
	}
	if meta.PlanSHA256, err = fileSHA256(planPath); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(meta, "", "  ")
	if err := safefile.Write(metaPath, append(b, '\n'), 0o644); err != nil {
		return err
	}
	e.logf("plan %s at %s: %s; saved to %s (apply: tenantctl deploy %s --plan %s)", tenant, short(commit), describeChanges(changes), planPath, tenant, dir)
	return nil
}

func (e *Env) applyPlan(ctx context.Context, tenant, dir, main string) error {
	planPath, metaPath := planPaths(dir, tenant)
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return bad("no saved plan for %s in %s: %v (save one with tenantctl deploy %s --save-plan %s)", tenant, dir, err, tenant, dir)
	}
	var meta PlanMeta
	if err := json.Unmarshal(b, &meta); err != nil || meta.Schema != PlanSchema || meta.Tenant != tenant {
		return bad("%s is not a saved plan of %s (%v)", metaPath, tenant, errOr(err))
	}
	if got, err := fileSHA256(planPath); err != nil || got != meta.PlanSHA256 {
		return bad("%s is not the plan that was saved (SHA-256 %s, recorded %s): save the plan again and have it approved", planPath, got, meta.PlanSHA256)
	}
	head, err := git(e.StacksDir, "rev-parse", "HEAD")
	if err != nil {
		return bad("%w", err)
	}
	if head != meta.Commit {
		return bad("the plan was made at %s, this checkout is %s: apply it at its own commit, or save a plan here", short(meta.Commit), short(head))
	}
	if main != "" {
		tip, err := git(e.StacksDir, "rev-parse", "--verify", main+"^{commit}")
		if err != nil {
			return bad("--main %s: %w", main, err)
		}
		if tip != head {
			return bad("stale: main is at %s, this plan is of %s; nothing was deployed. The run for %s deploys main (an older commit is never applied over a newer one)", short(tip), short(head), short(tip))
		}
	}
	if got, err := fileSHA256(stackfile.Path(e.StacksDir, tenant)); err != nil || got != meta.StackFileSHA256 {
		return bad("%s changed since the plan was saved: save the plan again and have it approved", stackfile.Path(e.StacksDir, tenant))
	}
	t, _, err := stackfile.Load(e.StacksDir, tenant)
	if err != nil {
		return bad("%w", err)
	}
	if err := lifecycle.Check(t, lifecycle.StepDeploy, false); err != nil {
		return bad("%w", err)
	}
	p, err := e.planner()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(planPath)
	if err != nil {
		return err
	}
	if _, err := p.UpPlan(ctx, tenant, abs); err != nil {
		if deploy.IsInterrupted(err) || stopped(ctx) {
			return e.interrupted(tenant, lifecycle.StepDeploy, "deploy", err, nil, fmt.Sprintf("tenantctl deploy %s --plan %s", tenant, dir))
		}
		_ = e.record(tenant, lifecycle.StepDeploy, "deploy FAILED at up --plan: "+err.Error(), map[string]any{"commit": head})
		return failed("%w", err)
	}
	if err := e.record(tenant, lifecycle.StepDeploy, "the approved plan applied", map[string]any{"commit": head, "planSha256": meta.PlanSHA256, "changes": meta.Changes}); err != nil {
		return err
	}
	e.logf("applied the plan of %s at %s: %s", tenant, short(head), describeChanges(meta.Changes))
	return nil
}

// git runs git in dir and returns its trimmed output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

func errOr(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

// describeChanges says a preview's counts, the changes first.
func describeChanges(c map[string]int) string {
	var parts []string
	for _, op := range []string{"create", "update", "replace", "delete", "same"} {
		if c[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", c[op], op))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}
