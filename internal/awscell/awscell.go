// Package awscell reaches a cell's account (config.Cell): the cell's role
// assumed with the pipeline's own credentials, and the account the
// credentials resolve to checked against the cell's before anything is
// read or changed. verify, tenantctl's own calls into a cell and the
// evidence upload share it; the deploys reach the cell through the
// provider's assumeRole and allowedAccountIds instead.
package awscell

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/config"
)

// Assume returns cfg with the credentials of roleArn, assumed with cfg's
// own (sts:AssumeRole; the SDK renews the session before it expires),
// under the session name given ("": the SDK's own).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func Assume(cfg aws.Config, roleArn, session string) aws.Config {
	out := cfg.Copy()
	out.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleArn, func(o *stscreds.AssumeRoleOptions) {
		if session != "" {
			o.RoleSessionName = session
		}
	}))
	return out
}

// Reach is cfg in cell: through the cell's role when it names one, its
// account checked when it names one (sts:GetCallerIdentity). A call into
// another account would read what is not the cell's (a leftover sweep
// finding nothing would call a tenant deleted).
func Reach(ctx context.Context, cfg aws.Config, cell config.Cell, session string) (aws.Config, error) {
	if cell.RoleArn != "" {
		cfg = Assume(cfg, cell.RoleArn, session)
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
