package policy

import (
	"fmt"

	"github.com/tenantkit/tenantkit/internal/expect"
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

// tierIngress is one ingress rule of the program, with the tier of the
// group it belongs to ("" when the group is not one of the tiers, or not
// known before deploy).
type tierIngress struct {
	res     *graph.Resource
	tier    string
	ing     expect.Ingress
	unknown bool // the rule's group is computed at deploy time
}

// ingressOf reads the ingress rules one resource declares (a rule
// resource: SecurityGroupIngressRule, SecurityGroupRule of type ingress;
// or a group's inline rules) into the shape the live checks read
// (expect.Ingress), so both judge a rule alike; each with the tier of the
// group it belongs to.
func ingressOf(in *Input, r *graph.Resource) []tierIngress {
	groups := in.Graph.OfType(tSG)
	tierOf := func(v any) (string, bool) {
		// At deploy time (no mock ids) a group's id is not known before it
		// exists: a rule naming no group of the graph by name is UNKNOWN.
		_, unknown := v.(graph.Unknown)
		unknown = unknown || (!in.MockIDs && v != nil)
		for _, g := range groups {
			switch ref(in, v, g) {
			case refYes:
				t, _ := g.String("tags.Tier")
				return t, false
			case refUnknown:
				unknown = true
			}
		}
		return "", unknown
	}
	group := func(v any) string {
		if t, _ := tierOf(v); t != "" {
			return t
		}
		return "a group outside the tenant's"
	}
	switch {
	case isType(r, tIngress, tSGRule) && isIngress(r):
		proto, from, to := ports(r)
		ing := expect.Ingress{Protocol: proto, From: int32(from), To: int32(to), Cidrs: sgRuleCidrs(r)}
		for _, k := range []string{"referencedSecurityGroupId", "sourceSecurityGroupId"} {
			if v := r.Get(k); v != nil {
				ing.Groups = append(ing.Groups, group(v))
			}
		}
		if p, ok := r.String("prefixListId"); ok && p != "" {
			ing.PrefixLists = append(ing.PrefixLists, p)
		}
		ing.PrefixLists = append(ing.PrefixLists, strs(r.Get("prefixListIds"))...)
		tier, unknown := tierOf(r.Get("securityGroupId"))
		return []tierIngress{{res: r, tier: tier, ing: ing, unknown: unknown}}
	case isType(r, tSG, tDefaultSG):
		tier, _ := r.String("tags.Tier")
		if r.Type == tDefaultSG {
			tier = "default"
		}
		var out []tierIngress
		for _, x := range asList(r.Get("ingress")) {
			from, _ := x["fromPort"].(float64)
			to, _ := x["toPort"].(float64)
			proto, _ := x["protocol"].(string)
			ing := expect.Ingress{Protocol: proto, From: int32(from), To: int32(to),
				Cidrs: append(strs(x["cidrBlocks"]), strs(x["ipv6CidrBlocks"])...), PrefixLists: strs(x["prefixListIds"])}
			for _, v := range asSlice(x["securityGroups"]) {
				ing.Groups = append(ing.Groups, group(v))
			}
			out = append(out, tierIngress{res: r, tier: tier, ing: ing})
		}
		return out
	}
	return nil
}

// naclEntries are every ACL's entries, by the ACL they belong to.
func naclEntries(in *Input) map[string][]expect.NaclEntry {
	out := map[string][]expect.NaclEntry{}
	for _, r := range in.Graph.OfType(tNaclRule) {
		id := fmt.Sprint(r.Get("networkAclId"))
		n, _ := num(r, "ruleNumber")
		proto, from, to := ports(r)
		cidr, _ := r.String("cidrBlock")
		if cidr == "" {
			cidr, _ = r.String("ipv6CidrBlock")
		}
		out[id] = append(out[id], expect.NaclEntry{Number: int32(n), Egress: r.Get("egress") == true, Allow: r.Get("ruleAction") == "allow",
			Protocol: proto, From: int32(from), To: int32(to), Cidr: cidr})
	}
	return out
}
