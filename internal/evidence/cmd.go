package evidence

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/safefile"
)

// Command is `tenantctl evidence` for the help.
var Command = cli.Command{
	Name: "evidence",
	Synopsis: []string{"evidence verify DIR (--public-key FILE | --fingerprint SHA256)", "evidence certificate <tenant> --out-dir DIR [--sign-key KEY [--upload s3://BUCKET/PREFIX]]",
		"evidence history <tenant> --bucket s3://BUCKET/PREFIX --from DAY [--to DAY] [--public-key FILE] [--format markdown|html|json] [--lang ja|en]"},
	Summary: "check a sealed directory of reports offline; write a deleted tenant's deletion certificate (§10); show a tenant's controls day by day from the evidence bucket",
	Details: `Checks what tenantctl verify --sign-key sealed, with the public key alone
(no AWS access): the manifest's signature, then each file's SHA-256; any
edited, missing or added file fails, and so does a manifest signed by
another key. Give the provider's published public key (--public-key), or
its fingerprint (--fingerprint, the SHA-256 the provider publishes), which
the key beside the reports must match: a key shipped with the reports
alone proves nothing to a reader who does not know it. Exit 1: not as
sealed.

certificate writes a deleted tenant's deletion certificate (§10) from its
lifecycle evidence, once offboard delete has destroyed the stack and the
leftover check passed: what was deleted when, what is kept, why and until
when, and the leftover check's result, in Japanese and English
(<tenant>-deletion.ja.md, .en.md, .json), sealed and kept like the reports
with --sign-key and --upload.`,
}

// Sealer seals (and keeps) a directory as tenantctl verify does
// (verify.Seal); nil when this build reaches no KMS.
type Sealer func(ctx context.Context, dir, tenant, signKey, upload string) error

// Main runs `tenantctl evidence`.
func Main(args []string, stdout, stderr io.Writer) int {
	return MainWith(context.Background(), args, stdout, stderr, nil)
}

// MainWith is Main with the sealer of the build.
func MainWith(ctx context.Context, args []string, stdout, stderr io.Writer, seal Sealer) int {
	if len(args) > 0 && args[0] == "certificate" {
		return certificate(ctx, args[1:], stdout, stderr, seal)
	}
	if len(args) > 0 && args[0] == "history" {
		return history(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("evidence verify", flag.ContinueOnError)
	keyFile := fs.String("public-key", "", "the provider's published public key (PEM)")
	fp := fs.String("fingerprint", "", "the SHA-256 of the provider's public key, as published; the key beside the reports must match it")
	if len(args) > 0 && args[0] == "verify" {
		args = args[1:]
	} else if len(args) == 0 || (args[0] != "--help" && args[0] != "-h") {
		return cli.UsageError(stderr, Command, "say what to do: evidence verify DIR, evidence certificate <tenant>, or evidence history <tenant>")
	}
	pos, code, done := cli.ParseCommand(Command, fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 || (*keyFile == "") == (*fp == "") {
		return cli.UsageError(stderr, Command, "name one directory and one of --public-key and --fingerprint")
	}
	dir := pos[0]
	var pub []byte
	var err error
	if *keyFile != "" {
		pub, err = os.ReadFile(*keyFile)
	} else {
		pub, err = os.ReadFile(filepath.Join(dir, PublicKeyFile))
		if err == nil {
			got, ferr := Fingerprint(pub)
			if ferr != nil || !strings.EqualFold(got, strings.TrimSpace(*fp)) {
				fmt.Fprintf(stderr, "tenantctl evidence verify: the key beside the reports has the fingerprint %s, not %s: these reports were not sealed by that key\n", got, *fp)
				return cli.ExitFail
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence verify: %v\n", err)
		return cli.ExitBadInput
	}
	m, err := Check(dir, pub)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence verify: %s: NOT AS SEALED: %v\n", dir, err)
		return cli.ExitFail
	}
	fmt.Fprintf(stdout, "%s: %d file(s) as sealed on %s by %s (tenants %s; account %s, %s; %s mode; tenantkit %s)\n",
		dir, len(m.Files), m.SealedAt.Format("2006-01-02 15:04 UTC"), m.Run.Caller, strings.Join(m.Run.Tenants, ", "), m.Run.Account, m.Run.Region, m.Run.Mode, m.Run.ToolVersion)
	if m.Run.NotAWS {
		fmt.Fprintf(stdout, "NOT AWS: read from %s; these reports are no evidence about an AWS account\n", m.Run.Endpoint)
	}
	return cli.ExitOK
}

func certificate(ctx context.Context, args []string, stdout, stderr io.Writer, seal Sealer) int {
	fs := flag.NewFlagSet("evidence certificate", flag.ContinueOnError)
	evidenceDir := fs.String("evidence-dir", "evidence/lifecycle", "the lifecycle evidence")
	outDir := fs.String("out-dir", "", "where to write the certificate (a directory of its own: it is sealed whole)")
	signKey := fs.String("sign-key", "", "seal it with this asymmetric KMS key, as verify --sign-key does")
	upload := fs.String("upload", "", "with --sign-key: keep it in the evidence bucket, s3://<bucket>/<prefix>")
	pos, code, done := cli.ParseCommand(Command, fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 || *outDir == "" || (*upload != "" && *signKey == "") {
		return cli.UsageError(stderr, Command, "name one tenant and --out-dir (and --sign-key with --upload)")
	}
	tenant := pos[0]
	ev, err := lifecycle.ReadEvidence(*evidenceDir, tenant)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence certificate: %v\n", err)
		return cli.ExitBadInput
	}
	c, err := CertificateOf(ev)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence certificate: %v\n", err)
		return cli.ExitBadInput
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence certificate: %v\n", err)
		return cli.ExitError
	}
	body, _ := json.MarshalIndent(c, "", "  ")
	for name, b := range map[string][]byte{tenant + "-deletion.json": append(body, '\n'),
		tenant + "-deletion.ja.md": []byte(c.Markdown("ja")), tenant + "-deletion.en.md": []byte(c.Markdown("en"))} {
		if err := safefile.Write(filepath.Join(*outDir, name), b, 0o644); err != nil {
			fmt.Fprintf(stderr, "tenantctl evidence certificate: %v\n", err)
			return cli.ExitError
		}
	}
	fmt.Fprintf(stdout, "deletion certificate of %s written to %s (deleted %s, keys deleted on %s)\n", tenant, *outDir, c.DeletedAt, c.KeysDeleted)
	if *signKey == "" {
		return cli.ExitOK
	}
	if seal == nil {
		fmt.Fprintln(stderr, "tenantctl evidence certificate: this build cannot seal")
		return cli.ExitError
	}
	if err := seal(ctx, *outDir, tenant, *signKey, *upload); err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence certificate: written but not sealed: %v\n", err)
		return cli.ExitError
	}
	return cli.ExitOK
}

// history runs `tenantctl evidence history <tenant> --bucket s3://B/P
// --from DAY --to DAY`: the tenant's controls day by day from the sealed
// reports the evidence bucket keeps.
func history(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("evidence history", flag.ContinueOnError)
	where := fs.String("bucket", "", "where the runs keep their sealed reports: s3://<bucket>/<prefix> (the nightly job's is s3://<evidence bucket>/nightly)")
	fromS := fs.String("from", "", "the first JST day, YYYY-MM-DD (the contract's start)")
	toS := fs.String("to", "", "the last JST day, YYYY-MM-DD (default: today)")
	keyFile := fs.String("public-key", "", "the provider's published public key (PEM): check every day's seal")
	format := fs.String("format", "markdown", "markdown, html or json")
	lang := fs.String("lang", catalog.LangJA, "ja or en")
	pos, code, done := cli.ParseCommand(Command, fs, args, stdout, stderr)
	if done {
		return code
	}
	bucket, prefix, ok := strings.Cut(strings.TrimPrefix(*where, "s3://"), "/")
	if len(pos) != 1 || !strings.HasPrefix(*where, "s3://") || bucket == "" || !ok || prefix == "" {
		return cli.UsageError(stderr, Command, "name one tenant and --bucket s3://<bucket>/<prefix>")
	}
	if err := config.ValidateTenantID(pos[0]); err != nil {
		return cli.UsageError(stderr, Command, err.Error())
	}
	if *lang != catalog.LangJA && *lang != catalog.LangEN {
		return cli.UsageError(stderr, Command, fmt.Sprintf("--lang %q: write ja or en", *lang))
	}
	from, err := lifecycle.ParseDate(*fromS)
	if err != nil {
		return cli.UsageError(stderr, Command, fmt.Sprintf("--from %q: write the first JST day, YYYY-MM-DD", *fromS))
	}
	to := lifecycle.Today(clock.Now())
	if *toS != "" {
		if to, err = lifecycle.ParseDate(*toS); err != nil {
			return cli.UsageError(stderr, Command, fmt.Sprintf("--to %q: write the last JST day, YYYY-MM-DD", *toS))
		}
	}
	if from.DaysUntil(to) > 3*366 {
		return cli.UsageError(stderr, Command, fmt.Sprintf("--from %s --to %s: at most three years at a time", from, to))
	}
	var pub []byte
	if *keyFile != "" {
		if pub, err = os.ReadFile(*keyFile); err != nil {
			fmt.Fprintf(stderr, "tenantctl evidence history: %v\n", err)
			return cli.ExitBadInput
		}
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(config.RegionTokyo))
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence history: %v\n", err)
		return cli.ExitError
	}
	// Path-style against an emulator's endpoint, as verify does.
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = os.Getenv("AWS_ENDPOINT_URL") != "" })
	days, err := History(ctx, c, bucket, prefix, pos[0], from, to, pub)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl evidence history: %v\n", err)
		return cli.ExitError
	}
	switch *format {
	case "json":
		b, _ := json.MarshalIndent(days, "", "  ")
		fmt.Fprintln(stdout, string(b))
	case "html":
		if err := HistoryHTML(stdout, pos[0], days, *lang); err != nil {
			fmt.Fprintf(stderr, "tenantctl evidence history: %v\n", err)
			return cli.ExitError
		}
	case "markdown":
		HistoryMarkdown(stdout, pos[0], days, *lang)
	default:
		return cli.UsageError(stderr, Command, fmt.Sprintf("--format %q: write markdown, html or json", *format))
	}
	// A day without a report, or whose seal did not hold, is a gap in the
	// evidence: exit 1 so a job notices.
	for _, d := range days {
		if d.gap() {
			return cli.ExitFail
		}
	}
	return cli.ExitOK
}
