package config

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type projectKey struct {
	Type    string `yaml:"type"`
	Default any    `yaml:"default"`
}

func readProject(t *testing.T) map[string]projectKey {
	t.Helper()
	b, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Config map[string]projectKey `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &project); err != nil {
		t.Fatal(err)
	}
	return project.Config
}

// Pulumi.yaml declares exactly the keys the decoder reads, with matching
// types, and the README documents each of them.
func TestProjectDeclaresEveryKey(t *testing.T) {
	declared := readProject(t)
	readme, _ := os.ReadFile("../../docs/reference.md") // the stack config keys
	want := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Int: "integer", reflect.Slice: "array", reflect.Struct: "object"}
	for _, k := range Keys() {
		decl, ok := declared[Namespace+":"+k.Name]
		if !ok {
			t.Errorf("Pulumi.yaml does not declare %s:%s", Namespace, k.Name)
			continue
		}
		if decl.Type != want[k.Kind] {
			t.Errorf("%s: Pulumi.yaml type %q, the struct has %s", k.Name, decl.Type, want[k.Kind])
		}
		if !strings.Contains(string(readme), "`"+k.Name+"`") {
			t.Errorf("docs/reference.md does not document %s", k.Name)
		}
		delete(declared, Namespace+":"+k.Name)
	}
	for k := range declared {
		if strings.HasPrefix(k, Namespace+":") {
			t.Errorf("Pulumi.yaml declares %s, which the program does not read", k)
		}
	}
}

// Pulumi treats a project key with a type and no default as required and
// refuses every stack that leaves it out (pkg/v3/workspace, mergeConfig).
// So every optional key has a default, and it is the decoder's default:
// a stack that omits a key gets the same value from Pulumi as from tenantctl.
func TestProjectDefaultsAreConfigDefaults(t *testing.T) {
	declared := readProject(t)
	defaults := Encode(Defaults())
	for _, k := range Keys() {
		full := Namespace + ":" + k.Name
		decl := declared[full]
		if slices.Contains(RequiredKeys, k.Name) {
			if decl.Default != nil {
				t.Errorf("%s is required; Pulumi.yaml must not give it a default", full)
			}
			continue
		}
		if decl.Default == nil {
			t.Errorf("%s is optional but Pulumi.yaml has no default: Pulumi would refuse every stack without it", full)
			continue
		}
		got := canonical(t, decl.Default, k.Kind)
		want, ok := defaults[full]
		if !ok { // an empty list or string is not encoded
			want = map[reflect.Kind]string{reflect.Slice: "[]", reflect.String: ""}[k.Kind]
		}
		if k.Kind == reflect.Slice || k.Kind == reflect.Struct {
			want = canonical(t, jsonValue(t, want), k.Kind)
		}
		if got != want {
			t.Errorf("%s: Pulumi.yaml default %s, internal/config default %s", full, got, want)
		}
	}
}

// RequiredKeys must be set by every stack.
func TestRequiredKeysAreRequired(t *testing.T) {
	for _, k := range RequiredKeys {
		c := Defaults()
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), Namespace+":"+k) {
			t.Errorf("a stack without %s validates; it should be refused (or drop it from RequiredKeys)", k)
		}
	}
}

func jsonValue(t *testing.T, s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

// canonical renders a YAML or JSON value the way the decoder would read it.
func canonical(t *testing.T, v any, kind reflect.Kind) string {
	switch kind {
	case reflect.Slice, reflect.Struct:
		b, err := json.Marshal(normalize(v))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case int:
		return float64(x)
	}
	return v
}
