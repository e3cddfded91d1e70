package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The live checks on answers shaped as AWS sends them (the API reference's
// examples): case, paging, every selector operator, NACL semantics.

// DescribeVpcEndpoints reports "available" in lowercase: every endpoint
// FAILed before.
func TestWireEndpointsLowercaseState(t *testing.T) {
	w := newWire(t)
	tg, inv := wireTarget(t, w)
	svcs := map[string]string{"s3": "Gateway"}
	for _, s := range config.RequiredInterfaceEndpoints {
		svcs[s] = "Interface"
	}
	w.answer("ec2", "DescribeVpcEndpoints", xmlVpcEndpoints(inv.VpcID, svcs))
	wantStatus(t, runWire(t, tg, "WP-31/endpoints"), catalog.Pass, "")
	delete(svcs, "ec2")
	w.answer("ec2", "DescribeVpcEndpoints", xmlVpcEndpoints(inv.VpcID, svcs))
	wantStatus(t, runWire(t, tg, "WP-31/endpoints"), catalog.Fail, "VPC endpoint ec2")
}

// ListAssociations holds 50 a page; the tenant's may be on the second.
func TestWirePatchingOnALaterPage(t *testing.T) {
	w := newWire(t)
	tg, inv := wireTarget(t, w)
	var first [][3]string
	for i := 0; i < 50; i++ {
		other := fmt.Sprintf("tenant%02d", i)
		first = append(first, [3]string{config.PatchAssociationName(other), "AWS-RunPatchBaseline", "tk-" + other + "-app"})
	}
	w.pages("ssm", "ListAssociations", "NextToken",
		jsonAssociations("page2", first...),
		jsonAssociations("", [3]string{config.PatchAssociationName("acme"), "AWS-RunPatchBaseline", inv.AutoScalingGroup}))
	wantStatus(t, runWire(t, tg, "WP-30/patching"), catalog.Pass, "")
	if w.calls["ssm.ListAssociations"] != 2 {
		t.Errorf("ListAssociations called %d times, want both pages", w.calls["ssm.ListAssociations"])
	}
	// An association of another document, or on other instances, is none.
	w.pages("ssm", "ListAssociations", "NextToken",
		jsonAssociations("", [3]string{config.PatchAssociationName("acme"), "AWS-RunShellScript", inv.AutoScalingGroup}))
	wantStatus(t, runWire(t, &Target{Inv: tg.Inv, Cfg: tg.Cfg, Clients: tg.Clients}, "WP-30/patching"), catalog.Fail, "acme")
}

// Trail coverage: every field selector and operator evaluated.
func TestWireTrailCoverage(t *testing.T) {
	cfg := testkit.Load(t, "acme")
	_, inv := newWorld(cfg)
	bucket := inv.Trail.Coverage[0]
	var prefixes []string
	for _, b := range inv.Trail.Coverage {
		prefixes = append(prefixes, b+"/")
	}
	mgmt := selector("Management events", field("eventCategory", "Equals", "Management"))
	data := func(fields ...map[string]any) map[string]any {
		return selector("Tenant data buckets", append([]map[string]any{field("eventCategory", "Equals", "Data"), field("resources.type", "Equals", "AWS::S3::Object")}, fields...)...)
	}
	cases := []struct {
		name      string
		selectors []map[string]any
		want      catalog.Status
	}{
		{"prefix of each bucket", []map[string]any{mgmt, data(field("resources.ARN", "StartsWith", prefixes...))}, catalog.Pass},
		{"every bucket (no ARN field)", []map[string]any{mgmt, data()}, catalog.Pass},
		{"read and write split over two selectors", []map[string]any{
			data(field("readOnly", "Equals", "true")), data(field("readOnly", "Equals", "false"), field("resources.ARN", "StartsWith", prefixes...))}, catalog.Pass},
		{"only reads", []map[string]any{data(field("readOnly", "Equals", "true"))}, catalog.Fail},
		{"NotStartsWith the bucket excludes it", []map[string]any{data(field("resources.ARN", "NotStartsWith", bucket+"/"))}, catalog.Fail},
		{"NotStartsWith another bucket", []map[string]any{data(field("resources.ARN", "NotStartsWith", "arn:aws:s3:::someone-else/"))}, catalog.Pass},
		{"Equals one object only", []map[string]any{data(field("resources.ARN", "Equals", bucket+"/index.html"))}, catalog.Fail},
		{"NotEquals one object", []map[string]any{data(field("resources.ARN", "NotEquals", bucket+"/index.html"))}, catalog.Fail},
		{"a narrower prefix", []map[string]any{data(field("resources.ARN", "StartsWith", bucket+"/logs/"))}, catalog.Fail},
		{"some event names only", []map[string]any{data(field("eventName", "Equals", "PutObject"))}, catalog.Fail},
		{"a field not understood", []map[string]any{data(field("userIdentity.arn", "NotStartsWith", "arn:aws:iam::111122223333:role/ops"))}, catalog.Fail},
		{"management events only", []map[string]any{mgmt}, catalog.Fail},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWire(t)
			tg, inv := wireTarget(t, w)
			w.answer("cloudtrail", "DescribeTrails", jsonTrails(trailEntry("tenantkit-shared", region, archiveKey)))
			w.answer("cloudtrail", "GetEventSelectors", jsonAdvancedSelectors(inv.Trail.Arn, tc.selectors...))
			wantStatus(t, runWire(t, tg, "WP-27/trail-coverage"), tc.want, "")
		})
	}
}

// A deny of a narrow range, or of another protocol, protects nothing; IPv4
// and IPv6 are judged apart.
func TestWireNaclsJudgedLikeAWS(t *testing.T) {
	deny22 := naclEntry{10, "6", "deny", "0.0.0.0/0", "", 22, 22}
	deny3389 := naclEntry{11, "6", "deny", "0.0.0.0/0", "", 3389, 3389}
	allowAll := naclEntry{100, "-1", "allow", "0.0.0.0/0", "", 0, 0}
	ephemeral := naclEntry{100, "6", "allow", "0.0.0.0/0", "", 1024, 65535}
	cases := []struct {
		name    string
		entries []naclEntry
		lbThere bool // the load balancer sits in the ACL's subnets
		want    catalog.Status
	}{
		{"denies first", []naclEntry{deny22, deny3389, ephemeral}, false, catalog.Pass},
		{"narrow deny ahead of allow all", []naclEntry{{10, "6", "deny", "192.0.2.1/32", "", 22, 22}, deny3389, allowAll}, false, catalog.Fail},
		{"udp deny ahead of allow all", []naclEntry{{10, "17", "deny", "0.0.0.0/0", "", 22, 22}, deny3389, allowAll}, false, catalog.Fail},
		{"IPv4 denied, IPv6 open", []naclEntry{deny22, deny3389, {50, "6", "allow", "", "::/0", 1, 65535}}, false, catalog.Fail},
		{"no entry for the port at all", []naclEntry{{100, "6", "allow", "0.0.0.0/0", "", 443, 443}}, false, catalog.Pass},
		// #34 item 5: the return range of the load balancer's subnets.
		{"3389 in the return range, no load balancer there", []naclEntry{deny22, ephemeral}, false, catalog.Fail},
		{"3389 in the load balancer's return range", []naclEntry{deny22, ephemeral}, true, catalog.Pass},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWire(t)
			tg, inv := wireTarget(t, w)
			w.answer("ec2", "DescribeNetworkAcls", xmlNetworkAcls(inv.VpcID, inv.SubnetIDs, tc.entries))
			var lbSubnets []string
			if tc.lbThere {
				lbSubnets = inv.SubnetIDs
			}
			w.answer("elasticloadbalancing", "DescribeLoadBalancers", xmlLoadBalancers(inv.LoadBalancerArn, lbSubnets...))
			w.answer("ec2", "DescribeNatGateways", xmlNoNatGateways())
			wantStatus(t, runWire(t, tg, "WP-20.2/nacls"), tc.want, "")
		})
	}
}

// Every group of the tenant's VPC is read, all pages: a hand-made group
// opening 22 is found, and fails the tier matrix as a group nobody made.
func TestWireGroupsOutsideTheInventory(t *testing.T) {
	w := newWire(t)
	tg, inv := wireTarget(t, w)
	groups := acmeGroups(inv, tg.Cfg.IngressCidrs)
	handmade := sgItem{"sg-0handmade", "debug", vpcID, []sgPerm{{proto: "tcp", from: 22, to: 22, cidrs: []string{"0.0.0.0/0"}}}}
	w.pages("ec2", "DescribeSecurityGroups", "NextToken", xmlSecurityGroups("page2", groups[:3]...), xmlSecurityGroups("", append(groups[3:], handmade)...))
	wantStatus(t, runWire(t, tg, "WP-18/no-ssh-rdp"), catalog.Fail, "sg-0handmade")
	tg, _ = wireTarget(t, w)
	wantStatus(t, runWire(t, tg, "WP-20.1/tier-matrix"), catalog.Fail, "sg-0handmade")
	// Without it, both pages read, all PASS.
	w.pages("ec2", "DescribeSecurityGroups", "NextToken", xmlSecurityGroups("page2", groups[:3]...), xmlSecurityGroups("", groups[3:]...))
	tg, _ = wireTarget(t, w)
	wantStatus(t, runWire(t, tg, "WP-20.1/tier-matrix"), catalog.Pass, "")
}

// A suspended tenant admits nothing from outside: a prefix list, a group
// of another VPC or account is outside; no group at all is ERROR.
func TestWireSuspendedOutsideSources(t *testing.T) {
	for name, extra := range map[string]sgPerm{
		"prefix list":              {proto: "tcp", from: 8080, to: 8080, prefixList: []string{"pl-6da54004"}},
		"group of another VPC":     {proto: "tcp", from: 8080, to: 8080, groups: []string{"sg-peer@vpc-other@111122223333"}},
		"group of another account": {proto: "tcp", from: 8080, to: 8080, groups: []string{"sg-lb@" + vpcID + "@444455556666"}},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWire(t)
			tg, inv := wireTarget(t, w)
			tg.Cfg.Lifecycle = config.Lifecycle{State: config.StateSuspended, CancelledOn: "2026-11-20"}
			groups := acmeGroups(inv, nil)
			groups[0].in = nil // the suspended load balancer admits nothing
			groups[1].in = append(groups[1].in, extra)
			w.answer("ec2", "DescribeSecurityGroups", xmlSecurityGroups("", groups...))
			w.answer("elasticloadbalancing", "DescribeListeners", xmlListeners(inv.LoadBalancerArn, config.DefaultTLSPolicy))
			wantStatus(t, runWire(t, tg, "WP-10/suspended"), catalog.Fail, "sg-app")
		})
	}
	w := newWire(t)
	tg, _ := wireTarget(t, w)
	tg.Cfg.Lifecycle = config.Lifecycle{State: config.StateSuspended, CancelledOn: "2026-11-20"}
	w.answer("ec2", "DescribeSecurityGroups", xmlSecurityGroups(""))
	w.answer("elasticloadbalancing", "DescribeListeners", xmlListeners(tg.Inv.LoadBalancerArn, config.DefaultTLSPolicy))
	if r := runWire(t, tg, "WP-10/suspended"); r.Status != catalog.Error && r.Status != catalog.Fail {
		t.Errorf("no groups found: %s, want ERROR (nothing proved)", r.Status)
	}
}

// The log buckets' delete deny must have the exact shape: an exemption of
// everyone in the account (ArnNotLike arn:aws:iam::ACCT:*) is no deny.
func TestWireLogBucketDenyShape(t *testing.T) {
	archive := func(t *testing.T, condition string, configDeny bool) CheckResult {
		w := newWire(t)
		tg, inv := wireTarget(t, w)
		arn := "arn:aws:s3:::" + inv.Buckets.LogArchive
		// The form AWS's examples use: Statement as a list, Principal "*".
		policy := `{"Version":"2012-10-17","Statement":[{"Sid":"DenyDeletes","Effect":"Deny","Principal":"*",` +
			`"Action":["s3:DeleteObject","s3:DeleteObjectVersion"],"Resource":"` + arn + `/*","Condition":` + condition + `}`
		if configDeny {
			policy += `,{"Sid":"DenyRuleChanges","Effect":"Deny","Principal":"*","Action":["s3:DeleteBucketPolicy","s3:PutBucketPolicy",` +
				`"s3:PutLifecycleConfiguration","s3:PutBucketVersioning","s3:PutEncryptionConfiguration","s3:PutBucketObjectLockConfiguration"],` +
				`"Resource":["` + arn + `","` + arn + `/*"],"Condition":` + condition + `}`
		}
		policy += `]}`
		w.answer("s3", "GetBucketVersioning", xmlVersioningEnabled)
		w.answer("s3", "GetBucketPolicy", policy)
		w.answer("s3", "GetObjectLockConfiguration", xmlObjectLock(tg.Cfg.ObjectLockMode, tg.Cfg.ObjectLockDays))
		tg.Inv.Buckets.ServiceLogs = inv.Buckets.LogArchive // judge the archive twice; one policy fixture
		return runWire(t, tg, "WP-39/log-buckets")
	}
	admin := "arn:aws:iam::111122223333:role/tenants/acme/tk-acme-log-admin"
	exempt := `{"ArnNotLike":{"aws:PrincipalArn":["` + admin + `","` + deployer + `"]}}`
	wantStatus(t, archive(t, exempt, true), catalog.Pass, "")
	wantStatus(t, archive(t, exempt, false), catalog.Fail, "configuration changes not denied")
	wantStatus(t, archive(t, `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:*"}}`, true), catalog.Fail, "exempts arn:aws:iam::111122223333:*")
	wantStatus(t, archive(t, `{"ArnLike":{"aws:PrincipalArn":"`+admin+`"}}`, true), catalog.Fail, "ArnLike")
	wantStatus(t, archive(t, `{"ArnNotLike":{"aws:PrincipalArn":"`+admin+`"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, true), catalog.Fail, "2 condition operators")
}

// S3 and KMS keep a key as it was written: a key id or an alias names
// the tenant key as well as its ARN.
func TestWireKeyByIdOrAlias(t *testing.T) {
	for _, written := range []string{"k-1", "alias/tk-acme", keyArn} {
		t.Run(written, func(t *testing.T) {
			w := newWire(t)
			tg, inv := wireTarget(t, w)
			tg.Inv.Buckets.Data = map[string]string{"confidential": inv.Buckets.Data["confidential"]}
			tg.Inv.Buckets.ServiceLogs, tg.Inv.Buckets.LogArchive = "", ""
			w.answer("s3", "GetBucketEncryption", xmlBucketEncryption("aws:kms", written))
			w.answer("kms", "DescribeKey", jsonDescribeKey(keyArn))
			wantStatus(t, runWire(t, tg, "WP-21.1/bucket-encryption"), catalog.Pass, "")
		})
	}
	w := newWire(t)
	tg, inv := wireTarget(t, w)
	tg.Inv.Buckets.Data = map[string]string{"confidential": inv.Buckets.Data["confidential"]}
	tg.Inv.Buckets.ServiceLogs, tg.Inv.Buckets.LogArchive = "", ""
	w.answer("s3", "GetBucketEncryption", xmlBucketEncryption("aws:kms", "alias/someone-else"))
	w.answer("kms", "DescribeKey", jsonDescribeKey("arn:aws:kms:ap-northeast-1:111122223333:key/5d4e0a8f-0000-4000-8000-00000000e15e"))
	wantStatus(t, runWire(t, tg, "WP-21.1/bucket-encryption"), catalog.Fail, "alias/someone-else")
}

// An Osaka (DR) tenant's shared trail is homed in Tokyo: it is found by
// name among the shadow trails Osaka lists.
func TestWireSharedTrailFromOsaka(t *testing.T) {
	w := newWire(t)
	tg, inv := wireTarget(t, w)
	tg.Clients = w.clients(t, "ap-northeast-3")
	tg.Inv.Region = "ap-northeast-3"
	inv.Trail.Arn = "arn:aws:cloudtrail:ap-northeast-3:111122223333:trail/tenantkit-shared" // as discovery builds it
	w.answer("cloudtrail", "DescribeTrails", jsonTrails(trailEntry("other-trail", "ap-northeast-3", archiveKey), trailEntry("tenantkit-shared", "ap-northeast-1", archiveKey)))
	w.answer("cloudtrail", "GetTrailStatus", jsonTrailStatus)
	w.answer("cloudtrail", "GetEventSelectors", jsonAdvancedSelectors(inv.Trail.Arn, selector("Management events", field("eventCategory", "Equals", "Management"))))
	w.answer("kms", "DescribeKey", jsonDescribeKey(archiveKey))
	r := runWire(t, tg, "WP-27/trail")
	wantStatus(t, r, catalog.Pass, "")
}

// The launch template is judged at the version the group launches, not
// $Latest.
func TestWireLaunchTemplateRunningVersion(t *testing.T) {
	for name, tc := range map[string]struct {
		running, tokens string
		want            catalog.Status
	}{
		"running version hardened, latest not": {"2", "required", catalog.Pass},
		"running version IMDSv1":               {"2", "optional", catalog.Fail},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWire(t)
			tg, inv := wireTarget(t, w)
			w.answer("autoscaling", "DescribeAutoScalingGroups", xmlAutoScalingGroup(inv.AutoScalingGroup, inv.LaunchTemplate, tc.running))
			w.on("ec2", "DescribeLaunchTemplateVersions", func(r wireRequest) (int, string) {
				v := r.Form.Get("LaunchTemplateVersion.1")
				if v == tc.running {
					return 200, xmlLaunchTemplateVersion(inv.LaunchTemplate, v, tc.tokens, keyArn)
				}
				return 200, xmlLaunchTemplateVersion(inv.LaunchTemplate, "3", "optional", keyArn) // $Latest: a draft
			})
			wantStatus(t, runWire(t, tg, "WP-20.4/launch-template"), tc.want, "")
		})
	}
}

// The TLS policy is judged by the protocols and ciphers AWS says it
// allows: the post-quantum policies AWS recommends pass; an old policy
// fails on its protocols, an Ext policy on its ciphers beyond the
// reference policy's (#25 item 7); a reference AWS does not answer is
// ERROR.
func TestWireTLSPolicyByProtocolsAndCiphers(t *testing.T) {
	tls12 := []string{"TLSv1.3", "TLSv1.2"}
	policies := map[string][2][]string{
		config.ReferenceTLSPolicy:                    {tls12, referenceCiphers},
		"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": {tls12, referenceCiphers[:7]},
		"ELBSecurityPolicy-2016-08":                  {{"TLSv1", "TLSv1.1", "TLSv1.2"}, referenceCiphers},
		extPolicy:                                    {tls12, append(slices.Clone(referenceCiphers), ext1Ciphers...)},
	}
	for policy, want := range map[string]catalog.Status{"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": catalog.Pass, "ELBSecurityPolicy-2016-08": catalog.Fail, extPolicy: catalog.Fail} {
		w := newWire(t)
		tg, inv := wireTarget(t, w)
		w.answer("elasticloadbalancing", "DescribeListeners", xmlListeners(inv.LoadBalancerArn, policy))
		w.sslPolicies(policies)
		wantStatus(t, runWire(t, tg, "WP-21.2/listeners"), want, "")
	}
	w := newWire(t)
	tg, inv := wireTarget(t, w)
	w.answer("elasticloadbalancing", "DescribeListeners", xmlListeners(inv.LoadBalancerArn, config.DefaultTLSPolicy))
	w.sslPolicies(map[string][2][]string{config.DefaultTLSPolicy: {tls12, referenceCiphers}})
	wantStatus(t, runWire(t, tg, "WP-21.2/listeners"), catalog.Error, "")
}

// Verification with credentials of another account is refused in every
// mode: account-wide checks would judge the wrong account.
func TestWireAccountMismatchRefused(t *testing.T) {
	w := newWire(t)
	cfg, _, inv := acme(t)
	w.answer("sts", "GetCallerIdentity", xmlCallerIdentity("999988887777"))
	dir := t.TempDir()
	b, _ := json.Marshal(map[string]any{"inventory": inv})
	must(t, os.WriteFile(filepath.Join(dir, "inv.json"), b, 0o644))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	var stderr strings.Builder
	_, code := Verify(context.Background(), Options{Tenant: cfg.TenantID, Inventory: filepath.Join(dir, "inv.json"), Endpoint: w.srv.URL,
		StacksDir: testkit.StacksDir(), Parallel: 1}, &stderr)
	if code != cli.ExitBadInput || !strings.Contains(stderr.String(), "999988887777") || !strings.Contains(stderr.String(), acct) {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
}

// The policy grammar in full: Statement as one object, condition values
// as bare booleans and numbers (the S3 user guide's own examples: "Enforce
// a minimum TLS version" writes "s3:TlsVersion": 1.2).
func TestPolicyGrammar(t *testing.T) {
	tls := `{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"NumericLessThan":{"s3:TlsVersion":"1.2"}}}`
	secure := `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`
	for name, doc := range map[string]string{
		"statement object": `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":false}}}}`,
		"bool value":       `{"Version":"2012-10-17","Statement":[` + tls + `,{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`,
		"number value":     `{"Version":"2012-10-17","Statement":[` + secure + `,{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"NumericLessThan":{"s3:TlsVersion":1.2}}}]}`,
	} {
		d, err := policydoc.Parse(doc)
		if err != nil || len(d.Statement) == 0 {
			t.Errorf("%s: %v %+v", name, err, d)
			continue
		}
		why := d.TransportDenyProblem()
		switch name {
		case "statement object": // the one statement read: the TLS-version deny is what is missing
			if !strings.Contains(why, "TlsVersion") {
				t.Errorf("%s: %q", name, why)
			}
		default:
			if why != "" {
				t.Errorf("%s: the deny was not read: %q", name, why)
			}
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
