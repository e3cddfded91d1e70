package verify

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// WP-44/account-witness: the report's account is the credentials' (STS
// answered it, and verify refused an inventory of another account before
// any check ran); this check asks two more services which account they
// hold the tenant's resources in: EC2 names the VPC's owner
// (DescribeVpcs, OwnerId), KMS the key's account (DescribeKey,
// AWSAccountId, and the account in the key's ARN). An endpoint that
// answers STS for one account and serves another's resources (a proxy, an
// emulator behind a real account's name) is caught here (#37 item 3).
var _ = register(Check{ID: "WP-44/account-witness", Control: "WP-44", Title: "the tenant's VPC and key are held in the account the report names",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := "account " + t.Inv.AccountID + " (sts:GetCallerIdentity)"
		witness := func(res, field, account string) {
			if account != t.Inv.AccountID {
				r.Fail(res, field+" "+account, want)
				return
			}
			r.Pass(res, field+" "+account, want)
		}
		if v, err := tenantVpc(ctx, t); err != nil {
			r.Error("VPC "+t.Inv.VpcID, err, want)
		} else {
			witness("VPC "+t.Inv.VpcID, "OwnerId", aws.ToString(v.OwnerId))
		}
		md, err := readKey(ctx, t)
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, want)
			return
		}
		witness("key "+t.Inv.KeyArn, "AWSAccountId", aws.ToString(md.AWSAccountId))
		a, err := arn.Parse(aws.ToString(md.Arn))
		if err != nil {
			r.Fail("key "+t.Inv.KeyArn, "Arn "+aws.ToString(md.Arn)+": "+err.Error(), want)
			return
		}
		witness("key "+t.Inv.KeyArn, "the account in its Arn", a.AccountID)
	}})
