package stackfile_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// No two stacks in stacks/ overlap (WP-31), and every one validates.
func TestStacksDoNotOverlap(t *testing.T) {
	dir := testkit.StacksDir()
	names := testkit.ExampleTenants(t)
	cidrs := map[string]netip.Prefix{}
	for _, n := range names {
		cfg, _, err := stackfile.Load(dir, n)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.TenantID != n {
			t.Errorf("%s: tenantId %q differs from the stack name", n, cfg.TenantID)
		}
		cidrs[n] = netip.MustParsePrefix(cfg.VpcCidr)
	}
	if err := stackfile.Overlaps(cidrs); err != nil {
		t.Error(err)
	}
}

func TestOverlapDetected(t *testing.T) {
	err := stackfile.Overlaps(map[string]netip.Prefix{
		"a": netip.MustParsePrefix("10.16.0.0/20"),
		"b": netip.MustParsePrefix("10.16.8.0/22"),
		"c": netip.MustParsePrefix("10.17.0.0/20"),
	})
	if err == nil || !strings.Contains(err.Error(), "a") || !strings.Contains(err.Error(), "b") {
		t.Fatalf("want the a/b overlap reported, got %v", err)
	}
}

func TestWriteIsDeterministicAndRoundTrips(t *testing.T) {
	dir := t.TempDir()
	cfg := testkit.Load(t, "globex")
	path, _, err := stackfile.Write(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(path)
	if _, _, err := stackfile.Write(dir, cfg); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(path)
	if string(first) != string(second) {
		t.Errorf("a second write changed the file:\n%s\n---\n%s", first, second)
	}
	back, _, err := stackfile.Load(dir, "globex")
	if err != nil {
		t.Fatal(err)
	}
	a, b := config.Encode(cfg), config.Encode(back)
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s: wrote %q, read back %q", k, v, b[k])
		}
	}
}

func TestLoadErrorsNameFileAndField(t *testing.T) {
	dir := t.TempDir()
	bad := "config:\n  tenantkit:tenantId: bad\n  tenantkit:vpcCidr: 8.8.8.0/24\n"
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := stackfile.Load(dir, "bad")
	if err == nil || !strings.Contains(err.Error(), "Pulumi.bad.yaml") || !strings.Contains(err.Error(), "tenantkit:vpcCidr") {
		t.Fatalf("want file and field named, got %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.broken.yaml"), []byte("config: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := stackfile.Load(dir, "broken"); err == nil || !strings.Contains(err.Error(), "not valid YAML") {
		t.Fatalf("want a YAML error, got %v", err)
	}
	if _, _, err := stackfile.Load(dir, "missing"); err == nil {
		t.Fatal("missing stack accepted")
	}
}

// A key written twice is bad input everywhere it is read or edited, named
// with both lines: readers took the last value while editors changed the
// first, so a cancellation recorded in one was invisible in the other.
func TestDuplicateKeysRefused(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"tenantkit:lifecycle": "config:\n  tenantkit:tenantId: acme\n  tenantkit:lifecycle:\n    state: active\n  tenantkit:vpcCidr: 10.16.0.0/20\n  tenantkit:lifecycle:\n    state: active\n",
		"config":              "config:\n  tenantkit:tenantId: acme\nconfig:\n  tenantkit:tenantId: acme\n",
	} {
		path := filepath.Join(dir, "Pulumi.acme.yaml")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := stackfile.ReadRaw(path); err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "written twice") {
			t.Errorf("%s twice, ReadRaw: %v", name, err)
		}
		if _, _, err := stackfile.Load(dir, "acme"); err == nil || !strings.Contains(err.Error(), "written twice") {
			t.Errorf("%s twice, Load: %v", name, err)
		}
	}
}
