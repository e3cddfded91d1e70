// Package exceptions is the register of accepted exceptions (#37 item 6):
// a control a tenant's reports may show failing for a while, because the
// provider accepted the risk, with who accepted it, why and until when.
// The register is stacks/exceptions.yaml, changed by pull request like
// the stack files; every report of the tenant shows its exceptions while
// they last and after they expired. An exception changes no status: a
// FAIL stays a FAIL and the exit code stays 1; the reader sees that it is
// known and accepted, and until when.
package exceptions

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// File is the register's name in the stacks directory.
const File = "exceptions.yaml"

// MaxDays is the longest an exception may last: accepted risks are
// reviewed at least once a year.
const MaxDays = 365

// Exception is one accepted exception.
type Exception struct {
	Tenant string `yaml:"tenant" json:"tenant"`
	// Control is the catalog control accepted as failing; Check narrows
	// it to one of its checks (empty: the whole control).
	Control string `yaml:"control" json:"control"`
	Check   string `yaml:"check,omitempty" json:"check,omitempty"`
	// Reason says why the risk is accepted, and what stands in for the
	// control meanwhile.
	Reason string `yaml:"reason" json:"reason"`
	// AcceptedBy is who accepted the risk (a name and role), AcceptedOn
	// and Until the JST days it lasts (Until included).
	AcceptedBy string `yaml:"acceptedBy" json:"acceptedBy"`
	AcceptedOn string `yaml:"acceptedOn" json:"acceptedOn"`
	Until      string `yaml:"until" json:"until"`
	// Ticket is the record of the decision (an issue, a risk register id).
	Ticket string `yaml:"ticket,omitempty" json:"ticket,omitempty"`
	// Active is set for a report: whether the report's day falls within.
	Active bool `yaml:"-" json:"active"`
}

type register struct {
	Exceptions []Exception `yaml:"exceptions"`
}

// Load reads and validates the register in dir; no file is an empty
// register. Every fault is named with its field, value and fix.
func Load(dir string) ([]Exception, error) {
	path := filepath.Join(dir, File)
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	b, err := stackfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var reg register
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&reg); err != nil {
		return nil, fmt.Errorf("%s: %w (the register is a list under exceptions:, each with tenant, control, reason, acceptedBy, acceptedOn, until and optionally check and ticket)", path, err)
	}
	var errs []error
	for i, e := range reg.Exceptions {
		if err := e.validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: exceptions[%d]: %w", path, i, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return reg.Exceptions, nil
}

func (e Exception) validate() error {
	bad := func(field, value, fix string) error { return fmt.Errorf("%s %q: %s", field, value, fix) }
	if config.ValidateTenantID(e.Tenant) != nil {
		return bad("tenant", e.Tenant, "write the tenant's id, as in its stack file's name")
	}
	if _, ok := catalog.ByID(e.Control); !ok {
		return bad("control", e.Control, "write a control id of the catalog (docs/controls.md), such as WP-20.5")
	}
	if e.Check != "" && (len(e.Check) <= len(e.Control)+1 || e.Check[:len(e.Control)+1] != e.Control+"/") {
		return bad("check", e.Check, "write one of "+e.Control+"'s checks (WP-x/name), or leave check out for the whole control")
	}
	if e.Reason == "" {
		return bad("reason", e.Reason, "say why the risk is accepted and what stands in for the control meanwhile")
	}
	if e.AcceptedBy == "" {
		return bad("acceptedBy", e.AcceptedBy, "name who accepted the risk, and their role")
	}
	on, err := lifecycle.ParseDate(e.AcceptedOn)
	if err != nil {
		return bad("acceptedOn", e.AcceptedOn, "write the JST day it was accepted, YYYY-MM-DD")
	}
	until, err := lifecycle.ParseDate(e.Until)
	if err != nil {
		return bad("until", e.Until, "write the last JST day it lasts, YYYY-MM-DD")
	}
	if until.Before(on) || on.DaysUntil(until) > MaxDays {
		return bad("until", e.Until, fmt.Sprintf("an exception lasts from acceptedOn (%s) for at most %d days: review it and accept it again", e.AcceptedOn, MaxDays))
	}
	return nil
}

// For are the tenant's exceptions as of a JST day, each marked active or
// not (expired ones stay on the report, so a reader sees one ran out).
func For(all []Exception, tenant string, today lifecycle.Date) []Exception {
	var out []Exception
	for _, e := range all {
		if e.Tenant != tenant {
			continue
		}
		on, _ := lifecycle.ParseDate(e.AcceptedOn)
		until, _ := lifecycle.ParseDate(e.Until)
		e.Active = !today.Before(on) && !until.Before(today)
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Exception) int {
		if c := strings.Compare(a.Control, b.Control); c != 0 {
			return c
		}
		return strings.Compare(a.Until, b.Until)
	})
	return out
}

// Covers tells whether an active exception covers a control (or one of
// its checks).
func Covers(es []Exception, control string) *Exception {
	for i, e := range es {
		if e.Active && e.Control == control {
			return &es[i]
		}
	}
	return nil
}
