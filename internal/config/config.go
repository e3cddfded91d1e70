// Package config is the typed tenant configuration: every knob a tenant stack
// sets in stacks/Pulumi.<tenant>.yaml, decoded once and validated before any
// resource is registered.
//
// The same decoder serves the Pulumi engine (keys read through the Pulumi
// config API), tenantctl (keys read straight from the stack file) and the
// unit tests, so a stack that validates in one validates in all.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Namespace is the Pulumi config namespace of the project (the project name).
const Namespace = "tenantkit"

// Tier names: the three subnet tiers of a tenant VPC.
const (
	TierPublic   = "public"
	TierPrivate  = "private"
	TierIsolated = "isolated"
)

// Tiers lists the subnet tiers in a stable order.
var Tiers = []string{TierPublic, TierPrivate, TierIsolated}

// Tenant is the whole configuration of one tenant stack. JSON names are the
// config keys (tenantkit:<key>); Pulumi.yaml declares each of them.
type Tenant struct {
	TenantID    string `json:"tenantId"`
	Environment string `json:"environment"`
	// Ring orders a change's deploys across the fleet: ring 0 (canaries)
	// first, then 1, then 2; a ring starts only when the one before it
	// deployed without a failure. Default 1.
	Ring int `json:"ring"`

	// Data residency (WP-07).
	Region           string `json:"region"`
	DisasterRecovery bool   `json:"disasterRecovery"`
	// Cell names the baseline stack whose account holds the tenant
	// (cell.go). Empty: the one baseline of its region. A tenant never
	// moves cells in place: a move is an offboard and an onboard.
	Cell string `json:"cell"`

	// Network (WP-19, WP-20, WP-31).
	VpcCidr              string   `json:"vpcCidr"`
	ReservedCidrs        []string `json:"reservedCidrs"`
	AvailabilityZoneIDs  []string `json:"availabilityZoneIds"`
	IngressCidrs         []string `json:"ingressCidrs"`
	AllowInternetIngress bool     `json:"allowInternetIngress"`
	EgressMode           string   `json:"egressMode"`
	InterfaceEndpoints   []string `json:"interfaceEndpoints"`
	EndpointAzCount      int      `json:"endpointAzCount"`
	AppPort              int      `json:"appPort"`
	// NaclEntryLimit is the account's quota of entries per network ACL and
	// direction (AWS default 20, adjustable to 40).
	NaclEntryLimit int `json:"naclEntryLimit"`

	// Logging (WP-27, WP-39).
	LogRetentionDays int    `json:"logRetentionDays"`
	TrailMode        string `json:"trailMode"`
	ObjectLockMode   string `json:"objectLockMode"`
	ObjectLockDays   int    `json:"objectLockDays"`

	// Keys (WP-21.1, WP-22, WP-10).
	KeyRotationDays       int `json:"keyRotationDays"`
	KeyDeletionWindowDays int `json:"keyDeletionWindowDays"`

	// Data (WP-12, WP-22).
	DataClassifications   []string `json:"dataClassifications"`
	NoncurrentVersionDays int      `json:"noncurrentVersionDays"`
	Database              Database `json:"database"`

	// Application tier (WP-20.4, WP-21.2, WP-24).
	CertificateArn string   `json:"certificateArn"`
	TLSPolicy      string   `json:"tlsPolicy"`
	InstanceType   string   `json:"instanceType"`
	ImageID        string   `json:"imageId"`
	Capacity       Capacity `json:"capacity"`
	Alarms         Alarms   `json:"alarms"`
	AlertEmails    []string `json:"alertEmails"`
	// HealthCheck is what the load balancer asks the application.
	HealthCheck HealthCheck `json:"healthCheck"`

	// Access (WP-15, WP-17, WP-27).
	AdminPrincipalArns     []string `json:"adminPrincipalArns"`
	LogReaderPrincipalArns []string `json:"logReaderPrincipalArns"`
	// DeployerPrincipalArns run Pulumi for this tenant: the data and log
	// buckets' denies exempt them, so refresh, updates and offboarding's
	// destroy keep working. Empty means the caller's own role at deploy time.
	DeployerPrincipalArns []string `json:"deployerPrincipalArns"`
	// RefreshPrincipalArns read what a refresh reads (preview --refresh,
	// the nightly drift check) without being deployers: the data buckets
	// let them list and read configuration, never objects.
	RefreshPrincipalArns []string `json:"refreshPrincipalArns"`

	// Lifecycle (WP-10).
	Lifecycle Lifecycle `json:"lifecycle"`
}

// Database configures the optional PostgreSQL instance.
type Database struct {
	Enabled             bool   `json:"enabled"`
	InstanceClass       string `json:"instanceClass"`
	EngineVersion       string `json:"engineVersion"`
	AllocatedStorageGB  int    `json:"allocatedStorageGb"`
	BackupRetentionDays int    `json:"backupRetentionDays"`
	Port                int    `json:"port"`
}

// HealthCheck configures the target group's health check and whether the
// auto scaling group replaces instances that fail it.
type HealthCheck struct {
	// Path the application answers with Matcher on the app port.
	Path    string `json:"path"`
	Matcher string `json:"matcher"`
	// ReplaceUnhealthy makes the auto scaling group replace instances the
	// load balancer finds unhealthy (health check type ELB). Off by default:
	// a fresh environment has no application yet, and replacing its
	// instances every few minutes helps nobody. Turn it on once the image
	// serves Path.
	ReplaceUnhealthy bool `json:"replaceUnhealthy"`
}

// Capacity sizes the auto scaling group.
type Capacity struct {
	Min     int `json:"min"`
	Max     int `json:"max"`
	Desired int `json:"desired"`
}

// Alarms holds the thresholds, in percent, of the tenant's instance alarms.
type Alarms struct {
	CPUPercent    float64 `json:"cpuPercent"`
	MemoryPercent float64 `json:"memoryPercent"`
	DiskPercent   float64 `json:"diskPercent"`
}

// Lifecycle records where the tenant is in its life; dates are JST calendar
// days (YYYY-MM-DD).
type Lifecycle struct {
	State       string `json:"state"`
	CancelledOn string `json:"cancelledOn,omitempty"`
	SuspendOn   string `json:"suspendOn,omitempty"`
	DeleteBy    string `json:"deleteBy,omitempty"`
}

// Lifecycle states.
const (
	StateActive    = "active"
	StateSuspended = "suspended"
	StateDeleting  = "deleting"
	StateDeleted   = "deleted"
)

// Suspended reports whether outside access must be stopped (WP-10).
func (t *Tenant) Suspended() bool {
	return t.Lifecycle.State == StateSuspended || t.Lifecycle.State == StateDeleting
}

// Deleting reports whether the environment is being destroyed: deletion
// protection comes off and the non-archive buckets may be emptied (WP-10).
func (t *Tenant) Deleting() bool { return t.Lifecycle.State == StateDeleting }

// Key describes one config key for Pulumi.yaml and the README.
type Key struct {
	Name string // without namespace
	Kind reflect.Kind
}

// Keys lists the config keys in declaration order.
func Keys() []Key {
	t := reflect.TypeOf(Tenant{})
	keys := make([]Key, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		keys = append(keys, Key{Name: jsonName(f), Kind: f.Type.Kind()})
	}
	return keys
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// Decode builds a Tenant from raw config values keyed by config key (with or
// without the "tenantkit:" namespace), in the encoding Pulumi uses: plain text
// for strings, numbers and booleans; JSON for objects and arrays. Unknown keys
// in the namespace are refused, so a typo is not silently ignored. Defaults
// fill whatever is unset. Decode does not validate; call Validate.
func Decode(raw map[string]string) (*Tenant, error) {
	t := Defaults()
	fields := map[string]reflect.Value{}
	v := reflect.ValueOf(t).Elem()
	for i := 0; i < v.NumField(); i++ {
		fields[jsonName(v.Type().Field(i))] = v.Field(i)
	}
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	// Every unknown or wrong-typed key is reported, not just the first.
	var errs []error
	for _, full := range names {
		key := full
		if ns, rest, ok := strings.Cut(full, ":"); ok {
			if ns != Namespace {
				// Another namespace (aws:, pulumi:, the app's) is not ours
				// to read, but a misspelt tenantkit would go unread.
				if misspelt(ns, Namespace) {
					errs = append(errs, fmt.Errorf("config %s = %q: the namespace %q is not %s, so nothing reads the key: write %s:%s", full, raw[full], ns, Namespace, Namespace, rest))
				}
				continue
			}
			key = rest
		}
		field, ok := fields[key]
		if !ok {
			errs = append(errs, &FieldError{Field: key, Value: raw[full],
				Fix: "remove it or correct the spelling; known keys are listed in Pulumi.yaml"})
			continue
		}
		if err := decodeValue(field, raw[full]); err != nil {
			errs = append(errs, &FieldError{Field: key, Value: raw[full], Fix: err.Error()})
		}
	}
	// The provider's region is the tenant's (components pin it); an
	// aws:region that says otherwise is a contradiction, not a setting.
	if r, ok := raw["aws:region"]; ok && r != t.Region {
		errs = append(errs, fmt.Errorf("config aws:region = %q contradicts %s:region %q: the tenant's resources are made in %s; remove aws:region or make it %s", r, Namespace, t.Region, t.Region, t.Region))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// misspelt: ns is not want but within two edits of it, or differs in case.
func misspelt(ns, want string) bool {
	if ns == want {
		return false
	}
	if strings.EqualFold(ns, want) {
		return true
	}
	a, b := []rune(ns), []rune(want)
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)] <= 2
}

func decodeValue(field reflect.Value, s string) error {
	switch field.Kind() {
	case reflect.String:
		field.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("write true or false")
		}
		field.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("write a whole number")
		}
		field.SetInt(int64(n))
	default:
		// Objects decode over their defaults, so a stack may set one field.
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		ptr := reflect.New(field.Type())
		ptr.Elem().Set(field)
		if field.Kind() == reflect.Slice {
			ptr.Elem().Set(reflect.Zero(field.Type()))
		}
		if err := dec.Decode(ptr.Interface()); err != nil {
			return fmt.Errorf("write valid YAML of the documented shape (%v)", err)
		}
		field.Set(ptr.Elem())
	}
	return nil
}

// Encode renders the tenant as raw config values (namespaced keys), the
// inverse of Decode. Zero values of keys equal to their default are kept, so
// the written file states every setting explicitly.
func Encode(t *Tenant) map[string]string {
	out := map[string]string{}
	v := reflect.ValueOf(t).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		key := Namespace + ":" + jsonName(v.Type().Field(i))
		switch f.Kind() {
		case reflect.String:
			if f.String() == "" {
				continue
			}
			out[key] = f.String()
		case reflect.Bool:
			out[key] = strconv.FormatBool(f.Bool())
		case reflect.Int:
			out[key] = strconv.FormatInt(f.Int(), 10)
		default:
			if f.Kind() == reflect.Slice && f.Len() == 0 {
				continue
			}
			b, _ := json.Marshal(f.Interface())
			out[key] = string(b)
		}
	}
	return out
}

// FieldError is a refused config value: the field, the value and the fix.
type FieldError struct {
	Field string
	Value string
	Fix   string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("config %s:%s = %q: %s", Namespace, e.Field, e.Value, e.Fix)
}
