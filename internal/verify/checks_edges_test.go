package verify

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
)

// Values a check must not ignore, each one broken alone.
func TestValuesChecksMustRead(t *testing.T) {
	cases := []struct {
		name, check string
		breakIt     func(w *world, cfg *config.Tenant, tg *Target)
		mention     string
	}{
		{"password minimum from the baseline", "WP-15/password-policy", func(_ *world, _ *config.Tenant, tg *Target) { tg.Baseline.PasswordMinLength = 20 }, "length 16"},
		{"password without uppercase", "WP-15/password-policy", func(w *world, _ *config.Tenant, _ *Target) { w.password.RequireUppercaseCharacters = false }, "uppercase false"},
		{"password without lowercase", "WP-15/password-policy", func(w *world, _ *config.Tenant, _ *Target) { w.password.RequireLowercaseCharacters = false }, "lowercase false"},
		{"password without numbers", "WP-15/password-policy", func(w *world, _ *config.Tenant, _ *Target) { w.password.RequireNumbers = false }, "numbers false"},
		{"password without symbols", "WP-15/password-policy", func(w *world, _ *config.Tenant, _ *Target) { w.password.RequireSymbols = false }, "symbols false"},
		{"password users cannot rotate", "WP-15/password-policy", func(w *world, _ *config.Tenant, _ *Target) { w.password.AllowUsersToChangePassword = false }, "users change own false"},
		{"rotation period not the configured one", "WP-21.1/key-rotation", func(_ *world, cfg *config.Tenant, _ *Target) { cfg.KeyRotationDays = 180 }, "365 days"},
		{"flow log to another group", "WP-27/flow-logs", func(w *world, _ *config.Tenant, _ *Target) { w.flowLogs[0].LogGroupName = aws.String("/elsewhere") }, "/elsewhere"},
		{"flow log delivery failing", "WP-27/flow-logs", func(w *world, _ *config.Tenant, _ *Target) {
			w.flowLogs[0].DeliverLogsStatus = aws.String("FAILED")
			w.flowLogs[0].DeliverLogsErrorMessage = aws.String("Access error")
		}, "FAILED"},
		{"trail delivery error", "WP-27/trail", func(w *world, _ *config.Tenant, _ *Target) { w.trailDeliveryError = "AccessDenied" }, "AccessDenied"},
		{"trail single-region", "WP-27/trail", func(w *world, _ *config.Tenant, _ *Target) { w.trail.IsMultiRegionTrail = aws.Bool(false) }, "multi-region false"},
		{"alarm on another group", "WP-24/alarms", func(w *world, _ *config.Tenant, _ *Target) {
			w.alarms[2].Dimensions = []cwtypes.Dimension{{Name: aws.String("AutoScalingGroupName"), Value: aws.String("tk-globex-app")}}
		}, "tk-globex-app"},
		{"no Session Manager preferences", "WP-18/session-logging", func(w *world, _ *config.Tenant, _ *Target) { w.sessionPref = "" }, "no Session Manager preferences"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, w, inv := acme(t)
			tg := w.target(cfg, inv)
			tc.breakIt(w, cfg, tg)
			var r CheckResult
			for _, c := range Checks() {
				if c.ID == tc.check {
					r = RunChecks(context.Background(), tg, []Check{c}, 1)[0]
				}
			}
			wantStatus(t, r, catalog.Fail, tc.mention)
		})
	}
	// No baseline stack for the region: the expectation is unknown, ERROR.
	cfg, w, inv := acme(t)
	tg := w.target(cfg, inv)
	tg.Baseline = nil
	for _, c := range Checks() {
		if c.ID == "WP-15/password-policy" {
			if r := RunChecks(context.Background(), tg, []Check{c}, 1)[0]; r.Status != catalog.Error {
				t.Errorf("password policy without a baseline: %s", r.Status)
			}
		}
	}
}

// A fleet reads each account-wide setting once, not once per tenant.
func TestFleetSharesAccountWideReads(t *testing.T) {
	cfg, w, inv := acme(t)
	shared := &Memo{}
	for i := 0; i < 3; i++ {
		tg := w.target(cfg, inv)
		tg.Shared = shared
		RunChecks(context.Background(), tg, Checks(), 4)
	}
	for _, op := range []string{"GetEbsEncryptionByDefault", "ListDetectors", "GetDetector", "BatchGetAccountStatus", "GetAccountPasswordPolicy"} {
		if n := w.calls[op]; n != 1 {
			t.Errorf("%s: %d calls for 3 tenants, want 1", op, n)
		}
	}
	// The default session preferences once, each tenant's document once.
	if n := w.calls["GetDocument"]; n != 1+3 {
		t.Errorf("GetDocument: %d calls for 3 tenants, want 4", n)
	}
	if w.calls["DescribeSecurityGroups"] != 3 {
		t.Errorf("per-tenant reads are per tenant: DescribeSecurityGroups %d, want 3", w.calls["DescribeSecurityGroups"])
	}
}

// Discovery: an unreadable answer is an error, not a guess; the S3
// endpoint is the gateway, whatever interface endpoint S3 also has.
func TestDiscover(t *testing.T) {
	cfg, w, _ := acme(t)
	w.endpoints = append([]ec2types.VpcEndpoint{{VpcEndpointId: aws.String("vpce-s3-interface"), VpcId: aws.String(vpcID), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws.ap-northeast-1.s3")}}, w.endpoints...)
	for i := range w.endpoints {
		if aws.ToString(w.endpoints[i].VpcEndpointId) == "vpce-s3" {
			w.endpoints[i].VpcEndpointType = ec2types.VpcEndpointTypeGateway
		}
	}
	f := &Finder{STS: (*stsfake)(w), EC2: (*finderWorld)(w), ELB: (*finderWorld)(w), KMS: (*kmsfake)(w)}
	w.keys[config.BaselineKeyAlias] = w.keys[archiveKey]
	inv, err := Discover(context.Background(), f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if inv.S3EndpointID != "vpce-s3" || inv.ArchiveKeyArn != archiveKey || inv.LoadBalancerArn != lbArn {
		t.Errorf("discovered %+v", inv)
	}
	w.errs = map[string]error{"DescribeVpcEndpoints": apiErr("UnauthorizedOperation")}
	if _, err := Discover(context.Background(), f, cfg); err == nil || !strings.Contains(err.Error(), "VPC endpoints") {
		t.Errorf("a failed endpoint read: %v", err)
	}
}

// finderWorld adds what discovery lists to the typed world.
type finderWorld world

func (f *finderWorld) DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, o ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	return (*world)(f).DescribeVpcs(ctx, in, o...)
}
func (f *finderWorld) DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, o ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error) {
	return (*world)(f).DescribeSecurityGroups(ctx, in, o...)
}
func (f *finderWorld) DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput, o ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	return (*world)(f).DescribeVpcEndpoints(ctx, in, o...)
}
func (f *finderWorld) DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	return &ec2.DescribeSubnetsOutput{Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-a"), VpcId: aws.String(vpcID)}}}, nil
}
func (f *finderWorld) DescribeLaunchTemplates(context.Context, *ec2.DescribeLaunchTemplatesInput, ...func(*ec2.Options)) (*ec2.DescribeLaunchTemplatesOutput, error) {
	return &ec2.DescribeLaunchTemplatesOutput{LaunchTemplates: []ec2types.LaunchTemplate{{LaunchTemplateId: aws.String("lt-1")}}}, nil
}
func (f *finderWorld) DescribeLoadBalancers(_ context.Context, in *elbv2.DescribeLoadBalancersInput, _ ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error) {
	return &elbv2.DescribeLoadBalancersOutput{LoadBalancers: []elbtypes.LoadBalancer{{LoadBalancerName: aws.String(in.Names[0]), LoadBalancerArn: aws.String(lbArn)}}}, nil
}

var (
	_ = kms.DescribeKeyInput{}
	_ = sts.GetCallerIdentityInput{}
)

// #34 item 5: on the ACL of the load balancer's subnets the ephemeral
// allow is the return path: no 3389 deny is needed there, and 22 is still
// judged.
func TestNaclReturnPathOfTheLoadBalancerTier(t *testing.T) {
	cfg, w, inv := acme(t)
	w.lbSubnets = []string{"subnet-a"}
	w.acls[0].Entries = slices.DeleteFunc(w.acls[0].Entries, func(e ec2types.NetworkAclEntry) bool { return aws.ToInt32(e.RuleNumber) == 11 })
	check := func() CheckResult {
		for _, c := range Checks() {
			if c.ID == "WP-20.2/nacls" {
				return RunChecks(context.Background(), w.target(cfg, inv), []Check{c}, 1)[0]
			}
		}
		t.Fatal("no WP-20.2/nacls")
		return CheckResult{}
	}
	if r := check(); r.Status != catalog.Pass {
		t.Errorf("the load balancer's tier without a 3389 deny: %s %+v", r.Status, r.Observations)
	}
	w.acls[0].Entries = append(w.acls[0].Entries, ec2types.NetworkAclEntry{RuleNumber: aws.Int32(5), Protocol: aws.String("6"), RuleAction: ec2types.RuleActionAllow,
		Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0"), PortRange: &ec2types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}})
	if r := check(); r.Status != catalog.Fail {
		t.Errorf("22 allowed on the load balancer's tier: %s", r.Status)
	}
	w.errs = map[string]error{"DescribeLoadBalancers": errors.New("throttled")}
	if r := check(); r.Status != catalog.Error {
		t.Errorf("the load balancer unreadable: %s", r.Status)
	}
}
