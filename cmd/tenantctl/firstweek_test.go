package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// #23, an operator's first week, through the built binary.

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatal(err)
	return -1
}

// Item 6: an overdue offboarding fails loudly: warned about when the late
// date is recorded, WP-10 FAIL in the plan, list exit 1.
func TestOverdueOffboardingThroughTheBinary(t *testing.T) {
	_, stacks, evidence := workspace(t)
	weekAgo := clock.Now().In(lifecycle.JST).AddDate(0, 0, -7).Format(time.DateOnly)
	out, err := tenantctl(stacks, evidence, "offboard", "acme", "--cancelled-on", weekAgo).CombinedOutput()
	if code := exitCode(t, err); code != cli.ExitOK || !strings.Contains(string(out), "DEADLINE MISSED: tenant acme: suspension was due on") {
		t.Errorf("offboard --cancelled-on a week ago: exit %d\n%s", code, out)
	}
	out, err = exec.Command(binary, "plan", "acme", "--stacks-dir", stacks).CombinedOutput()
	if code := exitCode(t, err); code != cli.ExitFail || !strings.Contains(string(out), "WP-10") || !strings.Contains(string(out), "suspension was due on") {
		t.Errorf("plan of an overdue tenant: exit %d\n%s", code, out)
	}
	out, err = exec.Command(binary, "list", "--stacks-dir", stacks).CombinedOutput()
	if code := exitCode(t, err); code != cli.ExitFail || !strings.Contains(string(out), "DEADLINE MISSED: tenant acme") {
		t.Errorf("list with an overdue tenant: exit %d\n%s", code, out)
	}
}

// Item 12: a misspelt namespace and a contradicting provider region are
// bad input (exit 2) naming the key and the fix.
func TestMisleadingKeysThroughTheBinary(t *testing.T) {
	for line, want := range map[string]string{
		"  tenantkt:appPort: \"8443\"\n": "write tenantkit:appPort",
		"  aws:region: us-east-1\n":      `aws:region = "us-east-1" contradicts tenantkit:region`,
	} {
		_, stacks, _ := workspace(t)
		path := stackfile.Path(stacks, "acme")
		b, _ := os.ReadFile(path)
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), "config:\n", "config:\n"+line, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(binary, "plan", "acme", "--stacks-dir", stacks).CombinedOutput()
		if code := exitCode(t, err); code != cli.ExitBadInput || !strings.Contains(string(out), want) {
			t.Errorf("plan with %q: exit %d\n%s", line, code, out)
		}
	}
}

// Item 12: --cidr-prefix says the range it takes, and refuses what it
// does not take under its own name (24 was refused as "--cidr").
func TestCidrPrefixSaysItsRange(t *testing.T) {
	_, stacks, evidence := workspace(t)
	help, _ := exec.Command(binary, "onboard", "--help").CombinedOutput()
	if !strings.Contains(string(help), "--cidr-prefix int") || !strings.Contains(string(help), "(16 to 23)") {
		t.Errorf("onboard --help:\n%s", help)
	}
	out, err := tenantctl(stacks, evidence, "onboard", "newco", "--no-deploy", "--cidr-prefix", "24", "--ingress-cidrs", "198.51.100.0/24", "--alert-emails", "secops@example.co.jp",
		"--certificate-arn", "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0").CombinedOutput()
	if code := exitCode(t, err); code != cli.ExitBadInput || !strings.Contains(string(out), "--cidr-prefix 24: use 16 to 23") {
		t.Errorf("--cidr-prefix 24: exit %d\n%s", code, out)
	}
}

// Item 10: a build that names no commit says so in its version and in
// every evidence entry it writes; version --help prints help.
func TestUntraceableBuildSaysSo(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "tenantctl")
	if out, err := exec.Command("go", append(append([]string{"build"}, clock.BuildFlags()...), "-buildvcs=false", "-o", bin, ".")...).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, _ := exec.Command(bin, "version").CombinedOutput()
	if !strings.Contains(string(out), cli.Untraceable) {
		t.Errorf("version of a build without a commit: %s", out)
	}
	_, stacks, evidence := workspace(t)
	if out, err := exec.Command(bin, "offboard", "acme", "--cancelled-on", today(), "--stacks-dir", stacks, "--evidence-dir", evidence).CombinedOutput(); err != nil {
		t.Fatalf("offboard: %v\n%s", err, out)
	}
	ev, err := lifecycle.ReadEvidence(evidence, "acme")
	if err != nil || len(ev.Entries) == 0 || !strings.HasPrefix(ev.Entries[0].ToolVersion, cli.Untraceable) {
		t.Errorf("evidence of an untraceable build: %+v %v", ev, err)
	}
	out, err = exec.Command(bin, "version", "--help").CombinedOutput()
	if exitCode(t, err) != cli.ExitOK || !strings.Contains(string(out), "usage:\n  tenantctl version") {
		t.Errorf("version --help: %s", out)
	}
}

// Item 9: after --no-deploy, onboarding names every next step, the
// baseline's first for a tenant in the shared trail mode.
func TestOnboardingNamesTheBaselineStep(t *testing.T) {
	_, stacks, evidence := workspace(t)
	out, err := tenantctl(stacks, evidence, "onboard", "newco", "--no-deploy", "--ingress-cidrs", "198.51.100.0/24", "--alert-emails", "secops@example.co.jp",
		"--certificate-arn", "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0").CombinedOutput()
	if exitCode(t, err) != cli.ExitOK || !strings.Contains(string(out), "1. deploy the account baseline") || !strings.Contains(string(out), "2. tenantctl onboard newco") {
		t.Errorf("onboard --no-deploy:\n%s", out)
	}
}

// Item 12: a region outside Japan is said alone, not after a certificate
// "in the wrong region" (the certificate was in Tokyo, which is right).
func TestRegionSaidAlone(t *testing.T) {
	_, stacks, _ := workspace(t)
	path := stackfile.Path(stacks, "acme")
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(b, []byte("  tenantkit:region: us-east-1\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binary, "plan", "acme", "--stacks-dir", stacks).CombinedOutput()
	if code := exitCode(t, err); code != cli.ExitBadInput || !strings.Contains(string(out), `tenantkit:region = "us-east-1": customer data stays in Japan`) || strings.Contains(string(out), "certificateArn") {
		t.Errorf("plan with region us-east-1: exit %d\n%s", code, out)
	}
}
