// Package stackfile reads and writes stacks/Pulumi.<tenant>.yaml the way the
// Pulumi CLI does: scalars as text, objects and arrays as JSON, so the
// values tenantctl hands the program are the values `pulumi up` hands it.
package stackfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
)

// Path is the stack file of a tenant in dir.
func Path(dir, tenant string) string {
	return filepath.Join(dir, "Pulumi."+tenant+".yaml")
}

// List returns the stack names found in dir, sorted.
func List(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	sort.Strings(out)
	return out, nil
}

// ErrNotFound is returned for a tenant without a stack file.
var ErrNotFound = errors.New("no stack file")

// ReadRaw reads a stack file into raw config values keyed by full key.
func ReadRaw(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var doc struct {
		Config map[string]yaml.Node `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML: %w", path, err)
	}
	raw := map[string]string{}
	for key, node := range doc.Config {
		if node.Kind == yaml.ScalarNode {
			raw[key] = node.Value
			continue
		}
		var v any
		if err := node.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: key %s: %w", path, key, err)
		}
		if m, ok := v.(map[string]any); ok {
			if _, secure := m["secure"]; secure && len(m) == 1 {
				return nil, fmt.Errorf("%s: key %s is a Pulumi secret; tenant config holds no secrets, so write it in plain text or remove it", path, key)
			}
		}
		j, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%s: key %s: %w", path, key, err)
		}
		raw[key] = string(j)
	}
	return raw, nil
}

// Load reads, decodes and validates a tenant's stack file. Errors name the
// file and the field.
func Load(dir, tenant string) (*config.Tenant, map[string]string, error) {
	path := Path(dir, tenant)
	raw, err := ReadRaw(path)
	if err != nil {
		return nil, nil, err
	}
	t, err := config.Decode(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := t.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%s: invalid config:\n%w", path, err)
	}
	return t, raw, nil
}

// Write renders a tenant's config deterministically: keys in declaration
// order, so a re-run with the same inputs writes the same bytes. Keys of
// other namespaces already in the file are kept.
func Write(dir string, t *config.Tenant) (string, error) {
	path := Path(dir, t.TenantID)
	enc := config.Encode(t)
	var other []string
	if old, err := ReadRaw(path); err == nil {
		for k, v := range old {
			if !strings.HasPrefix(k, config.Namespace+":") {
				enc[k] = v
				other = append(other, k)
			}
		}
	}
	slices.Sort(other)
	var order []string
	for _, k := range config.Keys() {
		if _, ok := enc[config.Namespace+":"+k.Name]; ok {
			order = append(order, config.Namespace+":"+k.Name)
		}
	}
	order = append(order, other...)

	kinds := map[string]reflect.Kind{}
	for _, k := range config.Keys() {
		kinds[config.Namespace+":"+k.Name] = k.Kind
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range order {
		var v any = enc[k]
		s := enc[k]
		switch {
		case strings.HasPrefix(s, "{") || strings.HasPrefix(s, "["):
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				return "", err
			}
		case kinds[k] == reflect.Int:
			// Typed scalars, as Pulumi.yaml declares them (integer, boolean).
			if n, err := strconv.Atoi(s); err == nil {
				v = n
			}
		case kinds[k] == reflect.Bool:
			if b, err := strconv.ParseBool(s); err == nil {
				v = b
			}
		}
		var val yaml.Node
		if err := val.Encode(v); err != nil {
			return "", err
		}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &val)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "config"}, root}}
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.SetIndent(2)
	if err := e.Encode(doc); err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
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

// OtherCidrs reads the VPC range of every stack in dir except self and the
// deleted ones, for the cross-stack overlap rule (WP-31) and the allocator. A stack whose range does not parse is
// skipped: its own validation reports it.
func OtherCidrs(dir, self string) (map[string]netip.Prefix, error) {
	names, err := List(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]netip.Prefix{}
	for _, n := range names {
		if n == self {
			continue
		}
		raw, err := ReadRaw(Path(dir, n))
		if err != nil {
			return nil, err
		}
		if deleted(raw) {
			continue // its VPC is gone; the range is free again
		}
		if p, err := netip.ParsePrefix(raw[config.Namespace+":vpcCidr"]); err == nil {
			out[n] = p
		}
	}
	return out, nil
}
