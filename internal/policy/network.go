package policy

import (
	"github.com/tenantkit/tenantkit/internal/graph"
)

const (
	tProvider    = "pulumi:providers:aws"
	tVpc         = "aws:ec2/vpc:Vpc"
	tSubnet      = "aws:ec2/subnet:Subnet"
	tSG          = "aws:ec2/securityGroup:SecurityGroup"
	tDefaultSG   = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tIngress     = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgress      = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	tSGRule      = "aws:ec2/securityGroupRule:SecurityGroupRule"
	tNacl        = "aws:ec2/networkAcl:NetworkAcl"
	tNaclRule    = "aws:ec2/networkAclRule:NetworkAclRule"
	tNaclAssoc   = "aws:ec2/networkAclAssociation:NetworkAclAssociation"
	tRoute       = "aws:ec2/route:Route"
	tRouteTable  = "aws:ec2/routeTable:RouteTable"
	tDhcp        = "aws:ec2/vpcDhcpOptions:VpcDhcpOptions"
	tDhcpAssoc   = "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation"
	tEndpoint    = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tFlowLog     = "aws:ec2/flowLog:FlowLog"
	tKey         = "aws:kms/key:Key"
	tReplication = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
)

// ports returns an SG rule's protocol and port range.
func ports(r *graph.Resource) (proto string, from, to int) {
	proto, _ = r.String("ipProtocol")
	if proto == "" {
		proto, _ = r.String("protocol")
	}
	from, _ = num(r, "fromPort")
	to, _ = num(r, "toPort")
	return
}

func isIngress(r *graph.Resource) bool {
	if r.Type == tSGRule {
		t, _ := r.String("type")
		return t == "ingress"
	}
	return r.Type == tIngress
}

func sgRuleCidrs(r *graph.Resource) []string {
	var out []string
	for _, k := range []string{"cidrIpv4", "cidrIpv6"} {
		if s, ok := r.String(k); ok && s != "" {
			out = append(out, s)
		}
	}
	return append(out, strs(r.Get("cidrBlocks"))...)
}

// flagOn reads a nested flag that the provider's schema types as a string
// ("true", in launch templates) and that may arrive as a bool.
func flagOn(v any) bool { return v == true || v == "true" }

func asList(v any) []map[string]any {
	var out []map[string]any
	for _, x := range asSlice(v) {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }
