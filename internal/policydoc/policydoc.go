// Package policydoc writes and reads IAM policy documents (identity, bucket,
// key and topic policies), so components build them from typed values and
// plan rules and live checks read them back the same way.
package policydoc

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Principal is "*" or a map of kind to
// values; single values are written as lists, which IAM accepts.
type Statement struct {
	Sid          string    `json:"Sid,omitempty"`
	Effect       string    `json:"Effect"`
	Principal    any       `json:"Principal,omitempty"`
	NotPrincipal any       `json:"NotPrincipal,omitempty"`
	Action       Strings   `json:"Action,omitempty"`
	NotAction    Strings   `json:"NotAction,omitempty"`
	Resource     Strings   `json:"Resource,omitempty"`
	NotResource  Strings   `json:"NotResource,omitempty"`
	Condition    Condition `json:"Condition,omitempty"`
}

// Condition maps operator → key → values.
type Condition map[string]map[string]Strings

// Strings is a list that also reads a single value.
type Strings []string

// UnmarshalJSON accepts what the IAM policy grammar allows for actions,
// resources and condition values: one value or a list, where a condition
// value may be a bare JSON boolean or number (IAM user guide, "IAM JSON
// policy element reference", Condition: "true", true and 1 are all
// accepted). Each value is kept as its text, as IAM compares it.
func (s *Strings) UnmarshalJSON(b []byte) error {
	var many []json.RawMessage
	if err := json.Unmarshal(b, &many); err != nil {
		many = []json.RawMessage{b}
	}
	out := make(Strings, 0, len(many))
	for _, raw := range many {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case bool, float64:
			out = append(out, strings.TrimSpace(string(raw)))
		default:
			return fmt.Errorf("policy value %s: want a string, boolean or number", raw)
		}
	}
	*s = out
	return nil
}

// UnmarshalJSON reads a document whose Statement is one statement or a
// list of them (both are legal: IAM user guide, "Grammar of the IAM JSON
// policy language").
func (d *Document) UnmarshalJSON(b []byte) error {
	var raw struct {
		Version   string          `json:"Version"`
		Id        string          `json:"Id"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	d.Version = raw.Version
	d.Statement = nil
	if len(raw.Statement) == 0 || string(raw.Statement) == "null" {
		return nil
	}
	if strings.HasPrefix(strings.TrimSpace(string(raw.Statement)), "{") {
		var one Statement
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return err
		}
		d.Statement = []Statement{one}
		return nil
	}
	return json.Unmarshal(raw.Statement, &d.Statement)
}

// List builds a Strings.
func List(v ...string) Strings { return Strings(v) }

// Service is a service principal.
func Service(names ...string) map[string]Strings { return map[string]Strings{"Service": names} }

// AWS is an account or role principal.
func AWS(arns ...string) map[string]Strings { return map[string]Strings{"AWS": arns} }

// JSON renders the document with Version set.
func (d Document) JSON() string {
	if d.Version == "" {
		d.Version = "2012-10-17"
	}
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // only plain values inside; cannot fail
	}
	return string(b)
}

// Parse reads a policy document, URL-decoding it first if IAM returned it
// encoded.
func Parse(s string) (*Document, error) {
	if strings.HasPrefix(s, "%7B") || strings.HasPrefix(s, "%7b") {
		if dec, err := url.QueryUnescape(s); err == nil {
			s = dec
		}
	}
	var d Document
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return nil, fmt.Errorf("policy document: %w", err)
	}
	return &d, nil
}

// Principals returns the principal values of a statement by kind ("AWS",
// "Service"); a bare "*" is returned as AWS "*".
func (s Statement) Principals(kind string) []string {
	switch p := s.Principal.(type) {
	case string:
		if p == "*" {
			return []string{"*"}
		}
	case map[string]Strings:
		return p[kind]
	case map[string]any:
		switch v := p[kind].(type) {
		case string:
			return []string{v}
		case []any:
			out := make([]string, 0, len(v))
			for _, x := range v {
				out = append(out, fmt.Sprint(x))
			}
			return out
		}
	}
	return nil
}

// HasAction reports whether the statement lists the action (exactly or by a
// trailing wildcard such as s3:* or *).
func (s Statement) HasAction(action string) bool {
	for _, a := range s.Action {
		if a == "*" || strings.EqualFold(a, action) {
			return true
		}
		if strings.HasSuffix(a, "*") && strings.HasPrefix(strings.ToLower(action), strings.ToLower(strings.TrimSuffix(a, "*"))) {
			return true
		}
	}
	return false
}

// ConditionValues returns the values of a condition key under an operator.
func (s Statement) ConditionValues(op, key string) []string {
	for o, keys := range s.Condition {
		if !strings.EqualFold(o, op) {
			continue
		}
		for k, v := range keys {
			if strings.EqualFold(k, key) {
				return v
			}
		}
	}
	return nil
}

// DeniesOtherTenants: some statement denies everything of a service (or
// everything) to every role under /tenants/ that is not under
// /tenants/<tenant>/, and to no one else (components/access.DenyOtherTenants).
// The closing slash keeps a tenant whose id extends this one out.
func (d *Document) DeniesOtherTenants(tenantID string) bool {
	for _, s := range d.Statement {
		if s.Effect != "Deny" || !slices.Contains(s.Principals("AWS"), "*") {
			continue
		}
		wide := false
		for _, a := range s.Action {
			wide = wide || a == "*" || strings.HasSuffix(a, ":*")
		}
		in, out := s.ConditionValues("ArnLike", "aws:PrincipalArn"), s.ConditionValues("ArnNotLike", "aws:PrincipalArn")
		if wide && len(s.Condition) == 2 && len(in) == 1 && strings.HasSuffix(in[0], ":role/tenants/*") &&
			len(out) == 1 && strings.HasSuffix(out[0], ":role/tenants/"+tenantID+"/*") {
			return true
		}
	}
	return false
}

// Grants judges an identity policy on its own: some Allow without a
// condition covers the action on the resource, and no Deny that could
// apply (with a condition or without) covers it. A conditional Allow is not
// counted, a NotAction or NotResource statement is counted only as a Deny:
// what Grants says is granted is granted whatever the request carries.
// tests/iameval holds it to an IAM evaluator written by others.
func (d *Document) Grants(action, resource string) bool {
	granted := false
	for _, s := range d.Statement {
		covers := s.coversAction(action) && s.coversResource(resource)
		switch {
		case s.Effect == "Deny" && covers:
			return false
		case s.Effect == "Allow" && covers && len(s.Condition) == 0 && len(s.NotAction) == 0 && len(s.NotResource) == 0:
			granted = true
		}
	}
	return granted
}

func (s Statement) coversAction(action string) bool {
	if len(s.NotAction) > 0 {
		for _, a := range s.NotAction {
			if globMatch(strings.ToLower(a), strings.ToLower(action)) {
				return false
			}
		}
		return true
	}
	for _, a := range s.Action {
		if globMatch(strings.ToLower(a), strings.ToLower(action)) {
			return true
		}
	}
	return false
}

func (s Statement) coversResource(resource string) bool {
	if len(s.NotResource) > 0 {
		for _, r := range s.NotResource {
			if globMatch(r, resource) {
				return false
			}
		}
		return true
	}
	for _, r := range s.Resource {
		if globMatch(r, resource) {
			return true
		}
	}
	return false
}

// globMatch is IAM's matching of Action and Resource values: * is any run
// of characters (a slash or colon included), ? any one character.
func globMatch(pattern, s string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if globMatch(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			pattern, s = pattern[1:], s[1:]
		default:
			if s == "" || pattern[0] != s[0] {
				return false
			}
			pattern, s = pattern[1:], s[1:]
		}
	}
	return s == ""
}
