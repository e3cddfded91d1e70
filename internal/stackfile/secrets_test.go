package stackfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteSecretsKeepsEveryOtherLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Pulumi.acme.yaml")
	body := "# acme's stack\nencryptionsalt: v1:abc:def\nconfig:\n  # the range\n  tenantkit:vpcCidr: 10.16.0.0/20\n  tenantkit:tenantId: acme\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	want := Secrets{Provider: "awskms://alias/tenantkit-state?region=ap-northeast-1", EncryptedKey: "AQICAHh+/x=="}
	changed, err := WriteSecrets(path, want)
	if err != nil || !changed {
		t.Fatalf("WriteSecrets: %v, %v", changed, err)
	}
	b, _ := os.ReadFile(path)
	wantText := "secretsprovider: " + want.Provider + "\nencryptedkey: " + want.EncryptedKey + "\n# acme's stack\nconfig:\n  # the range\n  tenantkit:vpcCidr: 10.16.0.0/20\n  tenantkit:tenantId: acme\n"
	if string(b) != wantText {
		t.Errorf("the file:\n%s\nwant:\n%s", b, wantText)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the file's own 0600", fi.Mode().Perm())
	}
	if got, err := ReadSecrets(path); err != nil || got != want {
		t.Errorf("read back %+v, %v", got, err)
	}
	// Again: nothing to do. Another key: replaced where it is.
	if changed, err := WriteSecrets(path, want); err != nil || changed {
		t.Errorf("the same again: changed %v, %v", changed, err)
	}
	other := Secrets{Provider: want.Provider, EncryptedKey: "BBBB"}
	if _, err := WriteSecrets(path, other); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	if !strings.HasPrefix(string(b), "secretsprovider: "+want.Provider+"\nencryptedkey: BBBB\n# acme's stack\n") {
		t.Errorf("replaced in place:\n%s", b)
	}
	if _, err := WriteSecrets(path, Secrets{Provider: "passphrase", Salt: "x"}); err == nil {
		t.Error("a salt written by tenantctl")
	}
}
