package lifecycle

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"time"
)

// EvidenceSchema names the evidence file format.
const EvidenceSchema = "tenantkit.evidence/v1"

// Entry is one lifecycle step as it happened.
type Entry struct {
	Step     Step      `json:"step"`
	Operator string    `json:"operator"`
	AtUTC    time.Time `json:"atUtc"`
	AtJST    string    `json:"atJst"`
	DryRun   bool      `json:"dryRun,omitempty"`
	Summary  string    `json:"summary"`
	// Details: dates, the stack's CIDR, the resources touched, key deletion
	// dates, retained records with their retention end.
	Details map[string]any `json:"details,omitempty"`
}

// Evidence is a tenant's record, one file per tenant.
type Evidence struct {
	Schema  string  `json:"schema"`
	Tenant  string  `json:"tenant"`
	Entries []Entry `json:"entries"`
}

// EvidencePath is where a tenant's record lives.
func EvidencePath(dir, tenant string) string { return filepath.Join(dir, tenant+".json") }

// Operator names who runs the tool: TENANTKIT_OPERATOR, or user@host.
func Operator() string {
	if op := os.Getenv("TENANTKIT_OPERATOR"); op != "" {
		return op
	}
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

// NewEntry stamps a step with the operator and the time in UTC and JST.
func NewEntry(step Step, now time.Time, summary string, details map[string]any) Entry {
	return Entry{Step: step, Operator: Operator(), AtUTC: now.UTC(), AtJST: now.In(JST).Format("2006-01-02T15:04:05+09:00"), Summary: summary, Details: details}
}

// Append adds an entry to the tenant's record (written atomically).
func Append(dir, tenant string, e Entry) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := EvidencePath(dir, tenant)
	ev := Evidence{Schema: EvidenceSchema, Tenant: tenant}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &ev); err != nil {
			return fmt.Errorf("%s is not an evidence record (%v): move it aside, never edit evidence by hand", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	ev.Entries = append(ev.Entries, e)
	b, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadEvidence reads a tenant's record.
func ReadEvidence(dir, tenant string) (*Evidence, error) {
	b, err := os.ReadFile(EvidencePath(dir, tenant))
	if err != nil {
		return nil, err
	}
	var ev Evidence
	return &ev, json.Unmarshal(b, &ev)
}
