package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

func runIn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, newFactory(&out, &errb))
	return code, out.String(), errb.String()
}

// #14 A2: every command's --help and -h exit 0 on stdout, in one layout
// generated from the command's own flags; the top-level help names every
// command and the flags operators look for.
func TestHelpForEveryCommand(t *testing.T) {
	for _, c := range commands {
		if c.Name == "help" || c.Name == "version" {
			continue
		}
		for _, h := range []string{"--help", "-h"} {
			code, out, errs := runIn(t, c.Name, h)
			if code != cli.ExitOK || errs != "" {
				t.Errorf("%s %s: exit %d, stderr %q", c.Name, h, code, errs)
			}
			for _, want := range []string{"usage:\n  tenantctl " + c.Name, "\nflags:\n", "  --", "exit codes: 0 ok"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s %s lacks %q:\n%s", c.Name, h, want, out)
				}
			}
			if strings.Contains(out, "Usage of") {
				t.Errorf("%s %s prints Go's bare usage:\n%s", c.Name, h, out)
			}
		}
		if code, out, _ := runIn(t, "help", c.Name); code != cli.ExitOK || !strings.Contains(out, "tenantctl "+c.Name) {
			t.Errorf("help %s: exit %d", c.Name, code)
		}
	}
	code, out, _ := runIn(t, "help")
	for _, want := range []string{"plan --baseline STACK", "--format text|json|markdown", "list [--format text|json|matrix]", "offboard due", "verify --all", "version"} {
		if code != cli.ExitOK || !strings.Contains(out, want) {
			t.Errorf("top-level help lacks %q (exit %d)", want, code)
		}
	}
	if code, _, errs := runIn(t, "list", "--bogus"); code != cli.ExitBadInput || !strings.Contains(errs, "tenantctl list --help") {
		t.Errorf("a bad flag: exit %d %q", code, errs)
	}
	if code, out, _ := runIn(t, "version"); code != cli.ExitOK || !strings.HasPrefix(out, "tenantctl ") {
		t.Errorf("version: exit %d %q", code, out)
	}
}

// #14 A3: onboarding's errors name the flags the operator typed, and the
// hint repeats them; a dry run leaves nothing that refuses the real run.
func TestOnboardSpeaksInFlags(t *testing.T) {
	root, stacks, evidence := workspace(t)
	dirs := []string{"--stacks-dir", stacks, "--evidence-dir", evidence, "--baseline-dir", filepath.Join(root, "baseline")}
	code, _, errs := runIn(t, append([]string{"onboard", "umbrella", "--ingress-cidrs", "0.0.0.0/0", "--certificate-arn", "nope", "--classifications", "secret", "--dry-run"}, dirs...)...)
	if code != cli.ExitBadInput {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{`--ingress-cidrs "0.0.0.0/0"`, `--certificate-arn "nope"`, `--classifications "secret"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("the error does not name %s:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "tenantkit:certificateArn") || strings.Contains(errs, "tenantkit:ingressCidrs") {
		t.Errorf("the error speaks in config keys:\n%s", errs)
	}
	cert := "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	// A dry run with a placeholder, then the real settings: accepted.
	if code, _, errs := runIn(t, append([]string{"onboard", "umbrella", "--ingress-cidrs", "198.51.100.0/24", "--alert-emails", "secops@example.co.jp", "--certificate-arn",
		"arn:aws:acm:ap-northeast-1:111122223333:certificate/00000000-0000-4000-8000-000000000000", "--dry-run"}, dirs...)...); code != cli.ExitOK {
		t.Fatalf("dry run: exit %d %s", code, errs)
	}
	code, out, errs := runIn(t, append([]string{"onboard", "umbrella", "--ingress-cidrs", "198.51.100.0/24", "--alert-emails", "secops@example.co.jp", "--certificate-arn", cert, "--no-deploy"}, dirs...)...)
	if code != cli.ExitOK {
		t.Fatalf("the real settings after a dry run: exit %d %s", code, errs)
	}
	if want := "tenantctl onboard umbrella"; !strings.Contains(out, want) || !strings.Contains(out, "--certificate-arn "+cert) || !strings.Contains(out, "--ingress-cidrs 198.51.100.0/24") {
		t.Errorf("the deploy hint does not repeat the flags typed:\n%s", out)
	}
	if strings.Contains(out, "--stacks-dir") == false {
		t.Errorf("the hint drops --stacks-dir:\n%s", out)
	}
	if cfg, _, err := stackfile.Load(stacks, "umbrella"); err != nil || cfg.CertificateArn != cert {
		t.Errorf("stack: %v %v", cfg, err)
	}
	if _, err := os.Stat(filepath.Join(evidence, "umbrella.json")); err != nil {
		t.Error(err)
	}
	if ev, _ := lifecycle.ReadEvidence(evidence, "umbrella"); ev == nil || ev.Entries[0].ToolVersion == "" {
		t.Errorf("evidence without the tool's version: %+v", ev)
	}
}

// #14 A4: a plan ends with one verdict line; a baseline is called one.
func TestPlanVerdictLine(t *testing.T) {
	root := filepath.Join("..", "..")
	code, out, _ := runIn(t, "plan", "--stacks-dir", filepath.Join(root, "stacks"), "acme", "globex")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != cli.ExitOK || !strings.HasPrefix(lines[len(lines)-1], "Verdict: PASS") || strings.Count(out, "Verdict:") != 1 {
		t.Errorf("exit %d, last line %q, %d verdicts", code, lines[len(lines)-1], strings.Count(out, "Verdict:"))
	}
	code, out, _ = runIn(t, "plan", "--stacks-dir", filepath.Join(root, "stacks"), "--baseline", "tokyo", "--baseline-dir", filepath.Join(root, "baseline"))
	if code != cli.ExitOK || !strings.HasPrefix(out, "Baseline tokyo") {
		t.Errorf("baseline plan: exit %d, starts %.40q", code, out)
	}
}
