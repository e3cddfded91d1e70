package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"

	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-20.3/guardduty", Control: "WP-20.3", Title: "GuardDuty on with EBS malware protection",
	Run: func(ctx context.Context, t *Target, r *Run) {
		type detector struct {
			id  string
			d   *guardduty.GetDetectorOutput
			ids int // how many ListDetectors answered
		}
		det, err := accountWide(t, "guardduty", func() (*detector, error) {
			ids, err := collectPages("guardduty:ListDetectors", func(tok *string) ([]string, *string, error) {
				out, err := t.Clients.GuardDuty.ListDetectors(ctx, &guardduty.ListDetectorsInput{NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return out.DetectorIds, out.NextToken, nil
			})
			if err != nil || len(ids) == 0 {
				return &detector{ids: len(ids)}, err
			}
			d, err := t.Clients.GuardDuty.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(ids[0])})
			if err != nil {
				return nil, fmt.Errorf("detector %s: %w", ids[0], err)
			}
			return &detector{ids[0], d, len(ids)}, nil
		})
		if err != nil {
			r.Error("GuardDuty", err, "an enabled detector")
			return
		}
		if det.d == nil {
			r.Fail("GuardDuty", fmt.Sprintf("ListDetectors answered %d detectors", det.ids), "an enabled detector (account baseline)")
			return
		}
		res := "detector " + det.id
		gd := expect.GuardDuty
		want := fmt.Sprintf("ENABLED, findings every %s, %s ENABLED (the baseline's)", gd.FindingPublishingFrequency, strings.Join(gd.Features, ", "))
		on := map[string]bool{}
		for _, f := range det.d.Features {
			on[string(f.Name)] = f.Status == "ENABLED"
		}
		var wrong []string
		if det.d.Status != "ENABLED" {
			wrong = append(wrong, "status "+string(det.d.Status))
		}
		if string(det.d.FindingPublishingFrequency) != gd.FindingPublishingFrequency {
			wrong = append(wrong, "findings every "+string(det.d.FindingPublishingFrequency))
		}
		for _, f := range gd.Features {
			if !on[f] {
				wrong = append(wrong, f+" not enabled")
			}
		}
		if len(wrong) > 0 {
			r.Fail(res, strings.Join(wrong, "; "), want)
			return
		}
		r.Pass(res, fmt.Sprintf("%s, findings every %s, %s ENABLED", det.d.Status, det.d.FindingPublishingFrequency, strings.Join(gd.Features, ", ")), want)
	}})
