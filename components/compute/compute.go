// Package compute is the tenant's application tier: hardened instances in an
// auto scaling group (WP-20.4, WP-28, WP-30) behind an Application Load
// Balancer that speaks TLS 1.2+ only (WP-21.2) and logs every request
// (WP-27). A suspended tenant's listeners answer 503 (WP-10).
package compute

import (
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// Args configures the application tier.
type Args struct {
	TenantID  string
	Region    string
	AccountID string
	KeyArn    pulumi.StringOutput
	// Tags go onto the instances and volumes the group launches: provider
	// default tags do not reach them.
	Tags           map[string]string
	Classification string

	InstanceType string
	ImageID      string
	Min, Max     int
	Desired      int
	AppPort      int

	PublicSubnetIDs  pulumi.StringArrayInput
	PrivateSubnetIDs pulumi.StringArrayInput
	VpcID            pulumi.StringInput
	LBGroupID        pulumi.StringInput
	AppGroupID       pulumi.StringInput

	CertificateArn string
	TLSPolicy      string
	// HealthPath and HealthMatcher are what the target group asks each
	// instance on AppPort; ReplaceUnhealthy lets the auto scaling group
	// replace instances that fail it (health check type ELB).
	HealthPath       string
	HealthMatcher    string
	ReplaceUnhealthy bool
	// AccessLogBucket receives the ALB access logs under LogPrefix.
	AccessLogBucket string
	LogPrefix       string
	// DependsOn is what the load balancer waits for: the access-log
	// bucket (its policy must admit ELB first) and the internet
	// gateway's route (ELB refuses an internet-facing load balancer in a
	// VPC without an internet gateway: ELB API reference,
	// CreateLoadBalancer, InvalidSubnet).
	DependsOn []pulumi.Resource

	// RolePath is /tenants/<tenant>/; DataBucketArns and LogGroupArn are
	// what the instances may touch.
	RolePath       string
	DataBucketArns []string
	LogGroupArn    string
	// HostLogGroupArn is the tenant's host log group (WP-20.5).
	HostLogGroupArn string
	// SessionLogGroupArn is the tenant's Session Manager log group (WP-18).
	SessionLogGroupArn string

	Suspended bool
	// Deleting turns the load balancer's deletion protection off.
	Deleting bool
}

// App is the application tier.
type App struct {
	pulumi.ResourceState

	LaunchTemplate *ec2.LaunchTemplate
	Group          *autoscaling.Group
	LoadBalancer   *lb.LoadBalancer
	HTTPS          *lb.Listener
	HTTP           *lb.Listener
	// GroupName is the auto scaling group's name, the alarms' dimension.
	GroupName string
}

// LoadBalancerName fits AWS's 32 characters whatever the tenant id.
func LoadBalancerName(tenantID string) string { return config.LoadBalancerName(tenantID) }

// PatchAssociationName is the tenant's patch association.
func PatchAssociationName(tenantID string) string { return config.PatchAssociationName(tenantID) }

// TargetGroupPrefix starts every tenant target group's name; AWS completes
// it (at most 6 characters).
const TargetGroupPrefix = "tk-"

// HealthCheckType: ELB when unhealthy instances are to be replaced, EC2
// (instance status only) until the application serves its health path.
func HealthCheckType(replaceUnhealthy bool) string {
	if replaceUnhealthy {
		return "ELB"
	}
	return "EC2"
}

// New builds the tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*App, error) {
	if args == nil {
		return nil, fmt.Errorf("app %s: args are required", name)
	}
	a := &App{GroupName: expect.AutoScalingGroupName(args.TenantID)}
	if err := ctx.RegisterComponentResource("tenantkit:compute:App", name, a, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(a)
	profile, err := a.instanceProfile(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	volumeTags := pulumi.StringMap{"DataClassification": pulumi.String(args.Classification)}
	for k, v := range args.Tags {
		volumeTags[k] = pulumi.String(v)
	}
	a.LaunchTemplate, err = ec2.NewLaunchTemplate(ctx, name+"-lt", &ec2.LaunchTemplateArgs{
		Name:         pulumi.String(expect.AutoScalingGroupName(args.TenantID)),
		Description:  pulumi.String("Tenant " + args.TenantID + ": hardened app instances"),
		ImageId:      pulumi.String(args.ImageID),
		InstanceType: pulumi.String(args.InstanceType),
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String(expect.IMDS.HttpTokens),
			HttpPutResponseHopLimit: pulumi.Int(int(expect.IMDS.HopLimit)),
		},
		IamInstanceProfile: &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: profile.Arn},
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex:              pulumi.Int(0),
			AssociatePublicIpAddress: pulumi.String("false"),
			DeleteOnTermination:      pulumi.String("true"),
			SecurityGroups:           pulumi.StringArray{args.AppGroupID},
		}},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				Encrypted:           pulumi.String("true"),
				KmsKeyId:            args.KeyArn,
				VolumeType:          pulumi.String("gp3"),
				VolumeSize:          pulumi.Int(30),
				DeleteOnTermination: pulumi.String("true"),
			},
		}},
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: pulumi.ToStringMap(args.Tags)},
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: volumeTags},
		},
		Monitoring:           &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		UserData:             pulumi.String(base64.StdEncoding.EncodeToString([]byte(UserData(a.GroupName, config.MetricNamespace(args.TenantID), config.HostLogGroup(args.TenantID))))),
		UpdateDefaultVersion: pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, err
	}
	if err := a.loadBalancer(ctx, name, args, child); err != nil {
		return nil, err
	}
	// A name prefix, not a name: target group names hold 32 characters, too
	// few for the provider's auto-name of a long tenant id, and a prefix
	// lets a replacement be created before the old group is deleted.
	tg, err := lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		NamePrefix: pulumi.String(TargetGroupPrefix),
		Port:       pulumi.Int(args.AppPort),
		Protocol:   pulumi.String("HTTP"),
		VpcId:      args.VpcID,
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled: pulumi.Bool(true), Path: pulumi.String(args.HealthPath), Matcher: pulumi.String(args.HealthMatcher),
		},
		DeregistrationDelay: pulumi.Int(30),
	}, child)
	if err != nil {
		return nil, err
	}
	if err := a.listeners(ctx, name, args, tg, child); err != nil {
		return nil, err
	}
	var groupTags autoscaling.GroupTagArray
	for _, k := range sortedKeys(args.Tags) {
		// Already on the instances through the launch template.
		groupTags = append(groupTags, autoscaling.GroupTagArgs{Key: pulumi.String(k), Value: pulumi.String(args.Tags[k]), PropagateAtLaunch: pulumi.Bool(false)})
	}
	a.Group, err = autoscaling.NewGroup(ctx, name+"-asg", &autoscaling.GroupArgs{
		Name:                   pulumi.String(a.GroupName),
		VpcZoneIdentifiers:     args.PrivateSubnetIDs,
		MinSize:                pulumi.Int(args.Min),
		MaxSize:                pulumi.Int(args.Max),
		DesiredCapacity:        pulumi.Int(args.Desired),
		LaunchTemplate:         &autoscaling.GroupLaunchTemplateArgs{Id: a.LaunchTemplate.ID(), Version: a.LaunchTemplate.LatestVersion.ApplyT(func(v int) string { return fmt.Sprint(v) }).(pulumi.StringOutput)},
		TargetGroupArns:        pulumi.StringArray{tg.Arn},
		HealthCheckType:        pulumi.String(HealthCheckType(args.ReplaceUnhealthy)),
		HealthCheckGracePeriod: pulumi.Int(300),
		EnabledMetrics:         pulumi.ToStringArray([]string{"GroupInServiceInstances", "GroupDesiredCapacity"}),
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
		},
		Tags: groupTags,
	}, child)
	if err != nil {
		return nil, err
	}
	// Patch the tenant's instances weekly, Sunday 03:00 JST (cron is UTC),
	// and only then: without ApplyOnlyAtCronInterval SSM runs the association
	// (and its reboots) at creation and on every new instance.
	if _, err := ssm.NewAssociation(ctx, name+"-patch", &ssm.AssociationArgs{
		AssociationName:         pulumi.String(PatchAssociationName(args.TenantID)),
		ApplyOnlyAtCronInterval: pulumi.Bool(true),
		Name:                    pulumi.String(expect.Patch.Document),
		Parameters:              pulumi.StringMap{"Operation": pulumi.String(expect.Patch.Operation)},
		ScheduleExpression:      pulumi.String(expect.Patch.Schedule),
		ComplianceSeverity:      pulumi.String("HIGH"),
		MaxConcurrency:          pulumi.String("50%"),
		MaxErrors:               pulumi.String("0"),
		Targets: ssm.AssociationTargetArray{&ssm.AssociationTargetArgs{
			Key: pulumi.String("tag:aws:autoscaling:groupName"), Values: pulumi.ToStringArray([]string{a.GroupName}),
		}},
	}, child); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(a, pulumi.Map{"loadBalancerArn": a.LoadBalancer.Arn, "group": pulumi.String(a.GroupName)}); err != nil {
		return nil, err
	}
	return a, nil
}

// instanceProfile: SSM and the CloudWatch agent through AWS-managed
// policies, and the tenant's own buckets, log groups and key only.
func (a *App) instanceProfile(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*iam.InstanceProfile, error) {
	// EC2 sends no aws:SourceAccount when it assumes an instance role; the
	// documented trust names the service only (IAM user guide, "Use an IAM
	// role to grant permissions to applications running on Amazon EC2
	// instances", id_roles_use_switch-role-ec2.html). Only principals with
	// iam:PassRole on this role can attach it to an instance.
	trust := policydoc.Document{Statement: []policydoc.Statement{{
		Effect: "Allow", Principal: policydoc.Service("ec2.amazonaws.com"), Action: policydoc.List("sts:AssumeRole"),
	}}}
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(expect.InstanceRoleName(args.TenantID)),
		Path:             pulumi.String(args.RolePath),
		Description:      pulumi.String("Tenant " + args.TenantID + ": app instances"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, child)
	if err != nil {
		return nil, err
	}
	for i, p := range expect.InstanceManagedPolicies {
		if _, err := iam.NewRolePolicyAttachment(ctx, fmt.Sprintf("%s-role-managed-%d", name, i), &iam.RolePolicyAttachmentArgs{
			Role: role.Name, PolicyArn: pulumi.String(p),
		}, child); err != nil {
			return nil, err
		}
	}
	policy := args.KeyArn.ApplyT(func(key string) string { return InstancePolicy(args, key).JSON() }).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-role-tenant", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, child); err != nil {
		return nil, err
	}
	return iam.NewInstanceProfile(ctx, name+"-profile", &iam.InstanceProfileArgs{
		Name: pulumi.String(expect.InstanceRoleName(args.TenantID)), Path: pulumi.String(args.RolePath), Role: role.Name,
	}, child)
}

// InstancePolicy is the instances' access to the tenant's own resources.
func InstancePolicy(args *Args, keyArn string) policydoc.Document {
	var buckets, objects []string
	for _, b := range args.DataBucketArns {
		buckets, objects = append(buckets, b), append(objects, b+"/*")
	}
	return policydoc.Document{Statement: []policydoc.Statement{
		{Sid: "TenantDataBuckets", Effect: "Allow", Action: policydoc.List("s3:ListBucket"), Resource: policydoc.List(buckets...)},
		{Sid: "TenantDataObjects", Effect: "Allow", Action: policydoc.List("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), Resource: policydoc.List(objects...)},
		{Sid: "TenantKey", Effect: "Allow", Action: policydoc.List("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"), Resource: policydoc.List(keyArn)},
		{Sid: "TenantAppLogs", Effect: "Allow", Action: policydoc.List("logs:CreateLogStream", "logs:PutLogEvents"), Resource: policydoc.List(args.LogGroupArn, args.LogGroupArn+":*")},
		// The agent's host logs (WP-20.5): its own group only. It describes
		// the streams it writes to (CloudWatch user guide, "Create IAM
		// roles to use with the CloudWatch agent").
		{Sid: "TenantHostLogs", Effect: "Allow", Action: policydoc.List("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"), Resource: policydoc.List(args.HostLogGroupArn, args.HostLogGroupArn+":*")},
		// Session Manager (WP-18, expect.SessionGrants): the agent checks
		// the session group's encryption with DescribeLogGroups, which IAM
		// scopes to no resource (it lists names and settings, never
		// events), then streams the session into the tenant's own group.
		{Sid: "SessionLogEncryptionCheck", Effect: "Allow", Action: policydoc.List("logs:DescribeLogGroups"), Resource: policydoc.List("*")},
		{Sid: "TenantSessionLogs", Effect: "Allow", Action: policydoc.List("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"), Resource: policydoc.List(args.SessionLogGroupArn, args.SessionLogGroupArn+":*")},
		// The CloudWatch agent: metrics into the tenant's namespace only
		// (PutMetricData has no resource; cloudwatch:namespace scopes it:
		// CloudWatch user guide, "Using condition keys to limit access to
		// CloudWatch namespaces"), and the instance's tags for the auto
		// scaling group dimension (DescribeTags has no resource either).
		{Sid: "AgentMetrics", Effect: "Allow", Action: policydoc.List("cloudwatch:PutMetricData"), Resource: policydoc.List("*"),
			Condition: policydoc.Condition{"StringEquals": {"cloudwatch:namespace": policydoc.List(config.MetricNamespace(args.TenantID))}}},
		{Sid: "AgentTags", Effect: "Allow", Action: policydoc.List("ec2:DescribeTags"), Resource: policydoc.List("*")},
	}}
}

func (a *App) loadBalancer(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	var err error
	a.LoadBalancer, err = lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		Name:                     pulumi.String(LoadBalancerName(args.TenantID)),
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		Subnets:                  args.PublicSubnetIDs,
		SecurityGroups:           pulumi.StringArray{args.LBGroupID},
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableDeletionProtection: pulumi.Bool(!args.Deleting),
		DesyncMitigationMode:     pulumi.String("strictest"),
		AccessLogs: &lb.LoadBalancerAccessLogsArgs{
			Bucket: pulumi.String(args.AccessLogBucket), Prefix: pulumi.String(args.LogPrefix), Enabled: pulumi.Bool(true),
		},
	}, child, pulumi.DependsOn(args.DependsOn))
	return err
}

// listeners: HTTPS with the allowed TLS policy; HTTP only redirects. While
// suspended, both answer a fixed 503 (WP-10).
func (a *App) listeners(ctx *pulumi.Context, name string, args *Args, tg *lb.TargetGroup, child pulumi.ResourceOption) error {
	unavailable := &lb.ListenerDefaultActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
			ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("503"), MessageBody: pulumi.String("Service suspended"),
		},
	}
	https := &lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn}
	http := &lb.ListenerDefaultActionArgs{
		Type:     pulumi.String("redirect"),
		Redirect: &lb.ListenerDefaultActionRedirectArgs{Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"), StatusCode: pulumi.String("HTTP_301")},
	}
	if args.Suspended {
		https, http = unavailable, unavailable
	}
	var err error
	a.HTTPS, err = lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
		LoadBalancerArn: a.LoadBalancer.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(args.TLSPolicy),
		CertificateArn:  pulumi.String(args.CertificateArn),
		DefaultActions:  lb.ListenerDefaultActionArray{https},
	}, child)
	if err != nil {
		return err
	}
	a.HTTP, err = lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: a.LoadBalancer.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  lb.ListenerDefaultActionArray{http},
	}, child)
	return err
}
