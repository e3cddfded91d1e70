package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/components/tenant"
	"github.com/tenantkit/tenantkit/internal/policy"
)

// withExtra runs the tenant program, then registers more resources on a
// provider tagged like the tenant's: what a careless change would add.
func withExtra(extra func(ctx *pulumi.Context, p *aws.Provider) error) func(**policy.Guard) pulumi.RunFunc {
	return func(g **policy.Guard) pulumi.RunFunc {
		inner := tenant.Guarded(g)
		return func(ctx *pulumi.Context) error {
			if err := inner(ctx); err != nil {
				return err
			}
			p, err := aws.NewProvider(ctx, "acme-extra-aws", &aws.ProviderArgs{
				Region: pulumi.String("ap-northeast-1"),
				DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{
					"Tenant": pulumi.String("acme"), "ManagedBy": pulumi.String("tenantkit"), "Environment": pulumi.String("production")}},
			})
			if err != nil {
				return err
			}
			return extra(ctx, p)
		}
	}
}

func creates(a *Account, name string) []Call {
	var out []Call
	for _, c := range a.Calls() {
		if c.Method == "Create" && c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// A per-resource violation (SSH open to a range) fails preview and up in
// the real engine, naming the control, and never reaches the provider's
// Create; everything compliant is still deployed by up.
func TestGuardRefusesBeforeCreate(t *testing.T) {
	a := withBaseline(t)
	ssh := withExtra(func(ctx *pulumi.Context, p *aws.Provider) error {
		_, err := vpc.NewSecurityGroupIngressRule(ctx, "acme-ssh", &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: pulumi.String("sg-0123456789abcdef0"), IpProtocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(22), ToPort: pulumi.Int(22), CidrIpv4: pulumi.String("203.0.113.0/24"),
		}, pulumi.Provider(p))
		return err
	})
	s := NewStack(t, a, RepoRoot(), "acme", ssh)
	for _, r := range []Result{s.Preview(), s.Up()} {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "WP-18") || !strings.Contains(r.Err.Error(), "acme-ssh") {
			t.Errorf("want the run to fail naming WP-18 and acme-ssh, got %v", r.Err)
		}
	}
	if c := creates(a, "acme-ssh"); len(c) != 0 {
		t.Errorf("the refused rule reached the provider: %+v", c)
	}
	if len(creates(a, "acme-net-vpc")) == 0 {
		t.Error("the compliant resources were not deployed")
	}
}

// A violation only the whole graph shows (a second VPC in a tenant) passes
// every per-resource hook but fails the run when the program finishes.
func TestWholeGraphRulesFailTheRun(t *testing.T) {
	a := withBaseline(t)
	second := withExtra(func(ctx *pulumi.Context, p *aws.Provider) error {
		_, err := ec2.NewVpc(ctx, "acme-second-vpc", &ec2.VpcArgs{
			CidrBlock: pulumi.String("10.16.0.0/20"), EnableDnsSupport: pulumi.Bool(true), EnableDnsHostnames: pulumi.Bool(true),
		}, pulumi.Provider(p))
		return err
	})
	s := NewStack(t, a, RepoRoot(), "acme", second)
	r := s.Preview()
	if r.Err == nil || !strings.Contains(r.Err.Error(), "WP-19") || !strings.Contains(r.Err.Error(), "2 VPCs") {
		t.Fatalf("want preview to fail with WP-19 (2 VPCs), got %v", r.Err)
	}
	if c := creates(a, "acme-second-vpc"); len(c) != 1 || !c[0].Preview {
		t.Errorf("preview creates: %+v", c)
	}
}

// A certificate the load balancer cannot use (the example stacks'
// placeholder, another account's) is refused by `up` before anything is
// created, naming the key; a preview (a dry run) lets it through.
func TestUpRefusesAnUnusableCertificate(t *testing.T) {
	for _, cert := range []string{
		"arn:aws:acm:ap-northeast-1:444455556666:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
	} {
		a := withBaseline(t)
		s := tenantStack(t, a, "acme")
		s.SetConfig("tenantkit:certificateArn", cert, false)
		if r := s.Preview(); r.Err != nil {
			t.Errorf("preview with %s: %v", cert, r.Err)
		}
		a.ResetCalls()
		r := s.Up()
		if r.Err == nil || !strings.Contains(r.Err.Error(), "certificateArn") {
			t.Errorf("up with %s: %v, want a refusal naming tenantkit:certificateArn", cert, r.Err)
		}
		for _, c := range a.Calls() {
			if c.Method == "Create" {
				t.Errorf("up with %s created %s %s before refusing", cert, c.Type, c.Name)
				break
			}
		}
	}
}

// A tenant whose stack would take the region past a quota is refused at
// its first resource that counts, before AWS is asked (#21 item 7: the
// 21st tenant's gateway endpoint failed halfway through its first up); a
// deployed tenant's update, which creates nothing that counts, goes on.
// The quota here is the VPCs per Region one, declared in the baseline
// stack: 4 fits the default VPC and three tenants, 3 does not.
func TestUpRefusesTheTenantPastAQuota(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"stacks", "baseline"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile := func(from, to string, extra string) {
		b, err := os.ReadFile(filepath.Join(RepoRoot(), from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), append(b, extra...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("Pulumi.yaml", "Pulumi.yaml", "")
	for _, n := range []string{"acme", "globex", "initech"} {
		copyFile("stacks/Pulumi."+n+".yaml", "stacks/Pulumi."+n+".yaml", "")
	}
	quota := func(vpcs int) {
		copyFile("baseline/Pulumi.tokyo.yaml", "baseline/Pulumi.tokyo.yaml", fmt.Sprintf("  tenantkit-baseline:quotas: '{\"VPCs per Region\": %d}'\n", vpcs))
	}
	a := withBaseline(t)
	quota(4)
	acme := NewStack(t, a, dir, "acme", tenant.Guarded)
	if r := acme.Up(); r.Err != nil {
		t.Fatalf("acme within the quota: %v", r.Err)
	}
	quota(3)
	if r := acme.Up(); r.Err != nil {
		t.Errorf("acme's update, which creates no VPC: %v", r.Err)
	}
	a.ResetCalls()
	globex := NewStack(t, a, dir, "globex", tenant.Guarded)
	for _, r := range []Result{globex.Preview(), globex.Up()} {
		if r.Err == nil || !strings.Contains(r.Err.Error(), `quota "VPCs per Region"`) || !strings.Contains(r.Err.Error(), "4 needed") {
			t.Errorf("globex past the quota: %v", r.Err)
		}
	}
	for _, c := range a.Calls() {
		if c.Method == "Create" && c.Type == "aws:ec2/vpc:Vpc" && !c.Preview {
			t.Errorf("globex's VPC reached the provider: %+v", c)
		}
	}
}
