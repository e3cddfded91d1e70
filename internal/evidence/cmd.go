package evidence

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tenantkit/tenantkit/internal/cli"
)

// Command is `tenantctl evidence` for the help.
var Command = cli.Command{
	Name:     "evidence",
	Synopsis: []string{"evidence verify DIR (--public-key FILE | --fingerprint SHA256)"},
	Summary:  "check a sealed directory of reports offline: the signature, then every file's SHA-256",
	Details: `Checks what tenantctl verify --sign-key sealed, with the public key alone
(no AWS access): the manifest's signature, then each file's SHA-256; any
edited, missing or added file fails, and so does a manifest signed by
another key. Give the provider's published public key (--public-key), or
its fingerprint (--fingerprint, the SHA-256 the provider publishes), which
the key beside the reports must match: a key shipped with the reports
alone proves nothing to a reader who does not know it. Exit 1: not as
sealed.`,
}

// Main runs `tenantctl evidence`.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("evidence verify", flag.ContinueOnError)
	keyFile := fs.String("public-key", "", "the provider's published public key (PEM)")
	fp := fs.String("fingerprint", "", "the SHA-256 of the provider's public key, as published; the key beside the reports must match it")
	if len(args) > 0 && args[0] == "verify" {
		args = args[1:]
	} else if len(args) == 0 || (args[0] != "--help" && args[0] != "-h") {
		return cli.UsageError(stderr, Command, "say what to do: evidence verify DIR")
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
