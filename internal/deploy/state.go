package deploy

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// State is what the backend holds of a tenant's stack: whether it exists,
// and the lifecycle state its last deploy exported (the inventory's
// state): what is deployed, as against what the stack file records.
type State struct {
	Exists bool
	// Lifecycle is "" when the stack exports no inventory (never updated).
	Lifecycle string
	// Account is the AWS account the last deploy built the stack in (the
	// inventory's accountId): the cell it lives in, whatever the stack
	// file now says.
	Account string
}

// StateReader reads what is deployed.
type StateReader interface {
	DeployedState(ctx context.Context, stack string) (State, error)
}

// LifecycleOf reads the lifecycle state from a stack's outputs.
func LifecycleOf(outputs map[string]any) string {
	inv, _ := outputs["inventory"].(map[string]any)
	s, _ := inv["state"].(string)
	return s
}

// DeployedState implements StateReader: the stack selected, never created
// (a stack the backend does not hold is not there), and its outputs read.
func (d *Inline) DeployedState(ctx context.Context, name string) (State, error) {
	s, err := d.existing(ctx, name)
	if auto.IsSelectStack404Error(err) {
		return State{}, nil
	}
	if err != nil {
		return State{}, err
	}
	out, err := s.Outputs(ctx)
	if err != nil {
		return State{}, fmt.Errorf("read the outputs of %s: %w", name, err)
	}
	values := map[string]any{}
	for k, v := range out {
		values[k] = v.Value
	}
	inv, _ := values["inventory"].(map[string]any)
	account, _ := inv["accountId"].(string)
	return State{Exists: true, Lifecycle: LifecycleOf(values), Account: account}, nil
}

// existing selects a stack the backend holds, and fails if it holds none:
// an offboarding step never creates the stack it was asked to stop.
func (d *Inline) existing(ctx context.Context, name string) (auto.Stack, error) {
	dir, project, cli, err := d.prepare()
	if err != nil {
		return auto.Stack{}, err
	}
	return auto.SelectStackInlineSource(ctx, name, project, inDir(dir, d.Program), auto.WorkDir(dir), auto.Pulumi(cli))
}

type existingOnlyKey struct{}

// ExistingOnly marks operations that must find their stack in the backend
// and never create it (suspend, delete): against a backend that does not
// hold the stack (never deployed, or PULUMI_BACKEND_URL pointing elsewhere)
// they fail instead of building the tenant they were asked to stop.
func ExistingOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, existingOnlyKey{}, true)
}

func existingOnly(ctx context.Context) bool { v, _ := ctx.Value(existingOnlyKey{}).(bool); return v }
