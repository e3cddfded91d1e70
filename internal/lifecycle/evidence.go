package lifecycle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/safefile"
)

// EvidenceSchema names the evidence file format.
const EvidenceSchema = "tenantkit.evidence/v1"

// MaxEvidenceBytes bounds a record read back (years of daily steps fit).
const MaxEvidenceBytes = 16 << 20

// Entry is one lifecycle step as it happened.
type Entry struct {
	Step     Step   `json:"step"`
	Operator string `json:"operator"`
	// ToolVersion is the tenantctl that took the step.
	ToolVersion string `json:"toolVersion,omitempty"`
	// AtUTC and AtJST are the real clock when the step ran, always.
	AtUTC time.Time `json:"atUtc"`
	AtJST string    `json:"atJst"`
	// SimulatedDay is the JST day the step acted as (--today), when that
	// was not the real day: a backfill, marked as one.
	SimulatedDay string `json:"simulatedDay,omitempty"`
	// DryRun marks entries of older versions, whose dry runs wrote one;
	// dry runs write nothing now.
	DryRun  bool   `json:"dryRun,omitempty"`
	Summary string `json:"summary"`
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

// EvidencePath is where a tenant's record lives. The tenant is a valid id
// (config.ValidateTenantID): no dot, no slash, so the path stays in dir.
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

// NewEntry stamps a step with the operator and the real time in UTC and
// JST; simulated is the --today day it acted as, or zero.
func NewEntry(step Step, now time.Time, simulated Date, summary string, details map[string]any) Entry {
	e := Entry{Step: step, Operator: Operator(), ToolVersion: cli.Version(), AtUTC: now.UTC(), AtJST: now.In(JST).Format("2006-01-02T15:04:05+09:00"), Summary: summary, Details: details}
	if !simulated.IsZero() && simulated != Today(now) {
		e.SimulatedDay = simulated.String()
	}
	return e
}

// Writable checks, before anything changes, that the tenant's record can
// take another entry: the directory exists or can be made and written, and
// the record is absent or a readable record of this tenant.
func Writable(dir, tenant string, held *safefile.Lock) error {
	if err := config.ValidateTenantID(tenant); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("evidence directory %s: %w", dir, err)
	}
	lock, err := held.Within(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	if _, err := read(dir, tenant); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return fmt.Errorf("evidence directory %s is not writable: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// Append adds an entry to the tenant's record under the evidence lock,
// atomically: concurrent steps each keep their entry, and a crash leaves
// the old record or the new one. A file that is not this tenant's record
// (another schema, another tenant, truncated, not JSON) is never written
// over: the step fails and says so.
func Append(dir, tenant string, e Entry, held *safefile.Lock) error {
	if err := config.ValidateTenantID(tenant); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	lock, err := held.Within(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	ev, err := read(dir, tenant)
	if errors.Is(err, os.ErrNotExist) {
		ev, err = &Evidence{Schema: EvidenceSchema, Tenant: tenant}, nil
	}
	if err != nil {
		return err
	}
	ev.Entries = append(ev.Entries, e)
	b, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		return err
	}
	return safefile.Write(EvidencePath(dir, tenant), append(b, '\n'), 0o644)
}

// ReadEvidence reads a tenant's record.
func ReadEvidence(dir, tenant string) (*Evidence, error) {
	if err := config.ValidateTenantID(tenant); err != nil {
		return nil, err
	}
	return read(dir, tenant)
}

func read(dir, tenant string) (*Evidence, error) {
	path := EvidencePath(dir, tenant)
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > MaxEvidenceBytes {
		return nil, fmt.Errorf("%s is not an evidence record (not a regular file, or over %d bytes): move it aside; tenantctl never writes over it", path, MaxEvidenceBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var head struct{ Schema, Tenant string }
	if json.Unmarshal(b, &head) == nil && (head.Schema != EvidenceSchema || head.Tenant != tenant) {
		return nil, fmt.Errorf("%s is not tenant %s's lifecycle evidence (schema %q, tenant %q): keep verify reports and other files out of the evidence directory; tenantctl never writes over it", path, tenant, head.Schema, head.Tenant)
	}
	var ev Evidence
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return nil, fmt.Errorf("%s is not a readable evidence record (%v): restore it from your copy or move it aside; tenantctl never writes over it", path, err)
	}
	return &ev, nil
}

// OnboardedOn is the JST day of the tenant's first recorded onboarding,
// if the record has one.
func OnboardedOn(dir, tenant string) (Date, bool) {
	ev, err := ReadEvidence(dir, tenant)
	if err != nil {
		return Date{}, false
	}
	for _, e := range ev.Entries {
		if e.Step == StepOnboard && !e.DryRun {
			return Today(e.AtUTC), true
		}
	}
	return Date{}, false
}
