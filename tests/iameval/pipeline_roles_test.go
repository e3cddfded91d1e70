package iameval_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// The pipeline roles' templates and the values operators put in them.
const (
	stateBucket    = "tenantkit-state-123456789012"
	stateKeyID     = "0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
	evidenceKey    = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	evidenceBucket = "tenantkit-evidence-123456789012"
)

// docCIRaw is a template of docs/ci as written.
func docCIRaw(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "..", "docs", "ci", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// docCI is a template of docs/ci with the operators' values in it.
func docCI(t *testing.T, file string) json.RawMessage {
	t.Helper()
	b := docCIRaw(t, file)
	s := strings.NewReplacer("<ACCOUNT>", account, "<STATE_BUCKET>", stateBucket, "<STATE_KEY_ID>", stateKeyID, "<EVIDENCE_KEY_ID>", evidenceKey, "<EVIDENCE_BUCKET>", evidenceBucket).Replace(b)
	if strings.Contains(s, "<") {
		t.Fatalf("%s: a placeholder left: %s", file, s)
	}
	return json.RawMessage(s)
}

// pipelineRole is a session of one of the four pipeline roles with its
// permission template and the boundary, as docs/ci says to install them.
func pipelineRole(t *testing.T, name, template string) principal {
	t.Helper()
	p := session(role{Name: "tenantkit-" + name, Arn: fmt.Sprintf("arn:aws:iam::%s:role/tenantkit-pipeline/tenantkit-%s", account, name)},
		namedPolicy{Name: template, Policy: docCI(t, template)})
	p.boundary = []namedPolicy{{Name: "boundary.json", Policy: docCI(t, "boundary.json")}}
	return p
}

// pipelineRoles (#35 item 6): the four roles' permission templates
// (docs/ci/permissions-*.json) under the permissions boundary
// (docs/ci/boundary.json), put to the evaluator: each role can do its job
// and nothing of another's, only in Japan, never with long-lived keys,
// never on its own role or the boundary; none reads customer data. The
// deploy role may create every role the programs declare (read from their
// mock-engine runs, never restated).
func (s *suite) pipelineRoles() {
	t := s.t
	deployer := pipelineRole(t, "deploy", "permissions-deploy.json")
	preview := pipelineRole(t, "preview", "permissions-read.json")
	drift := pipelineRole(t, "drift", "permissions-read.json")
	verifier := pipelineRole(t, "verify", "permissions-verify.json")
	tokyo := map[string]any{"aws:RequestedRegion": "ap-northeast-1"}
	global := map[string]any{"aws:RequestedRegion": "us-east-1"}
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:aws:%s:ap-northeast-1:%s:%s", service, account, resource)
	}
	stateObject := "arn:aws:s3:::" + stateBucket + "/.pulumi/stacks/tenantkit/acme.json"
	stateLock := "arn:aws:s3:::" + stateBucket + "/.pulumi/locks/tenantkit/acme/lock.json"
	stateKey := arn("kms", "key/"+stateKeyID)
	dataObject := "arn:aws:s3:::tk-acme-confidential-" + account + "/orders/1.json"
	dataBucket := "arn:aws:s3:::tk-acme-confidential-" + account
	vpc := arn("ec2", "vpc/vpc-0123456789abcdef0")
	group := arn("ec2", "security-group/sg-0123456789abcdef0")

	// The deploy role: what the programs make, in Tokyo.
	for _, r := range []struct{ action, resource string }{
		{"ec2:CreateVpc", vpc}, {"ec2:AuthorizeSecurityGroupIngress", group},
		{"elasticloadbalancing:CreateLoadBalancer", arn("elasticloadbalancing", "loadbalancer/app/tk-acme/0123456789abcdef")},
		{"s3:CreateBucket", dataBucket}, {"s3:PutBucketPolicy", dataBucket}, {"kms:CreateKey", "*"},
		{"logs:CreateLogGroup", arn("logs", "log-group:/tenants/acme/app")}, {"sns:CreateTopic", arn("sns", "tk-acme-alerts")},
		{"rds:CreateDBInstance", arn("rds", "db:tk-acme")}, {"states:CreateStateMachine", arn("states", "stateMachine:tenantkit-deadline-watch")},
		{"cloudtrail:CreateTrail", arn("cloudtrail", "trail/tenantkit-shared")}, {"guardduty:CreateDetector", "*"},
		{"s3:GetObject", stateObject}, {"s3:PutObject", stateObject},
	} {
		s.add(allowed, "the deploy role "+r.action, simWith(deployer, r.action, r.resource, nil, tokyo))
	}
	// The state's key, under the key policy docs/ci gives it (the account
	// decides through IAM): KMS needs both.
	stateKeyPolicy := docCI(t, "state-key-policy.json")
	onStateKey := func(p principal, action string) simulation {
		return simWith(p, action, stateKey, stateKeyPolicy, tokyo)
	}
	s.add(allowed, "the deploy role decrypts the state's secrets", onStateKey(deployer, "kms:Decrypt"))
	for _, g := range []string{"acme", "globex"} {
		graph := testkit.Run(t, testkit.Load(t, g))
		s.addRoles(deployer, preview, graph.OfType("aws:iam/role:Role"))
	}
	s.addRoles(deployer, preview, testkit.RunBaseline(t).OfType("aws:iam/role:Role"))
	// Never outside Japan, never a user or a key, never its own role or
	// the boundary, never customer data.
	s.add(explicitDeny, "the deploy role ec2:CreateVpc in us-east-1", simWith(deployer, "ec2:CreateVpc", strings.Replace(vpc, "ap-northeast-1", "us-east-1", 1), nil, map[string]any{"aws:RequestedRegion": "us-east-1"}))
	s.add(explicitDeny, "the deploy role iam:CreateUser", simWith(deployer, "iam:CreateUser", "arn:aws:iam::"+account+":user/backdoor", nil, global))
	s.add(explicitDeny, "the deploy role iam:CreateAccessKey", simWith(deployer, "iam:CreateAccessKey", "arn:aws:iam::"+account+":user/someone", nil, global))
	for _, a := range []string{"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"} {
		s.add(explicitDeny, "the deploy role "+a+" on its own role", simWith(deployer, a, "arn:aws:iam::"+account+":role/tenantkit-pipeline/tenantkit-deploy", nil, global))
	}
	s.add(explicitDeny, "the deploy role iam:CreatePolicyVersion on the boundary", simWith(deployer, "iam:CreatePolicyVersion", "arn:aws:iam::"+account+":policy/tenantkit-pipeline/tenantkit-boundary", nil, global))
	s.add(explicitDeny, "the deploy role s3:GetObject of customer data", simWith(deployer, "s3:GetObject", dataObject, nil, tokyo))

	// The read roles (preview, drift): read, lock and decrypt the state,
	// change nothing.
	for name, p := range map[string]principal{"preview": preview, "drift": drift} {
		s.add(allowed, "the "+name+" role ec2:DescribeVpcs", simWith(p, "ec2:DescribeVpcs", "*", nil, tokyo))
		s.add(allowed, "the "+name+" role s3:GetBucketPolicy", simWith(p, "s3:GetBucketPolicy", dataBucket, nil, tokyo))
		s.add(allowed, "the "+name+" role reads the state", simWith(p, "s3:GetObject", stateObject, nil, tokyo))
		s.add(allowed, "the "+name+" role takes the stack's lock", simWith(p, "s3:PutObject", stateLock, nil, tokyo))
		s.add(allowed, "the "+name+" role decrypts the state's secrets", onStateKey(p, "kms:Decrypt"))
		s.add(denied, "the "+name+" role writes the state", simWith(p, "s3:PutObject", stateObject, nil, tokyo))
		s.add(denied, "the "+name+" role ec2:CreateVpc", simWith(p, "ec2:CreateVpc", vpc, nil, tokyo))
		s.add(denied, "the "+name+" role s3:PutBucketPolicy", simWith(p, "s3:PutBucketPolicy", dataBucket, nil, tokyo))
		s.add(denied, "the "+name+" role ec2:AuthorizeSecurityGroupIngress", simWith(p, "ec2:AuthorizeSecurityGroupIngress", group, nil, tokyo))
		s.add(explicitDeny, "the "+name+" role s3:GetObject of customer data", simWith(p, "s3:GetObject", dataObject, nil, tokyo))
	}
	// The verify role: the reads verify makes; no state, no secrets.
	for _, r := range []struct{ action, resource string }{
		{"ec2:DescribeSecurityGroups", "*"}, {"s3:GetBucketPolicy", dataBucket}, {"cloudtrail:GetTrailStatus", arn("cloudtrail", "trail/tenantkit-shared")},
	} {
		s.add(allowed, "the verify role "+r.action, simWith(verifier, r.action, r.resource, nil, tokyo))
	}
	// The tenant key's policy as the program declares it: the verify role
	// reads it (WP-17/key-policy), never decrypts with it.
	s.add(allowed, "the verify role kms:GetKeyPolicy of a tenant key", simWith(verifier, "kms:GetKeyPolicy", s.w.acme.keyArn, s.w.acme.keyPolicy, tokyo))
	s.add(denied, "the verify role decrypts the state's secrets", onStateKey(verifier, "kms:Decrypt"))
	// The evidence key (under the same delegating key policy): the verify
	// role seals with it; the read roles do not.
	onEvidenceKey := func(p principal, action string) simulation {
		return simWith(p, action, arn("kms", "key/"+evidenceKey), stateKeyPolicy, tokyo)
	}
	s.add(allowed, "the verify role seals the reports (kms:Sign)", onEvidenceKey(verifier, "kms:Sign"))
	s.add(allowed, "the verify role reads the evidence key's public key", onEvidenceKey(verifier, "kms:GetPublicKey"))
	s.add(denied, "the preview role signs with the evidence key", onEvidenceKey(preview, "kms:Sign"))
	s.add(allowed, "the verify role keeps a report in the evidence bucket", simWith(verifier, "s3:PutObject", "arn:aws:s3:::"+evidenceBucket+"/nightly/2026-12-07/acme.json", nil, tokyo))
	s.add(allowed, "the verify role keeps a customer's own copy", simWith(verifier, "s3:PutObject", "arn:aws:s3:::"+evidenceBucket+"/"+expect.CustomerEvidencePrefix("acme")+"nightly/2026-12-07/acme.json", nil, tokyo))
	s.add(denied, "the verify role keeps a file in another bucket", simWith(verifier, "s3:PutObject", dataObject, nil, tokyo))
	// Who changes the account does not also sign the evidence about it.
	s.add(explicitDeny, "the deploy role signs with the evidence key", onEvidenceKey(deployer, "kms:Sign"))
	for _, r := range []struct{ action, resource string }{
		{"s3:GetObject", stateObject}, {"s3:PutObject", stateLock},
		{"ec2:AuthorizeSecurityGroupIngress", group}, {"s3:GetObject", dataObject},
	} {
		s.add(denied, "the verify role "+r.action+" on "+r.resource, simWith(verifier, r.action, r.resource, nil, tokyo))
	}
}

// addRoles: the deploy role may create and manage each role the programs
// declare (an auto-named one under a name Pulumi would give it), and pass
// it; the read roles may not.
func (s *suite) addRoles(deployer, reader principal, roles []*graph.Resource) {
	for _, r := range roles {
		path, _ := r.String("path")
		name, _ := r.String("name")
		if path == "" {
			path = "/"
		}
		if name == "" {
			name = r.Name + "-1a2b3c4" // Pulumi's auto-name: the resource's name and a suffix
		}
		a := fmt.Sprintf("arn:aws:iam::%s:role%s%s", account, path, name)
		global := map[string]any{"aws:RequestedRegion": "us-east-1"}
		for _, action := range []string{"iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole", "iam:DeleteRole"} {
			s.add(allowed, "the deploy role "+action+" "+a, simWith(deployer, action, a, nil, global))
		}
		s.add(denied, "the preview role iam:CreateRole "+a, simWith(reader, "iam:CreateRole", a, nil, global))
	}
}

// simWith is a request of a principal with the boundary it holds, on a
// resource under a resource policy (nil: none).
func simWith(p principal, action, resource string, policy json.RawMessage, extra map[string]any) simulation {
	sim := request(p, action, resource, policy, extra)
	sim.PermissionBoundaries = p.boundary
	return sim
}
