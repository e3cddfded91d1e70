package verify

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/tenantkit/tenantkit/internal/config"
)

var _ = register(Check{ID: "WP-30/database-upgrades", Control: "WP-30", Title: "the database takes minor version upgrades",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "automatic minor version upgrades")
		if !ok {
			return
		}
		if !aws.ToBool(db.AutoMinorVersionUpgrade) {
			r.Fail(res, "AutoMinorVersionUpgrade false", "automatic minor version upgrades in the maintenance window")
			return
		}
		r.Pass(res, "minor versions upgraded automatically")
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
				r.Fail("Inspector in "+t.Inv.AccountID, "EC2 or ECR scanning not enabled", "EC2 and ECR ENABLED")
			} else {
				r.Pass("Inspector in "+t.Inv.AccountID, "EC2 and ECR ENABLED")
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
				if aws.ToString(a.AssociationName) != name || aws.ToString(a.Name) != "AWS-RunPatchBaseline" {
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
			r.Pass("association "+found, "AWS-RunPatchBaseline on "+t.Inv.AutoScalingGroup)
			return
		}
		r.Fail("tenant "+t.Inv.Tenant, "no association "+name+" of AWS-RunPatchBaseline targets "+t.Inv.AutoScalingGroup, "AWS-RunPatchBaseline for the tenant's instances")
	}})
