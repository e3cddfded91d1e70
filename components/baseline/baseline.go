// Package baseline is what is set once per AWS account and region and
// shared by the tenants in it: GuardDuty with EBS malware protection
// (WP-20.3), Inspector for EC2 and ECR (WP-30), EBS encryption by default,
// the IAM password policy (WP-15), the account S3 public access block,
// Session Manager preferences that log sessions to an encrypted log group
// (WP-18), the Auto Scaling service-linked role the tenant keys name, and
// the shared trail (WP-27). Two stacks owning one of these would fight, and
// destroying a tenant would turn it off for all, so they live here only,
// protected and retained on delete.
package baseline

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ebs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/inspector2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/components/logging"
	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// ID stands where a tenant id would in names; no tenant may use it.
const ID = expect.BaselineID

// SessionLogGroup receives Session Manager session logs.
const SessionLogGroup = expect.SessionLogGroup

// SessionDocument is the document that holds Session Manager preferences.
const SessionDocument = "SSM-SessionManagerRunShell"

// Baseline is the account baseline.
type Baseline struct {
	pulumi.ResourceState

	Provider *aws.Provider
	Key      *kms.Key
	Trail    *logging.Trail
	Outputs  pulumi.MapOutput `pulumi:"baseline"`
}

// Args: the config plus the tenants' data buckets the shared trail covers
// (their ARNs depend on the account, so the caller passes a function).
type Args struct {
	Config   *Config
	Coverage func(account string) []string
	// Deadlines are the §10 deadlines ahead that the watchdog schedules
	// (Deadlines: from the tenant stacks).
	Deadlines []expect.Watch
}

// New builds the baseline.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Baseline, error) {
	cfg := args.Config
	b := &Baseline{}
	if err := ctx.RegisterComponentResource("tenantkit:baseline:Baseline", name, b, opts...); err != nil {
		return nil, err
	}
	var err error
	provider := &aws.ProviderArgs{
		Region:      pulumi.String(cfg.Region),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"ManagedBy": pulumi.String("tenantkit"), "Scope": pulumi.String("account-baseline")}},
	}
	// The stack is its cell: the cell's role, the cell's account only.
	tenant.CellAccess(provider, &config.Cell{Name: ctx.Stack(), Baseline: cfg})
	b.Provider, err = aws.NewProvider(ctx, name+"-aws", provider, pulumi.Parent(b))
	if err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(b.Provider)}
	// Singletons: protected, and left in place if the stack is destroyed.
	singleton := append(child, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	caller, err := aws.GetCallerIdentity(ctx, nil, pulumi.Provider(b.Provider), pulumi.Parent(b))
	if err != nil {
		return nil, fmt.Errorf("baseline: read the account id (are AWS credentials set?): %w", err)
	}
	account := caller.AccountId
	deployers, err := access.Deployers(ctx, cfg.DeployerPrincipalArns, caller.Arn, b.Provider, b)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}

	// Adopted singletons are imported (pulumi.Import) and then brought to
	// the declared settings; the engine imports once, on the first up with
	// the switch on.
	asgOpts := singleton
	if cfg.AdoptAutoScalingRole {
		asgOpts = append(slices.Clone(singleton), pulumi.Import(pulumi.ID(AutoScalingRoleArn(account))))
	}
	asg, err := iam.NewServiceLinkedRole(ctx, name+"-asg-slr", &iam.ServiceLinkedRoleArgs{
		AwsServiceName: pulumi.String("autoscaling.amazonaws.com"),
		Description:    pulumi.String("Auto Scaling; the tenant keys name this role"),
	}, asgOpts...)
	if err != nil {
		return nil, err
	}
	b.Key, err = kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.String("tenantkit account baseline: EBS default, shared trail, session logs"),
		EnableKeyRotation:    pulumi.Bool(true),
		RotationPeriodInDays: pulumi.Int(365),
		DeletionWindowInDays: pulumi.Int(30),
		Policy:               pulumi.String(KeyPolicy(cfg.Region, account, deployers).JSON()),
		// The archives that outlive tenants and the account's EBS default
		// encryption depend on this key: it is protected and outlives a
		// destroy of the baseline, as its alias does.
	}, append(slices.Clone(singleton), pulumi.DependsOn([]pulumi.Resource{asg}))...)
	if err != nil {
		return nil, err
	}
	// The tenants find this key by its alias: it encrypts their log
	// archives, which outlive them.
	if _, err := kms.NewAlias(ctx, name+"-key-alias", &kms.AliasArgs{
		Name: pulumi.String(config.BaselineKeyAlias), TargetKeyId: b.Key.Arn,
	}, singleton...); err != nil {
		return nil, err
	}

	// WP-20.3: GuardDuty, each feature's status declared.
	detOpts := singleton
	if cfg.AdoptGuardDutyDetector {
		existing, err := guardduty.LookupDetector(ctx, nil, pulumi.Provider(b.Provider), pulumi.Parent(b))
		if err != nil {
			return nil, fmt.Errorf("baseline: adoptGuardDutyDetector is set, but the region's detector cannot be read: %w", err)
		}
		detOpts = append(slices.Clone(singleton), pulumi.Import(pulumi.ID(existing.Id)))
	}
	det, err := guardduty.NewDetector(ctx, name+"-guardduty", &guardduty.DetectorArgs{
		Enable: pulumi.Bool(true), FindingPublishingFrequency: pulumi.String(expect.GuardDuty.FindingPublishingFrequency),
	}, detOpts...)
	if err != nil {
		return nil, err
	}
	for _, f := range expect.GuardDuty.Features {
		if _, err := guardduty.NewDetectorFeature(ctx, name+"-guardduty-"+f, &guardduty.DetectorFeatureArgs{
			DetectorId: det.ID(), Name: pulumi.String(f), Status: pulumi.String("ENABLED"),
		}, child...); err != nil {
			return nil, err
		}
	}
	// WP-30: Inspector for EC2 and ECR; enabling can take over 15 minutes.
	if _, err := inspector2.NewEnabler(ctx, name+"-inspector", &inspector2.EnablerArgs{
		AccountIds: pulumi.StringArray{pulumi.String(account)}, ResourceTypes: pulumi.ToStringArray([]string{"EC2", "ECR"}),
	}, append(singleton, pulumi.Timeouts(&pulumi.CustomTimeouts{Create: "30m", Delete: "30m"}))...); err != nil {
		return nil, err
	}
	// EBS encryption by default, with the baseline's key.
	if _, err := ebs.NewEncryptionByDefault(ctx, name+"-ebs-default", &ebs.EncryptionByDefaultArgs{Enabled: pulumi.Bool(true)}, singleton...); err != nil {
		return nil, err
	}
	if _, err := ebs.NewDefaultKmsKey(ctx, name+"-ebs-default-key", &ebs.DefaultKmsKeyArgs{KeyArn: b.Key.Arn}, singleton...); err != nil {
		return nil, err
	}
	// WP-15: password policy.
	if _, err := iam.NewAccountPasswordPolicy(ctx, name+"-password-policy", &iam.AccountPasswordPolicyArgs{
		MinimumPasswordLength: pulumi.Int(cfg.PasswordMinLength), MaxPasswordAge: pulumi.Int(cfg.PasswordMaxAgeDays),
		PasswordReusePrevention: pulumi.Int(cfg.PasswordReuse), RequireLowercaseCharacters: pulumi.Bool(true),
		RequireUppercaseCharacters: pulumi.Bool(true), RequireNumbers: pulumi.Bool(true), RequireSymbols: pulumi.Bool(true),
		AllowUsersToChangePassword: pulumi.Bool(true),
	}, singleton...); err != nil {
		return nil, err
	}
	if _, err := s3.NewAccountPublicAccessBlock(ctx, name+"-s3-pab", &s3.AccountPublicAccessBlockArgs{
		AccountId: pulumi.String(account), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, singleton...); err != nil {
		return nil, err
	}
	if err := b.sessionManager(ctx, name, cfg, child, singleton); err != nil {
		return nil, err
	}
	if err := b.watch(ctx, name, cfg, cfg.Region, account, args.Deadlines, child); err != nil {
		return nil, err
	}
	var coverage []string
	if cfg.SharedTrail {
		if coverage, err = b.sharedTrail(ctx, name, cfg, account, deployers, args.Coverage, child); err != nil {
			return nil, err
		}
	}
	b.Outputs = pulumi.Map{
		"accountId": pulumi.String(account), "region": pulumi.String(cfg.Region), "keyArn": b.Key.Arn,
		"guardDutyDetectorId": det.ID(), "sessionLogGroup": pulumi.String(SessionLogGroup),
		"sharedTrailArn": pulumi.String(expect.TrailArn(cfg.Region, account, expect.SharedTrailName)),
		"trailCoverage":  pulumi.ToStringArray(coverage),
	}.ToMapOutput()
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{"baseline": b.Outputs}); err != nil {
		return nil, err
	}
	return b, nil
}

// sessionManager: sessions logged to an encrypted log group, encrypted in
// no run-as, idle sessions closed (WP-18).
func (b *Baseline) sessionManager(ctx *pulumi.Context, name string, cfg *Config, child, singleton []pulumi.ResourceOption) error {
	if _, err := loggroups.NewGroup(ctx, name+"-session-logs", &loggroups.GroupArgs{
		Name: SessionLogGroup, KeyArn: b.Key.Arn, RetentionDays: cfg.LogRetentionDays, Classification: "confidential",
	}, child...); err != nil {
		return err
	}
	opts := singleton
	if cfg.AdoptSessionPreferences {
		opts = append(slices.Clone(singleton), pulumi.Import(pulumi.ID(SessionDocument)))
	}
	_, err := ssm.NewDocument(ctx, name+"-session-prefs", &ssm.DocumentArgs{
		Name: pulumi.String(SessionDocument), DocumentType: pulumi.String("Session"), DocumentFormat: pulumi.String("JSON"),
		Content: b.Key.Arn.ApplyT(func(key string) string { return SessionPreferences(key, cfg.SessionIdleMinutes) }).(pulumi.StringOutput),
	}, opts...)
	return err
}

// SessionPreferences is the account's default Session Manager preferences
// document (SSM-SessionManagerRunShell), for a session that names no
// document. Sessions go to the tenant's own document
// (tenant.SessionDocument), whose log group its hosts may write; a host can
// write no baseline group, so a session through the default would run
// unlogged (the agent drops a stream it cannot create and carries on:
// amazon-ssm-agent, cloudwatchlogsservice.go, StreamData). The default
// therefore encrypts session data with the baseline key, which no tenant
// host may decrypt with: the handshake fails and the session never starts
// (Session Manager user guide, "Turn on KMS key encryption of session
// data": the instance profile needs kms:Decrypt on the key).
func SessionPreferences(keyArn string, idleMinutes int) string {
	return awsdocs.SessionPreferences("tenantkit: Session Manager defaults: a session that names no tenant document is refused (session data under the baseline key, which no tenant host may use)",
		SessionLogGroup, keyArn, idleMinutes)
}

// sharedTrail: one multi-region account trail whose advanced selectors
// cover the tenants' data buckets (5 trails per region and account would
// not stretch to a trail per tenant).
func (b *Baseline) sharedTrail(ctx *pulumi.Context, name string, cfg *Config, account string, deployers []string, cover func(string) []string, child []pulumi.ResourceOption) ([]string, error) {
	var coverage []string
	if cover != nil {
		coverage = cover(account)
	}
	if len(coverage) > MaxCoveredBuckets {
		return nil, fmt.Errorf("baseline: the shared trail would cover %d buckets; advanced selectors hold %d values: split tenants across accounts or give some a dedicated trail", len(coverage), MaxCoveredBuckets)
	}
	serviceLogs := expect.BucketName(ID, expect.RoleServiceLogs, account)
	archive := expect.BucketName(ID, expect.RoleLogArchive, account)
	// The records' protection (WP-39): deletes by the log admin only; the
	// buckets' rules changed by the log admin and the deployers only.
	protect := func(arn string) []policydoc.Statement {
		return []policydoc.Statement{
			storage.DenyDeletesExcept(arn, LogAdminArn(account)),
			storage.DenyConfigChangesExcept(arn, append([]string{LogAdminArn(account)}, deployers...)...),
		}
	}
	sl, err := storage.NewBucket(ctx, name+"-service-logs", &storage.BucketArgs{
		Name: serviceLogs, Role: expect.RoleServiceLogs, Classification: "confidential", NoncurrentDays: 30,
		Statements: func(arn string, _ []string) []policydoc.Statement {
			// The account's log archives, the baseline's and every
			// tenant's, log here and nothing else does
			// (expect.AccessLogTarget); this bucket replicates nowhere.
			return append([]policydoc.Statement{logging.S3AccessLogStatement(arn, account, expect.LogArchivesPattern(account)),
				logging.DenyOverwrites(arn, "")}, protect(arn)...)
		},
	}, child...)
	if err != nil {
		return nil, err
	}
	trailArn := expect.TrailArn(cfg.Region, account, expect.SharedTrailName)
	ab, err := storage.NewBucket(ctx, name+"-archive", &storage.BucketArgs{
		Name: archive, Role: expect.RoleLogArchive, Classification: "confidential", KeyArn: b.Key.Arn,
		NoncurrentDays: cfg.ObjectLockDays, LogBucket: serviceLogs, Retain: true,
		ObjectLock: &storage.ObjectLock{Mode: cfg.ObjectLockMode, Days: cfg.ObjectLockDays},
		Statements: func(arn string, _ []string) []policydoc.Statement {
			return append(logging.TrailStatements(arn, account, trailArn), protect(arn)...)
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{sl}))...)
	if err != nil {
		return nil, err
	}
	buckets := []string{expect.BucketArn(serviceLogs), expect.BucketArn(archive)}
	if _, err := access.NewRole(ctx, name+"-log-admin", &access.RoleArgs{
		Name: LogAdminRole, Path: "/", Access: "admin", AccountID: account,
		Description: "tenantkit baseline: administers the shared trail's records; the only role that may delete them",
		Policy: policydoc.Document{Statement: []policydoc.Statement{
			{Sid: "AdministerTrailBuckets", Effect: "Allow", Action: policydoc.List("s3:ListBucket", "s3:ListBucketVersions"), Resource: policydoc.List(buckets...)},
			{Sid: "AdministerTrailObjects", Effect: "Allow", Action: policydoc.List("s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"),
				Resource: policydoc.List(buckets[0]+"/*", buckets[1]+"/*")},
		}},
		KeyArn: b.Key.Arn,
	}, child...); err != nil {
		return nil, err
	}
	b.Trail, err = logging.NewTrail(ctx, name+"-trail", &logging.TrailArgs{
		Name: expect.SharedTrailName, Region: cfg.Region, AccountID: account, KeyArn: b.Key.Arn,
		Bucket: archive, DependsOn: []pulumi.Resource{ab},
		LogGroup: "/tenantkit/cloudtrail", RetentionDays: cfg.LogRetentionDays, Classification: "confidential",
		DataBucketArns: coverage, MultiRegion: true,
	}, child...)
	if err != nil {
		return nil, err
	}
	// Each shared-mode tenant's rules copy its own records of this trail
	// into its group (logging.TrailViewGroup); one resource policy lets
	// EventBridge write to all of them.
	_, err = cloudwatch.NewLogResourcePolicy(ctx, name+"-trail-views", &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(expect.TrailViewPolicyName),
		PolicyDocument: pulumi.String(expect.TrailViewResourcePolicy(cfg.Region, account)),
	}, child...)
	return coverage, err
}

// AutoScalingRoleArn is the Auto Scaling service-linked role, the import id
// of an adopted one.
func AutoScalingRoleArn(account string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", account)
}

// LogAdminRole may delete the shared trail's records (WP-39), with MFA.
const LogAdminRole = config.BaselineLogAdminRole

// LogAdminArn is its ARN.
func LogAdminArn(account string) string { return config.BaselineLogAdminArn(account) }

// MaxCoveredBuckets: advanced event selectors allow 500 values in all; a
// few go to the other field selectors.
const MaxCoveredBuckets = 490

// KeyPolicy of the baseline key: the account administers it; CloudTrail,
// CloudWatch Logs (the baseline's groups), EC2 (EBS by default) and the Auto
// Scaling service-linked role use it.
func KeyPolicy(region, account string, deployers []string) policydoc.Document {
	root := fmt.Sprintf("arn:aws:iam::%s:root", account)
	return policydoc.Document{Statement: append([]policydoc.Statement{
		{Sid: "AccountAdministers", Effect: "Allow", Principal: policydoc.AWS(root), Action: policydoc.List("kms:*"), Resource: policydoc.List("*")},
		// Every archive that outlives a tenant is readable only while this
		// key lives and its policy lets the readers in: deleting or
		// disabling it is the log administrator's alone, changing its
		// policy the log administrator's and the deployers' (who apply the
		// program's own). The account root stays able to act through the
		// log-admin role (WP-39).
		{Sid: "DenyKeyDeletionButLogAdmin", Effect: "Deny", Principal: policydoc.AWS("*"),
			Action:    policydoc.List("kms:ScheduleKeyDeletion", "kms:DisableKey"),
			Resource:  policydoc.List("*"),
			Condition: policydoc.Condition{"ArnNotEquals": {"aws:PrincipalArn": policydoc.List(LogAdminArn(account))}}},
		{Sid: "DenyKeyPolicyChangesButAdmins", Effect: "Deny", Principal: policydoc.AWS("*"),
			Action:    policydoc.List("kms:PutKeyPolicy"),
			Resource:  policydoc.List("*"),
			Condition: policydoc.Condition{"ArnNotEquals": {"aws:PrincipalArn": policydoc.List(append([]string{LogAdminArn(account)}, deployers...)...)}}},
		{Sid: "CloudWatchLogsForBaselineGroups", Effect: "Allow", Principal: policydoc.Service(fmt.Sprintf("logs.%s.amazonaws.com", region)),
			Action:    policydoc.List("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
			Resource:  policydoc.List("*"),
			Condition: policydoc.Condition{"ArnLike": {"kms:EncryptionContext:aws:logs:arn": policydoc.List(fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/tenantkit/*", region, account))}}},
		{Sid: "CloudTrailEncrypts", Effect: "Allow", Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action: policydoc.List("kms:GenerateDataKey*"), Resource: policydoc.List("*"),
			Condition: policydoc.Condition{
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": policydoc.List(fmt.Sprintf("arn:aws:cloudtrail:*:%s:trail/*", account))},
				"StringEquals": {"aws:SourceAccount": policydoc.List(account)},
			}},
		{Sid: "CloudTrailDescribes", Effect: "Allow", Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action: policydoc.List("kms:DescribeKey"), Resource: policydoc.List("*"),
			Condition: policydoc.Condition{"StringEquals": {"aws:SourceAccount": policydoc.List(account)}}},
		{Sid: "EbsByDefault", Effect: "Allow", Principal: policydoc.AWS("*"),
			Action:   policydoc.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"),
			Resource: policydoc.List("*"),
			Condition: policydoc.Condition{"StringEquals": {
				"kms:CallerAccount": policydoc.List(account), "kms:ViaService": policydoc.List(fmt.Sprintf("ec2.%s.amazonaws.com", region), fmt.Sprintf("ssm.%s.amazonaws.com", region)),
			}}},
	}, storage.AutoScalingKeyStatements(account)...)}
}
