// Package security builds the tenant's security groups, one per tier, with
// every rule a resource of its own (WP-18, WP-20.1, WP-20.2): the load
// balancer admits 443 (and 80, which only redirects) from the allowed CIDRs;
// the app tier only the load balancer; the database only the app tier; the
// endpoints 443 from the VPC. No 22, no 3389, no port ranges, no all-protocol
// rules; tiers reference each other by group, not by CIDR.
package security

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/naming"
)

// Group tiers.
const (
	GroupLB        = "lb"
	GroupApp       = "app"
	GroupDB        = "db"
	GroupEndpoints = "endpoints"
)

// Args configures the groups.
type Args struct {
	Region  string
	VpcID   pulumi.StringInput
	VpcCidr string
	// IngressCidrs may reach the load balancer.
	IngressCidrs []string
	AppPort      int
	DBPort       int
	// NatEgress lets the app tier reach the internet on 443 (opt-in).
	NatEgress bool
	// Suspended (offboarding, WP-10): the load balancer admits nothing from
	// outside the VPC.
	Suspended bool
}

// Groups are the tenant's security groups.
type Groups struct {
	pulumi.ResourceState

	LB        *ec2.SecurityGroup
	App       *ec2.SecurityGroup
	DB        *ec2.SecurityGroup
	Endpoints *ec2.SecurityGroup

	// Rules are the groups' rules, in the order registered.
	Rules []pulumi.Resource
}

// Enacting lists the groups and their rules as custom resources, for a
// resource that must wait for all of them: depending on the component
// itself waits only for the children registered by the time Pulumi's Go
// SDK expands it, which it does on another goroutine (addDependency,
// sdk/go/pulumi/rpc.go), so a late child would be missed.
func (g *Groups) Enacting() []pulumi.Resource {
	return append([]pulumi.Resource{g.LB, g.App, g.DB, g.Endpoints}, g.Rules...)
}

// rule is one tcp port opened from or to one source.
type rule struct {
	key     string // stable name part
	group   *ec2.SecurityGroup
	egress  bool
	port    int
	cidr    string
	peer    *ec2.SecurityGroup
	prefix  pulumi.StringInput
	comment string
}

// New builds the groups and their rules.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Groups, error) {
	if args == nil {
		return nil, fmt.Errorf("security %s: args are required", name)
	}
	g := &Groups{}
	if err := ctx.RegisterComponentResource("tenantkit:security:Groups", name, g, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(g)
	group := func(tier, desc string) (*ec2.SecurityGroup, error) {
		n := name + "-" + tier
		return ec2.NewSecurityGroup(ctx, n, &ec2.SecurityGroupArgs{
			VpcId:       args.VpcID,
			Description: pulumi.String(desc),
			Tags:        pulumi.StringMap{"Name": pulumi.String(n), "Tier": pulumi.String(tier)},
		}, child)
	}
	var err error
	if g.LB, err = group(GroupLB, "Tenant load balancer: HTTPS from allowed CIDRs"); err != nil {
		return nil, err
	}
	if g.App, err = group(GroupApp, "Tenant app tier: app port from the load balancer only"); err != nil {
		return nil, err
	}
	if g.DB, err = group(GroupDB, "Tenant database: database port from the app tier only"); err != nil {
		return nil, err
	}
	if g.Endpoints, err = group(GroupEndpoints, "Tenant VPC endpoints: HTTPS from the VPC"); err != nil {
		return nil, err
	}

	// The S3 gateway endpoint is reached through AWS's managed prefix list.
	s3, err := ec2.GetPrefixList(ctx, &ec2.GetPrefixListArgs{
		Name: pulumi.StringRef(fmt.Sprintf("com.amazonaws.%s.s3", args.Region)),
	}, pulumi.Parent(g))
	if err != nil {
		return nil, fmt.Errorf("security %s: look up the S3 prefix list: %w", name, err)
	}

	var rules []rule
	if !args.Suspended {
		for _, c := range args.IngressCidrs {
			rules = append(rules,
				rule{key: "lb-in-https-" + c, group: g.LB, port: 443, cidr: c, comment: "HTTPS from an allowed CIDR"},
				rule{key: "lb-in-http-" + c, group: g.LB, port: 80, cidr: c, comment: "HTTP from an allowed CIDR, redirected to HTTPS"},
			)
		}
	}
	rules = append(rules,
		rule{key: "lb-out-app", group: g.LB, egress: true, port: args.AppPort, peer: g.App, comment: "to the app tier"},
		rule{key: "app-in-lb", group: g.App, port: args.AppPort, peer: g.LB, comment: "from the load balancer"},
		rule{key: "app-out-db", group: g.App, egress: true, port: args.DBPort, peer: g.DB, comment: "to the database"},
		rule{key: "app-out-endpoints", group: g.App, egress: true, port: 443, peer: g.Endpoints, comment: "to the VPC interface endpoints"},
		rule{key: "app-out-s3", group: g.App, egress: true, port: 443, prefix: pulumi.String(s3.Id), comment: "to S3 through the gateway endpoint"},
		rule{key: "db-in-app", group: g.DB, port: args.DBPort, peer: g.App, comment: "from the app tier"},
		rule{key: "endpoints-in-vpc", group: g.Endpoints, port: 443, cidr: args.VpcCidr, comment: "HTTPS from inside the VPC"},
	)
	if args.NatEgress {
		rules = append(rules, rule{key: "app-out-internet", group: g.App, egress: true, port: 443, cidr: "0.0.0.0/0", comment: "HTTPS to the internet through NAT (egressMode nat)"})
	}
	for _, r := range rules {
		res, err := r.register(ctx, name, child)
		if err != nil {
			return nil, err
		}
		g.Rules = append(g.Rules, res)
	}
	if err := ctx.RegisterResourceOutputs(g, pulumi.Map{
		"lbGroupId":  g.LB.ID(),
		"appGroupId": g.App.ID(),
		"dbGroupId":  g.DB.ID(),
	}); err != nil {
		return nil, err
	}
	return g, nil
}

func (r rule) register(ctx *pulumi.Context, name string, child pulumi.ResourceOption) (pulumi.Resource, error) {
	var cidr, peer, prefix pulumi.StringPtrInput
	if r.cidr != "" {
		cidr = pulumi.String(r.cidr)
	}
	if r.peer != nil {
		peer = r.peer.ID()
	}
	if r.prefix != nil {
		prefix = r.prefix
	}
	n := naming.Safe(name + "-rule-" + r.key)
	if r.egress {
		return vpc.NewSecurityGroupEgressRule(ctx, n, &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: r.group.ID(), IpProtocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(r.port), ToPort: pulumi.Int(r.port),
			CidrIpv4: cidr, ReferencedSecurityGroupId: peer, PrefixListId: prefix,
			Description: pulumi.String(r.comment),
		}, child)
	}
	return vpc.NewSecurityGroupIngressRule(ctx, n, &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: r.group.ID(), IpProtocol: pulumi.String("tcp"),
		FromPort: pulumi.Int(r.port), ToPort: pulumi.Int(r.port),
		CidrIpv4: cidr, ReferencedSecurityGroupId: peer, PrefixListId: prefix,
		Description: pulumi.String(r.comment),
	}, child)
}
