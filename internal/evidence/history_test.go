package evidence_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/evidence"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
)

// #37 item 6: the history over a period from the evidence bucket (moto):
// each day's latest report, its seal checked, a day without a report and
// a report edited after its seal said as such.
func TestHistoryFromTheEvidenceBucket(t *testing.T) {
	c, ids := keys(t, 1)
	ctx := context.Background()
	cfg, _ := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("ap-northeast-1"))
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tk-evidence"), ObjectLockEnabledForBucket: aws.Bool(true),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintApNortheast1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("tk-evidence"), ObjectLockConfiguration: &s3types.ObjectLockConfiguration{
		ObjectLockEnabled: s3types.ObjectLockEnabledEnabled,
		Rule:              &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeCompliance, Days: aws.Int32(400)}}}}); err != nil {
		t.Fatal(err)
	}
	var pub []byte
	// A nightly run: acme's report (and globex's beside it), sealed and
	// kept; edit, when set, changes acme's report after the seal.
	night := func(day, made, status, wp21 string, edit bool) {
		dir := t.TempDir()
		for _, tenant := range []string{"acme", "globex"} {
			write(t, dir, tenant+".json", fmt.Sprintf(`{"schema":"tenantkit.verify/v1","tenant":%q,"time":{"jst":%q},"status":%q,"controls":[{"id":"WP-07","status":"PASS"},{"id":"WP-21.1","status":%q}]}`,
				tenant, made, status, wp21))
		}
		if _, err := evidence.Seal(ctx, dir, []string{"acme.json", "globex.json"}, evidence.Run{Tenants: []string{"acme", "globex"}, Account: "123456789012", Region: "ap-northeast-1"},
			evidence.KMS{Client: c, Key: ids[0]}, time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if edit {
			write(t, dir, "acme.json", strings.Replace(string(must(os.ReadFile(filepath.Join(dir, "acme.json")))), `"FAIL"`, `"PASS"`, -1))
		}
		pub = must(os.ReadFile(filepath.Join(dir, evidence.PublicKeyFile)))
		if _, err := evidence.Upload(ctx, s3c, dir, "tk-evidence", "nightly/"+day); err != nil {
			t.Fatal(err)
		}
	}
	night("2026-11-30", "2026-12-01T01:00:00+09:00", "PASS", "PASS", false)
	night("2026-11-30b", "2026-12-01T09:00:00+09:00", "FAIL", "FAIL", false) // a later run the same day: it counts
	night("2026-12-02", "2026-12-03T01:00:00+09:00", "FAIL", "FAIL", true)
	from, _ := lifecycle.ParseDate("2026-12-01")
	to, _ := lifecycle.ParseDate("2026-12-03")
	days, err := evidence.History(ctx, s3c, "tk-evidence", "nightly", "acme", from, to, pub)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 3 {
		t.Fatalf("%d days", len(days))
	}
	if d := days[0]; d.Status != catalog.Fail || d.Controls["WP-21.1"] != catalog.Fail || d.Seal != "as sealed" || !strings.Contains(d.Report, "2026-11-30b") {
		t.Errorf("day 1: %+v (the later report of the day, as sealed)", d)
	}
	if d := days[1]; d.Status != catalog.NoReport {
		t.Errorf("day 2 has no report: %+v", d)
	}
	if d := days[2]; !strings.HasPrefix(d.Seal, "NOT AS SEALED") {
		t.Errorf("day 3 was edited after its seal: %+v", d)
	}
	var md, page bytes.Buffer
	evidence.HistoryMarkdown(&md, "acme", days, catalog.LangJA)
	if err := evidence.HistoryHTML(&page, "acme", days, catalog.LangJA); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"判定の履歴", "| 2026-12-02 | 報告書なし |", "署名と不一致", "| 2026-12-01 | 非準拠 | 署名どおり | 準拠 | 非準拠 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if !strings.Contains(page.String(), `data-day="2026-12-02" data-status="NO REPORT"`) || strings.Contains(page.String(), "globex") {
		t.Errorf("page:\n%s", page.String())
	}
	// Without the key the seals are not checked, and said so.
	days, err = evidence.History(ctx, s3c, "tk-evidence", "nightly", "acme", from, to, nil)
	if err != nil || days[0].Seal != "not checked" {
		t.Errorf("%+v %v", days, err)
	}
	// The command: a gap in the evidence exits 1; bad input names the flag.
	keyFile := filepath.Join(t.TempDir(), "pub.pem")
	os.WriteFile(keyFile, pub, 0o644)
	var out, errb bytes.Buffer
	code := evidence.MainWith(ctx, []string{"history", "acme", "--bucket", "s3://tk-evidence/nightly", "--from", "2026-12-01", "--to", "2026-12-03", "--public-key", keyFile, "--lang", "en"}, &out, &errb, nil)
	if code != 1 || !strings.Contains(out.String(), "| 2026-12-02 | NO REPORT |") {
		t.Errorf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	errb.Reset()
	if code := evidence.MainWith(ctx, []string{"history", "acme", "--bucket", "s3://tk-evidence/nightly", "--from", "1 Dec"}, &out, &errb, nil); code != 2 || !strings.Contains(errb.String(), `--from "1 Dec"`) {
		t.Errorf("bad --from: exit %d %s", code, errb.String())
	}
	errb.Reset()
	if code := evidence.MainWith(ctx, []string{"history", "Acme|x", "--bucket", "s3://tk-evidence/nightly", "--from", "2026-12-01"}, &out, &errb, nil); code != 2 || !strings.Contains(errb.String(), "tenantId") {
		t.Errorf("a tenant id that is none: exit %d %s", code, errb.String())
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
