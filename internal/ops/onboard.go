package ops

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"slices"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// OnboardUsage is the onboard command's usage line.
const OnboardUsage = `usage: tenantctl onboard <tenant> --ingress-cidrs CIDR[,CIDR] --certificate-arn ARN [flags]

Validates the settings, allocates a VPC range (--cidr auto) under a lock,
writes stacks/Pulumi.<tenant>.yaml, plans it offline (the plan rules must
pass), then previews, deploys and verifies. --dry-run stops after the plan.`

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
	Cidr            string
	Pool            string
	Prefix          int
	DryRun          bool
}

// Onboard runs `tenantctl onboard`.
func (e *Env) Onboard(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("onboard", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
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
	fs.StringVar(&o.Cidr, "cidr", "auto", "auto (allocate from --pool) or an explicit VPC CIDR")
	fs.StringVar(&o.Pool, "pool", lifecycle.DefaultPool, "pool the automatic VPC range comes from")
	fs.IntVar(&o.Prefix, "cidr-prefix", lifecycle.DefaultPrefix, "prefix length of an automatic VPC range (16 to 24)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "write the stack file and plan it; deploy nothing (works offline)")
	fs.Usage = func() { fmt.Fprintln(e.Stderr, OnboardUsage); fs.PrintDefaults() }
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return cli.ExitBadInput
	}
	if len(pos) != 1 {
		fs.Usage()
		return cli.ExitBadInput
	}
	o.Tenant = pos[0]
	return e.exit("onboard", e.onboard(ctx, o))
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
	if o.Cidr != "auto" {
		t.VpcCidr = o.Cidr
	}
	return t
}

func (e *Env) onboard(ctx context.Context, o OnboardOptions) error {
	cfg := o.Config()
	auto := o.Cidr == "auto"
	pool, err := netip.ParsePrefix(o.Pool)
	if auto && err != nil {
		return bad("--pool %q: write an IPv4 CIDR such as %s", o.Pool, lifecycle.DefaultPool)
	}
	if auto && (o.Prefix < 16 || o.Prefix > 24) {
		return bad("--cidr-prefix %d: use 16 to 24", o.Prefix)
	}
	// Everything but the range is checked before the lock is taken.
	var errs []error
	for _, fe := range fieldErrors(cfg.Validate()) {
		if !(auto && isField(fe, "vpcCidr")) {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return bad("tenant %s: invalid settings, nothing was written:\n%v", o.Tenant, errors.Join(errs...))
	}

	if !o.DryRun {
		if err := e.deployable(); err != nil {
			return err
		}
	}
	lock, err := lifecycle.Acquire(e.StacksDir)
	if err != nil {
		return err
	}
	path, changed, err := e.writeNew(cfg, auto, pool, o.Prefix)
	lock.Release()
	if err != nil {
		return err
	}
	if changed {
		e.logf("wrote %s (vpcCidr %s)", path, cfg.VpcCidr)
	} else {
		e.logf("%s unchanged (vpcCidr %s)", path, cfg.VpcCidr)
	}
	if err := e.planPasses(cfg.TenantID); err != nil {
		if changed {
			// Nothing half-done: a config the rules refuse is not kept.
			_ = removeIfNew(path)
		}
		return err
	}
	e.logf("plan %s: every mandatory control passes", cfg.TenantID)
	entry := lifecycle.NewEntry(lifecycle.StepOnboard, e.Now(), "stack written and planned", map[string]any{
		"stackFile": path, "vpcCidr": cfg.VpcCidr, "changed": changed,
	})
	entry.DryRun = o.DryRun
	if o.DryRun {
		if err := lifecycle.Append(e.EvidenceDir, cfg.TenantID, entry); err != nil {
			return err
		}
		e.logf("dry run: nothing deployed; deploy with tenantctl onboard %s (same flags) without --dry-run", cfg.TenantID)
		return nil
	}
	if _, err := e.Deployer.Preview(ctx, cfg.TenantID); err != nil {
		return failed("%v", err)
	}
	outputs, err := e.Deployer.Up(ctx, cfg.TenantID)
	if err != nil {
		return failed("%v", err)
	}
	entry.Summary = "deployed"
	entry.Details["outputs"] = outputs
	if err := lifecycle.Append(e.EvidenceDir, cfg.TenantID, entry); err != nil {
		return err
	}
	return e.verify(ctx, cfg.TenantID)
}

// verify runs the post-deploy checks when this build has them.
func (e *Env) verify(ctx context.Context, tenant string) error {
	if e.Verify == nil {
		return &failure{cli.ExitError, fmt.Errorf("deployed %s, but no post-deploy verification is available in this build: run tenantctl verify %s", tenant, tenant)}
	}
	return e.Verify(ctx, tenant)
}

// writeNew writes the stack file under the lock: an existing stack keeps
// its range and must match the inputs; a new one gets a free range.
func (e *Env) writeNew(cfg *config.Tenant, auto bool, pool netip.Prefix, prefix int) (string, bool, error) {
	if old, _, err := stackfile.Load(e.StacksDir, cfg.TenantID); err == nil {
		if err := lifecycle.Check(old, lifecycle.StepOnboard, false); err != nil {
			return "", false, bad("%v", err)
		}
		if auto {
			cfg.VpcCidr = old.VpcCidr
		}
		cfg.Lifecycle = old.Lifecycle
		if diff := differences(old, cfg); len(diff) > 0 {
			return "", false, bad("stack %s exists with other settings (%v): edit %s, or offboard it first", cfg.TenantID, diff, stackfile.Path(e.StacksDir, cfg.TenantID))
		}
		return stackfile.Path(e.StacksDir, cfg.TenantID), false, nil
	} else if !errors.Is(err, stackfile.ErrNotFound) {
		return "", false, bad("%v", err)
	}
	others, err := stackfile.OtherCidrs(e.StacksDir, cfg.TenantID)
	if err != nil {
		return "", false, err
	}
	taken := slices.Collect(maps.Values(others))
	if auto {
		p, err := lifecycle.Allocate(pool, prefix, taken, lifecycle.Reserved(cfg))
		if err != nil {
			return "", false, bad("tenant %s: %v", cfg.TenantID, err)
		}
		cfg.VpcCidr = p.String()
	} else if p, err := netip.ParsePrefix(cfg.VpcCidr); err == nil {
		for n, q := range others {
			if q.Overlaps(p) {
				return "", false, bad("--cidr %s overlaps stack %s (%s) (WP-31): choose another range or use --cidr auto", cfg.VpcCidr, n, q)
			}
		}
	}
	if err := cfg.Validate(); err != nil {
		return "", false, bad("tenant %s: invalid settings, nothing was written:\n%v", cfg.TenantID, err)
	}
	path, err := stackfile.Write(e.StacksDir, cfg)
	return path, true, err
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

func removeIfNew(path string) error { return os.Remove(path) }
