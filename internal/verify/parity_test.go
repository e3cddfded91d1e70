package verify

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policy"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// A variant is one change to a tenant, written twice: to the program's
// resource graph (what the plan rule judges before deploy) and to the
// in-memory world (what the live check reads after it). The plan rule and
// the live checks of the control must come to the same verdict.
type variant struct {
	name    string
	control string
	checks  []string
	plan    func(p *planSide)
	live    func(w *world, cfg *config.Tenant, inv *Inventory)
	// dedicated runs the variant on a tenant with its own trail.
	dedicated bool
}

// planSide is the program's graph of acme being edited: resources may be
// added (a new rule) or replaced by an edited copy.
type planSide struct {
	t   *testing.T
	cfg *config.Tenant
	g   *graph.Graph
	// extra are resources added; edited replace the graph's by name.
	extra  []*graph.Resource
	edited map[string]*graph.Resource
}

func (p *planSide) id(name string) string {
	p.t.Helper()
	r := p.g.ByName(name)
	if r == nil {
		p.t.Fatalf("no resource %s in the graph", name)
	}
	return r.ID
}

// edit gives a copy of a resource to change (its inputs copied shallowly).
func (p *planSide) edit(name string) *graph.Resource {
	p.t.Helper()
	if r, ok := p.edited[name]; ok {
		return r
	}
	r := p.g.ByName(name)
	if r == nil {
		p.t.Fatalf("no resource %s in the graph", name)
	}
	c := *r
	c.Inputs = maps.Clone(r.Inputs)
	p.edited[name] = &c
	return &c
}

func (p *planSide) add(r *graph.Resource) {
	r.Custom, r.Provider = true, "acme-aws"
	p.extra = append(p.extra, r)
}

// verdict of the plan rule on the edited graph.
func (p *planSide) verdict(rule string) catalog.Status {
	g := &graph.Graph{}
	for _, r := range p.g.All() {
		if e, ok := p.edited[r.Name]; ok {
			r = e
		}
		g.Add(r)
	}
	for _, r := range p.extra {
		g.Add(r)
	}
	in := &policy.Input{Graph: g, Tenant: p.cfg, Today: policy.TodayJST(), MockIDs: true,
		OtherStacks: map[string]netip.Prefix{"globex": netip.MustParsePrefix("10.16.16.0/20")}}
	for _, r := range policy.Evaluate(in) {
		if r.ID == rule {
			return r.Status
		}
	}
	p.t.Fatalf("no rule %s", rule)
	return ""
}

// liveVerdictOf: FAIL if any of the checks FAILs, PASS if each PASSes or
// does not apply, the odd status otherwise.
func liveVerdictOf(t *testing.T, v variant) catalog.Status {
	t.Helper()
	cfg := testkit.Load(t, "acme")
	if v.dedicated {
		cfg.TrailMode = expect.TrailDedicated
	}
	w, inv := newWorld(cfg)
	if v.dedicated {
		inv.Trail.Arn = expect.TrailArn(region, acct, expect.TrailName(cfg.TenantID))
		w.trail.Name, w.trail.TrailARN, w.trail.KmsKeyId = aws.String(expect.TrailName(cfg.TenantID)), aws.String(inv.Trail.Arn), aws.String(archiveKey)
	}
	v.live(w, cfg, inv)
	worst := catalog.Pass
	for _, id := range v.checks {
		r := runOne(t, w, cfg, inv, id)
		switch r.Status {
		case catalog.Fail:
			return catalog.Fail
		case catalog.Pass, catalog.NA:
		default:
			worst = r.Status
		}
	}
	return worst
}

// Every control with a plan rule and live checks, over generated variants
// of what both judge: security-group rules (every tier, protocol, port and
// source), network ACL entries, routes, bucket and key policies, alarms,
// the findings rule, subscriptions and labels. A variant one side FAILs and
// the other PASSes fails the test, naming both.
func TestPlanAndLiveJudgeAlikeGenerated(t *testing.T) {
	graphs := map[bool]*graph.Graph{}
	for _, dedicated := range []bool{false, true} {
		cfg := testkit.Load(t, "acme")
		if dedicated {
			cfg.TrailMode = expect.TrailDedicated
		}
		graphs[dedicated] = testkit.Run(t, cfg)
	}
	variants := generatedVariants()
	disagree := 0
	// Each family of variants holds some the control passes and some it
	// fails: a side that always passed (or always failed) would agree with
	// nothing it is compared with by accident.
	seen := map[string]map[catalog.Status]int{}
	for _, v := range variants {
		cfg := testkit.Load(t, "acme")
		if v.dedicated {
			cfg.TrailMode = expect.TrailDedicated
		}
		p := &planSide{t: t, cfg: cfg, g: graphs[v.dedicated], edited: map[string]*graph.Resource{}}
		v.plan(p)
		plan := p.verdict(v.control)
		live := liveVerdictOf(t, v)
		if plan == catalog.NA {
			plan = catalog.Pass
		}
		if plan != live {
			disagree++
			t.Errorf("%s (%s): plan %s, live %s", v.name, v.control, plan, live)
		}
		family := v.control + " " + strings.Join(v.checks, ",")
		if seen[family] == nil {
			seen[family] = map[catalog.Status]int{}
		}
		seen[family][live]++
	}
	for family, n := range seen {
		if n[catalog.Pass] == 0 || n[catalog.Fail] == 0 {
			t.Errorf("%s: %v: every variant judged the same", family, n)
		}
		t.Logf("%s: %d PASS, %d FAIL", family, n[catalog.Pass], n[catalog.Fail])
	}
	t.Logf("%d variants judged alike by the plan rules and the live checks (%d disagreed)", len(variants)-disagree, disagree)
	if len(variants) < 200 {
		t.Errorf("%d variants, want the generated families whole", len(variants))
	}
}

// tierGroup is the world's group of a tier and the graph's name for it.
var tierGroup = map[string]struct{ world, graph string }{
	"lb": {"sg-lb", "acme-sg-lb"}, "app": {"sg-app", "acme-sg-app"}, "db": {"sg-db", "acme-sg-db"}, "endpoints": {"sg-vpce", "acme-sg-endpoints"},
}

func worldGroup(w *world, id string) *ec2types.SecurityGroup {
	for i := range w.groups {
		if aws.ToString(w.groups[i].GroupId) == id {
			return &w.groups[i]
		}
	}
	panic("no group " + id)
}

func generatedVariants() []variant {
	var out []variant
	cfg := config.Tenant{}
	_ = cfg
	// Security-group ingress: every tier, protocol, port range and source,
	// as a rule resource and as an inline rule of the group.
	type ports struct{ from, to int32 }
	portSets := []ports{{22, 22}, {3389, 3389}, {443, 443}, {80, 80}, {8080, 8080}, {5432, 5432}, {20, 25}, {0, 65535}, {0, 0}}
	sources := []string{"cidr:0.0.0.0/0", "cidr:203.0.113.0/24", "cidr:10.16.0.0/20", "cidr:::/0", "group:lb", "group:app", "group:other"}
	for _, tier := range expect.Tiers {
		for _, proto := range []string{"tcp", "udp", "-1"} {
			for _, ps := range portSets {
				if (proto == "-1") != (ps.from == 0) {
					continue // every protocol is written with ports 0-0 or 0-65535; others name ports
				}
				for _, src := range sources {
					for _, inline := range []bool{false, true} {
						if inline && (proto == "udp" || src == "group:other") {
							continue
						}
						out = append(out, sgVariant(tier, proto, ps.from, ps.to, src, inline)...)
					}
				}
			}
		}
	}
	// Network ACL entries ahead of, between and after the denies.
	for _, n := range []int32{1, 50, 150} {
		for _, allow := range []bool{true, false} {
			for _, proto := range []string{"6", "-1", "17"} {
				for _, ps := range []ports{{22, 22}, {3389, 3389}, {443, 443}, {0, 65535}} {
					for _, cidr := range []string{"0.0.0.0/0", "10.0.0.0/8"} {
						out = append(out, naclVariant(n, allow, proto, ps.from, ps.to, cidr))
					}
				}
			}
		}
	}
	// Routes: every kind of target, to the internet, a private range and
	// another tenant's.
	for _, target := range []string{"igw", "vgw", "tgw", "pcx", "eni"} {
		for _, dest := range []string{"0.0.0.0/0", "192.168.0.0/16", "10.16.16.0/20"} {
			out = append(out, routeVariant(target, dest))
		}
	}
	out = append(out, policyVariants()...)
	out = append(out, alarmVariants()...)
	out = append(out, ruleVariants()...)
	out = append(out, trailVariants()...)
	return out
}

// trailVariants change a dedicated trail's management selector and its
// destination on both sides.
func trailVariants() []variant {
	type change struct {
		name   string
		fields []string // extra field selectors on the management selector: "field=value"
		bucket string   // "" keeps the destination
	}
	changes := []change{
		{"as built", nil, ""},
		{"writes only", []string{"readOnly=false"}, ""},
		{"reads only", []string{"readOnly=true"}, ""},
		{"KMS events left out", []string{"eventSource!=kms.amazonaws.com"}, ""},
		{"into another bucket", nil, "someone-elses-bucket"},
	}
	var out []variant
	for _, c := range changes {
		out = append(out, variant{name: "dedicated trail: " + c.name, control: "WP-27", checks: []string{"WP-27/trail"}, dedicated: true,
			plan: func(p *planSide) {
				tr := p.g.OfType("aws:cloudtrail/trail:Trail")[0]
				r := p.edit(tr.Name)
				if c.bucket != "" {
					r.Inputs["s3BucketName"] = c.bucket
				}
				var sels []any
				for _, s := range asListOf(r.Inputs["advancedEventSelectors"]) {
					s = maps.Clone(s)
					fs := asListOf(s["fieldSelectors"])
					if len(fs) == 1 && fs[0]["field"] == "eventCategory" {
						var nfs []any
						nfs = append(nfs, fs[0])
						for _, f := range c.fields {
							k, v, neg := cutField(f)
							op := "equals"
							if neg {
								op = "notEquals"
							}
							nfs = append(nfs, map[string]any{"field": k, op: []any{v}})
						}
						s["fieldSelectors"] = nfs
					}
					sels = append(sels, s)
				}
				r.Inputs["advancedEventSelectors"] = sels
			},
			live: func(w *world, _ *config.Tenant, _ *Inventory) {
				if c.bucket != "" {
					w.trail.S3BucketName = aws.String(c.bucket)
				}
				for i, s := range w.selectors {
					if len(s.FieldSelectors) == 1 && aws.ToString(s.FieldSelectors[0].Field) == "eventCategory" {
						for _, f := range c.fields {
							k, v, neg := cutField(f)
							fs := cttypes.AdvancedFieldSelector{Field: aws.String(k), Equals: []string{v}}
							if neg {
								fs = cttypes.AdvancedFieldSelector{Field: aws.String(k), NotEquals: []string{v}}
							}
							w.selectors[i].FieldSelectors = append(slices.Clone(w.selectors[i].FieldSelectors), fs)
						}
					}
				}
			}})
	}
	return out
}

func cutField(f string) (k, v string, neg bool) {
	if k, v, ok := strings.Cut(f, "!="); ok {
		return k, v, true
	}
	k, v, _ = strings.Cut(f, "=")
	return k, v, false
}

func asListOf(v any) []map[string]any {
	var out []map[string]any
	xs, _ := v.([]any)
	for _, x := range xs {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func sgVariant(tier, proto string, from, to int32, src string, inline bool) []variant {
	kind, value, _ := strings.Cut(src, ":")
	name := fmt.Sprintf("%s ingress %s %d-%d from %s (inline %v)", tier, proto, from, to, src, inline)
	checks := map[string][]string{"WP-18": {"WP-18/no-ssh-rdp"}, "WP-20.1": {"WP-20.1/tier-matrix"}, "WP-20.2": {"WP-20.2/protocols"}}
	var out []variant
	for _, control := range []string{"WP-18", "WP-20.1", "WP-20.2"} {
		out = append(out, variant{name: name, control: control, checks: checks[control],
			plan: func(p *planSide) {
				if inline {
					sg := p.edit(tierGroup[tier].graph)
					rule := map[string]any{"protocol": proto, "fromPort": float64(from), "toPort": float64(to)}
					switch {
					case kind == "cidr" && strings.Contains(value, ":"):
						rule["ipv6CidrBlocks"] = []any{value}
					case kind == "cidr":
						rule["cidrBlocks"] = []any{value}
					default:
						rule["securityGroups"] = []any{p.id(tierGroup[value].graph)}
					}
					sg.Inputs["ingress"] = []any{rule}
					return
				}
				in := map[string]any{"ipProtocol": proto, "fromPort": float64(from), "toPort": float64(to), "securityGroupId": p.id(tierGroup[tier].graph)}
				switch {
				case kind == "cidr" && strings.Contains(value, ":"):
					in["cidrIpv6"] = value
				case kind == "cidr":
					in["cidrIpv4"] = value
				case value == "other":
					in["referencedSecurityGroupId"] = "sg-0f0f0f0f"
				default:
					in["referencedSecurityGroupId"] = p.id(tierGroup[value].graph)
				}
				p.add(&graph.Resource{Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "acme-variant-in", Inputs: in})
			},
			live: func(w *world, _ *config.Tenant, _ *Inventory) {
				perm := ec2types.IpPermission{IpProtocol: aws.String(proto)}
				if proto != "-1" {
					perm.FromPort, perm.ToPort = aws.Int32(from), aws.Int32(to)
				}
				switch {
				case kind == "cidr" && strings.Contains(value, ":"):
					perm.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(value)}}
				case kind == "cidr":
					perm.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(value)}}
				case value == "other":
					perm.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-0f0f0f0f")}}
				default:
					perm.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(tierGroup[value].world)}}
				}
				g := worldGroup(w, tierGroup[tier].world)
				g.IpPermissions = append(g.IpPermissions, perm)
			}})
	}
	return out
}

func naclVariant(n int32, allow bool, proto string, from, to int32, cidr string) variant {
	action := map[bool]string{true: "allow", false: "deny"}[allow]
	return variant{name: fmt.Sprintf("NACL entry %d %s %s %d-%d %s", n, action, proto, from, to, cidr), control: "WP-20.2", checks: []string{"WP-20.2/nacls"},
		plan: func(p *planSide) {
			p.add(&graph.Resource{Type: "aws:ec2/networkAclRule:NetworkAclRule", Name: "acme-variant-nacl", Inputs: map[string]any{
				"networkAclId": p.id("acme-net-nacl-private"), "ruleNumber": float64(n), "ruleAction": action, "protocol": proto,
				"fromPort": float64(from), "toPort": float64(to), "egress": false, "cidrBlock": cidr}})
		},
		live: func(w *world, _ *config.Tenant, _ *Inventory) {
			e := ec2types.NetworkAclEntry{RuleNumber: aws.Int32(n), Protocol: aws.String(proto), RuleAction: ec2types.RuleAction(action), Egress: aws.Bool(false),
				CidrBlock: aws.String(cidr)}
			if proto != "-1" {
				e.PortRange = &ec2types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}
			}
			w.acls[0].Entries = append(w.acls[0].Entries, e)
		}}
}

func routeVariant(target, dest string) variant {
	return variant{name: fmt.Sprintf("route %s via %s", dest, target), control: "WP-31", checks: []string{"WP-31/routes"},
		plan: func(p *planSide) {
			in := map[string]any{"routeTableId": p.id("acme-net-rt-private"), "destinationCidrBlock": dest}
			switch target {
			case "igw":
				in["gatewayId"] = p.id("acme-net-igw")
			case "vgw":
				in["gatewayId"] = "vgw-0a0a0a0a"
			case "tgw":
				in["transitGatewayId"] = "tgw-0a0a0a0a"
			case "pcx":
				in["vpcPeeringConnectionId"] = "pcx-0a0a0a0a"
			case "eni":
				in["networkInterfaceId"] = "eni-0a0a0a0a"
			}
			p.add(&graph.Resource{Type: "aws:ec2/route:Route", Name: "acme-variant-route", Inputs: in})
		},
		live: func(w *world, _ *config.Tenant, _ *Inventory) {
			r := ec2types.Route{DestinationCidrBlock: aws.String(dest)}
			switch target {
			case "igw":
				r.GatewayId = aws.String("igw-1")
			case "vgw":
				r.GatewayId = aws.String("vgw-0a0a0a0a")
			case "tgw":
				r.TransitGatewayId = aws.String("tgw-0a0a0a0a")
			case "pcx":
				r.VpcPeeringConnectionId = aws.String("pcx-0a0a0a0a")
			case "eni":
				r.NetworkInterfaceId = aws.String("eni-0a0a0a0a")
			}
			w.routes[0].Routes = append(w.routes[0].Routes, r)
		}}
}

// policyVariants edit the personal bucket's policy and the key's policy
// alike on both sides.
func policyVariants() []variant {
	type docEdit struct {
		name string
		edit func(d *policydoc.Document, arn, account string)
	}
	bucketEdits := []docEdit{
		{"as built", func(*policydoc.Document, string, string) {}},
		{"an Allow to * on objects", func(d *policydoc.Document, arn, _ string) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Open", Effect: "Allow", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:GetObject"), Resource: policydoc.List(arn + "/*")})
		}},
		{"the deny of other tenants gone", withoutTenantDeny},
		{"the endpoint deny gone", func(d *policydoc.Document, _, _ string) {
			d.Statement = slices.DeleteFunc(d.Statement, func(s policydoc.Statement) bool {
				return len(s.ConditionValues("StringNotEquals", "aws:SourceVpce")) > 0
			})
		}},
		{"an Allow to * held to the account only", func(d *policydoc.Document, arn, account string) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Account", Effect: "Allow", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:GetObject"), Resource: policydoc.List(arn + "/*"),
				Condition: policydoc.Condition{"StringEquals": {"aws:PrincipalAccount": policydoc.List(account)}}})
		}},
	}
	var out []variant
	for _, e := range bucketEdits {
		out = append(out, variant{name: "personal bucket policy: " + e.name, control: "WP-17", checks: []string{"WP-17/bucket-policies"},
			plan: func(p *planSide) {
				const account = "123456789012"
				name := expect.BucketName("acme", "personal", account)
				for _, r := range p.g.OfType("aws:s3/bucketPolicy:BucketPolicy") {
					s, _ := r.String("policy")
					if !strings.Contains(s, `"arn:aws:s3:::`+name+`"`) {
						continue
					}
					doc, _ := policydoc.Parse(s)
					e.edit(doc, expect.BucketArn(name), account)
					p.edit(r.Name).Inputs["policy"] = doc.JSON()
				}
			},
			live: func(w *world, _ *config.Tenant, inv *Inventory) {
				b := w.buckets[inv.Buckets.Data["personal"]]
				doc, _ := policydoc.Parse(b.policy)
				e.edit(doc, expect.BucketArn(inv.Buckets.Data["personal"]), inv.AccountID)
				b.policy = doc.JSON()
			}})
	}
	keyEdits := []docEdit{
		{"as built", func(*policydoc.Document, string, string) {}},
		{"Decrypt to another account", func(d *policydoc.Document, _, _ string) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Elsewhere", Effect: "Allow", Principal: policydoc.AWS("arn:aws:iam::999988887777:root"), Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List("*")})
		}},
		{"use through S3 by every principal of the account", func(d *policydoc.Document, _, account string) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "ViaS3", Effect: "Allow", Principal: policydoc.AWS("*"), Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List("*"),
				Condition: policydoc.Condition{"StringEquals": {"kms:CallerAccount": policydoc.List(account), "kms:ViaService": policydoc.List("s3.ap-northeast-1.amazonaws.com")}}})
		}},
		{"the deny of other tenants gone", withoutTenantDeny},
		{"another service", func(d *policydoc.Document, _, _ string) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Lambda", Effect: "Allow", Principal: policydoc.Service("lambda.amazonaws.com"), Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List("*")})
		}},
	}
	for _, e := range keyEdits {
		out = append(out, variant{name: "key policy: " + e.name, control: "WP-17", checks: []string{"WP-17/key-policy"},
			plan: func(p *planSide) {
				k := p.g.OfType("aws:kms/key:Key")[0]
				s, _ := k.String("policy")
				doc, _ := policydoc.Parse(s)
				e.edit(doc, "", "123456789012")
				p.edit(k.Name).Inputs["policy"] = doc.JSON()
			},
			live: func(w *world, _ *config.Tenant, inv *Inventory) {
				doc, _ := policydoc.Parse(w.keyPolicy)
				e.edit(doc, "", inv.AccountID)
				w.keyPolicy = doc.JSON()
			}})
	}
	// Labels: the personal bucket's DataClassification.
	for _, label := range []string{"personal", "public", "confidential", ""} {
		out = append(out, variant{name: "personal bucket labelled " + label, control: "WP-12", checks: []string{"WP-12/labels"},
			plan: func(p *planSide) {
				for _, b := range p.g.OfType("aws:s3/bucketV2:BucketV2") {
					if n, _ := b.String("bucket"); strings.HasPrefix(n, "tk-acme-personal-") {
						r := p.edit(b.Name)
						tags, _ := r.Inputs["tags"].(map[string]any)
						tags = maps.Clone(tags)
						if tags == nil {
							tags = map[string]any{}
						}
						if label == "" {
							delete(tags, "DataClassification")
						} else {
							tags["DataClassification"] = label
						}
						r.Inputs["tags"] = tags
					}
				}
			},
			live: func(w *world, _ *config.Tenant, inv *Inventory) {
				tags := w.buckets[inv.Buckets.Data["personal"]].tags
				if label == "" {
					delete(tags, "DataClassification")
				} else {
					tags["DataClassification"] = label
				}
			}})
	}
	return out
}

// alarmVariants change one field of the CPU alarm on both sides.
func alarmVariants() []variant {
	type change struct {
		field string
		plan  any
		live  func(a *cwtypes.MetricAlarm)
	}
	changes := []change{
		{"comparisonOperator", "LessThanThreshold", func(a *cwtypes.MetricAlarm) { a.ComparisonOperator = cwtypes.ComparisonOperatorLessThanThreshold }},
		{"comparisonOperator", "GreaterThanThreshold", func(a *cwtypes.MetricAlarm) { a.ComparisonOperator = cwtypes.ComparisonOperatorGreaterThanThreshold }},
		{"period", 86400.0, func(a *cwtypes.MetricAlarm) { a.Period = aws.Int32(86400) }},
		{"evaluationPeriods", 10.0, func(a *cwtypes.MetricAlarm) { a.EvaluationPeriods = aws.Int32(10) }},
		{"statistic", "Minimum", func(a *cwtypes.MetricAlarm) { a.Statistic = cwtypes.StatisticMinimum }},
		{"threshold", 99.0, func(a *cwtypes.MetricAlarm) { a.Threshold = aws.Float64(99) }},
		{"treatMissingData", "notBreaching", func(a *cwtypes.MetricAlarm) { a.TreatMissingData = aws.String("notBreaching") }},
		{"namespace", "AWS/EC2", func(a *cwtypes.MetricAlarm) { a.Namespace = aws.String("AWS/EC2") }},
	}
	var out []variant
	for _, c := range changes {
		out = append(out, variant{name: fmt.Sprintf("CPU alarm %s %v", c.field, c.plan), control: "WP-24", checks: []string{"WP-24/alarms"},
			plan: func(p *planSide) { p.edit("acme-mon-cpu").Inputs[c.field] = c.plan },
			live: func(w *world, _ *config.Tenant, _ *Inventory) { c.live(&w.alarms[0]) }})
	}
	for _, email := range []string{"secops@example.co.jp", "someone@example.net"} {
		out = append(out, variant{name: "the subscription's address " + email, control: "WP-24", checks: []string{"WP-24/subscribers"},
			plan: func(p *planSide) {
				for _, s := range p.g.OfType("aws:sns/topicSubscription:TopicSubscription") {
					p.edit(s.Name).Inputs["endpoint"] = email
				}
			},
			live: func(w *world, cfg *config.Tenant, _ *Inventory) {
				w.subscriptions = []snstypes.Subscription{{SubscriptionArn: aws.String(topic + ":0b1c2d3e"), Protocol: aws.String("email"), Endpoint: aws.String(email)}}
			}})
	}
	return out
}

// ruleVariants change the GuardDuty findings rule's pattern and state.
func ruleVariants() []variant {
	patterns := []string{
		expect.FindingsPattern(),
		`{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}`,
		`{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"]}`,
		`{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",4]}],"type":["Recon:EC2/PortProbeUnprotectedPort"]}}`,
	}
	var out []variant
	for i, pat := range patterns {
		for _, state := range []string{"ENABLED", "DISABLED"} {
			out = append(out, variant{name: fmt.Sprintf("findings rule pattern %d %s", i, state), control: "WP-37", checks: []string{"WP-37/findings-rule"},
				plan: func(p *planSide) {
					r := p.edit("acme-mon-guardduty")
					r.Inputs["eventPattern"], r.Inputs["state"] = pat, state
				},
				live: func(w *world, _ *config.Tenant, _ *Inventory) {
					w.rule.EventPattern, w.rule.State = aws.String(pat), ebtypes.RuleState(state)
				}})
		}
	}
	return out
}

// withoutTenantDeny drops the statement that denies acme's other tenants.
func withoutTenantDeny(d *policydoc.Document, _, _ string) {
	for i := range d.Statement {
		one := policydoc.Document{Statement: []policydoc.Statement{d.Statement[i]}}
		if one.DeniesOtherTenants("acme") {
			d.Statement = slices.Delete(d.Statement, i, i+1)
			return
		}
	}
}
