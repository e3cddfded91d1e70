package verify

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/awscell"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/evidence"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Seal signs the reports in dir (#37 item 1), for verify and for the
// other writers of evidence (the deletion certificate; o.SignKey,
// o.Upload, o.Region, o.Endpoint, o.StacksDir, o.Tenant and o.Mode say
// how): a manifest of every file
// there with its SHA-256 and what the reader needs to know of the run,
// signed with the asymmetric KMS key o.SignKey, its public key beside it.
// A directory of its own per run: every file in it is sealed.
func Seal(ctx context.Context, o Options, dir string, stdout io.Writer) error {
	region := o.Region
	if region == "" {
		region = config.RegionTokyo
	}
	calls := &Calls{}
	cfg, err := LoadConfigTimeout(ctx, region, o.Endpoint, calls, o.RequestTimeout)
	if err != nil {
		return err
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("who seals: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// The files, and each tenant's among them: a file is a tenant's when
	// its name's stem is the tenant's id (acme.json, acme.html); the fleet
	// page's stem, index, is no tenant id (config.ReservedTenantIDs).
	var files, tenants []string
	byTenant := map[string][]string{}
	for _, e := range entries {
		if !e.Type().IsRegular() || evidence.IsSealFile(e.Name()) {
			continue
		}
		files = append(files, e.Name())
		if stem, _, _ := strings.Cut(e.Name(), "."); config.ValidateTenantID(stem) == nil {
			if byTenant[stem] == nil {
				tenants = append(tenants, stem)
			}
			byTenant[stem] = append(byTenant[stem], e.Name())
		}
	}
	if o.Tenant != "" {
		// One tenant's run (a report, a deletion certificate): every file
		// is that tenant's, whatever its name.
		tenants, byTenant = []string{o.Tenant}, map[string][]string{o.Tenant: files}
	}
	mode := o.Mode
	if mode == "" {
		mode = "inventory"
	}
	if o.Discover {
		mode = "discover"
	}
	run := evidence.Run{Tenants: tenants, Account: aws.ToString(id.Account), Region: region, Caller: aws.ToString(id.Arn), Mode: mode,
		ToolVersion: cli.Version(), Commit: headCommit(o.StacksDir)}
	// Not AWS when an endpoint is named or a call was sent elsewhere
	// (the AWS config file, a per-service variable).
	if seen := calls.NotAWS(); len(seen) > 0 || o.Endpoint != "" {
		run.NotAWS, run.Endpoint = true, strings.Join(append(seen, o.Endpoint), " ")
	}
	signer := evidence.KMS{Client: kms.NewFromConfig(cfg), Key: o.SignKey}
	m, err := evidence.Seal(ctx, dir, files, run, signer, clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sealed %d file(s) in %s with %s (public key SHA-256 %s): tenantctl evidence verify %s --fingerprint %s\n",
		len(m.Files), dir, o.SignKey, m.PublicKeySHA256, dir, m.PublicKeySHA256)
	if o.Upload == "" {
		return nil
	}
	bucket, prefix, err := ParseUpload(o.Upload)
	if err != nil {
		return err
	}
	ucfg, cell, err := uploadConfig(ctx, o, cfg, bucket)
	if err != nil {
		return err
	}
	if cell != nil {
		// A cell's bucket keeps its own tenants' reports: the customers'
		// log readers of that account read their copies there.
		if err := ofCell(o, *cell, tenants); err != nil {
			return err
		}
	}
	c := s3.NewFromConfig(ucfg, func(so *s3.Options) { so.UsePathStyle = o.Endpoint != "" })
	keys, err := evidence.Upload(ctx, c, dir, bucket, prefix)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "kept %d file(s) in s3://%s/%s/ under the bucket's Object Lock\n", len(keys), bucket, strings.TrimSuffix(prefix, "/"))
	// Each customer's own copy (#37 item 2): its files only, sealed as its
	// own (the manifest names that tenant alone), under its prefix, which
	// its log-reader role may read.
	for _, tenant := range tenants {
		own := byTenant[tenant]
		if len(own) == 0 {
			continue
		}
		run := run
		run.Tenants = []string{tenant}
		if err := customerCopy(ctx, c, signer, run, dir, own, bucket, expect.CustomerEvidencePrefix(tenant)+prefix, stdout); err != nil {
			return fmt.Errorf("%s's own copy: %w", tenant, err)
		}
	}
	return nil
}

// uploadConfig is the configuration the reports are kept with: the evidence
// bucket of a cell's account (expect.EvidenceBucket, made on the cell's Day
// 0, where the tenants' log readers read their own copies) is written
// through the cell's role, its account checked; any other bucket with the
// run's own credentials (a fleet of one account).
func uploadConfig(ctx context.Context, o Options, cfg aws.Config, bucket string) (aws.Config, *config.Cell, error) {
	cells, err := stackfile.Cells(o.BaselineDir)
	if err != nil {
		return cfg, nil, err
	}
	for _, c := range cells {
		if c.AccountID == "" || expect.EvidenceBucket(c.AccountID) != bucket {
			continue
		}
		ucfg, err := awscell.Reach(ctx, cfg, c, "tenantkit-evidence")
		if err != nil {
			return cfg, nil, fmt.Errorf("keep the reports in cell %s's bucket %s: %w", c.Name, bucket, err)
		}
		return ucfg, &c, nil
	}
	return cfg, nil, nil
}

// ofCell refuses to keep another cell's tenants in a cell's bucket, where
// their log readers could never read their copies.
func ofCell(o Options, cell config.Cell, tenants []string) error {
	var others []string
	for _, t := range tenants {
		cfg, _, err := stackfile.Load(o.StacksDir, t)
		if err != nil || !cell.Holds(cfg) {
			others = append(others, t)
		}
	}
	if len(others) > 0 {
		return fmt.Errorf("%s is cell %s's evidence bucket, and %s live elsewhere: nothing was kept. Keep each cell's reports in its own bucket (tenantctl verify --all --cell %s)", expect.EvidenceBucket(cell.AccountID), cell.Name, strings.Join(others, ", "), cell.Name)
	}
	return nil
}

// customerCopy seals the files of dir in a directory of their own for one
// customer and keeps it under prefix, SSE-S3.
func customerCopy(ctx context.Context, c evidence.Store, signer evidence.Signer, run evidence.Run, dir string, files []string, bucket, prefix string, stdout io.Writer) error {
	copyDir, err := os.MkdirTemp("", "tenantkit-customer-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(copyDir)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(copyDir, f), b, 0o600); err != nil {
			return err
		}
	}
	if _, err := evidence.Seal(ctx, copyDir, files, run, signer, clock.Now()); err != nil {
		return err
	}
	keys, err := evidence.UploadAs(ctx, c, copyDir, bucket, prefix, s3types.ServerSideEncryptionAes256)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "kept %s's own copy, %d file(s), in s3://%s/%s/\n", run.Tenants[0], len(keys), bucket, prefix)
	return nil
}

// ParseUpload reads --upload s3://<bucket>/<prefix>.
func ParseUpload(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" || strings.Trim(prefix, "/") == "" {
		return "", "", fmt.Errorf("--upload %q: write s3://<evidence bucket>/<prefix of this run>, e.g. s3://tk-evidence-123456789012/nightly/2026-12-07", s)
	}
	return bucket, strings.Trim(prefix, "/"), nil
}

// headCommit is the commit of the checkout holding dir ("" outside one).
func headCommit(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	out, err := exec.Command("git", "-C", abs, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
