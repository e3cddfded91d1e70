package expect

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
)

// Tiers are the tenant's security groups by their Tier tag: the load
// balancer, the application, the database and the interface endpoints.
var Tiers = []string{"lb", "app", "db", "endpoints"}

// Ingress is one security-group ingress rule as a judge reads it: the plan
// from the program's inputs (a rule resource or a group's inline rule),
// the live check from DescribeSecurityGroups.
type Ingress struct {
	// Protocol as written: "tcp", "udp", "6", "-1" or "all".
	Protocol string
	From, To int32
	// Cidrs are the IPv4 and IPv6 ranges it admits; Groups the tiers of
	// the groups it admits ("a group outside the tenant's" for another);
	// PrefixLists the prefix lists.
	Cidrs, Groups, PrefixLists []string
}

// AllProtocols: a protocol that admits every protocol and port.
func AllProtocols(p string) bool { return p == "-1" || strings.EqualFold(p, "all") }

// Opens: the rule admits traffic to the port (any protocol: a rule of
// every protocol, or a port range that covers it).
func (i Ingress) Opens(port int32) bool {
	return AllProtocols(i.Protocol) || (i.From <= port && port <= i.To)
}

// ShellPortsOpened are the ports of SSH and RDP the rule opens (WP-18).
func (i Ingress) ShellPortsOpened() []int32 {
	var out []int32
	for _, p := range []int32{22, 3389} {
		if i.Opens(p) {
			out = append(out, p)
		}
	}
	return out
}

func (i Ingress) tcp() bool { return i.Protocol == "tcp" || i.Protocol == "6" }

// onlyCidrs: the rule admits ranges only, each one of want.
func (i Ingress) onlyCidrs(want []string) bool {
	if len(i.Groups)+len(i.PrefixLists) > 0 || len(i.Cidrs) == 0 {
		return false
	}
	for _, c := range i.Cidrs {
		if !slices.Contains(want, c) {
			return false
		}
	}
	return true
}

// onlyGroup: the rule admits the one tier's group only.
func (i Ingress) onlyGroup(tier string) bool {
	if len(i.Cidrs)+len(i.PrefixLists) > 0 || len(i.Groups) == 0 {
		return false
	}
	for _, g := range i.Groups {
		if g != tier {
			return false
		}
	}
	return true
}

// TierAllows judges an ingress rule of a tier's group against the tier
// matrix the stack declares (WP-20.1): tcp on one port, from the one
// source the tier admits; want says what the tier admits.
func TierAllows(tier string, i Ingress, cfg *config.Tenant) (ok bool, want string) {
	if !i.tcp() || i.From != i.To {
		return false, "tcp on a single port"
	}
	switch tier {
	case "lb":
		if cfg.Suspended() {
			return false, "no ingress while suspended (WP-10)"
		}
		return (i.From == 443 || i.From == 80) && i.onlyCidrs(cfg.IngressCidrs), "443 or 80 from " + strings.Join(cfg.IngressCidrs, ",")
	case "app":
		return int(i.From) == cfg.AppPort && i.onlyGroup("lb"), fmt.Sprintf("%d from the load-balancer group", cfg.AppPort)
	case "db":
		return int(i.From) == cfg.Database.Port && i.onlyGroup("app"), fmt.Sprintf("%d from the app group", cfg.Database.Port)
	case "endpoints":
		return i.From == 443 && i.onlyCidrs([]string{cfg.VpcCidr}), "443 from " + cfg.VpcCidr
	}
	return false, "a group of the tenant's tiers"
}

// NaclEntry is one network ACL entry as a judge reads it.
type NaclEntry struct {
	Number   int32
	Egress   bool
	Allow    bool
	Protocol string // "6", "tcp", "-1", "all", "17"...
	From, To int32  // the port range (0-0 when the entry names none)
	Cidr     string // IPv4 or IPv6
}

// EphemeralLow and EphemeralHigh bound the ports load balancers and NAT
// gateways take for their own connections, to which the replies come back
// (Elastic Load Balancing user guide, "Network ACLs" recommendations; NAT
// gateway docs, "Network ACLs": inbound 1024-65535).
const EphemeralLow, EphemeralHigh = 1024, 65535

// NaclProblem says what lets SSH or RDP in through an ACL's inbound
// entries, walked in rule order as AWS evaluates them, separately for IPv4
// and IPv6: the first entry matching 22 (or 3389) over TCP from some
// source must deny it from every source (a deny of a narrower range, or of
// another protocol, protects nothing for the rest: Amazon VPC user guide,
// "Network ACL rules"); and no allow admits every protocol. "" when none.
//
// returns is set for the ACL of a subnet that holds a load balancer or a
// NAT gateway: replies to their connections arrive on any port of the
// ephemeral range, 3389 included, so there the allow of exactly that
// range is their return path and a deny inside it would drop replies
// (#34 item 5). The security groups, stateful, keep RDP out
// (WP-18/no-ssh-rdp); ports below the range are still denied first.
func NaclProblem(entries []NaclEntry, returns bool) string {
	es := slices.Clone(entries)
	slices.SortFunc(es, func(x, y NaclEntry) int { return int(x.Number - y.Number) })
	for _, e := range es {
		if !e.Egress && e.Allow && AllProtocols(e.Protocol) {
			return fmt.Sprintf("entry %d allows every protocol from %s", e.Number, e.Cidr)
		}
	}
	for _, v6 := range []bool{false, true} {
		for _, port := range []int32{22, 3389} {
			for _, e := range es {
				if e.Egress || e.Cidr == "" || strings.Contains(e.Cidr, ":") != v6 {
					continue
				}
				tcp := AllProtocols(e.Protocol) || e.Protocol == "6" || strings.EqualFold(e.Protocol, "tcp")
				inRange := AllProtocols(e.Protocol) || (e.From <= port && port <= e.To)
				if !tcp || !inRange {
					continue
				}
				if returns && e.Allow && e.From == EphemeralLow && e.To == EphemeralHigh && port >= EphemeralLow {
					continue // the return path, not an opening (see above)
				}
				if e.Allow {
					return fmt.Sprintf("entry %d allows %s tcp %d", e.Number, e.Cidr, port)
				}
				if e.Cidr == "0.0.0.0/0" || e.Cidr == "::/0" {
					break // denied from every source of this family
				}
			}
		}
	}
	return ""
}

// EgressProblem says what is wrong with an egress rule of a tier's group
// (WP-20.1), "" when nothing is: egress goes to named ports only, one port
// a rule, never every protocol.
func EgressProblem(protocol string, from, to int32) string {
	switch {
	case AllProtocols(protocol):
		return "egress of every protocol"
	case from != to:
		return fmt.Sprintf("egress to a port range %d-%d", from, to)
	}
	return ""
}

// RouteProblem says why a route leads where the tenant's network must not
// (WP-31), "" when it does not: a target that is not the tenant's own
// (local, its internet gateway, its NAT gateways, its S3 gateway endpoint:
// a peering connection, a transit, VPN or carrier gateway, an instance or
// a network interface leads to another network), or a destination inside
// another tenant's range.
func RouteProblem(dest, target string, own bool, others map[string]netip.Prefix) string {
	if !own {
		return fmt.Sprintf("route %s → %s, not the tenant's own gateway or endpoint", dest, target)
	}
	if p, err := netip.ParsePrefix(dest); err == nil && p.Bits() > 0 {
		for _, name := range slices.Sorted(maps.Keys(others)) {
			if others[name].Overlaps(p) {
				return fmt.Sprintf("route %s → %s reaches tenant %s (%s)", dest, target, name, others[name])
			}
		}
	}
	return ""
}
