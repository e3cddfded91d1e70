package deploy

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Inline runs a program compiled into this binary through the Automation
// API's inline source: the Pulumi CLI drives the engine and the program
// answers it from this process, so a deploy needs neither a Go toolchain
// nor Pulumi's Go language plugin. The project and its stack files are
// read from WorkDir (Pulumi.yaml, and stackConfigDir), exactly as
// `pulumi up` run there reads them; both paths run the same RunFunc.
type Inline struct {
	WorkDir string
	// Program is the stack's program (tenant.Guarded or the baseline's).
	Program pulumi.RunFunc
	// Out receives the engine's progress.
	Out io.Writer
	// SecretsProvider says which secrets provider a stack is created with
	// (its stack file's, which onboarding wrote from the baseline), or
	// refuses a stack whose file does not name the one the fleet declares.
	// nil, or "": the backend's default (tests of the engine alone).
	SecretsProvider func(stack string) (string, error)
}

// Ready implements Deployer.
func (d *Inline) Ready() error { return Available() }

func (d *Inline) stack(ctx context.Context, name string) (auto.Stack, error) {
	provider := ""
	if d.SecretsProvider != nil {
		p, err := d.SecretsProvider(name)
		if err != nil {
			return auto.Stack{}, err
		}
		provider = p
	}
	if existingOnly(ctx) {
		s, err := d.existing(ctx, name)
		if auto.IsSelectStack404Error(err) {
			return auto.Stack{}, fmt.Errorf("the backend holds no stack %s: nothing deployed to act on (check PULUMI_BACKEND_URL)", name)
		}
		return s, err
	}
	dir, project, cli, err := d.prepare()
	if err != nil {
		return auto.Stack{}, err
	}
	opts := []auto.LocalWorkspaceOption{auto.WorkDir(dir), auto.Pulumi(cli)}
	if provider != "" {
		// Used by `pulumi stack init` only; an existing stack keeps the
		// provider its file names.
		opts = append(opts, auto.SecretsProvider(provider))
	}
	s, err := auto.UpsertStackInlineSource(ctx, name, project, inDir(dir, d.Program), opts...)
	if err != nil {
		return auto.Stack{}, fmt.Errorf("select stack %s of %s: %w", name, dir, err)
	}
	return s, nil
}

// prepare is what selecting a stack needs: the emulator or credentials
// check, the project directory and name, and the Pulumi CLI.
func (d *Inline) prepare() (dir, project string, cli auto.PulumiCommand, err error) {
	if err := Available(); err != nil {
		return "", "", nil, err
	}
	if dir, err = filepath.Abs(d.WorkDir); err != nil {
		return "", "", nil, err
	}
	p, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return "", "", nil, fmt.Errorf("read the project in %s: %w", dir, err)
	}
	if cli, err = newPulumiCLI(); err != nil {
		return "", "", nil, err
	}
	return dir, p.Name.String(), cli, nil
}

// cwdMu serialises the programs' runs in their project directories.
var cwdMu sync.Mutex

// inDir runs a program in its project's directory, as `pulumi up` does:
// the programs read paths relative to it (the baseline's tenantStacksDir,
// the tenants' stacks directory). An inline program otherwise runs in this
// process's directory. The body reads its files before it returns; the
// registrations that follow need no directory.
func inDir(dir string, program pulumi.RunFunc) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cwdMu.Lock()
		defer cwdMu.Unlock()
		back, err := os.Getwd()
		if err != nil {
			return err
		}
		if err := os.Chdir(dir); err != nil {
			return err
		}
		defer os.Chdir(back) //nolint:errcheck // the directory it came from
		return program(ctx)
	}
}

// Preview implements Deployer.
func (d *Inline) Preview(ctx context.Context, name string) (map[string]int, error) {
	s, err := d.stack(ctx, name)
	if err != nil {
		return nil, err
	}
	return preview(ctx, s, "preview", name, d.Out)
}

// Drift is `pulumi preview --refresh --expect-no-changes`: it reads every
// resource back from AWS first and fails when the program would change
// anything; the counts say what it would change, by operation.
func (d *Inline) Drift(ctx context.Context, name string) (map[string]int, error) {
	s, err := d.stack(ctx, name)
	if err != nil {
		return nil, err
	}
	ch := make(chan events.EngineEvent)
	got := make(chan map[string]int, 1)
	go func() {
		seen := map[string]int{}
		for e := range ch {
			if e.SummaryEvent != nil {
				seen = changes(e.SummaryEvent.ResourceChanges)
			}
		}
		got <- seen
	}()
	_, err = s.Preview(ctx, optpreview.Refresh(), optpreview.ExpectNoChanges(), optpreview.Diff(),
		optpreview.ProgressStreams(orDiscard(d.Out)), optpreview.EventStreams(ch))
	seen := <-got
	delete(seen, "same")
	if err != nil {
		return seen, classify("preview --refresh --expect-no-changes", name, interrupted(ctx, s, "preview --refresh", name, err))
	}
	return seen, nil
}

// Repair is `pulumi up --refresh`: what drifted from the program is read
// back first, then brought back to it.
func (d *Inline) Repair(ctx context.Context, name string) error {
	s, err := d.stack(ctx, name)
	if err != nil {
		return err
	}
	if _, err := s.Up(ctx, optup.Refresh(), optup.ProgressStreams(orDiscard(d.Out))); err != nil {
		return classify("up --refresh", name, interrupted(ctx, s, "up --refresh", name, err))
	}
	return nil
}

func changes(summary map[apitype.OpType]int) map[string]int {
	out := map[string]int{}
	for op, n := range summary {
		out[string(op)] = n
	}
	return out
}

// Up implements Deployer.
func (d *Inline) Up(ctx context.Context, name string) (map[string]any, error) {
	s, err := d.stack(ctx, name)
	if err != nil {
		return nil, err
	}
	return up(ctx, s, "up", name, d.Out)
}

// Destroy implements Deployer.
func (d *Inline) Destroy(ctx context.Context, name string) error {
	s, err := d.stack(ctx, name)
	if err != nil {
		return err
	}
	return destroy(ctx, s, name, d.Out)
}

// Remove implements Deployer: the stack leaves the backend; its stack
// file stays (removeStack).
func (d *Inline) Remove(ctx context.Context, name string) error {
	return removeStack(ctx, d.WorkDir, name)
}

// Deployment is what the backend says of a stack: its last update and how
// many resources it holds (`pulumi stack ls`).
type Deployment struct {
	LastUpdate       string `json:"lastUpdate,omitempty"`
	Resources        int    `json:"resources"`
	UpdateInProgress bool   `json:"updateInProgress,omitempty"`
}

// Deployments lists the project's stacks in the backend (the Automation
// API's ListStacks, which `pulumi stack ls --json` answers): a stack file
// without a stack there was never deployed.
func Deployments(ctx context.Context, workDir string) (map[string]Deployment, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(workDir)
	if err != nil {
		return nil, err
	}
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(dir))
	if err != nil {
		return nil, fmt.Errorf("the workspace in %s: %w", dir, err)
	}
	stacks, err := ws.ListStacks(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the stacks of the backend: %w", err)
	}
	out := map[string]Deployment{}
	for _, s := range stacks {
		d := Deployment{LastUpdate: s.LastUpdate, UpdateInProgress: s.UpdateInProgress}
		if s.ResourceCount != nil {
			d.Resources = *s.ResourceCount
		}
		name := s.Name
		if i := strings.LastIndex(name, "/"); i >= 0 { // org/project/stack on Pulumi Cloud
			name = name[i+1:]
		}
		out[name] = d
	}
	return out, nil
}

// Deployed implements the lister list uses.
func (d *Inline) Deployed(ctx context.Context) (map[string]Deployment, error) {
	return Deployments(ctx, d.WorkDir)
}

// Planner is a deployer that saves and applies Pulumi update plans
// (https://www.pulumi.com/docs/iac/concepts/update-plans/): `preview
// --save-plan` writes the operations the preview found, and `up --plan`
// performs those and fails on any other.
type Planner interface {
	SavePlan(ctx context.Context, stack, path string) (map[string]int, error)
	UpPlan(ctx context.Context, stack, path string) (map[string]any, error)
}

// SavePlan implements Planner.
func (d *Inline) SavePlan(ctx context.Context, name, path string) (map[string]int, error) {
	s, err := d.stack(ctx, name)
	if err != nil {
		return nil, err
	}
	return preview(ctx, s, "preview --save-plan", name, d.Out, optpreview.Plan(path), optpreview.Diff())
}

// UpPlan implements Planner.
func (d *Inline) UpPlan(ctx context.Context, name, path string) (map[string]any, error) {
	s, err := d.stack(ctx, name)
	if err != nil {
		return nil, err
	}
	return up(ctx, s, "up --plan", name, d.Out, optup.Plan(path), optup.Diff())
}
