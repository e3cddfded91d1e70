package ops

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// OnboardCommand is `tenantctl onboard` for the help.
var OnboardCommand = cli.Command{
	Name:     "onboard",
	Synopsis: []string{"onboard <tenant> --ingress-cidrs CIDR[,CIDR] --certificate-arn ARN [flags]"},
	Summary:  "allocate a range, write and plan the stack, deploy and verify it (--no-deploy, --dry-run: offline)",
	Details: `Validates the settings, allocates a VPC range (--cidr auto) under a lock,
plans the stack in memory (the plan rules must pass), writes
stacks/Pulumi.<tenant>.yaml and records the step, then previews, deploys and
verifies. --no-deploy stops after writing; --dry-run writes nothing at all
and prints the stack file it would write.`,
}

// OnboardOptions are the settings a new tenant is created with.
type OnboardOptions struct {
	Tenant          string
	Environment     string
	Classifications string
	IngressCidrs    string
	CertificateArn  string
	AlertEmails     string
	TrailMode       string
	EgressMode      string
	Database        bool
	Admins          string
	LogReaders      string
	Deployers       string
	Refreshers      string
	Cidr            string
	Pool            string
	Cell            string
	Prefix          int
	DryRun          bool
	NoDeploy        bool
	typed           []string
}

// Onboard runs `tenantctl onboard`.
func (e *Env) Onboard(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("onboard", flag.ContinueOnError)
	e.dirFlags(fs)
	d := config.Defaults()
	o := OnboardOptions{}
	fs.StringVar(&o.Environment, "environment", d.Environment, "production, staging or development")
	fs.StringVar(&o.Classifications, "classifications", "confidential", "data classifications, comma-separated: public, personal, confidential (one bucket each)")
	fs.StringVar(&o.IngressCidrs, "ingress-cidrs", "", "CIDRs allowed to reach the tenant's HTTPS endpoint, comma-separated (required)")
	fs.StringVar(&o.CertificateArn, "certificate-arn", "", "ACM certificate ARN of the HTTPS listener (required)")
	fs.StringVar(&o.AlertEmails, "alert-emails", "", "operator e-mails for the alert topic, comma-separated")
	fs.StringVar(&o.TrailMode, "trail-mode", d.TrailMode, "shared (the baseline trail) or dedicated")
	fs.StringVar(&o.EgressMode, "egress-mode", d.EgressMode, "endpoints or nat")
	fs.BoolVar(&o.Database, "database", d.Database.Enabled, "build the PostgreSQL database")
	fs.StringVar(&o.Admins, "admin-principals", "", "principal ARNs that may assume the log-admin role with MFA, comma-separated")
	fs.StringVar(&o.LogReaders, "log-reader-principals", "", "principal ARNs that may assume the log-reader role with MFA, comma-separated")
	fs.StringVar(&o.Deployers, "deployer-principals", "", "role ARNs that run Pulumi for the tenant, comma-separated (default: the baseline's tenantDeployerPrincipalArns)")
	fs.StringVar(&o.Refreshers, "refresh-principals", "", "role ARNs of the drift check, comma-separated (default: the baseline's tenantRefreshPrincipalArns)")
	fs.StringVar(&o.Cidr, "cidr", "auto", "auto (allocate from --pool) or an explicit VPC CIDR")
	fs.StringVar(&o.Cell, "cell", "auto", "auto (the first cell of the region with room: capacity, quotas, address pool) or a cell's name (baseline/Pulumi.<cell>.yaml)")
	fs.StringVar(&o.Pool, "pool", "", "pool the automatic VPC range comes from (default: the cell's addressPool, "+lifecycle.DefaultPool+")")
	fs.IntVar(&o.Prefix, "cidr-prefix", lifecycle.DefaultPrefix, fmt.Sprintf("prefix length of an automatic VPC range (16 to %d)", config.MaxVpcPrefix))
	fs.BoolVar(&o.DryRun, "dry-run", false, "plan in memory and print the stack file; write nothing (works offline)")
	fs.BoolVar(&o.NoDeploy, "no-deploy", false, "write the stack file and record the step; deploy nothing (works offline)")
	pos, code, done := cli.ParseCommand(OnboardCommand, fs, args, e.Stdout, e.Stderr)
	if done {
		return code
	}
	if err := e.separateDirs(); err != nil {
		return e.exit("onboard", err)
	}
	if len(pos) != 1 {
		return cli.UsageError(e.Stderr, OnboardCommand, "name one tenant")
	}
	o.Tenant = pos[0]
	// What the operator typed, for the hints and the errors.
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "dry-run" && f.Name != "no-deploy" {
			o.typed = append(o.typed, "--"+f.Name+" "+shellQuote(f.Value.String()))
		}
	})
	if o.DryRun && o.NoDeploy {
		return e.exit("onboard", bad("--dry-run writes nothing and --no-deploy writes the stack file: choose one"))
	}
	return e.exit("onboard", e.onboard(ctx, o))
}

// command is the onboard command line that deploys what these options
// describe: the flags the operator typed, without --dry-run or --no-deploy.
func (o OnboardOptions) command() string {
	return strings.Join(append([]string{"tenantctl onboard", o.Tenant}, o.typed...), " ")
}

// flagOf names the onboard flag that sets a config key, for errors in the
// operator's own terms.
var flagOf = map[string]string{
	"tenantId": "<tenant>", "environment": "--environment", "dataClassifications": "--classifications",
	"ingressCidrs": "--ingress-cidrs", "certificateArn": "--certificate-arn", "alertEmails": "--alert-emails",
	"trailMode": "--trail-mode", "egressMode": "--egress-mode", "database.enabled": "--database",
	"adminPrincipalArns": "--admin-principals", "logReaderPrincipalArns": "--log-reader-principals", "vpcCidr": "--cidr",
	"deployerPrincipalArns": "--deployer-principals", "refreshPrincipalArns": "--refresh-principals", "cell": "--cell",
}

// asFlags rewrites field errors in terms of the flags that set them.
func asFlags(errs []error) error {
	var out []error
	for _, err := range errs {
		var fe *config.FieldError
		if errors.As(err, &fe) {
			if f, ok := flagOf[fe.Field]; ok {
				out = append(out, fmt.Errorf("%s %q: %s", f, fe.Value, strings.ReplaceAll(fe.Fix, "tenantkit:allowInternetIngress: true", "tenantkit:allowInternetIngress: true in the stack file")))
				continue
			}
		}
		out = append(out, err)
	}
	return errors.Join(out...)
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"$`\\*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Config builds the tenant's config from the options (VPC range aside).
func (o OnboardOptions) Config() *config.Tenant {
	t := config.Defaults()
	t.TenantID = o.Tenant
	t.Environment = o.Environment
	t.DataClassifications = splitList(o.Classifications)
	t.IngressCidrs = splitList(o.IngressCidrs)
	t.CertificateArn = o.CertificateArn
	t.AlertEmails = splitList(o.AlertEmails)
	t.TrailMode = o.TrailMode
	t.EgressMode = o.EgressMode
	t.Database.Enabled = o.Database
	t.AdminPrincipalArns = splitList(o.Admins)
	t.LogReaderPrincipalArns = splitList(o.LogReaders)
	t.DeployerPrincipalArns = splitList(o.Deployers)
	t.RefreshPrincipalArns = splitList(o.Refreshers)
	if o.Cidr != "auto" {
		t.VpcCidr = o.Cidr
	}
	if o.Cell != "auto" {
		t.Cell = o.Cell
	}
	return t
}

func (e *Env) onboard(ctx context.Context, o OnboardOptions) error {
	if err := tenantArg(o.Tenant); err != nil {
		return err
	}
	cfg := o.Config()
	auto := o.Cidr == "auto"
	var pool netip.Prefix
	if o.Pool != "" {
		p, err := netip.ParsePrefix(o.Pool)
		if auto && err != nil {
			return bad("--pool %q: write an IPv4 CIDR such as %s", o.Pool, lifecycle.DefaultPool)
		}
		pool = p
	}
	if auto && (o.Prefix < 16 || o.Prefix > config.MaxVpcPrefix) {
		return bad("--cidr-prefix %d: use 16 to %d (the VPC is cut into 16 subnets, and a load balancer's need /27 or larger)", o.Prefix, config.MaxVpcPrefix)
	}
	// Everything but the range is checked before anything else.
	var errs []error
	for _, fe := range fieldErrors(cfg.Validate()) {
		if !(auto && isField(fe, "vpcCidr")) {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return bad("tenant %s: invalid settings, nothing was written:\n%w", o.Tenant, asFlags(errs))
	}
	// Where the tenant goes, read without the lock (taking it creates
	// the lock file): a read of what is there, which atomic writes keep
	// whole. Under the lock the placement is made again.
	first := *cfg
	_, exists, base, err := e.settle(&first, auto, pool, o.Prefix)
	if err != nil {
		return err
	}
	if o.DryRun {
		*cfg = first
		if err := e.planPasses(cfg); err != nil {
			return err
		}
		e.logf("plan %s: every mandatory control passes", cfg.TenantID)
		if exists {
			e.logf("dry run: %s exists with these settings (vpcCidr %s); nothing written", stackfile.Path(e.StacksDir, cfg.TenantID), cfg.VpcCidr)
		} else {
			e.logf("dry run: would write %s (cell %q, vpcCidr %s); nothing written. Its config:", stackfile.Path(e.StacksDir, cfg.TenantID), cfg.Cell, cfg.VpcCidr)
			if base != nil && base.StateSecretsProvider != "" {
				e.logf("  secretsprovider: %s (with a data key made by KMS when written)", base.StateSecretsProvider)
			}
			for _, k := range config.Keys() {
				if v, ok := config.Encode(cfg)[config.Namespace+":"+k.Name]; ok {
					e.logf("  %s:%s: %s", config.Namespace, k.Name, v)
				}
			}
		}
		return nil
	}
	if !o.NoDeploy {
		if err := e.deployable(); err != nil {
			return err
		}
	}
	// The stack's secrets provider and its data key, made before anything
	// is written (a KMS refusal leaves no file behind).
	secrets, err := e.stackSecrets(ctx, base, stackfile.Path(e.StacksDir, cfg.TenantID))
	if err != nil {
		return bad("tenant %s: %w", cfg.TenantID, err)
	}
	lock, err := lifecycle.Acquire(e.StacksDir)
	if err != nil {
		return err
	}
	path, changed, err := func() (string, bool, error) {
		defer lock.Release()
		if _, _, _, err := e.settle(cfg, auto, pool, o.Prefix); err != nil {
			return "", false, err
		}
		if cfg.Cell != first.Cell {
			return "", false, failed("tenant %s: cell %s filled while it was being placed; run the command again (it places the tenant in the next cell with room)", cfg.TenantID, first.Cell)
		}
		if err := e.planPasses(cfg); err != nil {
			return "", false, err
		}
		path, changed, err := e.commit(lock, cfg, lifecycle.StepOnboard, "stack written and planned", map[string]any{"vpcCidr": cfg.VpcCidr, "deployed": false})
		if err != nil || secrets == nil {
			return path, changed, err
		}
		wrote, err := stackfile.WriteSecrets(path, *secrets)
		if err != nil {
			return "", false, fmt.Errorf("%s is written, its secrets provider is not (run the command again): %w", path, err)
		}
		return path, changed || wrote, nil
	}()
	if err != nil {
		return err
	}
	where := ""
	if cfg.Cell != "" {
		where = "cell " + cfg.Cell + ", "
	}
	if changed {
		e.logf("wrote %s (%svpcCidr %s); plan: every mandatory control passes", path, where, cfg.VpcCidr)
	} else {
		e.logf("%s unchanged (%svpcCidr %s); plan: every mandatory control passes", path, where, cfg.VpcCidr)
	}
	if o.NoDeploy {
		if cfg.TrailMode == "shared" {
			// The shared trail covers only the buckets of the stacks it
			// knew at its last deploy (WP-27): the baseline goes first.
			e.logf("nothing deployed; next: 1. deploy the account baseline, whose shared trail then covers %s's buckets (cd baseline && pulumi up, or merge: the deploy workflow runs it first); 2. %s", cfg.TenantID, o.command())
		} else {
			e.logf("nothing deployed; to deploy: %s", o.command())
		}
		return nil
	}
	if stopped(ctx) {
		return e.interrupted(cfg.TenantID, lifecycle.StepOnboard, "deploy", errors.New("stopped before the deploy began; the stack file is written"), nil, o.command())
	}
	if err := e.inItsCell(ctx, cfg.TenantID); err != nil {
		return err
	}
	if _, err := e.Deployer.Preview(ctx, cfg.TenantID); err != nil {
		if deploy.IsInterrupted(err) || stopped(ctx) {
			return e.interrupted(cfg.TenantID, lifecycle.StepOnboard, "deploy (preview)", err, nil, o.command())
		}
		_ = e.record(cfg.TenantID, lifecycle.StepOnboard, "deploy FAILED at preview: "+err.Error(), nil)
		return failed("%w", err)
	}
	outputs, err := e.Deployer.Up(ctx, cfg.TenantID)
	if err != nil {
		if deploy.IsInterrupted(err) || stopped(ctx) {
			return e.interrupted(cfg.TenantID, lifecycle.StepOnboard, "deploy", err, nil, o.command())
		}
		_ = e.record(cfg.TenantID, lifecycle.StepOnboard, "deploy FAILED at up: "+err.Error(), nil)
		return failed("%w", err)
	}
	if err := e.record(cfg.TenantID, lifecycle.StepOnboard, "deployed", map[string]any{"vpcCidr": cfg.VpcCidr, "deployed": true, "outputs": outputs}); err != nil {
		return err
	}
	return e.verify(ctx, cfg.TenantID, outputs)
}

// verify runs the post-deploy checks when this build has them.
func (e *Env) verify(ctx context.Context, tenant string, outputs map[string]any) error {
	if e.Verify == nil {
		return &failure{cli.ExitError, fmt.Errorf("deployed %s, but no post-deploy verification is available in this build: run tenantctl verify %s", tenant, tenant)}
	}
	return e.Verify(ctx, tenant, outputs)
}

// settle completes cfg against what is there: an existing stack keeps its
// cell, range and lifecycle and must match the inputs; a new one is placed
// in a cell with room (place) and gets a free range there. It writes
// nothing; exists says whether the stack file is there, base is the
// baseline of the tenant's cell (nil: none).
func (e *Env) settle(cfg *config.Tenant, auto bool, pool netip.Prefix, prefix int) (*config.Tenant, bool, *config.Baseline, error) {
	if old, _, err := stackfile.Load(e.StacksDir, cfg.TenantID); err == nil {
		if err := lifecycle.Check(old, lifecycle.StepOnboard, false); err != nil {
			return nil, true, nil, bad("%w", err)
		}
		if auto {
			cfg.VpcCidr = old.VpcCidr
		}
		if cfg.Cell == "" {
			cfg.Cell = old.Cell
		}
		base, err := stackfile.BaselineOf(e.BaselineDir, old)
		if err != nil {
			return nil, true, nil, bad("%w", err)
		}
		fleetDefaults(cfg, base)
		cfg.Lifecycle = old.Lifecycle
		if diff := differences(old, cfg); len(diff) > 0 {
			for i, k := range diff {
				if f, ok := flagOf[strings.TrimPrefix(k, config.Namespace+":")]; ok {
					diff[i] = f
				}
			}
			hint := ""
			if slices.Contains(diff, "--cell") {
				hint = " (a tenant never moves cells in place: a move is an offboard and an onboard)"
			}
			return nil, true, nil, bad("stack %s exists with other settings (%s differ)%s: edit %s, or offboard it first", cfg.TenantID, strings.Join(diff, ", "), hint, stackfile.Path(e.StacksDir, cfg.TenantID))
		}
		return old, true, base, nil
	} else if !errors.Is(err, stackfile.ErrNotFound) {
		return nil, false, nil, bad("%w", err)
	}
	// A stack whose range cannot be read might hold any range: a new
	// range is never proven free of it, so nothing is allocated until it
	// is fixed or moved.
	others, problems, err := stackfile.Ranges(e.StacksDir, cfg.TenantID)
	if err != nil {
		return nil, false, nil, bad("%w", err)
	}
	if len(problems) > 0 {
		return nil, false, nil, bad("tenant %s: no range can be chosen while a stack's range cannot be read (fix or move the file first): %w", cfg.TenantID, errors.Join(problems...))
	}
	if !auto {
		if p, err := netip.ParsePrefix(cfg.VpcCidr); err == nil {
			for n, q := range others {
				if q.Overlaps(p) {
					return nil, false, nil, bad("--cidr %s overlaps stack %s (%s) (WP-31): choose another range or use --cidr auto", cfg.VpcCidr, n, q)
				}
			}
		}
	}
	base, err := e.place(cfg, slices.Collect(maps.Values(others)), auto, pool, prefix)
	if err != nil {
		return nil, false, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, false, nil, bad("tenant %s: invalid settings, nothing was written:\n%w", cfg.TenantID, asFlags(fieldErrors(err)))
	}
	return nil, false, base, nil
}

// place chooses the new tenant's cell: the one named (--cell), or the
// first of its region, by name, with room for it: its capacity, every
// quota (config.CellProblems, counted per cell) and a free range in its
// address pool (ranges never overlap anywhere in the fleet, taken). With
// no room anywhere it fails naming, cell by cell, what stops it, before
// anything is written. Without any baseline stack the region is one
// account at AWS's default quotas.
func (e *Env) place(cfg *config.Tenant, taken []netip.Prefix, auto bool, pool netip.Prefix, prefix int) (*config.Baseline, error) {
	cells, err := stackfile.Cells(e.BaselineDir)
	if err != nil {
		return nil, bad("%w", err)
	}
	var candidates []config.Cell
	if cfg.Cell != "" {
		c, err := config.ResolveCell(cells, cfg)
		if err != nil {
			return nil, bad("tenant %s: %w", cfg.TenantID, asFlags([]error{err}))
		}
		candidates = []config.Cell{c}
	} else {
		for _, c := range cells {
			if c.Region == cfg.Region {
				candidates = append(candidates, c)
			}
		}
		if len(cells) > 0 && len(candidates) == 0 {
			return nil, bad("tenant %s: no cell is in %s (cells: %s): add a baseline stack there first", cfg.TenantID, cfg.Region, strings.Join(cellNames(cells), ", "))
		}
	}
	// The region's stacks, read once for every cell tried.
	region, err := stackfile.Fleet(e.StacksDir, nil, cfg.Region, cfg.TenantID)
	if err != nil {
		return nil, bad("%w", err)
	}
	if len(candidates) == 0 {
		// No baseline stack: one account for the region, AWS's defaults.
		if err := fits(cfg, nil, region, taken, auto, pool, prefix); err != nil {
			return nil, failed("tenant %s would take %s past its quotas, nothing was written:\n%w", cfg.TenantID, cfg.Region, err)
		}
		return nil, nil
	}
	var full []error
	for _, c := range candidates {
		try := *cfg
		try.Cell = c.Name
		if err := fits(&try, &c, region, taken, auto, pool, prefix); err != nil {
			full = append(full, fmt.Errorf("cell %s: %w", c.Name, err))
			continue
		}
		*cfg = try
		fleetDefaults(cfg, c.Baseline)
		return c.Baseline, nil
	}
	if len(candidates) == 1 && cfg.Cell != "" {
		return nil, failed("tenant %s: cell %s has no room, nothing was written:\n%w\nname another cell (--cell) or leave --cell auto", cfg.TenantID, cfg.Cell, errors.Join(full...))
	}
	return nil, failed("tenant %s: no cell in %s has room, nothing was written:\n%w\nraise what stops a cell in its baseline stack, or add a cell (baseline/Pulumi.<cell>.yaml, docs/cells.md)", cfg.TenantID, cfg.Region, errors.Join(full...))
}

// fits says why cfg does not fit in cell (nil: the region's one account at
// AWS's default quotas) beside the region's other tenants: capacity and
// quotas first, then a free range from the pool (--pool, else the
// cell's), which it writes into cfg.
func fits(cfg *config.Tenant, cell *config.Cell, region []*config.Tenant, taken []netip.Prefix, auto bool, pool netip.Prefix, prefix int) error {
	fleet := region
	if cell != nil {
		fleet = slices.DeleteFunc(slices.Clone(region), func(t *config.Tenant) bool { return !cell.Holds(t) })
	}
	if probs := config.CellProblems(cell, append(fleet, cfg)); len(probs) > 0 {
		return errors.Join(probs...)
	}
	if !auto {
		return nil
	}
	if !pool.IsValid() {
		pool = netip.MustParsePrefix(lifecycle.DefaultPool)
		if cell != nil {
			pool = cell.Pool()
		}
	}
	p, err := lifecycle.Allocate(pool, prefix, taken, lifecycle.Reserved(cfg))
	if err != nil {
		return err
	}
	cfg.VpcCidr = p.String()
	return nil
}

func cellNames(cells []config.Cell) []string {
	var out []string
	for _, c := range cells {
		out = append(out, c.Name)
	}
	return out
}

func differences(a, b *config.Tenant) []string {
	ea, eb := config.Encode(a), config.Encode(b)
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(ea)) {
		if ea[k] != eb[k] {
			diff = append(diff, k)
		}
	}
	for k := range eb {
		if _, ok := ea[k]; !ok {
			diff = append(diff, k)
		}
	}
	return diff
}

// fleetDefaults fills what the operator left out with the fleet's
// defaults from the region's baseline: the deploy and drift pipelines'
// roles. A tenant without them takes each deploy's caller as its deployer
// (WP-17's plan rule fails it).
func fleetDefaults(cfg *config.Tenant, base *config.Baseline) {
	if base == nil {
		return
	}
	if len(cfg.DeployerPrincipalArns) == 0 {
		cfg.DeployerPrincipalArns = slices.Clone(base.TenantDeployerPrincipalArns)
	}
	if len(cfg.RefreshPrincipalArns) == 0 {
		cfg.RefreshPrincipalArns = slices.Clone(base.TenantRefreshPrincipalArns)
	}
}

// stackSecrets is the secrets provider onboarding writes into the stack
// file at path: the baseline's stateSecretsProvider with a new data key,
// nil when the file has them already or the baseline declares none.
func (e *Env) stackSecrets(ctx context.Context, base *config.Baseline, path string) (*stackfile.Secrets, error) {
	if base == nil || base.StateSecretsProvider == "" {
		e.logf("note: the baseline declares no stateSecretsProvider, so the stack's secrets provider is the backend's default (Day 0 in docs/operations.md declares the fleet's)")
		return nil, nil
	}
	p, err := config.ParseSecretsProvider(base.StateSecretsProvider)
	if err != nil {
		return nil, err
	}
	have, err := stackfile.ReadSecrets(path)
	if err != nil && !errors.Is(err, stackfile.ErrNotFound) {
		return nil, err
	}
	if have.Provider == p.URL && (p.Passphrase || have.EncryptedKey != "") {
		return nil, nil
	}
	key, err := e.dataKey(ctx, p)
	if err != nil {
		return nil, err
	}
	return &stackfile.Secrets{Provider: p.URL, EncryptedKey: key}, nil
}
