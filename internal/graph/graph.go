// Package graph is the resource graph the plan rules read: every resource a
// program registers, with its type token, name, inputs, parent and provider.
// Inputs are plain Go values (map[string]any, []any, string, float64, bool);
// a value not known before deploy is Unknown, never a zero value, so no rule
// can mistake it for a compliant one.
package graph

import (
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Unknown stands for a value computed at deploy time.
type Unknown struct{}

// Resource is one registered resource.
type Resource struct {
	Type     string
	Name     string
	Custom   bool
	Parent   string // name of the parent resource, "" for the stack
	Provider string // name of the explicit provider, "" if none
	Inputs   map[string]any
	// Options the program set, as the engine received them (mock engine).
	Protect        bool
	RetainOnDelete bool
	ImportID       string
	// DependsOn names the resources the registration waits for (its
	// explicit dependencies, components expanded to their children, as
	// the engine received them; mock engine only).
	DependsOn []string
	// ID and ARN the mock engine gave the resource (empty elsewhere).
	ID, ARN string
}

// Graph is a set of resources, safe for concurrent Add.
type Graph struct {
	mu        sync.Mutex
	resources []*Resource
}

// Add records a resource.
func (g *Graph) Add(r *Resource) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.resources = append(g.resources, r)
}

// All returns the resources sorted by type and name.
func (g *Graph) All() []*Resource {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := append([]*Resource(nil), g.resources...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// OfType returns the resources of a type token.
func (g *Graph) OfType(typ string) []*Resource {
	var out []*Resource
	for _, r := range g.All() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// ByName finds a resource by name.
func (g *Graph) ByName(name string) *Resource {
	for _, r := range g.All() {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Get walks a dotted path of map keys ("defaultTags.tags.Tenant").
func (r *Resource) Get(path string) any {
	var cur any = r.Inputs
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			if _, unk := cur.(Unknown); unk {
				return Unknown{}
			}
			return nil
		}
		cur = m[k]
	}
	return cur
}

// String returns the input as a string, with known=false if it is unknown
// or not a string.
func (r *Resource) String(path string) (string, bool) {
	s, ok := r.Get(path).(string)
	return s, ok
}

// IsUnknown reports whether the input at path is computed at deploy time.
func (r *Resource) IsUnknown(path string) bool {
	_, ok := r.Get(path).(Unknown)
	return ok
}

// FromPropertyMap converts Pulumi's wire values to plain ones.
func FromPropertyMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = fromValue(v)
	}
	return out
}

func fromValue(v resource.PropertyValue) any {
	switch {
	case v.IsComputed(), v.IsOutput() && !v.OutputValue().Known:
		return Unknown{}
	case v.IsOutput():
		return fromValue(v.OutputValue().Element)
	case v.IsSecret():
		return fromValue(v.SecretValue().Element)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = fromValue(e)
		}
		return out
	case v.IsObject():
		return FromPropertyMap(v.ObjectValue())
	case v.IsResourceReference():
		return v.ResourceReferenceValue().URN.Name()
	}
	return Unknown{}
}
