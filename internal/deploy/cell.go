package deploy

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/tenantkit/tenantkit/internal/awscell"
	"github.com/tenantkit/tenantkit/internal/config"
)

// CellConfig is the AWS configuration tenantctl's own calls into a cell
// make (the leftover sweep, the recovery of a stack's orphans): the
// pipeline's credentials, through the cell's role when it has one
// (sts:AssumeRole), checked to be the cell's account before it is used.
// A sweep of another account would find nothing and call the tenant
// deleted. cell nil: the credentials' own account, unchecked.
func CellConfig(ctx context.Context, cell *config.Cell, region string) (aws.Config, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil || cell == nil {
		return cfg, err
	}
	return awscell.Reach(ctx, cfg, *cell, "tenantkit-"+cell.Name)
}
