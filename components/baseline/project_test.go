package baseline_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tenantkit/tenantkit/components/baseline"
)

// Every baseline key is declared in baseline/Pulumi.yaml with a default
// equal to Defaults(): Pulumi would otherwise require it of every stack,
// and a stack that omits it must get the same value from Pulumi as from
// tenantctl. Keys lists the same set.
func TestBaselineProjectDefaults(t *testing.T) {
	b, err := os.ReadFile("../../baseline/Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Config map[string]struct {
			Type    string `yaml:"type"`
			Default any    `yaml:"default"`
		} `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &project); err != nil {
		t.Fatal(err)
	}
	def := reflect.ValueOf(baseline.Defaults()).Elem()
	declared := 0
	for i := 0; i < def.NumField(); i++ {
		key, _, _ := strings.Cut(def.Type().Field(i).Tag.Get("json"), ",")
		decl, ok := project.Config[baseline.Namespace+":"+key]
		if !ok {
			t.Errorf("baseline/Pulumi.yaml does not declare %s", key)
			continue
		}
		declared++
		want, _ := json.Marshal(def.Field(i).Interface())
		got, _ := json.Marshal(decl.Default)
		if decl.Default == nil || string(got) != string(want) {
			t.Errorf("%s: Pulumi.yaml default %s, Defaults() %s", key, got, want)
		}
		found := false
		for _, k := range baseline.Keys {
			found = found || k == key
		}
		if !found {
			t.Errorf("baseline.Keys misses %s", key)
		}
	}
	if declared != len(baseline.Keys) || len(project.Config) != declared+1 {
		t.Errorf("Pulumi.yaml declares %d keys, the Config struct %d, Keys %d", len(project.Config)-1, declared, len(baseline.Keys))
	}
}
