package policy

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
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

var allowedRegions = []string{config.RegionTokyo, config.RegionOsaka}

// WP-07: one allowed Japanese region, on an explicit provider, for all.
var _ = register(Rule{ID: "WP-07",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch {
		case r.Type == tProvider:
			region, ok := r.String("region")
			switch {
			case r.IsUnknown("region"):
				e.Unknown(label(r), "region", "ap-northeast-1")
			case !ok || !slices.Contains(allowedRegions, region):
				e.Fail(label(r), region, "ap-northeast-1 (or ap-northeast-3 for disaster recovery)")
			case region == config.RegionOsaka && in.Tenant != nil && !in.Tenant.DisasterRecovery:
				e.Fail(label(r), region, "ap-northeast-3 only with disasterRecovery: true")
			default:
				e.Applies()
			}
		case r.Type == tReplication:
			e.Fail(label(r), "an S3 replication rule", "no replication: data stays in the tenant's region")
		case strings.HasPrefix(r.Type, "aws:"):
			if r.Provider == "" {
				e.Fail(label(r), "the default provider", "the tenant's explicit provider")
			} else if _, set := r.Inputs["region"]; set {
				e.Fail(label(r), r.Inputs["region"], "no per-resource region override")
			}
		}
	},
})

// WP-11: the provider tags everything; nothing overrides a tag.
var _ = register(Rule{ID: "WP-11",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if in.Tenant == nil || !strings.HasPrefix(r.Type, "aws:") && r.Type != tProvider {
			return
		}
		want := map[string]string{"Tenant": in.Tenant.TenantID, "ManagedBy": "tenantkit", "Environment": in.Tenant.Environment}
		if r.Type == tProvider {
			for k, v := range want {
				if got, _ := r.String("defaultTags.tags." + k); got != v {
					e.Failf(label(r), fmt.Sprintf("default tag %s=%s", k, v), "default tag %s=%q", k, got)
					return
				}
			}
			e.Applies()
			return
		}
		own, _ := r.Get("tags").(map[string]any)
		for k, v := range want {
			if got, set := own[k]; set && got != v {
				e.Failf(label(r), fmt.Sprintf("tag %s=%s", k, v), "tag %s overridden to %v", k, got)
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Tenant != nil && len(in.Graph.OfType(tProvider)) == 0 {
			e.Fail("stack", "no AWS provider", "an explicit provider with default tags")
		}
	},
})

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

// WP-18: no SSH or RDP anywhere: no security-group rule opens them, and
// in every NACL the first entry matching 22 or 3389 denies it.
var _ = register(Rule{ID: "WP-18",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tIngress, tSGRule:
			if !isIngress(r) {
				return
			}
			proto, from, to := ports(r)
			for _, p := range []int{22, 3389} {
				if proto == "-1" || proto == "all" || (from <= p && p <= to) {
					e.Failf(label(r), "no ingress to 22 or 3389; shell access only through SSM Session Manager", "ingress %s %d-%d opens %d", proto, from, to, p)
					return
				}
			}
			e.Applies()
		case tSG, tDefaultSG:
			for _, in := range asList(r.Get("ingress")) {
				from, _ := in["fromPort"].(float64)
				to, _ := in["toPort"].(float64)
				if (from <= 22 && 22 <= to) || (from <= 3389 && 3389 <= to) {
					e.Failf(label(r), "no ingress to 22 or 3389", "inline ingress %v-%v", from, to)
				}
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		byACL := map[string][]*graph.Resource{}
		for _, r := range in.Graph.OfType(tNaclRule) {
			if r.Get("egress") != true {
				id := fmt.Sprint(r.Get("networkAclId"))
				byACL[id] = append(byACL[id], r)
			}
		}
		for _, acl := range slices.Sorted(maps.Keys(byACL)) {
			rules := byACL[acl]
			slices.SortFunc(rules, func(a, b *graph.Resource) int {
				x, _ := num(a, "ruleNumber")
				y, _ := num(b, "ruleNumber")
				return x - y
			})
			for _, port := range []int{22, 3389} {
				for _, r := range rules {
					proto, from, to := ports(r)
					if proto != "-1" && proto != "all" && (port < from || port > to) {
						continue
					}
					if r.Get("ruleAction") == "allow" {
						e.Failf(label(r), fmt.Sprintf("a deny for %d numbered before any allow", port), "first NACL entry for port %d allows it (%s %d-%d)", port, proto, from, to)
					} else {
						e.Applies()
					}
					break
				}
			}
		}
		if in.Baseline {
			sessionLogging(in, e)
		}
	},
})

// sessionLogging: the baseline's Session Manager preferences log every
// session to an encrypted log group (WP-18).
func sessionLogging(in *Input, e *Eval) {
	for _, d := range in.Graph.OfType(tSSMDocument) {
		if n, _ := d.String("name"); n != "SSM-SessionManagerRunShell" {
			continue
		}
		s, ok := d.String("content")
		if !ok {
			e.Unknown(label(d), "the preferences", "session logs to an encrypted log group")
			return
		}
		if group, enc, err := awsdocs.SessionLogging(s); err != nil || group == "" || !enc {
			e.Fail(label(d), s, "cloudWatchLogGroupName set and cloudWatchEncryptionEnabled true")
			return
		}
		e.Applies()
		return
	}
	e.Fail("baseline", "no Session Manager preferences", "SSM-SessionManagerRunShell logging sessions to an encrypted log group")
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

// WP-19: one VPC and one key; the default group emptied; no peering.
var _ = register(Rule{ID: "WP-19",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if strings.Contains(r.Type, "PeeringConnection") || strings.HasPrefix(r.Type, "aws:ec2transitgateway") {
			e.Fail(label(r), r.Type, "no peering or transit gateway: tenants share no network")
		}
		if r.Type == tDefaultSG {
			if len(asSlice(r.Get("ingress"))) > 0 || len(asSlice(r.Get("egress"))) > 0 {
				e.Fail(label(r), "rules on the default security group", "the default group emptied")
			} else {
				e.Applies()
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		vpcs, keys := in.Graph.OfType(tVpc), in.Graph.OfType(tKey)
		if len(vpcs) != 1 {
			e.Failf("stack", "exactly one VPC per tenant", "%d VPCs", len(vpcs))
		}
		if len(keys) != 1 {
			e.Failf("stack", "exactly one KMS key per tenant", "%d keys", len(keys))
		}
		if len(in.Graph.OfType(tDefaultSG)) != len(vpcs) {
			e.Failf("stack", "the default security group of every VPC adopted and emptied", "%d adopted for %d VPCs", len(in.Graph.OfType(tDefaultSG)), len(vpcs))
		}
	},
})

// WP-20.1: only the needed ports.
var _ = register(Rule{ID: "WP-20.1",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		if !isType(r, tIngress, tEgress, tSGRule) {
			return
		}
		proto, from, to := ports(r)
		if from != to && proto != "-1" {
			e.Failf(label(r), "a single port per rule", "port range %d-%d", from, to)
			return
		}
		if !isIngress(r) {
			e.Applies()
			return
		}
		for _, c := range sgRuleCidrs(r) {
			if (c == "0.0.0.0/0" || c == "::/0") && from != 443 && from != 80 {
				e.Failf(label(r), "internet ingress only to 443 (and 80 for the redirect) on the load balancer", "%s admits port %d", c, from)
				return
			}
		}
		e.Applies()
	},
	Whole: func(in *Input, e *Eval) {
		groups := in.Graph.OfType(tSG)
		tierOf := func(v any) string {
			for _, g := range groups {
				if ref(in, v, g) == refYes {
					t, _ := g.String("tags.Tier")
					return t
				}
			}
			return ""
		}
		for _, r := range in.Graph.OfType(tIngress) {
			tier := tierOf(r.Get("securityGroupId"))
			cidrs := sgRuleCidrs(r)
			switch tier {
			case "lb":
				if in.Tenant != nil {
					for _, c := range cidrs {
						if !slices.Contains(in.Tenant.IngressCidrs, c) {
							e.Failf(label(r), "only the stack's ingressCidrs", "load balancer admits %s", c)
						}
					}
				}
			case "app", "db":
				if len(cidrs) > 0 || r.Get("referencedSecurityGroupId") == nil {
					e.Failf(label(r), "tiers reference each other by group, not CIDR", "%s tier admits %v", tier, cidrs)
				}
			case "":
				if ref(in, r.Get("securityGroupId"), nil) == refUnknown {
					e.Unknown(label(r), "the rule's group", "a tenant tier group")
				}
			}
			for _, c := range cidrs {
				if (c == "0.0.0.0/0" || c == "::/0") && tier != "lb" && tier != "" {
					e.Failf(label(r), "internet ingress only on the load-balancer group", "%s group admits %s", tier, c)
				}
			}
		}
	},
})

// WP-20.2: no all-protocol ingress; a NACL on every subnet.
var _ = register(Rule{ID: "WP-20.2",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch {
		case isType(r, tIngress, tSGRule) && isIngress(r):
			if proto, _, _ := ports(r); proto == "-1" || proto == "all" {
				e.Fail(label(r), "protocol -1", "tcp or udp on named ports")
				return
			}
			e.Applies()
		case r.Type == tNaclRule && r.Get("egress") != true && r.Get("ruleAction") == "allow":
			if p, _ := r.String("protocol"); p == "-1" || p == "all" {
				e.Fail(label(r), "NACL allows all protocols", "tcp on the tier's ports; the implicit rule denies the rest")
				return
			}
			e.Applies()
		}
	},
	Whole: func(in *Input, e *Eval) {
		subnets := in.Graph.OfType(tSubnet)
		assocs := in.Graph.OfType(tNaclAssoc)
		for _, s := range subnets {
			found, unknown := false, false
			for _, a := range assocs {
				switch ref(in, a.Get("subnetId"), s) {
				case refYes:
					found = true
				case refUnknown:
					unknown = true
				}
			}
			switch {
			case found:
				e.Applies()
			case unknown:
				e.Unknown(label(s), "the subnet's NACL association", "a tier NACL")
			default:
				e.Fail(label(s), "no network ACL", "a tier NACL that denies by default")
			}
		}
	},
})

// WP-28: the VPC's DHCP options point NTP at the Time Sync Service.
var _ = register(Rule{ID: "WP-28",
	Whole: func(in *Input, e *Eval) {
		for _, vpc := range in.Graph.OfType(tVpc) {
			var opts *graph.Resource
			state := refNo
			for _, a := range in.Graph.OfType(tDhcpAssoc) {
				if ref(in, a.Get("vpcId"), vpc) != refNo {
					for _, o := range in.Graph.OfType(tDhcp) {
						if s := ref(in, a.Get("dhcpOptionsId"), o); s != refNo {
							opts, state = o, s
						}
					}
				}
			}
			switch {
			case opts == nil:
				e.Fail(label(vpc), "no DHCP options associated", "DHCP options with ntp-servers 169.254.169.123")
			case state == refUnknown:
				e.Unknown(label(vpc), "the DHCP association", "options with 169.254.169.123")
			case !slices.Contains(strs(opts.Get("ntpServers")), "169.254.169.123"):
				e.Fail(label(opts), strs(opts.Get("ntpServers")), "ntp-servers 169.254.169.123")
			case !slices.Contains(strs(opts.Get("domainNameServers")), "AmazonProvidedDNS"):
				e.Fail(label(opts), strs(opts.Get("domainNameServers")), "AmazonProvidedDNS kept")
			default:
				e.Applies()
			}
		}
		for _, lt := range in.Graph.OfType(tLaunchTemplate) {
			ud := userData(lt)
			if !strings.Contains(ud, "169.254.169.123") || !strings.Contains(ud, "Asia/Tokyo") {
				e.Fail(label(lt), "bootstrap without chrony on 169.254.169.123 and Asia/Tokyo", "chrony against the Time Sync Service; time zone Asia/Tokyo")
			} else {
				e.Applies()
			}
		}
	},
})

// WP-31: the tenant range is unique and outside reserved ranges; no routes
// to other networks; endpoints for the private tiers.
var _ = register(Rule{ID: "WP-31",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		vpcCidr, err := netip.ParsePrefix(in.Tenant.VpcCidr)
		if err != nil {
			e.Fail("vpcCidr", in.Tenant.VpcCidr, "a valid VPC range")
			return
		}
		for _, r := range in.Tenant.AllReserved() {
			if p, err := netip.ParsePrefix(r); err == nil && p.Overlaps(vpcCidr) {
				e.Failf("vpcCidr", "outside the operator's reserved ranges", "%s overlaps reserved %s", vpcCidr, r)
			}
		}
		for name, other := range in.OtherStacks {
			if name != in.Tenant.TenantID && other.Overlaps(vpcCidr) {
				e.Failf("vpcCidr", "unique across tenant stacks", "%s overlaps stack %s (%s)", vpcCidr, name, other)
			}
		}
		for _, v := range in.Graph.OfType(tVpc) {
			if c, _ := v.String("cidrBlock"); c != in.Tenant.VpcCidr {
				e.Failf(label(v), in.Tenant.VpcCidr, "VPC range %s", c)
			} else {
				e.Applies()
			}
		}
		for _, r := range in.Graph.OfType(tRoute) {
			d, _ := r.String("destinationCidrBlock")
			if d != "0.0.0.0/0" {
				e.Failf(label(r), "no route to another network", "route to %s", d)
			}
			for _, k := range []string{"vpcPeeringConnectionId", "transitGatewayId"} {
				if _, set := r.Inputs[k]; set {
					e.Failf(label(r), "no route to another tenant", "route through %s", k)
				}
			}
		}
		have := map[string]bool{}
		for _, ep := range in.Graph.OfType(tEndpoint) {
			svc, _ := ep.String("serviceName")
			have[svc[strings.LastIndex(svc, ".")+1:]] = true
		}
		for _, svc := range append([]string{"s3"}, config.RequiredInterfaceEndpoints...) {
			if !have[svc] {
				e.Failf("stack", "a VPC endpoint for "+svc, "no %s endpoint", svc)
			}
		}
	},
})
