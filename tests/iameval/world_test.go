package iameval_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

const (
	account = mockengine.AccountID
	region  = "ap-northeast-1"
	// elbAccount is Elastic Load Balancing's account in Tokyo (what
	// aws.elb.getServiceAccount answers; ELB guide, "Enable access logs").
	elbAccount = "582318560864"
	// refreshRole runs acme's preview --refresh (the nightly drift check).
	refreshRole = "arn:aws:iam::" + account + ":role/ops/tenantkit-preview"
	// otherAccount is an account outside the deployment.
	otherAccount = "210987654321"
)

// site is what one program declared: its policies and the names they
// govern, read from the mock-engine graph.
type site struct {
	g          *graph.Graph
	keyArn     string
	keyPolicy  json.RawMessage
	buckets    map[string]bucket // by Role tag; data buckets by "data/<classification>"
	topicArn   string
	topicPol   json.RawMessage
	roles      map[string]role // by role name
	endpointS3 string
	ruleArn    string
	alarmArns  []string
	trailArn   string
	logGroups  map[string]string // name to ARN
}

type bucket struct {
	Name, Arn string
	Policy    json.RawMessage
}

type role struct {
	Name, Arn string
	Trust     json.RawMessage
	Inline    []namedPolicy
}

// object is the ARN of an object in the bucket.
func (b bucket) object(key string) string { return b.Arn + "/" + key }

// world is the account: two tenants whose ids prefix each other, the
// globex example and the baseline.
type world struct {
	acme, corp, globex, base *site
}

func newWorld(t *testing.T) *world {
	t.Helper()
	acme := testkit.Load(t, "acme")
	// acme's drift check runs as a refresh role (refreshPrincipalArns).
	acme.RefreshPrincipalArns = []string{refreshRole}
	corp := *acme
	corp.TenantID = "acme-corp"
	return &world{
		acme:   read(t, testkit.Run(t, acme)),
		corp:   read(t, testkit.Run(t, &corp)),
		globex: read(t, testkit.Run(t, testkit.Load(t, "globex"))),
		base:   read(t, testkit.RunBaseline(t)),
	}
}

// read collects a program's policies from its graph.
func read(t *testing.T, g *graph.Graph) *site {
	t.Helper()
	s := &site{g: g, buckets: map[string]bucket{}, roles: map[string]role{}, logGroups: map[string]string{}}
	str := func(r *graph.Resource, path string) string {
		v, ok := r.String(path)
		if !ok {
			t.Fatalf("%s %s: %s is not a known string", r.Type, r.Name, path)
		}
		return v
	}
	keys := g.OfType("aws:kms/key:Key")
	if len(keys) != 1 {
		t.Fatalf("%d keys in the graph, want 1", len(keys))
	}
	s.keyArn, s.keyPolicy = keys[0].ARN, json.RawMessage(str(keys[0], "policy"))

	policies := map[string]json.RawMessage{} // by parent component
	for _, p := range g.OfType("aws:s3/bucketPolicy:BucketPolicy") {
		policies[p.Parent] = json.RawMessage(str(p, "policy"))
	}
	for _, b := range g.OfType("aws:s3/bucketV2:BucketV2") {
		name := str(b, "bucket")
		key := str(b, "tags.Role")
		if key == "data" {
			key += "/" + str(b, "tags.DataClassification")
		}
		pol, ok := policies[b.Parent]
		if !ok {
			t.Fatalf("bucket %s has no policy", name)
		}
		s.buckets[key] = bucket{Name: name, Arn: "arn:aws:s3:::" + name, Policy: pol}
	}

	for _, tp := range g.OfType("aws:sns/topic:Topic") {
		s.topicArn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, account, str(tp, "name"))
		s.topicPol = json.RawMessage(str(tp, "policy"))
	}

	inline := map[string][]namedPolicy{} // by the role's id or name
	for _, p := range g.OfType("aws:iam/rolePolicy:RolePolicy") {
		inline[str(p, "role")] = append(inline[str(p, "role")], namedPolicy{Name: p.Name, Policy: json.RawMessage(str(p, "policy"))})
	}
	// Attached AWS managed policies, as AWS publishes them (managed/).
	attached := map[string][]namedPolicy{} // by the role's name
	for _, a := range g.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
		arn := str(a, "policyArn")
		name := arn[strings.LastIndex(arn, "/")+1:]
		doc, err := os.ReadFile(filepath.Join("managed", name+".json"))
		if err != nil {
			t.Fatalf("role %s takes %s: add its document as AWS publishes it to tests/iameval/managed (%v)", str(a, "role"), arn, err)
		}
		attached[str(a, "role")] = append(attached[str(a, "role")], namedPolicy{Name: name, Policy: json.RawMessage(doc)})
	}
	for _, r := range g.OfType("aws:iam/role:Role") {
		name, ok := r.String("name")
		if !ok {
			name = r.Name // auto-named: the logical name stands in
		}
		path, ok := r.String("path")
		if !ok {
			path = "/"
		}
		s.roles[name] = role{
			Name: name, Arn: fmt.Sprintf("arn:aws:iam::%s:role%s%s", account, path, name),
			Trust: json.RawMessage(str(r, "assumeRolePolicy")), Inline: append(slices.Clone(inline[r.ID]), attached[name]...),
		}
	}

	for _, e := range g.OfType("aws:ec2/vpcEndpoint:VpcEndpoint") {
		if strings.HasSuffix(str(e, "serviceName"), ".s3") {
			s.endpointS3 = e.ID
		}
	}
	for _, r := range g.OfType("aws:cloudwatch/eventRule:EventRule") {
		s.ruleArn = fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", region, account, str(r, "name"))
	}
	for _, a := range g.OfType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		s.alarmArns = append(s.alarmArns, fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, account, str(a, "name")))
	}
	for _, tr := range g.OfType("aws:cloudtrail/trail:Trail") {
		s.trailArn = fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, str(tr, "name"))
	}
	for _, lg := range g.OfType("aws:cloudwatch/logGroup:LogGroup") {
		n := str(lg, "name")
		s.logGroups[n] = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, account, n)
	}
	return s
}

// bucket returns a bucket by key, failing the test when the program did
// not declare it.
func (s *site) bucket(t *testing.T, key string) bucket {
	t.Helper()
	b, ok := s.buckets[key]
	if !ok {
		t.Fatalf("no %s bucket; have %v", key, keysOf(s.buckets))
	}
	return b
}

// role returns a role by name suffix (tk-<tenant>-<suffix>, or the
// logical name of an auto-named role).
func (s *site) role(t *testing.T, suffix string) role {
	t.Helper()
	var found []role
	for n, r := range s.roles {
		if strings.HasSuffix(n, suffix) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d roles end in %q; have %v", len(found), suffix, keysOf(s.roles))
	}
	return found[0]
}

// logGroup returns the ARN of a log group by name suffix.
func (s *site) logGroup(t *testing.T, suffix string) string {
	t.Helper()
	for n, arn := range s.logGroups {
		if strings.HasSuffix(n, suffix) {
			return arn
		}
	}
	t.Fatalf("no log group ends in %q; have %v", suffix, keysOf(s.logGroups))
	return ""
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
