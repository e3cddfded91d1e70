package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/expect"
)

var _ = register(Check{ID: "WP-18/no-ssh-rdp", Control: "WP-18", Title: "no security-group rule opens 22 or 3389",
	Run: func(ctx context.Context, t *Target, r *Run) {
		judgeIngress(ctx, t, r, "no rule open to 22 or 3389 (shell access through Session Manager only)", func(p ec2types.IpPermission) (want []string) {
			for _, port := range ingressOf(t, p).ShellPortsOpened() {
				want = append(want, fmt.Sprintf("nothing open to %d (shell access through Session Manager only)", port))
			}
			return want
		})
	}})

var _ = register(Check{ID: "WP-18/session-logging", Control: "WP-18", Title: "Session Manager logs sessions to an encrypted log group",
	Run: func(ctx context.Context, t *Target, r *Run) {
		out, err := accountWide(t, "session-prefs", func() (*ssm.GetDocumentOutput, error) {
			out, err := t.Clients.SSM.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String("SSM-SessionManagerRunShell")})
			if isCode(err, "InvalidDocument") {
				return nil, nil // no preferences saved: sessions are not logged
			}
			return out, err
		})
		if err != nil {
			r.Error("SSM-SessionManagerRunShell", err, "session logging configured (account baseline)")
			return
		}
		if out == nil {
			r.Fail("SSM-SessionManagerRunShell", "no Session Manager preferences in the account", "sessions logged to an encrypted log group (account baseline)")
			return
		}
		want := "cloudWatchLogGroupName " + expect.SessionLogGroup + ", cloudWatchEncryptionEnabled true (the baseline's preferences)"
		group, enc, err := awsdocs.SessionLogging(aws.ToString(out.Content))
		switch {
		case err != nil:
			r.Fail("SSM-SessionManagerRunShell", "unreadable preferences: "+err.Error(), want)
		case group != expect.SessionLogGroup || !enc:
			r.Fail("SSM-SessionManagerRunShell", fmt.Sprintf("cloudWatchLogGroupName %q, cloudWatchEncryptionEnabled %v", group, enc), want)
		default:
			r.Pass("SSM-SessionManagerRunShell", fmt.Sprintf("cloudWatchLogGroupName %s, cloudWatchEncryptionEnabled %v", group, enc), want)
		}
	}})
