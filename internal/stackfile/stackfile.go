// Package stackfile reads and writes stacks/Pulumi.<tenant>.yaml the way the
// Pulumi CLI does: scalars as text, objects and arrays as JSON, so the
// values tenantctl hands the program are the values `pulumi up` hands it.
package stackfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/safefile"
)

// MaxBytes is the largest stack file read: a tenant's config is a few
// kilobytes; a huge file is a mistake or an attack, not a stack.
const MaxBytes = 1 << 20

// Path is the stack file of a tenant in dir. Callers that turn an
// operator's argument into a path validate it first (config.ValidateTenantID;
// Load and Write do).
func Path(dir, tenant string) string {
	return filepath.Join(dir, "Pulumi."+tenant+".yaml")
}

// ErrNotFound is returned for a tenant without a stack file.
var ErrNotFound = errors.New("no stack file")

// Scan lists the stacks of dir: the names of the Pulumi.<name>.yaml files
// whose name is a tenant id and that are regular files, sorted, and a
// problem for every other such file (a directory, a symbolic link, an
// invalid name), so a command can report it and go on with the rest. err is
// set only when dir itself cannot be read (a missing dir holds no stacks).
func Scan(dir string) (names []string, problems []error, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil // no stacks yet
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		base := e.Name()
		if !strings.HasPrefix(base, "Pulumi.") || !strings.HasSuffix(base, ".yaml") || len(base) <= len("Pulumi..yaml") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(base, "Pulumi."), ".yaml")
		path := filepath.Join(dir, base)
		if err := config.ValidateTenantID(name); err != nil {
			problems = append(problems, fmt.Errorf("%s: the file name is not a tenant id (%v); rename or remove it", path, err))
			continue
		}
		if _, err := readBytes(path); err != nil {
			problems = append(problems, err)
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, problems, nil
}

// List returns the names of the readable stacks of dir (Scan without the
// problems).
func List(dir string) ([]string, error) {
	names, _, err := Scan(dir)
	return names, err
}

// readBytes reads a stack file: a regular file (not a symbolic link, which
// a write would replace with a file) of at most MaxBytes.
func readBytes(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return nil, fmt.Errorf("%s is a symbolic link: a stack file must be a regular file (copy it in place)", path)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (%s): remove it or move it out of the stacks directory", path, fi.Mode().Type())
	case fi.Size() > MaxBytes:
		return nil, fmt.Errorf("%s is %d bytes, above the %d-byte limit of a stack file", path, fi.Size(), MaxBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBytes {
		return nil, fmt.Errorf("%s grew above the %d-byte limit of a stack file while it was read", path, MaxBytes)
	}
	return b, nil
}

// ReadFile reads a file of the stacks directory as a stack file is read:
// a regular file (no link), at most MaxBytes.
func ReadFile(path string) ([]byte, error) { return readBytes(path) }

// ReadRaw reads a stack file into raw config values keyed by full key.
func ReadRaw(path string) (map[string]string, error) {
	b, err := readBytes(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML: %w", path, err)
	}
	cfg, err := configNode(&doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rawOf(path, cfg)
}

// configNode finds the mapping under the top-level config key (nil when the
// file has none).
func configNode(doc *yaml.Node) (*yaml.Node, error) {
	if doc.Kind == 0 {
		return nil, nil // empty file
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a Pulumi stack file: want a mapping with a config key")
	}
	root := doc.Content[0]
	if err := noDuplicateKeys(root, ""); err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "config" {
			v := root.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				return nil, nil
			}
			if v.Kind != yaml.MappingNode {
				return nil, errors.New("config is not a mapping")
			}
			// A key written twice is read as its last value by some readers
			// and edited as its first by others: neither is what was meant.
			if err := noDuplicateKeys(v, "config "); err != nil {
				return nil, err
			}
			return v, nil
		}
	}
	return nil, nil
}

// noDuplicateKeys refuses a mapping with a key written twice, naming the
// key and both lines.
func noDuplicateKeys(m *yaml.Node, what string) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if first, dup := seen[k.Value]; dup {
			return fmt.Errorf("%skey %s is written twice (lines %d and %d): keep one", what, k.Value, first, k.Line)
		}
		seen[k.Value] = k.Line
	}
	return nil
}

// rawOf reads the config mapping the way the Pulumi CLI hands values to a
// program: scalars as text, objects and arrays as JSON.
func rawOf(path string, cfg *yaml.Node) (map[string]string, error) {
	raw := map[string]string{}
	if cfg == nil {
		return raw, nil
	}
	for i := 0; i+1 < len(cfg.Content); i += 2 {
		key, node := cfg.Content[i].Value, cfg.Content[i+1]
		v, err := rawValue(node)
		if err != nil {
			return nil, fmt.Errorf("%s: key %s: %w", path, key, err)
		}
		if strings.HasPrefix(key, config.Namespace+":") && isSecret(node) {
			return nil, fmt.Errorf("%s: key %s is a Pulumi secret; tenant config holds no secrets, so write it in plain text or remove it", path, key)
		}
		raw[key] = v
	}
	return raw, nil
}

func rawValue(node *yaml.Node) (string, error) {
	if node.Kind == yaml.ScalarNode {
		return node.Value, nil
	}
	var v any
	if err := node.Decode(&v); err != nil {
		return "", err
	}
	j, err := json.Marshal(v)
	return string(j), err
}

func isSecret(node *yaml.Node) bool {
	return node.Kind == yaml.MappingNode && len(node.Content) == 2 && node.Content[0].Value == "secure"
}

// Load reads, decodes and validates a tenant's stack file. The file name is
// the tenant: a file whose tenantId differs is refused (a copied stack left
// unedited would otherwise act on another tenant). Errors name the file
// and the field.
func Load(dir, tenant string) (*config.Tenant, map[string]string, error) {
	if err := config.ValidateTenantID(tenant); err != nil {
		return nil, nil, fmt.Errorf("tenant %q: %w", tenant, err)
	}
	path := Path(dir, tenant)
	raw, err := ReadRaw(path)
	if err != nil {
		return nil, nil, err
	}
	t, err := config.Decode(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:\n%w", path, err)
	}
	if t.TenantID != tenant {
		return nil, nil, fmt.Errorf("%s holds tenantId %q: the file name is the tenant; set tenantkit:tenantId: %s, or rename the file to Pulumi.%s.yaml if it is that tenant's", path, t.TenantID, tenant, t.TenantID)
	}
	if err := t.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%s: invalid config:\n%w", path, err)
	}
	return t, raw, nil
}

// Write brings a tenant's stack file to the config and reports whether it
// changed anything. A new file gets every key in declaration order, with
// typed scalars. An existing file is edited in its YAML node tree: only the
// tenantkit keys whose value differs are set (in place, or after the other
// tenantkit keys), and everything else (Pulumi's own top-level keys such as
// encryptionsalt, secrets, other namespaces, comments, scalar styles) is
// written back as it was; a file whose config already says the same is not
// written at all. The write is atomic (safefile.Update); the caller holds
// the stacks lock. Someone who does not take it (an editor, pulumi config
// set) may save the file meanwhile: a save that lands between the read and
// the rename is found just before the rename, and the edit is made again
// on what was saved; never written over.
func Write(dir string, t *config.Tenant) (path string, changed bool, err error) {
	if err := config.ValidateTenantID(t.TenantID); err != nil {
		return "", false, fmt.Errorf("tenant %q: %w", t.TenantID, err)
	}
	path = Path(dir, t.TenantID)
	for range attempts {
		changed, err = writeOnce(path, t)
		if !errors.Is(err, safefile.ErrChanged) {
			return path, changed, err
		}
	}
	return "", false, fmt.Errorf("%w %d times while tenantctl edited it; nothing was written: stop the other writer and run the command again", err, attempts)
}

// attempts is how often Write edits a file that keeps changing under it.
const attempts = 3

// writeOnce is one read, edit and conditional rename of Write.
func writeOnce(path string, t *config.Tenant) (changed bool, err error) {
	want := config.Encode(t)
	var doc yaml.Node
	const mode = 0o644 // a new file's; an existing one keeps its own (safefile)
	old, err := readBytes(path)
	switch {
	case errors.Is(err, ErrNotFound):
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	case err != nil:
		return false, err
	default:
		if err := yaml.Unmarshal(old, &doc); err != nil {
			return false, fmt.Errorf("%s: not valid YAML, not rewritten: %w", path, err)
		}
		if doc.Kind == 0 {
			doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
		}
	}
	cfg, err := configNode(&doc)
	if err != nil {
		return false, fmt.Errorf("%s: %w, not rewritten", path, err)
	}
	if cfg == nil {
		cfg = &yaml.Node{Kind: yaml.MappingNode}
		root := doc.Content[0]
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "config"}, cfg)
	}
	have, err := rawOf(path, cfg)
	if err != nil {
		return false, err
	}
	current := config.Defaults()
	if len(old) > 0 {
		if current, err = config.Decode(have); err != nil {
			return false, fmt.Errorf("%s cannot be read back, not rewritten:\n%w", path, err)
		}
	}
	now := config.Encode(current)
	fresh := len(old) == 0
	// Keys are compared as the program reads them (decoded, then encoded
	// the canonical way), so a file that writes a value differently but
	// means the same is left alone.
	var changes []change
	for _, k := range config.Keys() {
		key := config.Namespace + ":" + k.Name
		v, wanted := want[key]
		cur, had := now[key]
		_, inFile := have[key]
		switch {
		case !fresh && wanted == had && v == cur:
		case !wanted:
			if inFile {
				changes = append(changes, change{key: key})
			}
		default:
			node, err := valueNode(v, k.Kind)
			if err != nil {
				return false, err
			}
			changes = append(changes, change{key: key, value: node})
		}
	}
	if len(changes) == 0 {
		return false, nil
	}
	// An existing file is edited as text where the tree says exactly which
	// lines a key holds, so every other byte stays; the result must read
	// back as the config with every other key unchanged, or the tree is
	// re-encoded instead (comments and values kept, spacing normalised).
	if !fresh {
		if out, ok := splice(old, cfg, changes); ok && readsAs(path, out, have, want) {
			return true, safefile.Update(path, old, out, mode)
		}
	}
	for _, c := range changes {
		if c.value == nil {
			removeKey(cfg, c.key)
		} else {
			setKey(cfg, c.key, c.value)
		}
	}
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.SetIndent(2)
	if err := e.Encode(&doc); err != nil {
		return false, err
	}
	if err := e.Close(); err != nil {
		return false, err
	}
	return true, safefile.Update(path, old, buf.Bytes(), mode)
}

// change sets a tenantkit key (value nil: removes it).
type change struct {
	key   string
	value *yaml.Node
}

// splice applies the changes to the file's text: a changed key's lines
// (the key's line through its value's last) are replaced by the key
// rendered anew at the same indentation, a removed key's lines dropped, a
// new key inserted after the last tenantkit key. ok is false when the tree
// does not pin the lines down (flow style, block scalars, aliases).
func splice(old []byte, cfg *yaml.Node, changes []change) ([]byte, bool) {
	if cfg.Style&yaml.FlowStyle != 0 || len(cfg.Content) == 0 {
		return nil, false
	}
	lines := strings.SplitAfter(string(old), "\n")
	type edit struct {
		from, to int // 0-based line range [from, to) replaced by text
		text     string
	}
	var edits []edit
	indent := cfg.Content[0].Column - 1
	insertAt, last := -1, -1
	for i := 0; i+1 < len(cfg.Content); i += 2 {
		end, ok := lastLine(cfg.Content[i+1])
		if !ok && strings.HasPrefix(cfg.Content[i].Value, config.Namespace+":") {
			return nil, false
		}
		if end > last {
			last = end
		}
		if strings.HasPrefix(cfg.Content[i].Value, config.Namespace+":") {
			insertAt = end
		}
	}
	if insertAt < 0 {
		insertAt = last
	}
	var added strings.Builder
	for _, c := range changes {
		i := slices.IndexFunc(cfg.Content, func(n *yaml.Node) bool { return n.Value == c.key && n.Kind == yaml.ScalarNode })
		if i >= 0 && i%2 != 0 {
			return nil, false
		}
		if i < 0 {
			if c.value == nil {
				continue
			}
			text, ok := render(c.key, c.value, indent)
			if !ok {
				return nil, false
			}
			added.WriteString(text)
			continue
		}
		key, val := cfg.Content[i], cfg.Content[i+1]
		end, ok := lastLine(val)
		if !ok || key.Line < 1 || end > len(lines) {
			return nil, false
		}
		text := ""
		if c.value != nil {
			if text, ok = render(c.key, c.value, key.Column-1); !ok {
				return nil, false
			}
		}
		edits = append(edits, edit{from: key.Line - 1, to: end, text: text})
	}
	if added.Len() > 0 {
		if insertAt < 1 || insertAt > len(lines) || !strings.HasSuffix(lines[insertAt-1], "\n") {
			return nil, false
		}
		edits = append(edits, edit{from: insertAt, to: insertAt, text: added.String()})
	}
	slices.SortFunc(edits, func(a, b edit) int { return b.from - a.from })
	for _, e := range edits {
		lines = slices.Replace(lines, e.from, e.to, e.text)
	}
	return []byte(strings.Join(lines, "")), true
}

// lastLine is the last line (1-based) a node's text occupies, when the
// tree can tell.
func lastLine(n *yaml.Node) (int, bool) {
	switch {
	case n.Kind == yaml.AliasNode || n.Line < 1:
		return 0, false
	case n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(n.Value, "\n")):
		return 0, false
	}
	end := n.Line
	for _, c := range n.Content {
		l, ok := lastLine(c)
		if !ok || (n.Style&yaml.FlowStyle != 0 && l != n.Line) {
			return 0, false
		}
		end = max(end, l)
	}
	return end, true
}

// render writes key: value as block YAML indented by indent spaces.
func render(key string, value *yaml.Node, indent int) (string, bool) {
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.SetIndent(2)
	m := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, value}}
	if err := e.Encode(m); err != nil || e.Close() != nil {
		return "", false
	}
	pad := strings.Repeat(" ", indent)
	var out strings.Builder
	for _, l := range strings.SplitAfter(buf.String(), "\n") {
		if l != "" {
			out.WriteString(pad + l)
		}
	}
	return out.String(), true
}

// readsAs: out parses, its tenantkit keys decode to want, and every other
// key reads as it did (have).
func readsAs(path string, out []byte, have, want map[string]string) bool {
	var doc yaml.Node
	if yaml.Unmarshal(out, &doc) != nil {
		return false
	}
	cfg, err := configNode(&doc)
	if err != nil || cfg == nil {
		return false
	}
	raw, err := rawOf(path, cfg)
	if err != nil {
		return false
	}
	for k, v := range have {
		if !strings.HasPrefix(k, config.Namespace+":") && raw[k] != v {
			return false
		}
	}
	t, err := config.Decode(raw)
	return err == nil && maps.Equal(config.Encode(t), want)
}

// valueNode renders a value as Pulumi.yaml declares it: objects and arrays
// as YAML, integers and booleans typed.
func valueNode(s string, kind reflect.Kind) (*yaml.Node, error) {
	var v any = s
	switch {
	case strings.HasPrefix(s, "{") || strings.HasPrefix(s, "["):
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, err
		}
	case kind == reflect.Int:
		if n, err := strconv.Atoi(s); err == nil {
			v = n
		}
	case kind == reflect.Bool:
		if b, err := strconv.ParseBool(s); err == nil {
			v = b
		}
	}
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return nil, err
	}
	return &n, nil
}

// setKey replaces a key's value, keeping the key's comments, or adds the
// key after the last tenantkit key (at the end when there is none).
func setKey(m *yaml.Node, key string, value *yaml.Node) {
	last := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			value.LineComment = m.Content[i+1].LineComment
			m.Content[i+1] = value
			return
		}
		if strings.HasPrefix(m.Content[i].Value, config.Namespace+":") {
			last = i
		}
	}
	pair := []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, value}
	if last < 0 {
		m.Content = append(m.Content, pair...)
		return
	}
	m.Content = slices.Insert(m.Content, last+2, pair...)
}

func removeKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return
		}
	}
}

// Overlaps reports every pair of stacks whose VPC ranges overlap (WP-31).
func Overlaps(cidrs map[string]netip.Prefix) error {
	names := slices.Sorted(maps.Keys(cidrs))
	var errs []error
	for i, a := range names {
		for _, b := range names[i+1:] {
			if cidrs[a].Overlaps(cidrs[b]) {
				errs = append(errs, fmt.Errorf("stacks %s (%s) and %s (%s) overlap; give one a free range (tenantctl onboard --cidr auto allocates one)", a, cidrs[a], b, cidrs[b]))
			}
		}
	}
	return errors.Join(errs...)
}

func deleted(raw map[string]string) bool {
	var l config.Lifecycle
	return json.Unmarshal([]byte(raw[config.Namespace+":lifecycle"]), &l) == nil && l.State == config.StateDeleted
}

// Ranges reads the VPC range of every stack in dir except self and the
// deleted ones, for the cross-stack overlap rule (WP-31) and the allocator.
// unknown lists the stacks whose range cannot be read: a file that cannot
// be read or parsed, a secret or malformed value, a range that does not
// parse. A new range is never proven free of them.
func Ranges(dir, self string) (cidrs map[string]netip.Prefix, unknown []error, err error) {
	names, unknown, err := Scan(dir)
	if err != nil {
		return nil, nil, err
	}
	cidrs = map[string]netip.Prefix{}
	for _, n := range names {
		if n == self {
			continue
		}
		raw, err := ReadRaw(Path(dir, n))
		if err != nil {
			unknown = append(unknown, err)
			continue
		}
		if deleted(raw) {
			continue // its VPC is gone and the range free again
		}
		p, err := netip.ParsePrefix(raw[config.Namespace+":vpcCidr"])
		if err != nil {
			unknown = append(unknown, fmt.Errorf("%s: vpcCidr %q does not parse", Path(dir, n), raw[config.Namespace+":vpcCidr"]))
			continue
		}
		cidrs[n] = p
	}
	return cidrs, unknown, nil
}

// OtherCidrs is Ranges without the unknown: a stack whose range cannot be
// read is skipped, Scan and its own validation report it.
func OtherCidrs(dir, self string) (map[string]netip.Prefix, error) {
	cidrs, _, err := Ranges(dir, self)
	return cidrs, err
}
