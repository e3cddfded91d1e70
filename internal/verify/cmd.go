package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/term"

	"github.com/tenantkit/tenantkit/internal/awscell"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/clock"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/exceptions"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/procevidence"
	"github.com/tenantkit/tenantkit/internal/safefile"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Command is `tenantctl verify` for the help.
var Command = cli.Command{
	Name: "verify",
	Synopsis: []string{
		"verify <tenant> (--inventory FILE | --discover) [--format text|json|junit|markdown|html] [--lang ja|en] [--out FILE]",
		"verify --all (--inventory-dir DIR | --discover) --out-dir DIR [--format ...] [--lang ja|en]",
	},
	Summary: "check every control on the live account; evidence reports (WP-44)",
	Details: `Checks every control with a live column against the AWS APIs and writes an
evidence report. Exit 0 all PASS (N/A allowed), 1 a FAIL, 3 no FAIL but an
ERROR (something could not be read, or a deadline ran out).

html is one self-contained page per tenant for the customers' reviewers, in
Japanese or English (--lang; default from the locale, LANG=ja_JP.UTF-8 is
Japanese); with --all it adds index.html, the fleet's tenant × control grid
and offboarding timeline.`,
}

// Options of a verification.
type Options struct {
	Tenant    string
	Inventory string
	// Inventoried is an inventory already read (onboarding's own up
	// outputs); it takes the place of Inventory and Discover.
	Inventoried *Inventory
	Discover    bool
	Region      string
	Endpoint    string
	Format      string
	Out         string
	// SignKey seals the reports' directory with this asymmetric KMS key
	// (seal.go); "" writes them unsealed.
	SignKey string
	// Mode names, in a seal's manifest, how what is sealed was made when
	// it is not a verification (the deletion certificate's "lifecycle").
	Mode string
	// Upload keeps the sealed directory in the evidence bucket,
	// s3://<bucket>/<prefix> (Object Lock required).
	Upload string
	// Force replaces an existing --out file tenantctl did not write.
	Force     bool
	StacksDir string
	// ProcessDir holds the provider's process evidence (its register,
	// procevidence.Register, and the documents); none when it has none.
	ProcessDir string
	// BaselineDir holds the account baseline's stack files: the expected
	// account-wide settings (the password policy's minimum).
	BaselineDir string
	Parallel    int
	// All verifies every tenant stack that is not deleted: inventories from
	// InventoryDir/<tenant>.json (or discovery), reports into OutDir.
	All bool
	// Cell, with All, verifies the tenants of that cell only (the
	// workflows' shard of one cell).
	Cell string
	// session, when set, is the fleet's session (the tests' in-memory world).
	session      *Session
	InventoryDir string
	OutDir       string
	// FleetTimeout bounds a --all run (0: DefaultFleetTimeout).
	FleetTimeout time.Duration
	// RequestTimeout bounds one HTTP request, Timeout a whole tenant's
	// verification (0: the defaults); what runs out is ERROR.
	RequestTimeout time.Duration
	Timeout        time.Duration
	// Progress, when set, gets a line per finished check.
	Progress io.Writer
	// Lang of the html reports: ja or en.
	Lang string
	// EvidenceDir holds the lifecycle evidence, read for the fleet page's
	// offboarding timeline (when each step was done).
	EvidenceDir string
	// Controls, when set, limits the run to these controls' checks (a
	// re-check after a fix); the report then holds only them.
	Controls []string
}

// ChecksOf lists the checks of the controls (every check when none is named).
func ChecksOf(controls []string) []Check {
	all := Checks()
	if len(controls) == 0 {
		return all
	}
	var out []Check
	for _, c := range all {
		if slices.Contains(controls, c.Control) {
			out = append(out, c)
		}
	}
	return out
}

// Defaults of the deadlines.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultTimeout        = 10 * time.Minute
	// DefaultFleetTimeout leaves the nightly job (120 minutes) time to
	// write and upload the reports after the fleet deadline.
	DefaultFleetTimeout = 100 * time.Minute
)

var formats = []string{"text", "json", "junit", "markdown", "html", "ocsf", "csv"}

// Main runs `tenantctl verify`.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	stdout, stderr = visibleWriter{stdout}, visibleWriter{stderr}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var o Options
	fs.StringVar(&o.Inventory, "inventory", "", "the stack's inventory: pulumi stack output --json > FILE")
	fs.BoolVar(&o.Discover, "discover", false, "find the tenant's resources by their tags and names instead")
	fs.StringVar(&o.Region, "region", "", "AWS region (default: the stack's)")
	fs.StringVar(&o.Endpoint, "endpoint", os.Getenv("AWS_ENDPOINT_URL"), "AWS endpoint URL, e.g. an emulator (default AWS_ENDPOINT_URL)")
	fs.StringVar(&o.Format, "format", "text", "text, json, junit, markdown or html; with --all, several comma-separated (json,junit,html)")
	fs.StringVar(&o.Lang, "lang", catalog.LangFromEnv(), "language of the html reports: ja or en (default from the locale)")
	fs.StringVar(&o.EvidenceDir, "evidence-dir", "evidence/lifecycle", "with --all: the lifecycle evidence, for the fleet page's offboarding timeline")
	fs.StringVar(&o.Out, "out", "", "write the report to FILE (default stdout); an existing FILE is replaced only if it is a report tenantctl wrote")
	fs.StringVar(&o.SignKey, "sign-key", "", "with --out or --out-dir: seal the directory (a manifest of every file's SHA-256, signed with this asymmetric KMS key, ECC_NIST_P256 SIGN_VERIFY; check it with tenantctl evidence verify); give each run a directory of its own")
	fs.StringVar(&o.Upload, "upload", "", "with --sign-key: keep the sealed reports in the evidence bucket, s3://<bucket>/<prefix> (its Object Lock's default retention then holds them)")
	fs.BoolVar(&o.Force, "force", false, "with --out or --out-dir: replace an existing file even if tenantctl did not write it (never a stack file, an inventory or lifecycle evidence)")
	fs.StringVar(&o.StacksDir, "stacks-dir", "stacks", "directory of the tenant stack files (the expected values)")
	fs.StringVar(&o.ProcessDir, "process-evidence", "evidence/process", "directory of the provider's process evidence (register.yaml and its documents), listed with their SHA-256 under their sections")
	fs.StringVar(&o.BaselineDir, "baseline-dir", "baseline", "directory of the account baseline's stack files (the expected account settings)")
	fs.IntVar(&o.Parallel, "parallel", 8, "checks run at once")
	fs.BoolVar(&o.All, "all", false, "verify every tenant stack that is not deleted (a fleet report)")
	fs.StringVar(&o.Cell, "cell", "", "with --all: the tenants of this cell (baseline stack) only")
	fs.StringVar(&o.InventoryDir, "inventory-dir", "", "with --all: the inventories, one <tenant>.json each")
	fs.StringVar(&o.OutDir, "out-dir", "", "with --all: write each tenant's report there")
	fs.DurationVar(&o.RequestTimeout, "request-timeout", DefaultRequestTimeout, "give up on one AWS request after this long (then ERROR)")
	fs.DurationVar(&o.Timeout, "timeout", DefaultTimeout, "give up on a tenant's verification after this long; what is unfinished is ERROR")
	fs.DurationVar(&o.FleetTimeout, "fleet-timeout", DefaultFleetTimeout, "with --all: give up on the fleet after this long; every unfinished tenant is ERROR, and the summary and fleet page are still written")
	controls := fs.String("control", "", "only these controls' checks, comma-separated (WP-24,WP-27): a re-check after a fix")
	progress := fs.String("progress", "auto", "a line per finished check on stderr: auto (when stderr is a terminal), on or off")
	pos, code, done := cli.ParseCommand(Command, fs, args, stdout, stderr)
	if done {
		return code
	}
	// Every argument is checked before any work: a bad format or an
	// unwritable destination must not cost a fleet's verification.
	usage := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "tenantctl verify: "+format+"\n", args...)
		return cli.ExitBadInput
	}
	for _, f := range strings.Split(o.Format, ",") {
		if !slices.Contains(formats, f) {
			return usage("--format %q: use %s", f, strings.Join(formats, ", "))
		}
	}
	if !slices.Contains(catalog.Langs, o.Lang) {
		return usage("--lang %q: use %s", o.Lang, strings.Join(catalog.Langs, " or "))
	}
	if *controls != "" {
		for _, id := range strings.Split(*controls, ",") {
			if len(ChecksOf([]string{id})) == 0 {
				return usage("--control %q: no live check of that control; use the catalog's IDs with live checks (docs/controls.md)", id)
			}
			o.Controls = append(o.Controls, id)
		}
	}
	if strings.Contains(o.Format, ",") && !o.All {
		return usage("--format %q: several formats only with --all (one report file each)", o.Format)
	}
	if o.RequestTimeout <= 0 || o.Timeout <= 0 {
		return usage("--request-timeout and --timeout must be positive durations, e.g. 30s and 10m")
	}
	switch *progress {
	case "on":
		o.Progress = stderr
	case "auto":
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			o.Progress = stderr
		}
	case "off":
	default:
		return usage("--progress %q: use auto, on or off", *progress)
	}
	// No credentials is said once, here, not once per check or tenant.
	credentials := func() int {
		region := o.Region
		if region == "" {
			region = config.RegionTokyo
		}
		awsCfg, err := LoadConfigTimeout(ctx, region, o.Endpoint, nil, o.RequestTimeout)
		if err == nil {
			_, err = awsCfg.Credentials.Retrieve(ctx)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: no AWS credentials: %v\n  set AWS_PROFILE or the AWS_* variables, or run where a role is available (OIDC in CI); nothing was checked\n", err)
			return cli.ExitError
		}
		return cli.ExitOK
	}
	if o.Upload != "" {
		if o.SignKey == "" {
			return usage("--upload keeps sealed reports: give --sign-key too")
		}
		if _, _, err := ParseUpload(o.Upload); err != nil {
			return usage("%v", err)
		}
	}
	if o.All {
		if len(pos) != 0 || (o.InventoryDir == "") == !o.Discover || o.OutDir == "" {
			return cli.UsageError(stderr, Command, "--all takes no tenant, one of --inventory-dir and --discover, and --out-dir")
		}
		if err := lifecycleDir(o.OutDir); err != nil {
			return usage("--out-dir: %v", err)
		}
		if err := writableDir(o.OutDir); err != nil {
			return usage("--out-dir: %v", err)
		}
		if code := credentials(); code != cli.ExitOK {
			return code
		}
		code := Fleet(ctx, o, stdout, stderr)
		if o.SignKey != "" {
			if err := Seal(ctx, o, o.OutDir, stdout); err != nil {
				fmt.Fprintf(stderr, "tenantctl verify: the reports are written but not sealed: %v\n", err)
				return cli.ExitError
			}
		}
		return code
	}
	if len(pos) != 1 || (o.Inventory == "") == !o.Discover {
		return cli.UsageError(stderr, Command, "name one tenant and one of --inventory and --discover")
	}
	o.Tenant = pos[0]
	if err := config.ValidateTenantID(o.Tenant); err != nil {
		return usage("tenant %q: %v", o.Tenant, err)
	}
	if o.Out != "" {
		if err := writableReport(o.Out, o.Force); err != nil {
			return usage("--out: %v", err)
		}
	}
	if o.SignKey != "" && o.Out == "" {
		return usage("--sign-key seals a directory of reports: give --out (in a directory of its own) or --all --out-dir")
	}
	if code := credentials(); code != cli.ExitOK {
		return code
	}
	report, code := Verify(ctx, o, stderr)
	if report == nil {
		return code
	}
	report.Lang = o.Lang
	if o.Out == "" {
		if err := report.Write(stdout, o.Format); err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: %v\n", err)
			return cli.ExitError
		}
		return report.ExitCode()
	}
	if err := writeReport(o.Out, report, o.Format, o.Force); err != nil {
		fmt.Fprintf(stderr, "tenantctl verify: --out: %v\n", err)
		return cli.ExitError
	}
	if o.SignKey != "" {
		if err := Seal(ctx, o, filepath.Dir(o.Out), stdout); err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: the report is written but not sealed: %v\n", err)
			return cli.ExitError
		}
	}
	return report.ExitCode()
}

// writableDir makes dir if needed and proves a file can be created in it.
func writableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return canCreateIn(dir)
}

// canCreateIn proves a file can be created in the existing dir.
func canCreateIn(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return fmt.Errorf("%s is not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writableReport: the report can be written to path, and path is not
// something else (lifecycle evidence, an inventory, a plan) that the
// report would replace.
func writableReport(path string, force bool) error {
	if err := lifecycleDir(filepath.Dir(path)); err != nil {
		return err
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return canCreateIn(filepath.Dir(path))
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	trimmed := bytes.TrimSpace(b)
	var outputs map[string]json.RawMessage
	switch {
	case json.Unmarshal(b, &outputs) == nil && outputs["inventory"] != nil:
		return fmt.Errorf("%s holds a stack's outputs (the inventory verify reads), not a verify report: write the report elsewhere", path)
	case json.Unmarshal(b, &doc) == nil && strings.HasPrefix(doc.Schema, "tenantkit.") && doc.Schema != ReportSchema:
		return fmt.Errorf("%s is a %s file, not a verify report: write the report elsewhere (lifecycle evidence, plans and reports are kept apart)", path, doc.Schema)
	case bytes.HasPrefix(trimmed, []byte("config:")) || bytes.Contains(b, []byte("\nconfig:")):
		return fmt.Errorf("%s is a stack file, not a verify report: write the report elsewhere", path)
	case !force && !WrittenByVerify(b):
		// #36 item 8: a doc, a page, a spreadsheet is not ours to replace.
		return fmt.Errorf("%s exists and is not a report tenantctl verify wrote: choose another path, or pass --force to replace it", path)
	}
	return canCreateIn(filepath.Dir(path))
}

// WrittenByVerify recognises, by its content, a file verify writes in any
// of its formats (and the fleet page): only such a file is replaced
// without --force.
func WrittenByVerify(b []byte) bool {
	b = bytes.TrimPrefix(b, utf8BOM)
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	var ocsf []struct {
		Metadata struct {
			Product struct {
				Name string `json:"name"`
			} `json:"product"`
		} `json:"metadata"`
	}
	switch {
	case bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")):
		return json.Unmarshal(b, &doc) == nil && doc.Schema == ReportSchema
	case bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")):
		return json.Unmarshal(b, &ocsf) == nil && len(ocsf) > 0 && ocsf[0].Metadata.Product.Name == "tenantkit"
	case bytes.Contains(head, []byte(htmlGenerator)):
		return true
	case bytes.Contains(head, []byte(`<testsuite name="tenantkit-verify-`)):
		return true
	case bytes.HasPrefix(b, []byte(strings.Join(CSVHeader, ",")+"\n")) || bytes.HasPrefix(b, []byte(strings.Join(CSVHeader, ",")+"\r\n")):
		return true
	}
	// Markdown and text: their first lines, after the NOT AWS warning.
	for i, line := range bytes.SplitN(head, []byte("\n"), 4) {
		if i > 2 {
			break
		}
		if bytes.HasPrefix(line, []byte("# Evidence: tenant ")) || (bytes.HasPrefix(line, []byte("tenant ")) && bytes.Contains(line, []byte("  account ")) && bytes.Contains(line, []byte("  region "))) {
			return true
		}
	}
	return false
}

// htmlGenerator marks the HTML verify writes (the tenant and fleet pages).
const htmlGenerator = `<meta name="generator" content="tenantkit verify">`

var utf8BOM = []byte("\xef\xbb\xbf")

// lifecycleDir refuses a directory tenantctl's lifecycle commands keep (the
// stacks, the evidence records): it holds their lock file. Reports never
// go there.
func lifecycleDir(dir string) error {
	if _, err := os.Lstat(filepath.Join(dir, safefile.LockFile)); err == nil {
		return fmt.Errorf("%s holds tenantctl's lifecycle files (stack files or evidence records): write reports elsewhere", dir)
	}
	return nil
}

// writeReport renders the report and replaces path with it atomically: a
// failed write leaves the old file, never a partial one.
func writeReport(path string, r *Report, format string, force bool) error {
	// Checked again at write time: a run lasts up to --timeout, and what
	// the path holds may have changed since the arguments were checked.
	if err := writableReport(path, force); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, format); err != nil {
		return err
	}
	return safefile.Write(path, buf.Bytes(), 0o644)
}

// Verify loads the expectations and the inventory, runs every check and
// returns the report and the exit code (nil report: bad input).
func Verify(ctx context.Context, o Options, stderr io.Writer) (*Report, int) {
	s := NewSession(o.Endpoint)
	s.RequestTimeout = o.RequestTimeout
	return s.Verify(ctx, o, stderr)
}

// Session is one run of the verifier: one client set per region (so every
// tenant of a fleet shares the SDK's adaptive retry limiter), and the
// account-wide reads shared by every tenant in the same account and region.
type Session struct {
	endpoint string
	// RequestTimeout bounds each HTTP request (0: DefaultRequestTimeout).
	RequestTimeout time.Duration
	mu             sync.Mutex
	clients        map[string]*Clients
	// shared holds what the run reads once (the registers, the cells);
	// cells the account-wide reads of each cell (memoOf).
	shared Memo
	cells  map[string]*Memo
	// breaker stops asking a host that was silent or unreachable, for
	// every tenant and region of the session (breaker.go).
	breaker *breaker
	// clientsOf, in the tests' in-memory world, gives a tenant's clients
	// in place of an endpoint's.
	clientsOf func(tenant string) *Clients
}

func (s *Session) requestTimeout() time.Duration {
	if s.RequestTimeout > 0 {
		return s.RequestTimeout
	}
	return DefaultRequestTimeout
}

// isTimeout: a network timeout, however the SDK wrapped it.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// NewSession starts a run against the endpoint ("" for AWS).
func NewSession(endpoint string) *Session {
	return &Session{endpoint: endpoint, clients: map[string]*Clients{}, shared: Memo{ForgetErrors: true}}
}

func (s *Session) clientsFor(ctx context.Context, region, roleArn string) (*Clients, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := region + "|" + roleArn
	if c, ok := s.clients[key]; ok {
		return c, nil
	}
	awsCfg, err := LoadConfigTimeout(ctx, region, s.endpoint, nil, s.RequestTimeout)
	if err != nil {
		return nil, err
	}
	if hc, ok := awsCfg.HTTPClient.(*http.Client); ok {
		if s.breaker == nil {
			s.breaker = newBreaker(hc.Transport, s.requestTimeout())
		}
		copied := *hc
		// The breaker enforces the request timeout, on the answer's
		// headers and its body alike: it must see the timeout as its own
		// to tell a silent host from a caller that gave up.
		copied.Transport, copied.Timeout = s.breaker, 0
		awsCfg.HTTPClient = &copied
	}
	if roleArn != "" {
		// The cell's role; its account is checked once per cell in Verify.
		awsCfg = awscell.Assume(awsCfg, roleArn, "tenantkit-verify")
	}
	c := NewClients(awsCfg, s.endpoint)
	s.clients[key] = c
	return c, nil
}

// memoOf is the memo of the account-wide reads of one cell (one account):
// a fleet's cells never share an answer.
func (s *Session) memoOf(cell string) *Memo {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cells == nil {
		s.cells = map[string]*Memo{}
	}
	m, ok := s.cells[cell]
	if !ok {
		m = &Memo{ForgetErrors: true}
		s.cells[cell] = m
	}
	return m
}

// Verify verifies one tenant in this session.
func (s *Session) Verify(ctx context.Context, o Options, stderr io.Writer) (*Report, int) {
	bad := func(format string, args ...any) (*Report, int) {
		fmt.Fprintf(stderr, "tenantctl verify: "+format+"\n", args...)
		return nil, cli.ExitBadInput
	}
	cfg, _, err := stackfile.Load(o.StacksDir, o.Tenant)
	if err != nil {
		return bad("%v", err)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Every stack's range, read once per run (a fleet of 1,000 read every
	// stack file 1,000 times), this tenant's left out.
	ranges, err := remember(&s.shared, "ranges/"+o.StacksDir, func() (map[string]netip.Prefix, error) { return stackfile.OtherCidrs(o.StacksDir, "") })
	if err != nil {
		return bad("%v", err)
	}
	others := maps.Clone(ranges)
	delete(others, o.Tenant)
	// The accepted exceptions, read once per run: a register that is not
	// valid stops the run before anything is read (#37 item 6).
	register, err := remember(&s.shared, "exceptions/"+o.StacksDir, func() ([]exceptions.Exception, error) { return exceptions.Load(o.StacksDir) })
	if err != nil {
		return bad("%v", err)
	}
	// The process evidence, hashed once per run (#37 item 5).
	process, err := remember(&s.shared, "process/"+o.ProcessDir, func() ([]procevidence.Document, error) {
		if o.ProcessDir == "" {
			return nil, nil
		}
		return procevidence.Load(o.ProcessDir)
	})
	if err != nil {
		return bad("%v", err)
	}
	region := o.Region
	if region == "" {
		region = cfg.Region
	}
	// The tenant's cell: the account to reach, the role to reach it by,
	// the baseline it was built beside.
	cell, err := remember(&s.shared, "cell/"+o.BaselineDir+"/"+cfg.Cell+"/"+cfg.Region, func() (*config.Cell, error) { return stackfile.CellOf(o.BaselineDir, cfg) })
	if err != nil {
		return bad("%v", err)
	}
	cellName, roleArn := region, ""
	if cell != nil {
		cellName, roleArn = cell.Name, cell.RoleArn
	}
	memo := s.memoOf(cellName)
	calls := &Calls{}
	ctx = WithCalls(ctx, calls)
	var clients *Clients
	if s.clientsOf != nil {
		clients = s.clientsOf(o.Tenant)
	} else if clients, err = s.clientsFor(ctx, region, roleArn); err != nil {
		return bad("AWS configuration: %v", err)
	}
	// Whatever the mode, the credentials must be the cell's account before
	// anything is read (discovery reads), and the inventory's after:
	// account-wide checks would otherwise judge another account.
	// An endpoint that does not answer is said within one request timeout:
	// the breaker stops asking it after the first (the retries meet the
	// open circuit at once), while a connection the endpoint closed under
	// a reused keep-alive is retried as the SDK retries it.
	caller, err := remember(memo, "caller", func() ([2]string, error) {
		out, err := clients.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return [2]string{}, err
		}
		if aws.ToString(out.Account) == "" {
			return [2]string{}, fmt.Errorf("the answer names no account")
		}
		return [2]string{aws.ToString(out.Account), aws.ToString(out.Arn)}, nil
	})
	who := caller[0]
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			fmt.Fprintf(stderr, "tenantctl verify: the endpoint does not answer (sts:GetCallerIdentity, no answer within %s); nothing was checked: %v\n", s.requestTimeout(), err)
			return nil, cli.ExitError
		}
		if roleArn != "" {
			fmt.Fprintf(stderr, "tenantctl verify: %s: reach cell %s through its role %s (sts:AssumeRole, then sts:GetCallerIdentity): %v; nothing was checked\n", o.Tenant, cellName, roleArn, err)
			return nil, cli.ExitError
		}
		fmt.Fprintf(stderr, "tenantctl verify: who am I (sts:GetCallerIdentity): %v\n", err)
		return nil, cli.ExitError
	}
	if cell != nil && cell.AccountID != "" && who != cell.AccountID {
		return bad("tenant %s lives in cell %s, account %s; the credentials reached account %s: nothing was read. Verify with credentials for %s (the cell's roleArn, or the pipeline's own)", o.Tenant, cell.Name, cell.AccountID, who, cell.AccountID)
	}
	inv := o.Inventoried
	if inv != nil {
		// read by the caller
	} else if o.Inventory != "" {
		if inv, err = ReadInventory(o.Inventory); err != nil {
			return bad("--inventory %s: %v", o.Inventory, err)
		}
	} else {
		fe, okEC2 := clients.EC2.(finderEC2)
		fl, okELB := clients.ELB.(finderELB)
		if !okEC2 || !okELB {
			fmt.Fprintln(stderr, "tenantctl verify: --discover needs clients that can list subnets, launch templates and load balancers")
			return nil, cli.ExitError
		}
		if inv, err = Discover(ctx, &Finder{Account: who, STS: clients.STS, EC2: fe, ELB: fl, KMS: clients.KMS}, cfg); err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: %v\n", err)
			return nil, cli.ExitError
		}
	}
	if inv.Tenant != o.Tenant {
		return bad("the inventory is tenant %q's, not %q's", inv.Tenant, o.Tenant)
	}
	if who != inv.AccountID {
		return bad("the credentials are account %s's, the inventory of %s is account %s's: verify with credentials for %s", who, o.Tenant, inv.AccountID, inv.AccountID)
	}
	var baselineCfg *config.Baseline
	if cell != nil {
		baselineCfg = cell.Baseline
	}
	now := clock.Now()
	t := &Target{Inv: inv, Cfg: cfg, OtherCidrs: others, Clients: clients, Baseline: baselineCfg, Shared: memo}
	if o.Progress != nil {
		t.Progress = func(done, total int, check string) {
			fmt.Fprintf(o.Progress, "verify %s: %d/%d %s\n", o.Tenant, done, total, check)
		}
	}
	results := RunChecks(ctx, t, ChecksOf(o.Controls), o.Parallel)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "tenantctl verify: %s: the %s deadline (--timeout) ran out; the checks it cut short are ERROR\n", o.Tenant, timeout)
	}
	rep := NewReport(t, results, now, calls)
	rep.Endpoint = s.endpoint
	// Who ran it and how the resources were found (#37 item 6).
	rep.Caller, rep.Mode = caller[1], "inventory"
	if o.Inventoried == nil && o.Inventory == "" {
		rep.Mode = "discover"
	}
	// Read once per run, not once per tenant of a fleet: the checkout's
	// commit, and the cell's tenants (one account holds them), for the
	// account's tenancy.
	rep.Commit, _ = remember(&s.shared, "commit/"+o.StacksDir, func() (string, error) { return headCommit(o.StacksDir), nil })
	rep.Edition = catalog.Edition
	rep.Exceptions = exceptions.For(register, o.Tenant, lifecycle.Today(now))
	rep.ProcessEvidence = process
	if cell != nil {
		rep.Cell = cell.Name
	}
	if tenants, err := remember(memo, "tenants/"+o.StacksDir, func() ([]string, error) {
		fleet, err := stackfile.Fleet(o.StacksDir, cell, region, "")
		var names []string
		for _, t := range fleet {
			names = append(names, t.TenantID)
		}
		return names, err
	}); err == nil {
		n := len(tenants)
		if slices.Contains(tenants, o.Tenant) {
			n--
		}
		rep.SharedWith = &n
	}
	// The banner follows where the calls really went (#37 item 3): an
	// endpoint from the AWS config file or a per-service variable makes a
	// report NOT AWS as --endpoint does.
	if seen := calls.NotAWS(); len(seen) > 0 && (rep.Endpoint == "" || !slices.Equal(seen, []string{strings.TrimSuffix(rep.Endpoint, "/")})) {
		rep.Endpoint = strings.Join(seen, ", ")
	}
	return rep, cli.ExitOK
}

// TenantsPerCell is how many of one cell's tenants verify --all reads at
// once: the API limits are each account's, so the cells run side by side.
const TenantsPerCell = 4

// fleetCells is each tenant's cell by name ("" where no cell is known; a
// stack that cannot be read or placed is left to the tenant's own run,
// which reports it).
func fleetCells(o Options, names []string) (map[string]string, error) {
	resolve, err := stackfile.Resolver(o.BaselineDir)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range names {
		t, _, err := stackfile.Load(o.StacksDir, n)
		if err != nil {
			continue
		}
		if c, err := resolve(t); err == nil && c != nil {
			out[n] = c.Name
		} else if err != nil {
			out[n] = t.Cell
		}
	}
	return out, nil
}

// Fleet verifies every tenant that is not deleted, 4 tenants of a cell at a time,
// writes each report into OutDir and a summary to stdout. Exit 1 if any
// tenant FAILs, else 3 if any could not be verified completely (an ERROR, or
// an unreadable stack or inventory), else 0.
func Fleet(ctx context.Context, o Options, stdout, stderr io.Writer) int {
	names, problems, err := stackfile.Scan(o.StacksDir)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl verify: %v\n", err)
		return cli.ExitBadInput
	}
	for _, p := range problems {
		fmt.Fprintf(stderr, "tenantctl verify: skipped: %v\n", p)
	}
	// Each tenant's cell: the cells run side by side, each at most four
	// tenants at a time, within its own account's API limits; --cell keeps
	// one cell's tenants.
	cellOf, err := fleetCells(o, names)
	if err != nil {
		fmt.Fprintf(stderr, "tenantctl verify: %v\n", err)
		return cli.ExitBadInput
	}
	if o.Cell != "" {
		names = slices.DeleteFunc(names, func(n string) bool { return cellOf[n] != o.Cell })
		if len(names) == 0 {
			fmt.Fprintf(stderr, "tenantctl verify: --cell %s: no tenant lives in that cell (tenantctl list --format cells lists the cells)\n", o.Cell)
			return cli.ExitBadInput
		}
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		fmt.Fprintf(stderr, "tenantctl verify: --out-dir: %v\n", err)
		return cli.ExitBadInput
	}
	exts := map[string]string{"text": "txt", "json": "json", "junit": "xml", "markdown": "md", "html": "html", "ocsf": "ocsf.json", "csv": "csv"}
	fmts := strings.Split(o.Format, ",")
	ext := exts[fmts[0]]
	// A row's status is one word; why a tenant was not verified goes to
	// stderr, and the report column names only a file that was written.
	type row struct {
		tenant string
		code   int
		status string
		why    string
		fails  int
		report string
		result *Report
		cfg    *config.Tenant
	}
	rows := make([]row, len(names))
	session := o.session
	if session == nil {
		session = NewSession(o.Endpoint)
		session.RequestTimeout = o.RequestTimeout
	}
	// The fleet's deadline (#36 item 1): past it no tenant begins, those in
	// flight end with what they have (the rest ERROR), and the summary and
	// the fleet page are written all the same.
	fleetTimeout := o.FleetTimeout
	if fleetTimeout <= 0 {
		fleetTimeout = DefaultFleetTimeout
	}
	fctx, cancelFleet := context.WithTimeout(ctx, fleetTimeout)
	defer cancelFleet()
	sems := map[string]chan struct{}{}
	for _, n := range names {
		if sems[cellOf[n]] == nil {
			sems[cellOf[n]] = make(chan struct{}, TenantsPerCell)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	finished := 0
	for i, n := range names {
		wg.Add(1)
		sem := sems[cellOf[n]]
		go func() {
			defer wg.Done()
			rows[i] = row{tenant: n}
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-fctx.Done():
			}
			if fctx.Err() != nil {
				rows[i].code, rows[i].status, rows[i].why = cli.ExitError, "NOT VERIFIED", fmt.Sprintf("the fleet deadline (--fleet-timeout %s) ran out before this tenant began", fleetTimeout)
				return
			}
			if o.Progress != nil {
				defer func() {
					mu.Lock()
					finished++
					fmt.Fprintf(o.Progress, "verify: %d/%d tenants done (%s: %s)\n", finished, len(names), n, rows[i].status)
					mu.Unlock()
				}()
			}
			cfg, _, err := stackfile.Load(o.StacksDir, n)
			if err != nil {
				rows[i].code, rows[i].status, rows[i].why = cli.ExitBadInput, "NOT VERIFIED", err.Error()
				return
			}
			rows[i].cfg = cfg
			if cfg.Lifecycle.State == config.StateDeleted {
				rows[i].code, rows[i].status = cli.ExitOK, "DELETED"
				return
			}
			one := o
			one.Tenant, one.All, one.Progress = n, false, nil // a line per tenant, not per check
			if o.InventoryDir != "" {
				one.Inventory = filepath.Join(o.InventoryDir, n+".json")
			}
			var msgs strings.Builder
			report, code := session.Verify(fctx, one, &msgs)
			if report == nil {
				rows[i].code, rows[i].status, rows[i].why = code, "NOT VERIFIED", strings.TrimSpace(msgs.String())
				return
			}
			report.Lang = o.Lang
			rows[i].result = report
			err = nil
			for _, f := range fmts {
				if err == nil {
					err = writeReport(filepath.Join(o.OutDir, n+"."+exts[f]), report, f, o.Force)
				}
			}
			if err != nil {
				rows[i].code, rows[i].status, rows[i].why = cli.ExitError, "NO REPORT", err.Error()
				return
			}
			rows[i].code, rows[i].status, rows[i].report = report.ExitCode(), string(report.Status), filepath.Join(o.OutDir, n+"."+ext)
			for _, c := range report.Controls {
				if c.Status == "FAIL" || c.Status == "ERROR" {
					rows[i].fails++
				}
			}
		}()
	}
	wg.Wait()
	if errors.Is(fctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		fmt.Fprintf(stderr, "tenantctl verify: the fleet deadline (--fleet-timeout %s) ran out; what it cut short is ERROR\n", fleetTimeout)
	}
	if session.breaker != nil {
		open := session.breaker.Open()
		for _, h := range slices.Sorted(maps.Keys(open)) {
			fmt.Fprintf(stderr, "tenantctl verify: %s %s; it was asked no more in this run (every check that needed it is ERROR)\n", h, open[h])
		}
	}
	worst := cli.ExitOK
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TENANT\tSTATUS\tCONTROLS NOT PASSING\tREPORT")
	for _, r := range rows {
		report := r.report
		if report == "" {
			report = "-"
		}
		if r.why != "" {
			fmt.Fprintf(stderr, "tenantctl verify: %s: %s\n", r.tenant, r.why)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.tenant, r.status, r.fails, report)
		switch {
		case r.code == cli.ExitFail:
			worst = cli.ExitFail
		case r.code != cli.ExitOK && worst != cli.ExitFail:
			worst = cli.ExitError // could not be verified completely
		}
	}
	tw.Flush()
	if slices.Contains(fmts, "html") {
		var tenants []FleetTenant
		for _, r := range rows {
			ft := FleetTenant{Tenant: r.tenant, Report: r.result, Status: r.status}
			switch {
			case r.result != nil && r.result.Cell != "":
				ft.Cell = r.result.Cell
			case r.cfg != nil:
				ft.Cell = r.cfg.Cell
			}
			if r.result != nil && r.report != "" {
				ft.ReportFile = r.tenant + ".html"
			}
			if r.cfg != nil {
				ft.State, ft.Cancelled, ft.SuspendBy, ft.DeleteBy = string(r.cfg.Lifecycle.State), r.cfg.Lifecycle.CancelledOn, r.cfg.Lifecycle.SuspendOn, r.cfg.Lifecycle.DeleteBy
				ft.Done = lifecycleDone(o.EvidenceDir, r.tenant)
			}
			tenants = append(tenants, ft)
		}
		now := clock.Now()
		var buf bytes.Buffer
		// The page's banner as the reports': where the calls really went.
		endpoint := o.Endpoint
		for _, r := range rows {
			if r.result != nil && r.result.Endpoint != "" {
				endpoint = r.result.Endpoint
			}
		}
		err := FleetHTML(&buf, o.Lang, tenants, now.In(config.JST).Format("2006-01-02T15:04:05+09:00"), now.UTC().Format(time.RFC3339), endpoint)
		if err == nil {
			// "index" is no tenant id (config.ReservedTenantIDs): no
			// tenant's page is this one.
			if err = writableReport(filepath.Join(o.OutDir, FleetPage), o.Force); err == nil {
				err = safefile.Write(filepath.Join(o.OutDir, FleetPage), buf.Bytes(), 0o644)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "tenantctl verify: the fleet page: %v\n", err)
			if worst == cli.ExitOK {
				worst = cli.ExitError
			}
		} else {
			fmt.Fprintf(stdout, "fleet page: %s\n", filepath.Join(o.OutDir, FleetPage))
		}
	}
	if len(problems) > 0 && worst == cli.ExitOK {
		worst = cli.ExitError // a stack could not be read: not verified completely
	}
	return worst
}

// FleetPage is the fleet's page in --out-dir; its stem is a reserved
// tenant id, so no tenant's report is named like it.
const FleetPage = "index.html"

// lifecycleDone says which offboarding steps are done and when (JST), from
// the tenant's lifecycle evidence: "suspended 2026-12-01, deleted
// 2026-12-20". Empty when nothing is done or the evidence cannot be read.
func lifecycleDone(dir, tenant string) string {
	ev, err := lifecycle.ReadEvidence(dir, tenant)
	if err != nil {
		return ""
	}
	var suspended, deleted string
	for _, e := range ev.Entries {
		day := e.AtJST
		if len(day) >= 10 {
			day = day[:10]
		}
		switch {
		case e.Step == lifecycle.StepSuspend && strings.HasPrefix(e.Summary, "suspended:"):
			suspended = day
		case e.Step == lifecycle.StepDeleted:
			deleted = day
		}
	}
	var parts []string
	if suspended != "" {
		parts = append(parts, "suspended "+suspended)
	}
	if deleted != "" {
		parts = append(parts, "deleted "+deleted)
	}
	return strings.Join(parts, ", ")
}
