package policy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
)

// A program that registers an SSH rule fails at registration with WP-18 in
// the error, and the rule after it is never registered.
func TestGuardStopsViolationUnderMocks(t *testing.T) {
	g := NewGuard(&config.Tenant{TenantID: "acme", Environment: "production", VpcCidr: "10.16.0.0/20"}, false)
	program := func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "acme-aws", &aws.ProviderArgs{Region: pulumi.String("ap-northeast-1"),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"Tenant": pulumi.String("acme"), "ManagedBy": pulumi.String("tenantkit"), "Environment": pulumi.String("production")}}})
		if err != nil {
			return err
		}
		if _, err := vpc.NewSecurityGroupIngressRule(ctx, "acme-ssh", &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: pulumi.String("sg-1"), IpProtocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(22), ToPort: pulumi.Int(22), CidrIpv4: pulumi.String("10.0.0.0/8"),
		}, pulumi.Provider(p)); err != nil {
			return err
		}
		_, err = vpc.NewSecurityGroupIngressRule(ctx, "acme-after", &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: pulumi.String("sg-1"), IpProtocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrIpv4: pulumi.String("10.0.0.0/8"),
		}, pulumi.Provider(p))
		return err
	}
	graph, err := mockengine.Run(program, mockengine.Options{Stack: "acme", Observer: g.Check})
	if err == nil || !strings.Contains(err.Error(), "WP-18") || !strings.Contains(err.Error(), "acme-ssh") {
		t.Fatalf("want the run to fail naming WP-18 and acme-ssh, got %v", err)
	}
	if graph.ByName("acme-ssh") != nil {
		t.Error("the violating rule was created")
	}
	if graph.ByName("acme-after") == nil {
		t.Error("the compliant rule was refused")
	}
}

// The engine adapter: the transform records the resource and binds the
// hook; the hook refuses a violating resource's resolved inputs.
func TestTransformAndHook(t *testing.T) {
	g := NewGuard(&config.Tenant{TenantID: "acme", Environment: "production", VpcCidr: "10.16.0.0/20"}, false)
	g.hook = &pulumi.ResourceHook{Name: "tenantkit-controls"}
	res := g.Transform(context.Background(), &pulumi.ResourceTransformArgs{
		Custom: true, Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-rdp",
		Props: pulumi.Map{"fromPort": pulumi.Int(3389), "toPort": pulumi.Int(3389), "ipProtocol": pulumi.String("tcp"), "cidrIpv4": pulumi.String("10.0.0.0/8")},
	})
	if res == nil || res.Opts.Hooks == nil || len(res.Opts.Hooks.BeforeCreate) != 1 || len(res.Opts.Hooks.BeforeUpdate) != 1 {
		t.Fatalf("hook not bound: %+v", res)
	}
	if r := g.input.Graph.ByName("acme-rdp"); r == nil || r.Inputs["fromPort"] != 3389.0 {
		t.Fatalf("transform did not record the resource: %+v", r)
	}
	err := g.beforeHook(&pulumi.ResourceHookArgs{
		Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-rdp",
		NewInputs: resource.NewPropertyMapFromMap(map[string]any{"fromPort": 3389, "toPort": 3389, "ipProtocol": "tcp", "cidrIpv4": "10.0.0.0/8"}),
	})
	if err == nil || !strings.Contains(err.Error(), "WP-18") {
		t.Fatalf("hook let RDP through: %v", err)
	}
	ok := g.beforeHook(&pulumi.ResourceHookArgs{
		Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-https",
		NewInputs: resource.NewPropertyMapFromMap(map[string]any{"fromPort": 443, "toPort": 443, "ipProtocol": "tcp", "cidrIpv4": "10.0.0.0/8", "securityGroupId": "sg-1"}),
	})
	if ok != nil {
		t.Fatalf("hook refused a compliant rule: %v", ok)
	}
	// Whole-graph rules run at the end; the recorded graph lacks a VPC.
	if _, err := g.Finish(); err == nil || !strings.Contains(err.Error(), "WP-19") {
		t.Fatalf("Finish: want mandatory failures naming WP-19, got %v", err)
	}
}

// The hook sees a provider's checked config, in which the Terraform bridge
// has JSON-encoded defaultTags (and every other non-string value). The
// tenant's own provider passes; a provider whose encoded tags are wrong,
// or whose region is outside Japan, is still refused.
func TestHookReadsBridgeEncodedProviderConfig(t *testing.T) {
	g := NewGuard(&config.Tenant{TenantID: "acme", Environment: "production", VpcCidr: "10.16.0.0/20"}, false)
	provider := func(tags, region string) *pulumi.ResourceHookArgs {
		return &pulumi.ResourceHookArgs{Type: "pulumi:providers:aws", Name: "acme-aws",
			NewInputs: resource.NewPropertyMapFromMap(map[string]any{
				"region": region, "defaultTags": tags, "skipMetadataApiCheck": "true", "version": "6.83.4",
			})}
	}
	good := `{"tags":{"Environment":"production","ManagedBy":"tenantkit","Tenant":"acme"}}`
	if err := g.beforeHook(provider(good, "ap-northeast-1")); err != nil {
		t.Fatalf("the tenant's own provider, bridge-encoded, was refused: %v", err)
	}
	other := `{"tags":{"Environment":"production","ManagedBy":"tenantkit","Tenant":"globex"}}`
	if err := g.beforeHook(provider(other, "ap-northeast-1")); err == nil || !strings.Contains(err.Error(), "WP-11") {
		t.Fatalf("a provider tagging another tenant passed: %v", err)
	}
	if err := g.beforeHook(provider(good, "us-east-1")); err == nil || !strings.Contains(err.Error(), "WP-07") {
		t.Fatalf("a provider outside Japan passed: %v", err)
	}
}

func TestUnfoldProviderInputs(t *testing.T) {
	in := map[string]any{
		"region":        "ap-northeast-1",
		"defaultTags":   `{"tags":{"Tenant":"acme"}}`,
		"allowedIds":    `["111122223333"]`,
		"maxRetries":    "5",
		"assumeRole":    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
		"broken":        "{not json",
		"skipValidater": "true",
	}
	out := UnfoldProviderInputs(in)
	if tags, _ := out["defaultTags"].(map[string]any)["tags"].(map[string]any); tags["Tenant"] != "acme" {
		t.Errorf("defaultTags not decoded: %#v", out["defaultTags"])
	}
	if ids, _ := out["allowedIds"].([]any); len(ids) != 1 {
		t.Errorf("list not decoded: %#v", out["allowedIds"])
	}
	if _, unk := out["assumeRole"].(graph.Unknown); !unk {
		t.Errorf("the unknown sentinel became a value: %#v", out["assumeRole"])
	}
	for _, k := range []string{"region", "maxRetries", "broken", "skipValidater"} {
		if out[k] != in[k] {
			t.Errorf("%s changed: %#v", k, out[k])
		}
	}
}

// Today is the day in Japan: 14:59:59 UTC is still the 26th there, 15:00
// UTC is the 27th (gremlins found the offset unpinned).
func TestDayInJST(t *testing.T) {
	for _, c := range []struct {
		utc  string
		want string
	}{{"2026-11-26T14:59:59Z", "2026-11-26"}, {"2026-11-26T15:00:00Z", "2026-11-27"}, {"2026-11-25T23:00:00Z", "2026-11-26"}, {"2026-12-31T15:00:00Z", "2027-01-01"}} {
		now, _ := time.Parse(time.RFC3339, c.utc)
		if got := dayInJST(now).Format("2006-01-02"); got != c.want {
			t.Errorf("%s: day in Japan %s, want %s", c.utc, got, c.want)
		}
	}
}

// The transform marks a resource given an explicit provider, and only
// such a resource (WP-07 reads the mark).
func TestTransformMarksTheExplicitProvider(t *testing.T) {
	g := NewGuard(&config.Tenant{TenantID: "acme"}, false)
	g.Transform(context.Background(), &pulumi.ResourceTransformArgs{Custom: true, Type: "aws:s3/bucketV2:BucketV2", Name: "with",
		Opts: pulumi.ResourceOptions{Provider: &pulumi.ProviderResourceState{}}})
	g.Transform(context.Background(), &pulumi.ResourceTransformArgs{Custom: true, Type: "aws:s3/bucketV2:BucketV2", Name: "without"})
	if r := g.input.Graph.ByName("with"); r == nil || r.Provider != explicitProvider {
		t.Errorf("explicit provider not marked: %+v", r)
	}
	if r := g.input.Graph.ByName("without"); r == nil || r.Provider != "" {
		t.Errorf("default provider marked explicit: %+v", r)
	}
}
