package evidence_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/internal/evidence"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/tests/motoserver"
)

// keys makes ECC_NIST_P256 SIGN_VERIFY keys in moto, whose KMS signs
// and answers the public key as AWS's does.
func keys(t *testing.T, n int) (*kms.Client, []string) {
	t.Helper()
	s := motoserver.Start(t)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion("ap-northeast-1"))
	if err != nil {
		t.Fatal(err)
	}
	c := kms.NewFromConfig(cfg)
	var ids []string
	for range n {
		k, err := c.CreateKey(context.Background(), &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(k.KeyMetadata.Arn))
	}
	return c, ids
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// #37 item 1: a sealed directory checks with the public key alone and
// fails on a one-byte edit of any file (the manifest included), a file
// added after the seal, and a manifest signed by another key.
func TestSealAndCheck(t *testing.T) {
	c, ids := keys(t, 2)
	ctx := context.Background()
	seal := func(t *testing.T, key string) (string, []byte) {
		t.Helper()
		dir := t.TempDir()
		write(t, dir, "acme.json", `{"tenant":"acme","status":"PASS"}`)
		write(t, dir, "acme.html", "<html>準拠</html>")
		m, err := evidence.Seal(ctx, dir, []string{"acme.json", "acme.html"}, evidence.Run{Tenants: []string{"acme"}, Account: "123456789012",
			Region: "ap-northeast-1", Caller: "arn:aws:sts::123456789012:assumed-role/tenantkit-verify/nightly", Mode: "discover", ToolVersion: "test"},
			evidence.KMS{Client: c, Key: key}, time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != 2 || m.Algorithm != evidence.Algorithm || m.KeyID != key {
			t.Fatalf("manifest %+v", m)
		}
		pub, err := os.ReadFile(filepath.Join(dir, evidence.PublicKeyFile))
		if err != nil {
			t.Fatal(err)
		}
		return dir, pub
	}
	dir, pub := seal(t, ids[0])
	if m, err := evidence.Check(dir, pub); err != nil || m.Run.Caller == "" {
		t.Fatalf("a sealed directory: %v", err)
	}
	if fp, _ := evidence.Fingerprint(pub); fp == "" {
		t.Error("no fingerprint")
	}
	for _, name := range []string{"acme.json", "acme.html", evidence.ManifestFile} {
		t.Run("one byte of "+name, func(t *testing.T) {
			dir, pub := seal(t, ids[0])
			b, _ := os.ReadFile(filepath.Join(dir, name))
			b[len(b)/2] ^= 0x01
			write(t, dir, name, string(b))
			if _, err := evidence.Check(dir, pub); err == nil {
				t.Errorf("a one-byte edit of %s passed", name)
			}
		})
	}
	t.Run("a file added", func(t *testing.T) {
		dir, pub := seal(t, ids[0])
		write(t, dir, "globex.json", "{}")
		if _, err := evidence.Check(dir, pub); err == nil || !strings.Contains(err.Error(), "added after the seal") {
			t.Errorf("an added file: %v", err)
		}
	})
	t.Run("signed by another key", func(t *testing.T) {
		// Edited, then sealed again by someone holding another key: the
		// provider's published key refuses it.
		dir, _ := seal(t, ids[1])
		if _, err := evidence.Check(dir, pub); err == nil || !strings.Contains(err.Error(), "signed by another key") {
			t.Errorf("a manifest signed by another key: %v", err)
		}
	})
}

// #37 item 2: sealed reports are kept only in a bucket whose Object Lock
// holds them (moto applies the bucket's default retention to each PUT, as
// S3 does); a bucket without it is refused before anything is written.
func TestUploadOnlyUnderObjectLock(t *testing.T) {
	c, ids := keys(t, 1)
	ctx := context.Background()
	cfg, _ := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("ap-northeast-1"))
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	mk := func(name string, lock bool) {
		in := &s3.CreateBucketInput{Bucket: aws.String(name), ObjectLockEnabledForBucket: aws.Bool(lock),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintApNortheast1}}
		if _, err := s3c.CreateBucket(ctx, in); err != nil {
			t.Fatal(err)
		}
		if lock {
			if _, err := s3c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(name), ObjectLockConfiguration: &s3types.ObjectLockConfiguration{
				ObjectLockEnabled: s3types.ObjectLockEnabledEnabled,
				Rule:              &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeCompliance, Days: aws.Int32(400)}}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("tk-evidence-locked", true)
	mk("tk-evidence-open", false)
	dir := t.TempDir()
	write(t, dir, "acme.json", `{"tenant":"acme"}`)
	if _, err := evidence.Upload(ctx, s3c, dir, "tk-evidence-locked", "nightly/2026-12-07"); err == nil {
		t.Error("an unsealed directory was uploaded")
	}
	if _, err := evidence.Seal(ctx, dir, []string{"acme.json"}, evidence.Run{Tenants: []string{"acme"}}, evidence.KMS{Client: c, Key: ids[0]}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.Upload(ctx, s3c, dir, "tk-evidence-open", "nightly/2026-12-07"); err == nil || !strings.Contains(err.Error(), "no Object Lock") {
		t.Errorf("a bucket without Object Lock: %v", err)
	}
	if out, _ := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("tk-evidence-open")}); len(out.Contents) != 0 {
		t.Errorf("%d objects written into the unlocked bucket", len(out.Contents))
	}
	keys, err := evidence.Upload(ctx, s3c, dir, "tk-evidence-locked", "nightly/2026-12-07")
	if err != nil || len(keys) != 4 {
		t.Fatalf("upload: %v %v", keys, err)
	}
	// Each object's lock as S3 states it on the object (HeadObject's
	// x-amz-object-lock-* headers; moto 5.2.1 has no GetObjectRetention).
	for _, k := range keys {
		h, err := s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tk-evidence-locked"), Key: aws.String(k)})
		if err != nil || h.ObjectLockMode != s3types.ObjectLockModeCompliance || h.ObjectLockRetainUntilDate == nil || !h.ObjectLockRetainUntilDate.After(time.Now().AddDate(0, 0, 399)) {
			t.Errorf("%s: lock %v until %v, %v", k, h.ObjectLockMode, h.ObjectLockRetainUntilDate, err)
		}
	}
}

// The deletion certificate is made only of an applied deletion, from its
// evidence: the dates, what is kept and until when, the leftover check.
func TestCertificateOfADeletion(t *testing.T) {
	at := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	ev := &lifecycle.Evidence{Tenant: "acme", Entries: []lifecycle.Entry{
		{Step: lifecycle.StepCancel, AtUTC: at, AtJST: "2026-12-07T12:00:00+09:00", Details: map[string]any{"cancelledOn": "2026-12-06"}},
		{Step: lifecycle.StepSuspend, AtJST: "2026-12-08T01:17:00+09:00", Summary: "suspended: listeners answer 503", Details: map[string]any{"phase": "applied"}},
	}}
	if _, err := evidence.CertificateOf(ev); err == nil {
		t.Fatal("a certificate of a tenant not deleted")
	}
	ev.Entries = append(ev.Entries, lifecycle.Entry{Step: lifecycle.StepDeleted, AtJST: "2026-12-20T01:17:00+09:00", Operator: "ci", Details: map[string]any{
		"phase": "applied", "deleteBy": "2027-01-05", "keysDeletedOn": "2027-01-03", "keyDeletionWindowDays": float64(14),
		"retained":  []any{map[string]any{"resource": "log archive bucket tk-acme-log-archive-<account>", "reason": "Object Lock COMPLIANCE", "retentionEndsBy": "2027-12-20"}},
		"leftovers": []any{"arn:aws:s3:::tk-acme-log-archive-123456789012"},
	}})
	c, err := evidence.CertificateOf(ev)
	if err != nil {
		t.Fatal(err)
	}
	if c.CancelledOn != "2026-12-06" || c.SuspendedAt == "" || c.KeysDeleted != "2027-01-03" || c.KeyWindow != 14 || len(c.Retained) != 1 || len(c.Leftovers) != 1 {
		t.Errorf("certificate %+v", c)
	}
	ja := c.Markdown("ja")
	for _, want := range []string{"削除証明書：テナント acme", "2027-01-03（待機期間 14 日", "tk-acme-log-archive-<account> | — | Object Lock COMPLIANCE | 2027-12-20"} {
		if !strings.Contains(ja, want) {
			t.Errorf("the Japanese certificate lacks %q:\n%s", want, ja)
		}
	}
}
