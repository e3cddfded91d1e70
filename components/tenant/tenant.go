package tenant

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/components/compute"
	"github.com/tenantkit/tenantkit/components/logging"
	"github.com/tenantkit/tenantkit/components/monitoring"
	"github.com/tenantkit/tenantkit/components/network"
	"github.com/tenantkit/tenantkit/components/security"
	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// ManagedBy is the value of the ManagedBy tag on every tenant resource.
const ManagedBy = "tenantkit"

// Tenant is one customer's whole environment.
type Tenant struct {
	pulumi.ResourceState

	Provider  *aws.Provider
	Key       *storage.Key
	Network   *network.Network
	Groups    *security.Groups
	Endpoints *network.Endpoints
	Logging   *logging.Logging
	Data      *storage.Data
	Database  *storage.Database // nil when the stack has no database
	App       *compute.App
	// SessionDocument is the tenant's Session Manager document (WP-18).
	SessionDocument *ssm.Document
	Monitor         *monitoring.Monitoring
	// State is the lifecycle state as deployed, for the §10 deadline
	// watchdog (expect.LifecycleParameter).
	State *ssm.Parameter

	Inventory pulumi.MapOutput `pulumi:"inventory"`
}

// Tags are the provider default tags that mark every tenant resource (WP-11).
func Tags(cfg *config.Tenant) map[string]string {
	return map[string]string{"Tenant": cfg.TenantID, "ManagedBy": ManagedBy, "Environment": cfg.Environment}
}

// New builds the tenant. The explicit provider pins the region and tags
// everything; Pulumi.yaml disables default providers, so no resource can
// land in another region unnoticed (WP-07).
func New(ctx *pulumi.Context, name string, cfg *config.Tenant, opts ...pulumi.ResourceOption) (*Tenant, error) {
	return NewInCell(ctx, name, cfg, nil, opts...)
}

// NewInCell builds the tenant in its cell (nil: the credentials' own
// account): the provider assumes the cell's role and acts in the cell's
// account only (CellAccess).
func NewInCell(ctx *pulumi.Context, name string, cfg *config.Tenant, cell *config.Cell, opts ...pulumi.ResourceOption) (*Tenant, error) {
	t := &Tenant{}
	if err := ctx.RegisterComponentResource("tenantkit:tenant:Tenant", name, t, opts...); err != nil {
		return nil, err
	}
	var err error
	args := &aws.ProviderArgs{
		Region:      pulumi.String(cfg.Region),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(Tags(cfg))},
	}
	CellAccess(args, cell)
	t.Provider, err = aws.NewProvider(ctx, name+"-aws", args, pulumi.Parent(t))
	if err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(t), pulumi.Provider(t.Provider)}
	caller, err := aws.GetCallerIdentity(ctx, nil, pulumi.Provider(t.Provider), pulumi.Parent(t))
	if err != nil {
		return nil, fmt.Errorf("tenant %s: read the account id (are AWS credentials set?): %w", name, err)
	}
	account := caller.AccountId
	// A real deploy (not a preview, not tenantctl plan) refuses a
	// certificate the load balancer cannot use, before creating anything.
	if !ctx.DryRun() {
		if err := cfg.CertificateUsableIn(account); err != nil {
			return nil, fmt.Errorf("tenant %s: %w", name, err)
		}
	}
	classification := expect.MixedClassification(cfg.DataClassifications)
	deployers, err := Deployers(ctx, cfg, caller.Arn, t.Provider, t)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", name, err)
	}
	// What outlives the tenant (its log archive) is encrypted with the
	// baseline's key, which outlives every tenant.
	baselineKey, err := kms.LookupKey(ctx, &kms.LookupKeyArgs{KeyId: config.BaselineKeyAlias}, pulumi.Provider(t.Provider), pulumi.Parent(t))
	if err != nil {
		return nil, fmt.Errorf("tenant %s: read the account baseline's key %s (deploy the baseline stack in baseline/ before the first tenant): %w", name, config.BaselineKeyAlias, err)
	}

	t.Key, err = storage.NewKey(ctx, name+"-kms", &storage.KeyArgs{
		TenantID: cfg.TenantID, Region: cfg.Region, AccountID: account,
		RotationDays: cfg.KeyRotationDays, DeletionWindowDays: cfg.KeyDeletionWindowDays,
		Deployers: deployers,
	}, child...)
	if err != nil {
		return nil, err
	}
	t.Network, err = network.New(ctx, name+"-net", &network.Args{
		TenantID: cfg.TenantID, Region: cfg.Region, AccountID: account,
		VpcCidr: cfg.VpcCidr, ZoneIDs: cfg.AvailabilityZoneIDs, IngressCidrs: cfg.IngressCidrs,
		NatEgress: cfg.EgressMode == "nat", AppPort: cfg.AppPort, DBPort: cfg.Database.Port,
		KeyArn: t.Key.Arn, LogRetentionDays: cfg.LogRetentionDays, Classification: classification,
	}, child...)
	if err != nil {
		return nil, err
	}
	t.Groups, err = security.New(ctx, name+"-sg", &security.Args{
		Region: cfg.Region, VpcID: t.Network.VpcID, VpcCidr: cfg.VpcCidr,
		IngressCidrs: cfg.IngressCidrs, AppPort: cfg.AppPort, DBPort: cfg.Database.Port,
		NatEgress: cfg.EgressMode == "nat", Suspended: cfg.Suspended(),
	}, child...)
	if err != nil {
		return nil, err
	}
	zones := cfg.EndpointAzCount
	if zones == 0 {
		zones = len(cfg.AvailabilityZoneIDs)
	}
	t.Endpoints, err = network.NewEndpoints(ctx, name+"-vpce", &network.EndpointsArgs{
		Region:          cfg.Region,
		VpcID:           t.Network.VpcID,
		Services:        InterfaceEndpoints(cfg),
		SubnetIDs:       t.Network.SubnetIDs(config.TierPrivate)[:zones],
		RouteTableIDs:   t.Network.PrivateRouteTableIDs(),
		SecurityGroupID: t.Groups.Endpoints.ID(),
	}, child...)
	if err != nil {
		return nil, err
	}

	st := &site{account: account, classification: classification, deployers: deployers, archiveKey: baselineKey.Arn}
	if err := t.dataAndApp(ctx, name, cfg, st, child); err != nil {
		return nil, err
	}
	// Written after what enacts the state (the listeners' answer, the
	// groups' rules), so a suspension whose listeners failed to change
	// never reads as applied to the deadline watchdog. (Rules the state
	// removes, the load balancer's ingress, are deleted at the end of the
	// update, as Pulumi deletes what a program no longer registers; the
	// listeners already answer 503 by then.) The custom resources are
	// named one by one: a component in DependsOn stands only for the
	// children the SDK has seen when it expands it, on another goroutine.
	enacted := append(t.Groups.Enacting(), t.App.HTTPS, t.App.HTTP)
	state := cfg.Lifecycle.State
	if state == "" {
		state = config.StateActive
	}
	t.State, err = ssm.NewParameter(ctx, name+"-lifecycle", &ssm.ParameterArgs{
		Name:        pulumi.String(expect.LifecycleParameter(cfg.TenantID)),
		Type:        pulumi.String("String"),
		Value:       pulumi.String(state),
		Description: pulumi.String("tenantkit: the tenant's lifecycle state as deployed (read by the §10 deadline watchdog)"),
	}, append(slices.Clone(child), pulumi.DependsOn(enacted))...)
	if err != nil {
		return nil, err
	}
	t.Inventory = t.inventory(cfg, st)
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{"inventory": t.Inventory}); err != nil {
		return nil, err
	}
	return t, nil
}

// Deployers are the principals that run Pulumi for the tenant
// (access.Deployers).
func Deployers(ctx *pulumi.Context, cfg *config.Tenant, callerArn string, provider pulumi.ProviderResource, parent pulumi.Resource) ([]string, error) {
	return access.Deployers(ctx, cfg.DeployerPrincipalArns, callerArn, provider, parent)
}

// InterfaceEndpoints are the required endpoints plus the stack's extras.
func InterfaceEndpoints(cfg *config.Tenant) []string {
	out := slices.Clone(config.RequiredInterfaceEndpoints)
	for _, e := range cfg.InterfaceEndpoints {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// CellAccess gives the provider of a stack in cell what reaches the cell's
// account and nothing else: the role the pipelines assume there
// (assumeRole) and the one account the provider may act in
// (allowedAccountIds: the provider checks the account its credentials
// resolve to before its first call, and refuses any other).
// https://www.pulumi.com/registry/packages/aws/api-docs/provider/
func CellAccess(args *aws.ProviderArgs, cell *config.Cell) {
	if cell == nil {
		return
	}
	if cell.RoleArn != "" {
		args.AssumeRole = &aws.ProviderAssumeRoleArgs{RoleArn: pulumi.String(cell.RoleArn), SessionName: pulumi.String("tenantkit-" + cell.Name)}
	}
	if cell.AccountID != "" {
		args.AllowedAccountIds = pulumi.StringArray{pulumi.String(cell.AccountID)}
	}
}
