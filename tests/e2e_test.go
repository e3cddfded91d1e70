package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/retry"
	ts "github.com/gruntwork-io/terratest/modules/test-structure"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/deploy"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
	"github.com/tenantkit/tenantkit/internal/verify"
)

// realAccountNeeds says what the real-account test needs, or "" when it has
// it all.
func realAccountNeeds() string {
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
	if _, err := exec.LookPath("pulumi"); err != nil {
		missing = append(missing, "the Pulumi CLI on PATH, logged in (pulumi login), with the aws plugin v6.83.4")
	}
	if len(missing) == 0 {
		return ""
	}
	return "needs " + strings.Join(missing, "; ")
}

// TestRealAccount deploys a tenant with a unique suffix through the
// Automation API, proves every control on the live account, checks that a
// preview after up changes nothing, and destroys it. Stages can be skipped
// with SKIP_deploy, SKIP_validate, SKIP_teardown (Terratest's convention);
// the work directory is kept in TENANTKIT_E2E_DIR between runs. Run with a
// generous timeout: go test ./tests -run TestRealAccount -timeout 90m
func TestRealAccount(t *testing.T) {
	if why := realAccountNeeds(); why != "" {
		t.Skip("real-account test skipped: " + why)
	}
	ctx := context.Background()
	work := os.Getenv("TENANTKIT_E2E_DIR")
	if work == "" {
		work = t.TempDir()
	}
	stackFile := filepath.Join(work, ".tenantkit-e2e-stack")

	// Declared first, so a failed deploy or validation still tears down.
	defer ts.RunTestStage(t, "teardown", func() {
		name := readStack(t, stackFile)
		// Offboard as the lifecycle does: state deleting (deletion protection
		// off, buckets may be emptied), up, destroy, remove the stack.
		dir := filepath.Join(work, "stacks")
		cfg, _, err := stackfile.Load(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		today := lifecycle.Today(time.Now())
		s := lifecycle.ScheduleFor(today)
		cfg.Lifecycle = config.Lifecycle{State: config.StateDeleting, CancelledOn: s.CancelledOn.String(), SuspendOn: s.SuspendOn.String(), DeleteBy: s.DeleteBy.String()}
		if _, _, err := stackfile.Write(dir, cfg); err != nil {
			t.Fatal(err)
		}
		d := &deploy.Local{WorkDir: work, Out: testWriter{t}}
		if _, err := d.Up(ctx, name); err != nil {
			t.Fatalf("up before destroy: %v", err)
		}
		if err := d.Destroy(ctx, name); err != nil {
			t.Fatalf("destroy: %v", err)
		}
		if err := d.Remove(ctx, name); err != nil {
			t.Fatalf("remove stack: %v", err)
		}
		t.Logf("the log archive %s stays under GOVERNANCE Object Lock for a day; delete it with the log-admin role afterwards", "tk-"+name+"-log-archive-<account>")
	})

	ts.RunTestStage(t, "deploy", func() {
		cfg := testkit.Load(t, "acme")
		cfg.TenantID = "e2e-" + strings.ToLower(random.UniqueId())
		cfg.CertificateArn = os.Getenv("TENANTKIT_E2E_CERTIFICATE_ARN")
		cfg.ObjectLockMode, cfg.ObjectLockDays = "GOVERNANCE", 1 // test archives can be removed a day later
		cfg.KeyDeletionWindowDays = 7
		cfg.Capacity = config.Capacity{Min: 1, Max: 1, Desired: 1}
		cfg.VpcCidr = "10.250.0.0/20"
		if err := copyProject(testkit.StacksDir()+"/..", work); err != nil {
			t.Fatal(err)
		}
		if _, _, err := stackfile.Write(filepath.Join(work, "stacks"), cfg); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(stackFile, []byte(cfg.TenantID), 0o644); err != nil {
			t.Fatal(err)
		}
		d := &deploy.Local{WorkDir: work, Out: testWriter{t}}
		if _, err := d.Preview(ctx, cfg.TenantID); err != nil {
			t.Fatalf("preview: %v", err)
		}
		if _, err := d.Up(ctx, cfg.TenantID); err != nil {
			t.Fatalf("up: %v", err)
		}
	})

	ts.RunTestStage(t, "validate", func() {
		name := readStack(t, stackFile)
		s, err := auto.SelectStackLocalSource(ctx, name, work)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := s.Outputs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]any{"inventory": outs["inventory"].Value})
		invFile := filepath.Join(work, "inventory.json")
		if err := os.WriteFile(invFile, b, 0o644); err != nil {
			t.Fatal(err)
		}
		// Some settings take a while to show (trail status, Inspector, flow
		// logs): retry the whole verification a few times before judging.
		var report *verify.Report
		_, _ = retry.DoWithRetryE(t, "verify "+name, 5, 30*time.Second, func() (string, error) {
			var code int
			report, code = verify.Verify(ctx, verify.Options{Tenant: name, Inventory: invFile, StacksDir: filepath.Join(work, "stacks"), Parallel: 8}, os.Stderr)
			if report == nil {
				return "", retry.FatalError{Underlying: fmt.Errorf("verify: exit %d", code)}
			}
			if report.Status != catalog.Pass {
				return "", fmt.Errorf("status %s", report.Status)
			}
			return "", nil
		})
		if report == nil {
			t.Fatal("verify could not run")
		}
		f, _ := os.Create(filepath.Join(work, "evidence-"+name+".json"))
		_ = report.Write(f, "json")
		f.Close()
		for _, c := range report.Controls {
			if c.Status != catalog.Pass && c.Status != catalog.NA {
				t.Errorf("%s: %s %+v", c.ID, c.Status, c.Findings)
			}
		}
		if _, err := s.Preview(ctx, optpreview.ExpectNoChanges()); err != nil {
			t.Errorf("a preview after up shows changes (drift or a non-idempotent program): %v", err)
		}
	})
}

func readStack(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no deployed stack recorded in %s (run the deploy stage first): %v", path, err)
	}
	return strings.TrimSpace(string(b))
}

// copyProject copies what the Pulumi program needs (not .git, tests or the
// example stacks) into dir.
func copyProject(root, dir string) error {
	root, _ = filepath.Abs(root)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == ".git" || rel == "tests" || rel == ".bin" || rel == "evidence") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if strings.HasPrefix(rel, "stacks"+string(filepath.Separator)) {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(filepath.Join(dir, rel))
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// The skip message names everything the real test needs.
func TestRealAccountSkipMessage(t *testing.T) {
	for _, k := range []string{"TENANTKIT_E2E", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "TENANTKIT_E2E_CERTIFICATE_ARN"} {
		t.Setenv(k, "")
	}
	msg := realAccountNeeds()
	for _, want := range []string{"TENANTKIT_E2E=1", "AWS credentials", "TENANTKIT_E2E_CERTIFICATE_ARN"} {
		if !strings.Contains(msg, want) {
			t.Errorf("skip message %q lacks %q", msg, want)
		}
	}
}
