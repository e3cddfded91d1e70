package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The wrapper scripts as CI and cron call them: usage, exit codes passed
// through, a dry-run onboarding that plans clean.
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not available")
	}
	root := filepath.Join(testkit.StacksDir(), "..")
	stacks, evidence := t.TempDir(), t.TempDir()
	for _, n := range testkit.ExampleTenants(t) {
		b, _ := os.ReadFile(stackfile.Path(testkit.StacksDir(), n))
		os.WriteFile(stackfile.Path(stacks, n), b, 0o644)
	}
	script := func(name string, args ...string) (int, string) {
		cmd := exec.Command(filepath.Join(root, "scripts", name), args...)
		if clock.BuildTags != "" { // the tenantctl the script builds shares this test's clock
			cmd.Env = append(os.Environ(), "GOFLAGS=-tags="+clock.BuildTags)
		}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	base := t.TempDir()
	fleetBaseline(t, base)
	dirs := []string{"--stacks-dir", stacks, "--evidence-dir", evidence, "--baseline-dir", base}
	if code, out := script("onboard-tenant.sh"); code != 2 || !strings.Contains(out, "usage:") {
		t.Errorf("no arguments: exit %d %s", code, out)
	}
	if code, out := script("onboard-tenant.sh", append([]string{"umbrella", "--dry-run"}, dirs...)...); code != 0 || !strings.Contains(out, "every mandatory control passes") {
		t.Fatalf("dry-run onboarding: exit %d %s", code, out)
	}
	if _, err := os.Stat(stackfile.Path(stacks, "umbrella")); err == nil {
		t.Fatal("a dry-run onboarding wrote the stack file")
	}
	if code, out := script("onboard-tenant.sh", append([]string{"umbrella", "--no-deploy", "--ingress-cidrs", "198.51.100.0/24", "--alert-emails", "secops@example.co.jp",
		"--certificate-arn", "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}, dirs...)...); code != 0 || !strings.Contains(out, "every mandatory control passes") {
		t.Fatalf("onboarding without deploy: exit %d %s", code, out)
	}
	cfg, _, err := stackfile.Load(stacks, "umbrella")
	if err != nil || cfg.VpcCidr != "10.16.48.0/20" {
		t.Fatalf("written stack: %v %v", cfg, err)
	}
	if code, out := script("onboard-tenant.sh", append([]string{"umbrella", "--dry-run", "--cidr", "10.16.0.0/20"}, dirs...)...); code != 2 {
		t.Errorf("bad input: exit %d (want 2 passed through) %s", code, out)
	}
	today := clock.Now().In(lifecycle.JST).Format(time.DateOnly)
	deadline := clock.Now().In(lifecycle.JST).AddDate(0, 0, 30).Format(time.DateOnly)
	if code, out := script("offboard-tenant.sh", append([]string{"umbrella", "--cancelled-on", today}, dirs...)...); code != 0 || !strings.Contains(out, "deleted by "+deadline) {
		t.Errorf("cancel: exit %d %s", code, out)
	}
	if code, out := script("offboard-tenant.sh", append([]string{"delete", "umbrella", "--yes"}, dirs...)...); code != 2 || !strings.Contains(out, "not suspended") {
		t.Errorf("delete before suspend: exit %d %s", code, out)
	}
}
