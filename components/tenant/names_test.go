package tenant_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/naming"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// unnamed are the types we create whose AWS resources carry no name we set
// or the provider makes up (ids only, fixed AWS names, singletons).
var unnamed = []string{
	"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable",
	"aws:ec2/route:Route", "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip",
	"aws:ec2/networkAcl:NetworkAcl", "aws:ec2/networkAclRule:NetworkAclRule", "aws:ec2/networkAclAssociation:NetworkAclAssociation",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/flowLog:FlowLog",
	"aws:ec2/vpcDhcpOptions:VpcDhcpOptions", "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation", "aws:kms/key:Key",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
	"aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketVersioningV2:BucketVersioningV2",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws:s3/bucketLoggingV2:BucketLoggingV2", "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
	"aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
	"aws:sns/topicSubscription:TopicSubscription", "aws:lb/listener:Listener", "aws:iam/serviceLinkedRole:ServiceLinkedRole",
	"aws:guardduty/detector:Detector", "aws:guardduty/detectorFeature:DetectorFeature", "aws:inspector2/enabler:Enabler",
	"aws:ebs/encryptionByDefault:EncryptionByDefault", "aws:ebs/defaultKmsKey:DefaultKmsKey",
	"aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
}

// The longest valid tenant ids (32 characters; one starting with a digit,
// one with "aws") build every physical name within AWS's limits: names the
// program gives, names AWS completes from a prefix, and names the provider
// makes up from the Pulumi name with its random suffix.
func TestPhysicalNamesFitAWSLimits(t *testing.T) {
	ids := []string{strings.Repeat("z", 32), "9" + strings.Repeat("a-", 15) + "b", "aws" + strings.Repeat("x", 29)}
	for _, id := range ids {
		if len(id) != 32 {
			t.Fatalf("test id %q is not 32 characters", id)
		}
		for _, stack := range testkit.ExampleTenants(t) {
			cfg := testkit.Load(t, stack)
			cfg.TenantID = id
			if err := cfg.Validate(); err != nil {
				t.Fatalf("%s is a valid tenant id: %v", id, err)
			}
			checkNames(t, id+"/"+stack, testkit.Run(t, cfg))
		}
	}
	checkNames(t, "baseline", testkit.RunBaseline(t))

	// An id AWS would refuse names of is refused as an id, before any
	// name is built from it (security groups may not start with sg-).
	for _, id := range []string{"sg-" + strings.Repeat("x", 29), "sg-web"} {
		cfg := testkit.Load(t, "acme")
		cfg.TenantID = id
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "sg-") {
			t.Errorf("tenant id %s accepted: its security groups' names would start with sg- (%v)", id, err)
		}
	}
}

func checkNames(t *testing.T, where string, g *graph.Graph) {
	t.Helper()
	for _, r := range g.All() {
		if !r.Custom || !strings.HasPrefix(r.Type, "aws:") {
			continue
		}
		rule, ok := naming.Rules[r.Type]
		if !ok {
			if !slices.Contains(unnamed, r.Type) {
				t.Errorf("%s: %s has no name rule in internal/naming: add AWS's limit for it", where, r.Type)
			}
			continue
		}
		var name string
		var err error
		given, _ := r.String(rule.Property)
		prefix, _ := r.String(rule.PrefixProperty)
		switch {
		case given != "":
			name = given
		case rule.PrefixProperty != "" && prefix != "":
			name, err = rule.PrefixedName(prefix)
		case rule.AutoMax > 0:
			name, err = rule.AutoName(r.Name)
		default:
			err = errorf("no name and not auto-named")
		}
		if err == nil {
			err = rule.Check(name)
		}
		if err != nil {
			t.Errorf("%s: %s %s: %v (%s)", where, r.Type, r.Name, err, rule.Source)
		}
	}
}

type errorf string

func (e errorf) Error() string { return string(e) }
