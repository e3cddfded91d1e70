package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/verify"
)

const testAccount = "111122223333"

func baselineStack(t *testing.T, a *Account) *Stack {
	t.Helper()
	return NewStack(t, a, filepath.Join(RepoRoot(), "baseline"), "tokyo", baseline.Guarded)
}

func tenantStack(t *testing.T, a *Account, name string) *Stack {
	t.Helper()
	return NewStack(t, a, RepoRoot(), name, tenant.Guarded)
}

// withBaseline is an account in which the baseline stack is up, as the
// README requires before the first tenant.
func withBaseline(t *testing.T) *Account {
	t.Helper()
	a, _ := baselineUp(t)
	return a
}

func baselineUp(t *testing.T) (*Account, *Stack) {
	t.Helper()
	a := NewAccount(testAccount)
	b := baselineStack(t, a)
	if r := b.Up(); r.Err != nil {
		t.Fatalf("baseline up: %v", r.Err)
	}
	return a, b
}

// mockCount is how many resources the program registers under the mock
// engine with the same stack file (tenantctl plan's view), plus the stack.
func mockCount(t *testing.T, name string) int {
	t.Helper()
	raw, err := stackfile.ReadRaw(stackfile.Path(filepath.Join(RepoRoot(), "stacks"), name))
	if err != nil {
		t.Fatal(err)
	}
	g, err := mockengine.Run(tenant.Program, mockengine.Options{Stack: name, Config: raw})
	if err != nil {
		t.Fatal(err)
	}
	return len(g.All()) + 1
}

// steps lists the resources an operation touched, by operation.
func steps(r Result) map[display.StepOp][]string {
	out := map[display.StepOp][]string{}
	for _, e := range r.Events {
		if e.Type != engine.ResourcePreEvent {
			continue
		}
		m := e.Payload().(engine.ResourcePreEventPayload).Metadata
		if m.Op != deploy.OpSame {
			out[m.Op] = append(out[m.Op], string(m.URN.Type())+" "+m.URN.Name())
		}
	}
	return out
}

// order is, for each resource that changed, the index of the event that
// began its step and of the one that ended it.
func order(r Result) (started, done map[string]int) {
	started, done = map[string]int{}, map[string]int{}
	for i, e := range r.Events {
		switch e.Type {
		case engine.ResourcePreEvent:
			m := e.Payload().(engine.ResourcePreEventPayload).Metadata
			started[string(m.URN.Type())+" "+m.URN.Name()] = i + 1
		case engine.ResourceOutputsEvent:
			m := e.Payload().(engine.ResourceOutputsEventPayload).Metadata
			done[string(m.URN.Type())+" "+m.URN.Name()] = i + 1
		}
	}
	return started, done
}

// Every example tenant previews and deploys through the real engine with
// the number of resources the program registers; its inventory output, as
// the engine serialises it, is what `tenantctl verify --inventory` loads
// for that tenant; a second up with the same config changes nothing, in
// preview and for real.
func TestTenantsDeployAndSettle(t *testing.T) {
	a := withBaseline(t)
	for _, name := range []string{"acme", "globex", "initech"} {
		t.Run(name, func(t *testing.T) {
			s := tenantStack(t, a, name)
			want := mockCount(t, name)
			p := s.Preview()
			if p.Err != nil {
				t.Fatalf("preview: %v", p.Err)
			}
			if p.Count(deploy.OpCreate) != want {
				t.Errorf("preview creates %d resources, the program registers %d", p.Count(deploy.OpCreate), want)
			}
			u := s.Up()
			if u.Err != nil {
				t.Fatalf("up: %v", u.Err)
			}
			if u.Count(deploy.OpCreate) != want || u.Changed() != want {
				t.Errorf("up: %v, want %d creates and nothing else", u.Changes, want)
			}
			if n := len(s.Snap.Resources); n != want+1 { // + the provider the engine holds for the stack's default package
				t.Logf("state holds %d resources", n)
			}
			out, err := s.Outputs()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "outputs.json")
			must(t, os.WriteFile(path, out, 0o644))
			inv, err := verify.ReadInventory(path)
			if err != nil {
				t.Fatalf("tenantctl verify refuses the stack's inventory: %v\n%s", err, out)
			}
			if inv.Tenant != name || !strings.HasPrefix(inv.VpcID, "vpc-") || !strings.HasPrefix(inv.KeyArn, "arn:aws:kms:ap-northeast-1:"+testAccount+":key/") ||
				inv.AccountID != testAccount || len(inv.SubnetIDs) == 0 || inv.Buckets.LogArchive == "" {
				t.Errorf("inventory %+v", inv)
			}
			for _, op := range []func() Result{s.Preview, s.Up} {
				r := op()
				if r.Err != nil || r.Changed() != 0 {
					t.Errorf("an unchanged stack plans changes: %v %v (err %v)", r.Changes, steps(r), r.Err)
				}
			}
		})
	}
}

// Reordering the zones moves no subnet and replaces nothing: names and
// ranges derive from zone IDs, not positions.
func TestReorderingZonesReplacesNothing(t *testing.T) {
	a := withBaseline(t)
	s := tenantStack(t, a, "acme")
	if r := s.Up(); r.Err != nil {
		t.Fatal(r.Err)
	}
	cfg := config.Defaults()
	zones := slices.Clone(cfg.AvailabilityZoneIDs)
	slices.Reverse(zones)
	s.SetConfig("tenantkit:availabilityZoneIds", fmt.Sprintf(`["%s"]`, strings.Join(zones, `","`)), true)
	r := s.Preview()
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	st := steps(r)
	for _, op := range []display.StepOp{deploy.OpReplace, deploy.OpCreateReplacement, deploy.OpDeleteReplaced, deploy.OpCreate, deploy.OpDelete} {
		if len(st[op]) > 0 {
			t.Errorf("reordering zones: %s %v", op, st[op])
		}
	}
}

// The test provider's Diff is only as good as its fidelity: what AWS
// cannot change in place (the VPC's range) is replaced, not updated.
func TestProviderReplacesWhatAWSCannotChange(t *testing.T) {
	a := withBaseline(t)
	s := tenantStack(t, a, "initech")
	if r := s.Up(); r.Err != nil {
		t.Fatal(r.Err)
	}
	s.SetConfig("tenantkit:vpcCidr", "10.16.36.0/22", false)
	r := s.Preview()
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if !slices.Contains(steps(r)[deploy.OpReplace], "aws:ec2/vpc:Vpc initech-net-vpc") {
		t.Errorf("a new VPC range is not a replacement: %v", steps(r)[deploy.OpReplace])
	}
}

// #34 item 2: trailMode switches both ways on a deployed tenant. The
// shared mode's view group and the dedicated trail's group are one group,
// /tenants/<t>/cloudtrail, under one URN: a switch updates it (or leaves
// it) where two URNs would create the second copy before deleting the
// first, which CloudWatch Logs refuses (ResourceAlreadyExistsException;
// the test account refuses a name twice as AWS does).
func TestTrailModeSwitchesBothWays(t *testing.T) {
	a := withBaseline(t)
	s := tenantStack(t, a, "acme")
	if r := s.Up(); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, mode := range []string{expect.TrailDedicated, expect.TrailShared, expect.TrailDedicated} {
		s.SetConfig("tenantkit:trailMode", mode, false)
		r := s.Up()
		if r.Err != nil {
			t.Fatalf("switching to %s: %v", mode, r.Err)
		}
		st := steps(r)
		for _, op := range []display.StepOp{deploy.OpReplace, deploy.OpCreateReplacement, deploy.OpDeleteReplaced} {
			for _, step := range st[op] {
				if strings.Contains(step, "logGroup") {
					t.Errorf("switching to %s: %s %s", mode, op, step)
				}
			}
		}
		groups := 0
		for _, l := range a.Live() {
			if l.Type == "aws:cloudwatch/logGroup:LogGroup" && l.ID == expect.TrailViewGroup("acme") {
				groups++
			}
		}
		if groups != 1 {
			t.Errorf("after switching to %s: %d groups named %s, want 1", mode, groups, expect.TrailViewGroup("acme"))
		}
	}
}
