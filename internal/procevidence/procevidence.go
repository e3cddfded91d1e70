// Package procevidence attaches the provider's process evidence to the
// reports (#37 item 5): for a whitepaper section met by a process (an
// incident procedure, a supplier review, a vulnerability assessment), the
// document that shows it was done, bound to the report by its SHA-256.
// The register is evidence/process/register.yaml; each entry names a file
// beside it. A report lists every attached document with its hash under
// its section, and sealing the report seals the hashes: the document a
// reviewer is handed later can be checked against them.
package procevidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/lifecycle"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// Register is the register's file name in its directory.
const Register = "register.yaml"

// MaxFile bounds an attached document.
const MaxFile = 32 << 20

// Document is one piece of process evidence.
type Document struct {
	// Section is the whitepaper section (1..44) the document shows met.
	Section int `yaml:"section" json:"section"`
	// Title says what it is; Owner who is responsible for the process.
	Title string `yaml:"title" json:"title"`
	Owner string `yaml:"owner" json:"owner"`
	// File is the document, relative to the register's directory.
	File string `yaml:"file" json:"file"`
	// Date is the JST day the process was last carried out.
	Date string `yaml:"date" json:"date"`
	// SHA256 and Bytes are the file's, as read when the report was made.
	SHA256 string `yaml:"-" json:"sha256"`
	Bytes  int64  `yaml:"-" json:"bytes"`
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$`)

// Load reads the register in dir and hashes every document; no register
// is no process evidence. Every fault names the field, the value and the
// fix.
func Load(dir string) ([]Document, error) {
	path := filepath.Join(dir, Register)
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	b, err := stackfile.ReadFile(path) // as the exceptions register is read
	if err != nil {
		return nil, err
	}
	var reg struct {
		Documents []Document `yaml:"documents"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&reg); err != nil {
		return nil, fmt.Errorf("%s: %w (the register is a list under documents:, each with section, title, owner, file and date)", path, err)
	}
	var errs []error
	for i := range reg.Documents {
		d := &reg.Documents[i]
		if err := d.load(dir); err != nil {
			errs = append(errs, fmt.Errorf("%s: documents[%d]: %w", path, i, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return reg.Documents, nil
}

func (d *Document) load(dir string) error {
	bad := func(field string, value any, fix string) error {
		return fmt.Errorf("%s %q: %s", field, fmt.Sprint(value), fix)
	}
	if d.Section < 1 || d.Section > catalog.SectionCount {
		return bad("section", d.Section, fmt.Sprintf("write the whitepaper section the document shows met, 1 to %d", catalog.SectionCount))
	}
	if catalog.Sections[d.Section-1].Class == catalog.ClassNone {
		return bad("section", d.Section, "the section states no promise (docs/controls.md, the statement of applicability): attach the document to the section whose process it shows")
	}
	if strings.TrimSpace(d.Title) == "" {
		return bad("title", d.Title, "say what the document is")
	}
	if strings.TrimSpace(d.Owner) == "" {
		return bad("owner", d.Owner, "name who is responsible for the process")
	}
	if _, err := lifecycle.ParseDate(d.Date); err != nil {
		return bad("date", d.Date, "write the JST day the process was last carried out, YYYY-MM-DD")
	}
	if !safeName.MatchString(d.File) || strings.Contains(d.File, "..") {
		return bad("file", d.File, "name a file beside the register (a relative path without ..)")
	}
	b, err := readRegular(filepath.Join(dir, filepath.FromSlash(d.File)), MaxFile)
	if err != nil {
		return bad("file", d.File, err.Error())
	}
	sum := sha256.Sum256(b)
	d.SHA256, d.Bytes = hex.EncodeToString(sum[:]), int64(len(b))
	return nil
}

// readRegular reads a document: a regular file (no link) of at most limit
// bytes (MaxFile, above a stack file's limit: documents are PDFs).
func readRegular(path string, limit int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", path)
	case fi.Size() > limit:
		return nil, fmt.Errorf("%s is %d bytes, above the limit of %d", path, fi.Size(), limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("%s grew above the limit of %d while read", path, limit)
	}
	return b, err
}

// OfSection are the documents of one section.
func OfSection(ds []Document, section int) []Document {
	var out []Document
	for _, d := range ds {
		if d.Section == section {
			out = append(out, d)
		}
	}
	return out
}
