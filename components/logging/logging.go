// Package logging keeps a tenant's event logs (WP-27) and protects them as
// records (WP-39): the service-logs bucket for ALB and S3 access logs, the
// log archive under Object Lock, the dedicated trail when the tenant has
// one, and the roles through which the customer reads its logs (§27) and
// the operator administers them.
package logging

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/components/loggroups"
	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// ElbLogPrefix is where the load balancer writes its access logs.
const ElbLogPrefix = "alb"

// Args configures the tenant's logging.
type Args struct {
	TenantID  string
	Region    string
	AccountID string
	KeyArn    pulumi.StringOutput
	// ArchiveKeyArn encrypts what outlives the tenant: the log archive and
	// the dedicated trail's log files. It is the account baseline's key;
	// the tenant key is scheduled for deletion at offboarding, which would
	// leave the retained archive unreadable.
	ArchiveKeyArn  string
	Classification string
	// RetentionDays of the log groups; 0 keeps events forever.
	RetentionDays  int
	NoncurrentDays int
	ObjectLock     storage.ObjectLock
	// TrailMode: dedicated builds the tenant's own trail; shared leaves it to
	// the baseline and exports what it must cover.
	TrailMode string
	// DataBucketArns are covered by the trail's data events.
	DataBucketArns []string
	// ElbAccountArn is the region's Elastic Load Balancing account, which
	// writes ALB access logs (aws.elb.getServiceAccount).
	ElbAccountArn string
	// RolePath is /tenants/<tenant>/; the tenant key admits roles under it.
	RolePath string
	// AdminPrincipals may assume the log-admin role, ReaderPrincipals the
	// log-reader role, both with MFA only (WP-15). Empty: the account root,
	// i.e. whoever the account's IAM policies allow.
	AdminPrincipals  []string
	ReaderPrincipals []string
	// Deployers run Pulumi: the log buckets' configuration deny exempts
	// them, so updates and offboarding still work.
	Deployers []string
	// Deleting lets destroy empty the service-logs bucket: its delete deny
	// goes (the archive keeps its Object Lock and is retained).
	Deleting bool
}

// Logging is the tenant's log storage and access.
type Logging struct {
	pulumi.ResourceState

	ServiceLogs *storage.Bucket
	Archive     *storage.Bucket
	Trail       *Trail // nil in shared mode
	LogAdmin    *iam.Role
	LogReader   *iam.Role
	// TrailArn is the trail that must cover the tenant: its own, or the
	// baseline's shared trail.
	TrailArn string
}

// New builds the tenant's logging.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Logging, error) {
	if args == nil {
		return nil, fmt.Errorf("logging %s: args are required", name)
	}
	l := &Logging{}
	if err := ctx.RegisterComponentResource("tenantkit:logging:Logging", name, l, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(l)
	var err error
	adminArn := fmt.Sprintf("arn:aws:iam::%s:role%s%s", args.AccountID, args.RolePath, RoleName(args.TenantID, "log-admin"))
	serviceLogs := expect.BucketName(args.TenantID, expect.RoleServiceLogs, args.AccountID)
	archive := expect.BucketName(args.TenantID, expect.RoleLogArchive, args.AccountID)
	// Who may delete records: the tenant's log admin and the baseline's,
	// which outlives the tenant and disposes of a retained archive once its
	// retention ends. Who may change the buckets' rules: those two and the
	// deployers. Every other tenant's role: nothing at all.
	deleters := []string{adminArn, config.BaselineLogAdminArn(args.AccountID)}
	configurers := append(slices.Clone(deleters), args.Deployers...)
	protect := func(arn string, deletes bool) []policydoc.Statement {
		st := []policydoc.Statement{
			access.DenyOtherTenants(args.AccountID, args.TenantID, policydoc.List("s3:*"), policydoc.List(arn, arn+"/*")),
			storage.DenyConfigChangesExcept(arn, configurers...),
		}
		if deletes {
			st = append(st, storage.DenyDeletesExcept(arn, deleters...))
		}
		return st
	}
	// S3 access logs come from the tenant's own buckets, named exactly: a
	// pattern such as tk-<tenant>-* would also match another tenant whose
	// id extends this one (acme, acme-corp).
	// The archive logs elsewhere (expect.AccessLogTarget): this bucket
	// replicates into it.
	logged := slices.Clone(args.DataBucketArns)

	// Access logs of the load balancer and the buckets: SSE-S3, because AWS
	// delivers them to nothing else; no Object Lock, because S3 refuses it
	// as a logging target: every object is replicated into the archive,
	// which locks it (copies.go).
	l.ServiceLogs, err = storage.NewBucket(ctx, name+"-service-logs", &storage.BucketArgs{
		Name: serviceLogs, Role: expect.RoleServiceLogs, Classification: args.Classification,
		NoncurrentDays: args.NoncurrentDays, ForceDestroy: args.Deleting,
		Statements: func(arn string, _ []string) []policydoc.Statement {
			st := append(AccessLogStatements(arn, args.AccountID, args.ElbAccountArn, logged), protect(arn, !args.Deleting)...)
			if !args.Deleting {
				st = append(st, DenyOverwrites(arn, AccountOf(args.ElbAccountArn)))
			}
			return st
		},
	}, child)
	if err != nil {
		return nil, err
	}

	l.TrailArn = expect.TrailArn(args.Region, args.AccountID, expect.SharedTrailName)
	if args.TrailMode == expect.TrailDedicated {
		l.TrailArn = expect.TrailArn(args.Region, args.AccountID, expect.TrailName(args.TenantID))
	}
	l.Archive, err = storage.NewBucket(ctx, name+"-archive", &storage.BucketArgs{
		Name: archive, Role: expect.RoleLogArchive, Classification: args.Classification,
		KeyArn: pulumi.String(args.ArchiveKeyArn), NoncurrentDays: max(args.NoncurrentDays, args.ObjectLock.Days), // expect.NoncurrentDays
		LogBucket: expect.AccessLogTarget(args.TenantID, expect.RoleLogArchive, args.AccountID), ObjectLock: &args.ObjectLock,
		// Object Lock keeps a non-empty archive from being deleted; Pulumi
		// leaves it in place and offboarding lists it with its retention end.
		Retain: true,
		Statements: func(arn string, _ []string) []policydoc.Statement {
			st := protect(arn, true)
			if args.TrailMode == expect.TrailDedicated {
				st = append(st, TrailStatements(arn, args.AccountID, l.TrailArn)...)
			}
			return st
		},
	}, child, pulumi.DependsOn([]pulumi.Resource{l.ServiceLogs}))
	if err != nil {
		return nil, err
	}

	trailGroup, err := l.trailGroup(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	if args.TrailMode == expect.TrailDedicated {
		// Multi-region: a single-region trail misses IAM, STS and the other
		// global services' events. Its log files land in the archive under the
		// archive's key; its log group, deleted with the stack, uses the
		// tenant key.
		l.Trail, err = NewTrail(ctx, name+"-trail", &TrailArgs{
			Name: expect.TrailName(args.TenantID), Region: args.Region, AccountID: args.AccountID,
			KeyArn: pulumi.String(args.ArchiveKeyArn), LogGroupKeyArn: args.KeyArn,
			Bucket: archive, DependsOn: []pulumi.Resource{l.Archive},
			LogGroup: expect.TrailViewGroup(args.TenantID), Group: trailGroup, RetentionDays: args.RetentionDays,
			Classification: args.Classification, DataBucketArns: args.DataBucketArns, MultiRegion: true,
		}, child)
		if err != nil {
			return nil, err
		}
	}
	if err := l.copyAccessLogs(ctx, name, args, child); err != nil {
		return nil, err
	}
	if args.TrailMode != expect.TrailDedicated {
		if err := l.viewTrail(ctx, name, args, trailGroup, child); err != nil {
			return nil, err
		}
	}
	if err := l.roles(ctx, name, args, serviceLogs, archive, child); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(l, pulumi.Map{
		"serviceLogsBucket": pulumi.String(serviceLogs), "archiveBucket": pulumi.String(archive), "trailArn": pulumi.String(l.TrailArn),
	}); err != nil {
		return nil, err
	}
	return l, nil
}

// AccessLogStatements let the region's ELB account write ALB access logs
// under alb/, and S3 server access logging write the logs of the given
// buckets (exact ARNs) under s3/ (a bucket policy, since ownership enforced
// disables ACLs).
func AccessLogStatements(arn, account, elbAccountArn string, sources []string) []policydoc.Statement {
	return []policydoc.Statement{
		{Sid: "ElbAccessLogs", Effect: "Allow", Principal: policydoc.AWS(elbAccountArn),
			Action: policydoc.List("s3:PutObject"), Resource: policydoc.List(fmt.Sprintf("%s/%s/AWSLogs/%s/*", arn, ElbLogPrefix, account))},
		S3AccessLogStatement(arn, account, sources...),
	}
}

// DenyOverwrites keeps access-log records as delivered (WP-39): no one
// writes objects into the service-logs bucket but the services that
// deliver them, S3 server access logging (a service principal, so the
// request carries aws:PrincipalServiceName) and, in Tokyo, Elastic Load
// Balancing's account (aws:PrincipalAccount). An administrator's PutObject
// over a record would otherwise leave the original as a noncurrent
// version, which the lifecycle rule expires. (IAM user guide, "AWS global
// condition context keys": aws:PrincipalServiceName is present only for
// service principals; a negated operator on a missing key matches, hence
// IfExists on the service name.)
func DenyOverwrites(arn, elbAccount string) policydoc.Statement {
	c := policydoc.Condition{"StringNotEqualsIfExists": {"aws:PrincipalServiceName": policydoc.List("logging.s3.amazonaws.com")}}
	if elbAccount != "" {
		c["StringNotEquals"] = map[string]policydoc.Strings{"aws:PrincipalAccount": policydoc.List(elbAccount)}
	}
	return policydoc.Statement{Sid: "DenyWritesButDelivery", Effect: "Deny", Principal: policydoc.AWS("*"),
		Action: policydoc.List("s3:PutObject"), Resource: policydoc.List(arn + "/*"), Condition: c}
}

// AccountOf is the account of an IAM ARN (arn:aws:iam::<account>:...).
func AccountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 5 {
		return ""
	}
	return parts[4]
}

// S3AccessLogStatement lets S3 server access logging write under s3/, for
// this account's listed buckets only (S3 user guide, "Enabling Amazon S3
// server access logging": aws:SourceArn is the source bucket).
func S3AccessLogStatement(arn, account string, sources ...string) policydoc.Statement {
	op := "ArnEquals"
	for _, s := range sources {
		if strings.ContainsAny(s, "*?") {
			op = "ArnLike" // a pattern (expect.LogArchivesPattern)
		}
	}
	return policydoc.Statement{Sid: "S3ServerAccessLogs", Effect: "Allow", Principal: policydoc.Service("logging.s3.amazonaws.com"),
		Action: policydoc.List("s3:PutObject"), Resource: policydoc.List(arn + "/s3/*"),
		Condition: policydoc.Condition{
			"StringEquals": {"aws:SourceAccount": policydoc.List(account)},
			op:             {"aws:SourceArn": policydoc.List(sources...)},
		}}
}

// roles: log-admin (the only principal that may delete log objects, WP-39)
// and log-reader (the customer's read-only view of its logs, §27). Both can
// be assumed only with MFA (WP-15).
func (l *Logging) roles(ctx *pulumi.Context, name string, args *Args, serviceLogs, archive string, child pulumi.ResourceOption) error {
	logGroups := []string{
		loggroups.GroupArn(args.Region, args.AccountID, "/tenants/"+args.TenantID+"/*"),
		loggroups.GroupArn(args.Region, args.AccountID, "/aws/rds/instance/"+expect.DatabaseIdentifier(args.TenantID)+"/*"),
	}
	buckets := []string{expect.BucketArn(serviceLogs), expect.BucketArn(archive)}
	objects := []string{expect.BucketArn(serviceLogs) + "/*", expect.BucketArn(archive) + "/*"}
	var err error
	l.LogReader, err = access.NewRole(ctx, name+"-log-reader", &access.RoleArgs{
		Name: RoleName(args.TenantID, "log-reader"), Path: args.RolePath, Access: "log-reader", AccountID: args.AccountID, Principals: args.ReaderPrincipals,
		Description: "Tenant " + args.TenantID + ": read-only access to the tenant's own logs",
		Policy: policydoc.Document{Statement: []policydoc.Statement{
			{Sid: "ReadTenantLogGroups", Effect: "Allow",
				Action:   policydoc.List("logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetLogGroupFields"),
				Resource: policydoc.List(append(logGroups, logGroups[0]+":*", logGroups[1]+":*")...)},
			// A query's results are read, and a query stopped, by its id:
			// these actions take no resource (Service Authorization
			// Reference, CloudWatch Logs: GetQueryResults and StopQuery
			// list no resource type). The ids are the reader's own
			// StartQuery answers; DescribeQueries and DescribeLogGroups,
			// which would list every tenant's queries and groups, are not
			// granted (§19, §31).
			{Sid: "ReadOwnQueryResults", Effect: "Allow", Action: policydoc.List("logs:GetQueryResults", "logs:StopQuery"), Resource: policydoc.List("*")},
			{Sid: "ListTenantLogBuckets", Effect: "Allow", Action: policydoc.List("s3:ListBucket", "s3:GetBucketLocation"), Resource: policydoc.List(buckets...)},
			{Sid: "ReadTenantLogObjects", Effect: "Allow", Action: policydoc.List("s3:GetObject", "s3:GetObjectVersion"), Resource: policydoc.List(objects...)},
			{Sid: "DecryptTenantArchive", Effect: "Allow", Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List(args.ArchiveKeyArn),
				Condition: policydoc.Condition{"StringEquals": {"kms:ViaService": policydoc.List(fmt.Sprintf("s3.%s.amazonaws.com", args.Region))}}},
			// The customer's copy of its sealed reports in the account's
			// evidence bucket (#37 item 2): its own prefix only. The copies
			// are SSE-S3, so no key of the provider's is needed to read
			// them; their integrity is the seal's and Object Lock's.
			{Sid: "ListOwnEvidence", Effect: "Allow", Action: policydoc.List("s3:ListBucket"), Resource: policydoc.List(expect.BucketArn(expect.EvidenceBucket(args.AccountID))),
				Condition: policydoc.Condition{"StringLike": {"s3:prefix": policydoc.List(expect.CustomerEvidencePrefix(args.TenantID), expect.CustomerEvidencePrefix(args.TenantID)+"*")}}},
			{Sid: "ReadOwnEvidence", Effect: "Allow", Action: policydoc.List("s3:GetObject"),
				Resource: policydoc.List(expect.BucketArn(expect.EvidenceBucket(args.AccountID)) + "/" + expect.CustomerEvidencePrefix(args.TenantID) + "*")},
		}},
		KeyArn: args.KeyArn,
	}, child)
	if err != nil {
		return err
	}
	l.LogAdmin, err = access.NewRole(ctx, name+"-log-admin", &access.RoleArgs{
		Name: RoleName(args.TenantID, "log-admin"), Path: args.RolePath, Access: "admin", AccountID: args.AccountID, Principals: args.AdminPrincipals,
		Description: "Tenant " + args.TenantID + ": administers the tenant's log records; the only role that may delete them",
		Policy: policydoc.Document{Statement: []policydoc.Statement{
			{Sid: "AdministerTenantLogBuckets", Effect: "Allow", Action: policydoc.List("s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketLocation"), Resource: policydoc.List(buckets...)},
			{Sid: "AdministerTenantLogObjects", Effect: "Allow",
				Action:   policydoc.List("s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectRetention"),
				Resource: policydoc.List(objects...)},
			{Sid: "DecryptTenantArchive", Effect: "Allow", Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List(args.ArchiveKeyArn),
				Condition: policydoc.Condition{"StringEquals": {"kms:ViaService": policydoc.List(fmt.Sprintf("s3.%s.amazonaws.com", args.Region))}}},
		}},
		KeyArn: args.KeyArn,
	}, child)
	return err
}

// RoleName: IAM role names are unique in the account whatever their path,
// so each carries the tenant.
func RoleName(tenantID, role string) string { return "tk-" + tenantID + "-" + role }
