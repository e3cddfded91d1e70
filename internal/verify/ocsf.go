package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tenantkit/tenantkit/internal/catalog"
)

// Findings other tools import: OCSF Compliance Finding events (class 2003,
// category Findings), the format Prowler writes and AWS Security Lake
// takes, one per check result; validated in the tests against the class as
// ocsf/ocsf-schema defines it at OCSFVersion (ocsf_schema_test.go).

// OCSFVersion is the OCSF schema version the findings follow.
const OCSFVersion = "1.8.0"

// OCSF identifiers of the class: ocsf-schema categories.json gives findings
// uid 2, events/findings/compliance_finding.json the class uid 3; the OCSF
// server composes class_uid as category uid * 1000 + class uid
// (schema.ocsf.io lists Compliance Finding as 2003), and dictionary.json
// defines type_uid as class_uid * 100 + activity_id.
const (
	ocsfCategoryUID = 2
	ocsfClassUID    = ocsfCategoryUID*1000 + 3
	ocsfActivity    = 1 // Create
)

type ocsfProduct struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version"`
}

type ocsfMetadata struct {
	Version   string      `json:"version"`
	Product   ocsfProduct `json:"product"`
	Profiles  []string    `json:"profiles"`
	TenantUID string      `json:"tenant_uid"`
	LogName   string      `json:"log_name"`
}

type ocsfFindingInfo struct {
	UID   string   `json:"uid"`
	Title string   `json:"title"`
	Desc  string   `json:"desc,omitempty"`
	Types []string `json:"types"`
}

type ocsfCompliance struct {
	Standards    []string `json:"standards"`
	Control      string   `json:"control"`
	Requirements []string `json:"requirements"`
	Desc         string   `json:"desc,omitempty"`
	StatusID     int      `json:"status_id,omitempty"`
	Status       string   `json:"status,omitempty"`
	StatusCode   string   `json:"status_code"`
	StatusDetail string   `json:"status_detail,omitempty"`
}

type ocsfResource struct {
	UID            string `json:"uid"`
	Region         string `json:"region,omitempty"`
	CloudPartition string `json:"cloud_partition"`
	Data           any    `json:"data,omitempty"`
}

type ocsfAccount struct {
	UID string `json:"uid"`
}

type ocsfCloud struct {
	Provider string      `json:"provider"`
	Region   string      `json:"region"`
	Account  ocsfAccount `json:"account"`
}

type ocsfRemediation struct {
	Desc string `json:"desc"`
}

// OCSFFinding is one Compliance Finding.
type OCSFFinding struct {
	ActivityID     int              `json:"activity_id"`
	ActivityName   string           `json:"activity_name"`
	CategoryUID    int              `json:"category_uid"`
	CategoryName   string           `json:"category_name"`
	ClassUID       int              `json:"class_uid"`
	ClassName      string           `json:"class_name"`
	TypeUID        int64            `json:"type_uid"`
	TypeName       string           `json:"type_name"`
	SeverityID     int              `json:"severity_id"`
	Severity       string           `json:"severity"`
	Time           int64            `json:"time"`
	TimezoneOffset int              `json:"timezone_offset"`
	Message        string           `json:"message"`
	StatusID       int              `json:"status_id"`
	Status         string           `json:"status"`
	Metadata       ocsfMetadata     `json:"metadata"`
	FindingInfo    ocsfFindingInfo  `json:"finding_info"`
	Compliance     ocsfCompliance   `json:"compliance"`
	Resources      []ocsfResource   `json:"resources,omitempty"`
	Remediation    *ocsfRemediation `json:"remediation,omitempty"`
	Cloud          ocsfCloud        `json:"cloud"`
}

// OCSF turns the report into one Compliance Finding per check result.
func (r *Report) OCSF() []OCSFFinding {
	t, err := time.Parse(time.RFC3339, r.Time.UTC)
	if err != nil {
		t = time.Time{}
	}
	var out []OCSFFinding
	for _, c := range r.Controls {
		cat, _ := catalog.ByID(c.ID)
		en := catalog.TextsOf(cat, catalog.LangEN)
		sevID, sev := 4, "High" // a mandatory control (OCSF severity_id 4)
		if cat.Severity == catalog.Advisory {
			sevID, sev = 2, "Low"
		}
		for _, ch := range c.Checks {
			title := ch.ID
			if k, ok := checkByID(ch.ID); ok {
				title = k.Title
			}
			f := OCSFFinding{
				ActivityID: ocsfActivity, ActivityName: "Create",
				CategoryUID: ocsfCategoryUID, CategoryName: "Findings",
				ClassUID: ocsfClassUID, ClassName: "Compliance Finding",
				TypeUID: ocsfClassUID*100 + ocsfActivity, TypeName: "Compliance Finding: Create",
				SeverityID: sevID, Severity: sev,
				Time: t.UnixMilli(), TimezoneOffset: 540, // the report's clock is JST
				Message:  fmt.Sprintf("%s %s: %s (%s)", c.ID, en.Title, ch.Status, ch.ID),
				StatusID: 1, Status: "New",
				Metadata: ocsfMetadata{Version: OCSFVersion, Product: ocsfProduct{Name: "tenantkit", VendorName: "tenantkit", Version: r.ToolVersion},
					Profiles: []string{"cloud"}, TenantUID: r.Tenant, LogName: "tenantctl verify"},
				FindingInfo: ocsfFindingInfo{UID: strings.Join([]string{"tenantkit", r.Account, r.Tenant, ch.ID}, "/"), Title: title,
					Desc: en.Live, Types: []string{"Compliance"}},
				Compliance: ocsfCompliance{
					Standards:    []string{"tenantkit controls of the cloud security whitepaper (JIS Q 27017 / ISO/IEC 27017)"},
					Control:      c.ID,
					Requirements: requirements(c.ID, c.Section, en.Section, cat.TitleJA),
					Desc:         en.Title,
					StatusCode:   string(ch.Status),
				},
				Cloud: ocsfCloud{Provider: "AWS", Region: r.Region, Account: ocsfAccount{UID: r.Account}},
			}
			// compliance.status_id: 1 Pass, 2 Warning ("did not yield a
			// result due to missing information": ERROR), 3 Fail, 99
			// Other for N/A (the status names it).
			switch ch.Status {
			case catalog.NA:
				f.Compliance.StatusID, f.Compliance.Status = 99, "Not applicable"
			case catalog.Pending:
				f.Compliance.StatusID, f.Compliance.Status = 99, "Pending"
			case catalog.Pass:
				f.Compliance.StatusID, f.Compliance.Status = 1, "Pass"
			case catalog.Error:
				f.Compliance.StatusID, f.Compliance.Status = 2, "Warning"
			case catalog.Fail:
				f.Compliance.StatusID, f.Compliance.Status = 3, "Fail"
			}
			var details []string
			for _, o := range ch.Observations {
				if o.Status == catalog.NA {
					details = append(details, o.Observed)
					continue
				}
				if o.Resource != "" {
					f.Resources = append(f.Resources, ocsfResource{UID: o.Resource, Region: r.Region, CloudPartition: "aws",
						Data: map[string]string{"status": string(o.Status), "observed": o.Observed, "expected": o.Expected}})
				}
				if o.Status == ch.Status && o.Status != catalog.Pass {
					details = append(details, fmt.Sprintf("%s: %s; expected %s", o.Resource, o.Observed, o.Expected))
				}
			}
			f.Compliance.StatusDetail = strings.Join(details, "\n")
			if (ch.Status == catalog.Fail || ch.Status == catalog.Error) && en.Remediation != "" {
				f.Remediation = &ocsfRemediation{Desc: en.Remediation}
			}
			out = append(out, f)
		}
	}
	return out
}

func (r *Report) ocsf(w io.Writer) error {
	b, err := json.MarshalIndent(r.OCSF(), "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(jsonVisible(b)))
	return err
}

// requirements are what a finding answers: the whitepaper's section, and
// the ISO/IEC 27017:2015 and 27002:2022 clauses (catalog.Sections), as
// Security Hub findings carry the framework requirements they map to.
func requirements(id, section, title, titleJA string) []string {
	out := []string{"§" + section + " " + title + " (" + titleJA + ")"}
	a, b := catalog.ClausesOf(id)
	for _, c := range a {
		out = append(out, "ISO/IEC 27017:2015 "+c)
	}
	for _, c := range b {
		out = append(out, "ISO/IEC 27002:2022 "+c)
	}
	return out
}
