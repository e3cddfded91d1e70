// Package journey runs the operator's whole journey as operators run it:
// tenantctl and the Pulumi CLI (built from Pulumi's source at the pinned
// version) against moto, the AWS emulator written by others, with the
// programs' own resource graphs deployed by the test aws plugin
// (tests/awsprovider) and verified by tenantctl verify reading moto back.
package journey

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/retry"
	ts "github.com/gruntwork-io/terratest/modules/test-structure"

	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/verify"
	"github.com/tenantkit/tenantkit/tests/iameval"
)

// motoCannotShow are the checks whose AWS API moto 5.2.1 does not serve
// (or serves in a form the SDK cannot read): against moto they must be
// ERROR, never PASS, and the verification passes every other check.
var motoCannotShow = map[string]string{
	"WP-24/alarms":             "CloudWatch alarms: the Go SDK speaks Smithy RPC v2 CBOR to CloudWatch, which moto 5.2.1 does not serve (moto issue #9195)",
	"WP-30/patching":           "SSM associations: moto 5.2.1 has no ListAssociations",
	"WP-30/patch-compliance":   "Patch Manager: moto 5.2.1 has no DescribeInstancePatchStates",
	"WP-21.1/key-rotation":     "moto 5.2.1's GetKeyRotationStatus leaves RotationPeriodInDays out, which AWS returns for every rotating key",
	"WP-30/inspector-coverage": "Inspector coverage: moto 5.2.1 has no ListCoverage",
}

// TestJourney: baseline (adopting the account's singletons) → onboard →
// verified → drift found by verify and by preview --refresh → a config
// change deploys cleanly → suspend → delete → destroy → only the retained
// archive and keys remain → every step again is harmless. Terratest's
// stages: teardown declared first, SKIP_<stage> to skip one.
//
// Against a real account (TENANTKIT_E2E=1) the same stages run with two
// differences: the account's baseline is already deployed and is never
// changed (no adoption; the tenant records its own trail, --trail-mode
// dedicated), and verification is retried while AWS settles.
func TestJourney(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.tenant = "newco"
	if w.target.real {
		w.tenant = "e2e-" + strings.ToLower(random.UniqueId())
	}
	// Declared first, so a failed stage still tears down.
	defer ts.RunTestStage(t, "teardown", func() { w.teardown() })
	base := w.baselineStack()

	ts.RunTestStage(t, "baseline", func() {
		if w.target.real {
			return // deployed by its operators; never changed by a test
		}
		// The deployer is a role, as in CI: discovery and the log buckets'
		// denies meet it by the ARN IAM gives the session's issuer.
		w.assumeDeployer(ctx)
		t.Log("adoption: the account's singletons exist before the baseline, made as AWS makes them")
		detector := w.createSingletons(ctx)
		// Day 0 (docs/operations.md): the provider's bootstrap role runs
		// the first deploy with the deploy pipeline's role beside it among
		// the deployers, then the pipeline's own deploy drops the bootstrap
		// role. At each step the role that deploys next may change the
		// policies that only deployers may change.
		bootstrap := w.createRole(ctx, "tenantkit-bootstrap")
		deployRole := w.roleArn("tenantkit-deploy")
		w.setBaselineConfig(map[string]string{
			"tenantkit-baseline:adoptAutoScalingRole":    "true",
			"tenantkit-baseline:adoptGuardDutyDetector":  "true",
			"tenantkit-baseline:adoptSessionPreferences": "true",
			"tenantkit-baseline:deployerPrincipalArns":   fmt.Sprintf("[%q, %q]", bootstrap, deployRole),
		})
		w.as(ctx, bootstrap, func() {
			if _, err := base.Up(ctx, "tokyo"); err != nil {
				t.Fatalf("baseline up by the bootstrap role, adopting the singletons: %v", err)
			}
		})
		w.checkAdopted(ctx, detector)
		w.policyChangers("Day 0, first deploy", map[string]bool{bootstrap: true, deployRole: true})
		w.setBaselineConfig(map[string]string{"tenantkit-baseline:deployerPrincipalArns": fmt.Sprintf("[%q]", deployRole)})
		if _, err := base.Up(ctx, "tokyo"); err != nil { // as the deploy role
			t.Fatalf("the deploy pipeline's baseline up, dropping the bootstrap role: %v", err)
		}
		w.policyChangers("Day 0, handed over", map[string]bool{bootstrap: false, deployRole: true})
	})

	ts.RunTestStage(t, "onboard", func() {
		t.Log("onboarding: the stack file first, the baseline's trail to cover it, then the deploy")
		onboard := []string{"onboard", w.tenant, "--ingress-cidrs", "198.51.100.0/24", "--certificate-arn", w.certificate(ctx),
			"--classifications", "personal,confidential", "--alert-emails", "secops@example.co.jp"}
		if w.target.real {
			onboard = append(onboard, "--trail-mode", "dedicated", "--cidr", "10.250.0.0/20")
		}
		if r := w.tenantctl(append(onboard, "--no-deploy")...); r.code != 0 {
			t.Fatalf("onboard --no-deploy: %s", r)
		}
		if w.target.real {
			// Test archives that can be removed a day later.
			for k, v := range map[string]string{"tenantkit:objectLockMode": "GOVERNANCE", "tenantkit:objectLockDays": "1"} {
				if r := w.pulumi("config", "set", k, v, "--stack", w.tenant); r.code != 0 {
					t.Fatalf("config set %s: %s", k, r)
				}
			}
		} else if _, err := base.Up(ctx, "tokyo"); err != nil {
			t.Fatalf("baseline up covering %s: %v", w.tenant, err)
		}
		r := w.tenantctl(onboard...)
		// The post-deploy verification that ends onboarding: every check
		// the target can show passes; against moto the rest are ERROR
		// (exit 3), never PASS.
		inv := w.inventory(w.tenant)
		if r.code != 0 && (w.target.real || r.code != 3) {
			rep, _ := w.verifyReport(w.tenant, "--inventory", inv)
			w.expectPasses(rep, "onboarding")
			t.Fatalf("onboard: exit %d", r.code)
		}
		w.discoveryFindsTheInventory(ctx, inv)
		if !w.target.real {
			w.onboarded, _ = stackfile.ReadSecrets(stackfile.Path(filepath.Join(w.work, "stacks"), w.tenant))
			if w.onboarded.Provider != "awskms://"+stateKey+"?region=ap-northeast-1" || w.onboarded.EncryptedKey == "" {
				t.Errorf("onboarding wrote the secrets %+v, want the baseline's provider and a data key", w.onboarded)
			}
			w.secretsKept(w.tenant, w.onboarded, "after onboarding")
			// Onboarded by the pull-request path (the stack file first,
			// the deploy after): the nightly drift check, run as the drift
			// role, finds the stack as deployed. A stack without its
			// deployers named would have the drift role compute other
			// bucket policies (#35).
			w.as(ctx, w.driftRole, func() {
				if changes, err := w.tenantStack().Drift(ctx, w.tenant); err != nil {
					t.Errorf("the drift role's preview --refresh --expect-no-changes after onboarding: %v %v", changes, err)
				}
			})
		}
		// list asks the backend what is deployed (#23 item 7): the new
		// tenant is, with its resources; acme's file was never deployed here.
		if l := w.tenantctl("list", "--format", "json"); l.code != 0 || !strings.Contains(l.stdout, `"deployed": "yes"`) || !strings.Contains(l.stdout, `"deployed": "no"`) {
			t.Errorf("list after onboarding: %s", l)
		}
		for _, mode := range [][]string{{"--inventory", inv}, {"--discover"}} {
			w.expectPasses(w.settledReport(append([]string{w.tenant}, mode...)...), mode[0])
		}
		w.fleetReports()
		// Onboarding again with the same inputs changes nothing.
		if again := w.tenantctl(onboard...); again.code != r.code {
			t.Errorf("onboard again: exit %d, first time %d: %s", again.code, r.code, again)
		}
	})

	ts.RunTestStage(t, "violations", func() {
		t.Log("violations: each promise broken in the account with the SDK, its check must FAIL, then restored")
		w.violate(ctx, w.inventory(w.tenant), false)
		w.expectPasses(w.settledReport(w.tenant, "--inventory", w.inventory(w.tenant)), "after the violations")
	})

	ts.RunTestStage(t, "drift", func() {
		t.Log("drift: injected with the SDK, found by verify and by preview --refresh")
		w.injectDrift(ctx, w.inventory(w.tenant))
		if !w.target.real {
			w.secretsKept(w.tenant, w.onboarded, "after the drift check and repair")
		}
	})

	ts.RunTestStage(t, "change", func() {
		t.Log("a config change: another ingress range, another app port, another zone")
		w.changeConfig(ctx)
		if !w.target.real {
			w.secretsKept(w.tenant, w.onboarded, "after the change")
		}
	})

	ts.RunTestStage(t, "offboard", func() {
		t.Log("offboarding: cancel, suspend, delete, destroy, leftovers")
		w.offboard()
	})
}

// teardown deletes the tenant when a stage failed before offboarding did.
func (w *world) teardown() {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.work, "stacks", "Pulumi."+w.tenant+".yaml"))
	if err != nil || strings.Contains(string(b), "state: deleted") {
		return
	}
	today := lifecycle.Today(clock.Now()).String()
	w.tenantctl("offboard", w.tenant, "--cancelled-on", today)
	if r := w.tenantctl("offboard", "delete", w.tenant, "--yes", "--force"); r.code != 0 {
		w.t.Errorf("teardown: offboard delete: %s", r)
	}
}

// settledReport is verify's report; against a real account it is retried
// while AWS settles (trail status, flow logs, Inspector).
func (w *world) settledReport(args ...string) *verify.Report {
	w.t.Helper()
	rep, _ := w.verifyReport(args...)
	if !w.target.real {
		return rep
	}
	_, _ = retry.DoWithRetryE(w.t, "verify "+w.tenant, 5, 30*time.Second, func() (string, error) {
		rep, _ = w.verifyReport(args...)
		if rep.Status != catalog.Pass {
			return "", fmt.Errorf("status %s", rep.Status)
		}
		return "", nil
	})
	return rep
}

// assumeDeployer makes the deployer role and runs everything after as it.
func (w *world) assumeDeployer(ctx context.Context) {
	w.t.Helper()
	id, err := sts.NewFromConfig(w.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		w.t.Fatal(err)
	}
	w.target.account = aws.ToString(id.Account)
	// The pipelines' roles the example baseline names as the fleet's
	// defaults (tenantDeployerPrincipalArns, tenantRefreshPrincipalArns).
	arns := []string{w.createRole(ctx, "tenantkit-deploy"), w.createRole(ctx, "tenantkit-drift")}
	w.driftRole = arns[1]
	for k, v := range w.credentialsOf(ctx, arns[0]) {
		w.env = append(w.env, k+"="+v)
		w.t.Setenv(k, v)
	}
}

// createRole makes a role of the pipelines' path, /tenantkit-pipeline/, that the
// account may assume, and returns its ARN.
func (w *world) createRole(ctx context.Context, name string) string {
	w.t.Helper()
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, w.target.account)
	role, err := iam.NewFromConfig(w.cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), Path: aws.String("/tenantkit-pipeline/"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		w.t.Fatal(err)
	}
	return aws.ToString(role.Role.Arn)
}

// roleArn is a pipeline role's ARN in the world's account.
func (w *world) roleArn(name string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/tenantkit-pipeline/%s", w.target.account, name)
}

// policyChangers reads the baseline key's policy and the shared archive's
// bucket policy back from the account and puts them to the IAM evaluator
// (tests/iameval): each role in want, holding an identity policy that
// allows everything, may or may not change them as said; an account
// administrator never may. Neither deployer is locked out while it is
// one, and the bootstrap role keeps no way in once dropped.
func (w *world) policyChangers(when string, want map[string]bool) {
	w.t.Helper()
	ctx := context.Background()
	out := w.pulumi("stack", "output", "baseline", "--json", "--stack", "tokyo", "--cwd", filepath.Join(w.work, "baseline"))
	var outputs struct {
		KeyArn    string `json:"keyArn"`
		AccountID string `json:"accountId"`
	}
	if err := json.Unmarshal([]byte(out.stdout), &outputs); out.code != 0 || err != nil {
		w.t.Fatalf("%s: the baseline's outputs: %v %s", when, err, out)
	}
	kp, err := kms.NewFromConfig(w.cfg).GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(outputs.KeyArn), PolicyName: aws.String("default")})
	if err != nil {
		w.t.Fatal(err)
	}
	archive := expect.BucketName(expect.BaselineID, expect.RoleLogArchive, outputs.AccountID)
	bp, err := s3.NewFromConfig(w.cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(archive)})
	if err != nil {
		w.t.Fatal(err)
	}
	allowAll := json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	admin := w.roleArn("account-admin")
	principals := map[string]bool{admin: false}
	for p, ok := range want {
		principals[p] = ok
	}
	var sims []iameval.Named
	var expected []bool
	for p, ok := range principals {
		role := p[strings.LastIndex(p, "/")+1:]
		session := fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/day-zero", outputs.AccountID, role)
		for _, r := range []struct{ action, resource, policy string }{
			{"kms:PutKeyPolicy", outputs.KeyArn, aws.ToString(kp.Policy)},
			{"s3:PutBucketPolicy", "arn:aws:s3:::" + archive, aws.ToString(bp.Policy)},
		} {
			// As tests/iameval's requests: the session, its role's ARN and
			// account, over TLS.
			c := map[string]any{"aws:PrincipalArn": p, "aws:PrincipalAccount": outputs.AccountID, "aws:SecureTransport": "true"}
			if strings.HasPrefix(r.action, "s3:") {
				c["s3:TlsVersion"] = "1.3"
			}
			sims = append(sims, iameval.Named{Name: fmt.Sprintf("%s %s on %s", role, r.action, r.resource), Simulation: iameval.Simulation{
				IdentityPolicies: []iameval.NamedPolicy{{Name: "allow-all", Policy: allowAll}}, SCPs: []any{}, RCPs: []any{},
				ResourcePolicy: json.RawMessage(r.policy),
				Request: iameval.Request{Principal: session, Action: r.action, Resource: iameval.Resource{Resource: r.resource, AccountID: outputs.AccountID},
					Context: c},
			}})
			expected = append(expected, ok)
		}
	}
	got, err := iameval.Evaluate(sims)
	if err != nil {
		w.t.Fatal(err)
	}
	for i, o := range got {
		if (o.Result == "Allowed") != expected[i] || o.Error != "" {
			w.t.Errorf("%s: %s: %s %s, want allowed=%v", when, o.Name, o.Result, o.Error, expected[i])
		}
	}
}

// credentialsOf is a session of a role, as the environment variables the
// SDKs and Pulumi read.
func (w *world) credentialsOf(ctx context.Context, role string) map[string]string {
	w.t.Helper()
	creds, err := sts.NewFromConfig(w.cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("journey")})
	if err != nil {
		w.t.Fatal(err)
	}
	return map[string]string{"AWS_ACCESS_KEY_ID": aws.ToString(creds.Credentials.AccessKeyId),
		"AWS_SECRET_ACCESS_KEY": aws.ToString(creds.Credentials.SecretAccessKey), "AWS_SESSION_TOKEN": aws.ToString(creds.Credentials.SessionToken)}
}

// as runs f with the process's credentials those of role (the inline
// programs run in this process, their CLI and plugins in children that
// inherit its environment), then puts the deployer's back.
func (w *world) as(ctx context.Context, role string, f func()) {
	w.t.Helper()
	creds := w.credentialsOf(ctx, role)
	before := map[string]string{}
	for k, v := range creds {
		before[k] = os.Getenv(k)
		os.Setenv(k, v)
	}
	defer func() {
		for k, v := range before {
			os.Setenv(k, v)
		}
	}()
	f()
}

// secretsKept: the stack's state holds the secrets provider its file
// names, with the very data key onboarding wrote there (so the CLI took
// the key as it was), and the file is as onboarding left it.
func (w *world) secretsKept(stack string, onboarded stackfile.Secrets, when string) {
	w.t.Helper()
	file, err := stackfile.ReadSecrets(stackfile.Path(filepath.Join(w.work, "stacks"), stack))
	if err != nil || file != onboarded {
		w.t.Errorf("%s: the stack file's secrets %+v (%v), onboarding wrote %+v", when, file, err, onboarded)
	}
	r := w.pulumi("stack", "export", "--stack", stack)
	var st struct {
		Deployment struct {
			SecretsProviders struct {
				Type  string `json:"type"`
				State struct {
					URL          string `json:"url"`
					EncryptedKey string `json:"encryptedkey"`
				} `json:"state"`
			} `json:"secrets_providers"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || err != nil {
		w.t.Fatalf("%s: stack export: %v %s", when, err, r)
	}
	sp := st.Deployment.SecretsProviders
	if sp.Type != "cloud" || sp.State.URL != onboarded.Provider || sp.State.EncryptedKey != onboarded.EncryptedKey {
		w.t.Errorf("%s: the state's secrets provider %+v, want the cloud provider %s with onboarding's data key", when, sp, onboarded.Provider)
	}
}

// createSingletons makes what an account already holds: the Auto Scaling
// service-linked role (made by AWS on the first group), a GuardDuty
// detector enabled from the console (six-hour publishing by default) and
// the Session Manager preferences document (made on the first visit to
// its preferences page).
func (w *world) createSingletons(ctx context.Context) string {
	w.t.Helper()
	if _, err := iam.NewFromConfig(w.cfg).CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com")}); err != nil {
		w.t.Fatal(err)
	}
	d, err := guardduty.NewFromConfig(w.cfg).CreateDetector(ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(true), FindingPublishingFrequency: gdtypes.FindingPublishingFrequencySixHours})
	if err != nil {
		w.t.Fatal(err)
	}
	content := `{"schemaVersion":"1.0","description":"Document to hold regional settings for Session Manager","sessionType":"Standard_Stream","inputs":{"s3BucketName":"","s3KeyPrefix":"","s3EncryptionEnabled":true,"cloudWatchLogGroupName":"","cloudWatchEncryptionEnabled":true,"cloudWatchStreamingEnabled":true,"kmsKeyId":"","runAsEnabled":false,"runAsDefaultUser":"","idleSessionTimeout":"20","maxSessionDuration":"","shellProfile":{"windows":"","linux":""}}}`
	if _, err := ssm.NewFromConfig(w.cfg).CreateDocument(ctx, &ssm.CreateDocumentInput{Name: aws.String(baseline.SessionDocument), Content: aws.String(content),
		DocumentType: ssmtypes.DocumentTypeSession, DocumentFormat: ssmtypes.DocumentFormatJson}); err != nil {
		w.t.Fatal(err)
	}
	return aws.ToString(d.DetectorId)
}

// checkAdopted: the adopted singletons are the same resources, now with
// the declared settings.
func (w *world) checkAdopted(ctx context.Context, detector string) {
	w.t.Helper()
	l, err := guardduty.NewFromConfig(w.cfg).ListDetectors(ctx, &guardduty.ListDetectorsInput{})
	if err != nil || len(l.DetectorIds) != 1 || l.DetectorIds[0] != detector {
		w.t.Fatalf("detectors after adoption: %v %v, want only %s", l, err, detector)
	}
	d, err := guardduty.NewFromConfig(w.cfg).GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(detector)})
	if err != nil || d.FindingPublishingFrequency != gdtypes.FindingPublishingFrequencyFifteenMinutes {
		w.t.Errorf("the adopted detector publishes %v (%v), want FIFTEEN_MINUTES", d.FindingPublishingFrequency, err)
	}
	doc, err := ssm.NewFromConfig(w.cfg).GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String(baseline.SessionDocument)})
	if err != nil || !strings.Contains(aws.ToString(doc.Content), "/tenantkit/session-manager") {
		w.t.Errorf("the adopted preferences: %v %v", doc, err)
	}
}

// setBaselineConfig sets keys in the baseline's stack file.
func (w *world) setBaselineConfig(kv map[string]string) {
	w.t.Helper()
	path := filepath.Join(w.work, "baseline", "Pulumi.tokyo.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		w.t.Fatal(err)
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := string(b)
	for _, k := range keys {
		line := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(k) + `:.*\n`)
		if line.MatchString(s) {
			s = line.ReplaceAllLiteralString(s, fmt.Sprintf("  %s: %s\n", k, kv[k]))
		} else {
			s += fmt.Sprintf("  %s: %s\n", k, kv[k])
		}
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// certificate is the listener's certificate, issued in the account.
func (w *world) certificate(ctx context.Context) string {
	w.t.Helper()
	if w.target.real {
		return os.Getenv("TENANTKIT_E2E_CERTIFICATE_ARN")
	}
	out, err := acm.NewFromConfig(w.cfg).RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String(w.tenant + ".example.co.jp")})
	if err != nil {
		w.t.Fatal(err)
	}
	return aws.ToString(out.CertificateArn)
}

// expectPasses: every check passes (or does not apply, or is not due yet
// on instances minutes old) except the ones moto cannot show, which must
// be ERROR. Every PASS observation names what it read and the expected
// value it compared that with (#32: no PASS for a setting merely present).
func (w *world) expectPasses(rep *verify.Report, mode string) {
	w.t.Helper()
	excused := motoCannotShow
	if w.target.real {
		excused = nil // AWS shows everything
	}
	for _, c := range rep.Controls {
		for _, ch := range c.Checks {
			why, cannot := excused[ch.ID]
			switch {
			case cannot && ch.Status == catalog.Pass:
				w.t.Errorf("%s %s: PASS against moto, which cannot show it (%s): remove it from motoCannotShow", mode, ch.ID, why)
			case cannot && ch.Status != catalog.Error:
				w.t.Errorf("%s %s: %s, want ERROR (%s): %+v", mode, ch.ID, ch.Status, why, ch.Observations)
			case !cannot && ch.Status != catalog.Pass && ch.Status != catalog.NA && ch.Status != catalog.Pending:
				w.t.Errorf("%s %s: %s on a correctly built tenant: %+v", mode, ch.ID, ch.Status, ch.Observations)
			}
			for _, o := range ch.Observations {
				if o.Status == catalog.Pass && (strings.TrimSpace(o.Expected) == "" || strings.TrimSpace(o.Observed) == "") {
					w.t.Errorf("%s %s: a PASS of %q without an observed value compared with an expected one: %+v", mode, ch.ID, o.Resource, o)
				}
			}
		}
	}
}

// failing lists the checks a report FAILs.
func failing(rep *verify.Report) []string {
	var out []string
	for _, c := range rep.Controls {
		for _, ch := range c.Checks {
			if ch.Status == catalog.Fail {
				out = append(out, ch.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// injectDrift changes what an administrator could change by hand, then
// expects verify to FAIL naming each control and preview --refresh to see
// what Pulumi manages; a redeploy repairs what Pulumi manages.
func (w *world) injectDrift(ctx context.Context, invPath string) {
	w.t.Helper()
	invBytes, err := os.ReadFile(invPath)
	if err != nil {
		w.t.Fatal(err)
	}
	inv, err := verify.ParseInventory(invBytes)
	if err != nil {
		w.t.Fatal(err)
	}
	e := ec2.NewFromConfig(w.cfg)
	ssh, err := e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(inv.SecurityGroups["app"]),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
	if err != nil {
		w.t.Fatal(err)
	}
	s3c := s3.NewFromConfig(w.cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: aws.String(inv.Buckets.Data["personal"])}); err != nil {
		w.t.Fatal(err)
	}
	trail := cloudtrail.NewFromConfig(w.cfg)
	trailName := inv.Trail.Arn[strings.LastIndex(inv.Trail.Arn, "/")+1:]
	if _, err := trail.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(trailName)}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := kms.NewFromConfig(w.cfg).DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(inv.KeyArn)}); err != nil {
		w.t.Fatal(err)
	}
	subnet := inv.SubnetIDs[0]
	if _, err := e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(subnet), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		w.t.Fatal(err)
	}
	rep, r := w.verifyReport(w.tenant, "--inventory", invPath)
	if r.code != 1 {
		w.t.Errorf("verify after drift: exit %d, want 1 (FAIL)", r.code)
	}
	got := failing(rep)
	for _, want := range []string{"WP-18/no-ssh-rdp", "WP-21.1/bucket-encryption", "WP-27/trail", "WP-21.1/key-rotation", "WP-20.4/subnets"} {
		if !slices.Contains(got, want) {
			w.t.Errorf("drift: %s does not FAIL (failing: %v)", want, got)
		}
	}
	// Pulumi sees what it manages: the encryption configuration gone, the
	// key's rotation, the subnet's mapping, the baseline's trail stopped.
	// The extra SSH rule is no resource of the stack: refresh cannot see
	// it (verify does).
	tenantStack := w.tenantStack()
	if changes, err := tenantStack.Drift(ctx, w.tenant); err == nil {
		w.t.Errorf("preview --refresh --expect-no-changes of %s passed after drift: %v", w.tenant, changes)
	} else if n := changes["update"] + changes["create"] + changes["replace"]; n < 3 {
		w.t.Errorf("preview --refresh saw %v, want the encryption, rotation and subnet at least", changes)
	}
	base := w.baselineStack()
	if changes, err := base.Drift(ctx, "tokyo"); err == nil {
		w.t.Errorf("the baseline's drift check passed with its trail stopped: %v", changes)
	}
	// Repair: the operator revokes the hand-made rule and redeploys.
	if _, err := e.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(inv.SecurityGroups["app"]),
		SecurityGroupRuleIds: []string{aws.ToString(ssh.SecurityGroupRules[0].SecurityGroupRuleId)}}); err != nil {
		w.t.Fatal(err)
	}
	if err := base.Repair(ctx, "tokyo"); err != nil {
		w.t.Fatalf("baseline up --refresh after drift: %v", err)
	}
	if err := tenantStack.Repair(ctx, w.tenant); err != nil {
		w.t.Fatalf("up --refresh after drift: %v", err)
	}
	if changes, err := tenantStack.Drift(ctx, w.tenant); err != nil {
		w.t.Errorf("drift after the repair: %v %v", changes, err)
	}
	w.expectPasses(w.settledReport(w.tenant, "--inventory", w.inventory(w.tenant)), "after the repair")
}

// changeConfig: what once failed every deploy (NACL entry numbers moving
// under a new range, zone or port) now deploys cleanly.
func (w *world) changeConfig(ctx context.Context) {
	w.t.Helper()
	for _, args := range [][]string{
		{"config", "set", "--path", "tenantkit:ingressCidrs[1]", "192.0.2.0/24"},
		{"config", "set", "tenantkit:appPort", "9090"},
	} {
		if r := w.pulumi(append(args, "--stack", w.tenant)...); r.code != 0 {
			w.t.Fatalf("pulumi %v: %s", args, r)
		}
	}
	zones := w.pulumi("config", "get", "tenantkit:availabilityZoneIds", "--stack", w.tenant, "--json")
	if zones.code != 0 {
		w.t.Fatalf("zones: %s", zones)
	}
	n := strings.Count(zones.stdout, "apne1-az")
	if n < 3 {
		if r := w.pulumi("config", "set", "--path", fmt.Sprintf("tenantkit:availabilityZoneIds[%d]", n), missingZone(zones.stdout), "--stack", w.tenant); r.code != 0 {
			w.t.Fatalf("add a zone: %s", r)
		}
	}
	stack := w.tenantStack()
	if _, err := stack.Up(ctx, w.tenant); err != nil {
		w.t.Fatalf("up after the config change: %v", err)
	}
	if changes, err := stack.Drift(ctx, w.tenant); err != nil {
		w.t.Errorf("a second look after the change: %v %v", changes, err)
	}
	w.expectPasses(w.settledReport(w.tenant, "--inventory", w.inventory(w.tenant)), "after the config change")
}

func missingZone(have string) string {
	for _, z := range []string{"apne1-az1", "apne1-az2", "apne1-az4"} {
		if !strings.Contains(have, z) {
			return z
		}
	}
	return "apne1-az4"
}

// offboard runs §10 through tenantctl: the cancellation yesterday (JST),
// suspension today, deletion, and each step again.
func (w *world) offboard() {
	w.t.Helper()
	today := lifecycle.Today(clock.Now())
	steps := [][]string{
		{"offboard", w.tenant, "--cancelled-on", today.String()},
		{"offboard", "suspend", w.tenant, "--yes"},
	}
	for _, s := range steps {
		if r := w.tenantctl(s...); r.code != 0 {
			w.t.Fatalf("%v: %s", s, r)
		}
	}
	inv := w.inventory(w.tenant)
	rep, _ := w.verifyReport(w.tenant, "--inventory", inv)
	for _, c := range rep.Controls {
		if c.ID == "WP-10" && c.Status != catalog.Pass {
			w.t.Errorf("suspended, WP-10 is %s: %+v", c.Status, c.Checks)
		}
	}
	if !w.target.real {
		w.secretsKept(w.tenant, w.onboarded, "after the suspension")
	}
	// A suspended tenant's promise broken, one way at a time.
	w.violate(context.Background(), inv, true)
	if c := w.tenantctl("evidence", "certificate", w.tenant, "--out-dir", filepath.Join(w.t.TempDir(), "early")); c.code != 2 || !strings.Contains(c.stderr, "no applied deletion") {
		w.t.Errorf("a deletion certificate before the deletion: %s", c)
	}
	r := w.tenantctl("offboard", "delete", w.tenant, "--yes")
	if r.code != 0 {
		w.t.Fatalf("offboard delete: %s", r)
	}
	if !w.target.real {
		w.deletionCertificate()
	}
	// Re-running is harmless: the tenant is deleted, the command says so.
	again := w.tenantctl("offboard", "delete", w.tenant, "--yes")
	if again.code == 0 || again.code == 1 {
		w.t.Errorf("delete of a deleted tenant: %s, want a refusal (2) that changes nothing", again)
	}
}

// The real target's skip names everything it needs.
func TestRealTargetSaysWhatItNeeds(t *testing.T) {
	for _, k := range []string{"TENANTKIT_E2E", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "TENANTKIT_E2E_CERTIFICATE_ARN", "PULUMI_BACKEND_URL"} {
		t.Setenv(k, "")
	}
	msg := realNeeds()
	for _, want := range []string{"TENANTKIT_E2E=1", "AWS credentials", "TENANTKIT_E2E_CERTIFICATE_ARN", "PULUMI_BACKEND_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("skip message %q lacks %q", msg, want)
		}
	}
}

// discoveryFindsTheInventory: what verify --discover finds by tags and
// names is what the program exported, but for the deployers, which only
// the program knows (discovery allows the deploy's caller instead).
func (w *world) discoveryFindsTheInventory(ctx context.Context, invPath string) {
	w.t.Helper()
	b, err := os.ReadFile(invPath)
	if err != nil {
		w.t.Fatal(err)
	}
	exported, err := verify.ParseInventory(b)
	if err != nil {
		w.t.Fatal(err)
	}
	cfg, _, err := stackfile.Load(filepath.Join(w.work, "stacks"), w.tenant)
	if err != nil {
		w.t.Fatal(err)
	}
	awsCfg, err := verify.LoadConfigTimeout(ctx, cfg.Region, w.target.endpoint, nil, 30*time.Second)
	if err != nil {
		w.t.Fatal(err)
	}
	found, err := verify.Discover(ctx, &verify.Finder{STS: sts.NewFromConfig(awsCfg), EC2: ec2.NewFromConfig(awsCfg),
		ELB: elbv2.NewFromConfig(awsCfg), KMS: kms.NewFromConfig(awsCfg)}, cfg)
	if err != nil {
		w.t.Fatalf("discover: %v", err)
	}
	if found.DeployerFromCaller || !slices.Equal(found.Deployers, cfg.DeployerPrincipalArns) || len(cfg.DeployerPrincipalArns) == 0 {
		w.t.Errorf("discovery of a stack naming its deployers %v: deployers %v, from caller %v", cfg.DeployerPrincipalArns, found.Deployers, found.DeployerFromCaller)
	}
	norm := func(inv *verify.Inventory) string {
		c := *inv
		c.Deployers, c.DeployerFromCaller = nil, false
		for _, l := range [][]string{c.SubnetIDs, c.LogGroups, c.Alarms, c.Trail.Coverage} {
			sort.Strings(l)
		}
		j, _ := json.MarshalIndent(c, "", " ")
		return string(j)
	}
	if a, b := norm(exported), norm(found); a != b {
		w.t.Errorf("discovery finds another inventory than the program exported:\nexported %s\nfound %s", a, b)
	}
}

// deletionCertificate (#37 item 7): after the deletion, its certificate in
// both languages, sealed with the evidence key, kept in the evidence
// bucket, and checking with the published key.
func (w *world) deletionCertificate() {
	w.t.Helper()
	dir := filepath.Join(w.t.TempDir(), "certificate")
	r := w.tenantctl("evidence", "certificate", w.tenant, "--out-dir", dir, "--sign-key", evidenceKey,
		"--upload", "s3://"+evidenceBucket(w.target.account)+"/certificates/"+w.tenant)
	if r.code != 0 {
		w.t.Fatalf("evidence certificate: %s", r)
	}
	ja, _ := os.ReadFile(filepath.Join(dir, w.tenant+"-deletion.ja.md"))
	en, _ := os.ReadFile(filepath.Join(dir, w.tenant+"-deletion.en.md"))
	for _, want := range []string{"# 削除証明書：テナント " + w.tenant, "## 保持するもの", "tk-" + w.tenant + "-log-archive", "## 残存確認"} {
		if !strings.Contains(string(ja), want) {
			w.t.Errorf("the Japanese certificate lacks %q:\n%s", want, ja)
		}
	}
	if !strings.Contains(string(en), "# Deletion certificate: tenant "+w.tenant) {
		w.t.Errorf("the English certificate:\n%s", en)
	}
	w.keptUnderLock(dir, evidenceBucket(w.target.account), "certificates/"+w.tenant)
	fp := regexp.MustCompile(`--fingerprint ([0-9a-f]{64})`).FindStringSubmatch(r.stdout)
	if fp == nil {
		w.t.Fatalf("no fingerprint said: %s", r)
	}
	if c := w.tenantctl("evidence", "verify", dir, "--fingerprint", fp[1]); c.code != 0 {
		w.t.Errorf("evidence verify of the certificate: %s", c)
	}
}
