package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tenantkit/tenantkit/internal/deploy"
)

// #22 items 15-19: the workflows' secrets, permissions, trust and
// concurrency, held by tests over the files themselves. zizmor and poutine
// (the auditors these rules come from) are not served here; operators who
// can run them should (README).

type workflow struct {
	file        string
	On          yaml.Node         `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]job    `yaml:"jobs"`
}

type job struct {
	// Uses is a called (reusable) workflow, ./.github/workflows/<file>.
	Uses           string            `yaml:"uses"`
	TimeoutMinutes int               `yaml:"timeout-minutes"`
	Environment    string            `yaml:"environment"`
	Permissions    map[string]string `yaml:"permissions"`
	Env            map[string]string `yaml:"env"`
	Concurrency    struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
		Queue            string `yaml:"queue"`
	} `yaml:"concurrency"`
	Steps []step `yaml:"steps"`
}

type step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func workflows(t *testing.T) []workflow {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(repo(), ".github", "workflows", "*.yml"))
	var out []workflow
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(b, &w); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		w.file = filepath.Base(f)
		out = append(out, w)
	}
	if len(out) < 4 {
		t.Fatalf("%d workflows", len(out))
	}
	return out
}

var secretRef = regexp.MustCompile(`secrets\.([A-Za-z_]+)`)

// Item 15: a secret is set only on the step that needs it (a Pulumi
// command), never for a workflow or a job, and only in a job that runs in
// an environment (whose reviewers and branch rules guard it): a pull
// request's own code (its plan job, its build) never sees one.
func TestSecretsOnlyWhereNeeded(t *testing.T) {
	for _, w := range workflows(t) {
		for k, v := range w.Env {
			if secretRef.MatchString(v) {
				t.Errorf("%s: workflow env %s holds a secret", w.file, k)
			}
		}
		for name, j := range w.Jobs {
			for k, v := range j.Env {
				if secretRef.MatchString(v) {
					t.Errorf("%s/%s: job env %s holds a secret", w.file, name, k)
				}
			}
			for _, s := range j.Steps {
				for k, v := range s.Env {
					// The job's own GITHUB_TOKEN, scoped by its permissions,
					// is no stored secret.
					if m := secretRef.FindStringSubmatch(v); m == nil || m[1] == "GITHUB_TOKEN" {
						continue
					}
					if !strings.Contains(s.Run, "pulumi ") && !strings.Contains(s.Run, "tenantctl offboard") && !strings.Contains(s.Run, "tenantctl deploy") && !strings.Contains(s.Run, "tenantctl recover") && !strings.Contains(s.Run, "scripts/plan-stack.sh") && !strings.Contains(s.Run, "scripts/lifecycle-guard.sh") {
						t.Errorf("%s/%s: step %q gets %s but runs no Pulumi command", w.file, name, s.Name, k)
					}
					if j.Environment == "" {
						t.Errorf("%s/%s: step %q gets %s in a job without an environment", w.file, name, s.Name, k)
					}
				}
				for k, v := range s.With {
					if m := secretRef.FindStringSubmatch(v); m != nil && m[1] != "GITHUB_TOKEN" {
						t.Errorf("%s/%s: step %q passes secret %s to %s", w.file, name, s.Name, m[1], s.Uses)
					}
					_ = k
				}
			}
		}
	}
}

// Item 18: no workflow grants a write or the OIDC token to every job; a job
// gets id-token: write only when it assumes a role, and contents: write
// only where it publishes a release or commits the lifecycle's own writes.
// Every checkout leaves no token in .git/config.
func TestPermissionsPerJob(t *testing.T) {
	all := workflows(t)
	// A job that calls a workflow of this repository assumes a role when
	// one of the called jobs does (they get no more than its permissions).
	calledAssumes := func(uses string) bool {
		for _, w := range all {
			if "./.github/workflows/"+w.file != uses {
				continue
			}
			for _, j := range w.Jobs {
				if slices.ContainsFunc(j.Steps, func(s step) bool { return strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") }) {
					return true
				}
			}
		}
		return false
	}
	for _, w := range all {
		for p, v := range w.Permissions {
			if v != "read" {
				t.Errorf("%s: workflow permission %s: %s (grant it to the job that needs it)", w.file, p, v)
			}
		}
		for name, j := range w.Jobs {
			assumes := calledAssumes(j.Uses) || slices.ContainsFunc(j.Steps, func(s step) bool {
				return strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") || strings.HasPrefix(s.Uses, "actions/attest-build-provenance@")
			})
			if got := j.Permissions["id-token"] == "write"; got != assumes {
				t.Errorf("%s/%s: id-token write %v, assumes a role %v", w.file, name, got, assumes)
			}
			// contents: write only to open the evidence pull request, to
			// publish a release (a tag's build, no pull request code), or
			// to commit the lifecycle's own writes through the script that
			// refuses any other path (#23 item 2), in a job with no role
			// and no environment's secrets.
			lifecycleCommit := slices.ContainsFunc(j.Steps, func(s step) bool { return strings.Contains(s.Run, "scripts/lifecycle-commit.sh") })
			writes := lifecycleCommit || slices.ContainsFunc(j.Steps, func(s step) bool {
				return strings.HasPrefix(s.Uses, "peter-evans/create-pull-request@") || strings.HasPrefix(s.Uses, "goreleaser/goreleaser-action@")
			})
			if got := j.Permissions["contents"] == "write"; got != writes {
				t.Errorf("%s/%s: contents write %v, opens a pull request, publishes a release or commits the lifecycle %v", w.file, name, got, writes)
			}
			if lifecycleCommit && (assumes || j.Environment != "") {
				t.Errorf("%s/%s: commits to main and also assumes a role or takes an environment's secrets", w.file, name)
			}
			if j.Permissions == nil {
				t.Errorf("%s/%s: no permissions of its own", w.file, name)
			}
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["persist-credentials"] != "false" {
					t.Errorf("%s/%s: a checkout keeps its token in .git/config (persist-credentials: false)", w.file, name)
				}
				if s.Uses != "" && !strings.HasPrefix(s.Uses, "./") && !regexp.MustCompile(`@[0-9a-f]{40} *$`).MatchString(s.Uses) {
					t.Errorf("%s/%s: %s is not pinned by commit", w.file, name, s.Uses)
				}
			}
		}
	}
}

// Item 17: every job that changes a stack is in that stack's group, never
// cancelled in progress; a read-only job is never in a stack's group (GitHub
// replaces a pending job when another joins its group: a queued drift
// would drop a pending deploy).
func TestStackGroups(t *testing.T) {
	changes := regexp.MustCompile(`pulumi (up|destroy)\b|tenantctl offboard|tenantctl deploy "\$TENANT" --plan|tenantctl recover`)
	for _, w := range workflows(t) {
		for name, j := range w.Jobs {
			// Recording the day's steps writes files, no stack.
			writes := slices.ContainsFunc(j.Steps, func(s step) bool { return changes.MatchString(s.Run) && !strings.Contains(s.Run, "--record-only") })
			inStack := strings.HasPrefix(j.Concurrency.Group, "stack-")
			switch {
			case writes && (!inStack || j.Concurrency.CancelInProgress):
				t.Errorf("%s/%s changes a stack outside its stack-<tenant> group (group %q, cancel %v)", w.file, name, j.Concurrency.Group, j.Concurrency.CancelInProgress)
			case !writes && inStack:
				t.Errorf("%s/%s changes no stack but joins %s: it could displace a pending deploy", w.file, name, j.Concurrency.Group)
			}
		}
	}
}

// Item 16: each role's trust (docs/ci/trust-*.json, the templates operators
// install) admits exactly the workflow files, refs and environments whose
// jobs assume it, through GitHub's subject customised to repo, context and
// job_workflow_ref (docs/ci/oidc-subject.json); deploy.yml verifies with
// the verify role.
func TestTrustBindsEachRoleToItsJobs(t *testing.T) {
	roleVar := regexp.MustCompile(`vars\.AWS_([A-Z]+)_ROLE_ARN`)
	want := map[string][]string{} // role -> subjects the workflows need
	for _, w := range workflows(t) {
		ref := "refs/heads/main"
		if w.file == "pull-request.yml" {
			ref = "refs/pull/*/merge"
		}
		for name, j := range w.Jobs {
			for _, s := range j.Steps {
				m := roleVar.FindStringSubmatch(s.With["role-to-assume"])
				if m == nil {
					continue
				}
				if j.Environment == "" {
					t.Errorf("%s/%s assumes the %s role outside an environment", w.file, name, m[1])
				}
				role := strings.ToLower(m[1])
				sub := fmt.Sprintf("repo:<OWNER>/<REPO>:environment:%s:job_workflow_ref:<OWNER>/<REPO>/.github/workflows/%s@%s", j.Environment, w.file, ref)
				if !slices.Contains(want[role], sub) {
					want[role] = append(want[role], sub)
				}
			}
			if w.file == "deploy-ring.yml" && name == "tenant" {
				verifyRole := ""
				for _, s := range j.Steps {
					if m := roleVar.FindStringSubmatch(s.With["role-to-assume"]); m != nil {
						verifyRole = m[1]
					}
					if strings.Contains(s.Run, "tenantctl verify") && verifyRole != "VERIFY" {
						t.Errorf("deploy-ring.yml verifies with the %s role, not the verify role", verifyRole)
					}
				}
			}
		}
	}
	var custom struct {
		UseDefault bool     `json:"use_default"`
		Keys       []string `json:"include_claim_keys"`
	}
	b, err := os.ReadFile(filepath.Join(repo(), "docs", "ci", "oidc-subject.json"))
	if err != nil || json.Unmarshal(b, &custom) != nil || custom.UseDefault || !slices.Equal(custom.Keys, []string{"repo", "context", "job_workflow_ref"}) {
		t.Errorf("docs/ci/oidc-subject.json: %s %v", b, err)
	}
	for role, subs := range want {
		b, err := os.ReadFile(filepath.Join(repo(), "docs", "ci", "trust-"+role+".json"))
		if err != nil {
			t.Errorf("no trust template for the %s role: %v", role, err)
			continue
		}
		var doc struct {
			Statement []struct {
				Effect    string
				Principal map[string]string
				Action    string
				Condition map[string]map[string]any
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil || len(doc.Statement) == 0 {
			t.Errorf("trust-%s.json: %v", role, err)
			continue
		}
		// One statement per kind of subject: IAM ANDs the condition
		// operators of a statement, so an exact subject and a pattern are
		// two statements (ORed), never two operators of one.
		var got []string
		for _, st := range doc.Statement {
			if st.Effect != "Allow" || st.Action != "sts:AssumeRoleWithWebIdentity" || !strings.HasSuffix(st.Principal["Federated"], ":oidc-provider/token.actions.githubusercontent.com") {
				t.Errorf("trust-%s.json: %+v", role, st)
			}
			if st.Condition["StringEquals"]["token.actions.githubusercontent.com:aud"] != "sts.amazonaws.com" {
				t.Errorf("trust-%s.json: the audience is not sts.amazonaws.com", role)
			}
			// The repository by its immutable id, a claim AWS STS takes as a
			// condition key: a repository renamed, or deleted and made
			// again under the same name, is not the one trusted.
			if st.Condition["StringEquals"]["token.actions.githubusercontent.com:repository_id"] != "<REPOSITORY_ID>" {
				t.Errorf("trust-%s.json: no repository_id condition", role)
			}
			ops := 0
			for op, keys := range st.Condition {
				v, ok := keys["token.actions.githubusercontent.com:sub"]
				if !ok {
					continue
				}
				ops++
				var list []string
				switch v := v.(type) {
				case string:
					list = []string{v}
				case []any:
					for _, x := range v {
						list = append(list, fmt.Sprint(x))
					}
				}
				for _, s := range list {
					// Only the pull request number may vary, and only for
					// the preview role (its environment's reviewers approve
					// each run).
					if strings.Contains(s, "*") && (op != "StringLike" || strings.Count(s, "*") != 1 || !strings.HasSuffix(s, "@refs/pull/*/merge")) {
						t.Errorf("trust-%s.json: wildcard subject %s (%s)", role, s, op)
					}
					if op == "StringLike" && !strings.Contains(s, "*") {
						t.Errorf("trust-%s.json: StringLike without a wildcard: %s", role, s)
					}
				}
				got = append(got, list...)
			}
			if ops != 1 {
				t.Errorf("trust-%s.json: a statement with %d subject conditions (IAM would require all of them at once)", role, ops)
			}
		}
		slices.Sort(got)
		slices.Sort(subs)
		if !slices.Equal(got, subs) {
			t.Errorf("trust-%s.json admits\n  %v\nthe workflows need\n  %v", role, got, subs)
		}
	}
	for _, role := range []string{"deploy", "preview", "verify", "drift"} {
		if _, ok := want[role]; !ok {
			t.Errorf("no workflow assumes the %s role", role)
		}
	}
}

// Item 18: the AWS plugin is installed at the SDK's version, by checksum,
// and Pulumi downloads no other at run time.
func TestAWSPluginPinned(t *testing.T) {
	b, _ := os.ReadFile(filepath.Join(repo(), ".github", "actions", "setup", "action.yml"))
	gomod, _ := os.ReadFile(filepath.Join(repo(), "go.mod"))
	v := regexp.MustCompile(`github.com/pulumi/pulumi-aws/sdk/v6 v(\S+)`).FindSubmatch(gomod)
	if v == nil {
		t.Fatal("go.mod has no pulumi-aws SDK")
	}
	for _, want := range []string{"pulumi plugin install resource aws " + string(v[1]) + " --exact --checksum", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true", "^[0-9a-f]{64}$"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the setup action lacks %q", want)
		}
	}
	for _, w := range workflows(t) {
		for name, j := range w.Jobs {
			for _, s := range j.Steps {
				if s.Uses == "./.github/actions/setup" && s.With["pulumi"] == "true" && s.With["aws-plugin-sha256"] != "${{ vars.PULUMI_AWS_PLUGIN_SHA256 }}" {
					t.Errorf("%s/%s installs Pulumi without the plugin's checksum", w.file, name)
				}
			}
		}
	}
}

// #23 item 2: no deploy undoes a lifecycle step. The deploy job runs
// scripts/lifecycle-guard.sh before pulumi up; the guard refuses a stack
// file behind the deployed state (active on main, suspended in the
// account) and lets a stack never deployed, or one in step, go on.
func TestLifecycleGuard(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq not installed (GitHub's runners have it)")
	}
	b, _ := os.ReadFile(filepath.Join(repo(), ".github", "workflows", "deploy-ring.yml"))
	guard, up := strings.Index(string(b), "scripts/lifecycle-guard.sh"), strings.Index(string(b), "tenantctl deploy \"$TENANT\" --plan")
	if guard < 0 || up < 0 || guard > up {
		t.Error("deploy-ring.yml does not run the lifecycle guard before it applies the plan")
	}
	_, stacks, _ := workspace(t)
	dir := filepath.Dir(stacks)
	fake := filepath.Join(dir, "pulumi")
	// Pulumi's own words for a stack the backend does not hold
	// (backenderr) and for one without outputs pass; any other failure
	// to read what is deployed stops the deploy (#33 item 5: it passed).
	for deployed, want := range map[string]int{"never": 0, "no outputs": 0, "denied": 3, "active": 0, "suspended": 1, "deleting": 1} {
		var script string
		switch deployed {
		case "never":
			script = "#!/bin/sh\necho \"error: no stack named 'acme' found\" >&2\nexit 255\n"
		case "no outputs":
			script = "#!/bin/sh\necho \"error: current stack does not have output property 'inventory'\" >&2\nexit 255\n"
		case "denied":
			script = "#!/bin/sh\necho 'error: failed to load checkpoint: AccessDenied: Access Denied' >&2\nexit 255\n"
		default:
			script = fmt.Sprintf("#!/bin/sh\necho '{\"schema\":\"tenantkit.inventory/v1\",\"state\":\"%s\"}'\n", deployed)
		}
		if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(filepath.Join(repo(), "scripts", "lifecycle-guard.sh"), "acme")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TENANTCTL="+binary, "PULUMI="+fake)
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != want {
			t.Errorf("deployed %q, stack file active: exit %d, want %d\n%s", deployed, code, want, out)
		}
	}
}

// #23 item 3: onboarding by pull request. A new stack file is previewed on
// the pull request and deployed on merge, under the same environment and
// roles as any deploy: both jobs create the stack when it does not exist
// (deploy.yml stopped with "onboard it first" before), and the stack file
// change makes the baseline run first (scripts/changed-stacks.sh).
func TestOnboardingByPullRequest(t *testing.T) {
	for _, w := range workflows(t) {
		for _, want := range map[string][]string{"pull-request.yml": {"preview"}, "deploy-ring.yml": {"plan", "tenant"}}[w.file] {
			j := w.Jobs[want]
			// tenantctl deploy creates a stack it does not find (the
			// Automation API's upsert, with the stack file's secrets provider):
			// the plan of a new tenant is made, approved and applied as any.
			creates, runs := false, false
			for _, s := range j.Steps {
				creates = creates || strings.Contains(s.Run, `scripts/plan-stack.sh "$TENANT"`) || strings.Contains(s.Run, `tenantctl deploy "$TENANT" --plan`)
				runs = creates
			}
			if !creates || !runs || j.Environment == "" {
				t.Errorf("%s/%s: creates the stack %v, previews or deploys it %v, environment %q", w.file, want, creates, runs, j.Environment)
			}
		}
	}
	script, _ := os.ReadFile(filepath.Join(repo(), "scripts", "changed-stacks.sh"))
	if !strings.Contains(string(script), "stacks/Pulumi.*.yaml)") || !strings.Contains(string(script), "baseline=true") {
		t.Error("a stack file change does not run the baseline first")
	}
}

// #23 item 5, #35 item 1: a new stack takes the secrets provider its
// stack file names (onboarding wrote it from the baseline): every step
// that plans or deploys a tenant goes through tenantctl, which creates a
// stack with its file's provider and refuses a file without the fleet's
// (ops.Env.SecretsProvider); no step creates a stack itself, and no
// workflow hands Pulumi a passphrase, so nothing falls back to one.
func TestNewStacksTakeTheSecretsProvider(t *testing.T) {
	n := 0
	for _, w := range workflows(t) {
		for name, j := range w.Jobs {
			for _, s := range j.Steps {
				if _, ok := s.Env["PULUMI_CONFIG_PASSPHRASE"]; ok {
					t.Errorf("%s/%s: step %q sets PULUMI_CONFIG_PASSPHRASE", w.file, name, s.Name)
				}
				if strings.Contains(s.Run, "--create") || strings.Contains(s.Run, "stack init") {
					t.Errorf("%s/%s: step %q creates a stack itself, not through tenantctl", w.file, name, s.Name)
				}
				if strings.Contains(s.Run, "scripts/plan-stack.sh") || strings.Contains(s.Run, "tenantctl deploy") {
					n++
				}
			}
		}
	}
	if n < 3 {
		t.Errorf("%d steps plan or deploy tenants through tenantctl, want the preview's, the plan's and the deploy's", n)
	}
}

// #35 item 4: every workflow runs Pulumi with only the plugins installed
// in PULUMI_HOME and the state's secrets provider as the fallback, and
// the setup action puts nothing of the checkout on PATH.
func TestPulumiRunsPinned(t *testing.T) {
	for _, w := range workflows(t) {
		runsPulumi := false
		for _, j := range w.Jobs {
			for _, s := range j.Steps {
				runsPulumi = runsPulumi || s.With["pulumi"] == "true"
			}
		}
		if !runsPulumi {
			continue
		}
		for k, v := range map[string]string{"PULUMI_IGNORE_AMBIENT_PLUGINS": "true", "PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER": "true"} {
			if w.Env[k] != v {
				t.Errorf("%s: workflow env %s=%q, want %q", w.file, k, w.Env[k], v)
			}
		}
	}
	b, _ := os.ReadFile(filepath.Join(repo(), ".github", "actions", "setup", "action.yml"))
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "GITHUB_PATH") && !strings.Contains(line, `"$RUNNER_TEMP/`) {
			t.Errorf("the setup action puts on PATH: %s", strings.TrimSpace(line))
		}
	}
	for _, kv := range deploy.PinnedEnv {
		k, v, _ := strings.Cut(kv, "=")
		if v != "true" {
			t.Errorf("tenantctl's pinned %s=%s", k, v)
		}
	}
}

// #23 item 4: with Pulumi Cloud, the jobs log in through OIDC
// (pulumi/auth-actions, pinned) when PULUMI_ORGANIZATION is set, so no
// long-lived PULUMI_ACCESS_TOKEN need be stored; the token step keeps the
// stored secret as the fallback.
func TestPulumiCloudThroughOIDC(t *testing.T) {
	b, _ := os.ReadFile(filepath.Join(repo(), ".github", "actions", "setup", "action.yml"))
	if !regexp.MustCompile(`uses: pulumi/auth-actions@[0-9a-f]{40} # v2\.1\.0`).Match(b) || !strings.Contains(string(b), "urn:pulumi:token-type:access_token:organization") {
		t.Error("the setup action does not log in to Pulumi Cloud through a pinned pulumi/auth-actions")
	}
	for _, w := range workflows(t) {
		for name, j := range w.Jobs {
			for _, s := range j.Steps {
				if s.Uses == "./.github/actions/setup" && s.With["pulumi"] == "true" && s.With["pulumi-organization"] != "${{ vars.PULUMI_ORGANIZATION }}" {
					t.Errorf("%s/%s installs Pulumi without the OIDC organization", w.file, name)
				}
				if v, ok := s.Env["PULUMI_ACCESS_TOKEN"]; ok && v != "${{ secrets.PULUMI_ACCESS_TOKEN || env.PULUMI_ACCESS_TOKEN }}" {
					t.Errorf("%s/%s: PULUMI_ACCESS_TOKEN %s would hide the OIDC token", w.file, name, v)
				}
			}
		}
	}
}

// goreleaser is run as its own module, like actionlint (a pinned version).
const goreleaser = "github.com/goreleaser/goreleaser/v2@v2.17.0"

// #23 item 11: the release configuration passes `goreleaser check`, and
// the release workflow runs that pinned version, attests provenance and
// builds for linux and macOS on amd64 and arm64.
func TestReleaseConfigChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds GoReleaser")
	}
	cmd := exec.Command("go", "run", goreleaser, "check")
	cmd.Dir = repo()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}
	cfg, _ := os.ReadFile(filepath.Join(repo(), ".goreleaser.yaml"))
	for _, want := range []string{"goos: [linux, darwin]", "goarch: [amd64, arm64]", "checksum:", "sboms:", "internal/cli.release={{ .Version }}"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf(".goreleaser.yaml lacks %q", want)
		}
	}
	wf, _ := os.ReadFile(filepath.Join(repo(), ".github", "workflows", "release.yml"))
	for _, want := range []string{"version: v2.17.0", "actions/attest-build-provenance@", "subject-checksums: dist/checksums.txt"} {
		if !strings.Contains(string(wf), want) {
			t.Errorf("release.yml lacks %q", want)
		}
	}
}

// #33 item 6: the daily offboarding run waits for no person (its jobs
// are in the offboarding environment, which docs/operations.md sets up
// without reviewers, never production's), runs off the start of the hour
// (GitHub delays scheduled runs most there) and also on every push of a
// stack file to main, so a cancellation merged after the daily run is
// acted on at once.
func TestOffboardingRunsWithoutWaiting(t *testing.T) {
	var w *workflow
	for _, x := range workflows(t) {
		if x.file == "offboarding.yml" {
			w = &x
		}
	}
	if w == nil {
		t.Fatal("no offboarding.yml")
	}
	var on struct {
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
		Push struct {
			Branches []string `yaml:"branches"`
			Paths    []string `yaml:"paths"`
		} `yaml:"push"`
	}
	if err := w.On.Decode(&on); err != nil {
		t.Fatal(err)
	}
	if len(on.Schedule) != 1 {
		t.Fatalf("schedules %v", on.Schedule)
	}
	minute := strings.Fields(on.Schedule[0].Cron)[0]
	if minute == "0" || minute == "00" || minute == "30" || minute == "*" {
		t.Errorf("cron %q runs at the start of an hour or half-hour, when GitHub delays and drops scheduled runs", on.Schedule[0].Cron)
	}
	if !slices.Equal(on.Push.Branches, []string{"main"}) || !slices.Contains(on.Push.Paths, "stacks/Pulumi.*.yaml") {
		t.Errorf("offboarding does not run on a push of a stack file to main: %+v", on.Push)
	}
	for name, j := range w.Jobs {
		if j.Environment == "production" {
			t.Errorf("offboarding.yml/%s waits for production's reviewers", name)
		}
	}
	ops, err := os.ReadFile(filepath.Join(repo(), "docs", "operations.md"))
	if err != nil || !strings.Contains(string(ops), "`offboarding` (deployment branches: `main` only; **no** required") {
		t.Errorf("docs/operations.md does not set up the offboarding environment without reviewers")
	}
}

// standIn writes an executable shell script into dir.
func standIn(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// #35 item 5: the pull request's previews are one comment, posted once
// and edited after (found by its marker), cut below GitHub's limit; run
// with a stand-in gh that records each call and answers the listing.
func TestPullRequestCommentScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not available")
	}
	bin, previews, calls := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "calls")
	existing := filepath.Join(t.TempDir(), "existing")
	// The listing prints the id of a comment with the marker, if one was
	// posted; a POST or PATCH records the body it was given (-F body=@file).
	standIn(t, bin, "gh", `echo "$@" >> "$CALLS"
for a in "$@"; do case $a in body=@*) cp "${a#body=@}" "$CALLS.body" ;; esac; done
case "$*" in *--paginate*) [ -f "$EXISTING" ] && cat "$EXISTING" ;; esac
exit 0
`)
	run := func(args ...string) (int, string) {
		cmd := exec.Command(filepath.Join(repo(), "scripts", "pr-comment.sh"), args...)
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "CALLS="+calls, "EXISTING="+existing)
		out, err := cmd.CombinedOutput()
		return exitCode(t, err), string(out)
	}
	os.WriteFile(filepath.Join(previews, "acme.md"), []byte("### acme: plan acme at 0123: 1 to update\n"), 0o644)
	os.WriteFile(filepath.Join(previews, "globex.md"), []byte("### globex: the plan FAILED (exit 1)\n"), 0o644)
	if code, out := run("example/fleet", "17", previews); code != 0 || !strings.Contains(out, "commented on example/fleet#17") {
		t.Fatalf("first run: exit %d %s", code, out)
	}
	got, _ := os.ReadFile(calls)
	if !strings.Contains(string(got), "api -X POST repos/example/fleet/issues/17/comments") {
		t.Errorf("first run's calls:\n%s", got)
	}
	body, _ := os.ReadFile(calls + ".body")
	if !strings.HasPrefix(string(body), "<!-- tenantkit-previews -->\n") || !strings.Contains(string(body), "### acme: plan acme at 0123") || !strings.Contains(string(body), "### globex: the plan FAILED") {
		t.Errorf("the comment:\n%s", body)
	}
	// Again, with the comment there: edited in place, no second comment.
	os.WriteFile(existing, []byte("4242\n"), 0o644)
	os.Remove(calls)
	if code, out := run("example/fleet", "17", previews); code != 0 || !strings.Contains(out, "updated comment 4242") {
		t.Fatalf("second run: exit %d %s", code, out)
	}
	got, _ = os.ReadFile(calls)
	if !strings.Contains(string(got), "api -X PATCH repos/example/fleet/issues/comments/4242") || strings.Contains(string(got), "POST") {
		t.Errorf("second run's calls:\n%s", got)
	}
	// A fleet's previews past the comment limit: cut, saying where the rest is.
	os.WriteFile(filepath.Join(previews, "huge.md"), []byte(strings.Repeat("x", 70000)), 0o644)
	if code, out := run("example/fleet", "17", previews); code != 0 {
		t.Fatalf("huge: exit %d %s", code, out)
	}
	body, _ = os.ReadFile(calls + ".body")
	if len(body) > 65536 || !strings.Contains(string(body), "every preview is whole in the run's job summaries") {
		t.Errorf("a comment of %d characters", len(body))
	}
	for _, bad := range [][]string{{"example/fleet;rm", "17", previews}, {"example/fleet", "17a", previews}} {
		if code, _ := run(bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// scripts/plan-stack.sh: the plan, its Markdown for the approvers (a
// preview's backticks cannot close the fence), and tenantctl's exit code
// passed through; run with a stand-in tenantctl.
func TestPlanStackScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not available")
	}
	bin, dir := t.TempDir(), filepath.Join(t.TempDir(), "plans")
	standIn(t, bin, "tenantctl", "echo \"preview of $2 with \"'```'\" inside\" >&2\n"+
		"[ \"$2\" = broken ] && exit 1\n"+
		"echo \"plan $2 at 0123456789ab: 2 to create; saved to $4/$2.plan.json (apply: ...)\"\n")
	run := func(tenant string) int {
		cmd := exec.Command(filepath.Join(repo(), "scripts", "plan-stack.sh"), tenant, dir)
		cmd.Env = append(os.Environ(), "TENANTCTL="+filepath.Join(bin, "tenantctl"), "GITHUB_STEP_SUMMARY=")
		out, err := cmd.CombinedOutput()
		if !strings.Contains(string(out), "preview of "+tenant) {
			t.Errorf("the preview is not in the job's log: %s", out)
		}
		return exitCode(t, err)
	}
	if code := run("acme"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "acme.md"))
	if !strings.HasPrefix(string(md), "### acme: plan acme at 0123456789ab: 2 to create\n") || strings.Count(string(md), "```") != 2 {
		t.Errorf("acme.md:\n%s", md)
	}
	if code := run("broken"); code != 1 {
		t.Errorf("a failed plan: exit %d, want tenantctl's 1", code)
	}
	if md, _ := os.ReadFile(filepath.Join(dir, "broken.md")); !strings.HasPrefix(string(md), "### broken: the plan FAILED (exit 1)") {
		t.Errorf("broken.md:\n%s", md)
	}
}

// #35 item 6: a role's session lasts as long as the job may run
// (configure-aws-credentials asks for one hour unless told; a 90-minute
// deploy would lose its credentials mid-update), within the 12 hours a
// role's MaxSessionDuration allows (IAM user guide, "Modifying a role
// maximum session duration"); and every deploy waits its turn in its
// stack's queue.
func TestSessionsOutlastTheJobs(t *testing.T) {
	for _, w := range workflows(t) {
		for name, j := range w.Jobs {
			for _, s := range j.Steps {
				if s.With["role-to-assume"] == "" {
					continue
				}
				d, err := strconv.Atoi(s.With["role-duration-seconds"])
				if err != nil || d < j.TimeoutMinutes*60 || d > 43200 || j.TimeoutMinutes == 0 {
					t.Errorf("%s/%s: a session of %q seconds for a job of %d minutes", w.file, name, s.With["role-duration-seconds"], j.TimeoutMinutes)
				}
			}
			if strings.HasPrefix(j.Concurrency.Group, "stack-") && strings.HasPrefix(w.file, "deploy") && j.Concurrency.Queue != "max" {
				t.Errorf("%s/%s: the stack's deploys are not queued (queue: %q)", w.file, name, j.Concurrency.Queue)
			}
		}
	}
}
