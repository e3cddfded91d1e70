package expect

import (
	"os/exec"
	"strings"
	"testing"
)

// The judges compare with this package, never with the components they
// judge: neither the live checks nor the plan rules import components/,
// and the verifier links no Pulumi SDK at all.
func TestJudgesImportNoComponent(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/tenantkit/tenantkit/internal/verify").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "pulumi") || strings.Contains(p, "tenantkit/components") {
			t.Errorf("internal/verify depends on %s", p)
		}
	}
	out, err = exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "github.com/tenantkit/tenantkit/internal/policy").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "tenantkit/components") {
			t.Errorf("internal/policy imports %s", p)
		}
	}
}
