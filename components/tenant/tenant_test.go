package tenant_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// Each test runs every example stack through the program under mocks and
// asserts a control's plan column across all resources of the types it
// concerns.

func forEachStack(t *testing.T, check func(t *testing.T, cfg *config.Tenant, g *graph.Graph)) {
	for _, name := range testkit.ExampleTenants(t) {
		t.Run(name, func(t *testing.T) {
			cfg := testkit.Load(t, name)
			check(t, cfg, testkit.Run(t, cfg))
		})
	}
}

func requireSome(t *testing.T, g *graph.Graph, typ string) []*graph.Resource {
	t.Helper()
	rs := g.OfType(typ)
	if len(rs) == 0 {
		t.Fatalf("no %s registered", typ)
	}
	return rs
}

func str(r *graph.Resource, path string) string {
	s, _ := r.String(path)
	return s
}

func num(r *graph.Resource, path string) int {
	f, _ := r.Get(path).(float64)
	return int(f)
}

// WP-07: one explicit provider in an allowed region; every AWS resource uses it.
func TestDataResidency(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		providers := requireSome(t, g, "pulumi:providers:aws")
		if len(providers) != 1 {
			t.Fatalf("want one AWS provider, got %d", len(providers))
		}
		p := providers[0]
		if got := str(p, "region"); got != config.RegionTokyo && !(got == config.RegionOsaka && cfg.DisasterRecovery) {
			t.Errorf("provider region %q is not allowed", got)
		}
		for _, r := range g.All() {
			if strings.HasPrefix(r.Type, "aws:") && r.Provider != p.Name {
				t.Errorf("%s %s uses provider %q, want the tenant provider %s", r.Type, r.Name, r.Provider, p.Name)
			}
			if _, ok := r.Inputs["region"]; ok && strings.HasPrefix(r.Type, "aws:") {
				t.Errorf("%s %s overrides the region", r.Type, r.Name)
			}
		}
	})
}

// WP-11: the provider tags everything with the stack's values, and no
// resource overrides them.
func TestInventoryTags(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		p := requireSome(t, g, "pulumi:providers:aws")[0]
		want := map[string]string{"Tenant": cfg.TenantID, "ManagedBy": "tenantkit", "Environment": cfg.Environment}
		for k, v := range want {
			if got := str(p, "defaultTags.tags."+k); got != v {
				t.Errorf("provider default tag %s = %q, want %q", k, got, v)
			}
		}
		for _, r := range g.All() {
			tags, _ := r.Get("tags").(map[string]any)
			for k := range want {
				if v, ok := tags[k]; ok && v != want[k] {
					t.Errorf("%s %s overrides tag %s with %v", r.Type, r.Name, k, v)
				}
			}
		}
	})
}

// WP-18 and WP-20.1/20.2: the tier matrix, and nothing else.
func TestSecurityGroupRules(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		groups := map[string]string{} // resource name → tier
		for _, sg := range requireSome(t, g, "aws:ec2/securityGroup:SecurityGroup") {
			if _, inline := sg.Inputs["ingress"]; inline {
				t.Errorf("%s has inline ingress rules; rules must be separate resources", sg.Name)
			}
			if _, inline := sg.Inputs["egress"]; inline {
				t.Errorf("%s has inline egress rules", sg.Name)
			}
			groups[sg.Name+"-"+fmt.Sprint(len(groups))] = str(sg, "tags.Tier")
		}
		if tiers := slices.Sorted(mapsValues(groups)); !slices.Equal(tiers, []string{"app", "db", "endpoints", "lb"}) {
			t.Errorf("want one group per tier lb, app, db, endpoints; got %v", tiers)
		}
		ingress := requireSome(t, g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
		egress := requireSome(t, g, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
		for _, r := range append(slices.Clone(ingress), egress...) {
			from, to := num(r, "fromPort"), num(r, "toPort")
			if str(r, "ipProtocol") != "tcp" {
				t.Errorf("%s: protocol %q, want tcp (never -1)", r.Name, str(r, "ipProtocol"))
			}
			if from != to {
				t.Errorf("%s: port range %d-%d; open single ports", r.Name, from, to)
			}
			if from == 22 || from == 3389 {
				t.Errorf("%s opens %d (WP-18)", r.Name, from)
			}
		}
		var lbPorts []int
		for _, r := range ingress {
			cidr := str(r, "cidrIpv4")
			switch {
			case strings.Contains(r.Name, "-rule-lb-in-"):
				if !slices.Contains(cfg.IngressCidrs, cidr) {
					t.Errorf("%s admits %q, not an allowed CIDR", r.Name, cidr)
				}
				lbPorts = append(lbPorts, num(r, "fromPort"))
			case strings.Contains(r.Name, "-rule-app-in-"), strings.Contains(r.Name, "-rule-db-in-"):
				if cidr != "" || str(r, "referencedSecurityGroupId") == "" {
					t.Errorf("%s: tiers must reference each other by group, got cidr %q", r.Name, cidr)
				}
			case strings.Contains(r.Name, "-rule-endpoints-in-"):
				if cidr != cfg.VpcCidr || num(r, "fromPort") != 443 {
					t.Errorf("%s: endpoints admit 443 from the VPC only, got %s:%d", r.Name, cidr, num(r, "fromPort"))
				}
			default:
				t.Errorf("unexpected ingress rule %s", r.Name)
			}
			if (cidr == "0.0.0.0/0") && !cfg.AllowInternetIngress {
				t.Errorf("%s admits the internet without the opt-in", r.Name)
			}
		}
		for _, p := range lbPorts {
			if p != 443 && p != 80 {
				t.Errorf("load balancer admits port %d; only 443 and 80", p)
			}
		}
		if len(lbPorts) != 2*len(cfg.IngressCidrs) {
			t.Errorf("load balancer: %d rules, want 443 and 80 for each of %d CIDRs", len(lbPorts), len(cfg.IngressCidrs))
		}
	})
}

func mapsValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// WP-20.2: every subnet has a tier NACL; rules only allow, tcp, and the
// implicit deny does the rest.
func TestNetworkACLs(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		acls := requireSome(t, g, "aws:ec2/networkAcl:NetworkAcl")
		if len(acls) != len(config.Tiers) {
			t.Errorf("want one NACL per tier, got %d", len(acls))
		}
		for _, s := range requireSome(t, g, "aws:ec2/subnet:Subnet") {
			if !hasAssocFor(g, s) {
				t.Errorf("subnet %s has no network ACL", s.Name)
			}
		}
		denies := 0
		for _, r := range requireSome(t, g, "aws:ec2/networkAclRule:NetworkAclRule") {
			from, to, number := num(r, "fromPort"), num(r, "toPort"), num(r, "ruleNumber")
			if str(r, "protocol") != "tcp" {
				t.Errorf("%s: protocol %s; tcp only", r.Name, str(r, "protocol"))
			}
			if str(r, "ruleAction") == "deny" {
				// SSH and RDP denied ahead of every allow (WP-18).
				if r.Get("egress") == true || from != to || (from != 22 && from != 3389) || number >= 100 {
					t.Errorf("%s: unexpected deny entry %d %d-%d", r.Name, number, from, to)
				}
				denies++
				continue
			}
			if str(r, "ruleAction") != "allow" || number < 100 {
				t.Errorf("%s: %s numbered %d; allows start at 100, after the denies", r.Name, str(r, "ruleAction"), number)
			}
			if from == to && (from == 22 || from == 3389) {
				t.Errorf("%s allows %d", r.Name, from)
			}
		}
		// 22 and 3389 in the private and isolated tiers; 22 alone in the
		// public tier, where 3389 is inside the return range (below).
		if denies != 2*len(config.Tiers)-1 {
			t.Errorf("want deny entries for 22 and 3389 in each tier's NACL (22 alone in the public tier's), got %d", denies)
		}
	})
}

// #34 item 5: no inbound deny inside the ephemeral range on the ACL of a
// subnet that holds a load balancer or a NAT gateway: replies to their
// connections arrive on any port of 1024-65535, and a deny there (3389)
// drops those that happen to take it (ELB user guide and NAT gateway docs,
// network ACL recommendations).
func TestNoDenyInTheReturnRangeOfLoadBalancersAndNAT(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		holders := map[string]string{} // subnet id -> what sits there
		for _, lb := range requireSome(t, g, "aws:lb/loadBalancer:LoadBalancer") {
			for _, s := range lb.Get("subnets").([]any) {
				holders[s.(string)] = "load balancer " + lb.Name
			}
		}
		for _, n := range g.OfType("aws:ec2/natGateway:NatGateway") {
			holders[str(n, "subnetId")] = "NAT gateway " + n.Name
		}
		if cfg.EgressMode == "nat" && len(g.OfType("aws:ec2/natGateway:NatGateway")) == 0 {
			t.Fatal("egressMode nat without a NAT gateway")
		}
		returnACLs := map[string]string{}
		for _, a := range g.OfType("aws:ec2/networkAclAssociation:NetworkAclAssociation") {
			if what, ok := holders[str(a, "subnetId")]; ok {
				returnACLs[str(a, "networkAclId")] = what
			}
		}
		if len(returnACLs) == 0 {
			t.Fatal("no ACL holds the load balancer's subnets")
		}
		for _, r := range g.OfType("aws:ec2/networkAclRule:NetworkAclRule") {
			what, ok := returnACLs[str(r, "networkAclId")]
			if !ok || str(r, "ruleAction") != "deny" || r.Get("egress") == true {
				continue
			}
			if from, to := num(r, "fromPort"), num(r, "toPort"); to >= expect.EphemeralLow && from <= expect.EphemeralHigh {
				t.Errorf("%s denies %v-%v inbound, inside the return range of the %s", r.Name, from, to, what)
			}
		}
	})
}

// hasAssocFor matches an association to a subnet by the stable name keys.
func hasAssocFor(g *graph.Graph, s *graph.Resource) bool {
	// subnet "<net>-subnet-<zone>-<tier>" ↔ association "<net>-nacl-assoc-<zone>-<tier>"
	want := strings.Replace(s.Name, "-subnet-", "-nacl-assoc-", 1)
	return g.ByName(want) != nil
}

// WP-19: one VPC, one key, default SG emptied, no peering or transit gateway.
func TestIsolation(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		if n := len(g.OfType("aws:ec2/vpc:Vpc")); n != 1 {
			t.Errorf("want one VPC, got %d", n)
		}
		keys := g.OfType("aws:kms/key:Key")
		if len(keys) != 1 {
			t.Errorf("want one tenant key, got %d", len(keys))
		}
		for _, k := range keys {
			if k.Get("enableKeyRotation") != true {
				t.Errorf("key %s: rotation off", k.Name)
			}
		}
		sgs := requireSome(t, g, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
		for _, d := range sgs {
			if in, _ := d.Get("ingress").([]any); len(in) > 0 {
				t.Errorf("default SG %s keeps ingress rules", d.Name)
			}
			if eg, _ := d.Get("egress").([]any); len(eg) > 0 {
				t.Errorf("default SG %s keeps egress rules", d.Name)
			}
		}
		for _, r := range g.All() {
			if strings.Contains(r.Type, "PeeringConnection") || strings.HasPrefix(r.Type, "aws:ec2transitgateway") {
				t.Errorf("%s %s connects the tenant to another network", r.Type, r.Name)
			}
		}
		vpc := g.OfType("aws:ec2/vpc:Vpc")[0]
		if vpc.Get("enableDnsSupport") != true || vpc.Get("enableDnsHostnames") != true {
			t.Errorf("VPC needs DNS support and hostnames for private endpoints")
		}
	})
}

// WP-27 (network part): a flow log of ALL traffic to an encrypted log group.
func TestFlowLogs(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		logs := requireSome(t, g, "aws:ec2/flowLog:FlowLog")
		vpc := g.OfType("aws:ec2/vpc:Vpc")[0]
		for _, f := range logs {
			if str(f, "trafficType") != "ALL" || str(f, "logDestinationType") != "cloud-watch-logs" {
				t.Errorf("%s: traffic %q to %q, want ALL to cloud-watch-logs", f.Name, str(f, "trafficType"), str(f, "logDestinationType"))
			}
			if !strings.HasPrefix(str(f, "vpcId"), vpc.Name) || str(f, "iamRoleArn") == "" {
				t.Errorf("%s: not attached to the tenant VPC through a role", f.Name)
			}
		}
		for _, lg := range requireSome(t, g, "aws:cloudwatch/logGroup:LogGroup") {
			if !strings.Contains(str(lg, "kmsKeyId"), ":key/") {
				t.Errorf("log group %s not encrypted with the tenant key: %q", lg.Name, str(lg, "kmsKeyId"))
			}
			if num(lg, "retentionInDays") != cfg.LogRetentionDays {
				t.Errorf("log group %s retention %d, want %d", lg.Name, num(lg, "retentionInDays"), cfg.LogRetentionDays)
			}
		}
		for _, p := range requireSome(t, g, "aws:iam/rolePolicy:RolePolicy") {
			if strings.Contains(p.Name, "flowlog") && strings.Contains(str(p, "policy"), `"Resource":["*"]`) {
				t.Errorf("flow-log role policy %s is not scoped to its log group", p.Name)
			}
		}
	})
}

// WP-28: DHCP options with the Time Sync Service and Amazon DNS, associated.
func TestClockSync(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		opts := requireSome(t, g, "aws:ec2/vpcDhcpOptions:VpcDhcpOptions")
		for _, o := range opts {
			ntp, _ := o.Get("ntpServers").([]any)
			dns, _ := o.Get("domainNameServers").([]any)
			if !slices.Contains(ntp, any("169.254.169.123")) {
				t.Errorf("%s: NTP servers %v, want 169.254.169.123", o.Name, ntp)
			}
			if !slices.Contains(dns, any("AmazonProvidedDNS")) {
				t.Errorf("%s: DNS servers %v must keep AmazonProvidedDNS", o.Name, dns)
			}
		}
		assocs := requireSome(t, g, "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation")
		vpc := g.OfType("aws:ec2/vpc:Vpc")[0]
		if !strings.HasPrefix(str(assocs[0], "vpcId"), vpc.Name) || !strings.HasPrefix(str(assocs[0], "dhcpOptionsId"), opts[0].Name) {
			t.Errorf("DHCP options not associated with the tenant VPC")
		}
	})
}

// WP-31: subnets inside the VPC without overlap, the isolated tier with no
// route out, endpoints for the private tiers, egress per mode.
func TestNetworkSeparation(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		vpc := netip.MustParsePrefix(cfg.VpcCidr)
		var seen []netip.Prefix
		for _, s := range requireSome(t, g, "aws:ec2/subnet:Subnet") {
			p := netip.MustParsePrefix(str(s, "cidrBlock"))
			if !vpc.Contains(p.Addr()) || p.Bits() < vpc.Bits() {
				t.Errorf("subnet %s %s outside the VPC %s", s.Name, p, vpc)
			}
			for _, q := range seen {
				if q.Overlaps(p) {
					t.Errorf("subnet %s %s overlaps %s", s.Name, p, q)
				}
			}
			seen = append(seen, p)
			if s.Get("mapPublicIpOnLaunch") == true {
				t.Errorf("subnet %s gives public IPs", s.Name)
			}
			if !strings.HasPrefix(str(s, "availabilityZoneId"), "apne") {
				t.Errorf("subnet %s not placed by zone ID", s.Name)
			}
		}
		if len(seen) != 3*len(cfg.AvailabilityZoneIDs) {
			t.Errorf("want %d subnets (3 tiers × zones), got %d", 3*len(cfg.AvailabilityZoneIDs), len(seen))
		}
		for _, r := range g.OfType("aws:ec2/route:Route") {
			rt := str(r, "routeTableId")
			switch {
			case strings.Contains(rt, "-rt-isolated"):
				t.Errorf("route %s leaves the isolated tier", r.Name)
			case strings.Contains(rt, "-rt-private") && str(r, "natGatewayId") == "":
				t.Errorf("route %s: the private tier routes out only through NAT", r.Name)
			}
			if d := str(r, "destinationCidrBlock"); d != "0.0.0.0/0" {
				t.Errorf("route %s to %s: no routes to other networks", r.Name, d)
			}
		}
		nats := g.OfType("aws:ec2/natGateway:NatGateway")
		if (cfg.EgressMode == "nat") != (len(nats) > 0) {
			t.Errorf("egress %s with %d NAT gateways", cfg.EgressMode, len(nats))
		}
		eps := requireSome(t, g, "aws:ec2/vpcEndpoint:VpcEndpoint")
		services := map[string]*graph.Resource{}
		for _, e := range eps {
			svc := str(e, "serviceName")
			services[svc[strings.LastIndex(svc, ".")+1:]] = e
		}
		if e := services["s3"]; e == nil || str(e, "vpcEndpointType") != "Gateway" {
			t.Errorf("no S3 gateway endpoint")
		}
		for _, svc := range config.RequiredInterfaceEndpoints {
			e := services[svc]
			if e == nil {
				t.Errorf("no %s interface endpoint", svc)
				continue
			}
			if e.Get("privateDnsEnabled") != true || str(e, "vpcEndpointType") != "Interface" {
				t.Errorf("%s endpoint: want an interface endpoint with private DNS", svc)
			}
		}
	})
}

// Naming and parenting: every resource below the tenant component, names
// from stable keys with the tenant id as prefix.
func TestNamingAndParenting(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		names := map[string]bool{}
		for _, r := range g.All() {
			if names[r.Name] {
				t.Errorf("duplicate name %s", r.Name)
			}
			names[r.Name] = true
			if !strings.HasPrefix(r.Name, cfg.TenantID) {
				t.Errorf("%s %s: name not derived from the tenant id", r.Type, r.Name)
			}
			if r.Type == "tenantkit:tenant:Tenant" {
				if r.Parent != "" && r.Parent != "tenantkit-"+cfg.TenantID {
					t.Errorf("tenant component parented to %q", r.Parent)
				}
				continue
			}
			parent := g.ByName(r.Parent)
			if parent == nil || parent.Custom {
				t.Errorf("%s %s: parent %q is not a component", r.Type, r.Name, r.Parent)
				continue
			}
			if !strings.HasPrefix(r.Name, parent.Name) {
				t.Errorf("%s: name not derived from its component %s", r.Name, parent.Name)
			}
		}
	})
}

// Names and subnet ranges come from stable keys (zone, tier, CIDR), so
// reordering the config's lists renames nothing and moves no subnet.
func TestReorderingKeepsNames(t *testing.T) {
	cfg := testkit.Load(t, "globex")
	before := snapshot(testkit.Run(t, cfg))
	slices.Reverse(cfg.AvailabilityZoneIDs)
	slices.Reverse(cfg.IngressCidrs)
	after := snapshot(testkit.Run(t, cfg))
	for name, v := range before {
		if after[name] != v {
			t.Errorf("%s: %q before reordering, %q after", name, v, after[name])
		}
	}
	if len(before) != len(after) {
		t.Errorf("%d resources before reordering, %d after", len(before), len(after))
	}
}

func snapshot(g *graph.Graph) map[string]string {
	out := map[string]string{}
	for _, r := range g.All() {
		out[r.Name] = r.Type + " " + str(r, "cidrBlock") + str(r, "availabilityZoneId") + str(r, "cidrIpv4") + fmt.Sprint(r.Get("ruleNumber"))
	}
	return out
}

// Invalid config fails with no resource registered.
func TestInvalidConfigRegistersNothing(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	cfg.Region = "us-east-1"
	g, err := testkit.RunErr(cfg)
	if err == nil || !strings.Contains(err.Error(), "tenantkit:region") || !strings.Contains(err.Error(), "§7") {
		t.Fatalf("want a region error citing §7, got %v", err)
	}
	if n := len(g.All()); n != 0 {
		t.Errorf("%d resources registered despite invalid config", n)
	}
	// The knobs of the stores, logs and application tier, through the program.
	for _, tc := range []struct {
		key, value string
		set        func(*config.Tenant)
	}{
		{"logRetentionDays", "42", func(c *config.Tenant) { c.LogRetentionDays = 42 }},
		{"keyDeletionWindowDays", "3", func(c *config.Tenant) { c.KeyDeletionWindowDays = 3 }},
		{"tlsPolicy", "ELBSecurityPolicy-2016-08", func(c *config.Tenant) { c.TLSPolicy = "ELBSecurityPolicy-2016-08" }},
		{"certificateArn", "", func(c *config.Tenant) { c.CertificateArn = "" }},
		{"objectLockDays", "0", func(c *config.Tenant) { c.ObjectLockDays = 0 }},
		{"trailMode", "none", func(c *config.Tenant) { c.TrailMode = "none" }},
	} {
		cfg := testkit.Load(t, "acme")
		tc.set(cfg)
		g, err := testkit.RunErr(cfg)
		if err == nil || !strings.Contains(err.Error(), "tenantkit:"+tc.key) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.value)) {
			t.Errorf("%s=%q: want an error naming the key and value, got %v", tc.key, tc.value, err)
		}
		if n := len(g.All()); n != 0 {
			t.Errorf("%s=%q: %d resources registered before the refusal", tc.key, tc.value, n)
		}
	}
}

// §10 watchdog (#33 item 6): the stack deploys its lifecycle state where
// the baseline's deadline watchdog reads it, and only after what enacts
// the state (the listeners' answer, the groups' ingress): a suspension
// that failed halfway never reads as deployed.
func TestLifecycleStateDeployedLast(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		ps := requireSome(t, g, "aws:ssm/parameter:Parameter")
		if len(ps) != 1 {
			t.Fatalf("%d parameters", len(ps))
		}
		p := ps[0]
		want := cfg.Lifecycle.State
		if want == "" {
			want = config.StateActive
		}
		if str(p, "name") != expect.LifecycleParameter(cfg.TenantID) || str(p, "type") != "String" || str(p, "value") != want {
			t.Errorf("parameter %v", p.Inputs)
		}
		var enacting []*graph.Resource
		for _, typ := range []string{"aws:lb/listener:Listener", "aws:ec2/securityGroup:SecurityGroup",
			"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"} {
			enacting = append(enacting, requireSome(t, g, typ)...)
		}
		for _, enacts := range enacting {
			if !slices.Contains(p.DependsOn, enacts.Name) {
				t.Errorf("the lifecycle parameter does not wait for %s %s", enacts.Type, enacts.Name)
			}
		}
	})
}

// #34 item 7: the internet-facing load balancer waits for the internet
// gateway's route: ELB refuses one in a VPC without an internet gateway.
func TestLoadBalancerWaitsForTheInternetRoute(t *testing.T) {
	forEachStack(t, func(t *testing.T, cfg *config.Tenant, g *graph.Graph) {
		var route string
		for _, r := range g.OfType("aws:ec2/route:Route") {
			if str(r, "destinationCidrBlock") == "0.0.0.0/0" && str(r, "gatewayId") != "" {
				route = r.Name
			}
		}
		if route == "" {
			t.Fatal("no route to the internet gateway")
		}
		for _, lb := range requireSome(t, g, "aws:lb/loadBalancer:LoadBalancer") {
			if !slices.Contains(lb.DependsOn, route) {
				t.Errorf("load balancer %s does not wait for %s (waits for %v)", lb.Name, route, lb.DependsOn)
			}
		}
	})
}
