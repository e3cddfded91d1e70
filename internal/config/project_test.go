package config

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Pulumi.yaml declares exactly the keys the decoder reads, with matching
// types, and the README documents each of them.
func TestProjectDeclaresEveryKey(t *testing.T) {
	b, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Config map[string]struct {
			Type string `yaml:"type"`
		} `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &project); err != nil {
		t.Fatal(err)
	}
	readme, _ := os.ReadFile("../../README.md")
	want := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Int: "integer", reflect.Slice: "array", reflect.Struct: "object"}
	for _, k := range Keys() {
		decl, ok := project.Config[Namespace+":"+k.Name]
		if !ok {
			t.Errorf("Pulumi.yaml does not declare %s:%s", Namespace, k.Name)
			continue
		}
		if decl.Type != want[k.Kind] {
			t.Errorf("%s: Pulumi.yaml type %q, the struct has %s", k.Name, decl.Type, want[k.Kind])
		}
		if !strings.Contains(string(readme), "`"+k.Name+"`") {
			t.Errorf("README does not document %s", k.Name)
		}
		delete(project.Config, Namespace+":"+k.Name)
	}
	for k := range project.Config {
		if strings.HasPrefix(k, Namespace+":") {
			t.Errorf("Pulumi.yaml declares %s, which the program does not read", k)
		}
	}
}
