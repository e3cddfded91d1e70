package iameval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Simulation is iam-simulate's Simulation (README of the package).
type Simulation struct {
	IdentityPolicies []NamedPolicy   `json:"identityPolicies"`
	SCPs             []any           `json:"serviceControlPolicies"`
	RCPs             []any           `json:"resourceControlPolicies"`
	ResourcePolicy   json.RawMessage `json:"resourcePolicy,omitempty"`
	// PermissionBoundaries are the principal's permissions boundary.
	PermissionBoundaries []NamedPolicy `json:"permissionBoundaryPolicies,omitempty"`
	Request              Request       `json:"request"`
}

// NamedPolicy is an identity policy of a simulation.
type NamedPolicy struct {
	Name   string          `json:"name"`
	Policy json.RawMessage `json:"policy"`
}

// Request is a simulation's request.
type Request struct {
	Principal string         `json:"principal"`
	Action    string         `json:"action"`
	Resource  Resource       `json:"resource"`
	Context   map[string]any `json:"contextVariables"`
}

// Resource is a request's resource.
type Resource struct {
	Resource  string `json:"resource"`
	AccountID string `json:"accountId"`
}

// Named is a simulation with its name, as evaluate.mjs reads it.
type Named struct {
	Name       string     `json:"name"`
	Simulation Simulation `json:"simulation"`
}

// Outcome is one line of evaluate.mjs's answer: Result is Allowed,
// ExplicitlyDenied or ImplicitlyDenied.
type Outcome struct {
	Name          string   `json:"name"`
	Result        string   `json:"result"`
	PassedThrough []string `json:"passedThrough"`
	Error         string   `json:"error"`
}

// Dir is this package's directory: evaluate.mjs and its node_modules.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// Evaluate runs the simulations through evaluate.mjs, in one Node.js
// process, and returns their outcomes in order.
func Evaluate(sims []Named) ([]Outcome, error) {
	dir := Dir()
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not on PATH: the policy-semantics suite runs the IAM evaluator under Node.js (18 or later)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate", "package.json")); err != nil {
		return nil, fmt.Errorf("the IAM evaluator is not installed: run `npm ci --prefix tests/iameval` (the README's test command and .ci/run do)")
	}
	// Read here, not only by node, so that go test's cache sees a change
	// of the runner or of the pinned evaluator.
	if _, err := os.ReadFile(filepath.Join(dir, "evaluate.mjs")); err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]any{"scenarios": sims})
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, filepath.Join(dir, "evaluate.mjs"))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("evaluate.mjs: %v\n%s", err, stderr.String())
	}
	var outcomes []Outcome
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var o Outcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			return nil, fmt.Errorf("evaluate.mjs answered %q: %v", sc.Text(), err)
		}
		outcomes = append(outcomes, o)
	}
	if len(outcomes) != len(sims) {
		return nil, fmt.Errorf("evaluate.mjs answered %d of %d scenarios\n%s", len(outcomes), len(sims), stderr.String())
	}
	for i, o := range outcomes {
		if o.Name != sims[i].Name {
			return nil, fmt.Errorf("answer %d is for %q, want %q", i, o.Name, sims[i].Name)
		}
	}
	return outcomes, nil
}
