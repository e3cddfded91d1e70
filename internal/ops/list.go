package ops

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// ListSchema names the JSON of `tenantctl list`.
const ListSchema = "tenantkit.tenants/v1"

// Row is one tenant in the list.
type Row struct {
	Tenant  string `json:"tenant"`
	State   string `json:"state"`
	VpcCidr string `json:"vpcCidr"`
	Region  string `json:"region"`
	// Cell is the cell (one AWS account) the tenant lives in; empty in a
	// fleet without cells.
	Cell string `json:"cell,omitempty"`
	// Account is the cell's account, where its baseline names one.
	Account     string `json:"account,omitempty"`
	Environment string `json:"environment"`
	Ring        int    `json:"ring"`
	CancelledOn string `json:"cancelledOn,omitempty"`
	SuspendOn   string `json:"suspendOn,omitempty"`
	DeleteBy    string `json:"deleteBy,omitempty"`
	// DaysLeft to the deletion deadline (negative once missed); absent for
	// tenants that are not offboarding.
	DaysLeft *int   `json:"daysLeft,omitempty"`
	Due      string `json:"due,omitempty"`
	Missed   string `json:"missed,omitempty"`
	// Unapplied: the stack file records a step nothing shows deployed.
	Unapplied string `json:"unapplied,omitempty"`
	// Deployed is what the backend says: "yes" (with the last update and
	// the resource count), "no" (a stack file never deployed), or
	// "unknown" when no backend could be asked, with why.
	Deployed   string             `json:"deployed"`
	Deployment *deploy.Deployment `json:"deployment,omitempty"`
}

// lister is a deployer that can say which stacks the backend holds.
type lister interface {
	Deployed(ctx context.Context) (map[string]deploy.Deployment, error)
}

// listTimeout bounds asking the backend: list is a quick look.
const listTimeout = 30 * time.Second

// deployed fills each row's deployed state from the backend; when no
// backend could be asked it returns why.
func (e *Env) deployed(rows []Row) (unknown string) {
	why := "no deployer in this build"
	var got map[string]deploy.Deployment
	if l, ok := e.Deployer.(lister); ok {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		var err error
		if got, err = l.Deployed(ctx); err != nil {
			got, why = nil, err.Error()
		}
	}
	for i := range rows {
		switch d, ok := got[rows[i].Tenant]; {
		case got == nil:
			rows[i].Deployed = "unknown: " + why
		case ok:
			rows[i].Deployed, rows[i].Deployment = "yes", &d
		default:
			rows[i].Deployed = "no"
		}
	}
	if got == nil {
		return why
	}
	return ""
}

// ListCommand is `tenantctl list` for the help.
var ListCommand = cli.Command{
	Name:     "list",
	Synopsis: []string{"list [--format text|json|matrix] [--stacks-dir DIR] [--evidence-dir DIR]"},
	Summary:  "every tenant: state, what the backend holds, range, dates, days left, what is due",
	Details: `Lists the tenant stacks. --format json is the schema tenantkit.tenants/v1;
--format matrix is a GitHub Actions matrix ({"include": [{"tenant", "state",
"region", "due"}, ...]}) of the tenants that are not deleted, which the
workflows in .github/workflows consume.`,
}

// List runs `tenantctl list`.
func (e *Env) List(args []string) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	e.dirFlags(fs)
	format := fs.String("format", "text", "text, json, matrix (one entry per tenant) or cells (one entry per cell: the workflows' shards)")
	only := fs.String("cell", "", "list the tenants of this cell only")
	pos, code, done := cli.ParseCommand(ListCommand, fs, args, e.Stdout, e.Stderr)
	if done {
		return code
	}
	if len(pos) != 0 {
		return cli.UsageError(e.Stderr, ListCommand, "takes no arguments")
	}
	if !slices.Contains([]string{"text", "json", "matrix", "cells"}, *format) {
		return cli.UsageError(e.Stderr, ListCommand, "--format %q: use text, json, matrix or cells", *format)
	}
	rows, problems, err := e.Rows()
	if err != nil {
		return e.exit("list", bad("%w", err))
	}
	if *only != "" {
		rows = slices.DeleteFunc(rows, func(r Row) bool { return r.Cell != *only })
	}
	if *format != "matrix" && *format != "cells" { // the workflows' matrices need no backend
		if why := e.deployed(rows); why != "" && len(rows) > 0 {
			fmt.Fprintf(e.Stderr, "tenantctl list: deployed state unknown (%s); the states listed are the stack files'\n", why)
		}
	}
	for _, p := range problems {
		fmt.Fprintf(e.Stderr, "tenantctl list: skipped: %v\n", p)
	}
	code = cli.ExitOK
	if len(problems) > 0 {
		code = cli.ExitBadInput // listed what could be read; the rest is reported
	}
	for _, r := range rows {
		if r.Missed != "" {
			e.sayMissed(r.Tenant, r.Missed, "")
			code = cli.ExitFail // a missed §10 deadline fails the listing, loudly
		}
	}
	switch *format {
	case "json":
		b, _ := json.MarshalIndent(map[string]any{"schema": ListSchema, "today": e.today().String(), "tenants": rows}, "", "  ")
		fmt.Fprintln(e.Stdout, string(b))
		return code
	case "matrix":
		b, _ := json.Marshal(Matrix(rows))
		fmt.Fprintln(e.Stdout, string(b))
		return code
	case "cells":
		b, _ := json.Marshal(CellMatrix(rows))
		fmt.Fprintln(e.Stdout, string(b))
		return code
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TENANT\tCELL\tSTATE\tDEPLOYED\tVPC CIDR\tCANCELLED\tSUSPEND ON\tDELETE BY\tDAYS LEFT\tDUE")
	for _, r := range rows {
		left := "-"
		if r.DaysLeft != nil {
			left = fmt.Sprint(*r.DaysLeft)
		}
		due := r.Due
		if r.Missed != "" {
			due += " MISSED: " + r.Missed
		}
		dep := r.Deployed
		switch {
		case r.Deployment != nil:
			dep = fmt.Sprintf("yes, %s, %d resources", dash(r.Deployment.LastUpdate), r.Deployment.Resources)
		case strings.HasPrefix(dep, "unknown"):
			dep = "unknown"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Tenant, dash(r.Cell), r.State, dep, r.VpcCidr, dash(r.CancelledOn), dash(r.SuspendOn), dash(r.DeleteBy), left, dash(due))
	}
	w.Flush()
	return code
}

// MatrixEntry is one tenant in a GitHub Actions matrix.
type MatrixEntry struct {
	Tenant string `json:"tenant"`
	State  string `json:"state"`
	Region string `json:"region"`
	// Due is the offboarding step today requires (suspend, delete), empty
	// when none: the offboarding workflow runs one job per due tenant.
	Due string `json:"due"`
	// Ring is the tenant's place in a change's rollout (config.Tenant.Ring).
	Ring int `json:"ring"`
	// Cell is the tenant's cell: its job assumes the cell's role.
	Cell string `json:"cell,omitempty"`
	// Account is the cell's account: its evidence bucket is
	// tenantkit-evidence-<account>.
	Account string `json:"account,omitempty"`
}

// CellEntry is one cell in the workflows' sharded matrices: a job per
// cell (GitHub allows 256 jobs in a matrix; a cell's tenants run inside
// its job), so cells run in parallel, each within its own account's API
// limits.
type CellEntry struct {
	Cell   string `json:"cell"`
	Region string `json:"region"`
	// Account is the cell's account, where its baseline names one.
	Account string `json:"account,omitempty"`
	// Tenants counts the cell's tenants that are not deleted.
	Tenants int `json:"tenants"`
}

// CellMatrix is the workflows' matrix of cells, sorted by name.
func CellMatrix(rows []Row) map[string][]CellEntry {
	count := map[[3]string]int{}
	for _, r := range rows {
		if r.State != "deleted" {
			count[[3]string{r.Cell, r.Region, r.Account}]++
		}
	}
	out := []CellEntry{}
	for _, k := range slices.SortedFunc(maps.Keys(count), func(a, b [3]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) }) {
		out = append(out, CellEntry{Cell: k[0], Region: k[1], Account: k[2], Tenants: count[k]})
	}
	return map[string][]CellEntry{"include": out}
}

// Matrix is the workflows' matrix: the tenants that are not deleted.
func Matrix(rows []Row) map[string][]MatrixEntry {
	out := []MatrixEntry{}
	for _, r := range rows {
		if r.State != "deleted" {
			out = append(out, MatrixEntry{Tenant: r.Tenant, State: r.State, Region: r.Region, Due: r.Due, Ring: r.Ring, Cell: r.Cell, Account: r.Account})
		}
	}
	return map[string][]MatrixEntry{"include": out}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Rows reads every tenant stack; a stack that cannot be read is returned
// as a problem and the others are listed.
func (e *Env) Rows() ([]Row, []error, error) {
	names, problems, err := stackfile.Scan(e.StacksDir)
	if err != nil {
		return nil, nil, err
	}
	today := e.today()
	resolve, err := stackfile.Resolver(e.BaselineDir)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	for _, n := range names {
		t, _, err := stackfile.Load(e.StacksDir, n)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		l := t.Lifecycle
		r := Row{Tenant: n, State: l.State, VpcCidr: t.VpcCidr, Region: t.Region, Cell: t.Cell, Environment: t.Environment, Ring: t.Ring, CancelledOn: l.CancelledOn, SuspendOn: l.SuspendOn, DeleteBy: l.DeleteBy}
		if c, err := resolve(t); err != nil {
			problems = append(problems, err)
		} else if c != nil {
			r.Cell, r.Account = c.Name, c.AccountID
		}
		if l.DeleteBy != "" && l.State != "deleted" {
			left := daysLeft(today, l.DeleteBy)
			r.DaysLeft = &left
		}
		// A step recorded on main and not applied is due whatever the
		// day: the workflows' matrix carries it until it is.
		ev, _ := lifecycle.ReadEvidence(e.EvidenceDir, n)
		d, err := lifecycle.DueWith(t, ev, today)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", n, err))
			continue
		}
		r.Due, r.Missed, r.Unapplied = string(d.Step), d.Missed, d.Unapplied
		rows = append(rows, r)
	}
	return rows, problems, nil
}
