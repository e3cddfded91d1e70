package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
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
	weekAgo := time.Now().In(lifecycle.JST).AddDate(0, 0, -7).Format(time.DateOnly)
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
