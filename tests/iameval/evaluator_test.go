package iameval_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// simulation is iam-simulate's Simulation (README of the package).
type simulation struct {
	IdentityPolicies []namedPolicy   `json:"identityPolicies"`
	SCPs             []any           `json:"serviceControlPolicies"`
	RCPs             []any           `json:"resourceControlPolicies"`
	ResourcePolicy   json.RawMessage `json:"resourcePolicy,omitempty"`
	Request          simRequest      `json:"request"`
}

type namedPolicy struct {
	Name   string          `json:"name"`
	Policy json.RawMessage `json:"policy"`
}

type simRequest struct {
	Principal string         `json:"principal"`
	Action    string         `json:"action"`
	Resource  simResource    `json:"resource"`
	Context   map[string]any `json:"contextVariables"`
}

type simResource struct {
	Resource  string `json:"resource"`
	AccountID string `json:"accountId"`
}

// verdict is what a scenario expects.
type verdict string

const (
	allowed verdict = "Allowed"
	// denied: explicitly or implicitly; AWS refuses the request either way.
	denied verdict = "denied"
	// explicitDeny: a Deny statement refuses it, whatever identity policy
	// the principal holds.
	explicitDeny verdict = "ExplicitlyDenied"
)

func (v verdict) accepts(result string) bool {
	switch v {
	case denied:
		return result == "ExplicitlyDenied" || result == "ImplicitlyDenied"
	default:
		return result == string(v)
	}
}

// outcome is one line of evaluate.mjs's answer.
type outcome struct {
	Name          string   `json:"name"`
	Result        string   `json:"result"`
	PassedThrough []string `json:"passedThrough"`
	Error         string   `json:"error"`
}

// evaluatorDir is this directory: evaluate.mjs and its node_modules.
func evaluatorDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// evaluate runs the scenarios through evaluate.mjs, in one process.
func evaluate(t *testing.T, scenarios []scenario) []outcome {
	t.Helper()
	dir := evaluatorDir()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH: the policy-semantics suite runs the IAM evaluator under Node.js (18 or later)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate", "package.json")); err != nil {
		t.Fatalf("the IAM evaluator is not installed: run `npm ci --prefix tests/iameval` (the README's test command and .ci/run do)")
	}
	// Read here, not only by node, so that go test's cache sees a change
	// of the runner or of the pinned evaluator.
	if _, err := os.ReadFile(filepath.Join(dir, "evaluate.mjs")); err != nil {
		t.Fatal(err)
	}
	type input struct {
		Name       string     `json:"name"`
		Simulation simulation `json:"simulation"`
	}
	in := make([]input, len(scenarios))
	for i, s := range scenarios {
		in[i] = input{Name: s.name, Simulation: s.sim}
	}
	body, err := json.Marshal(map[string]any{"scenarios": in})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "evaluate.mjs"))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("evaluate.mjs: %v\n%s", err, stderr.String())
	}
	var outcomes []outcome
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var o outcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("evaluate.mjs answered %q: %v", sc.Text(), err)
		}
		outcomes = append(outcomes, o)
	}
	if len(outcomes) != len(scenarios) {
		t.Fatalf("evaluate.mjs answered %d of %d scenarios\n%s", len(outcomes), len(scenarios), stderr.String())
	}
	for i, o := range outcomes {
		if o.Name != scenarios[i].name {
			t.Fatalf("answer %d is for %q, want %q", i, o.Name, scenarios[i].name)
		}
	}
	return outcomes
}

// evaluatorVersion is the iam-simulate version package-lock.json pins.
func evaluatorVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(evaluatorDir(), "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatal(err)
	}
	v := lock.Packages["node_modules/@cloud-copilot/iam-simulate"].Version
	if v == "" {
		t.Fatal("package-lock.json pins no @cloud-copilot/iam-simulate")
	}
	return v
}

// summarize writes the suite's counts where .ci/run prints them from
// (TENANTKIT_IAMEVAL_SUMMARY), and to the test log.
func summarize(t *testing.T, lines []string) {
	for _, l := range lines {
		t.Log(l)
	}
	if path := os.Getenv("TENANTKIT_IAMEVAL_SUMMARY"); path != "" {
		var b bytes.Buffer
		for _, l := range lines {
			fmt.Fprintln(&b, l)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Errorf("write the summary: %v", err)
		}
	}
}
