package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// Guard enforces the catalog inside `pulumi preview` and `pulumi up`:
//   - a stack transform records every resource into the graph and binds a
//     before-create and before-update hook to it;
//   - the hook runs the per-resource part of every mandatory rule on the
//     resource's resolved inputs and fails the step, so a violating resource
//     is never created (also during preview);
//   - Finish runs the whole-graph rules once the program has registered
//     everything; a mandatory FAIL fails the run. tenantctl always previews
//     before it deploys, so such a failure stops the deploy before `up`.
type Guard struct {
	input Input
	hook  *pulumi.ResourceHook
	// quotas the region's stacks would exceed, and the hook that refuses
	// creating what they count (quotas.go).
	quotas    []error
	quotaHook *pulumi.ResourceHook
}

// NewGuard makes a guard for a tenant (nil for the baseline stack).
func NewGuard(t *config.Tenant, baseline bool) *Guard {
	return &Guard{input: Input{Graph: &graph.Graph{}, Tenant: t, Baseline: baseline, Today: TodayJST()}}
}

// TodayJST is the current calendar day in Japan.
func TodayJST() time.Time { return dayInJST(clock.Now()) }

// dayInJST is the calendar day in Japan at the instant now (UTC+9, no
// daylight saving), as a UTC midnight.
func dayInJST(now time.Time) time.Time {
	y, m, d := now.In(config.JST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Install registers the transform and the hook in a real engine run.
func (g *Guard) Install(ctx *pulumi.Context) error {
	hook, err := ctx.RegisterResourceHook("tenantkit-controls", g.beforeHook, &pulumi.ResourceHookOptions{OnDryRun: true})
	if err != nil {
		return fmt.Errorf("register the controls hook: %w", err)
	}
	g.hook = hook
	quota, err := ctx.RegisterResourceHook("tenantkit-quotas", g.refuseOverQuota, &pulumi.ResourceHookOptions{OnDryRun: true})
	if err != nil {
		return fmt.Errorf("register the quota hook: %w", err)
	}
	g.quotaHook = quota
	return ctx.RegisterResourceTransform(g.Transform)
}

// Transform records the resource and binds the hook.
func (g *Guard) Transform(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
	r := &graph.Resource{Type: args.Type, Name: args.Name, Custom: args.Custom, Inputs: fromMap(args.Props)}
	if args.Opts.Provider != nil {
		r.Provider = explicitProvider
	}
	g.input.Graph.Add(r)
	if !args.Custom || g.hook == nil {
		return nil
	}
	opts := args.Opts
	if opts.Hooks == nil {
		opts.Hooks = &pulumi.ResourceHookBinding{}
	}
	opts.Hooks.BeforeCreate = append(opts.Hooks.BeforeCreate, g.hook)
	if g.quotaHook != nil {
		opts.Hooks.BeforeCreate = append(opts.Hooks.BeforeCreate, g.quotaHook)
	}
	opts.Hooks.BeforeUpdate = append(opts.Hooks.BeforeUpdate, g.hook)
	return &pulumi.ResourceTransformResult{Props: args.Props, Opts: opts}
}

// explicitProvider marks, in the engine's graph, a resource the transform
// saw with an explicit provider. Hooks do not see providers: provider
// placement (WP-07) is judged on the transform's record by Finish.
const explicitProvider = "(explicit)"

func (g *Guard) beforeHook(args *pulumi.ResourceHookArgs) error {
	inputs := graph.FromPropertyMap(args.NewInputs)
	if strings.HasPrefix(string(args.Type), "pulumi:providers:") {
		inputs = UnfoldProviderInputs(inputs)
	}
	return g.Check(&graph.Resource{Type: string(args.Type), Name: args.Name, Custom: true, Provider: explicitProvider,
		Inputs: inputs})
}

// UnfoldProviderInputs reads a provider's inputs as the hook receives them:
// the provider's *checked* config, in which the Terraform bridge has
// JSON-encoded every non-string value of a known key (pulumi-terraform-bridge
// pkg/tfbridge/config_encoding.go, ConfigEncoding.FoldProperties and
// jsonEncodePropertyValue): defaultTags arrives as the string
// {"tags":{...}}. Objects and lists are decoded back; a string-typed key
// never holds JSON of either shape. The bridge's unknown sentinel is
// Unknown, never a value.
func UnfoldProviderInputs(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		s, ok := v.(string)
		switch {
		case ok && s == plugin.UnknownStringValue:
			out[k] = graph.Unknown{}
		case ok && (strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")):
			var decoded any
			if err := json.Unmarshal([]byte(s), &decoded); err == nil {
				out[k] = decoded
				continue
			}
			out[k] = v
		default:
			out[k] = v
		}
	}
	return out
}

// Check runs the per-resource mandatory rules on one resource.
func (g *Guard) Check(r *graph.Resource) error {
	return CheckResource(&g.input, r)
}

// Finish runs every rule over the recorded graph: mandatory FAILs make an
// error naming each control; advisory FAILs and UNKNOWNs come back as
// warnings.
func (g *Guard) Finish() (warnings []string, err error) {
	results := Evaluate(&g.input)
	var fails []string
	for _, r := range results {
		for _, f := range r.Findings {
			line := fmt.Sprintf("%s %s (%s): %s: observed %s, expected %s", r.ID, r.Status, r.Title, f.Resource, f.Observed, f.Expected)
			if r.Status == catalog.Fail && r.Severity == catalog.Mandatory {
				fails = append(fails, line)
			} else if r.Status != catalog.Pass {
				warnings = append(warnings, line)
			}
		}
	}
	if len(fails) > 0 {
		return warnings, fmt.Errorf("mandatory controls failed:\n  %s", strings.Join(fails, "\n  "))
	}
	return warnings, nil
}

// RunGuarded runs a guarded program through run (pulumi.RunErr in a
// program's main; the engine tests hand it their own context), then the
// whole-graph rules once every resource is registered.
func RunGuarded(run func(pulumi.RunFunc) error, guarded func(**Guard) pulumi.RunFunc) (warnings []string, err error) {
	var guard *Guard
	if err := run(guarded(&guard)); err != nil {
		return nil, err
	}
	if guard == nil {
		return nil, nil
	}
	return guard.Finish()
}

// fromMap converts the transform's property values to plain values; outputs
// not yet known become graph.Unknown.
func fromMap(m pulumi.Map) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = fromInput(v)
	}
	return out
}

func fromInput(v pulumi.Input) any {
	switch x := v.(type) {
	case nil:
		return nil
	case pulumi.String:
		return string(x)
	case pulumi.Bool:
		return bool(x)
	case pulumi.Float64:
		return float64(x)
	case pulumi.Int:
		return float64(x)
	case pulumi.Map:
		return fromMap(x)
	case pulumi.Array:
		arr := make([]any, len(x))
		for i, e := range x {
			arr[i] = fromInput(e)
		}
		return arr
	}
	return graph.Unknown{}
}

// SetOtherStacks gives the WP-31 rule the other tenants' ranges.
func (g *Guard) SetOtherStacks(m map[string]netip.Prefix) { g.input.OtherStacks = m }

// Main is a guarded Pulumi program's main: it runs the program with the
// guard installed, then the whole-graph rules; warnings go to stderr, and a
// failure exits 1 so `pulumi preview/up` stops.
func Main(guarded func(**Guard) pulumi.RunFunc) {
	warnings, err := RunGuarded(func(f pulumi.RunFunc) error { return pulumi.RunErr(f) }, guarded)
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
