package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
)

var _ = register(Check{ID: "WP-20.3/guardduty", Control: "WP-20.3", Title: "GuardDuty on with EBS malware protection",
	Run: func(ctx context.Context, t *Target, r *Run) {
		type detector struct {
			id string
			d  *guardduty.GetDetectorOutput
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
				return nil, err
			}
			d, err := t.Clients.GuardDuty.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(ids[0])})
			if err != nil {
				return nil, fmt.Errorf("detector %s: %w", ids[0], err)
			}
			return &detector{ids[0], d}, nil
		})
		if err != nil {
			r.Error("GuardDuty", err, "an enabled detector")
			return
		}
		if det == nil {
			r.Fail("GuardDuty", "no detector", "an enabled detector (account baseline)")
			return
		}
		res := "detector " + det.id
		if det.d.Status != "ENABLED" {
			r.Fail(res, string(det.d.Status), "ENABLED")
			return
		}
		for _, f := range det.d.Features {
			if f.Name == "EBS_MALWARE_PROTECTION" && f.Status == "ENABLED" {
				r.Pass(res, "enabled with EBS malware protection")
				return
			}
		}
		r.Fail(res, "EBS malware protection off", "EBS_MALWARE_PROTECTION ENABLED")
	}})
