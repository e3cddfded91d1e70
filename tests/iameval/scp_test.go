package iameval_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// The cell's service control policy (docs/ci/scp-cell.json, #38 item 4):
// what no principal of a tenants' account may do whatever its own
// policies allow, put to the evaluator with the SCP in force (SCPs are an
// allow list: AWS's FullAWSAccess beside ours, as Organizations attaches
// it by default; Organizations user guide, "Service control policies").
// Each principal below holds an identity policy allowing everything, so
// the verdict is the SCP's alone.

const (
	deployRole    = "arn:aws:iam::" + account + ":role/tenantkit-pipeline/tenantkit-deploy"
	bootstrapRole = "arn:aws:iam::" + account + ":role/tenantkit-bootstrap"
)

// cellSCP is the template with the operators' values in it.
func cellSCP(t *testing.T) json.RawMessage {
	t.Helper()
	raw := docCIRaw(t, "scp-cell.json")
	s := strings.NewReplacer("<DEPLOY_ROLE>", "arn:aws:iam::*:role/tenantkit-pipeline/tenantkit-deploy", "<BOOTSTRAP_ROLE>", "arn:aws:iam::*:role/tenantkit-bootstrap").Replace(raw)
	if strings.Contains(s, "<") {
		t.Fatalf("scp-cell.json: a placeholder left")
	}
	return json.RawMessage(s)
}

// underSCP is a request of p in region with the cell's SCP in force.
func underSCP(scp json.RawMessage, p principal, action, resource, region string, extra map[string]any) simulation {
	ctx := map[string]any{"aws:RequestedRegion": region}
	for k, v := range extra {
		ctx[k] = v
	}
	sim := request(p, action, resource, nil, ctx)
	sim.SCPs = []any{map[string]any{"orgIdentifier": "ou-tenantkit-cells", "policies": []any{
		map[string]any{"name": "FullAWSAccess", "policy": json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)},
		map[string]any{"name": "tenantkit-cell", "policy": scp},
	}}}
	return sim
}

// as is a session of the role ARN holding an allow-everything policy.
func as(arn string) principal {
	name := arn[strings.LastIndex(arn, "/")+1:]
	return session(role{Name: name, Arn: arn}, allowAll)
}

func (s *suite) cellSCP() {
	t := s.t
	scp := cellSCP(t)
	admin := as("arn:aws:iam::" + account + ":role/operators/admin")
	deploy, bootstrap := as(deployRole), as(bootstrapRole)
	tokyo, osaka := "ap-northeast-1", "ap-northeast-3"
	ec2 := "arn:aws:ec2:" + tokyo + ":" + account + ":vpc/vpc-0abc"
	tenantRole := "arn:aws:iam::" + account + ":role/tenants/acme/acme-log-reader"
	group := "arn:aws:logs:" + tokyo + ":" + account + ":log-group:/tenants/acme/app"
	evidence := "arn:aws:s3:::tenantkit-evidence-" + account
	key := "arn:aws:kms:" + tokyo + ":" + account + ":key/" + evidenceKey

	// Data stays in Japan (§7): nothing is made or read outside Tokyo and
	// Osaka; IAM and STS, global, are not held to a region.
	s.add(allowed, "an administrator works in Tokyo", underSCP(scp, admin, "ec2:CreateVpc", ec2, tokyo, nil))
	s.add(allowed, "the deploy role works in Osaka (disaster recovery)", underSCP(scp, deploy, "ec2:CreateVpc", strings.Replace(ec2, tokyo, osaka, 1), osaka, nil))
	s.add(explicitDeny, "an administrator makes a VPC in us-east-1", underSCP(scp, admin, "ec2:CreateVpc", strings.Replace(ec2, tokyo, "us-east-1", 1), "us-east-1", nil))
	s.add(explicitDeny, "the deploy role makes a bucket in us-west-2", underSCP(scp, deploy, "s3:CreateBucket", "arn:aws:s3:::tk-acme-data-x", "us-west-2", nil))
	s.add(allowed, "IAM, a global service, answers in us-east-1", underSCP(scp, admin, "iam:GetRole", "arn:aws:iam::"+account+":role/operators/admin", "us-east-1", nil))

	// No long-term credentials (WP-15), for anyone.
	for _, p := range []struct {
		name string
		p    principal
	}{{"an administrator", admin}, {"the deploy role", deploy}, {"the bootstrap role", bootstrap}} {
		s.add(explicitDeny, p.name+" creates an IAM user", underSCP(scp, p.p, "iam:CreateUser", "arn:aws:iam::"+account+":user/someone", "us-east-1", nil))
		s.add(explicitDeny, p.name+" creates an access key", underSCP(scp, p.p, "iam:CreateAccessKey", "arn:aws:iam::"+account+":user/someone", "us-east-1", nil))
	}

	// Whoever changes a role under /tenants/acme/ becomes acme (docs/design.md):
	// only the deployers may.
	s.add(explicitDeny, "an administrator writes a policy into acme's role", underSCP(scp, admin, "iam:PutRolePolicy", tenantRole, "us-east-1", nil))
	s.add(explicitDeny, "an administrator changes who may assume acme's role", underSCP(scp, admin, "iam:UpdateAssumeRolePolicy", tenantRole, "us-east-1", nil))
	s.add(explicitDeny, "an administrator makes a role under /tenants/acme/", underSCP(scp, admin, "iam:CreateRole", "arn:aws:iam::"+account+":role/tenants/acme/mine", "us-east-1", nil))
	s.add(allowed, "the deploy role writes acme's role policy", underSCP(scp, deploy, "iam:PutRolePolicy", tenantRole, "us-east-1", nil))
	s.add(allowed, "an administrator makes a role of its own elsewhere", underSCP(scp, admin, "iam:CreateRole", "arn:aws:iam::"+account+":role/operators/tools", "us-east-1", nil))

	// The pipeline roles and their boundary: only the bootstrap role.
	s.add(explicitDeny, "the deploy role widens its own permissions", underSCP(scp, deploy, "iam:PutRolePolicy", deployRole, "us-east-1", nil))
	s.add(explicitDeny, "an administrator removes the pipeline's boundary", underSCP(scp, admin, "iam:DeleteRolePermissionsBoundary", deployRole, "us-east-1", nil))
	s.add(explicitDeny, "an administrator rewrites the boundary policy", underSCP(scp, admin, "iam:CreatePolicyVersion", "arn:aws:iam::"+account+":policy/tenantkit-boundary", "us-east-1", nil))
	s.add(allowed, "the bootstrap role updates the deploy role", underSCP(scp, bootstrap, "iam:PutRolePolicy", deployRole, "us-east-1", nil))

	// The record (§27, §42, WP-39): the trail, the detectors and the log
	// groups are changed by the deployers alone.
	s.add(explicitDeny, "an administrator stops the trail", underSCP(scp, admin, "cloudtrail:StopLogging", "arn:aws:cloudtrail:"+tokyo+":"+account+":trail/tenantkit", tokyo, nil))
	s.add(explicitDeny, "an administrator deletes a tenant's log group", underSCP(scp, admin, "logs:DeleteLogGroup", group, tokyo, nil))
	s.add(explicitDeny, "an administrator shortens a log group's retention", underSCP(scp, admin, "logs:PutRetentionPolicy", group, tokyo, nil))
	s.add(explicitDeny, "an administrator deletes the GuardDuty detector", underSCP(scp, admin, "guardduty:DeleteDetector", "arn:aws:guardduty:"+tokyo+":"+account+":detector/d-1", tokyo, nil))
	s.add(allowed, "the deploy role deletes an offboarded tenant's log group", underSCP(scp, deploy, "logs:DeleteLogGroup", group, tokyo, nil))
	s.add(allowed, "an administrator reads a tenant's log events", underSCP(scp, admin, "logs:GetLogEvents", group+":log-stream:s", tokyo, nil))

	// The evidence bucket and the record keys: no one but the bootstrap.
	s.add(explicitDeny, "an administrator replaces the evidence bucket's policy", underSCP(scp, admin, "s3:PutBucketPolicy", evidence, tokyo, nil))
	s.add(explicitDeny, "the deploy role changes the evidence bucket's Object Lock", underSCP(scp, deploy, "s3:PutBucketObjectLockConfiguration", evidence, tokyo, nil))
	s.add(explicitDeny, "an administrator schedules the evidence key's deletion", underSCP(scp, admin, "kms:ScheduleKeyDeletion", key, tokyo, map[string]any{"kms:ResourceAliases": []string{"alias/tenantkit-evidence"}}))
	// KMS asks the key's policy too: the default key policy lets IAM decide.
	other := underSCP(scp, admin, "kms:ScheduleKeyDeletion", key, tokyo, map[string]any{"kms:ResourceAliases": []string{"alias/scratch"}})
	other.ResourcePolicy = json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`)
	s.add(allowed, "an administrator schedules another key's deletion", other)
	s.add(allowed, "the bootstrap role sets the evidence bucket's policy", underSCP(scp, bootstrap, "s3:PutBucketPolicy", evidence, tokyo, nil))

	s.add(explicitDeny, "an administrator takes the account out of the organization", underSCP(scp, admin, "organizations:LeaveOrganization", "*", "us-east-1", nil))
}

// TestCellSCPFits: AWS Organizations refuses an SCP over 5,120 characters
// (Organizations user guide, "Quotas and service limits", maximum size of
// a policy document), counted without the whitespace the console strips.
func TestCellSCPFits(t *testing.T) {
	var v any
	if err := json.Unmarshal(cellSCP(t), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	if len(b) > 5120 {
		t.Errorf("the cell SCP is %d characters, above Organizations' 5,120", len(b))
	}
}
