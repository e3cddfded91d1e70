package procevidence

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const register = `documents:
  - section: 30
    title: Annual third-party vulnerability assessment, 2026
    owner: Security team (CISO)
    file: assessments/2026.pdf
    date: 2026-10-15
`

func setUp(t *testing.T, reg string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, Register), []byte(reg), 0o644)
	for name, body := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	return dir
}

// A document is attached with the SHA-256 of what it holds, under a
// section met by a process.
func TestLoadHashesEveryDocument(t *testing.T) {
	body := "%PDF-1.7 the assessment's report"
	ds, err := Load(setUp(t, strings.Replace(register, "section: 30", "section: 37", 1), map[string]string{"assessments/2026.pdf": body}))
	sum := sha256.Sum256([]byte(body))
	if err != nil || len(ds) != 1 || ds[0].SHA256 != hex.EncodeToString(sum[:]) || ds[0].Bytes != int64(len(body)) {
		t.Fatalf("%+v %v", ds, err)
	}
	if len(OfSection(ds, 37)) != 1 || len(OfSection(ds, 30)) != 0 {
		t.Error("OfSection")
	}
	if ds, err := Load(t.TempDir()); ds != nil || err != nil {
		t.Errorf("no register: %v %v", ds, err)
	}
}

// Every fault names its field, the value and the fix.
func TestLoadRefuses(t *testing.T) {
	good := strings.Replace(register, "section: 30", "section: 37", 1)
	files := map[string]string{"assessments/2026.pdf": "x"}
	for name, c := range map[string]struct{ edit, want, says string }{
		"no promise":          {"section: 37", "section: 1", `section "1"`},
		"past the whitepaper": {"section: 37", "section: 45", `section "45"`},
		"no owner":            {"owner: Security team (CISO)", "owner: ''", `owner ""`},
		"no such file":        {"file: assessments/2026.pdf", "file: assessments/2027.pdf", `file "assessments/2027.pdf"`},
		"outside":             {"file: assessments/2026.pdf", "file: ../secret", `file "../secret"`},
		"bad day":             {"date: 2026-10-15", "date: October", `date "October"`},
		"unknown field":       {"date: 2026-10-15", "date: 2026-10-15\n    approver: me", "approver"},
	} {
		_, err := Load(setUp(t, strings.Replace(good, c.edit, c.want, 1), files))
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
