package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/graph"
)

// A picture of a tenant (#24 item 8): the network as the program declares
// it, drawn as a Mermaid flowchart (GitHub renders it in Markdown): the VPC,
// each tier's subnets by zone, what each tier's network ACL admits, the
// load balancer, the application's instances, the database, the endpoints,
// and every security-group flow between them with its port. It is drawn
// from the resource graph the plan rules judge, so it shows what would be
// deployed, not what someone remembers.

// mmText keeps a label inside Mermaid's quotes.
func mmText(s string) string {
	return strings.NewReplacer(`"`, "'", "\n", " ", "<", "‹", ">", "›").Replace(s)
}

func str(r *graph.Resource, path string) string { v, _ := r.String(path); return v }

func num(r *graph.Resource, path string) int {
	f, _ := r.Get(path).(float64)
	return int(f)
}

func ports(from, to int) string {
	if from == to {
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

// Mermaid draws the tenant's network.
func Mermaid(g *graph.Graph) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("flowchart LR")
	vpcs := g.OfType("aws:ec2/vpc:Vpc")
	if len(vpcs) != 1 {
		w(`  none["no VPC in the plan"]`)
		return b.String()
	}
	vpc := vpcs[0]
	// What each tier's network ACL admits (inbound allow and deny rules).
	nacl := map[string]string{} // tier → what its NACL admits and denies
	for _, a := range g.OfType("aws:ec2/networkAcl:NetworkAcl") {
		tier := str(a, "tags.Tier")
		var allow, deny []string
		for _, r := range g.OfType("aws:ec2/networkAclRule:NetworkAclRule") {
			if str(r, "networkAclId") != a.ID || r.Get("egress") == true {
				continue
			}
			p := ports(num(r, "fromPort"), num(r, "toPort"))
			if str(r, "ruleAction") == "deny" {
				deny = append(deny, p)
			} else if !strings.Contains(p, "-") { // ephemeral return ranges are not a service
				allow = append(allow, p+" from "+str(r, "cidrBlock"))
			}
		}
		slices.Sort(allow)
		slices.Sort(deny)
		nacl[tier] = "NACL admits " + strings.Join(slices.Compact(allow), ", ") + "; denies " + strings.Join(slices.Compact(deny), ", ")
	}
	// The tier nodes: the security group's workload in each tier.
	node := map[string]string{"lb": "lb", "app": "app", "db": "db", "endpoints": "vpce"} // a group's Tier tag → its node
	sgTier := map[string]string{}                                                        // security group id → its node
	nodes := map[string][]string{}                                                       // subnet tier → node lines
	for _, sg := range g.OfType("aws:ec2/securityGroup:SecurityGroup") {
		if n, ok := node[str(sg, "tags.Tier")]; ok {
			sgTier[sg.ID] = n
		}
	}
	for _, lb := range g.OfType("aws:lb/loadBalancer:LoadBalancer") {
		nodes["public"] = append(nodes["public"], fmt.Sprintf(`      lb[["Application Load Balancer %s, SG lb"]]`, mmText(str(lb, "name"))))
	}
	for _, asg := range g.OfType("aws:autoscaling/group:Group") {
		nodes["private"] = append(nodes["private"], fmt.Sprintf(`      app["instances: auto scaling group %s, %d-%d, SG app"]`, mmText(str(asg, "name")), num(asg, "minSize"), num(asg, "maxSize")))
	}
	var iface []string
	gateway := false
	for _, e := range g.OfType("aws:ec2/vpcEndpoint:VpcEndpoint") {
		svc := str(e, "serviceName")
		svc = svc[strings.LastIndex(svc, ".")+1:]
		if str(e, "vpcEndpointType") == "Gateway" {
			gateway = true
			continue
		}
		iface = append(iface, svc)
	}
	slices.Sort(iface)
	if len(iface) > 0 {
		nodes["private"] = append(nodes["private"], fmt.Sprintf(`      vpce["interface endpoints: %s, SG endpoints"]`, strings.Join(iface, ", ")))
	}
	for _, db := range g.OfType("aws:rds/instance:Instance") {
		nodes["isolated"] = append(nodes["isolated"], fmt.Sprintf(`      db[("PostgreSQL %s%s, SG db")]`, mmText(str(db, "engineVersion")), map[bool]string{true: ", encrypted", false: ", NOT encrypted"}[db.Get("storageEncrypted") == true]))
	}

	w(`  internet(("Internet"))`)
	w(`  subgraph vpc["VPC %s"]`, mmText(str(vpc, "cidrBlock")))
	for _, tier := range []string{"public", "private", "isolated"} {
		acl, ok := nacl[tier]
		if !ok {
			acl = "no network ACL of its own"
		}
		w(`    subgraph %s["%s tier: %s"]`, tier, tier, mmText(acl))
		var subnets []string
		for _, s := range g.OfType("aws:ec2/subnet:Subnet") {
			if str(s, "tags.Tier") == tier {
				subnets = append(subnets, str(s, "availabilityZoneId")+" "+str(s, "cidrBlock"))
			}
		}
		slices.Sort(subnets)
		w(`      %s_subnets["subnets: %s"]`, tier, mmText(strings.Join(subnets, ", ")))
		for _, n := range nodes[tier] {
			w("%s", n)
		}
		w("    end")
	}
	if gateway {
		w(`    s3gw[/"S3 gateway endpoint (private route table)"/]`)
	}
	w("  end")
	// The flows: every security-group ingress rule, source to target.
	var edges []string
	for _, r := range g.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		to := sgTier[str(r, "securityGroupId")]
		if to == "" {
			continue
		}
		from := ""
		switch {
		case str(r, "referencedSecurityGroupId") != "":
			from = sgTier[str(r, "referencedSecurityGroupId")]
		case str(r, "cidrIpv4") == str(vpc, "cidrBlock"):
			from = "app" // the VPC's own range: what runs in it calls the endpoints
		case str(r, "cidrIpv4") != "":
			from = "internet"
		}
		if from == "" {
			continue
		}
		label := "tcp " + ports(num(r, "fromPort"), num(r, "toPort"))
		if c := str(r, "cidrIpv4"); c != "" {
			label += " from " + c
		}
		edges = append(edges, fmt.Sprintf(`  %s -- "%s" --> %s`, from, mmText(label), to))
	}
	if gateway && len(nodes["private"]) > 0 {
		edges = append(edges, `  app -- "S3 through the route table" --> s3gw`)
	}
	slices.Sort(edges)
	for _, e := range slices.Compact(edges) {
		w("%s", e)
	}
	return b.String()
}
