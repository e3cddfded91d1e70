// Package kumoseed writes a compliant tenant, through the AWS SDK, into an
// AWS emulator (kumo) for the services it holds faithfully, and returns the
// inventory the stack would export. The kumo-backed tests and the
// `go run ./tests/kumoseed` demo use it; nothing in production does.
package kumoseed

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/components/logging"
	"github.com/tenantkit/tenantkit/components/monitoring"
	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/verify"
)

// Clients are the full SDK clients the seeding writes through.
type Clients struct {
	EC2    *ec2.Client
	S3     *s3.Client
	KMS    *kms.Client
	Trail  *cloudtrail.Client
	Logs   *cloudwatchlogs.Client
	CW     *cloudwatch.Client
	ELB    *elbv2.Client
	Events *eventbridge.Client
	SNS    *sns.Client
	IAM    *iam.Client
	STS    *sts.Client
}

// New builds the clients for an endpoint.
func New(cfg aws.Config) *Clients {
	return &Clients{
		EC2: ec2.NewFromConfig(cfg), S3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		KMS: kms.NewFromConfig(cfg), Trail: cloudtrail.NewFromConfig(cfg), Logs: cloudwatchlogs.NewFromConfig(cfg),
		CW: cloudwatch.NewFromConfig(cfg), ELB: elbv2.NewFromConfig(cfg), Events: eventbridge.NewFromConfig(cfg),
		SNS: sns.NewFromConfig(cfg), IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg),
	}
}

// Options change what is seeded: Open seeds a non-compliant decoy.
type Options struct {
	// Open: port 22 open to the internet and an unencrypted bucket.
	Open bool
}

// Seed writes the tenant of cfg and returns its inventory. Names carry the
// tenant id, so tenants seeded into one emulator never collide.
func Seed(ctx context.Context, c *Clients, cfg *config.Tenant, o Options) (*verify.Inventory, error) {
	s := &seeder{ctx: ctx, c: c, cfg: cfg}
	inv, err := s.run(o)
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", cfg.TenantID, err)
	}
	return inv, nil
}

type seeder struct {
	ctx context.Context
	c   *Clients
	cfg *config.Tenant
	inv *verify.Inventory
}

func (s *seeder) tags() map[string]string {
	return map[string]string{"Tenant": s.cfg.TenantID, "ManagedBy": "tenantkit", "Environment": s.cfg.Environment}
}

func (s *seeder) tagEC2(id string, extra ...string) error {
	var ts []ec2types.Tag
	for k, v := range s.tags() {
		ts = append(ts, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	for i := 0; i+1 < len(extra); i += 2 {
		ts = append(ts, ec2types.Tag{Key: aws.String(extra[i]), Value: aws.String(extra[i+1])})
	}
	_, err := s.c.EC2.CreateTags(s.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ts})
	return err
}

func (s *seeder) run(o Options) (*verify.Inventory, error) {
	ctx, cfg, id := s.ctx, s.cfg, s.cfg.TenantID
	who, err := s.c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, err
	}
	acct := aws.ToString(who.Account)
	inv := &verify.Inventory{Schema: verify.InventorySchema, Tenant: id, Region: cfg.Region, AccountID: acct, State: cfg.Lifecycle.State, VpcCidr: cfg.VpcCidr,
		Deployers: []string{fmt.Sprintf("arn:aws:iam::%s:role/ops/tenantkit-deployer", acct)}}
	s.inv = inv

	// Network: VPC, subnets, groups per tier, a public route table.
	vpc, err := s.c.EC2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cfg.VpcCidr)})
	if err != nil {
		return nil, err
	}
	inv.VpcID = aws.ToString(vpc.Vpc.VpcId)
	if err := s.tagEC2(inv.VpcID); err != nil {
		return nil, err
	}
	for i, az := range []string{"ap-northeast-1a", "ap-northeast-1c"} {
		cidr := subnetOf(cfg.VpcCidr, i)
		sub, err := s.c.EC2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		if err != nil {
			return nil, fmt.Errorf("subnet %s: %w", cidr, err)
		}
		inv.SubnetIDs = append(inv.SubnetIDs, aws.ToString(sub.Subnet.SubnetId))
	}
	inv.SecurityGroups = map[string]string{}
	for _, tier := range []string{"lb", "app", "db", "endpoints"} {
		g, err := s.c.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("tk-" + id + "-" + tier), Description: aws.String(tier), VpcId: vpc.Vpc.VpcId})
		if err != nil {
			return nil, err
		}
		inv.SecurityGroups[tier] = aws.ToString(g.GroupId)
		if err := s.tagEC2(aws.ToString(g.GroupId), "Tier", tier); err != nil {
			return nil, err
		}
	}
	sg := inv.SecurityGroups
	rules := map[string][]ec2types.IpPermission{
		"lb":        {tcp(443, cfg.IngressCidrs), tcp(80, cfg.IngressCidrs)},
		"app":       {tcpFrom(int32(cfg.AppPort), sg["lb"])},
		"db":        {tcpFrom(int32(cfg.Database.Port), sg["app"])},
		"endpoints": {tcp(443, []string{cfg.VpcCidr})},
	}
	if o.Open {
		rules["app"] = append(rules["app"], tcp(22, []string{"0.0.0.0/0"}))
	}
	for tier, perms := range rules {
		if _, err := s.c.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg[tier]), IpPermissions: perms}); err != nil {
			return nil, err
		}
	}
	igw, err := s.c.EC2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	if err != nil {
		return nil, err
	}
	if _, err := s.c.EC2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpc.Vpc.VpcId}); err != nil {
		return nil, err
	}
	rt, err := s.c.EC2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId})
	if err != nil {
		return nil, err
	}
	if _, err := s.c.EC2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw.InternetGateway.InternetGatewayId}); err != nil {
		return nil, err
	}
	inv.S3EndpointID = "vpce-" + id + "-s3" // endpoints are not emulated; the policy names this id

	// Key.
	var kt []kmstypes.Tag
	for k, v := range s.tags() {
		kt = append(kt, kmstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(v)})
	}
	key, err := s.c.KMS.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("tenant " + id), Tags: kt})
	if err != nil {
		return nil, err
	}
	inv.KeyArn = aws.ToString(key.KeyMetadata.Arn)
	if _, err := s.c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(config.KeyAlias(id)), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		return nil, err
	}

	// Buckets.
	name := func(kind string) string { return storage.BucketName(id, kind, acct) }
	inv.Buckets.Data = map[string]string{}
	for _, c := range cfg.DataClassifications {
		inv.Buckets.Data[c] = name(c)
		inv.Trail.Coverage = append(inv.Trail.Coverage, storage.BucketArn(name(c)))
	}
	inv.Buckets.ServiceLogs, inv.Buckets.LogArchive = name(storage.RoleServiceLogs), name(storage.RoleLogArchive)
	roleArn := func(r string) string {
		return fmt.Sprintf("arn:aws:iam::%s:role/tenants/%s/%s", acct, id, logging.RoleName(id, r))
	}
	inv.Roles = map[string]string{"logAdmin": roleArn("log-admin"), "logReader": roleArn("log-reader")}
	inv.Trail.Mode = "shared"
	for _, b := range inv.AllBuckets() {
		if err := s.bucket(b, o); err != nil {
			return nil, fmt.Errorf("bucket %s: %w", b, err)
		}
	}

	// Log groups.
	inv.FlowLogGroup = "/tenants/" + id + "/vpc-flow-logs"
	inv.LogGroups = []string{inv.FlowLogGroup, "/tenants/" + id + "/app"}
	for _, g := range inv.LogGroups {
		t := s.tags()
		t["DataClassification"] = "confidential"
		if _, err := s.c.Logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g), KmsKeyId: aws.String(inv.KeyArn), Tags: t}); err != nil {
			return nil, err
		}
		if cfg.LogRetentionDays > 0 {
			if _, err := s.c.Logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(g), RetentionInDays: aws.Int32(int32(cfg.LogRetentionDays))}); err != nil {
				return nil, err
			}
		}
	}

	// The trail that covers the tenant (the baseline's, named for the tenant
	// so seeded tenants do not share one).
	trail, err := s.c.Trail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("tenantkit-shared-" + id), S3BucketName: aws.String(inv.Buckets.LogArchive),
		KmsKeyId: aws.String(inv.KeyArn), EnableLogFileValidation: aws.Bool(true), IsMultiRegionTrail: aws.Bool(true),
		CloudWatchLogsLogGroupArn: aws.String(fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/tenantkit/cloudtrail:*", cfg.Region, acct)),
		CloudWatchLogsRoleArn:     aws.String(fmt.Sprintf("arn:aws:iam::%s:role/trail-to-logs", acct))})
	if err != nil {
		return nil, err
	}
	inv.Trail.Arn = aws.ToString(trail.TrailARN)
	if _, err := s.c.Trail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: trail.TrailARN}); err != nil {
		return nil, err
	}

	// Monitoring.
	topic, err := s.c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(monitoring.TopicName(id)), Attributes: map[string]string{"KmsMasterKeyId": inv.KeyArn}})
	if err != nil {
		return nil, err
	}
	inv.TopicArn = aws.ToString(topic.TopicArn)
	inv.AutoScalingGroup = "tk-" + id + "-app"
	for _, a := range []struct {
		key, metric, ns string
		th              float64
	}{{"cpu", "CPUUtilization", "AWS/EC2", cfg.Alarms.CPUPercent}, {"memory", "mem_used_percent", "CWAgent", cfg.Alarms.MemoryPercent}, {"disk", "disk_used_percent", "CWAgent", cfg.Alarms.DiskPercent}} {
		n := fmt.Sprintf("tk-%s-%s", id, a.key)
		if err := PutAlarm(ctx, s.c.CW, n, a.metric, a.ns, inv.AutoScalingGroup, a.th, inv.TopicArn); err != nil {
			return nil, err
		}
		inv.Alarms = append(inv.Alarms, n)
	}
	inv.FindingsRule = monitoring.FindingsRuleName(id)
	if _, err := s.c.Events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(inv.FindingsRule), EventPattern: aws.String(monitoring.FindingsPattern()), State: ebtypes.RuleStateEnabled}); err != nil {
		return nil, err
	}
	if _, err := s.c.Events.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(inv.FindingsRule), Targets: []ebtypes.Target{{Id: aws.String("alert-topic"), Arn: aws.String(inv.TopicArn)}}}); err != nil {
		return nil, err
	}

	// Load balancer.
	lb, err := s.c.ELB.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("tk-" + id), Subnets: inv.SubnetIDs, SecurityGroups: []string{sg["lb"]}})
	if err != nil {
		return nil, err
	}
	inv.LoadBalancerArn = aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)
	if _, err := s.c.ELB.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(inv.LoadBalancerArn), Port: aws.Int32(443), Protocol: elbtypes.ProtocolEnumHttps,
		SslPolicy: aws.String(cfg.TLSPolicy), Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(cfg.CertificateArn)}},
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String("text/plain")}}}}); err != nil {
		return nil, err
	}
	if _, err := s.c.ELB.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(inv.LoadBalancerArn), Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumRedirect, RedirectConfig: &elbtypes.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: elbtypes.RedirectActionStatusCodeEnumHttp301}}}}); err != nil {
		return nil, err
	}
	if err := SetAccessLogs(ctx, s.c.ELB, inv.LoadBalancerArn, inv.Buckets.ServiceLogs, true); err != nil {
		return nil, err
	}
	inv.LaunchTemplate = "lt-not-emulated"

	// Human roles, MFA only.
	for _, r := range []string{"log-admin", "log-reader"} {
		if _, err := s.c.IAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(logging.RoleName(id, r)), Path: aws.String("/tenants/" + id + "/"),
			AssumeRolePolicyDocument: aws.String(access.TrustWithMFA(acct, nil).JSON())}); err != nil {
			return nil, err
		}
	}
	return inv, nil
}

func subnetOf(vpc string, i int) string {
	// The VPC is at least a /22: /24 subnets at its start.
	parts := strings.Split(strings.Split(vpc, "/")[0], ".")
	var third int
	fmt.Sscan(parts[2], &third)
	return fmt.Sprintf("%s.%s.%d.0/24", parts[0], parts[1], third+i)
}

func tcp(port int32, cidrs []string) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
	for _, c := range cidrs {
		p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(c)})
	}
	return p
}

func tcpFrom(port int32, group string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(group)}}}
}

func (s *seeder) bucket(b string, o Options) error {
	ctx, inv := s.ctx, s.inv
	role := storage.RoleData
	switch b {
	case inv.Buckets.ServiceLogs:
		role = storage.RoleServiceLogs
	case inv.Buckets.LogArchive:
		role = storage.RoleLogArchive
	}
	if _, err := s.c.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b), ObjectLockEnabledForBucket: aws.Bool(role == storage.RoleLogArchive),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(s.cfg.Region)}}); err != nil {
		return err
	}
	if _, err := s.c.S3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(b), PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
		BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}); err != nil {
		return err
	}
	if _, err := s.c.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(b), VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		return err
	}
	if !(o.Open && role == storage.RoleData) {
		def := &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(inv.KeyArn)}
		if role == storage.RoleServiceLogs {
			def = &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}
		}
		if _, err := s.c.S3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(b), ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
			Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: def, BucketKeyEnabled: aws.Bool(role != storage.RoleServiceLogs)}}}}); err != nil {
			return err
		}
	}
	if _, err := s.c.S3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b), Policy: aws.String(Policy(inv, b).JSON())}); err != nil {
		return err
	}
	if role != storage.RoleServiceLogs {
		if _, err := s.c.S3.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: aws.String(b), BucketLoggingStatus: &s3types.BucketLoggingStatus{
			LoggingEnabled: &s3types.LoggingEnabled{TargetBucket: aws.String(inv.Buckets.ServiceLogs), TargetPrefix: aws.String("s3/" + b + "/")}}}); err != nil {
			return err
		}
	}
	if _, err := s.c.S3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(b), LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{
		Rules: []s3types.LifecycleRule{{ID: aws.String("expire-noncurrent-versions"), Status: s3types.ExpirationStatusEnabled, Filter: &s3types.LifecycleRuleFilter{},
			NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(int32(s.cfg.NoncurrentVersionDays))}}}}}); err != nil {
		return err
	}
	if role == storage.RoleLogArchive {
		if _, err := s.c.S3.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(b), ObjectLockConfiguration: &s3types.ObjectLockConfiguration{
			ObjectLockEnabled: s3types.ObjectLockEnabledEnabled, Rule: &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{
				Mode: s3types.ObjectLockRetentionMode(s.cfg.ObjectLockMode), Days: aws.Int32(int32(s.cfg.ObjectLockDays))}}}}); err != nil {
			return err
		}
	}
	classification := "confidential"
	for c, name := range inv.Buckets.Data {
		if name == b {
			classification = c
		}
	}
	var ts []s3types.Tag
	for k, v := range s.tags() {
		ts = append(ts, s3types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	ts = append(ts, s3types.Tag{Key: aws.String("Role"), Value: aws.String(role)}, s3types.Tag{Key: aws.String("DataClassification"), Value: aws.String(classification)})
	_, err := s.c.S3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(b), Tagging: &s3types.Tagging{TagSet: ts}})
	return err
}

// Policy is the bucket policy the components write, for a seeded bucket.
func Policy(inv *verify.Inventory, b string) policydoc.Document {
	arn := storage.BucketArn(b)
	st := storage.TransitDenies(arn)
	deployers := inv.Deployers
	deleters := []string{inv.Roles["logAdmin"], config.BaselineLogAdminArn(inv.AccountID)}
	protect := []policydoc.Statement{
		access.DenyOtherTenants(inv.AccountID, inv.Tenant, policydoc.List("s3:*"), policydoc.List(arn, arn+"/*")),
		storage.DenyConfigChangesExcept(arn, append(slices.Clone(deleters), deployers...)...),
		storage.DenyDeletesExcept(arn, deleters...),
	}
	switch b {
	case inv.Buckets.ServiceLogs:
		var sources []string
		for _, d := range inv.Buckets.Data {
			sources = append(sources, storage.BucketArn(d))
		}
		sort.Strings(sources)
		sources = append(sources, storage.BucketArn(inv.Buckets.LogArchive))
		st = append(st, logging.AccessLogStatements(arn, inv.AccountID, "arn:aws:iam::582318560864:root", sources)...)
		st = append(st, protect...)
	case inv.Buckets.LogArchive:
		st = append(st, protect...)
	default:
		st = append(st, storage.DataStatements(arn, inv.KeyArn, inv.S3EndpointID, inv.AccountID, inv.Tenant, deployers)...)
	}
	return policydoc.Document{Statement: st}
}

// PutAlarm writes one of the tenant's alarms.
func PutAlarm(ctx context.Context, cw *cloudwatch.Client, name, metric, ns, group string, threshold float64, topic string) error {
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(name), MetricName: aws.String(metric), Namespace: aws.String(ns),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("AutoScalingGroupName"), Value: aws.String(group)}},
		Statistic:  cwtypes.StatisticMaximum, Period: aws.Int32(300), EvaluationPeriods: aws.Int32(2), Threshold: aws.Float64(threshold),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, TreatMissingData: aws.String("breaching"),
		AlarmActions: []string{topic}, OKActions: []string{topic}, ActionsEnabled: aws.Bool(true)})
	return err
}

// SetAccessLogs turns the load balancer's access logs on or off.
func SetAccessLogs(ctx context.Context, c *elbv2.Client, lb, bucket string, on bool) error {
	_, err := c.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lb), Attributes: []elbtypes.LoadBalancerAttribute{
		{Key: aws.String("access_logs.s3.enabled"), Value: aws.String(fmt.Sprint(on))},
		{Key: aws.String("access_logs.s3.bucket"), Value: aws.String(bucket)},
		{Key: aws.String("access_logs.s3.prefix"), Value: aws.String(logging.ElbLogPrefix)},
		{Key: aws.String("routing.http.drop_invalid_header_fields.enabled"), Value: aws.String("true")},
	}})
	return err
}
