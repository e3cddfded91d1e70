package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/engine/lifecycletest/framework"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	pkgworkspace "github.com/pulumi/pulumi/pkg/v3/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/esc"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/policy"
)

// RepoRoot is the repository root, where the tenant project lives.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// LoadStack does what `pulumi preview/up` does first: find the project and
// the stack file from dir (Pulumi's own loaders, which honour
// stackConfigDir), then validate the stack's config against the project's
// declarations and apply the project's values and defaults
// (pkg/v3/workspace.ValidateStackConfigAndApplyProjectConfig). It changes
// the working directory to dir for the rest of the test, as the CLI runs
// the program there.
func LoadStack(t testing.TB, dir, stackName string) (*workspace.Project, config.Map, error) {
	t.Helper()
	t.Chdir(dir)
	project, path, err := workspace.DetectProjectStackPath(tokens.QName(stackName))
	if err != nil {
		return nil, nil, err
	}
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, project, path)
	if err != nil {
		return nil, nil, err
	}
	cfg := ps.Config
	if cfg == nil {
		cfg = config.Map{}
	}
	err = pkgworkspace.ValidateStackConfigAndApplyProjectConfig(context.Background(), stackName, project,
		esc.Value{}, cfg, config.NopEncrypter, config.NopDecrypter)
	return project, cfg, err
}

// Stack is one stack of one of our programs, run by the real engine.
type Stack struct {
	t       testing.TB
	Account *Account
	Project *workspace.Project
	Plan    *framework.TestPlan
	// Snap is the state after the last update.
	Snap *deploy.Snapshot
	// Warnings are the guard's whole-graph warnings of the last run.
	Warnings []string
}

// NewStack loads and validates a stack (LoadStack) and prepares the engine
// to run guarded, the program's main exactly as main.go runs it.
func NewStack(t testing.TB, account *Account, dir, stackName string, guarded func(**policy.Guard) pulumi.RunFunc) *Stack {
	t.Helper()
	project, cfg, err := LoadStack(t, dir, stackName)
	if err != nil {
		t.Fatalf("stack %s: Pulumi refuses its config: %v", stackName, err)
	}
	s := &Stack{t: t, Account: account, Project: project}
	program := deploytest.NewLanguageRuntimeF(func(info plugin.RunInfo, _ *deploytest.ResourceMonitor) error {
		values := map[string]string{}
		for k, v := range info.Config {
			values[k.String()] = v
		}
		ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{
			Project: info.Project, Stack: info.Stack, Parallel: info.Parallel, DryRun: info.DryRun,
			MonitorAddr: info.MonitorAddress, Config: values,
		})
		if err != nil {
			return err
		}
		warnings, err := policy.RunGuarded(func(f pulumi.RunFunc) error { return pulumi.RunWithContext(ctx, f) }, guarded)
		s.Warnings = warnings
		return err
	})
	s.Plan = &framework.TestPlan{
		Project:   project.Name.String(),
		Stack:     stackName,
		Runtime:   "go",
		Config:    cfg,
		Decrypter: config.NopDecrypter,
		Options: framework.TestUpdateOptions{
			T:                t,
			HostF:            deploytest.NewPluginHostF(nil, nil, program, nil, nil, account.Loader()),
			SkipDisplayTests: true,
		},
	}
	return s
}

// Result is what one engine operation did.
type Result struct {
	Changes display.ResourceChanges
	Events  []engine.Event
	Err     error
}

// Count is the number of steps of an operation kind.
func (r Result) Count(op display.StepOp) int { return r.Changes[op] }

// Changed counts every step that is not "same".
func (r Result) Changed() int {
	n := 0
	for op, c := range r.Changes {
		if op != deploy.OpSame {
			n += c
		}
	}
	return n
}

func (s *Stack) run(op framework.TestOp, dryRun bool) Result {
	var res Result
	validate := func(_ workspace.Project, _ deploy.Target, _ engine.JournalEntries, events []engine.Event, err error) error {
		res.Events = events
		for _, e := range events {
			if e.Type == engine.SummaryEvent {
				res.Changes = e.Payload().(engine.SummaryEventPayload).ResourceChanges
			}
		}
		return err
	}
	snap, err := op.RunStep(s.Plan.GetProject(), s.Plan.GetTarget(s.t, s.Snap), s.Plan.Options, dryRun, nil, validate, "")
	res.Err = err
	if !dryRun && snap != nil {
		s.Snap = snap
	}
	return res
}

// Preview runs `pulumi preview`.
func (s *Stack) Preview() Result { return s.run(framework.TestOp(engine.Update), true) }

// Up runs `pulumi up`.
func (s *Stack) Up() Result { return s.run(framework.TestOp(engine.Update), false) }

// Destroy runs `pulumi destroy`.
func (s *Stack) Destroy() Result { return s.run(framework.TestOp(engine.Destroy), false) }

// SetConfig changes a config value as `pulumi config set` would, then
// validates the stack again as the CLI does before the next operation.
func (s *Stack) SetConfig(key, value string, object bool) {
	s.t.Helper()
	k, err := config.ParseKey(key)
	if err != nil {
		s.t.Fatal(err)
	}
	v := config.NewValue(value)
	if object {
		v = config.NewObjectValue(value)
	}
	s.Plan.Config[k] = v
	if err := pkgworkspace.ValidateStackConfigAndApplyProjectConfig(context.Background(), s.Plan.Stack, s.Project,
		esc.Value{}, s.Plan.Config, config.NopEncrypter, config.NopDecrypter); err != nil {
		s.t.Fatalf("config %s: Pulumi refuses it: %v", key, err)
	}
}

// Outputs are the stack's outputs as the engine serialises them into the
// state (what `pulumi stack output --json` reads).
func (s *Stack) Outputs() ([]byte, error) {
	if s.Snap == nil {
		return nil, fmt.Errorf("no state")
	}
	for _, r := range s.Snap.Resources {
		if r.Type == resource.RootStackType && !r.Delete {
			m, err := stack.SerializeProperties(context.Background(), r.Outputs, config.NopEncrypter, false)
			if err != nil {
				return nil, err
			}
			return json.Marshal(m)
		}
	}
	return nil, fmt.Errorf("no stack resource in the state")
}
