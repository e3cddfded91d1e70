package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/tests/violations"
)

// memoryCases break the in-memory world where moto cannot hold the
// violation (each case's Memory says why).
var memoryCases = map[string]func(w *world, cfg *config.Tenant, inv *Inventory){
	"07-bucket-abroad": func(w *world, _ *config.Tenant, inv *Inventory) { w.buckets[inv.Buckets.LogArchive].location = "" },
	"10-deadline-missed": func(_ *world, cfg *config.Tenant, _ *Inventory) {
		s := lifecycle.ScheduleFor(lifecycle.Today(fakeNow).AddDays(-2))
		cfg.Lifecycle = config.Lifecycle{State: config.StateActive, CancelledOn: s.CancelledOn.String(), SuspendOn: s.SuspendOn.String(), DeleteBy: s.DeleteBy.String()}
	},
	"20.5-no-streams": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.hostStreams = w.hostStreams[:len(w.hostStreams)-1]
	},
	"20.5-stale-streams": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.streamLastEvent = fakeNow.Add(-72 * time.Hour)
	},
	"21.1-log-group-no-key": func(w *world, _ *config.Tenant, _ *Inventory) { w.logGroups[1].KmsKeyId = nil },
	"21.1-rotation-off":     func(w *world, _ *config.Tenant, _ *Inventory) { w.rotation = false },
	"44-vpc-elsewhere":      func(w *world, _ *config.Tenant, _ *Inventory) { w.vpcs[0].OwnerId = aws.String("444455556666") },
	"44-key-elsewhere":      func(w *world, _ *config.Tenant, _ *Inventory) { w.key.AWSAccountId = aws.String("444455556666") },
	"44-key-arn-elsewhere": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.keyAnswerArn = strings.Replace(aws.ToString(w.key.Arn), ":111122223333:", ":444455556666:", 1)
	},
	"21.1-database-unencrypted": func(w *world, _ *config.Tenant, _ *Inventory) { w.db.StorageEncrypted = aws.Bool(false) },
	"24-alarm-operator": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.alarms[0].ComparisonOperator = cwtypes.ComparisonOperatorLessThanThreshold
	},
	"24-alarm-period":    func(w *world, _ *config.Tenant, _ *Inventory) { w.alarms[1].Period = aws.Int32(86400) },
	"24-alarm-threshold": func(w *world, _ *config.Tenant, _ *Inventory) { w.alarms[2].Threshold = aws.Float64(99) },
	"27-trail-stale": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.trailLastDelivery = fakeNow.Add(-48 * time.Hour)
	},
	"30-high-finding": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.findings = append(w.findings, insptypes.Finding{FindingArn: aws.String("arn:aws:inspector2:ap-northeast-1:111122223333:finding/f-1"), Severity: insptypes.SeverityHigh,
			Status: insptypes.FindingStatusActive, Title: aws.String("CVE-2026-0001 - openssl"), FirstObservedAt: aws.Time(fakeNow.Add(-24 * time.Hour)),
			Resources: []insptypes.Resource{{Id: aws.String(w.instances[0]), Tags: map[string]string{"Tenant": "acme"}}}})
	},
	"30-patch-missing": func(w *world, _ *config.Tenant, _ *Inventory) { w.patchStates[0].MissingCount = 3 },
	"30-patch-stale": func(w *world, _ *config.Tenant, _ *Inventory) {
		w.patchStates[0].OperationEndTime = aws.Time(fakeNow.Add(-30 * 24 * time.Hour))
	},
	"30-instance-not-scanned": func(w *world, _ *config.Tenant, _ *Inventory) { w.coverage = w.coverage[1:] },
}

// Every in-memory case of the catalogue makes its check FAIL in the
// compliant world it breaks; nothing here is outside the catalogue.
func TestViolationsInMemory(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range violations.Cases {
		ids[c.ID] = true
		breakIt, ok := memoryCases[c.ID]
		if c.Memory == "" {
			if ok {
				t.Errorf("%s: implemented in memory but moto holds it", c.ID)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: an in-memory case without an implementation", c.ID)
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			cfg, w, inv := acme(t)
			if got := runOne(t, w, cfg, inv, c.Check); got.Status != catalog.Pass && got.Status != catalog.NA {
				t.Fatalf("%s on the compliant world: %s %+v", c.Check, got.Status, got.Observations)
			}
			cfg, w, inv = acme(t)
			breakIt(w, cfg, inv)
			if got := runOne(t, w, cfg, inv, c.Check); got.Status != catalog.Fail {
				t.Errorf("%s (%s): %s is %s, want FAIL: %+v", c.ID, c.Violation, c.Check, got.Status, got.Observations)
			}
		})
	}
	for id := range memoryCases {
		if !ids[id] {
			t.Errorf("%s: implemented but not in the catalogue", id)
		}
	}
}

// No PASS without an observed value compared with an expected one: every
// PASS the compliant world gets names both (#32).
func TestEveryPassNamesItsExpectation(t *testing.T) {
	cfg, w, inv := acme(t)
	for _, r := range RunChecks(t.Context(), w.target(cfg, inv), Checks(), 4) {
		for _, o := range r.Observations {
			if o.Status == catalog.Pass && (o.Expected == "" || o.Observed == "") {
				t.Errorf("%s: a PASS of %q without observed and expected values: %+v", r.ID, o.Resource, o)
			}
		}
	}
}
