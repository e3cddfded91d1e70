package stackfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/safefile"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// A stack file as Pulumi and an operator leave it: a secrets provider and
// its salt, a foreign provider key with a typed scalar, a foreign secret,
// comments, and tenantkit keys in the operator's order.
const pulumiStack = `# acme: production tenant (ticket OPS-1234)
secretsprovider: awskms://alias/pulumi-secrets?region=ap-northeast-1
encryptedkey: AQICAHhAA1T4PtAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==
encryptionsalt: v1:7eR3TN+5s4A=:v1:WG9ZWjRhZ2h0Zw==:bm90IGEgcmVhbCBzZWNyZXQ=
config:
  aws:skipMetadataApiCheck: false
  aws:profile: "ops"   # the operator's profile
  tenantkit:tenantId: acme
  tenantkit:environment: production
  # the customer's office ranges
  tenantkit:ingressCidrs:
    - 203.0.113.0/24
  tenantkit:vpcCidr: 10.16.0.0/20
  tenantkit:certificateArn: arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
  app:apiToken:
    secure: v1:dGhpcyBpcyBub3QgYSByZWFsIHNlY3JldA==
`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o640); err != nil {
		t.Fatal(err)
	}
	return p
}

// Rewriting a stack keeps everything tenantctl does not own, byte for byte
// (#13 item 5): Pulumi's top-level keys, the foreign keys with their
// scalar styles, the secret, the comments; and a write that changes
// nothing writes nothing.
func TestWriteKeepsWhatItDoesNotOwn(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "Pulumi.acme.yaml", pulumiStack)
	cfg, _, err := stackfile.Load(dir, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, changed, err := stackfile.Write(dir, cfg); err != nil || changed {
		t.Fatalf("an unchanged config rewrote the file: changed=%v %v", changed, err)
	}
	if b, _ := os.ReadFile(path); string(b) != pulumiStack {
		t.Fatalf("an unchanged config changed the bytes:\n%s", b)
	}
	cfg.Lifecycle.State = config.StateSuspended
	cfg.Lifecycle.CancelledOn, cfg.Lifecycle.SuspendOn, cfg.Lifecycle.DeleteBy = "2026-11-25", "2026-11-26", "2026-12-25"
	if _, changed, err := stackfile.Write(dir, cfg); err != nil || !changed {
		t.Fatalf("write: changed=%v %v", changed, err)
	}
	after, _ := os.ReadFile(path)
	for _, line := range strings.Split(strings.TrimSpace(pulumiStack), "\n") {
		if !strings.Contains(string(after), line+"\n") {
			t.Errorf("line lost or changed: %q\n--- file now:\n%s", line, after)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the file's 0640 kept", fi.Mode().Perm())
	}
	back, raw, err := stackfile.Load(dir, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if back.Lifecycle != cfg.Lifecycle {
		t.Errorf("lifecycle %+v, want %+v", back.Lifecycle, cfg.Lifecycle)
	}
	if raw["aws:skipMetadataApiCheck"] != "false" || !strings.Contains(string(after), "aws:skipMetadataApiCheck: false\n") {
		t.Errorf("the foreign boolean changed: %q", raw["aws:skipMetadataApiCheck"])
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// An operator's save landing between tenantctl's read and its rename
// (#22 item 5; 3 of 100 runs lost it) is kept: the edit is made again on
// the saved file. One that keeps landing is refused, never written over.
func TestWriteNeverLosesAnEditSavedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "Pulumi.acme.yaml", pulumiStack)
	cfg, _, err := stackfile.Load(dir, "acme")
	if err != nil {
		t.Fatal(err)
	}
	saved := strings.Replace(pulumiStack, "aws:skipMetadataApiCheck: false", "aws:skipMetadataApiCheck: true", 1)
	if saved == pulumiStack {
		t.Fatal("the fixture has no aws:skipMetadataApiCheck: false to edit")
	}
	saves := 0
	safefile.BeforeRename = func(p string) {
		if saves == 0 {
			_ = os.WriteFile(p, []byte(saved), 0o640)
		}
		saves++
	}
	t.Cleanup(func() { safefile.BeforeRename = nil })
	cfg.Lifecycle.State = config.StateSuspended
	cfg.Lifecycle.CancelledOn, cfg.Lifecycle.SuspendOn, cfg.Lifecycle.DeleteBy = "2026-11-25", "2026-11-26", "2026-12-25"
	if _, changed, err := stackfile.Write(dir, cfg); err != nil || !changed {
		t.Fatalf("write: changed=%v %v", changed, err)
	}
	after, _ := os.ReadFile(path)
	if !strings.Contains(string(after), "aws:skipMetadataApiCheck: true\n") {
		t.Errorf("the operator's save was written over:\n%s", after)
	}
	if back, _, err := stackfile.Load(dir, "acme"); err != nil || back.Lifecycle != cfg.Lifecycle {
		t.Errorf("tenantctl's change lost: %+v %v", back, err)
	}

	// A file that changes at every attempt: refused, the last save stays.
	safefile.BeforeRename = func(p string) {
		saves++
		_ = os.WriteFile(p, []byte(fmt.Sprintf("%s# save %d\n", pulumiStack, saves)), 0o640)
	}
	cfg.Lifecycle.State = config.StateDeleting
	if _, _, err := stackfile.Write(dir, cfg); !errors.Is(err, safefile.ErrChanged) {
		t.Errorf("a file changing at every attempt: %v, want ErrChanged", err)
	}
	if b, _ := os.ReadFile(path); string(b) != fmt.Sprintf("%s# save %d\n", pulumiStack, saves) {
		t.Errorf("the last save was written over:\n%s", b)
	}
}

// The file name is the tenant (#13 item 1): a copy left unedited is
// refused, naming both.
func TestFileNameIsTheTenant(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(stackfile.Path(testkit.StacksDir(), "acme"))
	writeFile(t, dir, "Pulumi.bar.yaml", string(b))
	_, _, err := stackfile.Load(dir, "bar")
	if err == nil || !strings.Contains(err.Error(), "Pulumi.bar.yaml") || !strings.Contains(err.Error(), `"acme"`) {
		t.Fatalf("want the mismatch refused naming file and id, got %v", err)
	}
	writeFile(t, dir, "Pulumi.noid.yaml", "config:\n  tenantkit:vpcCidr: 10.16.0.0/20\n")
	if _, _, err := stackfile.Load(dir, "noid"); err == nil {
		t.Fatal("a stack without tenantId accepted")
	}
}

// A tenant argument that is not an id never becomes a path (#13 item 2).
func TestPathsOnlyFromTenantIDs(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "stacks")
	os.MkdirAll(dir, 0o755)
	writeFile(t, root, "Pulumi.evil.yaml", "config:\n  tenantkit:tenantId: evil\n")
	for _, name := range []string{"x/../../Pulumi.evil", "../evil", "acme/..", "a.b"} {
		if _, _, err := stackfile.Load(dir, name); err == nil {
			t.Errorf("Load(%q) accepted", name)
		}
		cfg := config.Defaults()
		cfg.TenantID = name
		if _, _, err := stackfile.Write(dir, cfg); err == nil {
			t.Errorf("Write(%q) accepted", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// One bad entry in the stacks directory is reported and the rest listed
// (#13 item 16): a directory, a dangling symbolic link, a file above the
// size limit, a name that is not an id.
func TestScanReportsBadEntries(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(stackfile.Path(testkit.StacksDir(), "acme"))
	writeFile(t, dir, "Pulumi.acme.yaml", string(b))
	os.Mkdir(filepath.Join(dir, "Pulumi.adir.yaml"), 0o755)
	os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "Pulumi.dangling.yaml"))
	writeFile(t, dir, "Pulumi.huge.yaml", "config:\n  x: "+strings.Repeat("a", stackfile.MaxBytes)+"\n")
	writeFile(t, dir, "Pulumi.Bad_Name.yaml", "config: {}\n")
	names, problems, err := stackfile.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "acme" {
		t.Errorf("names %v, want [acme]", names)
	}
	all := errors.Join(problems...)
	for _, want := range []string{"Pulumi.adir.yaml", "Pulumi.dangling.yaml", "Pulumi.huge.yaml", "Pulumi.Bad_Name.yaml", "limit", "symbolic link"} {
		if all == nil || !strings.Contains(all.Error(), want) {
			t.Errorf("problems do not mention %s: %v", want, all)
		}
	}
	if _, err := stackfile.ReadRaw(filepath.Join(dir, "Pulumi.huge.yaml")); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("an oversized file read: %v", err)
	}
}

// Fuzz: any tenant argument that passes the check names a file directly in
// the directory, and Load never reads outside it.
func FuzzTenantArgument(f *testing.F) {
	for _, s := range []string{"acme", "x/../../../evil", "..", "due", "a-b-c", "acme\x00", "Acme", "a/b", strings.Repeat("z", 40)} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name string) {
		if config.ValidateTenantID(name) != nil {
			if _, _, err := stackfile.Load(dir, name); err == nil {
				t.Fatalf("Load accepted the invalid tenant %q", name)
			}
			return
		}
		p := stackfile.Path(dir, name)
		if filepath.Dir(p) != dir || filepath.Base(p) != "Pulumi."+name+".yaml" {
			t.Fatalf("tenant %q maps to %s, outside %s", name, p, dir)
		}
	})
}

// Fuzz: whatever a foreign key holds (any string, as YAML writes it) and
// whatever comment the operator wrote, a rewrite by tenantctl keeps both
// and the Pulumi keys, byte for byte.
func FuzzWriteKeepsForeignBytes(f *testing.F) {
	f.Add("ops", "ticket OPS-1", "v1:c2FsdA==")
	f.Add("", "", "")
	f.Add("false", "# nested", "x: y")
	f.Add("multi\nline", "ü 日本語", "'quoted'")
	f.Fuzz(func(t *testing.T, foreign, comment, salt string) {
		if strings.ContainsAny(comment, "\r\n\x00") || !validUTF8(foreign+comment+salt) {
			return // a comment is one line; YAML is UTF-8
		}
		var doc bytes.Buffer
		doc.WriteString("encryptionsalt: " + quote(salt) + "\n")
		doc.WriteString("config:\n")
		doc.WriteString("  aws:profile: " + quote(foreign) + " # " + comment + "\n")
		b, _ := os.ReadFile(stackfile.Path(testkit.StacksDir(), "acme"))
		doc.WriteString(strings.TrimPrefix(string(b), "config:\n"))
		dir := t.TempDir()
		path := writeFile(t, dir, "Pulumi.acme.yaml", doc.String())
		raw0, err := stackfile.ReadRaw(path)
		if err != nil {
			return // not a file Pulumi would read either
		}
		cfg, _, err := stackfile.Load(dir, "acme")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Lifecycle.State = config.StateSuspended
		if _, _, err := stackfile.Write(dir, cfg); err != nil {
			t.Fatal(err)
		}
		after, _ := os.ReadFile(path)
		first := strings.SplitN(doc.String(), "\n", 2)[0]
		if !strings.HasPrefix(string(after), first+"\n") {
			t.Fatalf("the salt line changed: %q\n%s", first, after)
		}
		raw1, err := stackfile.ReadRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		if raw1["aws:profile"] != raw0["aws:profile"] {
			t.Fatalf("the foreign value changed: %q -> %q", raw0["aws:profile"], raw1["aws:profile"])
		}
		if comment != "" && !strings.Contains(string(after), comment) {
			t.Fatalf("the comment %q was lost:\n%s", comment, after)
		}
	})
}

// quote writes s as a double-quoted YAML scalar.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

func validUTF8(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}
