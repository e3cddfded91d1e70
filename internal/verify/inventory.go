package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/tenantkit/tenantkit/internal/config"
)

// InventorySchema is the schema of the tenant stack's inventory output.
const InventorySchema = "tenantkit.inventory/v1"

// Inventory is what a tenant stack exports (components/tenant): the
// resources the checks look at.
type Inventory struct {
	Schema         string            `json:"schema"`
	Tenant         string            `json:"tenant"`
	Region         string            `json:"region"`
	AccountID      string            `json:"accountId"`
	State          string            `json:"state"`
	VpcID          string            `json:"vpcId"`
	VpcCidr        string            `json:"vpcCidr"`
	SubnetIDs      []string          `json:"subnetIds"`
	SecurityGroups map[string]string `json:"securityGroups"` // lb, app, db, endpoints
	S3EndpointID   string            `json:"s3EndpointId"`
	KeyArn         string            `json:"keyArn"`
	// ArchiveKeyArn encrypts what outlives the tenant (the log archive, the
	// dedicated trail's log files): the baseline's key.
	ArchiveKeyArn string `json:"archiveKeyArn"`
	// Deployers are the principals that run Pulumi for the tenant, which
	// the buckets' denies exempt.
	Deployers []string `json:"deployers"`
	// DeployerFromCaller: the stack lists no deployerPrincipalArns, so the
	// program exempted the one role (or user) that ran the deploy, which
	// discovery cannot name. The denies may then exempt one more exact
	// principal of the account, outside the tenants' paths.
	DeployerFromCaller bool `json:"deployerFromCaller,omitempty"`
	Buckets            struct {
		Data        map[string]string `json:"data"` // classification → bucket
		ServiceLogs string            `json:"serviceLogs"`
		LogArchive  string            `json:"logArchive"`
	} `json:"buckets"`
	Trail struct {
		Mode     string   `json:"mode"`
		Arn      string   `json:"arn"`
		Coverage []string `json:"coverage"`
	} `json:"trail"`
	FlowLogGroup string   `json:"flowLogGroup"`
	LogGroups    []string `json:"logGroups"`
	Database     struct {
		Enabled    bool   `json:"enabled"`
		Identifier string `json:"identifier"`
		Arn        string `json:"arn"`
	} `json:"database"`
	LoadBalancerArn  string            `json:"loadBalancerArn"`
	LaunchTemplate   string            `json:"launchTemplate"`
	AutoScalingGroup string            `json:"autoScalingGroup"`
	TopicArn         string            `json:"topicArn"`
	Alarms           []string          `json:"alarms"`
	FindingsRule     string            `json:"findingsRule"`
	Roles            map[string]string `json:"roles"` // logAdmin, logReader
}

// MaxInventoryBytes bounds an inventory file: a tenant's is a few
// kilobytes (`pulumi stack output --json`, every output).
const MaxInventoryBytes = 4 << 20

// ReadInventory reads `pulumi stack output --json` (an object holding
// "inventory") or the bare inventory object, from a regular file of at most
// MaxInventoryBytes. It never waits: a FIFO, a device such as /dev/zero or
// a terminal is refused before a byte is read (opened without blocking,
// then judged by what was opened, so a file swapped in between is judged
// too).
func ReadInventory(path string) (*Inventory, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("not a regular file (%s): write the inventory to a file (pulumi stack output --json > inventory.json)", fi.Mode().Type())
	case fi.Size() > MaxInventoryBytes:
		return nil, fmt.Errorf("%d bytes, above the %d-byte limit of an inventory: not a tenant's stack outputs", fi.Size(), MaxInventoryBytes)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxInventoryBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxInventoryBytes {
		return nil, fmt.Errorf("grew above the %d-byte limit of an inventory while it was read", MaxInventoryBytes)
	}
	return ParseInventory(b)
}

// ParseInventory parses an inventory document.
func ParseInventory(b []byte) (*Inventory, error) {
	var wrapped struct {
		Inventory *Inventory `json:"inventory"`
	}
	if err := json.Unmarshal(b, &wrapped); err != nil {
		return nil, fmt.Errorf("inventory: not JSON: %w", err)
	}
	inv := wrapped.Inventory
	if inv == nil {
		inv = &Inventory{}
		if err := json.Unmarshal(b, inv); err != nil {
			return nil, fmt.Errorf("inventory: %w", err)
		}
	}
	if inv.Schema != InventorySchema {
		return nil, fmt.Errorf("inventory: schema %q, want %q (pulumi stack output --json of a tenant stack)", inv.Schema, InventorySchema)
	}
	if inv.Tenant == "" || inv.VpcID == "" || inv.KeyArn == "" {
		return nil, fmt.Errorf("inventory: tenant, vpcId and keyArn are required")
	}
	return inv, nil
}

// InventoryFromOutputs reads the inventory out of a stack's outputs as the
// Automation API returns them (the "inventory" output, decoded JSON).
func InventoryFromOutputs(outputs map[string]any) (*Inventory, error) {
	v, ok := outputs["inventory"]
	if !ok {
		return nil, fmt.Errorf("no inventory output")
	}
	b, err := json.Marshal(map[string]any{"inventory": v})
	if err != nil {
		return nil, fmt.Errorf("inventory output: %w", err)
	}
	return ParseInventory(b)
}

// DataBuckets lists the data buckets in a stable order.
func (inv *Inventory) DataBuckets() []string {
	var out []string
	for _, c := range config.Classifications {
		if b, ok := inv.Buckets.Data[c]; ok {
			out = append(out, b)
		}
	}
	return out
}

// AllBuckets lists every bucket of the tenant.
func (inv *Inventory) AllBuckets() []string {
	out := inv.DataBuckets()
	if inv.Buckets.ServiceLogs != "" {
		out = append(out, inv.Buckets.ServiceLogs)
	}
	if inv.Buckets.LogArchive != "" {
		out = append(out, inv.Buckets.LogArchive)
	}
	return out
}
