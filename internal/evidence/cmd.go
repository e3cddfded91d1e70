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

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/safefile"
)

// Command is `tenantctl evidence` for the help.
var Command = cli.Command{
	Name:     "evidence",
	Synopsis: []string{"evidence verify DIR (--public-key FILE | --fingerprint SHA256)", "evidence certificate <tenant> --out-dir DIR [--sign-key KEY [--upload s3://BUCKET/PREFIX]]"},
	Summary:  "check a sealed directory of reports offline; write a deleted tenant's deletion certificate (§10)",
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
	fs := flag.NewFlagSet("evidence verify", flag.ContinueOnError)
	keyFile := fs.String("public-key", "", "the provider's published public key (PEM)")
	fp := fs.String("fingerprint", "", "the SHA-256 of the provider's public key, as published; the key beside the reports must match it")
	if len(args) > 0 && args[0] == "verify" {
		args = args[1:]
	} else if len(args) == 0 || (args[0] != "--help" && args[0] != "-h") {
		return cli.UsageError(stderr, Command, "say what to do: evidence verify DIR, or evidence certificate <tenant>")
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
