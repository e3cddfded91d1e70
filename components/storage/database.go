package storage

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// DatabaseArgs configures the tenant's PostgreSQL instance.
type DatabaseArgs struct {
	TenantID            string
	InstanceClass       string
	EngineVersion       string
	AllocatedStorageGB  int
	BackupRetentionDays int
	Port                int
	MultiAZ             bool
	KeyArn              pulumi.StringInput
	// SubnetIDs are the isolated subnets; SecurityGroupID the database group.
	SubnetIDs       pulumi.StringArrayInput
	SecurityGroupID pulumi.StringInput
	// Log groups of the exported logs.
	LogRetentionDays int
	Classification   string
	// Deleting turns deletion protection off (offboarding, WP-10).
	Deleting bool
}

// Database is the instance with its subnet group, TLS-forcing parameter
// group and the log groups its logs are exported to.
type Database struct {
	pulumi.ResourceState

	Instance  *rds.Instance
	LogGroups []*cloudwatch.LogGroup
}

// GroupPrefix starts the names of the database's subnet and parameter
// groups.
func GroupPrefix(tenantID string) string { return "tk-" + tenantID + "-" }

// DatabaseLogs are the logs the instance exports to CloudWatch Logs.
var DatabaseLogs = []string{"postgresql", "upgrade"}

// NewDatabase builds the database.
func NewDatabase(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		return nil, fmt.Errorf("database %s: args are required", name)
	}
	// The major version alone: RDS creates the current minor of it and
	// upgrades minors itself (AutoMinorVersionUpgrade); a pinned minor is
	// refused once RDS retires it.
	major, _, _ := strings.Cut(args.EngineVersion, ".")
	d := &Database{}
	if err := ctx.RegisterComponentResource("tenantkit:storage:Database", name, d, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(d)
	id := expect.DatabaseIdentifier(args.TenantID)
	// RDS would create these groups itself, unencrypted and kept forever;
	// made first, they use the tenant key and the stack's retention.
	var deps []pulumi.Resource
	for _, l := range DatabaseLogs {
		g, err := loggroups.NewGroup(ctx, name+"-log-"+l, &loggroups.GroupArgs{
			Name: fmt.Sprintf("/aws/rds/instance/%s/%s", id, l), KeyArn: args.KeyArn,
			RetentionDays: args.LogRetentionDays, Classification: args.Classification,
		}, child)
		if err != nil {
			return nil, err
		}
		d.LogGroups = append(d.LogGroups, g)
		deps = append(deps, g)
	}
	// Name prefixes: AWS wants these names to start with a letter, and a
	// tenant id may start with a digit; AWS completes the name.
	subnets, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		NamePrefix:  pulumi.String(GroupPrefix(args.TenantID)),
		Description: pulumi.String("Isolated subnets of tenant " + args.TenantID),
		SubnetIds:   args.SubnetIDs,
	}, child)
	if err != nil {
		return nil, err
	}
	params, err := rds.NewParameterGroup(ctx, name+"-params", &rds.ParameterGroupArgs{
		NamePrefix:  pulumi.String(GroupPrefix(args.TenantID)),
		Family:      pulumi.String("postgres" + major),
		Description: pulumi.String("Tenant " + args.TenantID + ": TLS forced, connections logged"),
		Parameters: rds.ParameterGroupParameterArray{
			rds.ParameterGroupParameterArgs{Name: pulumi.String("rds.force_ssl"), Value: pulumi.String("1")},
			rds.ParameterGroupParameterArgs{Name: pulumi.String("ssl_min_protocol_version"), Value: pulumi.String("TLSv1.2")},
			// WP-28: the database keeps and shows time in JST, as the
			// instances do (PostgreSQL's timezone parameter).
			rds.ParameterGroupParameterArgs{Name: pulumi.String("timezone"), Value: pulumi.String(config.TimeZone)},
			rds.ParameterGroupParameterArgs{Name: pulumi.String("log_connections"), Value: pulumi.String("1")},
			rds.ParameterGroupParameterArgs{Name: pulumi.String("log_disconnections"), Value: pulumi.String("1")},
		},
	}, child)
	if err != nil {
		return nil, err
	}
	d.Instance, err = rds.NewInstance(ctx, name+"-instance", &rds.InstanceArgs{
		Identifier:                       pulumi.String(id),
		Engine:                           pulumi.String("postgres"),
		EngineVersion:                    pulumi.String(args.EngineVersion),
		InstanceClass:                    pulumi.String(args.InstanceClass),
		AllocatedStorage:                 pulumi.Int(args.AllocatedStorageGB),
		StorageType:                      pulumi.String("gp3"),
		StorageEncrypted:                 pulumi.Bool(true),
		KmsKeyId:                         args.KeyArn,
		Port:                             pulumi.Int(args.Port),
		DbSubnetGroupName:                subnets.Name,
		VpcSecurityGroupIds:              pulumi.StringArray{args.SecurityGroupID},
		PubliclyAccessible:               pulumi.Bool(false),
		MultiAz:                          pulumi.Bool(args.MultiAZ),
		ParameterGroupName:               params.Name,
		Username:                         pulumi.String("tenantadmin"),
		ManageMasterUserPassword:         pulumi.Bool(true),
		MasterUserSecretKmsKeyId:         args.KeyArn,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		BackupRetentionPeriod:            pulumi.Int(args.BackupRetentionDays),
		CopyTagsToSnapshot:               pulumi.Bool(true),
		DeletionProtection:               pulumi.Bool(!args.Deleting),
		// Offboarding deletes the tenant's data within 30 days (WP-10): no
		// final snapshot outlives it. Deletion protection guards mistakes.
		SkipFinalSnapshot:            pulumi.Bool(true),
		DeleteAutomatedBackups:       pulumi.Bool(true),
		EnabledCloudwatchLogsExports: pulumi.ToStringArray(DatabaseLogs),
		AutoMinorVersionUpgrade:      pulumi.Bool(true),
		// A new major in the stack (16 → 17) upgrades the database: RDS
		// refuses a major change without this flag (ModifyDBInstance,
		// AllowMajorVersionUpgrade). The parameter group of the new family
		// is made beside the old one (a name prefix), so the modify names a
		// group that exists.
		AllowMajorVersionUpgrade: pulumi.Bool(true),
		// Changes apply during the deploy, not at the next maintenance
		// window: a drift check after up sees the database as declared,
		// never a pending change (a class, Multi-AZ or major change costs a
		// restart or failover at deploy time, stated in the README).
		ApplyImmediately: pulumi.Bool(true),
		Tags:             pulumi.StringMap{"DataClassification": pulumi.String(args.Classification)},
	}, child, pulumi.DependsOn(deps))
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{"identifier": pulumi.String(id), "endpoint": d.Instance.Endpoint}); err != nil {
		return nil, err
	}
	return d, nil
}
