package journey

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/awscell"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/verify"
)

// cell is one account of the journey's organization: its baseline stack's
// name, its account and the role the pipelines assume there.
type cell struct {
	name, account string
	cfg           aws.Config // the cell role's credentials
}

func (c cell) role() string { return "arn:aws:iam::" + c.account + ":role/tenantkit-cell" }

// TestCells (#38): a fleet of two cells, each an account of its own in
// moto (sts:AssumeRole into another account answers with that account's
// credentials), two tenants each. Onboarding places each tenant in the
// first cell with room and refuses a full fleet naming the capacity;
// each cell's baseline and tenants deploy through the cell's role; one
// cell's credentials can neither see nor change the other's resources;
// verify --all reaches every tenant through its cell, says whom each
// account is shared with, keeps each cell's sealed reports in that cell's
// evidence bucket (the customers' copies beside them), and refuses a cell
// whose credentials reach another account, as the provider refuses to
// deploy there; offboarding suspends and deletes a tenant in each cell.
func TestCells(t *testing.T) {
	if os.Getenv("TENANTKIT_E2E") == "1" {
		t.Skip("the two-cell journey needs two accounts of an organization with a role the pipeline may assume in each; against a real organization it is not wired yet (it runs against moto)")
	}
	w := newWorld(t)
	ctx := context.Background()
	pipeline := w.accountID(ctx)
	cells := []cell{{name: "cell-a", account: "111111111111"}, {name: "cell-b", account: "222222222222"}}
	// The organization vends the cells' accounts with a role the pipeline
	// may assume (Account Factory's execution role); the cells' baselines
	// replace the example's single account.
	example, err := os.ReadFile(filepath.Join(w.work, "baseline", "Pulumi.tokyo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(w.work, "baseline", "Pulumi.tokyo.yaml"))
	old, _ := filepath.Glob(filepath.Join(w.work, "stacks", "Pulumi.*.yaml"))
	for _, f := range old {
		os.Remove(f)
	}
	for i := range cells {
		c := &cells[i]
		c.cfg = awscell.Assume(w.cfg, c.role(), "")
		trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, pipeline)
		if _, err := iam.NewFromConfig(c.cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("tenantkit-cell"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Fatalf("vend %s: %v", c.name, err)
		}
		if got := accountOf(ctx, t, c.cfg); got != c.account {
			t.Fatalf("%s's role reaches account %s", c.name, got)
		}
		writeCell(t, w, string(example), *c, i)
	}
	byName := map[string]cell{cells[0].name: cells[0], cells[1].name: cells[1]}

	// Placement: the first two in cell-a, the next two in cell-b (each
	// cell's capacity is 2); a fifth has no room anywhere.
	want := map[string]string{"ann": "cell-a", "amy": "cell-a", "ben": "cell-b", "bob": "cell-b"}
	onboard := map[string][]string{}
	for _, n := range []string{"ann", "amy", "ben", "bob"} {
		c := byName[want[n]]
		onboard[n] = []string{"onboard", n, "--ingress-cidrs", "198.51.100.0/24", "--certificate-arn", certificateIn(ctx, t, c.cfg, n),
			"--classifications", "confidential", "--alert-emails", "secops@example.co.jp"}
		if r := w.tenantctl(append(onboard[n], "--no-deploy")...); r.code != 0 {
			t.Fatalf("onboard %s --no-deploy: %s", n, r)
		}
		got, _, err := stackfile.Load(filepath.Join(w.work, "stacks"), n)
		if err != nil || got.Cell != want[n] {
			t.Fatalf("%s placed in cell %q (%v), want %s", n, got.Cell, err, want[n])
		}
	}
	full := w.tenantctl("onboard", "cid", "--ingress-cidrs", "198.51.100.0/24", "--certificate-arn", certificateIn(ctx, t, cells[1].cfg, "cid"), "--no-deploy")
	if full.code != 1 || !strings.Contains(full.stderr, "capacity of cell cell-a") || !strings.Contains(full.stderr, "capacity of cell cell-b") {
		t.Errorf("a fifth tenant in a full fleet: %s, want exit 1 naming each cell's capacity", full)
	}
	named := w.tenantctl("onboard", "cid", "--ingress-cidrs", "198.51.100.0/24", "--certificate-arn", certificateIn(ctx, t, cells[1].cfg, "cid"), "--cell", "cell-b", "--no-deploy")
	if named.code != 1 || !strings.Contains(named.stderr, "cell cell-b has no room") {
		t.Errorf("a tenant into the full cell-b: %s", named)
	}
	if _, err := os.Stat(stackfile.Path(filepath.Join(w.work, "stacks"), "cid")); err == nil {
		t.Error("a refused tenant's stack file was written")
	}

	// Each cell's baseline, then its tenants, deployed through its role.
	for _, c := range cells {
		if _, err := w.baselineStack().Up(ctx, c.name); err != nil {
			t.Fatalf("baseline up in %s: %v", c.name, err)
		}
	}
	for _, n := range []string{"ann", "amy", "ben", "bob"} {
		if r := w.tenantctl(onboard[n]...); r.code != 0 && r.code != 3 {
			t.Fatalf("onboard %s: %s", n, r)
		}
	}
	vpcOf := map[string]string{}
	for n, home := range want {
		for _, c := range cells {
			ids := vpcsIn(ctx, t, c.cfg, n)
			switch {
			case c.name == home && len(ids) != 1:
				t.Errorf("%s has %d VPCs in its cell %s, want 1", n, len(ids), c.name)
			case c.name == home:
				vpcOf[n] = ids[0]
			case len(ids) != 0:
				t.Errorf("%s's VPC is seen from %s's credentials: %v", n, c.name, ids)
			}
		}
		if ids := vpcsIn(ctx, t, w.cfg, n); len(ids) != 0 {
			t.Errorf("%s's VPC is in the pipeline's own account: %v", n, ids)
		}
	}
	// One cell's credentials change nothing of the other's.
	if _, err := ec2.NewFromConfig(cells[0].cfg).DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcOf["ben"])}); err == nil {
		t.Errorf("cell-a's credentials deleted ben's VPC %s", vpcOf["ben"])
	}
	if _, err := ec2.NewFromConfig(cells[1].cfg).CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpcOf["ann"]}, Tags: []ec2types.Tag{{Key: aws.String("Tenant"), Value: aws.String("ben")}}}); err == nil {
		t.Errorf("cell-b's credentials tagged ann's VPC %s", vpcOf["ann"])
	}
	if ids := vpcsIn(ctx, t, cells[1].cfg, "ben"); len(ids) != 1 {
		t.Errorf("ben's VPC after cell-a's attempt: %v", ids)
	}

	// verify --all reaches each tenant through its cell.
	dir := filepath.Join(t.TempDir(), "reports")
	r := w.tenantctl("verify", "--all", "--discover", "--out-dir", dir, "--format", "json,html")
	if r.code != 0 && r.code != 3 {
		t.Fatalf("verify --all across the cells: %s", r)
	}
	for n, home := range want {
		b, err := os.ReadFile(filepath.Join(dir, n+".json"))
		if err != nil {
			t.Fatalf("no report of %s: %v", n, err)
		}
		var rep verify.Report
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		w.expectPasses(&rep, n)
		if rep.Cell != home || rep.Account != byName[home].account || rep.SharedWith == nil || *rep.SharedWith != 1 {
			t.Errorf("%s's report: cell %q account %s shared with %v, want %s, %s, 1 other tenant", n, rep.Cell, rep.Account, rep.SharedWith, home, byName[home].account)
		}
	}
	index, _ := os.ReadFile(filepath.Join(dir, verify.FleetPage))
	for _, c := range cells {
		if !strings.Contains(string(index), `data-cell="`+c.name+`"`) {
			t.Errorf("the fleet page has no group of cell %s", c.name)
		}
	}

	// Each cell keeps its own tenants' sealed reports in its own evidence
	// bucket (made on the cell's Day 0), written through the cell's role;
	// each customer's copy is there for its log reader. A run that mixes
	// cells is refused before anything is kept.
	for _, c := range cells {
		evidenceBucketIn(ctx, t, c.cfg, c.account)
		out := filepath.Join(t.TempDir(), "sealed")
		r := w.tenantctl("verify", "--all", "--cell", c.name, "--discover", "--out-dir", out, "--format", "json,html",
			"--sign-key", evidenceKey, "--upload", "s3://"+evidenceBucket(c.account)+"/nightly/"+c.name)
		if r.code != 0 && r.code != 3 {
			t.Fatalf("verify --all --cell %s, sealed and kept: %s", c.name, r)
		}
		s3c := s3.NewFromConfig(c.cfg, func(o *s3.Options) { o.UsePathStyle = true })
		for n, home := range want {
			for _, key := range []string{"nightly/" + c.name + "/" + n + ".json", expect.CustomerEvidencePrefix(n) + "nightly/" + c.name + "/" + n + ".json"} {
				_, err := s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(evidenceBucket(c.account)), Key: aws.String(key)})
				if home == c.name && err != nil {
					t.Errorf("%s's bucket lacks %s: %v", c.name, key, err)
				}
				if home != c.name && err == nil {
					t.Errorf("%s's bucket holds %s, a tenant of another cell", c.name, key)
				}
			}
		}
	}
	mixed := w.tenantctl("verify", "--all", "--discover", "--out-dir", filepath.Join(t.TempDir(), "mixed"), "--format", "json",
		"--sign-key", evidenceKey, "--upload", "s3://"+evidenceBucket(cells[0].account)+"/mixed")
	if !strings.Contains(mixed.stderr, "live elsewhere") {
		t.Errorf("both cells' reports into cell-a's bucket: %s", mixed)
	}

	// A cell whose credentials reach another account: verify reads
	// nothing, and the provider deploys nothing.
	path := filepath.Join(w.work, "baseline", "Pulumi.cell-b.yaml")
	good, _ := os.ReadFile(path)
	os.WriteFile(path, regexp.MustCompile(`(?m)^  tenantkit-baseline:roleArn:.*\n`).ReplaceAll(good, nil), 0o644)
	if v := w.tenantctl("verify", "ben", "--discover", "--format", "json"); v.code != 2 || !strings.Contains(v.stderr, "reached account "+pipeline) || !strings.Contains(v.stderr, "nothing was read") {
		t.Errorf("verify ben with credentials of the pipeline's account: %s", v)
	}
	if _, err := w.tenantStack().Preview(ctx, "ben"); err == nil || !strings.Contains(err.Error(), "AWS account ID not allowed: "+pipeline) {
		t.Errorf("preview of ben with credentials of the pipeline's account: %v, want the provider's refusal", err)
	}
	os.WriteFile(path, good, 0o644)

	// Offboarding in each cell: ann and ben cancelled, suspended, deleted;
	// their neighbours untouched.
	today := lifecycle.Today(clock.Now())
	for _, n := range []string{"ann", "ben"} {
		for _, step := range [][]string{{"offboard", n, "--cancelled-on", today.String()}, {"offboard", "suspend", n, "--yes"}, {"offboard", "delete", n, "--yes"}} {
			if r := w.tenantctl(step...); r.code != 0 {
				t.Fatalf("%v: %s", step, r)
			}
		}
	}
	for n, home := range want {
		ids := vpcsIn(ctx, t, byName[home].cfg, n)
		if gone := n == "ann" || n == "ben"; gone && len(ids) != 0 || !gone && len(ids) != 1 {
			t.Errorf("after offboarding ann and ben, %s has VPCs %v in %s", n, ids, home)
		}
	}
}

// writeCell writes a cell's baseline stack: the example's settings, the
// cell's account and role, two tenants at most, a pool of its own.
func writeCell(t *testing.T, w *world, example string, c cell, i int) {
	t.Helper()
	set := map[string]string{
		"accountId":                   fmt.Sprintf("%q", c.account),
		"roleArn":                     c.role(),
		"capacity":                    "2",
		"addressPool":                 fmt.Sprintf("10.%d.0.0/16", 16*(i+1)),
		"deployerPrincipalArns":       fmt.Sprintf("[%q]", c.role()),
		"tenantDeployerPrincipalArns": fmt.Sprintf("[%q]", c.role()),
		"tenantRefreshPrincipalArns":  fmt.Sprintf("[%q]", c.role()),
	}
	s := example
	for k, v := range set {
		line := regexp.MustCompile(`(?m)^  tenantkit-baseline:` + k + `:.*\n`)
		s = line.ReplaceAllLiteralString(s, "")
		s += fmt.Sprintf("  tenantkit-baseline:%s: %s\n", k, v)
	}
	if err := os.WriteFile(filepath.Join(w.work, "baseline", "Pulumi."+c.name+".yaml"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func accountOf(ctx context.Context, t *testing.T, cfg aws.Config) string {
	t.Helper()
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(id.Account)
}

// certificateIn issues a tenant's listener certificate in a cell.
func certificateIn(ctx context.Context, t *testing.T, cfg aws.Config, tenant string) string {
	t.Helper()
	out, err := acm.NewFromConfig(cfg).RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String(tenant + ".example.co.jp")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.CertificateArn)
}

// vpcsIn are the VPCs tagged with the tenant that cfg's credentials see.
func vpcsIn(ctx context.Context, t *testing.T, cfg aws.Config, tenant string) []string {
	t.Helper()
	out, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Tenant"), Values: []string{tenant}}}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range out.Vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
	}
	return ids
}

// evidenceBucketIn makes a cell's evidence bucket, as the cell's Day 0
// does: Object Lock, COMPLIANCE, a day's default retention here.
func evidenceBucketIn(ctx context.Context, t *testing.T, cfg aws.Config, account string) {
	t.Helper()
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := evidenceBucket(account)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket), ObjectLockEnabledForBucket: aws.Bool(true),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintApNortheast1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(bucket), ObjectLockConfiguration: &s3types.ObjectLockConfiguration{
		ObjectLockEnabled: s3types.ObjectLockEnabledEnabled,
		Rule:              &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeCompliance, Days: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
}
