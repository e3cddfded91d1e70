package journey

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/components/baseline"
	tenantprog "github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/evidence"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/ops"
	"github.com/tenantkit/tenantkit/internal/stackfile"

	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/verify"
	"github.com/tenantkit/tenantkit/tests/motoserver"
)

// repoRoot is the repository, where the programs and example stacks are.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// target is where the journey deploys: moto on this machine, or a real
// account when TENANTKIT_E2E=1 and what it needs is there (realNeeds).
type target struct {
	name     string
	endpoint string // "" for AWS
	env      []string
	account  string
	real     bool
}

// realNeeds says what the real-account target lacks, "" when nothing.
func realNeeds() string {
	var missing []string
	if os.Getenv("TENANTKIT_E2E") != "1" {
		missing = append(missing, "TENANTKIT_E2E=1 (it creates billable resources)")
	}
	if os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" && os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == "" {
		missing = append(missing, "AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID or a web identity) for an account whose baseline stack is deployed")
	}
	if os.Getenv("TENANTKIT_E2E_CERTIFICATE_ARN") == "" {
		missing = append(missing, "TENANTKIT_E2E_CERTIFICATE_ARN (an ACM certificate in ap-northeast-1 for the HTTPS listener)")
	}
	if os.Getenv("PULUMI_BACKEND_URL") == "" {
		missing = append(missing, "PULUMI_BACKEND_URL (the state backend) with the aws plugin v6.83.4 installed (pulumi plugin install resource aws v6.83.4)")
	}
	if len(missing) == 0 {
		return ""
	}
	return "needs " + strings.Join(missing, "; ")
}

// world is one journey's working copy: binaries, the operator's working
// directory (project, stacks, baseline, evidence) and the environment the
// commands run in.
type world struct {
	t      *testing.T
	tenant string
	target target
	bin    string // tenantctl, pulumi
	plugin string // the test aws plugin as installed in PULUMI_HOME
	// driftRole is the nightly drift check's role; onboarded the secrets
	// provider onboarding wrote into the journey tenant's stack file.
	driftRole string
	onboarded stackfile.Secrets
	work      string // the operator's checkout
	env       []string
	cfg       aws.Config
	log       io.Writer
}

// build builds a command of this repository into dir, with the clock of
// this test's build (clock.BuildFlags) unless flags say otherwise.
func build(t *testing.T, dir, name, pkg string, flags ...string) {
	t.Helper()
	if flags == nil {
		flags = clock.BuildFlags()
	}
	cmd := exec.Command("go", append(append([]string{"build"}, flags...), "-o", filepath.Join(dir, name), pkg)...)
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
}

// pulumiCLI is the Pulumi CLI built from Pulumi's source at the pinned
// version (scripts/build-pulumi.sh keeps one built binary in .bin).
func pulumiCLI(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(repoRoot(), "scripts", "build-pulumi.sh"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("build the Pulumi CLI (scripts/build-pulumi.sh): %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// copyTree copies the files the operator's checkout needs.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newWorld starts the target (moto for this test), builds tenantctl, the
// CLI and the test plugin, and lays out the operator's checkout.
func newWorld(t *testing.T) *world {
	t.Helper()
	tgt := chooseTarget(t)
	w := &world{t: t, target: tgt, bin: t.TempDir(), work: t.TempDir(), log: io.Discard}
	if testing.Verbose() {
		w.log = os.Stderr
	}
	build(t, w.bin, "tenantctl", "./cmd/tenantctl")
	cli := pulumiCLI(t)
	if err := os.Symlink(cli, filepath.Join(w.bin, "pulumi")); err != nil {
		t.Fatal(err)
	}
	plugins := t.TempDir() // never on PATH: installed into PULUMI_HOME below
	if !tgt.real {
		build(t, plugins, "pulumi-resource-aws", "./tests/awsprovider/cmd/pulumi-resource-aws")
	}
	root := repoRoot()
	for _, f := range []string{"Pulumi.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(w.work, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyTree(t, filepath.Join(root, "stacks"), filepath.Join(w.work, "stacks"))
	copyTree(t, filepath.Join(root, "baseline"), filepath.Join(w.work, "baseline"))
	_ = os.Remove(filepath.Join(w.work, "baseline", "main.go"))
	// As the workflows run Pulumi (and tenantctl always does): only the
	// plugins installed in PULUMI_HOME, and a stack's secrets provider from
	// its file or its state, never a passphrase nobody chose.
	w.env = append(os.Environ(), "PATH="+w.bin+string(os.PathListSeparator)+os.Getenv("PATH"), "PULUMI_SKIP_UPDATE_CHECK=true", "CI=true")
	w.env = append(w.env, deploy.PinnedEnv...)
	if !tgt.real {
		// A state of its own, and the test plugin installed as the aws
		// plugin at the program's version, the way the setup action
		// installs the released one.
		state := t.TempDir()
		w.env = append(w.env, "PULUMI_HOME="+filepath.Join(state, "home"), "PULUMI_BACKEND_URL=file://"+filepath.Join(state, "backend"),
			"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true")
		if err := os.MkdirAll(filepath.Join(state, "backend"), 0o755); err != nil {
			t.Fatal(err)
		}
		w.plugin = filepath.Join(state, "home", "plugins", "resource-aws-v"+awsPluginVersion, "pulumi-resource-aws")
	}
	w.env = append(w.env, tgt.env...)
	// This process runs inline programs too (the baseline, the operator's
	// own `pulumi up`): it sees what the commands see.
	for _, kv := range w.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Chdir(w.work)
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion("ap-northeast-1"))
	if err != nil {
		t.Fatal(err)
	}
	w.cfg = cfg
	if !tgt.real {
		if r := w.pulumi("plugin", "install", "resource", "aws", awsPluginVersion, "--file", filepath.Join(plugins, "pulumi-resource-aws")); r.code != 0 {
			t.Fatalf("install the test aws plugin: %s", r)
		}
		w.dayZero(context.Background())
	} else {
		// The example baseline's cell is account 123456789012 (moto's);
		// against a real account the working copy names the account the
		// credentials are for, so tenantctl's account check meets it.
		w.setBaselineConfig(map[string]string{"tenantkit-baseline:accountId": strconv.Quote(w.accountID(context.Background()))})
	}
	return w
}

// awsPluginVersion is the aws plugin the programs ask for: the SDK's
// version in go.mod.
const awsPluginVersion = "6.83.4"

// stateKey is the alias of the key the fleet's stacks encrypt their
// secrets with (the example baseline's stateSecretsProvider).
const stateKey = "alias/tenantkit-state"

// dayZero makes what the Day 0 runbook has the provider make by hand
// before the baseline's first deploy (docs/operations.md): the state's
// KMS key in Tokyo, and the key that seals the evidence.
func (w *world) dayZero(ctx context.Context) {
	w.t.Helper()
	c := kms.NewFromConfig(w.cfg)
	k, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("tenantkit: the Pulumi state's secrets")})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(stateKey), TargetKeyId: k.KeyMetadata.KeyId}); err != nil {
		w.t.Fatal(err)
	}
	// The evidence signing key: asymmetric, ECC P-256, sign and verify.
	e, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("tenantkit: seals the evidence reports"),
		KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(evidenceKey), TargetKeyId: e.KeyMetadata.KeyId}); err != nil {
		w.t.Fatal(err)
	}
	// The evidence bucket in Tokyo: Object Lock, COMPLIANCE, a default
	// retention (400 days in production; a day here).
	id, err := sts.NewFromConfig(w.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		w.t.Fatal(err)
	}
	w.target.account = aws.ToString(id.Account)
	s3c := s3.NewFromConfig(w.cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := evidenceBucket(w.target.account)
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket), ObjectLockEnabledForBucket: aws.Bool(true),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintApNortheast1}}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := s3c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(bucket), ObjectLockConfiguration: &s3types.ObjectLockConfiguration{
		ObjectLockEnabled: s3types.ObjectLockEnabledEnabled,
		Rule:              &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeCompliance, Days: aws.Int32(1)}}}}); err != nil {
		w.t.Fatal(err)
	}
}

// tenantStack is a tenant's stack as tenantctl runs it: the secrets
// provider its file names, refused unless it is the fleet's.
func (w *world) tenantStack() *deploy.Inline {
	e := &ops.Env{StacksDir: filepath.Join(w.work, "stacks"), BaselineDir: filepath.Join(w.work, "baseline")}
	return &deploy.Inline{WorkDir: w.work, Program: tenantprog.Inline, Out: w.log, SecretsProvider: e.SecretsProvider}
}

// evidenceKey is the asymmetric key the reports are sealed with (Day 0:
// it outlives every stack, so reports sealed years ago still check).
const evidenceKey = "alias/tenantkit-evidence"

// sealHolds (#37 item 1): the sealed reports check with the public key
// as the provider publishes it (read from KMS here), and fail on a
// one-byte edit of any file and on a manifest signed by another key.
func (w *world) sealHolds(dir string) {
	w.t.Helper()
	ctx := context.Background()
	c := kms.NewFromConfig(w.cfg)
	pub, err := c.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(evidenceKey)})
	if err != nil {
		w.t.Fatal(err)
	}
	published := filepath.Join(w.t.TempDir(), "published.pem")
	if err := os.WriteFile(published, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub.PublicKey}), 0o644); err != nil {
		w.t.Fatal(err)
	}
	check := func(dir string) result { return w.tenantctl("evidence", "verify", dir, "--public-key", published) }
	if r := check(dir); r.code != 0 || !strings.Contains(r.stdout, "as sealed") || !strings.Contains(r.stdout, "NOT AWS") {
		w.t.Fatalf("evidence verify of the journey's reports: %s", r)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) < 6 {
		w.t.Fatalf("the sealed directory holds %d files", len(entries))
	}
	for _, e := range entries {
		if e.Name() == evidence.PublicKeyFile {
			continue // not what is checked: the published key is
		}
		path := filepath.Join(dir, e.Name())
		b, _ := os.ReadFile(path)
		edited := slices.Clone(b)
		edited[len(edited)/2] ^= 0x20
		os.WriteFile(path, edited, 0o644)
		if r := check(dir); r.code != 1 {
			w.t.Errorf("a one-byte edit of %s: %s", e.Name(), r)
		}
		os.WriteFile(path, b, 0o644)
	}
	// Sealed again by someone holding another key: the published key
	// refuses it.
	other, err := c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if err != nil {
		w.t.Fatal(err)
	}
	forged := filepath.Join(w.t.TempDir(), "forged")
	os.MkdirAll(forged, 0o755)
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && e.Name() != evidence.ManifestFile && e.Name() != evidence.SignatureFile && e.Name() != evidence.PublicKeyFile {
			os.WriteFile(filepath.Join(forged, e.Name()), b, 0o644)
		}
	}
	if _, err := evidence.Seal(ctx, forged, names(entries), evidence.Run{Tenants: []string{w.tenant}}, evidence.KMS{Client: c, Key: aws.ToString(other.KeyMetadata.Arn)}, time.Now()); err != nil {
		w.t.Fatal(err)
	}
	if r := check(forged); r.code != 1 || !strings.Contains(r.stderr, "signed by another key") {
		w.t.Errorf("reports sealed by another key: %s", r)
	}
}

// evidenceBucket is the Tokyo bucket the reports are kept in (Day 0).
func evidenceBucket(account string) string { return "tenantkit-evidence-" + account }

// keptUnderLock (#37 item 2): every file of the sealed directory is in the
// evidence bucket, as written, under the bucket's Object Lock (HeadObject's
// lock headers; moto 5.2.1 has no GetObjectRetention).
func (w *world) keptUnderLock(dir, bucket, prefix string) {
	w.t.Helper()
	ctx := context.Background()
	c := s3.NewFromConfig(w.cfg, func(o *s3.Options) { o.UsePathStyle = true })
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		key := prefix + "/" + e.Name()
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			w.t.Errorf("the evidence bucket lacks %s: %v", key, err)
			continue
		}
		if h.ObjectLockMode != s3types.ObjectLockModeCompliance || h.ObjectLockRetainUntilDate == nil || !h.ObjectLockRetainUntilDate.After(time.Now()) {
			w.t.Errorf("%s: lock %q until %v, want COMPLIANCE into the future", key, h.ObjectLockMode, h.ObjectLockRetainUntilDate)
		}
		local, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if aws.ToInt64(h.ContentLength) != int64(len(local)) {
			w.t.Errorf("%s: %d bytes kept, %d written", key, aws.ToInt64(h.ContentLength), len(local))
		}
	}
}

// names are the report files among entries (the seal's own left out).
func names(entries []os.DirEntry) []string {
	var out []string
	for _, e := range entries {
		if n := e.Name(); !evidence.IsSealFile(n) {
			out = append(out, n)
		}
	}
	return out
}

// baselineStack is the account baseline as tenantctl's Automation API
// path runs it, created with the secrets provider its file declares.
func (w *world) baselineStack() *deploy.Inline {
	dir := filepath.Join(w.work, "baseline")
	return &deploy.Inline{WorkDir: dir, Program: baseline.Inline, Out: w.log, SecretsProvider: ops.BaselineSecretsProvider(dir)}
}

// chooseTarget: the real account when TENANTKIT_E2E=1 and it has what it
// needs (else the test skips, saying what is missing); moto otherwise.
// moto missing is a failure with the install line, never a skip.
func chooseTarget(t *testing.T) target {
	t.Helper()
	if os.Getenv("TENANTKIT_E2E") == "1" {
		if why := realNeeds(); why != "" {
			t.Skip("the real-account target " + why)
		}
		return target{name: "aws", real: true}
	}
	s := motoserver.Start(t)
	return target{name: "moto", endpoint: s.Endpoint, env: s.Env()}
}

// result is one command's outcome.
type result struct {
	code           int
	stdout, stderr string
}

// String leads with what explains a failure: the lines that say error,
// then the ends of both streams. A deploy's output runs to thousands of
// lines, and CI's excerpt of a failing test keeps only a part of it; the
// whole is in the world's log.
func (r result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d\n", r.code)
	var errs []string
	for _, l := range strings.Split(r.stdout+"\n"+r.stderr, "\n") {
		low := strings.ToLower(l)
		if strings.Contains(low, "error") || strings.Contains(low, "fail") || strings.HasPrefix(l, "tenantctl") {
			errs = append(errs, strings.TrimSpace(l))
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(&b, "lines that say error:\n%s\n", strings.Join(tail(errs, 30), "\n"))
	}
	fmt.Fprintf(&b, "stderr (the last 40 lines):\n%s\nstdout (the last 20 lines):\n%s", strings.Join(tail(strings.Split(r.stderr, "\n"), 40), "\n"), strings.Join(tail(strings.Split(r.stdout, "\n"), 20), "\n"))
	return b.String()
}

// tail is the last n of lines.
func tail(lines []string, n int) []string {
	if len(lines) > n {
		return lines[len(lines)-n:]
	}
	return lines
}

// run runs a command in the operator's checkout.
func (w *world) run(timeout time.Duration, name string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	path := name
	if !strings.Contains(name, "/") {
		path = filepath.Join(w.bin, name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir, cmd.Env = w.work, w.env
	var out, errb bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, w.log)
	cmd.Stderr = io.MultiWriter(&errb, w.log)
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		w.t.Fatalf("%s %v: %v", name, args, err)
	}
	fmt.Fprintf(w.log, "journey: %s %s: exit %d\n", name, strings.Join(args, " "), r.code)
	return r
}

// tenantctl runs the operator's tool.
func (w *world) tenantctl(args ...string) result {
	w.t.Helper()
	return w.run(20*time.Minute, "tenantctl", args...)
}

// pulumi runs the CLI.
func (w *world) pulumi(args ...string) result {
	w.t.Helper()
	return w.run(10*time.Minute, "pulumi", args...)
}

// inventory is the stack's inventory output as `pulumi stack output
// --json` prints it, written to a file for verify.
func (w *world) inventory(stack string) string {
	w.t.Helper()
	r := w.pulumi("stack", "output", "--json", "--stack", stack)
	if r.code != 0 {
		w.t.Fatalf("pulumi stack output: %s", r)
	}
	path := filepath.Join(w.work, stack+"-inventory.json")
	if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// verifyReport runs tenantctl verify and reads its JSON report.
func (w *world) verifyReport(args ...string) (*verify.Report, result) {
	w.t.Helper()
	out := filepath.Join(w.t.TempDir(), "report.json")
	r := w.tenantctl(append([]string{"verify"}, append(args, "--format", "json", "--out", out)...)...)
	b, err := os.ReadFile(out)
	if err != nil {
		w.t.Fatalf("verify wrote no report: %v\n%s", err, r)
	}
	var rep verify.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		w.t.Fatalf("verify report: %v\n%s", err, b)
	}
	return &rep, r
}

// fleetReports runs the nightly job's verification through the binary
// (verify --all) with every format a person or a tool reads (#24): the
// fleet page holds the tenant's row and, against an emulator, the banner
// that says the run proves nothing about AWS; the tenant's page is
// Japanese; the OCSF findings are Compliance Findings; the CSV has its
// header. The pages are kept under .artifacts/journey.
func (w *world) fleetReports() {
	w.t.Helper()
	dir := filepath.Join(w.t.TempDir(), "reports")
	args := []string{"verify", "--all", "--discover", "--out-dir", dir, "--format", "json,html,ocsf,csv", "--lang", "ja"}
	bucket := evidenceBucket(w.target.account)
	if !w.target.real {
		args = append(args, "--sign-key", evidenceKey, "--upload", "s3://"+bucket+"/journey/"+w.tenant)
	}
	r := w.tenantctl(args...)
	if r.code == 2 {
		w.t.Fatalf("verify --all: %s", r)
	}
	if !w.target.real {
		w.sealHolds(dir)
		w.keptUnderLock(dir, bucket, "journey/"+w.tenant)
		w.historyFromTheBucket(dir, bucket, "journey")
		w.customersCopy(dir, bucket, expect.CustomerEvidencePrefix(w.tenant)+"journey/"+w.tenant)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			w.t.Fatalf("verify --all wrote no %s: %v\n%s", name, err, r)
		}
		return string(b)
	}
	index := read("index.html")
	if !strings.Contains(index, `data-tenant="`+w.tenant+`"`) || !strings.Contains(index, `href="`+w.tenant+`.html"`) {
		w.t.Errorf("the fleet page has no row linking %s's page", w.tenant)
	}
	if !w.target.real && !strings.Contains(index, `id="not-aws"`) {
		w.t.Error("the fleet page made against moto does not say it is not AWS")
	}
	if page := read(w.tenant + ".html"); !strings.Contains(page, `<html lang="ja">`) || !strings.Contains(page, "エビデンス報告書") {
		w.t.Errorf("%s's page is not the Japanese report", w.tenant)
	}
	var findings []map[string]any
	if err := json.Unmarshal([]byte(read(w.tenant+".ocsf.json")), &findings); err != nil || len(findings) == 0 {
		w.t.Errorf("OCSF findings: %v (%d)", err, len(findings))
	}
	for _, f := range findings {
		if f["class_uid"] != float64(2003) {
			w.t.Errorf("an OCSF finding of class %v", f["class_uid"])
			break
		}
	}
	if csv := read(w.tenant + ".csv"); !strings.HasPrefix(csv, "\ufeff"+strings.Join(verify.CSVHeader, ",")+"\n") {
		w.t.Errorf("the CSV report does not start with its header")
	}
	keep := filepath.Join(repoRoot(), ".artifacts", "journey")
	if err := os.MkdirAll(keep, 0o755); err == nil {
		for _, name := range []string{"index.html", w.tenant + ".html"} {
			_ = os.WriteFile(filepath.Join(keep, name), []byte(read(name)), 0o644)
		}
	}
}

// historyFromTheBucket (#37 item 6): the history command reads the
// tenant's day back from the evidence bucket, its seal checked with the
// key published beside the reports.
func (w *world) historyFromTheBucket(dir, bucket, prefix string) {
	w.t.Helper()
	var rep struct {
		Status string
		Time   struct{ JST string }
	}
	b, err := os.ReadFile(filepath.Join(dir, w.tenant+".json"))
	if err != nil || json.Unmarshal(b, &rep) != nil || len(rep.Time.JST) < 10 {
		w.t.Fatalf("the tenant's report: %v", err)
	}
	day := rep.Time.JST[:10]
	r := w.tenantctl("evidence", "history", w.tenant, "--bucket", "s3://"+bucket+"/"+prefix, "--from", day, "--to", day,
		"--public-key", filepath.Join(dir, evidence.PublicKeyFile), "--format", "json")
	var days []evidence.Day
	if err := json.Unmarshal([]byte(r.stdout), &days); err != nil || len(days) != 1 {
		w.t.Fatalf("evidence history: %v\n%s", err, r)
	}
	if d := days[0]; d.Day != day || string(d.Status) != rep.Status || d.Seal != "as sealed" || r.code != 0 {
		w.t.Errorf("evidence history of %s: %+v (exit %d), want %s as sealed", day, d, r.code, rep.Status)
	}
}

// customersCopy (#37 item 2): the customer's own copy is in its prefix of
// the evidence bucket: its files only (no fleet page, no other tenant),
// SSE-S3 (its log reader needs no key of the provider's), locked, and
// sealed as its own: evidence verify passes on what the bucket holds and
// names that tenant alone.
func (w *world) customersCopy(dir, bucket, prefix string) {
	w.t.Helper()
	ctx := context.Background()
	c := s3.NewFromConfig(w.cfg, func(o *s3.Options) { o.UsePathStyle = true })
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix + "/")})
	if err != nil || len(out.Contents) == 0 {
		w.t.Fatalf("no copy of the customer's own under s3://%s/%s/: %v", bucket, prefix, err)
	}
	got := w.t.TempDir()
	for _, o := range out.Contents {
		key := aws.ToString(o.Key)
		name := path.Base(key)
		if stem, _, _ := strings.Cut(name, "."); stem != w.tenant && !evidence.IsSealFile(name) {
			w.t.Errorf("the customer's copy holds %s, which is not the tenant's", key)
		}
		obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			w.t.Fatalf("%s: %v", key, err)
		}
		b, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if obj.ServerSideEncryption != s3types.ServerSideEncryptionAes256 || obj.ObjectLockMode != s3types.ObjectLockModeCompliance {
			w.t.Errorf("%s: encryption %q, lock %q; want AES256 (SSE-S3) and COMPLIANCE", key, obj.ServerSideEncryption, obj.ObjectLockMode)
		}
		os.WriteFile(filepath.Join(got, name), b, 0o644)
	}
	r := w.tenantctl("evidence", "verify", got, "--public-key", filepath.Join(dir, evidence.PublicKeyFile))
	if r.code != 0 || !strings.Contains(r.stdout, "as sealed") || !strings.Contains(r.stdout, "(tenants "+w.tenant+";") {
		w.t.Errorf("the customer's copy does not check as its own: %s", r)
	}
}
