package verify

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/tenantkit/tenantkit/components/access"
	"github.com/tenantkit/tenantkit/components/baseline"
	"github.com/tenantkit/tenantkit/components/compute"
	"github.com/tenantkit/tenantkit/components/logging"
	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// world is a typed fake of every API the checks read: a compliant tenant
// (built from the components' own policy builders) plus a decoy in another
// VPC, with errors injectable per operation and a count of calls.
type world struct {
	mu    sync.Mutex
	calls map[string]int
	errs  map[string]error

	vpcs       []ec2types.Vpc
	groups     []ec2types.SecurityGroup
	routes     []ec2types.RouteTable
	subnets    []ec2types.Subnet
	flowLogs   []ec2types.FlowLog
	dhcp       []ec2types.DhcpOptions
	acls       []ec2types.NetworkAcl
	lbSubnets  []string // the subnets the load balancer sits in
	endpoints  []ec2types.VpcEndpoint
	ltData     *ec2types.ResponseLaunchTemplateData
	ebsDefault bool

	buckets map[string]*bucket

	key      kmstypes.KeyMetadata
	rotation bool
	// keyAnswerArn, when set, is the Arn DescribeKey answers for the
	// tenant key (a key ARN naming another account).
	keyAnswerArn string
	// noRotationPeriod: the answer leaves RotationPeriodInDays out (moto 5.2.1 does).
	noRotationPeriod bool
	keyTags          map[string]string

	trail              cttypes.Trail
	logging            bool
	selectors          []cttypes.AdvancedEventSelector
	logGroups          []logtypes.LogGroup
	logTags            map[string]map[string]string
	alarms             []cwtypes.MetricAlarm
	listeners          []elbtypes.Listener
	lbAttrs            map[string]string
	rule               eventbridge.DescribeRuleOutput
	rules              map[string]eventbridge.DescribeRuleOutput // by name; rule is the findings rule's
	targets            []ebtypes.Target
	topicKey           string
	subscriptions      []snstypes.Subscription
	roles              map[string]string // name → trust policy
	password           *iamtypes.PasswordPolicy
	db                 rdstypes.DBInstance
	snapshots          []rdstypes.DBSnapshot
	dbParams           []rdstypes.Parameter
	detector           *guardduty.GetDetectorOutput
	inspector          insptypes.ResourceState
	assocs             []ssmtypes.Association
	sessionPref        string
	sessionDocs        map[string]string // the tenants' session documents, by name
	asgVersion         string
	instances          []string // the group's instances
	findings           []insptypes.Finding
	hostStreams        []string  // streams in the host log group
	launched           time.Time // when the group's instances were launched
	patchStates        []ssmtypes.InstancePatchState
	sslPolicies        map[string][]string
	sslCiphers         map[string][]string
	tagged             []taggingtypes.ResourceTagMapping
	account            string
	keys               map[string]kmstypes.KeyMetadata // by id, ARN or alias
	trailDeliveryError string
	ruleTargets        map[string][]ebtypes.Target // by rule; others get targets
	resourcePolicies   []logtypes.ResourcePolicy
	// volumes attached to the group's instances
	volumes []ec2types.Volume
	// streamLastEvent is the last event of every host log stream
	streamLastEvent time.Time
	// trailLastDelivery is the trail's latest delivery of log files
	trailLastDelivery time.Time
	// coverage is what Inspector scans
	coverage []insptypes.CoveredResource
	// keyPolicy is the tenant key's policy document
	keyPolicy string
	// users are the account's IAM users, by name, with their active keys
	users map[string]int
	// rootKeys counts the root user's access keys
	rootKeys int32
	// rolePaths are the tenant's roles by name, with their path
	rolePaths map[string]string
	// inline are each role's inline policies (name → document)
	inline map[string]map[string]string
	// attached are each role's attached policy ARNs; managed their documents
	attached map[string][]string
	managed  map[string]string
	// igws and nats are the VPC's internet and NAT gateways
	igws, nats []string
}

type bucket struct {
	location    string
	sse         *s3types.ServerSideEncryptionConfiguration
	pab         *s3types.PublicAccessBlockConfiguration
	versioning  s3types.BucketVersioningStatus
	policy      string
	logging     *s3types.LoggingEnabled
	replication *s3types.ReplicationConfiguration
	lifecycle   []s3types.LifecycleRule
	lock        *s3types.ObjectLockConfiguration
	tags        map[string]string
}

func (w *world) call(op string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.calls == nil {
		w.calls = map[string]int{}
	}
	w.calls[op]++
	return w.errs[op]
}

func (w *world) total() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, v := range w.calls {
		n += v
	}
	return n
}

func apiErr(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }

const (
	acct   = "111122223333"
	region = "ap-northeast-1"
	vpcID  = "vpc-tenant"
	keyArn = "arn:aws:kms:ap-northeast-1:111122223333:key/k-1"
	topic  = "arn:aws:sns:ap-northeast-1:111122223333:tk-acme-alerts"
	lbArn  = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/tk-acme/1"
	s3vpce = "vpce-s3"
	// archiveKey is the baseline's key, under which the archive and the
	// trail's log files outlive the tenant.
	archiveKey = "arn:aws:kms:ap-northeast-1:111122223333:key/baseline"
	deployer   = "arn:aws:iam::111122223333:role/ops/tenantkit-deployer"
	decoyID    = "vpc-decoy"
)

func tags(kv ...string) []ec2types.Tag {
	var out []ec2types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, ec2types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func tcp(port int32, cidrs []string, groups ...string) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
	for _, c := range cidrs {
		p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(c)})
	}
	for _, g := range groups {
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, ec2types.UserIdGroupPair{GroupId: aws.String(g)})
	}
	return p
}

// newWorld builds the compliant world of a tenant config and its inventory.
func newWorld(cfg *config.Tenant) (*world, *Inventory) {
	id := cfg.TenantID
	name := func(kind string) string { return expect.BucketName(id, kind, acct) }
	inv := &Inventory{Schema: InventorySchema, Tenant: id, Region: region, AccountID: acct, State: cfg.Lifecycle.State,
		VpcID: vpcID, VpcCidr: cfg.VpcCidr, SubnetIDs: []string{"subnet-a", "subnet-b"},
		SecurityGroups: map[string]string{"lb": "sg-lb", "app": "sg-app", "db": "sg-db", "endpoints": "sg-vpce"},
		S3EndpointID:   s3vpce, KeyArn: keyArn, FlowLogGroup: "/tenants/" + id + "/vpc-flow-logs",
		LoadBalancerArn: lbArn, LaunchTemplate: "lt-1", AutoScalingGroup: "tk-" + id + "-app", TopicArn: topic,
		Alarms: []string{"tk-" + id + "-cpu", "tk-" + id + "-memory", "tk-" + id + "-disk"}, FindingsRule: "tk-" + id + "-guardduty",
		Roles:         map[string]string{"logAdmin": "arn:aws:iam::111122223333:role/tenants/" + id + "/tk-" + id + "-log-admin", "logReader": "arn:aws:iam::111122223333:role/tenants/" + id + "/tk-" + id + "-log-reader"},
		ArchiveKeyArn: archiveKey, Deployers: []string{deployer},
	}
	inv.Buckets.Data = map[string]string{}
	for _, c := range cfg.DataClassifications {
		inv.Buckets.Data[c] = name(c)
		inv.Trail.Coverage = append(inv.Trail.Coverage, expect.BucketArn(name(c)))
	}
	inv.Buckets.ServiceLogs, inv.Buckets.LogArchive = name("service-logs"), name("log-archive")
	inv.Trail.Mode, inv.Trail.Arn = cfg.TrailMode, expect.TrailArn(region, acct, expect.SharedTrailName)
	inv.LogGroups = []string{inv.FlowLogGroup, "/tenants/" + id + "/app", expect.TrailViewGroup(id)}
	inv.Database.Enabled, inv.Database.Identifier = true, "tk-"+id

	stdTags := map[string]string{"Tenant": id, "ManagedBy": "tenantkit", "Environment": cfg.Environment}
	w := &world{ebsDefault: true, rotation: true, logging: true, buckets: map[string]*bucket{}, logTags: map[string]map[string]string{}}
	w.vpcs = []ec2types.Vpc{
		{VpcId: aws.String(vpcID), OwnerId: aws.String(acct), CidrBlock: aws.String(cfg.VpcCidr), DhcpOptionsId: aws.String("dopt-1"), Tags: tags("Tenant", id, "ManagedBy", "tenantkit", "Environment", cfg.Environment)},
		{VpcId: aws.String(decoyID), CidrBlock: aws.String("10.99.0.0/16"), Tags: tags("Tenant", "decoy")},
	}
	w.groups = []ec2types.SecurityGroup{
		{GroupId: aws.String("sg-lb"), VpcId: aws.String(vpcID), GroupName: aws.String("lb"), IpPermissions: []ec2types.IpPermission{tcp(443, cfg.IngressCidrs), tcp(80, cfg.IngressCidrs)}},
		{GroupId: aws.String("sg-app"), VpcId: aws.String(vpcID), GroupName: aws.String("app"), IpPermissions: []ec2types.IpPermission{tcp(int32(cfg.AppPort), nil, "sg-lb")}},
		{GroupId: aws.String("sg-db"), VpcId: aws.String(vpcID), GroupName: aws.String("db"), IpPermissions: []ec2types.IpPermission{tcp(int32(cfg.Database.Port), nil, "sg-app")}},
		{GroupId: aws.String("sg-vpce"), VpcId: aws.String(vpcID), GroupName: aws.String("endpoints"), IpPermissions: []ec2types.IpPermission{tcp(443, []string{cfg.VpcCidr})}},
		{GroupId: aws.String("sg-default"), VpcId: aws.String(vpcID), GroupName: aws.String("default")},
		// The decoy's default group, open: a check that trusts filters would see it.
		{GroupId: aws.String("sg-decoy"), VpcId: aws.String(decoyID), GroupName: aws.String("default"), IpPermissions: []ec2types.IpPermission{tcp(22, []string{"0.0.0.0/0"})}},
	}
	w.routes = []ec2types.RouteTable{
		{RouteTableId: aws.String("rtb-1"), VpcId: aws.String(vpcID), Routes: []ec2types.Route{{DestinationCidrBlock: aws.String(cfg.VpcCidr), GatewayId: aws.String("local")}, {DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String("igw-1")}}},
		{RouteTableId: aws.String("rtb-decoy"), VpcId: aws.String(decoyID), Routes: []ec2types.Route{{DestinationCidrBlock: aws.String("10.16.16.0/20"), VpcPeeringConnectionId: aws.String("pcx-1")}}},
	}
	w.subnets = []ec2types.Subnet{
		{SubnetId: aws.String("subnet-a"), VpcId: aws.String(vpcID), MapPublicIpOnLaunch: aws.Bool(false)},
		{SubnetId: aws.String("subnet-b"), VpcId: aws.String(vpcID), MapPublicIpOnLaunch: aws.Bool(false)},
		// The decoy's subnet maps public IPs: a check that trusts filters would fail on it.
		{SubnetId: aws.String("subnet-decoy"), VpcId: aws.String(decoyID), MapPublicIpOnLaunch: aws.Bool(true)},
	}
	w.flowLogs = []ec2types.FlowLog{{FlowLogId: aws.String("fl-1"), ResourceId: aws.String(vpcID), TrafficType: ec2types.TrafficTypeAll, FlowLogStatus: aws.String("ACTIVE"), LogGroupName: aws.String(inv.FlowLogGroup), DeliverLogsStatus: aws.String("SUCCESS")}}
	w.dhcp = []ec2types.DhcpOptions{{DhcpOptionsId: aws.String("dopt-1"), DhcpConfigurations: []ec2types.DhcpConfiguration{
		{Key: aws.String("ntp-servers"), Values: []ec2types.AttributeValue{{Value: aws.String("169.254.169.123")}}},
		{Key: aws.String("domain-name-servers"), Values: []ec2types.AttributeValue{{Value: aws.String("AmazonProvidedDNS")}}},
	}}}
	deny := func(n int32, port int32) ec2types.NetworkAclEntry {
		return ec2types.NetworkAclEntry{RuleNumber: aws.Int32(n), Protocol: aws.String("6"), RuleAction: ec2types.RuleActionDeny, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0"), PortRange: &ec2types.PortRange{From: aws.Int32(port), To: aws.Int32(port)}}
	}
	w.acls = []ec2types.NetworkAcl{{NetworkAclId: aws.String("acl-1"), VpcId: aws.String(vpcID), IsDefault: aws.Bool(false),
		Associations: []ec2types.NetworkAclAssociation{{SubnetId: aws.String("subnet-a")}, {SubnetId: aws.String("subnet-b")}},
		Entries: []ec2types.NetworkAclEntry{deny(10, 22), deny(11, 3389),
			{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: ec2types.RuleActionAllow, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0"), PortRange: &ec2types.PortRange{From: aws.Int32(1024), To: aws.Int32(65535)}}}}}
	for _, svc := range append([]string{"s3"}, config.RequiredInterfaceEndpoints...) {
		// lowercase, as DescribeVpcEndpoints answers
		w.endpoints = append(w.endpoints, ec2types.VpcEndpoint{VpcEndpointId: aws.String("vpce-" + svc), VpcId: aws.String(vpcID), ServiceName: aws.String("com.amazonaws.ap-northeast-1." + svc), State: "available"})
	}
	w.ltData = &ec2types.ResponseLaunchTemplateData{
		MetadataOptions:     &ec2types.LaunchTemplateInstanceMetadataOptions{HttpTokens: ec2types.LaunchTemplateHttpTokensStateRequired, HttpPutResponseHopLimit: aws.Int32(1)},
		NetworkInterfaces:   []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecification{{AssociatePublicIpAddress: aws.Bool(false)}},
		BlockDeviceMappings: []ec2types.LaunchTemplateBlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.LaunchTemplateEbsBlockDevice{Encrypted: aws.Bool(true), KmsKeyId: aws.String(keyArn)}}},
		IamInstanceProfile:  &ec2types.LaunchTemplateIamInstanceProfileSpecification{Arn: aws.String("arn:aws:iam::111122223333:instance-profile/tenants/acme/tk-acme-app")},
		UserData:            aws.String(base64.StdEncoding.EncodeToString([]byte(compute.UserData(inv.AutoScalingGroup, config.MetricNamespace(id), config.HostLogGroup(id))))),
	}

	admin := "arn:aws:iam::111122223333:role/tenants/" + id + "/tk-" + id + "-log-admin"
	for _, b := range inv.AllBuckets() {
		arn := expect.BucketArn(b)
		st := storage.TransitDenies(arn)
		sse := s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyArn)}
		role := "data"
		switch b {
		case inv.Buckets.ServiceLogs:
			role, sse = "service-logs", s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}
			st = append(st, logging.AccessLogStatements(arn, acct, "arn:aws:iam::582318560864:root", []string{expect.BucketArn(inv.Buckets.LogArchive)})...)
			st = append(st, storage.DenyDeletesExcept(arn, admin, deployer), storage.DenyConfigChangesExcept(arn, admin, deployer),
				access.DenyOtherTenants(acct, id, policydoc.List("s3:*"), policydoc.List(arn, arn+"/*")))
		case inv.Buckets.LogArchive:
			role = "log-archive"
			sse.KMSMasterKeyID = aws.String(archiveKey)
			st = append(st, storage.DenyDeletesExcept(arn, admin, "arn:aws:iam::111122223333:role/tenantkit-log-admin", deployer),
				storage.DenyConfigChangesExcept(arn, admin, "arn:aws:iam::111122223333:role/tenantkit-log-admin", deployer),
				access.DenyOtherTenants(acct, id, policydoc.List("s3:*"), policydoc.List(arn, arn+"/*")))
		default:
			st = append(st, storage.DataStatements(arn, keyArn, s3vpce, acct, id, []string{deployer}, nil)...)
		}
		label := expect.MixedClassification(cfg.DataClassifications)
		for c, name := range inv.Buckets.Data {
			if name == b {
				label = c
			}
		}
		bt := map[string]string{"Role": role, "DataClassification": label}
		for k, v := range stdTags {
			bt[k] = v
		}
		nb := &bucket{location: region, versioning: s3types.BucketVersioningStatusEnabled,
			sse:       &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &sse, BucketKeyEnabled: aws.Bool(role != "service-logs")}}},
			pab:       &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)},
			policy:    policydoc.Document{Statement: st}.JSON(),
			lifecycle: []s3types.LifecycleRule{{ID: aws.String("expire-noncurrent-versions"), Status: s3types.ExpirationStatusEnabled, NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(int32(expect.NoncurrentDays(cfg, role)))}}},
			tags:      bt}
		if role != "service-logs" {
			nb.logging = &s3types.LoggingEnabled{TargetBucket: aws.String(expect.AccessLogTarget(id, role, acct)), TargetPrefix: aws.String("s3/" + b + "/")}
		}
		if role == "service-logs" {
			nb.replication = &s3types.ReplicationConfiguration{Role: aws.String("arn:aws:iam::111122223333:role/acme-logs-copy-role"), Rules: []s3types.ReplicationRule{{
				ID: aws.String(expect.AccessLogCopyRule), Status: s3types.ReplicationRuleStatusEnabled, Priority: aws.Int32(1), Filter: &s3types.ReplicationRuleFilter{},
				DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatusDisabled},
				Destination:             &s3types.Destination{Bucket: aws.String(expect.BucketArn(inv.Buckets.LogArchive))}}}}
		}
		if role == "log-archive" {
			nb.lock = &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled, Rule: &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionMode(cfg.ObjectLockMode), Days: aws.Int32(int32(cfg.ObjectLockDays))}}}
		}
		w.buckets[b] = nb
	}
	w.key = kmstypes.KeyMetadata{KeyId: aws.String("k-1"), Arn: aws.String(keyArn), KeyState: kmstypes.KeyStateEnabled, AWSAccountId: aws.String(acct)}
	w.keys = map[string]kmstypes.KeyMetadata{
		"alias/tk-" + id: {KeyId: aws.String("k-1"), Arn: aws.String(keyArn)},
		"k-1":            {KeyId: aws.String("k-1"), Arn: aws.String(keyArn)},
		archiveKey:       {KeyId: aws.String("baseline"), Arn: aws.String(archiveKey)},
		"arn:aws:kms:ap-northeast-1:111122223333:key/other": {KeyId: aws.String("other"), Arn: aws.String("arn:aws:kms:ap-northeast-1:111122223333:key/other")},
	}
	w.keyTags = stdTags
	w.trail = cttypes.Trail{Name: aws.String(expect.SharedTrailName), TrailARN: aws.String(inv.Trail.Arn), HomeRegion: aws.String(region), LogFileValidationEnabled: aws.Bool(true),
		S3BucketName: aws.String(expect.TrailBucket(cfg.TrailMode, id, acct)), S3KeyPrefix: aws.String(expect.TrailPrefix),
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), KmsKeyId: aws.String(archiveKey), CloudWatchLogsLogGroupArn: aws.String("arn:aws:logs:ap-northeast-1:111122223333:log-group:/tenantkit/cloudtrail:*")}
	var sel []cttypes.AdvancedEventSelector
	var prefixes []string
	for _, c := range inv.Trail.Coverage {
		prefixes = append(prefixes, c+"/")
	}
	sel = append(sel, cttypes.AdvancedEventSelector{Name: aws.String("Management events"), FieldSelectors: []cttypes.AdvancedFieldSelector{{Field: aws.String("eventCategory"), Equals: []string{"Management"}}}},
		cttypes.AdvancedEventSelector{Name: aws.String("Tenant data buckets"), FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("eventCategory"), Equals: []string{"Data"}}, {Field: aws.String("resources.type"), Equals: []string{"AWS::S3::Object"}}, {Field: aws.String("resources.ARN"), StartsWith: prefixes}}})
	w.selectors = sel
	for _, g := range inv.LogGroups {
		arn := "arn:aws:logs:ap-northeast-1:111122223333:log-group:" + g
		w.logGroups = append(w.logGroups, logtypes.LogGroup{LogGroupName: aws.String(g), Arn: aws.String(arn + ":*"), KmsKeyId: aws.String(keyArn), RetentionInDays: retention(cfg.LogRetentionDays)})
		lt := map[string]string{"DataClassification": expect.MixedClassification(cfg.DataClassifications)}
		for k, v := range stdTags {
			lt[k] = v
		}
		w.logTags[arn] = lt
	}
	// A decoy group under the same prefix as another tenant's would share.
	w.logGroups = append(w.logGroups, logtypes.LogGroup{LogGroupName: aws.String(expect.TenantSessionLogGroup(id)), Arn: aws.String("arn:aws:logs:ap-northeast-1:111122223333:log-group:" + expect.TenantSessionLogGroup(id) + ":*"), KmsKeyId: aws.String(archiveKey)})
	w.logGroups = append(w.logGroups, logtypes.LogGroup{LogGroupName: aws.String("/tenants/other/app"), Arn: aws.String("arn:aws:logs:ap-northeast-1:111122223333:log-group:/tenants/other/app:*")})
	for _, a := range []struct {
		name, metric, ns string
		th               float64
	}{{inv.Alarms[0], "CPUUtilization", "AWS/EC2", cfg.Alarms.CPUPercent}, {inv.Alarms[1], "mem_used_percent", config.MetricNamespace(id), cfg.Alarms.MemoryPercent}, {inv.Alarms[2], "disk_used_percent", config.MetricNamespace(id), cfg.Alarms.DiskPercent}} {
		w.alarms = append(w.alarms, cwtypes.MetricAlarm{AlarmName: aws.String(a.name), MetricName: aws.String(a.metric), Namespace: aws.String(a.ns), Threshold: aws.Float64(a.th), AlarmActions: []string{topic}, ActionsEnabled: aws.Bool(true),
			Statistic: cwtypes.Statistic(expect.Alarm.Statistic), Period: aws.Int32(expect.Alarm.PeriodSeconds), EvaluationPeriods: aws.Int32(expect.Alarm.EvaluationPeriods),
			ComparisonOperator: cwtypes.ComparisonOperator(expect.Alarm.Operator), TreatMissingData: aws.String(expect.Alarm.TreatMissingData),
			Dimensions: []cwtypes.Dimension{{Name: aws.String("AutoScalingGroupName"), Value: aws.String(inv.AutoScalingGroup)}}})
	}
	w.listeners = []elbtypes.Listener{
		{LoadBalancerArn: aws.String(lbArn), Port: aws.Int32(443), Protocol: elbtypes.ProtocolEnumHttps, SslPolicy: aws.String(cfg.TLSPolicy), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward}}},
		{LoadBalancerArn: aws.String(lbArn), Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp, DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumRedirect, RedirectConfig: &elbtypes.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: elbtypes.RedirectActionStatusCodeEnumHttp301}}}},
	}
	w.lbAttrs = map[string]string{"access_logs.s3.enabled": "true", "access_logs.s3.bucket": inv.Buckets.ServiceLogs, "routing.http.drop_invalid_header_fields.enabled": "true"}
	w.rule = eventbridge.DescribeRuleOutput{Name: aws.String(inv.FindingsRule), State: ebtypes.RuleStateEnabled, EventPattern: aws.String(expect.FindingsPattern())}
	w.rules = map[string]eventbridge.DescribeRuleOutput{inv.FindingsRule: w.rule}
	for _, route := range awsdocs.Routes {
		name := awsdocs.RouteRuleName(id, route.Key)
		pattern, _ := awsdocs.RoutePattern(route.Key, id, inv.KeyArn, cfg.CertificateArn)
		w.rules[name] = eventbridge.DescribeRuleOutput{Name: aws.String(name), State: ebtypes.RuleStateEnabled, EventPattern: aws.String(pattern)}
	}
	w.targets = []ebtypes.Target{{Id: aws.String("alert-topic"), Arn: aws.String(topic)}}
	// The shared trail's copies into the tenant's group (WP-27/trail-view).
	w.ruleTargets = map[string][]ebtypes.Target{}
	var dataBuckets []string
	for _, b := range inv.Buckets.Data {
		dataBuckets = append(dataBuckets, b)
	}
	for _, c := range expect.TrailViewCopies(id, acct, dataBuckets) {
		name := c.Name
		w.rules[name] = eventbridge.DescribeRuleOutput{Name: aws.String(name), State: ebtypes.RuleState(expect.TrailViewState),
			EventPattern: aws.String(c.Pattern)}
		w.ruleTargets[name] = []ebtypes.Target{{Id: aws.String("trail-view"), Arn: aws.String("arn:aws:logs:ap-northeast-1:111122223333:log-group:" + expect.TrailViewGroup(id))}}
	}
	w.resourcePolicies = []logtypes.ResourcePolicy{{PolicyName: aws.String(expect.TrailViewPolicyName), PolicyDocument: aws.String(expect.TrailViewResourcePolicy(region, acct))}}
	w.topicKey = keyArn
	w.keyPolicy = storage.KeyPolicy(&storage.KeyArgs{TenantID: id, Region: region, AccountID: acct, Deployers: []string{deployer}}).JSON()
	w.users = map[string]int{}
	w.igws = []string{"igw-1"}
	w.rolePaths, w.inline, w.attached, w.managed = map[string]string{}, map[string]map[string]string{}, map[string][]string{}, map[string]string{}
	for _, role := range []string{"tk-" + id + "-log-admin", "tk-" + id + "-log-reader", "tk-" + id + "-app"} {
		w.rolePaths[role] = expect.RolePath(id)
		w.inline[role] = map[string]string{"tenant": policydoc.Document{Statement: []policydoc.Statement{
			{Effect: "Allow", Action: policydoc.List("logs:GetLogEvents", "logs:FilterLogEvents"), Resource: policydoc.List(fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/tenants/%s/*", region, acct, id))},
			{Effect: "Allow", Action: policydoc.List("ec2:DescribeInstances"), Resource: policydoc.List("*")}}}.JSON()}
	}
	// The instance role's policy as the program writes it.
	logGroup := func(g string) string { return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, acct, g) }
	w.inline["tk-"+id+"-app"] = map[string]string{"tenant": compute.InstancePolicy(&compute.Args{TenantID: id,
		LogGroupArn: logGroup("/tenants/" + id + "/app"), HostLogGroupArn: logGroup(config.HostLogGroup(id)), SessionLogGroupArn: logGroup(expect.TenantSessionLogGroup(id))}, keyArn).JSON()}
	w.attached["tk-"+id+"-app"] = slices.Clone(expect.InstanceManagedPolicies)
	w.subscriptions = []snstypes.Subscription{{SubscriptionArn: aws.String(topic + ":0b1c2d3e"), Protocol: aws.String("email"), Endpoint: aws.String("secops@example.co.jp")}}
	mfa := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	w.roles = map[string]string{"tk-" + id + "-log-admin": mfa, "tk-" + id + "-log-reader": mfa,
		"tk-" + id + "-app": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}
	w.password = &iamtypes.PasswordPolicy{MinimumPasswordLength: aws.Int32(16), RequireSymbols: true, RequireNumbers: true, RequireLowercaseCharacters: true, RequireUppercaseCharacters: true, AllowUsersToChangePassword: true}
	w.db = rdstypes.DBInstance{DBInstanceIdentifier: aws.String("tk-" + id), StorageEncrypted: aws.Bool(true), BackupRetentionPeriod: aws.Int32(int32(cfg.Database.BackupRetentionDays)), KmsKeyId: aws.String(keyArn), DBParameterGroups: []rdstypes.DBParameterGroupStatus{{DBParameterGroupName: aws.String("params-1")}},
		CopyTagsToSnapshot: aws.Bool(true), AutoMinorVersionUpgrade: aws.Bool(true),
		TagList: []rdstypes.Tag{{Key: aws.String("DataClassification"), Value: aws.String(expect.MixedClassification(cfg.DataClassifications))}}}
	w.dbParams = []rdstypes.Parameter{{ParameterName: aws.String("rds.force_ssl"), ParameterValue: aws.String("1")},
		{ParameterName: aws.String("timezone"), ParameterValue: aws.String(config.TimeZone)}}
	w.detector = &guardduty.GetDetectorOutput{Status: gdtypes.DetectorStatusEnabled, FindingPublishingFrequency: gdtypes.FindingPublishingFrequencyFifteenMinutes,
		Features: []gdtypes.DetectorFeatureConfigurationResult{{Name: gdtypes.DetectorFeatureResultEbsMalwareProtection, Status: gdtypes.FeatureStatusEnabled}, {Name: gdtypes.DetectorFeatureResultS3DataEvents, Status: gdtypes.FeatureStatusEnabled}}}
	w.inspector = insptypes.ResourceState{Ec2: &insptypes.State{Status: insptypes.StatusEnabled}, Ecr: &insptypes.State{Status: insptypes.StatusEnabled}}
	w.assocs = []ssmtypes.Association{{Name: aws.String("AWS-RunPatchBaseline"), AssociationName: aws.String(config.PatchAssociationName(id)), AssociationId: aws.String("a-1"), ScheduleExpression: aws.String(expect.Patch.Schedule), Targets: []ssmtypes.Target{{Key: aws.String("tag:aws:autoscaling:groupName"), Values: []string{inv.AutoScalingGroup}}}}}
	w.sessionPref = baseline.SessionPreferences(archiveKey, 20)
	w.sessionDocs = map[string]string{expect.SessionDocument(id): awsdocs.SessionPreferences("tenant", expect.TenantSessionLogGroup(id), keyArn, 20)}
	w.asgVersion = "3"
	w.instances = []string{"i-0a1", "i-0b2"}
	for i, id := range w.instances {
		w.volumes = append(w.volumes, ec2types.Volume{VolumeId: aws.String(fmt.Sprintf("vol-%d", i)), Encrypted: aws.Bool(true), KmsKeyId: aws.String(keyArn),
			Attachments: []ec2types.VolumeAttachment{{InstanceId: aws.String(id), Device: aws.String("/dev/xvda")}},
			Tags:        tags("Tenant", "acme", "ManagedBy", "tenantkit", "DataClassification", expect.MixedClassification(cfg.DataClassifications))})
		w.coverage = append(w.coverage, insptypes.CoveredResource{ResourceId: aws.String(id), ResourceType: insptypes.CoverageResourceTypeAwsEc2Instance,
			ScanStatus: &insptypes.ScanStatus{StatusCode: insptypes.ScanStatusCodeActive}, LastScannedAt: aws.Time(fakeNow.Add(-6 * time.Hour))})
	}
	w.streamLastEvent = fakeNow.Add(-10 * time.Minute)
	w.trailLastDelivery = fakeNow.Add(-10 * time.Minute)
	w.launched = fakeNow.Add(-48 * time.Hour)
	for _, id := range w.instances {
		w.hostStreams = append(w.hostStreams, id+"/messages", id+"/secure", id+"/ssm-agent")
	}
	for _, id := range w.instances {
		w.patchStates = append(w.patchStates, ssmtypes.InstancePatchState{InstanceId: aws.String(id), BaselineId: aws.String("pb-0"), Operation: ssmtypes.PatchOperationTypeInstall,
			InstalledCount: 212, OperationEndTime: aws.Time(time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)), OperationStartTime: aws.Time(time.Date(2026, 11, 24, 17, 50, 0, 0, time.UTC))})
	}
	w.sslPolicies = map[string][]string{}
	for _, p := range config.AllowedTLSPolicies {
		w.sslPolicies[p] = []string{"TLSv1.3", "TLSv1.2"}
	}
	w.sslPolicies["ELBSecurityPolicy-2016-08"] = []string{"TLSv1", "TLSv1.1", "TLSv1.2"}
	w.sslPolicies[extPolicy] = []string{"TLSv1.3", "TLSv1.2"}
	w.sslCiphers = map[string][]string{}
	for p := range w.sslPolicies {
		w.sslCiphers[p] = referenceCiphers
	}
	w.sslCiphers[extPolicy] = append(slices.Clone(referenceCiphers), ext1Ciphers...)
	w.sslCiphers["ELBSecurityPolicy-2016-08"] = append(slices.Clone(referenceCiphers), ext1Ciphers...)
	w.account = acct
	stdTagList := func() []taggingtypes.Tag {
		var out []taggingtypes.Tag
		for k, v := range stdTags {
			out = append(out, taggingtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		return out
	}
	t := &Target{Inv: inv, Cfg: cfg}
	for _, arn := range append(inventoryArns(t), "arn:aws:ec2:ap-northeast-1:111122223333:subnet/subnet-a") {
		w.tagged = append(w.tagged, taggingtypes.ResourceTagMapping{ResourceARN: aws.String(arn), Tags: stdTagList()})
	}
	return w, inv
}

func retention(d int) *int32 {
	if d == 0 {
		return nil
	}
	return aws.Int32(int32(d))
}

func (w *world) clients() *Clients {
	return &Clients{EC2: w, S3: (*s3fake)(w), KMS: (*kmsfake)(w), CloudTrail: (*ctfake)(w), Logs: (*logsfake)(w), CloudWatch: (*cwfake)(w),
		ELB: (*elbfake)(w), Events: (*ebfake)(w), SNS: (*snsfake)(w), IAM: (*iamfake)(w), RDS: (*rdsfake)(w), GuardDuty: (*gdfake)(w), Inspector: (*inspfake)(w), SSM: (*ssmfake)(w),
		AutoScaling: (*asgfake)(w), Tagging: (*tagfake)(w), STS: (*stsfake)(w)}
}

// EC2: filters are ignored, as an emulator might; the checks must cope.

func (w *world) DescribeInstances(_ context.Context, in *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	var ins []ec2types.Instance
	for _, id := range in.InstanceIds {
		if slices.Contains(w.instances, id) {
			ins = append(ins, ec2types.Instance{InstanceId: aws.String(id), LaunchTime: aws.Time(w.launched)})
		}
	}
	return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{Instances: ins}}}, w.call("DescribeInstances")
}
func (w *world) DescribeVpcs(_ context.Context, in *ec2.DescribeVpcsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	return &ec2.DescribeVpcsOutput{Vpcs: w.vpcs}, w.call("DescribeVpcs")
}
func (w *world) DescribeSecurityGroups(_ context.Context, in *ec2.DescribeSecurityGroupsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error) {
	return &ec2.DescribeSecurityGroupsOutput{SecurityGroups: w.groups}, w.call("DescribeSecurityGroups")
}
func (w *world) DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	return &ec2.DescribeSubnetsOutput{Subnets: w.subnets}, w.call("DescribeSubnets")
}

func (w *world) DescribeRouteTables(context.Context, *ec2.DescribeRouteTablesInput, ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	return &ec2.DescribeRouteTablesOutput{RouteTables: w.routes}, w.call("DescribeRouteTables")
}
func (w *world) DescribeFlowLogs(context.Context, *ec2.DescribeFlowLogsInput, ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error) {
	return &ec2.DescribeFlowLogsOutput{FlowLogs: w.flowLogs}, w.call("DescribeFlowLogs")
}
func (w *world) DescribeDhcpOptions(context.Context, *ec2.DescribeDhcpOptionsInput, ...func(*ec2.Options)) (*ec2.DescribeDhcpOptionsOutput, error) {
	return &ec2.DescribeDhcpOptionsOutput{DhcpOptions: w.dhcp}, w.call("DescribeDhcpOptions")
}
func (w *world) DescribeNetworkAcls(context.Context, *ec2.DescribeNetworkAclsInput, ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error) {
	return &ec2.DescribeNetworkAclsOutput{NetworkAcls: w.acls}, w.call("DescribeNetworkAcls")
}
func (w *world) DescribeVpcEndpoints(context.Context, *ec2.DescribeVpcEndpointsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	return &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: w.endpoints}, w.call("DescribeVpcEndpoints")
}
func (w *world) DescribeLaunchTemplateVersions(context.Context, *ec2.DescribeLaunchTemplateVersionsInput, ...func(*ec2.Options)) (*ec2.DescribeLaunchTemplateVersionsOutput, error) {
	return &ec2.DescribeLaunchTemplateVersionsOutput{LaunchTemplateVersions: []ec2types.LaunchTemplateVersion{{LaunchTemplateData: w.ltData}}}, w.call("DescribeLaunchTemplateVersions")
}
func (w *world) GetEbsEncryptionByDefault(context.Context, *ec2.GetEbsEncryptionByDefaultInput, ...func(*ec2.Options)) (*ec2.GetEbsEncryptionByDefaultOutput, error) {
	return &ec2.GetEbsEncryptionByDefaultOutput{EbsEncryptionByDefault: aws.Bool(w.ebsDefault)}, w.call("GetEbsEncryptionByDefault")
}

type s3fake world

func (f *s3fake) w() *world { return (*world)(f) }
func (f *s3fake) b(op string, name *string) (*bucket, error) {
	if err := f.w().call(op); err != nil {
		return nil, err
	}
	b, ok := f.buckets[aws.ToString(name)]
	if !ok {
		return nil, apiErr("NoSuchBucket")
	}
	return b, nil
}
func (f *s3fake) GetBucketLocation(_ context.Context, in *s3.GetBucketLocationInput, _ ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	b, err := f.b("GetBucketLocation", in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.GetBucketLocationOutput{LocationConstraint: s3types.BucketLocationConstraint(b.location)}, nil
}
func (f *s3fake) GetBucketEncryption(_ context.Context, in *s3.GetBucketEncryptionInput, _ ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error) {
	b, err := f.b("GetBucketEncryption", in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.sse == nil {
		return nil, apiErr("ServerSideEncryptionConfigurationNotFoundError")
	}
	return &s3.GetBucketEncryptionOutput{ServerSideEncryptionConfiguration: b.sse}, nil
}
func (f *s3fake) GetPublicAccessBlock(_ context.Context, in *s3.GetPublicAccessBlockInput, _ ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error) {
	b, err := f.b("GetPublicAccessBlock", in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.pab == nil {
		return nil, apiErr("NoSuchPublicAccessBlockConfiguration")
	}
	return &s3.GetPublicAccessBlockOutput{PublicAccessBlockConfiguration: b.pab}, nil
}
func (f *s3fake) GetBucketVersioning(_ context.Context, in *s3.GetBucketVersioningInput, _ ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error) {
	b, err := f.b("GetBucketVersioning", in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.GetBucketVersioningOutput{Status: b.versioning}, nil
}
func (f *s3fake) GetBucketPolicy(_ context.Context, in *s3.GetBucketPolicyInput, _ ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	b, err := f.b("GetBucketPolicy", in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.policy == "" {
		return nil, apiErr("NoSuchBucketPolicy")
	}
	return &s3.GetBucketPolicyOutput{Policy: aws.String(b.policy)}, nil
}
func (f *s3fake) GetBucketLogging(_ context.Context, in *s3.GetBucketLoggingInput, _ ...func(*s3.Options)) (*s3.GetBucketLoggingOutput, error) {
	b, err := f.b("GetBucketLogging", in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.GetBucketLoggingOutput{LoggingEnabled: b.logging}, nil
}
func (f *s3fake) GetBucketReplication(_ context.Context, in *s3.GetBucketReplicationInput, _ ...func(*s3.Options)) (*s3.GetBucketReplicationOutput, error) {
	b, err := f.b("GetBucketReplication", in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.replication == nil {
		return nil, apiErr("ReplicationConfigurationNotFoundError")
	}
	return &s3.GetBucketReplicationOutput{ReplicationConfiguration: b.replication}, nil
}
func (f *s3fake) GetBucketLifecycleConfiguration(_ context.Context, in *s3.GetBucketLifecycleConfigurationInput, _ ...func(*s3.Options)) (*s3.GetBucketLifecycleConfigurationOutput, error) {
	b, err := f.b("GetBucketLifecycleConfiguration", in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.lifecycle == nil {
		return nil, apiErr("NoSuchLifecycleConfiguration")
	}
	return &s3.GetBucketLifecycleConfigurationOutput{Rules: b.lifecycle}, nil
}
func (f *s3fake) GetObjectLockConfiguration(_ context.Context, in *s3.GetObjectLockConfigurationInput, _ ...func(*s3.Options)) (*s3.GetObjectLockConfigurationOutput, error) {
	b, err := f.b("GetObjectLockConfiguration", in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.lock == nil {
		return nil, apiErr("ObjectLockConfigurationNotFoundError")
	}
	return &s3.GetObjectLockConfigurationOutput{ObjectLockConfiguration: b.lock}, nil
}
func (f *s3fake) GetBucketTagging(_ context.Context, in *s3.GetBucketTaggingInput, _ ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error) {
	b, err := f.b("GetBucketTagging", in.Bucket)
	if err != nil {
		return nil, err
	}
	var ts []s3types.Tag
	for k, v := range b.tags {
		ts = append(ts, s3types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return &s3.GetBucketTaggingOutput{TagSet: ts}, nil
}

type kmsfake world

func (f *kmsfake) DescribeKey(_ context.Context, in *kms.DescribeKeyInput, _ ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	if err := (*world)(f).call("DescribeKey"); err != nil {
		return nil, err
	}
	id := aws.ToString(in.KeyId)
	if id == aws.ToString(f.key.Arn) {
		md := f.key
		if f.keyAnswerArn != "" {
			md.Arn = aws.String(f.keyAnswerArn)
		}
		return &kms.DescribeKeyOutput{KeyMetadata: &md}, nil
	}
	if md, ok := f.keys[id]; ok {
		return &kms.DescribeKeyOutput{KeyMetadata: &md}, nil
	}
	return nil, apiErr("NotFoundException")
}
func (f *kmsfake) GetKeyRotationStatus(context.Context, *kms.GetKeyRotationStatusInput, ...func(*kms.Options)) (*kms.GetKeyRotationStatusOutput, error) {
	period := aws.Int32(365)
	if f.noRotationPeriod {
		period = nil
	}
	return &kms.GetKeyRotationStatusOutput{KeyRotationEnabled: f.rotation, RotationPeriodInDays: period}, (*world)(f).call("GetKeyRotationStatus")
}

type asgfake world

func (f *asgfake) DescribeAutoScalingGroups(_ context.Context, in *autoscaling.DescribeAutoScalingGroupsInput, _ ...func(*autoscaling.Options)) (*autoscaling.DescribeAutoScalingGroupsOutput, error) {
	g := asgtypes.AutoScalingGroup{AutoScalingGroupName: aws.String(in.AutoScalingGroupNames[0]),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: aws.String("lt-1"), Version: aws.String(f.asgVersion)}}
	for _, id := range f.instances {
		g.Instances = append(g.Instances, asgtypes.Instance{InstanceId: aws.String(id)})
	}
	return &autoscaling.DescribeAutoScalingGroupsOutput{AutoScalingGroups: []asgtypes.AutoScalingGroup{g}}, (*world)(f).call("DescribeAutoScalingGroups")
}

type tagfake world

func (f *tagfake) GetResources(context.Context, *resourcegroupstaggingapi.GetResourcesInput, ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error) {
	return &resourcegroupstaggingapi.GetResourcesOutput{ResourceTagMappingList: f.tagged}, (*world)(f).call("GetResources")
}

type stsfake world

func (f *stsfake) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String(f.account)}, (*world)(f).call("GetCallerIdentity")
}
func (f *kmsfake) ListResourceTags(context.Context, *kms.ListResourceTagsInput, ...func(*kms.Options)) (*kms.ListResourceTagsOutput, error) {
	var ts []kmstypes.Tag
	for k, v := range f.keyTags {
		ts = append(ts, kmstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(v)})
	}
	return &kms.ListResourceTagsOutput{Tags: ts}, (*world)(f).call("ListResourceTags")
}

type ctfake world

func (f *ctfake) DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error) {
	return &cloudtrail.DescribeTrailsOutput{TrailList: []cttypes.Trail{f.trail}}, (*world)(f).call("DescribeTrails")
}
func (f *ctfake) GetTrailStatus(context.Context, *cloudtrail.GetTrailStatusInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error) {
	var deliveryErr *string
	if f.trailDeliveryError != "" {
		deliveryErr = aws.String(f.trailDeliveryError)
	}
	return &cloudtrail.GetTrailStatusOutput{IsLogging: aws.Bool(f.logging), LatestDeliveryError: deliveryErr, LatestDeliveryTime: aws.Time(f.trailLastDelivery),
		StartLoggingTime: aws.Time(fakeNow.Add(-30 * 24 * time.Hour))}, (*world)(f).call("GetTrailStatus")
}
func (f *ctfake) GetEventSelectors(context.Context, *cloudtrail.GetEventSelectorsInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error) {
	return &cloudtrail.GetEventSelectorsOutput{AdvancedEventSelectors: f.selectors}, (*world)(f).call("GetEventSelectors")
}

type logsfake world

func (f *logsfake) DescribeLogGroups(_ context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error) {
	var out []logtypes.LogGroup
	for _, g := range f.logGroups {
		if strings.HasPrefix(aws.ToString(g.LogGroupName), aws.ToString(in.LogGroupNamePrefix)) {
			out = append(out, g)
		}
	}
	return &cloudwatchlogs.DescribeLogGroupsOutput{LogGroups: out}, (*world)(f).call("DescribeLogGroups")
}
func (f *logsfake) DescribeLogStreams(_ context.Context, in *cloudwatchlogs.DescribeLogStreamsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogStreamsOutput, error) {
	var out []logtypes.LogStream
	for _, s := range f.hostStreams {
		if aws.ToString(in.LogGroupName) == config.HostLogGroup("acme") && strings.HasPrefix(s, aws.ToString(in.LogStreamNamePrefix)) {
			out = append(out, logtypes.LogStream{LogStreamName: aws.String(s), LastEventTimestamp: aws.Int64(f.streamLastEvent.UnixMilli())})
		}
	}
	return &cloudwatchlogs.DescribeLogStreamsOutput{LogStreams: out}, (*world)(f).call("DescribeLogStreams")
}
func (f *logsfake) DescribeResourcePolicies(context.Context, *cloudwatchlogs.DescribeResourcePoliciesInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeResourcePoliciesOutput, error) {
	return &cloudwatchlogs.DescribeResourcePoliciesOutput{ResourcePolicies: f.resourcePolicies}, (*world)(f).call("DescribeResourcePolicies")
}
func (f *logsfake) ListTagsForResource(_ context.Context, in *cloudwatchlogs.ListTagsForResourceInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.ListTagsForResourceOutput, error) {
	return &cloudwatchlogs.ListTagsForResourceOutput{Tags: f.logTags[aws.ToString(in.ResourceArn)]}, (*world)(f).call("ListTagsForResource")
}

type cwfake world

func (f *cwfake) DescribeAlarms(context.Context, *cloudwatch.DescribeAlarmsInput, ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	return &cloudwatch.DescribeAlarmsOutput{MetricAlarms: f.alarms}, (*world)(f).call("DescribeAlarms")
}

type elbfake world

func (f *elbfake) DescribeLoadBalancers(context.Context, *elbv2.DescribeLoadBalancersInput, ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error) {
	lb := elbtypes.LoadBalancer{LoadBalancerArn: aws.String(lbArn)}
	for _, s := range f.lbSubnets {
		lb.AvailabilityZones = append(lb.AvailabilityZones, elbtypes.AvailabilityZone{SubnetId: aws.String(s)})
	}
	return &elbv2.DescribeLoadBalancersOutput{LoadBalancers: []elbtypes.LoadBalancer{lb}}, (*world)(f).call("DescribeLoadBalancers")
}

func (f *elbfake) DescribeListeners(context.Context, *elbv2.DescribeListenersInput, ...func(*elbv2.Options)) (*elbv2.DescribeListenersOutput, error) {
	return &elbv2.DescribeListenersOutput{Listeners: f.listeners}, (*world)(f).call("DescribeListeners")
}
func (f *elbfake) DescribeSSLPolicies(_ context.Context, in *elbv2.DescribeSSLPoliciesInput, _ ...func(*elbv2.Options)) (*elbv2.DescribeSSLPoliciesOutput, error) {
	if err := (*world)(f).call("DescribeSSLPolicies"); err != nil {
		return nil, err
	}
	protos, ok := f.sslPolicies[in.Names[0]]
	if !ok {
		return nil, apiErr("SSLPolicyNotFound")
	}
	var ciphers []elbtypes.Cipher
	for i, c := range f.sslCiphers[in.Names[0]] {
		ciphers = append(ciphers, elbtypes.Cipher{Name: aws.String(c), Priority: aws.Int32(int32(i + 1))})
	}
	return &elbv2.DescribeSSLPoliciesOutput{SslPolicies: []elbtypes.SslPolicy{{Name: aws.String(in.Names[0]), SslProtocols: protos, Ciphers: ciphers}}}, nil
}
func (f *elbfake) DescribeLoadBalancerAttributes(context.Context, *elbv2.DescribeLoadBalancerAttributesInput, ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancerAttributesOutput, error) {
	var as []elbtypes.LoadBalancerAttribute
	for k, v := range f.lbAttrs {
		as = append(as, elbtypes.LoadBalancerAttribute{Key: aws.String(k), Value: aws.String(v)})
	}
	return &elbv2.DescribeLoadBalancerAttributesOutput{Attributes: as}, (*world)(f).call("DescribeLoadBalancerAttributes")
}

type ebfake world

func (f *ebfake) DescribeRule(_ context.Context, in *eventbridge.DescribeRuleInput, _ ...func(*eventbridge.Options)) (*eventbridge.DescribeRuleOutput, error) {
	if err := (*world)(f).call("DescribeRule"); err != nil {
		return nil, err
	}
	if aws.ToString(in.Name) == aws.ToString(f.rule.Name) {
		r := f.rule // the findings rule, as a test changed it
		return &r, nil
	}
	r, ok := f.rules[aws.ToString(in.Name)]
	if !ok {
		return nil, apiErr("ResourceNotFoundException")
	}
	return &r, nil
}
func (f *ebfake) ListTargetsByRule(_ context.Context, in *eventbridge.ListTargetsByRuleInput, _ ...func(*eventbridge.Options)) (*eventbridge.ListTargetsByRuleOutput, error) {
	if ts, ok := f.ruleTargets[aws.ToString(in.Rule)]; ok {
		return &eventbridge.ListTargetsByRuleOutput{Targets: ts}, (*world)(f).call("ListTargetsByRule")
	}
	return &eventbridge.ListTargetsByRuleOutput{Targets: f.targets}, (*world)(f).call("ListTargetsByRule")
}

type snsfake world

func (f *snsfake) ListSubscriptionsByTopic(context.Context, *sns.ListSubscriptionsByTopicInput, ...func(*sns.Options)) (*sns.ListSubscriptionsByTopicOutput, error) {
	return &sns.ListSubscriptionsByTopicOutput{Subscriptions: f.subscriptions}, (*world)(f).call("ListSubscriptionsByTopic")
}

func (f *snsfake) GetTopicAttributes(context.Context, *sns.GetTopicAttributesInput, ...func(*sns.Options)) (*sns.GetTopicAttributesOutput, error) {
	return &sns.GetTopicAttributesOutput{Attributes: map[string]string{"KmsMasterKeyId": f.topicKey}}, (*world)(f).call("GetTopicAttributes")
}

type iamfake world

func (f *iamfake) GetRole(_ context.Context, in *iam.GetRoleInput, _ ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	if err := (*world)(f).call("GetRole"); err != nil {
		return nil, err
	}
	trust, ok := f.roles[aws.ToString(in.RoleName)]
	if !ok {
		return nil, apiErr("NoSuchEntity")
	}
	// IAM returns trust policies URL-encoded.
	return &iam.GetRoleOutput{Role: &iamtypes.Role{RoleName: in.RoleName, AssumeRolePolicyDocument: aws.String(strings.NewReplacer(`"`, "%22", "{", "%7B", "}", "%7D", ":", "%3A").Replace(trust))}}, nil
}
func (f *iamfake) GetAccountPasswordPolicy(context.Context, *iam.GetAccountPasswordPolicyInput, ...func(*iam.Options)) (*iam.GetAccountPasswordPolicyOutput, error) {
	if err := (*world)(f).call("GetAccountPasswordPolicy"); err != nil {
		return nil, err
	}
	if f.password == nil {
		return nil, apiErr("NoSuchEntity")
	}
	return &iam.GetAccountPasswordPolicyOutput{PasswordPolicy: f.password}, nil
}

type rdsfake world

func (f *rdsfake) DescribeDBInstances(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	return &rds.DescribeDBInstancesOutput{DBInstances: []rdstypes.DBInstance{f.db}}, (*world)(f).call("DescribeDBInstances")
}
func (f *rdsfake) DescribeDBSnapshots(context.Context, *rds.DescribeDBSnapshotsInput, ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error) {
	return &rds.DescribeDBSnapshotsOutput{DBSnapshots: f.snapshots}, (*world)(f).call("DescribeDBSnapshots")
}

func (f *rdsfake) DescribeDBParameters(context.Context, *rds.DescribeDBParametersInput, ...func(*rds.Options)) (*rds.DescribeDBParametersOutput, error) {
	return &rds.DescribeDBParametersOutput{Parameters: f.dbParams}, (*world)(f).call("DescribeDBParameters")
}

type gdfake world

func (f *gdfake) ListDetectors(context.Context, *guardduty.ListDetectorsInput, ...func(*guardduty.Options)) (*guardduty.ListDetectorsOutput, error) {
	var ids []string
	if f.detector != nil {
		ids = []string{"det-1"}
	}
	return &guardduty.ListDetectorsOutput{DetectorIds: ids}, (*world)(f).call("ListDetectors")
}
func (f *gdfake) GetDetector(context.Context, *guardduty.GetDetectorInput, ...func(*guardduty.Options)) (*guardduty.GetDetectorOutput, error) {
	return f.detector, (*world)(f).call("GetDetector")
}

type inspfake world

func (f *inspfake) BatchGetAccountStatus(context.Context, *inspector2.BatchGetAccountStatusInput, ...func(*inspector2.Options)) (*inspector2.BatchGetAccountStatusOutput, error) {
	rs := f.inspector
	return &inspector2.BatchGetAccountStatusOutput{Accounts: []insptypes.AccountState{{AccountId: aws.String(acct), ResourceState: &rs}}}, (*world)(f).call("BatchGetAccountStatus")
}

func (f *inspfake) ListFindings(context.Context, *inspector2.ListFindingsInput, ...func(*inspector2.Options)) (*inspector2.ListFindingsOutput, error) {
	return &inspector2.ListFindingsOutput{Findings: f.findings}, (*world)(f).call("ListFindings")
}

type ssmfake world

func (f *ssmfake) DescribeInstancePatchStates(_ context.Context, in *ssm.DescribeInstancePatchStatesInput, _ ...func(*ssm.Options)) (*ssm.DescribeInstancePatchStatesOutput, error) {
	var out []ssmtypes.InstancePatchState
	for _, s := range f.patchStates {
		if slices.Contains(in.InstanceIds, aws.ToString(s.InstanceId)) {
			out = append(out, s)
		}
	}
	return &ssm.DescribeInstancePatchStatesOutput{InstancePatchStates: out}, (*world)(f).call("DescribeInstancePatchStates")
}

func (f *ssmfake) ListAssociations(context.Context, *ssm.ListAssociationsInput, ...func(*ssm.Options)) (*ssm.ListAssociationsOutput, error) {
	return &ssm.ListAssociationsOutput{Associations: f.assocs}, (*world)(f).call("ListAssociations")
}
func (f *ssmfake) GetDocument(_ context.Context, in *ssm.GetDocumentInput, _ ...func(*ssm.Options)) (*ssm.GetDocumentOutput, error) {
	if err := (*world)(f).call("GetDocument"); err != nil {
		return nil, err
	}
	content := f.sessionDocs[aws.ToString(in.Name)]
	if aws.ToString(in.Name) == "SSM-SessionManagerRunShell" {
		content = f.sessionPref
	}
	if content == "" {
		return nil, apiErr("InvalidDocument")
	}
	return &ssm.GetDocumentOutput{Content: aws.String(content)}, nil
}

// target is the world as one tenant to verify.
func (w *world) target(cfg *config.Tenant, inv *Inventory) *Target {
	return &Target{Inv: inv, Cfg: cfg, Clients: w.clients(), Baseline: config.BaselineDefaults(),
		OtherCidrs: map[string]netip.Prefix{"globex": netip.MustParsePrefix("10.16.16.0/20")},
		Now:        func() time.Time { return fakeNow }}
}

var _ = fmt.Sprint

// The ciphers of the reference policy and of the Ext1 additions, as the
// Elastic Load Balancing user guide lists them ("Security policies for
// your Application Load Balancer", describe-ssl-policies.html).
var (
	referenceCiphers = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
		"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
		"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384"}
	ext1Ciphers = []string{"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA"}
)

// extPolicy is a TLS 1.3/1.2 policy with ciphers beyond the reference's.
const extPolicy = "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09"

// fakeNow is the day the fake world is judged on (JST 2026-11-25 noon):
// the lifecycle dates of the tests are relative to it, not to the day the
// suite runs.
var fakeNow = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

func (w *world) DescribeVolumes(_ context.Context, in *ec2.DescribeVolumesInput, _ ...func(*ec2.Options)) (*ec2.DescribeVolumesOutput, error) {
	return &ec2.DescribeVolumesOutput{Volumes: w.volumes}, w.call("DescribeVolumes")
}
func (w *world) DescribeInternetGateways(context.Context, *ec2.DescribeInternetGatewaysInput, ...func(*ec2.Options)) (*ec2.DescribeInternetGatewaysOutput, error) {
	var out []ec2types.InternetGateway
	for _, id := range w.igws {
		out = append(out, ec2types.InternetGateway{InternetGatewayId: aws.String(id), Attachments: []ec2types.InternetGatewayAttachment{{VpcId: aws.String(vpcID)}}})
	}
	return &ec2.DescribeInternetGatewaysOutput{InternetGateways: out}, w.call("DescribeInternetGateways")
}
func (w *world) DescribeNatGateways(context.Context, *ec2.DescribeNatGatewaysInput, ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error) {
	var out []ec2types.NatGateway
	for _, id := range w.nats {
		out = append(out, ec2types.NatGateway{NatGatewayId: aws.String(id), VpcId: aws.String(vpcID)})
	}
	return &ec2.DescribeNatGatewaysOutput{NatGateways: out}, w.call("DescribeNatGateways")
}
func (f *kmsfake) GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error) {
	return &kms.GetKeyPolicyOutput{Policy: aws.String(f.keyPolicy), PolicyName: aws.String("default")}, (*world)(f).call("GetKeyPolicy")
}
func (f *iamfake) ListUsers(context.Context, *iam.ListUsersInput, ...func(*iam.Options)) (*iam.ListUsersOutput, error) {
	var out []iamtypes.User
	for _, n := range slices.Sorted(maps.Keys(f.users)) {
		out = append(out, iamtypes.User{UserName: aws.String(n)})
	}
	return &iam.ListUsersOutput{Users: out}, (*world)(f).call("ListUsers")
}
func (f *iamfake) ListAccessKeys(_ context.Context, in *iam.ListAccessKeysInput, _ ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error) {
	var out []iamtypes.AccessKeyMetadata
	for i := 0; i < f.users[aws.ToString(in.UserName)]; i++ {
		out = append(out, iamtypes.AccessKeyMetadata{UserName: in.UserName, AccessKeyId: aws.String(fmt.Sprintf("AKIA%d", i)), Status: iamtypes.StatusTypeActive})
	}
	return &iam.ListAccessKeysOutput{AccessKeyMetadata: out}, (*world)(f).call("ListAccessKeys")
}
func (f *iamfake) GetAccountSummary(context.Context, *iam.GetAccountSummaryInput, ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error) {
	return &iam.GetAccountSummaryOutput{SummaryMap: map[string]int32{"AccountAccessKeysPresent": f.rootKeys, "Users": int32(len(f.users))}}, (*world)(f).call("GetAccountSummary")
}
func (f *iamfake) ListRoles(_ context.Context, in *iam.ListRolesInput, _ ...func(*iam.Options)) (*iam.ListRolesOutput, error) {
	var out []iamtypes.Role
	for _, n := range slices.Sorted(maps.Keys(f.rolePaths)) {
		if strings.HasPrefix(f.rolePaths[n], aws.ToString(in.PathPrefix)) {
			out = append(out, iamtypes.Role{RoleName: aws.String(n), Path: aws.String(f.rolePaths[n])})
		}
	}
	return &iam.ListRolesOutput{Roles: out}, (*world)(f).call("ListRoles")
}
func (f *iamfake) ListRolePolicies(_ context.Context, in *iam.ListRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error) {
	return &iam.ListRolePoliciesOutput{PolicyNames: slices.Sorted(maps.Keys(f.inline[aws.ToString(in.RoleName)]))}, (*world)(f).call("ListRolePolicies")
}
func (f *iamfake) GetRolePolicy(_ context.Context, in *iam.GetRolePolicyInput, _ ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	doc, ok := f.inline[aws.ToString(in.RoleName)][aws.ToString(in.PolicyName)]
	if !ok {
		return nil, apiErr("NoSuchEntity")
	}
	return &iam.GetRolePolicyOutput{PolicyDocument: aws.String(url.QueryEscape(doc))}, (*world)(f).call("GetRolePolicy")
}
func (f *iamfake) ListAttachedRolePolicies(_ context.Context, in *iam.ListAttachedRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error) {
	var out []iamtypes.AttachedPolicy
	for _, a := range f.attached[aws.ToString(in.RoleName)] {
		out = append(out, iamtypes.AttachedPolicy{PolicyArn: aws.String(a)})
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: out}, (*world)(f).call("ListAttachedRolePolicies")
}
func (f *iamfake) GetPolicy(_ context.Context, in *iam.GetPolicyInput, _ ...func(*iam.Options)) (*iam.GetPolicyOutput, error) {
	return &iam.GetPolicyOutput{Policy: &iamtypes.Policy{Arn: in.PolicyArn, DefaultVersionId: aws.String("v1")}}, (*world)(f).call("GetPolicy")
}
func (f *iamfake) GetPolicyVersion(_ context.Context, in *iam.GetPolicyVersionInput, _ ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error) {
	doc, ok := f.managed[aws.ToString(in.PolicyArn)]
	if !ok {
		return nil, apiErr("NoSuchEntity")
	}
	return &iam.GetPolicyVersionOutput{PolicyVersion: &iamtypes.PolicyVersion{Document: aws.String(url.QueryEscape(doc)), VersionId: in.VersionId}}, (*world)(f).call("GetPolicyVersion")
}
func (f *inspfake) ListCoverage(context.Context, *inspector2.ListCoverageInput, ...func(*inspector2.Options)) (*inspector2.ListCoverageOutput, error) {
	return &inspector2.ListCoverageOutput{CoveredResources: f.coverage}, (*world)(f).call("ListCoverage")
}
