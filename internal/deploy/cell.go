package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/config"
)

// CellConfig is the AWS configuration tenantctl's own calls into a cell
// make (the leftover sweep, the recovery of a stack's orphans): the
// pipeline's credentials, through the cell's role when it has one
// (sts:AssumeRole), checked to be the cell's account before it is used.
// A sweep of another account would find nothing and call the tenant
// deleted. cell nil: the credentials' own account, unchecked.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func CellConfig(ctx context.Context, cell *config.Cell, region string) (aws.Config, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil || cell == nil {
		return cfg, err
	}
	if cell.RoleArn != "" {
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), cell.RoleArn, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = "tenantkit-" + cell.Name
		}))
	}
	if cell.AccountID == "" {
		return cfg, nil
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return cfg, fmt.Errorf("cell %s: reach account %s (role %q): %w", cell.Name, cell.AccountID, cell.RoleArn, err)
	}
	if got := aws.ToString(id.Account); got != cell.AccountID {
		return cfg, fmt.Errorf("cell %s is account %s; the credentials reached account %s: nothing was read or changed", cell.Name, cell.AccountID, got)
	}
	return cfg, nil
}
