// Package verify proves the controls on the deployed account (WP-44): each
// check reads the AWS APIs through small interfaces, names the resource,
// the observed and the expected value, and fails closed: an API that
// cannot be read (access denied, unsupported, throttled past the retries, a
// resource that is missing) is ERROR, never PASS.
//
// Control WP-x's checks sit in wpX.go (wp20_4.go for WP-20.4), beside the
// plan rule's internal/policy/wpX.go; the AWS reads several controls share
// sit in ec2.go, storage.go and compute.go, memoised per target (memo.go).
package verify

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aws/smithy-go"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

// Target is one tenant to verify.
type Target struct {
	Inv *Inventory
	// Cfg is the tenant's stack config: the expected values.
	Cfg *config.Tenant
	// OtherCidrs are the other tenants' ranges (no route may reach them).
	OtherCidrs map[string]netip.Prefix
	Clients    *Clients
	// Baseline is the account baseline's config: the expected password
	// policy. Nil when no baseline stack is known (account checks ERROR).
	Baseline *config.Baseline
	// Shared memoizes account-wide reads across a fleet; nil for one tenant.
	Shared *Memo
	// Progress, when set, hears of every finished check.
	Progress func(done, total int, check string)
	// Now is the clock the §10 deadlines are judged by (nil: clock.Now).
	Now func() time.Time

	memo Memo
}

// Observation is one thing a check looked at.
type Observation struct {
	Status   catalog.Status `json:"status"`
	Resource string         `json:"resource"`
	Observed string         `json:"observed"`
	Expected string         `json:"expected"`
	// ReasonJA is an N/A's reason in Japanese (Observed holds the
	// English): the reason is the tool's words, not a value read.
	ReasonJA string `json:"reasonJa,omitempty"`
	// ReadAt is when the observation was made (UTC, RFC 3339): an
	// observation is as of its reading, not of the report (#37 item 6).
	ReadAt string `json:"readAt,omitempty"`
}

// Run collects a check's observations.
type Run struct {
	mu      sync.Mutex
	obs     []Observation
	dropped int // observations past MaxObservations, not kept
}

// MaxObservations bounds what one check keeps (#36 item 2): a check reads
// a tenant's own resources, tens of them; an endpoint that invents
// thousands would otherwise grow the run's memory and every report
// without end. Past it the check is ERROR naming the budget.
const MaxObservations = 1000

// Pass records a resource that meets the control: what was read, and the
// value the stack declares that it was compared with (a PASS names both,
// so a reader sees the comparison, never a bare "present").
func (r *Run) Pass(resource, observed, expected string) {
	r.add(Observation{Status: catalog.Pass, Resource: resource, Observed: observed, Expected: expected})
}

// Pending records a reading that is not due yet (why says until when):
// never a pass.
func (r *Run) Pending(resource, why, expected string) {
	r.add(Observation{Status: catalog.Pending, Resource: resource, Observed: why, Expected: expected})
}

// Fail records a resource that does not.
func (r *Run) Fail(resource, observed, expected string) {
	r.add(Observation{Status: catalog.Fail, Resource: resource, Observed: observed, Expected: expected})
}

// Error records what could not be read.
func (r *Run) Error(resource string, err error, expected string) {
	r.add(Observation{Status: catalog.Error, Resource: resource, Observed: "cannot read: " + describe(err), Expected: expected})
}

// NA records that the check does not apply, and why, in English and in
// Japanese (the Japanese pages show the reason; a test holds them to
// Japanese).
func (r *Run) NA(why, ja string) { r.add(Observation{Status: catalog.NA, Observed: why, ReasonJA: ja}) }

func (r *Run) add(o Observation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.obs) >= MaxObservations {
		r.dropped++
		return
	}
	o.ReadAt = clock.Now().UTC().Format(time.RFC3339)
	r.obs = append(r.obs, o)
}

// result is what the check observed, with an ERROR for what the budget
// kept out.
func (r *Run) result() []Observation {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dropped > 0 {
		return append(r.obs, Observation{Status: catalog.Error, Resource: "this check",
			Observed: fmt.Sprintf("%d more observations were not kept: past the budget of %d per check, far beyond any tenant's resources (an endpoint inventing them?)", r.dropped, MaxObservations),
			Expected: "a tenant's own resources, within the budget"})
	}
	return r.obs
}

// describe names an AWS error by its code.
func describe(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}

// isCode tells whether err is an AWS error with one of the codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && slices.Contains(codes, ae.ErrorCode())
}

// Check is one live check of a control.
type Check struct {
	ID      string // e.g. WP-21.1/bucket-encryption
	Control string
	Title   string
	Run     func(ctx context.Context, t *Target, r *Run)
}

var checks []Check

func register(c Check) Check {
	if _, ok := catalog.ByID(c.Control); !ok {
		panic("verify: unknown control " + c.Control)
	}
	checks = append(checks, c)
	return c
}

// Checks lists every check in a stable order.
func Checks() []Check {
	out := slices.Clone(checks)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CheckResult is one check's outcome.
type CheckResult struct {
	ID           string         `json:"id"`
	Status       catalog.Status `json:"status"`
	Observations []Observation  `json:"observations"`
}

// why is the observation that says why a check took its status (the
// first of that status): for an N/A or PENDING check, why it did not
// judge.
func (r CheckResult) why() Observation {
	for _, o := range r.Observations {
		if o.Status == r.Status {
			return o
		}
	}
	return Observation{}
}

// status of a set of observations: FAIL beats ERROR beats PENDING beats
// PASS; nothing observed at all is ERROR (a check that saw nothing proved
// nothing).
func status(obs []Observation) catalog.Status {
	has := map[catalog.Status]bool{}
	for _, o := range obs {
		has[o.Status] = true
	}
	switch {
	case has[catalog.Fail]:
		return catalog.Fail
	case has[catalog.Error]:
		return catalog.Error
	case has[catalog.Pending]:
		return catalog.Pending
	case has[catalog.Pass]:
		return catalog.Pass
	case has[catalog.NA]:
		return catalog.NA
	}
	return catalog.Error
}

// RunChecks runs the checks with at most parallel at once.
func RunChecks(ctx context.Context, t *Target, list []Check, parallel int) []CheckResult {
	if parallel < 1 {
		parallel = 1
	}
	out := make([]CheckResult, len(list))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, c := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := &Run{}
			func() {
				defer func() {
					if p := recover(); p != nil {
						r.Error(c.ID, fmt.Errorf("check panicked: %v", p), "a check that completes")
					}
				}()
				c.Run(ctx, t, r)
			}()
			obs := r.result()
			out[i] = CheckResult{ID: c.ID, Status: status(obs), Observations: obs}
			if t.Progress != nil {
				mu.Lock()
				done++
				t.Progress(done, len(list), c.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// ControlResult is a control's outcome over its checks.
type ControlResult struct {
	ID      string `json:"id"`
	Section string `json:"section"`
	// SectionTitleJA and SectionTitleEN are the whitepaper section's title.
	SectionTitleJA string `json:"sectionTitleJa"`
	SectionTitleEN string `json:"sectionTitleEn"`
	Title          string `json:"title"`
	// Checked says what the live checks establish (the catalog's words).
	Checked  string            `json:"checked,omitempty"`
	Severity string            `json:"severity"`
	Status   catalog.Status    `json:"status"`
	Checks   []CheckResult     `json:"checks"`
	Findings []catalog.Finding `json:"findings"`
	// NotJudged names the checks of a control that did not judge (N/A or
	// PENDING, with why) beside others that did: a PASS of the rest is
	// not a PASS of those.
	NotJudged []string `json:"notJudged,omitempty"`
	// Remediation is what to do when the control does not pass.
	Remediation string `json:"remediation,omitempty"`
}

// checkByID finds a registered check.
func checkByID(id string) (Check, bool) {
	for _, c := range checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// Controls folds check results into the catalog's controls.
func Controls(results []CheckResult) []ControlResult {
	byControl := map[string][]CheckResult{}
	for _, r := range results {
		if c, ok := checkByID(r.ID); ok {
			byControl[c.Control] = append(byControl[c.Control], r)
		}
	}
	var out []ControlResult
	for _, c := range catalog.Controls {
		rs, ok := byControl[c.ID]
		if !ok {
			continue
		}
		cr := ControlResult{ID: c.ID, Section: c.Section, SectionTitleJA: c.TitleJA, SectionTitleEN: catalog.SectionTitleEN[c.ID],
			Title: c.Title, Checked: c.Live, Severity: string(c.Severity), Checks: rs}
		var obs []Observation
		for _, r := range rs {
			obs = append(obs, r.Observations...)
		}
		// A control is N/A only when every check is.
		statuses := map[catalog.Status]bool{}
		for _, r := range rs {
			statuses[r.Status] = true
		}
		switch {
		case statuses[catalog.Fail]:
			cr.Status = catalog.Fail
		case statuses[catalog.Error]:
			cr.Status = catalog.Error
		case statuses[catalog.Pending]:
			cr.Status = catalog.Pending
		case statuses[catalog.Pass]:
			cr.Status = catalog.Pass
		default:
			cr.Status = catalog.NA
		}
		if cr.Status != catalog.NA {
			for _, r := range rs {
				if r.Status == catalog.NA || r.Status == catalog.Pending {
					cr.NotJudged = append(cr.NotJudged, fmt.Sprintf("%s %s: %s", r.ID, r.Status, r.why().Observed))
				}
			}
		}
		if cr.Status == catalog.Fail || cr.Status == catalog.Error {
			cr.Remediation = catalog.Remediation[c.ID]
		}
		for _, o := range obs {
			if o.Status == catalog.Fail || o.Status == catalog.Error {
				cr.Findings = append(cr.Findings, catalog.Finding{Resource: o.Resource, Observed: o.Observed, Expected: o.Expected})
			}
		}
		out = append(out, cr)
	}
	return out
}

// age is how long ago an instant AWS reported was: on the target's clock
// when one is set (the tests' fake world), on the system clock otherwise.
func (t *Target) age(at time.Time) time.Duration {
	if t.Now != nil {
		return t.Now().Sub(at)
	}
	return clock.Since(at)
}

// today is the JST day the target is judged on.
func (t *Target) today() lifecycle.Date {
	if t.Now != nil {
		return lifecycle.Today(t.Now())
	}
	return lifecycle.Today(clock.Now())
}
