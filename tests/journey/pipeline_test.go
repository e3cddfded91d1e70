package journey

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/ops"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// TestApplyWhatWasApproved is #35 item 5 as the deploy workflow runs it,
// against moto and a bare git repository standing in for GitHub: a change
// merged to main is previewed with its update plan saved (what the
// approvers approve), and the deploy applies that plan, which Pulumi
// holds it to (`up --plan` fails on any operation the plan does not
// hold); a plan of a commit main has moved past is refused before
// anything runs.
func TestApplyWhatWasApproved(t *testing.T) {
	if os.Getenv("TENANTKIT_E2E") == "1" {
		t.Skip("runs against moto and local repositories; the real target runs TestJourney")
	}
	w := newWorld(t)
	ctx := context.Background()
	w.assumeDeployer(ctx)
	onboard := w.fleetOfItsOwn(ctx, "alpha")["alpha"]
	if r := w.tenantctl(onboard...); r.code != 0 && r.code != 3 {
		t.Fatalf("onboard: %s", r)
	}
	// main, on a bare repository; the checkout is the deploy job's.
	origin := t.TempDir()
	w.git(origin, "init", "--bare", "-b", "main")
	w.git(w.work, "init", "-b", "main")
	w.git(w.work, "add", "-A")
	w.git(w.work, "commit", "-m", "alpha onboarded")
	w.git(w.work, "remote", "add", "origin", origin)
	w.git(w.work, "push", "origin", "main")
	plans := filepath.Join(t.TempDir(), "plans")
	file := stackfile.Path(filepath.Join(w.work, "stacks"), "alpha")
	lb := w.securityGroup(ctx, "alpha-sg-lb")

	t.Run("the plan approved is the plan applied", func(t *testing.T) {
		w := w.in(t)
		w.editStack(file, "    - 198.51.100.0/24\n", "    - 198.51.100.0/24\n    - 192.0.2.0/24\n")
		w.git(w.work, "commit", "-am", "alpha: a second office")
		w.git(w.work, "push", "origin", "main")
		// The plan job's step, as the workflow runs it.
		if r := w.run(10*time.Minute, filepath.Join(repoRoot(), "scripts", "plan-stack.sh"), "alpha", plans); r.code != 0 {
			t.Fatalf("scripts/plan-stack.sh: %s", r)
		}
		if md, err := os.ReadFile(filepath.Join(plans, "alpha.md")); err != nil || !strings.Contains(string(md), "### alpha: plan alpha at ") || !strings.Contains(string(md), "192.0.2.0/24") {
			t.Errorf("the plan's Markdown for the approvers: %s %v", md, err)
		}
		meta := readMeta(t, plans, "alpha")
		if meta.Commit != w.git(w.work, "rev-parse", "HEAD") || meta.Changes["create"] == 0 {
			t.Errorf("the plan's record: %+v", meta)
		}
		if w.ingressFrom(ctx, lb, "192.0.2.0/24") {
			t.Fatal("the preview deployed")
		}
		w.git(w.work, "fetch", "origin")
		if r := w.tenantctl("deploy", "alpha", "--plan", plans, "--main", "origin/main"); r.code != 0 {
			t.Fatalf("apply the plan: %s", r)
		}
		if !w.ingressFrom(ctx, lb, "192.0.2.0/24") {
			t.Error("the approved plan's ingress rule is not in the account")
		}
		if last := w.lastEntry("alpha"); last.Step != "deploy" || last.Details["commit"] != meta.Commit {
			t.Errorf("the evidence of the deploy: %s %v", last.Summary, last.Details)
		}
	})

	t.Run("Pulumi applies nothing the plan does not hold", func(t *testing.T) {
		w := w.in(t)
		w.editStack(file, "    - 192.0.2.0/24\n", "    - 192.0.2.0/24\n    - 203.0.113.0/24\n")
		w.git(w.work, "commit", "-am", "alpha: a third office")
		if r := w.tenantctl("deploy", "alpha", "--save-plan", plans); r.code != 0 {
			t.Fatalf("save the plan: %s", r)
		}
		// The file changed after the approval: tenantctl refuses it, and
		// Pulumi itself, handed the plan past tenantctl's checks, refuses
		// the operation the plan does not hold.
		w.editStack(file, "    - 203.0.113.0/24\n", "    - 203.0.113.128/25\n")
		if r := w.tenantctl("deploy", "alpha", "--plan", plans); r.code != 2 || !strings.Contains(r.stderr, "changed since the plan was saved") {
			t.Errorf("a file changed after its plan: %s", r)
		}
		planPath, _ := filepath.Abs(filepath.Join(plans, "alpha.plan.json"))
		// The engine's own words (pkg/resource/deploy: "create is not
		// allowed by the plan", "resource ... violates plan").
		if _, err := w.tenantStack().UpPlan(ctx, "alpha", planPath); err == nil || !(strings.Contains(err.Error(), "not allowed by the plan") || strings.Contains(err.Error(), "violates plan")) {
			t.Errorf("pulumi up --plan of a change its plan does not hold: %v, want Pulumi's refusal", err)
		}
		if w.ingressFrom(ctx, lb, "203.0.113.128/25") {
			t.Error("the unplanned ingress range is in the account")
		}
		w.git(w.work, "checkout", "--", "stacks")
	})

	t.Run("a stale commit is refused", func(t *testing.T) {
		w := w.in(t)
		w.git(w.work, "push", "origin", "main")
		if r := w.tenantctl("deploy", "alpha", "--save-plan", plans); r.code != 0 {
			t.Fatalf("save the plan: %s", r)
		}
		// Another merge lands on main while this run waits for approval.
		other := t.TempDir()
		w.git(other, "clone", "-q", origin, ".")
		w.git(other, "-c", "user.name=ops", "-c", "user.email=ops@example.co.jp", "commit", "--allow-empty", "-m", "a newer merge")
		w.git(other, "push", "origin", "main")
		w.git(w.work, "fetch", "origin")
		r := w.tenantctl("deploy", "alpha", "--plan", plans, "--main", "origin/main")
		if r.code != 2 || !strings.Contains(r.stderr, "stale: main is at") {
			t.Errorf("a plan of a commit behind main: %s", r)
		}
		if w.ingressFrom(ctx, lb, "203.0.113.0/24") {
			t.Error("the stale plan was applied")
		}
	})
}

// git runs git in dir as the pipeline's committer and returns its output.
func (w *world) git(dir string, args ...string) string {
	w.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=tenantkit-ci", "-c", "user.email=ci@example.co.jp", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		w.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// editStack replaces text in a stack file, as a reviewer's pull request does.
func (w *world) editStack(path, old, new string) {
	w.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), old) {
		w.t.Fatalf("%s lacks %q (%v)", path, old, err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// securityGroup is the id of the security group of that Name tag.
func (w *world) securityGroup(ctx context.Context, name string) string {
	w.t.Helper()
	out, err := ec2.NewFromConfig(w.cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{
		Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{name}}}})
	if err != nil || len(out.SecurityGroups) != 1 {
		w.t.Fatalf("security group %s: %v %v", name, out, err)
	}
	return aws.ToString(out.SecurityGroups[0].GroupId)
}

// ingressFrom says whether the group admits the range.
func (w *world) ingressFrom(ctx context.Context, group, cidr string) bool {
	w.t.Helper()
	out, err := ec2.NewFromConfig(w.cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{group}})
	if err != nil || len(out.SecurityGroups) != 1 {
		w.t.Fatalf("security group %s: %v", group, err)
	}
	return slices.ContainsFunc(out.SecurityGroups[0].IpPermissions, func(p ec2types.IpPermission) bool {
		return slices.ContainsFunc(p.IpRanges, func(r ec2types.IpRange) bool { return aws.ToString(r.CidrIp) == cidr })
	})
}

func readMeta(t *testing.T, dir, tenant string) ops.PlanMeta {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, tenant+".meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m ops.PlanMeta
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
