package tenant

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/components/compute"
	"github.com/tenantkit/tenantkit/components/logging"
	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/components/monitoring"
	"github.com/tenantkit/tenantkit/components/security"
	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// RolePath is the IAM path of every tenant role (access.RolePath).
func RolePath(tenantID string) string { return access.RolePath(tenantID) }

// DataBucketArns are the tenant's data buckets, one per classification:
// what the trail must cover.
func DataBucketArns(cfg *config.Tenant, account string) []string {
	out := make([]string, len(cfg.DataClassifications))
	for i, c := range cfg.DataClassifications {
		out[i] = expect.BucketArn(expect.BucketName(cfg.TenantID, c, account))
	}
	return out
}

// site is what the account and the deploy tell the program.
type site struct {
	account        string
	classification string
	deployers      []string
	archiveKey     string
}

// dataAndApp builds what sits on the network: logs, data, database, the
// application tier and its monitoring.
func (t *Tenant) dataAndApp(ctx *pulumi.Context, name string, cfg *config.Tenant, st *site, child []pulumi.ResourceOption) error {
	account, classification := st.account, st.classification
	elbAccount, err := elb.GetServiceAccount(ctx, &elb.GetServiceAccountArgs{Region: pulumi.StringRef(cfg.Region)}, pulumi.Provider(t.Provider), pulumi.Parent(t))
	if err != nil {
		return fmt.Errorf("tenant %s: read the region's ELB account: %w", name, err)
	}
	dataArns := DataBucketArns(cfg, account)
	t.Logging, err = logging.New(ctx, name+"-logs", &logging.Args{
		TenantID: cfg.TenantID, Region: cfg.Region, AccountID: account, KeyArn: t.Key.Arn, ArchiveKeyArn: st.archiveKey,
		Classification: classification, RetentionDays: cfg.LogRetentionDays, NoncurrentDays: cfg.NoncurrentVersionDays,
		ObjectLock: storage.ObjectLock{Mode: cfg.ObjectLockMode, Days: cfg.ObjectLockDays},
		TrailMode:  cfg.TrailMode, DataBucketArns: dataArns, ElbAccountArn: elbAccount.Arn,
		RolePath: RolePath(cfg.TenantID), AdminPrincipals: cfg.AdminPrincipalArns, ReaderPrincipals: cfg.LogReaderPrincipalArns,
		Deployers: st.deployers, Deleting: cfg.Deleting(),
	}, child...)
	if err != nil {
		return err
	}
	t.Data, err = storage.NewData(ctx, name+"-data", &storage.DataArgs{
		TenantID: cfg.TenantID, AccountID: account, Classifications: cfg.DataClassifications,
		KeyArn: t.Key.Arn, NoncurrentDays: cfg.NoncurrentVersionDays, LogBucket: t.Logging.ServiceLogs.Name,
		S3EndpointID: t.Endpoints.S3.ID().ToStringOutput(),
		Deployers:    st.deployers, Refreshers: cfg.RefreshPrincipalArns, Deleting: cfg.Deleting(),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{t.Logging.ServiceLogs}))...)
	if err != nil {
		return err
	}
	if cfg.Database.Enabled {
		d := cfg.Database
		t.Database, err = storage.NewDatabase(ctx, name+"-db", &storage.DatabaseArgs{
			TenantID: cfg.TenantID, InstanceClass: d.InstanceClass, EngineVersion: d.EngineVersion,
			AllocatedStorageGB: d.AllocatedStorageGB, BackupRetentionDays: d.BackupRetentionDays, Port: d.Port,
			MultiAZ: cfg.Environment == "production", KeyArn: t.Key.Arn,
			SubnetIDs: t.Network.SubnetIDs(config.TierIsolated), SecurityGroupID: t.Groups.DB.ID(),
			LogRetentionDays: cfg.LogRetentionDays, Classification: classification, Deleting: cfg.Deleting(),
		}, child...)
		if err != nil {
			return err
		}
	}
	appLogs, err := loggroups.NewGroup(ctx, name+"-app-logs", &loggroups.GroupArgs{
		Name: expect.AppLogGroup(cfg.TenantID), KeyArn: t.Key.Arn, RetentionDays: cfg.LogRetentionDays, Classification: classification,
	}, child...)
	if err != nil {
		return err
	}
	hostLogs, err := loggroups.NewGroup(ctx, name+"-host-logs", &loggroups.GroupArgs{
		Name: config.HostLogGroup(cfg.TenantID), KeyArn: t.Key.Arn, RetentionDays: cfg.LogRetentionDays, Classification: classification,
	}, child...)
	if err != nil {
		return err
	}
	sessionLogs, err := t.sessions(ctx, name, cfg, st, child)
	if err != nil {
		return err
	}
	t.App, err = compute.New(ctx, name+"-app", &compute.Args{
		TenantID: cfg.TenantID, Region: cfg.Region, AccountID: account, KeyArn: t.Key.Arn,
		Tags: Tags(cfg), Classification: classification,
		InstanceType: cfg.InstanceType, ImageID: cfg.ImageID,
		Min: cfg.Capacity.Min, Max: cfg.Capacity.Max, Desired: cfg.Capacity.Desired, AppPort: cfg.AppPort,
		PublicSubnetIDs: t.Network.SubnetIDs(config.TierPublic), PrivateSubnetIDs: t.Network.SubnetIDs(config.TierPrivate),
		VpcID: t.Network.VpcID, LBGroupID: t.Groups.LB.ID(), AppGroupID: t.Groups.App.ID(),
		CertificateArn: cfg.CertificateArn, TLSPolicy: cfg.TLSPolicy,
		HealthPath: cfg.HealthCheck.Path, HealthMatcher: cfg.HealthCheck.Matcher, ReplaceUnhealthy: cfg.HealthCheck.ReplaceUnhealthy,
		AccessLogBucket: t.Logging.ServiceLogs.Name, LogPrefix: logging.ElbLogPrefix,
		// The access-log bucket's policy must admit ELB first; the
		// internet gateway's route must exist (ELB refuses an
		// internet-facing load balancer in a VPC without one).
		DependsOn: []pulumi.Resource{t.Logging.ServiceLogs, t.Network.InternetRoute},
		RolePath:  RolePath(cfg.TenantID), DataBucketArns: dataArns,
		LogGroupArn:        loggroups.GroupArn(cfg.Region, account, expect.AppLogGroup(cfg.TenantID)),
		HostLogGroupArn:    loggroups.GroupArn(cfg.Region, account, config.HostLogGroup(cfg.TenantID)),
		SessionLogGroupArn: loggroups.GroupArn(cfg.Region, account, expect.TenantSessionLogGroup(cfg.TenantID)),
		Suspended:          cfg.Suspended(), Deleting: cfg.Deleting(),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{appLogs, hostLogs, sessionLogs}))...)
	if err != nil {
		return err
	}
	t.Monitor, err = monitoring.New(ctx, name+"-mon", &monitoring.Args{
		TenantID: cfg.TenantID, Region: cfg.Region, AccountID: account, KeyArn: t.Key.Arn,
		Emails: cfg.AlertEmails, AutoScalingGroup: t.App.GroupName, CertificateArn: cfg.CertificateArn,
		CPUPercent: cfg.Alarms.CPUPercent, MemoryPercent: cfg.Alarms.MemoryPercent, DiskPercent: cfg.Alarms.DiskPercent,
	}, child...)
	return err
}

// sessions: the tenant's Session Manager document, streaming sessions to
// the tenant's own encrypted group, session data under the tenant's key
// (WP-18). The hosts may write this group and no other tenant's; the
// account's default preferences refuse (baseline.SessionPreferences). The
// group is the operators' record, not the customer's content: under the
// baseline key (whose policy lets CloudWatch Logs use it for /tenantkit/
// groups), never expiring, and kept when the stack is destroyed, listed in
// the deletion's evidence (lifecycle.Retained).
func (t *Tenant) sessions(ctx *pulumi.Context, name string, cfg *config.Tenant, st *site, child []pulumi.ResourceOption) (pulumi.Resource, error) {
	group, err := loggroups.NewGroup(ctx, name+"-session-logs", &loggroups.GroupArgs{
		Name: expect.TenantSessionLogGroup(cfg.TenantID), KeyArn: pulumi.String(st.archiveKey), RetentionDays: 0,
		Classification: st.classification,
	}, append(slices.Clone(child), pulumi.RetainOnDelete(true))...)
	if err != nil {
		return nil, err
	}
	t.SessionDocument, err = ssm.NewDocument(ctx, name+"-session", &ssm.DocumentArgs{
		Name: pulumi.String(expect.SessionDocument(cfg.TenantID)), DocumentType: pulumi.String("Session"), DocumentFormat: pulumi.String("JSON"),
		Content: t.Key.Arn.ApplyT(func(key string) string {
			return awsdocs.SessionPreferences("tenantkit: Session Manager sessions to "+cfg.TenantID+"'s hosts, logged to its own group",
				expect.TenantSessionLogGroup(cfg.TenantID), key, config.SessionIdleMinutes)
		}).(pulumi.StringOutput),
		Tags: pulumi.ToStringMap(Tags(cfg)),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{group}))...)
	return group, err
}

// inventory is the structured stack output that post-deploy checks read
// (schema tenantkit.inventory/v1, documented in the README).
func (t *Tenant) inventory(cfg *config.Tenant, st *site) pulumi.MapOutput {
	account := st.account
	data := pulumi.StringMap{}
	for c, b := range t.Data.Buckets {
		data[c] = pulumi.String(b.Name)
	}
	// The trail's group: a dedicated trail writes it, the shared trail's
	// copy rules fill it (logging.TrailViewGroup).
	logGroups := pulumi.StringArray{t.Network.FlowLogGroup.Name, pulumi.String(expect.AppLogGroup(cfg.TenantID)), pulumi.String(config.HostLogGroup(cfg.TenantID)),
		pulumi.String(expect.TrailViewGroup(cfg.TenantID))}
	database := pulumi.Map{"enabled": pulumi.Bool(false)}
	if t.Database != nil {
		database = pulumi.Map{"enabled": pulumi.Bool(true), "identifier": pulumi.String(expect.DatabaseIdentifier(cfg.TenantID)), "arn": t.Database.Instance.Arn}
		for _, g := range t.Database.LogGroups {
			logGroups = append(logGroups, g.Name)
		}
	}
	alarms := pulumi.StringArray{}
	for _, a := range t.Monitor.Alarms {
		alarms = append(alarms, a.Name)
	}
	return pulumi.Map{
		"schema":    pulumi.String("tenantkit.inventory/v1"),
		"tenant":    pulumi.String(cfg.TenantID),
		"region":    pulumi.String(cfg.Region),
		"accountId": pulumi.String(account),
		"state":     pulumi.String(cfg.Lifecycle.State),
		"vpcId":     t.Network.VpcID,
		"vpcCidr":   pulumi.String(cfg.VpcCidr),
		"subnetIds": pulumi.StringArray(append(append(t.Network.SubnetIDs(config.TierPublic), t.Network.SubnetIDs(config.TierPrivate)...), t.Network.SubnetIDs(config.TierIsolated)...)),
		"securityGroups": pulumi.StringMap{
			security.GroupLB: t.Groups.LB.ID().ToStringOutput(), security.GroupApp: t.Groups.App.ID().ToStringOutput(),
			security.GroupDB: t.Groups.DB.ID().ToStringOutput(), security.GroupEndpoints: t.Groups.Endpoints.ID().ToStringOutput(),
		},
		"s3EndpointId":  t.Endpoints.S3.ID().ToStringOutput(),
		"keyArn":        t.Key.Arn,
		"archiveKeyArn": pulumi.String(st.archiveKey),
		"deployers":     pulumi.ToStringArray(st.deployers),
		"buckets": pulumi.Map{
			"data":        data,
			"serviceLogs": pulumi.String(t.Logging.ServiceLogs.Name),
			"logArchive":  pulumi.String(t.Logging.Archive.Name),
		},
		"trail": pulumi.Map{
			"mode":     pulumi.String(cfg.TrailMode),
			"arn":      pulumi.String(t.Logging.TrailArn),
			"coverage": pulumi.ToStringArray(DataBucketArns(cfg, account)),
		},
		"flowLogGroup":     t.Network.FlowLogGroup.Name,
		"logGroups":        logGroups,
		"database":         database,
		"loadBalancerArn":  t.App.LoadBalancer.Arn,
		"launchTemplate":   t.App.LaunchTemplate.ID().ToStringOutput(),
		"autoScalingGroup": pulumi.String(t.App.GroupName),
		"topicArn":         t.Monitor.Topic.Arn,
		"alarms":           alarms,
		"findingsRule":     pulumi.String(expect.FindingsRuleName(cfg.TenantID)),
		"roles": pulumi.StringMap{
			"logAdmin": t.Logging.LogAdmin.Arn, "logReader": t.Logging.LogReader.Arn,
		},
	}.ToMapOutput()
}
