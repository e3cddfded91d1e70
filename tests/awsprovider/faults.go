package awsprovider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Faults makes the provider meet, on request, two things AWS does that a
// test cannot wait for: a call that fails (a throttle, a service error)
// and a create that takes minutes (an RDS instance). Each *.fault file in
// dir holds one line:
//
//	<Create|Update|Delete> <URN substring> fail <message>
//	<Create|Update|Delete> <URN substring> slow <duration>
//
// A fail fault applies once: the file is renamed to *.used as the call
// fails. A slow one makes the call in AWS (moto) first, then waits, as
// the Terraform provider waits for a new RDS instance to become available:
// <file>.started is written when the resource exists and the wait begins,
// <file>.finished when the call returns. The wait runs whatever the
// engine's context says; a provider killed during it leaves a resource
// that exists in AWS and not in the state (a pending create).
func Faults(p *deploytest.Provider, dir string) *deploytest.Provider {
	create, update, del := p.CreateF, p.UpdateF, p.DeleteF
	p.CreateF = func(ctx context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
		if req.Preview {
			return create(ctx, req)
		}
		after, err := meet(dir, "Create", req.URN)
		if err != nil {
			return plugin.CreateResponse{}, err
		}
		resp, err := create(ctx, req)
		after()
		return resp, err
	}
	p.UpdateF = func(ctx context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
		if req.Preview {
			return update(ctx, req)
		}
		after, err := meet(dir, "Update", req.URN)
		if err != nil {
			return plugin.UpdateResponse{}, err
		}
		resp, err := update(ctx, req)
		after()
		return resp, err
	}
	p.DeleteF = func(ctx context.Context, req plugin.DeleteRequest) (plugin.DeleteResponse, error) {
		after, err := meet(dir, "Delete", req.URN)
		if err != nil {
			return plugin.DeleteResponse{}, err
		}
		resp, err := del(ctx, req)
		after()
		return resp, err
	}
	return p
}

// meet applies the faults that match a call: the error of a fail fault,
// or, for a slow one, the wait to run once the call is made.
func meet(dir, method string, urn resource.URN) (func(), error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.fault"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // taken by a concurrent call
		}
		fields := strings.Fields(string(b))
		if len(fields) < 4 || fields[0] != method || !strings.Contains(string(urn), fields[1]) {
			continue
		}
		arg := strings.Join(fields[3:], " ")
		switch fields[2] {
		case "fail":
			if os.Rename(f, strings.TrimSuffix(f, ".fault")+".used") != nil {
				continue // another call took it
			}
			return nil, errors.New(arg)
		case "slow":
			d, err := time.ParseDuration(arg)
			if err != nil {
				return nil, fmt.Errorf("fault %s: %w", f, err)
			}
			return func() {
				_ = os.WriteFile(f+".started", []byte(urn), 0o644)
				time.Sleep(d)
				_ = os.WriteFile(f+".finished", []byte(urn), 0o644)
			}, nil
		}
	}
	return func() {}, nil
}
