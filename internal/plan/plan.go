// Package plan is `tenantctl plan`: it runs the tenant program with a
// stack's config under the Pulumi mock engine, in-process and offline, and
// reports the resources it would create and the control matrix.
package plan

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Exit codes.
const (
	ExitOK       = cli.ExitOK
	ExitFail     = cli.ExitFail
	ExitBadInput = cli.ExitBadInput
)

// Schema names the JSON report's format; it changes only with the format.
const Schema = "tenantkit.plan/v1"

// Resource is one resource the program would create.
type Resource struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	Component string `json:"component"`
}

// Report is one tenant's plan.
type Report struct {
	Schema      string           `json:"schema"`
	ToolVersion string           `json:"toolVersion"`
	Tenant      string           `json:"tenant"`
	Region      string           `json:"region"`
	Resources   []Resource       `json:"resources"`
	Controls    []catalog.Result `json:"controls"`
	// graph is what the program declared (the diagram draws it).
	graph *graph.Graph
}

// Tenant plans one tenant stack of dir.
func Tenant(dir, name string, today time.Time) (*Report, error) {
	others, err := stackfile.OtherCidrs(dir, name)
	if err != nil {
		return nil, err
	}
	return tenantWith(dir, name, today, others)
}

// Fleet plans several tenants of dir, reading the stacks' ranges once (the
// overlap rule needs every other stack's), so the cost per tenant does not
// grow with the fleet. A tenant that cannot be planned is reported in errs
// and the others are planned all the same.
func Fleet(dir string, names []string, today time.Time) (reports []*Report, errs []error, err error) {
	all, err := stackfile.OtherCidrs(dir, "")
	if err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		others := maps.Clone(all)
		delete(others, n)
		r, err := tenantWith(dir, n, today, others)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reports = append(reports, r)
	}
	return reports, errs, nil
}

func tenantWith(dir, name string, today time.Time, others map[string]netip.Prefix) (*Report, error) {
	cfg, raw, err := stackfile.Load(dir, name)
	if err != nil {
		return nil, err
	}
	return planGraph(name, cfg, raw, today, others)
}

// ForConfig plans a config that is not (or not yet) in a stack file: what a
// lifecycle step would write, planned in memory so a dry run or a refused
// plan leaves the stack file untouched. others are the other stacks' ranges.
func ForConfig(cfg *config.Tenant, others map[string]netip.Prefix, today time.Time) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return planGraph(cfg.TenantID, cfg, config.Encode(cfg), today, others)
}

func planGraph(name string, cfg *config.Tenant, raw map[string]string, today time.Time, others map[string]netip.Prefix) (*Report, error) {
	g, err := mockengine.Run(tenant.Program, mockengine.Options{Stack: name, Config: raw, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("stack %s: the program failed under the mock engine: %w", name, err)
	}
	in := &policy.Input{Graph: g, Tenant: cfg, OtherStacks: others, Today: today, MockIDs: true}
	return &Report{Schema: Schema, ToolVersion: cli.Version(), Tenant: name, Region: cfg.Region, Resources: resources(g), Controls: policy.Evaluate(in), graph: g}, nil
}

// Baseline plans an account baseline stack: its program under the mocks,
// the rules in baseline mode. The shared trail covers the tenants of
// stacksDir.
func Baseline(dir, stack, stacksDir string) (*Report, error) {
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	raw, err := stackfile.ReadRaw(path)
	if err != nil {
		return nil, fmt.Errorf("baseline stack %s: %w", stack, err)
	}
	raw[baseline.Namespace+":tenantStacksDir"] = stacksDir
	g, err := mockengine.Run(baseline.Program, mockengine.Options{Stack: stack, Config: raw})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	in := &policy.Input{Graph: g, Baseline: true, MockIDs: true}
	region, _ := raw[baseline.Namespace+":region"]
	return &Report{Schema: Schema, ToolVersion: cli.Version(), Tenant: "baseline/" + stack, Region: region, Resources: resources(g), Controls: policy.Evaluate(in)}, nil
}

func resources(g *graph.Graph) []Resource {
	var out []Resource
	for _, r := range g.All() {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		comp := ""
		if p := g.ByName(r.Parent); p != nil {
			comp = p.Type
		}
		out = append(out, Resource{Type: r.Type, Name: r.Name, Component: comp})
	}
	return out
}

// Failed reports whether a mandatory control failed.
func (r *Report) Failed() bool { return len(policy.MandatoryFailures(r.Controls)) > 0 }

// Options of the command.
type Options struct {
	StacksDir string
	Format    string
	All       bool
	// Baseline names an account baseline stack (baseline/Pulumi.<stack>.yaml)
	// to plan instead of tenants.
	Baseline    string
	BaselineDir string
	Tenants     []string
	Today       time.Time
}

// Command is `tenantctl plan` for the help.
var Command = cli.Command{
	Name: "plan",
	Synopsis: []string{
		"plan <tenant>... [--format text|json|markdown] [--stacks-dir DIR]",
		"plan <tenant> --format mermaid   (the tenant's network as a Mermaid flowchart)",
		"plan --all [--format text|json|markdown]",
		"plan --baseline STACK [--baseline-dir DIR]",
	},
	Summary: "run a tenant's program offline under the Pulumi mock engine: its resources and control matrix",
	Details: `Runs the tenant program with the stack's config, in-process and offline,
and prints the resources it would create and the control matrix, ending with
one verdict line. Exit 1 when a mandatory control FAILs; 2 when a stack file
cannot be read (the others are planned all the same).`,
}

// Main runs `tenantctl plan` and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	o := Options{Today: policy.TodayJST()}
	fs.StringVar(&o.StacksDir, "stacks-dir", "stacks", "directory of the stack files")
	fs.StringVar(&o.Format, "format", "text", "text, json, markdown, or mermaid (one tenant's network, drawn)")
	fs.BoolVar(&o.All, "all", false, "plan every tenant stack")
	fs.StringVar(&o.Baseline, "baseline", "", "plan the account baseline stack STACK (baseline/Pulumi.STACK.yaml) instead")
	fs.StringVar(&o.BaselineDir, "baseline-dir", "baseline", "directory of the baseline project")
	tenants, code, done := cli.ParseCommand(Command, fs, args, stdout, stderr)
	if done {
		return code
	}
	o.Tenants = tenants
	return Run(o, stdout, stderr)
}

// Run plans and prints.
func Run(o Options, stdout, stderr io.Writer) int {
	if !slices.Contains([]string{"text", "json", "markdown", "mermaid"}, o.Format) {
		fmt.Fprintf(stderr, "tenantctl plan: --format %q: use text, json, markdown or mermaid\n", o.Format)
		return ExitBadInput
	}
	if o.Format == "mermaid" && (o.All || o.Baseline != "" || len(o.Tenants) != 1) {
		fmt.Fprintln(stderr, "tenantctl plan: --format mermaid draws one tenant: name exactly one")
		return ExitBadInput
	}
	// A bad file elsewhere in the stacks directory is reported, and the
	// rest is planned: the exit code then says so (2 unless a FAIL).
	known, problems, err := stackfile.Scan(o.StacksDir)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl plan: read the stacks directory %s: %v\n", o.StacksDir, err)
		return ExitBadInput
	}
	for _, p := range problems {
		fmt.Fprintf(stderr, "tenantctl plan: skipped: %v\n", p)
	}
	if o.All {
		if len(known) == 0 {
			fmt.Fprintf(stderr, "tenantctl plan: no readable stack files in %s\n", o.StacksDir)
			return ExitBadInput
		}
		o.Tenants = known
	}
	var reports []*Report
	if o.Baseline != "" {
		rep, err := Baseline(o.BaselineDir, o.Baseline, o.StacksDir)
		if err != nil {
			fmt.Fprintf(stderr, "tenantctl plan: %v\n", err)
			return ExitBadInput
		}
		reports = append(reports, rep)
	} else if len(o.Tenants) == 0 {
		fmt.Fprintln(stderr, "tenantctl plan: name a tenant, or pass --all or --baseline STACK")
		return ExitBadInput
	}
	for _, name := range o.Tenants {
		if err := config.ValidateTenantID(name); err != nil {
			fmt.Fprintf(stderr, "tenantctl plan: tenant %q: %v\n", name, err)
			return ExitBadInput
		}
		if !slices.Contains(known, name) {
			if _, err := os.Lstat(stackfile.Path(o.StacksDir, name)); err == nil {
				return ExitBadInput // present but unreadable: reported above
			}
			fmt.Fprintf(stderr, "tenantctl plan: unknown tenant %q: no %s\n  known tenants: %s\n  to add one: tenantctl onboard %s --dry-run\n", name, stackfile.Path(o.StacksDir, name), strings.Join(known, ", "), name)
			return ExitBadInput
		}
	}
	fleet, errs, err := Fleet(o.StacksDir, o.Tenants, o.Today)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl plan: %v\n", err)
		return ExitBadInput
	}
	for _, e := range errs {
		fmt.Fprintf(stderr, "tenantctl plan: %v\n", e)
	}
	if len(fleet) == 0 && o.Baseline == "" {
		return ExitBadInput
	}
	reports = append(reports, fleet...)
	// The whole fleet against the region's quotas: what no single
	// tenant's plan can see.
	var quota []error
	if o.All {
		quota = fleetQuotas(o.StacksDir, o.BaselineDir)
		for _, e := range quota {
			fmt.Fprintf(stderr, "tenantctl plan: %v\n", e)
		}
	}
	switch o.Format {
	case "mermaid":
		fmt.Fprint(stdout, Mermaid(reports[0].graph))
		return ExitOK
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		var err error
		if o.All || len(reports) > 1 {
			// The fleet: its one verdict (quotas included) with the stacks.
			err = enc.Encode(FleetPlan{Schema: FleetPlanSchema, Verdict: verdict(reports, len(problems)+len(errs), quota), Status: planStatus(reports, quota),
				Quotas: errorStrings(quota), Stacks: reports})
		} else {
			err = enc.Encode(reports[0])
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return ExitBadInput
		}
	case "markdown":
		for _, r := range reports {
			writeMarkdown(stdout, r)
		}
		fmt.Fprintf(stdout, "**%s**\n", verdict(reports, len(problems)+len(errs), quota))
	default:
		for _, r := range reports {
			writeText(stdout, r)
		}
		fmt.Fprintln(stdout, verdict(reports, len(problems)+len(errs), quota))
	}
	for _, r := range reports {
		if r.Failed() {
			return ExitFail
		}
	}
	if len(quota) > 0 {
		return ExitFail
	}
	if len(problems) > 0 || len(errs) > 0 {
		return ExitBadInput
	}
	return ExitOK
}

// FleetPlan is the JSON of a plan of several stacks: the verdict every
// other format ends with, the fleet's quota failures, and the stacks.
type FleetPlan struct {
	Schema  string    `json:"schema"` // FleetPlanSchema
	Verdict string    `json:"verdict"`
	Status  string    `json:"status"` // PASS or FAIL, as the exit code says
	Quotas  []string  `json:"quotaFailures"`
	Stacks  []*Report `json:"stacks"`
}

// FleetPlanSchema names the JSON of a fleet plan.
const FleetPlanSchema = "tenantkit.fleet-plan/v1"

func planStatus(reports []*Report, quota []error) string {
	for _, r := range reports {
		if r.Failed() {
			return "FAIL"
		}
	}
	if len(quota) > 0 {
		return "FAIL"
	}
	return "PASS"
}

func errorStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// verdict is the one line a plan ends with: FAIL when a mandatory control
// fails in a stack or the fleet breaks a quota (#36 item 4: the quota
// fails the run, so the verdict names it; a reviewer reading the job
// summary must not read PASS on a failed job).
func verdict(reports []*Report, unreadable int, quota []error) string {
	var failing []string
	for _, r := range reports {
		if fails := policy.MandatoryFailures(r.Controls); len(fails) > 0 {
			var ids []string
			for _, c := range fails {
				ids = append(ids, c.ID)
			}
			failing = append(failing, fmt.Sprintf("%s (%s)", strings.TrimPrefix(title(r), "Tenant "), strings.Join(ids, ", ")))
		}
	}
	what := fmt.Sprintf("%d stack", len(reports))
	if len(reports) != 1 {
		what += "s"
	}
	skipped := ""
	if unreadable > 0 {
		skipped = fmt.Sprintf("; %d stack file(s) could not be read (see above)", unreadable)
	}
	if len(quota) > 0 {
		failing = append(failing, "the fleet's quotas ("+strings.Join(errorStrings(quota), "; ")+")")
	}
	if len(failing) > 0 {
		return fmt.Sprintf("Verdict: FAIL: mandatory controls fail in %s%s", strings.Join(failing, "; "), skipped)
	}
	return fmt.Sprintf("Verdict: PASS: every mandatory control passes in %s%s", what, skipped)
}

func groups(r *Report) ([]string, map[string]map[string]int) {
	by := map[string]map[string]int{}
	for _, res := range r.Resources {
		if by[res.Component] == nil {
			by[res.Component] = map[string]int{}
		}
		by[res.Component][res.Type]++
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, by
}

// title names what a report plans: a tenant, or a baseline stack.
func title(r *Report) string {
	if stack, ok := strings.CutPrefix(r.Tenant, "baseline/"); ok {
		return "Baseline " + stack
	}
	return "Tenant " + r.Tenant
}

func writeText(w io.Writer, r *Report) {
	fmt.Fprintf(w, "%s (%s): %d resources\n\n", title(r), r.Region, len(r.Resources))
	comps, by := groups(r)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range comps {
		total := 0
		for _, n := range by[c] {
			total += n
		}
		fmt.Fprintf(tw, "%s\t%d\n", c, total)
		types := make([]string, 0, len(by[c]))
		for t := range by[c] {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			fmt.Fprintf(tw, "  %s\t%d\n", t, by[c][t])
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONTROL\t§\tSEVERITY\tSTATUS\tEVIDENCE")
	for _, c := range r.Controls {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Section, c.Severity, c.Status, evidence(c))
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func evidence(c catalog.Result) string {
	if len(c.Findings) == 0 {
		if c.Note != "" {
			return c.Note
		}
		return c.Title
	}
	f := c.Findings[0]
	more := ""
	if len(c.Findings) > 1 {
		more = fmt.Sprintf(" (+%d more)", len(c.Findings)-1)
	}
	return fmt.Sprintf("%s: %s; expected %s%s", f.Resource, f.Observed, f.Expected, more)
}

func writeMarkdown(w io.Writer, r *Report) {
	fmt.Fprintf(w, "## Plan: %s (%s), %d resources\n\n| Control | § | Severity | Status | Evidence |\n|---|---|---|---|---|\n", title(r), r.Region, len(r.Resources))
	for _, c := range r.Controls {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.ID, c.Section, c.Severity, c.Status, strings.ReplaceAll(evidence(c), "|", "\\|"))
	}
	fmt.Fprintln(w)
}

// fleetQuotas counts every cell's tenants against its quotas and capacity
// (config.CellProblems, raised values from the cell's baseline stack); a
// tenant whose cell cannot be found is a problem of its own. Where no cell
// is known, each region is one account at AWS's defaults.
func fleetQuotas(stacksDir, baselineDir string) []error {
	names, err := stackfile.List(stacksDir)
	if err != nil {
		return []error{err}
	}
	resolve, err := stackfile.Resolver(baselineDir)
	if err != nil {
		return []error{err}
	}
	type place struct {
		cell   *config.Cell
		region string
	}
	byCell := map[string][]*config.Tenant{}
	places := map[string]place{}
	var out []error
	for _, n := range names {
		t, _, err := stackfile.Load(stacksDir, n)
		if err != nil {
			continue // reported with the unreadable stacks
		}
		cell, err := resolve(t)
		if err != nil {
			out = append(out, err)
			continue
		}
		key := t.Region
		if cell != nil {
			key = "cell " + cell.Name
		}
		places[key] = place{cell, t.Region}
		byCell[key] = append(byCell[key], t)
	}
	for _, key := range slices.Sorted(maps.Keys(byCell)) {
		for _, e := range config.CellProblems(places[key].cell, byCell[key]) {
			out = append(out, fmt.Errorf("%s: %w", key, e))
		}
	}
	return out
}
