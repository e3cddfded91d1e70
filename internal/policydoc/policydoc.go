// Package policydoc writes and reads IAM policy documents (identity, bucket,
// key and topic policies), so components build them from typed values and
// plan rules and live checks read them back the same way.
package policydoc

import (
	"encoding/json"
	"fmt"
	"net/url"
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

// Strings is a list that also reads a single JSON string.
type Strings []string

// UnmarshalJSON accepts "a" and ["a", "b"].
func (s *Strings) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = Strings{one}
		return nil
	}
	var many []any
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	for _, v := range many {
		*s = append(*s, fmt.Sprint(v))
	}
	return nil
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
