package network

import (
	"net/netip"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
)

func TestSubnetCidr(t *testing.T) {
	cases := []struct{ vpc, tier, zone, want string }{
		{"10.16.0.0/20", config.TierPublic, "apne1-az1", "10.16.0.0/24"},
		{"10.16.0.0/20", config.TierPublic, "apne1-az4", "10.16.3.0/24"},
		{"10.16.0.0/20", config.TierPrivate, "apne1-az2", "10.16.5.0/24"},
		{"10.16.0.0/20", config.TierIsolated, "apne1-az4", "10.16.11.0/24"},
		{"192.168.4.0/24", config.TierIsolated, "apne1-az1", "192.168.4.128/28"},
	}
	for _, c := range cases {
		got, err := SubnetCidr(c.vpc, c.tier, c.zone)
		if err != nil || got != c.want {
			t.Errorf("SubnetCidr(%s, %s, %s) = %s, %v; want %s", c.vpc, c.tier, c.zone, got, err, c.want)
		}
	}
	if _, err := SubnetCidr("10.16.0.0/20", config.TierPublic, "apne1-az9"); err == nil {
		t.Error("zone az9 accepted")
	}
}

// Every tier and zone of the smallest and largest VPC gets a distinct
// subnet inside the VPC.
func TestSubnetCidrsDisjoint(t *testing.T) {
	for _, vpc := range []string{"10.16.0.0/16", "10.16.0.0/24"} {
		v := netip.MustParsePrefix(vpc)
		var seen []netip.Prefix
		for _, tier := range config.Tiers {
			for _, z := range []string{"apne1-az1", "apne1-az2", "apne1-az4"} {
				c, err := SubnetCidr(vpc, tier, z)
				if err != nil {
					t.Fatal(err)
				}
				p := netip.MustParsePrefix(c)
				if !v.Contains(p.Addr()) || p.Bits() > 28 {
					t.Errorf("%s %s %s: %s outside %s or below /28", vpc, tier, z, c, vpc)
				}
				for _, q := range seen {
					if q.Overlaps(p) {
						t.Errorf("%s overlaps %s", p, q)
					}
				}
				seen = append(seen, p)
			}
		}
	}
}

// The isolated tier's ACL allows only the database port from the app tier
// and the replies; nothing from or to the internet.
func TestIsolatedACLAdmitsOnlyTheAppTier(t *testing.T) {
	args := &Args{VpcCidr: "10.16.0.0/20", ZoneIDs: []string{"apne1-az1", "apne1-az2"}, IngressCidrs: []string{"203.0.113.0/24"}, AppPort: 8080, DBPort: 5432}
	rules, err := aclRules(args)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules[config.TierIsolated] {
		p := netip.MustParsePrefix(r.cidr)
		if p.Bits() == 0 {
			t.Errorf("isolated tier rule to the internet: %+v", r)
		}
		if !r.egress && (r.from != 5432 || r.to != 5432) {
			t.Errorf("isolated tier admits %d-%d", r.from, r.to)
		}
	}
	if len(rules[config.TierIsolated]) != 4 {
		t.Errorf("want in+out for each of 2 app subnets, got %d rules", len(rules[config.TierIsolated]))
	}
}

// config.NaclEntries, which validation checks against the account's quota
// before anything is created, counts exactly the entries acls() derives:
// the denies and every allow, per tier and direction.
func TestNaclEntriesMatchDerivedRules(t *testing.T) {
	ranges := []string{"203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/25", "192.0.2.128/25"}
	for _, zones := range [][]string{{"apne1-az1", "apne1-az2"}, {"apne1-az1", "apne1-az2", "apne1-az4"}} {
		for _, nat := range []bool{false, true} {
			for n := 1; n <= len(ranges); n++ {
				cfg := config.Defaults()
				cfg.VpcCidr, cfg.AvailabilityZoneIDs, cfg.IngressCidrs = "10.16.0.0/20", zones, ranges[:n]
				if nat {
					cfg.EgressMode = "nat"
				}
				rules, err := aclRules(&Args{VpcCidr: cfg.VpcCidr, ZoneIDs: zones, IngressCidrs: cfg.IngressCidrs, NatEgress: nat, AppPort: 8080, DBPort: 5432})
				if err != nil {
					t.Fatal(err)
				}
				for _, tier := range config.Tiers {
					var got config.NaclCount
					got.Inbound = len(denyPorts(tier)) // the denies are inbound
					for _, r := range rules[tier] {
						if r.egress {
							got.Outbound++
						} else {
							got.Inbound++
						}
					}
					if want := config.NaclEntries(cfg, tier); got != want {
						t.Errorf("zones %d nat %v ranges %d, %s: derived %+v, config.NaclEntries %+v", len(zones), nat, n, tier, got, want)
					}
				}
			}
		}
	}
}

// An entry's number depends on the entry alone: adding an ingress range,
// a zone, or changing the app port moves no entry that stays. AWS holds
// one entry per number and direction, so a moved number would be a
// replacement colliding with its neighbour.
func TestEntryNumbersStayPut(t *testing.T) {
	base := &Args{VpcCidr: "10.16.0.0/20", ZoneIDs: []string{"apne1-az1", "apne1-az2"}, IngressCidrs: []string{"203.0.113.0/24"}, AppPort: 8080, DBPort: 5432}
	changed := map[string]*Args{
		"another ingress range": {VpcCidr: base.VpcCidr, ZoneIDs: base.ZoneIDs, IngressCidrs: []string{"198.51.100.0/24", "203.0.113.0/24"}, AppPort: 8080, DBPort: 5432},
		"another zone":          {VpcCidr: base.VpcCidr, ZoneIDs: []string{"apne1-az1", "apne1-az2", "apne1-az4"}, IngressCidrs: base.IngressCidrs, AppPort: 8080, DBPort: 5432},
		"another app port":      {VpcCidr: base.VpcCidr, ZoneIDs: base.ZoneIDs, IngressCidrs: base.IngressCidrs, AppPort: 9090, DBPort: 5432},
		"NAT egress":            {VpcCidr: base.VpcCidr, ZoneIDs: base.ZoneIDs, IngressCidrs: base.IngressCidrs, AppPort: 8080, DBPort: 5432, NatEgress: true},
	}
	numbers := func(a *Args) map[string]map[aclRule]int {
		rules, err := aclRules(a)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]map[aclRule]int{}
		for tier, rs := range rules {
			out[tier] = map[aclRule]int{}
			seen := map[[2]int]bool{}
			for _, n := range entryNumbers(rs) {
				if n.number < firstAllow || n.number > maxRuleNumber {
					t.Errorf("%s: number %d outside %d-%d", tier, n.number, firstAllow, maxRuleNumber)
				}
				dir := 0
				if n.egress {
					dir = 1
				}
				if seen[[2]int{dir, n.number}] {
					t.Errorf("%s: number %d twice in one direction", tier, n.number)
				}
				seen[[2]int{dir, n.number}] = true
				n.why = ""
				out[tier][n.aclRule] = n.number
			}
		}
		return out
	}
	before := numbers(base)
	for name, a := range changed {
		after := numbers(a)
		kept := 0
		for tier, entries := range before {
			for r, n := range entries {
				if m, ok := after[tier][r]; ok {
					kept++
					if m != n {
						t.Errorf("%s: %s entry %+v moved from %d to %d", name, tier, r, n, m)
					}
				}
			}
		}
		if kept == 0 {
			t.Errorf("%s: no entry kept; the comparison proves nothing", name)
		}
	}
}

// Two entries whose hashes meet take distinct numbers.
func TestEntryNumbersCollide(t *testing.T) {
	var rules []aclRule
	for i := range 4000 { // far more than one ACL holds: some hashes must meet
		rules = append(rules, aclRule{from: 443, to: 443, cidr: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24).String()})
	}
	seen := map[int]bool{}
	for _, n := range entryNumbers(rules) {
		if seen[n.number] {
			t.Fatalf("number %d given twice", n.number)
		}
		seen[n.number] = true
	}
	if len(seen) != len(rules) {
		t.Errorf("%d numbers for %d entries", len(seen), len(rules))
	}
}
