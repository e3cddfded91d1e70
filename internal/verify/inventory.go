package verify

import (
	"encoding/json"
	"fmt"
	"os"

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

// ReadInventory reads `pulumi stack output --json` (an object holding
// "inventory") or the bare inventory object.
func ReadInventory(path string) (*Inventory, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
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
