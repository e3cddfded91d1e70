package network

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
)

// aclRule is one allow entry of a tier's network ACL. Anything not allowed
// falls to the ACL's implicit deny (WP-20.2). NACLs are stateless, so each
// flow needs its return path on ephemeral ports; link-local traffic (DNS
// resolver, NTP, instance metadata) is not filtered by NACLs.
type aclRule struct {
	egress   bool
	from, to int
	cidr     string
	why      string
}

const ephemeralLow, ephemeralHigh = expect.EphemeralLow, expect.EphemeralHigh

// denyPorts are denied inbound ahead of every allow (WP-18), except on a
// tier that holds load balancers or NAT gateways (the public tier), where
// replies to their connections arrive on any port of the ephemeral range:
// a deny inside it (3389) would drop some of them (#34 item 5; ELB user
// guide's and NAT gateway docs' network ACL recommendations). There the
// security groups keep RDP out (WP-18), the ACL only 22.
func denyPorts(tier string) []int {
	if tier != config.TierPublic {
		return []int{22, 3389}
	}
	var out []int
	for _, p := range []int{22, 3389} {
		if p < ephemeralLow || p > ephemeralHigh {
			out = append(out, p)
		}
	}
	return out
}

// aclRules derives each tier's allowed flows.
func aclRules(args *Args) (map[string][]aclRule, error) {
	cidrs := func(tier string) ([]string, error) {
		var out []string
		for _, z := range slices.Sorted(slices.Values(args.ZoneIDs)) {
			c, err := SubnetCidr(args.VpcCidr, tier, z)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	public, err := cidrs(config.TierPublic)
	if err != nil {
		return nil, err
	}
	private, err := cidrs(config.TierPrivate)
	if err != nil {
		return nil, err
	}
	rules := map[string][]aclRule{}
	add := func(tier string, r aclRule) { rules[tier] = append(rules[tier], r) }

	// Public tier: clients reach the load balancer; the load balancer
	// reaches the app tier.
	// Sorted, so rule numbers do not move when the config lists CIDRs in
	// another order.
	for _, c := range slices.Sorted(slices.Values(args.IngressCidrs)) {
		add(config.TierPublic, aclRule{from: 443, to: 443, cidr: c, why: "HTTPS from an allowed CIDR"})
		add(config.TierPublic, aclRule{from: 80, to: 80, cidr: c, why: "HTTP (redirect only) from an allowed CIDR"})
		add(config.TierPublic, aclRule{egress: true, from: ephemeralLow, to: ephemeralHigh, cidr: c, why: "replies to clients"})
	}
	for _, c := range private {
		add(config.TierPublic, aclRule{egress: true, from: args.AppPort, to: args.AppPort, cidr: c, why: "load balancer to the app tier"})
		add(config.TierPublic, aclRule{from: ephemeralLow, to: ephemeralHigh, cidr: c, why: "app-tier replies to the load balancer"})
	}

	// Private (app) tier.
	for _, c := range public {
		add(config.TierPrivate, aclRule{from: args.AppPort, to: args.AppPort, cidr: c, why: "from the load balancer"})
		add(config.TierPrivate, aclRule{egress: true, from: ephemeralLow, to: ephemeralHigh, cidr: c, why: "replies to the load balancer"})
	}
	isolated, err := cidrs(config.TierIsolated)
	if err != nil {
		return nil, err
	}
	for _, c := range isolated {
		add(config.TierPrivate, aclRule{egress: true, from: args.DBPort, to: args.DBPort, cidr: c, why: "to the database"})
		add(config.TierPrivate, aclRule{from: ephemeralLow, to: ephemeralHigh, cidr: c, why: "database replies"})
	}
	// Interface endpoints sit in the private subnets; the S3 gateway
	// endpoint answers from S3's public addresses, which NACLs cannot name.
	add(config.TierPrivate, aclRule{from: 443, to: 443, cidr: args.VpcCidr, why: "HTTPS to the interface endpoints"})
	add(config.TierPrivate, aclRule{egress: true, from: 443, to: 443, cidr: "0.0.0.0/0", why: "HTTPS to AWS services (endpoints, S3 gateway, NAT)"})
	add(config.TierPrivate, aclRule{from: ephemeralLow, to: ephemeralHigh, cidr: "0.0.0.0/0", why: "replies from AWS services"})
	add(config.TierPrivate, aclRule{egress: true, from: ephemeralLow, to: ephemeralHigh, cidr: args.VpcCidr, why: "endpoint replies inside the VPC"})

	if args.NatEgress {
		// NAT gateways live in the public tier and forward the app tier's HTTPS.
		for _, c := range private {
			add(config.TierPublic, aclRule{from: 443, to: 443, cidr: c, why: "app-tier HTTPS to the NAT gateway"})
			add(config.TierPublic, aclRule{egress: true, from: ephemeralLow, to: ephemeralHigh, cidr: c, why: "NAT replies to the app tier"})
		}
		add(config.TierPublic, aclRule{egress: true, from: 443, to: 443, cidr: "0.0.0.0/0", why: "NAT gateway HTTPS to the internet"})
		add(config.TierPublic, aclRule{from: ephemeralLow, to: ephemeralHigh, cidr: "0.0.0.0/0", why: "internet replies to the NAT gateway"})
	}

	// Isolated (database) tier: the app tier only.
	for _, c := range private {
		add(config.TierIsolated, aclRule{from: args.DBPort, to: args.DBPort, cidr: c, why: "from the app tier"})
		add(config.TierIsolated, aclRule{egress: true, from: ephemeralLow, to: ephemeralHigh, cidr: c, why: "replies to the app tier"})
	}
	return rules, nil
}

// Allow entries are numbered from firstAllow to maxRuleNumber (the EC2
// maximum, CreateNetworkAclEntry: "Constraints: Positive integer from 1 to
// 32766"); the denies sit below, so they are evaluated first.
const firstAllow, maxRuleNumber = 100, 32766

// numbered is an allow entry with its rule number.
type numbered struct {
	aclRule
	number int
}

// entryNumbers gives each allow entry a number from a hash of what it
// allows (direction, ports, range), so an entry keeps its number whatever
// else is added or removed. Entries are taken in the order of their keys;
// two that hash alike take the next free number (20 entries in 32,667
// numbers: rare, and then only those two can move).
func entryNumbers(rules []aclRule) []numbered {
	key := func(r aclRule) string { return fmt.Sprintf("%t|tcp|%d|%d|%s", r.egress, r.from, r.to, r.cidr) }
	sorted := slices.SortedFunc(slices.Values(rules), func(a, b aclRule) int { return strings.Compare(key(a), key(b)) })
	used := map[string]bool{}
	var out []numbered
	for _, r := range sorted {
		k := key(r)
		if used[k] {
			continue // the same entry twice is one entry
		}
		used[k] = true
		h := fnv.New32a()
		h.Write([]byte(k))
		span := uint32(maxRuleNumber - firstAllow + 1)
		n := firstAllow + int(h.Sum32()%span)
		for slices.ContainsFunc(out, func(o numbered) bool { return o.egress == r.egress && o.number == n }) {
			n++
			if n > maxRuleNumber {
				n = firstAllow
			}
		}
		out = append(out, numbered{r, n})
	}
	return out
}

// acls creates one network ACL per tier, its allow rules and an association
// for every subnet of the tier.
func (n *Network) acls(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	rules, err := aclRules(args)
	if err != nil {
		return err
	}
	for _, tier := range config.Tiers {
		acl, err := ec2.NewNetworkAcl(ctx, name+"-nacl-"+tier, &ec2.NetworkAclArgs{
			VpcId: n.Vpc.ID(),
			Tags:  pulumi.StringMap{"Name": pulumi.String(name + "-nacl-" + tier), "Tier": pulumi.String(tier)},
		}, child)
		if err != nil {
			return err
		}
		// Entries are evaluated lowest number first: SSH and RDP are denied
		// before any allow, so the ephemeral return ranges never admit them
		// (WP-18), but where they are a load balancer's or NAT's return path
		// (denyPorts).
		for i, port := range denyPorts(tier) {
			if _, err := ec2.NewNetworkAclRule(ctx, fmt.Sprintf("%s-nacl-%s-deny-%d", name, tier, port), &ec2.NetworkAclRuleArgs{
				NetworkAclId: acl.ID(),
				RuleNumber:   pulumi.Int(10 + i),
				Egress:       pulumi.Bool(false),
				Protocol:     pulumi.String("tcp"),
				RuleAction:   pulumi.String("deny"),
				CidrBlock:    pulumi.String("0.0.0.0/0"),
				FromPort:     pulumi.Int(port),
				ToPort:       pulumi.Int(port),
			}, child); err != nil {
				return err
			}
		}
		// Each allow entry's number comes from its own content (entryNumbers),
		// so adding a range, a zone or changing a port leaves every other
		// entry where it is. The resource is named by its number and replaced
		// delete-first: AWS holds one entry per number and direction
		// (NetworkAclEntryAlreadyExists), and a replacement created first
		// would collide with the entry it replaces.
		for _, r := range entryNumbers(rules[tier]) {
			dir := "in"
			if r.egress {
				dir = "out"
			}
			if _, err := ec2.NewNetworkAclRule(ctx, fmt.Sprintf("%s-nacl-%s-%s-%d", name, tier, dir, r.number), &ec2.NetworkAclRuleArgs{
				NetworkAclId: acl.ID(),
				RuleNumber:   pulumi.Int(r.number),
				Egress:       pulumi.Bool(r.egress),
				Protocol:     pulumi.String("tcp"),
				RuleAction:   pulumi.String("allow"),
				CidrBlock:    pulumi.String(r.cidr),
				FromPort:     pulumi.Int(r.from),
				ToPort:       pulumi.Int(r.to),
			}, child, pulumi.DeleteBeforeReplace(true)); err != nil {
				return err
			}
		}
		for _, s := range n.Subnets {
			if s.Tier != tier {
				continue
			}
			if _, err := ec2.NewNetworkAclAssociation(ctx, fmt.Sprintf("%s-nacl-assoc-%s-%s", name, s.ZoneID, tier), &ec2.NetworkAclAssociationArgs{
				NetworkAclId: acl.ID(),
				SubnetId:     s.Subnet.ID(),
			}, child); err != nil {
				return err
			}
		}
	}
	return nil
}
