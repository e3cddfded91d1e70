package verify

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-30/database-upgrades", Control: "WP-30", Title: "the database takes minor version upgrades",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "automatic minor version upgrades")
		if !ok {
			return
		}
		if !aws.ToBool(db.AutoMinorVersionUpgrade) {
			r.Fail(res, fieldOf(db, "AutoMinorVersionUpgrade"), "automatic minor version upgrades in the maintenance window")
			return
		}
		r.Pass(res, fieldOf(db, "AutoMinorVersionUpgrade"), "automatic minor version upgrades in the maintenance window")
	}})

var _ = register(Check{ID: "WP-30/inspector", Control: "WP-30", Title: "Inspector scans EC2 and ECR",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := accountWide(t, "inspector", func() (*inspector2.BatchGetAccountStatusOutput, error) {
			return t.Clients.Inspector.BatchGetAccountStatus(ctx, &inspector2.BatchGetAccountStatusInput{AccountIds: []string{t.Inv.AccountID}})
		})
		if err != nil {
			r.Error("Inspector", err, "EC2 and ECR scanning enabled")
			return
		}
		for _, a := range out.Accounts {
			if aws.ToString(a.AccountId) != t.Inv.AccountID || a.ResourceState == nil {
				continue
			}
			rs := a.ResourceState
			if rs.Ec2 == nil || rs.Ec2.Status != "ENABLED" || rs.Ecr == nil || rs.Ecr.Status != "ENABLED" {
				r.Fail("Inspector in "+t.Inv.AccountID, fieldOf(rs, "Ec2.Status")+", "+fieldOf(rs, "Ecr.Status"), "EC2 and ECR ENABLED")
			} else {
				r.Pass("Inspector in "+t.Inv.AccountID, fmt.Sprintf("EC2 %s, ECR %s", rs.Ec2.Status, rs.Ecr.Status), "EC2 and ECR ENABLED")
			}
			return
		}
		r.Error("Inspector in "+t.Inv.AccountID, fmt.Errorf("account not in the answer"), "EC2 and ECR ENABLED")
	}})

var _ = register(Check{ID: "WP-30/patching", Control: "WP-30", Title: "a patch association for the tenant's instances",
	Run: func(ctx context.Context, t *Target, r *Run) {
		// The tenant's association by its name, all pages: a page holds at
		// most 50, and an account of many tenants has many (SSM API
		// reference, ListAssociations). The filter is re-checked here.
		name := config.PatchAssociationName(t.Inv.Tenant)
		found := ""
		err := allPages("ssm:ListAssociations", func(tok *string) (*string, error) {
			page, err := t.Clients.SSM.ListAssociations(ctx, &ssm.ListAssociationsInput{AssociationFilterList: []ssmtypes.AssociationFilter{
				{Key: ssmtypes.AssociationFilterKeyAssociationName, Value: aws.String(name)}}, NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, a := range page.Associations {
				if aws.ToString(a.AssociationName) != name || aws.ToString(a.Name) != expect.Patch.Document || aws.ToString(a.ScheduleExpression) != expect.Patch.Schedule {
					continue
				}
				for _, tg := range a.Targets {
					if aws.ToString(tg.Key) == "tag:aws:autoscaling:groupName" && slices.Contains(tg.Values, t.Inv.AutoScalingGroup) {
						found = aws.ToString(a.AssociationId)
					}
				}
			}
			return page.NextToken, nil
		})
		switch {
		case err != nil:
			r.Error("patch associations", err, "AWS-RunPatchBaseline for "+t.Inv.AutoScalingGroup)
			return
		case found != "":
			r.Pass("association "+found, expect.Patch.Document+" "+expect.Patch.Schedule+" on "+t.Inv.AutoScalingGroup, expect.Patch.Document+" "+expect.Patch.Schedule+" for "+t.Inv.AutoScalingGroup)
			return
		}
		r.Fail("tenant "+t.Inv.Tenant, "no association "+name+" of "+expect.Patch.Document+" on "+expect.Patch.Schedule+" targets "+t.Inv.AutoScalingGroup, expect.Patch.Document+" "+expect.Patch.Schedule+" for the tenant's instances")
	}})

// maxShown bounds the findings a report lists one by one; the rest are
// counted.
const maxShown = 20

// WP-30/findings: the vulnerabilities Inspector found on the tenant's
// resources (its Tenant tag, re-checked on every finding), active and of
// high or critical severity, each shown; none is PASS (Inspector API
// reference, ListFindings, FilterCriteria).
var _ = register(Check{ID: "WP-30/findings", Control: "WP-30", Title: "no active high or critical Inspector finding on the tenant's resources",
	Run: func(ctx context.Context, t *Target, r *Run) {
		const expected = "no active HIGH or CRITICAL finding (Inspector)"
		eq := insptypes.StringComparisonEquals
		criteria := &insptypes.FilterCriteria{
			ResourceTags:  []insptypes.MapFilter{{Comparison: insptypes.MapComparisonEquals, Key: aws.String("Tenant"), Value: aws.String(t.Inv.Tenant)}},
			FindingStatus: []insptypes.StringFilter{{Comparison: eq, Value: aws.String("ACTIVE")}},
			Severity:      []insptypes.StringFilter{{Comparison: eq, Value: aws.String("HIGH")}, {Comparison: eq, Value: aws.String("CRITICAL")}},
		}
		var found []insptypes.Finding
		err := allPages("inspector2:ListFindings", func(tok *string) (*string, error) {
			out, err := t.Clients.Inspector.ListFindings(ctx, &inspector2.ListFindingsInput{FilterCriteria: criteria, NextToken: tok})
			if err != nil {
				return nil, err
			}
			for _, f := range out.Findings {
				if findingOfTenant(f, t.Inv.Tenant) && (f.Severity == insptypes.SeverityHigh || f.Severity == insptypes.SeverityCritical) && f.Status == insptypes.FindingStatusActive {
					found = append(found, f)
				}
			}
			return out.NextToken, nil
		})
		if err != nil {
			r.Error("Inspector findings of "+t.Inv.Tenant, err, expected)
			return
		}
		if len(found) == 0 {
			r.Pass("Inspector findings of "+t.Inv.Tenant, fmt.Sprintf("%d active HIGH or CRITICAL findings", len(found)), expected)
			return
		}
		for i, f := range found {
			if i == maxShown {
				r.Fail("Inspector findings of "+t.Inv.Tenant, fmt.Sprintf("%d more active HIGH or CRITICAL findings", len(found)-maxShown), expected)
				break
			}
			res := "finding " + aws.ToString(f.FindingArn)
			if len(f.Resources) > 0 {
				res = aws.ToString(f.Resources[0].Id)
			}
			r.Fail(res, fmt.Sprintf("%s %s, active since %s", f.Severity, aws.ToString(f.Title), aws.ToTime(f.FirstObservedAt).In(config.JST).Format("2006-01-02")), expected)
		}
	}})

// findingOfTenant: a resource of the finding carries the tenant's tag.
func findingOfTenant(f insptypes.Finding, tenant string) bool {
	for _, res := range f.Resources {
		if res.Tags["Tenant"] == tenant {
			return true
		}
	}
	return false
}

// WP-30/patch-compliance: every instance of the tenant's group has a
// Patch Manager state with nothing missing and nothing failed (Systems
// Manager API reference, DescribeInstancePatchStates); an instance never
// scanned is FAIL, an unreadable state ERROR.
var _ = register(Check{ID: "WP-30/patch-compliance", Control: "WP-30", Title: "every instance patched: nothing missing, nothing failed",
	Run: func(ctx context.Context, t *Target, r *Run) {
		expected := fmt.Sprintf("a patch state with 0 missing and 0 failed, at most %s old", catalog.MaxAge.PatchScan)
		ids, launched, ok := groupInstances(ctx, t, r, expected)
		if !ok {
			return
		}
		states := map[string]ssmtypes.InstancePatchState{}
		for start := 0; start < len(ids); start += 50 { // at most 50 instance ids a request
			batch := ids[start:min(start+50, len(ids))]
			err := allPages("ssm:DescribeInstancePatchStates", func(tok *string) (*string, error) {
				out, err := t.Clients.SSM.DescribeInstancePatchStates(ctx, &ssm.DescribeInstancePatchStatesInput{InstanceIds: batch, NextToken: tok})
				if err != nil {
					return nil, err
				}
				for _, s := range out.InstancePatchStates {
					states[aws.ToString(s.InstanceId)] = s
				}
				return out.NextToken, nil
			})
			if err != nil {
				r.Error("patch states of "+t.Inv.AutoScalingGroup, err, expected)
				return
			}
		}
		for _, id := range ids {
			s, ok := states[id]
			age := t.age(aws.ToTime(s.OperationEndTime))
			switch {
			case !ok && t.age(launched[id]) < catalog.MaxAge.PatchScan:
				r.Pending("instance "+id, fmt.Sprintf("launched %s ago, not scanned yet: the weekly association (%s) scans it by %s after launch", t.age(launched[id]).Round(time.Minute), expect.Patch.Schedule, catalog.MaxAge.PatchScan), expected)
			case !ok:
				r.Fail("instance "+id, notAmong(len(states), "patch states", "DescribeInstancePatchStates")+": never scanned by Patch Manager", expected)
			case s.MissingCount > 0 || s.FailedCount > 0:
				r.Fail("instance "+id, fmt.Sprintf("%d missing, %d failed (baseline %s, %s)", s.MissingCount, s.FailedCount, aws.ToString(s.BaselineId), s.Operation), expected)
			case age > catalog.MaxAge.PatchScan:
				r.Fail("instance "+id, fmt.Sprintf("the latest patch scan %s ago (%s)", age.Round(time.Hour), aws.ToTime(s.OperationEndTime).In(config.JST).Format("2006-01-02 15:04 JST")), expected)
			default:
				r.Pass("instance "+id, fmt.Sprintf("0 missing, 0 failed, %d installed (%s at %s, %s ago)", s.InstalledCount, s.Operation, aws.ToTime(s.OperationEndTime).In(config.JST).Format("2006-01-02 15:04 JST"), age.Round(time.Minute)), expected)
			}
		}
	}})

// WP-30/inspector-coverage: Inspector scans every instance of the tenant's
// group, and scanned it recently (Inspector API reference, ListCoverage:
// scanStatus ACTIVE, lastScannedAt). An instance younger than its first
// scan is due is PENDING.
var _ = register(Check{ID: "WP-30/inspector-coverage", Control: "WP-30", Title: "Inspector scans every instance of the tenant, recently",
	Run: func(ctx context.Context, t *Target, r *Run) {
		expected := fmt.Sprintf("covered by Inspector, scan status ACTIVE, scanned within %s", catalog.MaxAge.InspectorScan)
		ids, launched, ok := groupInstances(ctx, t, r, expected)
		if !ok {
			return
		}
		covered := map[string]insptypes.CoveredResource{}
		for start := 0; start < len(ids); start += 10 { // a filter holds at most 10 values
			var filter []insptypes.CoverageStringFilter
			for _, id := range ids[start:min(start+10, len(ids))] {
				filter = append(filter, insptypes.CoverageStringFilter{Comparison: insptypes.CoverageStringComparisonEquals, Value: aws.String(id)})
			}
			err := allPages("inspector2:ListCoverage", func(tok *string) (*string, error) {
				out, err := t.Clients.Inspector.ListCoverage(ctx, &inspector2.ListCoverageInput{FilterCriteria: &insptypes.CoverageFilterCriteria{ResourceId: filter}, NextToken: tok})
				if err != nil {
					return nil, err
				}
				for _, c := range out.CoveredResources {
					covered[aws.ToString(c.ResourceId)] = c
				}
				return out.NextToken, nil
			})
			if err != nil {
				r.Error("Inspector coverage of "+t.Inv.AutoScalingGroup, err, expected)
				return
			}
		}
		for _, id := range ids {
			res := "instance " + id
			c, ok := covered[id]
			young := t.age(launched[id]) < catalog.MaxAge.FirstReading
			switch {
			case !ok && young:
				r.Pending(res, fmt.Sprintf("launched %s ago, not yet covered", t.age(launched[id]).Round(time.Second)), expected)
			case !ok:
				r.Fail(res, notAmong(len(covered), "resources Inspector covers", "ListCoverage"), expected)
			case c.ScanStatus == nil || c.ScanStatus.StatusCode != insptypes.ScanStatusCodeActive:
				code := "none"
				if c.ScanStatus != nil {
					code = string(c.ScanStatus.StatusCode) + " " + string(c.ScanStatus.Reason)
				}
				r.Fail(res, "scan status "+code, expected)
			case c.LastScannedAt == nil && young:
				r.Pending(res, "covered, "+fieldOf(c, "LastScannedAt"), expected)
			case c.LastScannedAt == nil || t.age(*c.LastScannedAt) > catalog.MaxAge.InspectorScan:
				r.Fail(res, "the latest scan "+aws.ToTime(c.LastScannedAt).In(config.JST).Format("2006-01-02 15:04 JST"), expected)
			default:
				r.Pass(res, fmt.Sprintf("scan status ACTIVE, scanned %s ago", t.age(*c.LastScannedAt).Round(time.Minute)), expected)
			}
		}
	}})
