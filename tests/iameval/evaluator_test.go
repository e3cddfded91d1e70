package iameval_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tenantkit/tenantkit/tests/iameval"
)

// The evaluator's types and runner are iameval's (evaluate.go), shared
// with the journey, which puts the policies it reads back from moto to it.
type (
	simulation  = iameval.Simulation
	namedPolicy = iameval.NamedPolicy
	simRequest  = iameval.Request
	simResource = iameval.Resource
	outcome     = iameval.Outcome
)

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

// evaluatorDir is this directory: evaluate.mjs and its node_modules.
func evaluatorDir() string { return iameval.Dir() }

// evaluate runs the scenarios through evaluate.mjs, in one process.
func evaluate(t *testing.T, scenarios []scenario) []outcome {
	t.Helper()
	named := make([]iameval.Named, len(scenarios))
	for i, s := range scenarios {
		named[i] = iameval.Named{Name: s.name, Simulation: s.sim}
	}
	out, err := iameval.Evaluate(named)
	if err != nil {
		t.Fatal(err)
	}
	return out
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
