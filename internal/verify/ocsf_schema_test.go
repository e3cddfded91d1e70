package verify

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The OCSF schema the findings are validated against: what the
// ocsf/ocsf-schema repository defines at the pinned tag for the Compliance
// Finding class (its attributes merged through finding and base_event, the
// cloud profile the findings declare) and every object reachable from it:
// each attribute's requirement, type, array-ness and enumeration. The file
// in testdata is extracted from the repository by
// TestOCSFSchemaExtractIsCurrent, never written by hand:
//
//	git -C <mirror of ocsf/ocsf-schema> archive 1.8.0 | tar -x -C /tmp/ocsf
//	OCSF_SCHEMA_DIR=/tmp/ocsf UPDATE_OCSF=1 go test ./internal/verify -run TestOCSFSchemaExtractIsCurrent

const ocsfExtract = "testdata/ocsf/" + OCSFVersion + ".json"

type ocsfAttr struct {
	Requirement string   `json:"requirement"`
	Type        string   `json:"type"` // a base type (string_t, integer_t, ...) or "object"
	Object      string   `json:"object,omitempty"`
	Array       bool     `json:"array,omitempty"`
	Enum        []string `json:"enum,omitempty"`
}

type ocsfSchema struct {
	Version     string                         `json:"version"`
	Source      string                         `json:"source"`
	CategoryUID int                            `json:"categoryUid"`
	ClassUID    int                            `json:"classUid"`
	Class       map[string]ocsfAttr            `json:"class"`
	Profiles    map[string]map[string]ocsfAttr `json:"profiles"`
	Objects     map[string]map[string]ocsfAttr `json:"objects"`
}

// extractOCSF reads a checkout of ocsf/ocsf-schema.
func extractOCSF(dir string) (*ocsfSchema, error) {
	read := func(rel string, v any) error {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return err
		}
		return json.Unmarshal(b, v)
	}
	type rawAttr struct {
		Requirement string                     `json:"requirement"`
		Type        string                     `json:"type"`
		IsArray     *bool                      `json:"is_array"`
		ObjectType  string                     `json:"object_type"`
		Enum        map[string]json.RawMessage `json:"enum"`
	}
	type rawDef struct {
		Name       string                     `json:"name"`
		UID        int                        `json:"uid"`
		Extends    string                     `json:"extends"`
		Category   string                     `json:"category"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	}
	var dict struct {
		Attributes map[string]rawAttr `json:"attributes"`
		Types      struct {
			Attributes map[string]struct {
				Type string `json:"type"`
			} `json:"attributes"`
		} `json:"types"`
	}
	if err := read("dictionary.json", &dict); err != nil {
		return nil, err
	}
	var cats struct {
		Attributes map[string]struct {
			UID int `json:"uid"`
		} `json:"attributes"`
	}
	if err := read("categories.json", &cats); err != nil {
		return nil, err
	}
	events := map[string]string{} // event name → file
	_ = filepath.WalkDir(filepath.Join(dir, "events"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			rel, _ := filepath.Rel(dir, p)
			events[strings.TrimSuffix(d.Name(), ".json")] = rel
		}
		return nil
	})
	base := func(t string) string {
		if bt := dict.Types.Attributes[t].Type; bt != "" {
			return bt
		}
		return t
	}
	// merge overlays a definition's attributes on its parents'.
	var merge func(rel string, isObject bool) (map[string]rawAttr, rawDef, error)
	merge = func(rel string, isObject bool) (map[string]rawAttr, rawDef, error) {
		var def rawDef
		if err := read(rel, &def); err != nil {
			return nil, def, err
		}
		out := map[string]rawAttr{}
		if def.Extends != "" && def.Extends != "object" {
			parent := "objects/" + def.Extends + ".json"
			if !isObject {
				parent = events[def.Extends]
			}
			p, _, err := merge(parent, isObject)
			if err != nil {
				return nil, def, err
			}
			out = p
		}
		for name, raw := range def.Attributes {
			if name == "$include" {
				continue
			}
			var a rawAttr
			if err := json.Unmarshal(raw, &a); err != nil {
				return nil, def, fmt.Errorf("%s %s: %w", rel, name, err)
			}
			// Definitions merge deeply, as the OCSF server builds the
			// schema: a child's enumeration adds to its parent's.
			m := out[name]
			if a.Requirement != "" {
				m.Requirement = a.Requirement
			}
			if a.Enum != nil {
				merged := map[string]json.RawMessage{}
				for k, v := range m.Enum {
					merged[k] = v
				}
				for k, v := range a.Enum {
					merged[k] = v
				}
				m.Enum = merged
			}
			if a.Type != "" {
				m.Type = a.Type
			}
			out[name] = m
		}
		return out, def, nil
	}
	s := &ocsfSchema{Profiles: map[string]map[string]ocsfAttr{}, Objects: map[string]map[string]ocsfAttr{}}
	var queue []string
	resolve := func(attrs map[string]rawAttr) map[string]ocsfAttr {
		out := map[string]ocsfAttr{}
		for name, a := range attrs {
			d := dict.Attributes[name]
			t := a.Type
			if t == "" {
				t = d.Type
			}
			oa := ocsfAttr{Requirement: a.Requirement, Array: d.IsArray != nil && *d.IsArray}
			if oa.Requirement == "" {
				oa.Requirement = "optional"
			}
			if t == "object_t" || (t != "" && dict.Types.Attributes[t].Type == "" && !strings.HasSuffix(t, "_t")) {
				obj := d.ObjectType
				if t != "object_t" {
					obj = t
				}
				oa.Type, oa.Object = "object", obj
				queue = append(queue, obj)
			} else {
				oa.Type = base(t)
			}
			// The dictionary's enumeration, with the definition's added.
			enum := map[string]bool{}
			for k := range d.Enum {
				enum[k] = true
			}
			for k := range a.Enum {
				enum[k] = true
			}
			for k := range enum {
				oa.Enum = append(oa.Enum, k)
			}
			sort.Strings(oa.Enum)
			out[name] = oa
		}
		return out
	}
	attrs, def, err := merge(events["compliance_finding"], false)
	if err != nil {
		return nil, err
	}
	var cls rawDef
	_ = read(events["finding"], &cls)
	s.CategoryUID = cats.Attributes[cls.Category].UID
	s.ClassUID = s.CategoryUID*1000 + def.UID
	s.Class = resolve(attrs)
	// The identifiers the schema derives (its README, "class_uid" and
	// "type_uid"): the category's uid, category_uid * 1000 + the class's
	// uid, class_uid * 100 + activity_id.
	cu, cl := s.Class["category_uid"], s.Class["class_uid"]
	cu.Enum, cl.Enum = []string{fmt.Sprint(s.CategoryUID)}, []string{fmt.Sprint(s.ClassUID)}
	s.Class["category_uid"], s.Class["class_uid"] = cu, cl
	tu := s.Class["type_uid"]
	tu.Enum = nil
	for _, a := range s.Class["activity_id"].Enum {
		var n int
		fmt.Sscan(a, &n)
		tu.Enum = append(tu.Enum, fmt.Sprint(s.ClassUID*100+n))
	}
	sort.Strings(tu.Enum)
	s.Class["type_uid"] = tu
	var cloud rawDef
	if err := read("profiles/cloud.json", &cloud); err != nil {
		return nil, err
	}
	pa := map[string]rawAttr{}
	for name, raw := range cloud.Attributes {
		var a rawAttr
		_ = json.Unmarshal(raw, &a)
		pa[name] = a
	}
	s.Profiles["cloud"] = resolve(pa)
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		if _, done := s.Objects[obj]; done {
			continue
		}
		oattrs, _, err := merge("objects/"+obj+".json", true)
		if err != nil {
			return nil, err
		}
		s.Objects[obj] = resolve(oattrs)
	}
	return s, nil
}

// When a checkout of the schema is at hand (OCSF_SCHEMA_DIR), the extract
// in testdata must be what it says; UPDATE_OCSF=1 rewrites it.
func TestOCSFSchemaExtractIsCurrent(t *testing.T) {
	dir := os.Getenv("OCSF_SCHEMA_DIR")
	if dir == "" {
		t.Skip("OCSF_SCHEMA_DIR unset: the findings are validated against the committed extract of ocsf/ocsf-schema " + OCSFVersion + "; point it at a checkout of that tag to check the extract")
	}
	var version struct {
		Version string `json:"version"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "version.json"))
	if err != nil || json.Unmarshal(b, &version) != nil || version.Version != OCSFVersion {
		t.Fatalf("%s is not ocsf-schema %s (version.json: %q, %v)", dir, OCSFVersion, version.Version, err)
	}
	s, err := extractOCSF(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Version = OCSFVersion
	s.Source = "github.com/ocsf/ocsf-schema, tag " + OCSFVersion + ", extracted by TestOCSFSchemaExtractIsCurrent"
	got, _ := json.MarshalIndent(s, "", " ")
	got = append(got, '\n')
	if os.Getenv("UPDATE_OCSF") != "" {
		if err := os.WriteFile(ocsfExtract, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := os.ReadFile(ocsfExtract)
	if string(want) != string(got) {
		t.Errorf("%s is stale: run with UPDATE_OCSF=1", ocsfExtract)
	}
}

func loadOCSF(t *testing.T) *ocsfSchema {
	t.Helper()
	b, err := os.ReadFile(ocsfExtract)
	if err != nil {
		t.Fatal(err)
	}
	var s ocsfSchema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// validateOCSF checks one value against attribute definitions: every
// required attribute present, nothing the definition does not name, each
// value of its type, each enumerated value among the enumeration's.
func validateOCSF(s *ocsfSchema, defs map[string]ocsfAttr, v map[string]any, where string, profiles []string) []string {
	var errs []string
	all := map[string]ocsfAttr{}
	for k, a := range defs {
		all[k] = a
	}
	for _, p := range profiles {
		for k, a := range s.Profiles[p] {
			all[k] = a
		}
	}
	for name, a := range defs {
		if _, ok := v[name]; !ok && a.Requirement == "required" {
			errs = append(errs, fmt.Sprintf("%s: required %s missing", where, name))
		}
	}
	for _, p := range profiles {
		for name, a := range s.Profiles[p] {
			if _, ok := v[name]; !ok && a.Requirement == "required" {
				errs = append(errs, fmt.Sprintf("%s: %s required by the %s profile is missing", where, name, p))
			}
		}
	}
	for name, val := range v {
		a, ok := all[name]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %s is no attribute of it", where, name))
			continue
		}
		vals := []any{val}
		if a.Array {
			arr, ok := val.([]any)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s.%s: an array is required", where, name))
				continue
			}
			vals = arr
		}
		for i, x := range vals {
			at := fmt.Sprintf("%s.%s", where, name)
			if a.Array {
				at = fmt.Sprintf("%s[%d]", at, i)
			}
			errs = append(errs, validateValue(s, a, x, at)...)
		}
	}
	sort.Strings(errs)
	return errs
}

func validateValue(s *ocsfSchema, a ocsfAttr, x any, at string) []string {
	switch a.Type {
	case "object":
		o, ok := x.(map[string]any)
		if !ok {
			return []string{at + ": an object is required"}
		}
		def, ok := s.Objects[a.Object]
		if !ok {
			return []string{at + ": object " + a.Object + " not in the extract"}
		}
		return validateOCSF(s, def, o, at, nil)
	case "integer_t", "long_t", "timestamp_t", "port_t":
		f, ok := x.(float64)
		if !ok || f != float64(int64(f)) {
			return []string{fmt.Sprintf("%s: %v is not an integer", at, x)}
		}
		if len(a.Enum) > 0 && !slices.Contains(a.Enum, fmt.Sprint(int64(f))) {
			return []string{fmt.Sprintf("%s: %v is not among %v", at, x, a.Enum)}
		}
	case "boolean_t":
		if _, ok := x.(bool); !ok {
			return []string{fmt.Sprintf("%s: %v is not a boolean", at, x)}
		}
	case "float_t":
		if _, ok := x.(float64); !ok {
			return []string{fmt.Sprintf("%s: %v is not a number", at, x)}
		}
	case "json_t":
	default: // string_t and the types based on it
		str, ok := x.(string)
		if !ok {
			return []string{fmt.Sprintf("%s: %v is not a string", at, x)}
		}
		if len(a.Enum) > 0 && !slices.Contains(a.Enum, str) {
			return []string{fmt.Sprintf("%s: %q is not among %v", at, str, a.Enum)}
		}
	}
	return nil
}
