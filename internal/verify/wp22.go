package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-22/lifecycle", Control: "WP-22", Title: "noncurrent object versions expire",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			out, err := t.Clients.S3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(b)})
			if isCode(err, "NoSuchLifecycleConfiguration") {
				r.Fail(bucketRes(t, b), answered("GetBucketLifecycleConfiguration", err), "an enabled rule expiring noncurrent versions")
				continue
			}
			if err != nil {
				r.Error(bucketRes(t, b), err, "an enabled rule expiring noncurrent versions")
				continue
			}
			days := expect.NoncurrentDays(t.Cfg, bucketRole(t, b))
			want := fmt.Sprintf("an enabled rule expiring noncurrent versions after %d days", days)
			var seen []string
			ok := false
			for _, rule := range out.Rules {
				n := int32(0)
				if rule.NoncurrentVersionExpiration != nil {
					n = aws.ToInt32(rule.NoncurrentVersionExpiration.NoncurrentDays)
				}
				seen = append(seen, fmt.Sprintf("%s %s noncurrent after %d days", aws.ToString(rule.ID), rule.Status, n))
				if rule.Status == s3types.ExpirationStatusEnabled && int(n) == days {
					ok = true
				}
			}
			if ok {
				r.Pass(bucketRes(t, b), strings.Join(seen, "; "), want)
			} else {
				r.Fail(bucketRes(t, b), fmt.Sprintf("%d rules: %s", len(out.Rules), strings.Join(seen, "; ")), want)
			}
		}
	}})

var _ = register(Check{ID: "WP-22/key-state", Control: "WP-22", Title: "the key is usable while active; pending deletion by the deadline after offboarding",
	Run: func(ctx context.Context, t *Target, r *Run) {
		md, err := readKey(ctx, t)
		if err != nil {
			r.Error("key "+t.Inv.KeyArn, err, "the tenant key")
			return
		}
		state := string(md.KeyState)
		if t.Cfg.Lifecycle.State == config.StateDeleting || t.Cfg.Lifecycle.State == config.StateDeleted {
			if md.KeyState != kmstypes.KeyStatePendingDeletion || md.DeletionDate == nil {
				r.Fail("key "+t.Inv.KeyArn, state, "PendingDeletion with a date by "+t.Cfg.Lifecycle.DeleteBy)
			} else if d := md.DeletionDate.In(config.JST).Format("2006-01-02"); d > t.Cfg.Lifecycle.DeleteBy {
				r.Fail("key "+t.Inv.KeyArn, "deleted on "+d, "deleted by "+t.Cfg.Lifecycle.DeleteBy)
			} else {
				r.Pass("key "+t.Inv.KeyArn, "PendingDeletion, deleted on "+d, "deleted by "+t.Cfg.Lifecycle.DeleteBy)
			}
			return
		}
		if md.KeyState != kmstypes.KeyStateEnabled {
			r.Fail("key "+t.Inv.KeyArn, state, "Enabled while the tenant is "+t.Cfg.Lifecycle.State)
		} else {
			r.Pass("key "+t.Inv.KeyArn, state, "Enabled while the tenant is "+t.Cfg.Lifecycle.State)
		}
	}})

// The database leaves nothing behind its 30-day deletion (§10): every
// snapshot carries the tenant's tags (so the leftover sweep finds it), and
// no manual snapshot exists, which would outlive the instance. Whether the
// instance will skip its final snapshot and delete its automated backups
// is a parameter of the delete call, not readable from AWS: the plan rule
// of WP-22 holds the program to it.
var _ = register(Check{ID: "WP-22/database", Control: "WP-22", Title: "database snapshots tagged, none kept by hand",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "snapshots tagged and none kept")
		if !ok {
			return
		}
		if !aws.ToBool(db.CopyTagsToSnapshot) {
			r.Fail(res, fieldOf(db, "CopyTagsToSnapshot"), "snapshots carry the tenant's tags")
			return
		}
		var manual []string
		err := allPages("rds:DescribeDBSnapshots", func(marker *string) (*string, error) {
			page, err := t.Clients.RDS.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{DBInstanceIdentifier: aws.String(expect.DatabaseIdentifier(t.Cfg.TenantID)), SnapshotType: aws.String("manual"), Marker: marker})
			if err != nil {
				return nil, err
			}
			for _, sn := range page.DBSnapshots {
				manual = append(manual, aws.ToString(sn.DBSnapshotIdentifier))
			}
			return page.Marker, nil
		})
		if err != nil {
			r.Error(res, err, "no manual snapshot")
			return
		}
		if len(manual) > 0 {
			r.Fail(res, "manual snapshots "+strings.Join(manual, ", "), "no manual snapshot (it would outlive the deletion)")
			return
		}
		r.Pass(res, fmt.Sprintf("%s, %d manual snapshots", fieldOf(db, "CopyTagsToSnapshot"), len(manual)), "snapshots carry the tenant's tags, none kept by hand")
	}})

// Backups (§26, §33): the automated backups kept as long as the stack says
// (never off: a retention of 0 turns them off), encrypted as the instance
// is; the program deletes them with the instance at offboarding.
var _ = register(Check{ID: "WP-22/database-backups", Control: "WP-22", Title: "database backups kept as configured and encrypted",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := fmt.Sprintf("automated backups kept %d days, encrypted", t.Cfg.Database.BackupRetentionDays)
		db, res, ok := database(ctx, t, r, want)
		if !ok {
			return
		}
		if db.BackupRetentionPeriod == nil || db.StorageEncrypted == nil {
			r.Error(res, fmt.Errorf("the answer has no BackupRetentionPeriod or StorageEncrypted"), want)
			return
		}
		days := int(aws.ToInt32(db.BackupRetentionPeriod))
		switch {
		case days == 0:
			r.Fail(res, fmt.Sprintf("BackupRetentionPeriod %d: automated backups off", days), want)
		case days != t.Cfg.Database.BackupRetentionDays:
			r.Fail(res, fmt.Sprintf("automated backups kept %d days", days), want)
		case !aws.ToBool(db.StorageEncrypted):
			r.Fail(res, fieldOf(db, "StorageEncrypted")+" (and so are its backups)", want)
		default:
			r.Pass(res, fmt.Sprintf("automated backups kept %d days, encrypted", days), want)
		}
	}})
