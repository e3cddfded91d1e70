package verify

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// Every finding, PASS, FAIL, ERROR and N/A alike, is a valid Compliance
// Finding of the pinned OCSF version: the class's required attributes
// present, no attribute the class or its objects do not define, every
// enumerated value among the enumeration's.
func TestOCSFFindingsValidate(t *testing.T) {
	s := loadOCSF(t)
	if s.Version != OCSFVersion || s.ClassUID != ocsfClassUID || s.CategoryUID != ocsfCategoryUID {
		t.Fatalf("extract %s class %d category %d; the code says %s %d %d", s.Version, s.ClassUID, s.CategoryUID, OCSFVersion, ocsfClassUID, ocsfCategoryUID)
	}
	r := htmlReport(t)
	r.Controls[1].Checks[0].Status = catalog.Error
	r.Controls[1].Checks[0].Observations = []Observation{{Status: catalog.Error, Resource: "bucket x", Observed: "AccessDenied", Expected: "versioning"}}
	r.Controls[2].Checks[0].Status = catalog.NA
	r.Controls[2].Checks[0].Observations = []Observation{{Status: catalog.NA, Observed: "tenant active: not offboarding"}}
	var b bytes.Buffer
	if err := r.Write(&b, "ocsf"); err != nil {
		t.Fatal(err)
	}
	var findings []map[string]any
	if err := json.Unmarshal(b.Bytes(), &findings); err != nil {
		t.Fatal(err)
	}
	statuses := map[string]bool{}
	checks := 0
	for _, c := range r.Controls {
		checks += len(c.Checks)
	}
	if len(findings) != checks {
		t.Fatalf("%d findings for %d check results", len(findings), checks)
	}
	for _, f := range findings {
		comp, _ := f["compliance"].(map[string]any)
		statuses[comp["status_code"].(string)] = true
		if errs := validateOCSF(s, s.Class, f, "finding "+comp["control"].(string), []string{"cloud"}); len(errs) > 0 {
			t.Errorf("%s", strings.Join(errs, "\n"))
		}
	}
	for _, want := range []string{"PASS", "FAIL", "ERROR", "N/A"} {
		if !statuses[want] {
			t.Errorf("no %s finding among those validated: %v", want, statuses)
		}
	}
}

// The validator itself: a finding without a required attribute, with an
// attribute the class does not define, or with a value outside an
// enumeration, does not validate.
func TestOCSFValidatorRefuses(t *testing.T) {
	s := loadOCSF(t)
	r := htmlReport(t)
	base, _ := json.Marshal(r.OCSF()[0])
	for name, breakIt := range map[string]func(f map[string]any){
		"no class_uid":           func(f map[string]any) { delete(f, "class_uid") },
		"no finding_info.uid":    func(f map[string]any) { delete(f["finding_info"].(map[string]any), "uid") },
		"an unknown attribute":   func(f map[string]any) { f["tenantkit_status"] = "PASS" },
		"class_uid of another":   func(f map[string]any) { f["class_uid"] = 2004.0 },
		"compliance status 7":    func(f map[string]any) { f["compliance"].(map[string]any)["status_id"] = 7.0 },
		"time as a string":       func(f map[string]any) { f["time"] = "2026-11-25T15:30:00Z" },
		"cloud without provider": func(f map[string]any) { delete(f["cloud"].(map[string]any), "provider") },
	} {
		var f map[string]any
		_ = json.Unmarshal(base, &f)
		breakIt(f)
		if errs := validateOCSF(s, s.Class, f, "finding", []string{"cloud"}); len(errs) == 0 {
			t.Errorf("%s: validated", name)
		}
	}
}
