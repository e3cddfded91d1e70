package iameval_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/mockengine"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// scenario is one request and the verdict AWS must give it.
type scenario struct {
	group, name string
	want        verdict
	sim         simulation
}

type suite struct {
	t     *testing.T
	w     *world
	group string
	list  []scenario
}

func (s *suite) add(want verdict, name string, sim simulation) {
	s.list = append(s.list, scenario{group: s.group, name: s.group + ": " + name, want: want, sim: sim})
}

// TestPolicySemantics puts the programs' real policies to the evaluator.
func TestPolicySemantics(t *testing.T) {
	s := &suite{t: t, w: newWorld(t)}
	s.group = "evaluator"
	s.evaluatorKnowsAWS()
	s.group = "services"
	s.services()
	s.group = "isolation"
	s.isolation()
	s.group = "log integrity"
	s.integrity()
	s.group = "uploads"
	s.uploads()
	s.group = "hosts"
	s.hosts()
	s.group = "refresh"
	s.refresh()
	s.group = "copies"
	s.copies()
	s.group = "watchdog"
	s.watchdog()
	s.group = "cell SCP"
	s.cellSCP()
	s.group = "pipeline roles"
	s.pipelineRoles()

	outcomes := evaluate(t, s.list)
	type tally struct{ run, failed int }
	groups := map[string]*tally{}
	passedThrough := 0
	for i, o := range outcomes {
		sc := s.list[i]
		g := groups[sc.group]
		if g == nil {
			g = &tally{}
			groups[sc.group] = g
		}
		g.run++
		if len(o.PassedThrough) > 0 {
			passedThrough++
		}
		switch {
		case o.Error != "":
			g.failed++
			t.Errorf("%s: the evaluator refused the scenario: %s", sc.name, o.Error)
		case !sc.want.accepts(o.Result):
			g.failed++
			t.Errorf("%s: %s, want %s", sc.name, o.Result, sc.want)
		}
	}
	names := keysOf(groups)
	sort.Strings(names)
	lines := []string{fmt.Sprintf("policy semantics (tests/iameval, @cloud-copilot/iam-simulate %s): %d scenarios, %d with a KMS encryption context passed through",
		evaluatorVersion(t), len(s.list), passedThrough)}
	for _, n := range names {
		lines = append(lines, fmt.Sprintf("  %-14s %3d scenarios, %d failed", n, groups[n].run, groups[n].failed))
	}
	summarize(t, lines)
}

// evaluatorKnowsAWS: before trusting a verdict, the evaluator must agree
// with the IAM user guide on the semantics the findings turned on
// ("IAM JSON policy elements: Condition operators",
// reference_policies_elements_condition_operators.html): a negated
// operator, with or without IfExists, matches when the key is absent; Null
// tests presence; a KMS encryption-context condition is evaluated, not
// skipped.
func (s *suite) evaluatorKnowsAWS() {
	owner := principal{arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/probe/session", account), context: map[string]any{"aws:PrincipalArn": fmt.Sprintf("arn:aws:iam::%s:role/probe", account)}, identity: []namedPolicy{allowAll}}
	deny := func(op, key, value string) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::probe/*",
			"Condition": map[string]any{op: map[string]any{key: value}},
		}}})
		return b
	}
	const sse = "s3:x-amz-server-side-encryption"
	s.add(explicitDeny, "StringNotEqualsIfExists matches an absent key", request(owner, "s3:PutObject", "arn:aws:s3:::probe/k", deny("StringNotEqualsIfExists", sse, "aws:kms"), nil))
	s.add(explicitDeny, "StringNotEquals matches an absent key", request(owner, "s3:PutObject", "arn:aws:s3:::probe/k", deny("StringNotEquals", sse, "aws:kms"), nil))
	s.add(allowed, "Null false does not match an absent key", request(owner, "s3:PutObject", "arn:aws:s3:::probe/k", deny("Null", sse, "false"), nil))
	s.add(explicitDeny, "Null false matches a present key", request(owner, "s3:PutObject", "arn:aws:s3:::probe/k", deny("Null", sse, "false"), map[string]any{sse: "AES256"}))

	logs := service("logs."+region+".amazonaws.com", nil)
	key := s.w.acme.keyArn
	s.add(denied, "a KMS encryption-context condition with no context", request(logs, "kms:GenerateDataKey", key, s.w.acme.keyPolicy, nil))
}

// services: every AWS service that writes or reads through the policies
// gets the request it really makes.
func (s *suite) services() {
	t, w := s.t, s.w
	acme, globex, base := w.acme, w.globex, w.base
	year := "2026/11/26"

	// CloudTrail (user guide, "Amazon S3 bucket policy for CloudTrail" and
	// "Configure AWS KMS key policies for CloudTrail"): the dedicated
	// trail into the tenant's archive, the shared trail into the
	// baseline's, both under the baseline key.
	for _, c := range []struct {
		who     string
		trail   string
		archive bucket
	}{{"globex's dedicated trail", globex.trailArn, globex.bucket(t, "log-archive")}, {"the shared trail", base.trailArn, base.bucket(t, "log-archive")}} {
		ct := service("cloudtrail.amazonaws.com", map[string]any{"aws:SourceArn": c.trail, "aws:SourceAccount": account})
		s.add(allowed, c.who+" checks the archive's ACL", request(ct, "s3:GetBucketAcl", c.archive.Arn, c.archive.Policy, nil))
		s.add(allowed, c.who+" writes a log file to the archive", request(ct, "s3:PutObject",
			c.archive.object(fmt.Sprintf("cloudtrail/AWSLogs/%s/CloudTrail/%s/%s/x.json.gz", account, region, year)), c.archive.Policy,
			map[string]any{"s3:x-amz-acl": "bucket-owner-full-control"}))
		s.add(allowed, c.who+" encrypts with the baseline key", request(ct, "kms:GenerateDataKey", mockengine.BaselineKeyArn, base.keyPolicy,
			map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": c.trail}))
		s.add(allowed, c.who+" describes the baseline key", request(ct, "kms:DescribeKey", mockengine.BaselineKeyArn, base.keyPolicy, nil))
	}
	cwl := globex.role(t, "-cwl-role")
	s.add(allowed, "CloudTrail assumes globex's trail-to-logs role", request(service("cloudtrail.amazonaws.com", nil), "sts:AssumeRole", cwl.Arn, cwl.Trust, nil))
	s.add(allowed, "globex's trail-to-logs role writes its group", request(withInline(cwl), "logs:PutLogEvents",
		globex.logGroup(t, "/cloudtrail")+":log-stream:"+account+"_CloudTrail_"+region, nil, nil))

	// CloudWatch Logs encrypts each tenant log group with the tenant key.
	logs := service("logs."+region+".amazonaws.com", nil)
	for _, c := range []struct {
		site  *site
		group string
	}{{acme, "/vpc-flow-logs"}, {acme, "/app"}, {globex, "/cloudtrail"}, {globex, "/postgresql"}} {
		for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
			s.add(allowed, fmt.Sprintf("CloudWatch Logs %s for %s", a, c.site.logGroup(t, c.group)), request(logs, a, c.site.keyArn, c.site.keyPolicy, logsContext(c.site.logGroup(t, c.group))))
		}
	}

	// S3 server access logging (S3 user guide, "Enabling Amazon S3 server
	// access logging"): the source bucket's ARN and account.
	serviceLogs := acme.bucket(t, "service-logs")
	for _, src := range []bucket{acme.bucket(t, "data/personal"), acme.bucket(t, "data/confidential")} {
		lg := service("logging.s3.amazonaws.com", map[string]any{"aws:SourceArn": src.Arn, "aws:SourceAccount": account})
		s.add(allowed, "S3 access logs of "+src.Name, request(lg, "s3:PutObject", serviceLogs.object("s3/"+src.Name+"/2026-11-26-00-00-00-0123456789ABCDEF"), serviceLogs.Policy, nil))
	}
	// The archives log into the baseline's service-logs bucket, which
	// replicates nowhere (#34 item 6, expect.AccessLogTarget); the
	// tenant's service-logs bucket, which replicates into the archive,
	// refuses the archive's logs.
	baseLogs, baseArchive := base.bucket(t, "service-logs"), base.bucket(t, "log-archive")
	for _, src := range []bucket{baseArchive, acme.bucket(t, "log-archive"), globex.bucket(t, "log-archive")} {
		lg := service("logging.s3.amazonaws.com", map[string]any{"aws:SourceArn": src.Arn, "aws:SourceAccount": account})
		s.add(allowed, "S3 access logs of "+src.Name+" into the baseline's service logs", request(lg, "s3:PutObject", baseLogs.object("s3/"+src.Name+"/2026-11-26-00-00-00-0123456789ABCDEF"), baseLogs.Policy, nil))
	}
	archive := acme.bucket(t, "log-archive")
	s.add(denied, "S3 access logs of acme's archive into acme's service logs (which replicate into the archive)", request(
		service("logging.s3.amazonaws.com", map[string]any{"aws:SourceArn": archive.Arn, "aws:SourceAccount": account}),
		"s3:PutObject", serviceLogs.object("s3/"+archive.Name+"/2026-11-26-00-00-00-0123456789ABCDEF"), serviceLogs.Policy, nil))
	for _, src := range []bucket{acme.bucket(t, "data/personal"), serviceLogs} {
		s.add(denied, "S3 access logs of "+src.Name+" into the baseline's service logs (archives only)", request(
			service("logging.s3.amazonaws.com", map[string]any{"aws:SourceArn": src.Arn, "aws:SourceAccount": account}),
			"s3:PutObject", baseLogs.object("s3/"+src.Name+"/2026-11-26-00-00-00-0123456789ABCDEF"), baseLogs.Policy, nil))
	}

	// ALB access logs, written by the ELB account for Tokyo. Its own
	// permission to write is AWS's side of the request.
	elb := principal{arn: "arn:aws:iam::" + elbAccount + ":root", context: map[string]any{"aws:PrincipalAccount": elbAccount}, identity: []namedPolicy{policyAllowing("s3:PutObject")}}
	s.add(allowed, "ELB (Tokyo) writes the ALB's access log", request(elb, "s3:PutObject",
		serviceLogs.object(fmt.Sprintf("alb/AWSLogs/%s/elasticloadbalancing/%s/%s/%s_elasticloadbalancing_x.log.gz", account, region, year, account)), serviceLogs.Policy, nil))

	// EventBridge and CloudWatch alarms to the encrypted topic (SNS
	// developer guide, "Key management": the services call KMS with no
	// source keys).
	events := service("events.amazonaws.com", map[string]any{"aws:SourceArn": acme.ruleArn, "aws:SourceAccount": account})
	s.add(allowed, "the findings rule publishes to the topic", request(events, "sns:Publish", acme.topicArn, acme.topicPol, nil))
	for _, alarm := range acme.alarmArns {
		cw := service("cloudwatch.amazonaws.com", map[string]any{"aws:SourceArn": alarm, "aws:SourceAccount": account})
		s.add(allowed, "alarm "+alarm[strings.LastIndex(alarm, ":")+1:]+" publishes to the topic", request(cw, "sns:Publish", acme.topicArn, acme.topicPol, nil))
	}
	for _, svc := range []string{"events.amazonaws.com", "cloudwatch.amazonaws.com"} {
		for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
			s.add(allowed, svc+" "+a+" for the topic", request(service(svc, nil), a, acme.keyArn, acme.keyPolicy, nil))
		}
	}

	// Auto Scaling launches encrypted volumes with the tenant key through
	// its service-linked role (Auto Scaling user guide, "Required AWS KMS
	// key policy for use with encrypted volumes").
	slr := role{Name: "AWSServiceRoleForAutoScaling", Arn: fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", account)}
	s.add(allowed, "Auto Scaling grants EC2 the key for a volume", request(session(slr), "kms:CreateGrant", acme.keyArn, acme.keyPolicy, map[string]any{"kms:GrantIsForAWSResource": "true"}))
	for _, a := range []string{"kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncryptFrom", "kms:DescribeKey"} {
		s.add(allowed, "Auto Scaling "+a, request(session(slr), a, acme.keyArn, acme.keyPolicy, nil))
	}

	// VPC flow logs (Amazon VPC user guide, "IAM role for publishing flow
	// logs to CloudWatch Logs").
	flow := acme.role(t, "-flowlog-role")
	fl := service("vpc-flow-logs.amazonaws.com", map[string]any{"aws:SourceAccount": account, "aws:SourceArn": fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/fl-0a1b2c3d4e5f60718", region, account)})
	s.add(allowed, "VPC flow logs assume the flow-log role", request(fl, "sts:AssumeRole", flow.Arn, flow.Trust, nil))
	s.add(allowed, "the flow-log role writes its group", request(withInline(flow), "logs:PutLogEvents", acme.logGroup(t, "/vpc-flow-logs")+":log-stream:eni-0123456789abcdef0-all", nil, nil))

	// The EC2 instance role: the app's data, through the tenant's S3
	// endpoint, under the tenant key.
	app := acme.role(t, "-app")
	s.add(allowed, "EC2 assumes the app role", request(service("ec2.amazonaws.com", nil), "sts:AssumeRole", app.Arn, app.Trust, nil))
	data := acme.bucket(t, "data/confidential")
	onEndpoint := map[string]any{"aws:SourceVpce": acme.endpointS3}
	s.add(allowed, "the app reads its data", request(withInline(app), "s3:GetObject", data.object("orders/1.json"), data.Policy, onEndpoint))
	s.add(allowed, "the app lists its data", request(withInline(app), "s3:ListBucket", data.Arn, data.Policy, onEndpoint))
	s.add(allowed, "the app uploads with no encryption headers (the bucket default applies the tenant key)", request(withInline(app), "s3:PutObject", data.object("orders/2.json"), data.Policy, onEndpoint))
	s.add(allowed, "the app uploads naming the tenant key", request(withInline(app), "s3:PutObject", data.object("orders/3.json"), data.Policy,
		merge(onEndpoint, map[string]any{"s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": acme.keyArn})))
	for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
		s.add(allowed, "S3 "+a+" for the app", request(withInline(app), a, acme.keyArn, acme.keyPolicy, viaS3(data.Arn)))
	}
	s.add(allowed, "the app writes its log group", request(withInline(app), "logs:PutLogEvents", acme.logGroup(t, "/app")+":log-stream:i-0123456789abcdef0", nil, nil))

	// The deployers (Pulumi): bucket administration from outside the
	// endpoint, the key for RDS and Secrets Manager at creation.
	// The deployers are the example stacks' (the fleet's deploy role); the
	// role whose session ran the mocks is not among them.
	deployer := session(role{Name: "tenantkit-deploy", Arn: testkit.Load(t, "acme").DeployerPrincipalArns[0]}, allowAll)
	caller := session(role{Name: "tenantkit-deployer", Arn: mockengine.DeployerArn}, allowAll)
	s.add(explicitDeny, "a role the stack does not name, allowed *, PutBucketPolicy on the archive", request(caller, "s3:PutBucketPolicy", acme.bucket(t, "log-archive").Arn, acme.bucket(t, "log-archive").Policy, nil))
	for _, key := range []string{"log-archive", "service-logs", "data/personal"} {
		b := acme.bucket(t, key)
		for _, a := range []string{"s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration"} {
			s.add(allowed, "the deployer "+a+" on "+b.Name, request(deployer, a, b.Arn, b.Policy, nil))
		}
		s.add(allowed, "the deployer reads "+b.Name+" (HeadBucket)", request(deployer, "s3:ListBucket", b.Arn, b.Policy, nil))
	}
	s.add(allowed, "the deployer PutBucketObjectLockConfiguration on the archive", request(deployer, "s3:PutBucketObjectLockConfiguration", acme.bucket(t, "log-archive").Arn, acme.bucket(t, "log-archive").Policy, nil))
	s.add(allowed, "the deployer has RDS grant the key", request(deployer, "kms:CreateGrant", globex.keyArn, globex.keyPolicy, merge(via("rds"), map[string]any{"kms:GrantIsForAWSResource": "true"})))
	s.add(allowed, "the deployer has Secrets Manager encrypt the master secret", request(deployer, "kms:GenerateDataKey", globex.keyArn, globex.keyPolicy, via("secretsmanager")))
	s.add(allowed, "the deployer describes the key", request(deployer, "kms:DescribeKey", acme.keyArn, acme.keyPolicy, nil))
	// The key policy itself admits the deployers, so a deployer whose IAM
	// policies grant nothing on KMS still creates RDS, and only grants for
	// AWS resources.
	bare := session(role{Name: "tenantkit-deploy", Arn: testkit.Load(t, "acme").DeployerPrincipalArns[0]}, policyAllowing("rds:*", "s3:*", "ec2:*"))
	s.add(allowed, "a deployer without KMS in IAM has RDS grant the key", request(bare, "kms:CreateGrant", globex.keyArn, globex.keyPolicy, merge(via("rds"), map[string]any{"kms:GrantIsForAWSResource": "true"})))
	s.add(denied, "a deployer without KMS in IAM grants the key to a principal directly", request(bare, "kms:CreateGrant", globex.keyArn, globex.keyPolicy, map[string]any{"kms:GrantIsForAWSResource": "false"}))
	s.add(allowed, "a deployer without KMS in IAM has Secrets Manager encrypt the master secret", request(bare, "kms:GenerateDataKey", globex.keyArn, globex.keyPolicy, via("secretsmanager")))

	// The customer's view of its logs (§27) and the log administrators.
	reader, admin := acme.role(t, "-log-reader"), acme.role(t, "-log-admin")
	archive = acme.bucket(t, "log-archive")
	s.add(allowed, "the log reader reads the archive", request(withInline(reader), "s3:GetObject", archive.object("cloudtrail/AWSLogs/x.json.gz"), archive.Policy, nil))
	s.add(allowed, "the log reader decrypts the archive (baseline key, through S3)", request(withInline(reader), "kms:Decrypt", mockengine.BaselineKeyArn, base.keyPolicy, viaS3(archive.Arn)))
	s.add(allowed, "the log reader reads the service logs", request(withInline(reader), "s3:GetObject", serviceLogs.object("alb/x.log.gz"), serviceLogs.Policy, nil))
	s.add(allowed, "the log reader reads the flow logs", request(withInline(reader), "logs:FilterLogEvents", acme.logGroup(t, "/vpc-flow-logs"), nil, nil))
	s.add(allowed, "the log admin deletes a record version", request(withInline(admin), "s3:DeleteObjectVersion", archive.object("cloudtrail/AWSLogs/x.json.gz"), archive.Policy, nil))
	baseAdmin := base.role(t, "tenantkit-log-admin")
	s.add(allowed, "the baseline log admin deletes a shared-trail record version", request(withInline(baseAdmin), "s3:DeleteObjectVersion", baseArchive.object("cloudtrail/AWSLogs/x.json.gz"), baseArchive.Policy, nil))
}

// isolation: another tenant's role (acme-corp, whose id acme prefixes)
// reaches nothing of acme's, whether it holds no identity policy or one
// that allows everything; services acting for acme-corp reach nothing of
// acme's either.
func (s *suite) isolation() {
	t, w := s.t, s.w
	acme, corp := w.acme, w.corp
	corpApp := corp.role(t, "-app")
	data, archive, serviceLogs := acme.bucket(t, "data/personal"), acme.bucket(t, "log-archive"), acme.bucket(t, "service-logs")
	for _, c := range []struct {
		label string
		p     principal
		want  verdict
	}{
		{"acme-corp's app role, no identity policy", session(corpApp), denied},
		{"acme-corp's app role allowed *", session(corpApp, allowAll), explicitDeny},
	} {
		add := func(what, action, resource string, pol json.RawMessage, extra map[string]any) {
			s.add(c.want, c.label+": "+what, request(c.p, action, resource, pol, extra))
		}
		add("decrypts acme's data through S3", "kms:Decrypt", acme.keyArn, acme.keyPolicy, viaS3(data.Arn))
		add("decrypts with acme's key through EC2", "kms:Decrypt", acme.keyArn, acme.keyPolicy, via("ec2"))
		add("has RDS grant acme's key", "kms:CreateGrant", acme.keyArn, acme.keyPolicy, merge(via("rds"), map[string]any{"kms:GrantIsForAWSResource": "true"}))
		add("decrypts acme's secret through Secrets Manager", "kms:Decrypt", acme.keyArn, acme.keyPolicy, via("secretsmanager"))
		add("generates a data key with acme's key", "kms:GenerateDataKey", acme.keyArn, acme.keyPolicy, nil)
		add("reads acme's data", "s3:GetObject", data.object("customers.csv"), data.Policy, nil)
		add("reads acme's data through acme's endpoint", "s3:GetObject", data.object("customers.csv"), data.Policy, map[string]any{"aws:SourceVpce": acme.endpointS3})
		add("lists acme's data", "s3:ListBucket", data.Arn, data.Policy, nil)
		add("reads acme's log archive", "s3:GetObject", archive.object("cloudtrail/AWSLogs/x.json.gz"), archive.Policy, nil)
		add("lists acme's log archive", "s3:ListBucket", archive.Arn, archive.Policy, nil)
		add("reads acme's service logs", "s3:GetObject", serviceLogs.object("alb/x.log.gz"), serviceLogs.Policy, nil)
		add("writes into acme's service logs", "s3:PutObject", serviceLogs.object("alb/forged.log.gz"), serviceLogs.Policy, nil)
		for _, a := range []string{"sns:Subscribe", "sns:Publish", "sns:GetTopicAttributes", "sns:SetTopicAttributes"} {
			add(a+" on acme's topic", a, acme.topicArn, acme.topicPol, nil)
		}
	}

	// A principal of the account that is no tenant's and holds no
	// identity policy for the key gets nothing from the key policy alone.
	ops := session(role{Name: "reporting", Arn: fmt.Sprintf("arn:aws:iam::%s:role/ops/reporting", account)})
	s.add(denied, "an account role with no key permission decrypts acme's data through S3", request(ops, "kms:Decrypt", acme.keyArn, acme.keyPolicy, viaS3(data.Arn)))
	s.add(denied, "an account role with no key permission decrypts with acme's key through EC2", request(ops, "kms:Decrypt", acme.keyArn, acme.keyPolicy, via("ec2")))

	// Services working for acme-corp.
	logs := service("logs."+region+".amazonaws.com", nil)
	s.add(denied, "CloudWatch Logs uses acme's key for acme-corp's log group", request(logs, "kms:GenerateDataKey", acme.keyArn, acme.keyPolicy, logsContext(corp.logGroup(t, "/vpc-flow-logs"))))
	for _, src := range []string{"data/personal", "log-archive"} {
		b := corp.bucket(t, src)
		lg := service("logging.s3.amazonaws.com", map[string]any{"aws:SourceArn": b.Arn, "aws:SourceAccount": account})
		s.add(denied, "S3 access logs of acme-corp's "+b.Name+" land in acme's service logs", request(lg, "s3:PutObject", serviceLogs.object("s3/"+b.Name+"/2026-11-26-00-00-00-0123456789ABCDEF"), serviceLogs.Policy, nil))
	}
	flow := acme.role(t, "-flowlog-role")
	for label, src := range map[string]string{
		"another account":                 fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/fl-0a1b2c3d4e5f60718", region, otherAccount),
		"another region (ap-northeast-3)": fmt.Sprintf("arn:aws:ec2:ap-northeast-3:%s:vpc-flow-log/fl-0a1b2c3d4e5f60718", account),
	} {
		srcAccount := account
		if strings.Contains(src, otherAccount) {
			srcAccount = otherAccount
		}
		fl := service("vpc-flow-logs.amazonaws.com", map[string]any{"aws:SourceAccount": srcAccount, "aws:SourceArn": src})
		s.add(denied, "a flow log of "+label+" assumes acme's flow-log role", request(fl, "sts:AssumeRole", flow.Arn, flow.Trust, nil))
	}
	s.add(denied, "acme's flow-log role writes acme-corp's group", request(withInline(flow), "logs:PutLogEvents", corp.logGroup(t, "/vpc-flow-logs")+":log-stream:eni-0123456789abcdef0-all", nil, nil))
	s.add(denied, "acme-corp's alarm publishes to acme's topic", request(
		service("cloudwatch.amazonaws.com", map[string]any{"aws:SourceArn": corp.alarmArns[0], "aws:SourceAccount": account}), "sns:Publish", acme.topicArn, acme.topicPol, nil))
	s.add(denied, "acme-corp's findings rule publishes to acme's topic", request(
		service("events.amazonaws.com", map[string]any{"aws:SourceArn": corp.ruleArn, "aws:SourceAccount": account}), "sns:Publish", acme.topicArn, acme.topicPol, nil))
}

// uploads: a data bucket takes an object under the bucket default (the
// tenant key) or the tenant key named, and nothing else (WP-21.1): naming
// aws:kms without a key would make S3 use aws/s3 (S3 API reference,
// PutObject).
func (s *suite) uploads() {
	t, w := s.t, s.w
	app := withInline(s.w.acme.role(t, "-app"))
	data := w.acme.bucket(t, "data/confidential")
	onEndpoint := map[string]any{"aws:SourceVpce": w.acme.endpointS3}
	const sse, sseKey = "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"
	for what, headers := range map[string]map[string]any{
		"under SSE-S3 (AES256)":                {sse: "AES256"},
		"under aws:kms without a key (aws/s3)": {sse: "aws:kms"},
		"under another tenant's key":           {sse: "aws:kms", sseKey: w.corp.keyArn},
		"under DSSE with the tenant key":       {sse: "aws:kms:dsse", sseKey: w.acme.keyArn},
		"naming a key without the algorithm":   {sseKey: w.corp.keyArn},
	} {
		s.add(explicitDeny, "the app uploads "+what, request(app, "s3:PutObject", data.object("orders/x.json"), data.Policy, merge(onEndpoint, headers)))
	}
}

// integrity: account administrators (and any over-granted role) cannot
// destroy log records, directly or by changing the buckets' rules; only
// the log administrators and the deployers may change those rules (WP-39).
func (s *suite) integrity() {
	t, w := s.t, s.w
	admin := session(role{Name: "Admin", Arn: fmt.Sprintf("arn:aws:iam::%s:role/Admin", account)}, allowAll)
	ownApp := session(w.acme.role(t, "-app"), allowAll)
	buckets := []struct {
		owner string
		b     bucket
	}{
		{"acme", w.acme.bucket(t, "log-archive")}, {"acme", w.acme.bucket(t, "service-logs")},
		{"globex", w.globex.bucket(t, "log-archive")}, {"globex", w.globex.bucket(t, "service-logs")},
		{"baseline", w.base.bucket(t, "log-archive")}, {"baseline", w.base.bucket(t, "service-logs")},
	}
	bucketActions := []string{"s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
		"s3:PutEncryptionConfiguration", "s3:PutBucketObjectLockConfiguration", "s3:PutReplicationConfiguration", "s3:PutBucketLogging"}
	objectActions := []string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:BypassGovernanceRetention"}
	for _, c := range buckets {
		for _, a := range bucketActions {
			s.add(explicitDeny, "an account admin "+a+" on "+c.b.Name, request(admin, a, c.b.Arn, c.b.Policy, nil))
		}
		for _, a := range objectActions {
			s.add(explicitDeny, "an account admin "+a+" in "+c.b.Name, request(admin, a, c.b.object("cloudtrail/AWSLogs/x.json.gz"), c.b.Policy, nil))
		}
	}
	archive := w.acme.bucket(t, "log-archive")
	for _, a := range []string{"s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration"} {
		s.add(explicitDeny, "acme's own app role allowed * "+a+" on its archive", request(ownApp, a, archive.Arn, archive.Policy, nil))
	}
	s.add(explicitDeny, "acme's own app role allowed * deletes a record version", request(ownApp, "s3:DeleteObjectVersion", archive.object("cloudtrail/AWSLogs/x.json.gz"), archive.Policy, nil))

	// No overwrite of a delivered access log: only the delivering services
	// write objects into the service-logs buckets.
	deployer := session(role{Name: "tenantkit-deploy", Arn: testkit.Load(t, "acme").DeployerPrincipalArns[0]}, allowAll)
	logAdmin := session(role{Name: "tk-acme-log-admin", Arn: fmt.Sprintf("arn:aws:iam::%s:role/tenants/acme/tk-acme-log-admin", account)}, allowAll)
	for _, c := range []struct {
		name string
		b    bucket
	}{{"acme", w.acme.bucket(t, "service-logs")}, {"baseline", w.base.bucket(t, "service-logs")}} {
		record := c.b.object("s3/tk-acme-personal-" + account + "/2026-11-26-00-00-00-0123456789ABCDEF")
		for who, p := range map[string]principal{"an account admin": admin, "the deployer": deployer, "acme's log admin": logAdmin} {
			s.add(explicitDeny, who+" overwrites a record in "+c.name+"'s service logs", request(p, "s3:PutObject", record, c.b.Policy, nil))
		}
	}
	serviceLogs := w.acme.bucket(t, "service-logs")
	delivery := service("logging.s3.amazonaws.com", map[string]any{"aws:SourceArn": w.acme.bucket(t, "data/personal").Arn, "aws:SourceAccount": account})
	s.add(allowed, "S3 access logging still delivers", request(delivery, "s3:PutObject",
		serviceLogs.object("s3/"+w.acme.bucket(t, "data/personal").Name+"/2026-11-26-00-00-00-0123456789ABCDEF"), serviceLogs.Policy, nil))

	// The baseline key, under which every retained archive is readable:
	// neither deleted, disabled nor re-policied by an administrator.
	baseAdmin := session(role{Name: "tenantkit-log-admin", Arn: fmt.Sprintf("arn:aws:iam::%s:role/tenantkit-log-admin", account)}, allowAll)
	for _, a := range []string{"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"} {
		s.add(explicitDeny, "an account admin "+a+" on the baseline key", request(admin, a, w.base.keyArn, w.base.keyPolicy, nil))
		s.add(allowed, "the baseline's log admin "+a+" on the baseline key", request(baseAdmin, a, w.base.keyArn, w.base.keyPolicy, nil))
	}
	// The example baseline names no deployerPrincipalArns: the role whose
	// session ran it is its deployer.
	baseDeployer := session(role{Name: "tenantkit-deployer", Arn: mockengine.DeployerArn}, allowAll)
	s.add(explicitDeny, "the deployer schedules the baseline key's deletion", request(baseDeployer, "kms:ScheduleKeyDeletion", w.base.keyArn, w.base.keyPolicy, nil))
	s.add(allowed, "the deployer applies the program's key policy", request(baseDeployer, "kms:PutKeyPolicy", w.base.keyArn, w.base.keyPolicy, nil))
}

// copies: S3 replication copies a tenant's access logs into its locked
// archive, through the role the program gives it and the two buckets'
// policies, and through nothing else (S3 user guide, "Setting up
// permissions for live replication"); the tenant's log reader reads the
// group its records of the shared trail are copied into, and no other
// tenant's.
func (s *suite) copies() {
	t, w := s.t, s.w
	for _, tn := range []struct {
		name string
		site *site
	}{{"acme", w.acme}, {"globex", w.globex}} {
		copyRole := tn.site.role(t, "-copy-role")
		serviceLogs, archive := tn.site.bucket(t, "service-logs"), tn.site.bucket(t, "log-archive")
		s3svc := service("s3.amazonaws.com", map[string]any{"aws:SourceArn": serviceLogs.Arn, "aws:SourceAccount": account})
		s.add(allowed, "S3 assumes "+tn.name+"'s copy role for its service logs", request(s3svc, "sts:AssumeRole", copyRole.Arn, copyRole.Trust, nil))
		other := service("s3.amazonaws.com", map[string]any{"aws:SourceArn": tn.site.bucket(t, "log-archive").Arn, "aws:SourceAccount": account})
		s.add(denied, "S3 assumes "+tn.name+"'s copy role for another bucket", request(other, "sts:AssumeRole", copyRole.Arn, copyRole.Trust, nil))
		foreign := service("s3.amazonaws.com", map[string]any{"aws:SourceArn": serviceLogs.Arn, "aws:SourceAccount": otherAccount})
		s.add(denied, "S3 assumes "+tn.name+"'s copy role for another account", request(foreign, "sts:AssumeRole", copyRole.Arn, copyRole.Trust, nil))

		p := withInline(copyRole)
		record := "alb/AWSLogs/" + account + "/elasticloadbalancing/" + region + "/2026/11/26/x.log.gz"
		s.add(allowed, tn.name+"'s copy role reads the replication configuration", request(p, "s3:GetReplicationConfiguration", serviceLogs.Arn, serviceLogs.Policy, nil))
		s.add(allowed, tn.name+"'s copy role reads a delivered version", request(p, "s3:GetObjectVersionForReplication", serviceLogs.object(record), serviceLogs.Policy, nil))
		s.add(allowed, tn.name+"'s copy role replicates it into the archive", request(p, "s3:ReplicateObject", archive.object(record), archive.Policy, nil))
		s.add(denied, tn.name+"'s copy role deletes a record in the archive", request(p, "s3:DeleteObjectVersion", archive.object(record), archive.Policy, nil))
		s.add(denied, tn.name+"'s copy role replicates a delete", request(p, "s3:ReplicateDelete", archive.object(record), archive.Policy, nil))
		s.add(denied, tn.name+"'s copy role shortens a lock", request(p, "s3:PutObjectRetention", archive.object(record), archive.Policy, nil))
		s.add(denied, tn.name+"'s copy role reads the archive", request(p, "s3:GetObject", archive.object(record), archive.Policy, nil))
		for key, b := range tn.site.buckets {
			if strings.HasPrefix(key, "data/") {
				s.add(denied, tn.name+"'s copy role reads its "+key+" bucket", request(p, "s3:GetObject", b.object("customer/x"), b.Policy, nil))
			}
		}
	}
	corpArchive := w.corp.bucket(t, "log-archive")
	s.add(denied, "acme's copy role replicates into acme-corp's archive", request(withInline(w.acme.role(t, "-copy-role")), "s3:ReplicateObject", corpArchive.object("alb/x.log.gz"), corpArchive.Policy, nil))

	reader := withInline(w.acme.role(t, "-log-reader"))
	view := w.acme.logGroup(t, "/cloudtrail")
	s.add(allowed, "acme's log reader reads its records of the shared trail", request(reader, "logs:FilterLogEvents", view, nil, nil))
	s.add(allowed, "acme's log reader queries them", request(reader, "logs:StartQuery", view, nil, nil))
	s.add(denied, "acme's log reader reads acme-corp's records", request(reader, "logs:FilterLogEvents", w.corp.logGroup(t, "/cloudtrail"), nil, nil))
	s.add(denied, "acme's log reader reads the account's trail group", request(reader, "logs:FilterLogEvents", w.base.logGroup(t, "/tenantkit/cloudtrail"), nil, nil))
	s.add(denied, "acme's log reader shortens its records' retention", request(reader, "logs:PutRetentionPolicy", view, nil, nil))
	// Logs Insights: a query started on its own group is read and stopped
	// by its id (#34 item 3); listing the account's queries or groups,
	// every tenant's, is not granted.
	s.add(allowed, "acme's log reader reads its query's results", request(reader, "logs:GetQueryResults", "*", nil, nil))
	s.add(allowed, "acme's log reader stops its query", request(reader, "logs:StopQuery", "*", nil, nil))
	s.add(denied, "acme's log reader lists the account's queries", request(reader, "logs:DescribeQueries", "*", nil, nil))
	s.add(denied, "acme's log reader lists the account's log groups", request(reader, "logs:DescribeLogGroups", "*", nil, nil))
	// The customer's copy of its sealed reports (#37 item 2): its own
	// prefix of the evidence bucket, nothing else there.
	evidence := expect.BucketArn(expect.EvidenceBucket(account))
	own, corp := expect.CustomerEvidencePrefix("acme"), expect.CustomerEvidencePrefix("acme-corp")
	s.add(allowed, "acme's log reader lists its own sealed reports", request(reader, "s3:ListBucket", evidence, nil, map[string]any{"s3:prefix": own + "nightly/"}))
	s.add(allowed, "acme's log reader reads its own sealed report", request(reader, "s3:GetObject", evidence+"/"+own+"nightly/2026-12-07/acme.html", nil, nil))
	s.add(allowed, "acme's log reader reads its copy's signature", request(reader, "s3:GetObject", evidence+"/"+own+"nightly/2026-12-07/manifest.sig", nil, nil))
	s.add(denied, "acme's log reader lists acme-corp's sealed reports", request(reader, "s3:ListBucket", evidence, nil, map[string]any{"s3:prefix": corp}))
	s.add(denied, "acme's log reader lists the whole evidence bucket", request(reader, "s3:ListBucket", evidence, nil, map[string]any{"s3:prefix": ""}))
	s.add(denied, "acme's log reader reads acme-corp's sealed report", request(reader, "s3:GetObject", evidence+"/"+corp+"nightly/2026-12-07/acme-corp.html", nil, nil))
	s.add(denied, "acme's log reader reads the fleet's run (every tenant)", request(reader, "s3:GetObject", evidence+"/nightly/2026-12-07/index.html", nil, nil))
	s.add(denied, "acme's log reader reads a prefix that only starts like its own", request(reader, "s3:GetObject", evidence+"/customers/acme-corp/x", nil, nil))
	s.add(denied, "acme's log reader deletes its own sealed report", request(reader, "s3:DeleteObject", evidence+"/"+own+"nightly/2026-12-07/acme.html", nil, nil))
}

// watchdog: the §10 deadline watchdog (components/baseline watch.go) reads
// the tenants' deployed lifecycle state and alerts the operations topic,
// through the role the baseline gives it, and does nothing else; Step
// Functions assumes that role for the watchdog's state machine only.
func (s *suite) watchdog() {
	t, w := s.t, s.w
	r := w.base.role(t, expect.WatchStateMachineName)
	machine := fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", region, account, expect.WatchStateMachineName)
	states := service("states.amazonaws.com", map[string]any{"aws:SourceArn": machine, "aws:SourceAccount": account})
	s.add(allowed, "Step Functions assumes the watchdog role for the watchdog", request(states, "sts:AssumeRole", r.Arn, r.Trust, nil))
	other := service("states.amazonaws.com", map[string]any{"aws:SourceArn": machine + "-other", "aws:SourceAccount": account})
	s.add(denied, "Step Functions assumes it for another state machine", request(other, "sts:AssumeRole", r.Arn, r.Trust, nil))
	foreign := service("states.amazonaws.com", map[string]any{"aws:SourceArn": machine, "aws:SourceAccount": otherAccount})
	s.add(denied, "Step Functions assumes it for another account", request(foreign, "sts:AssumeRole", r.Arn, r.Trust, nil))

	p := withInline(r)
	param := func(name string) string { return fmt.Sprintf("arn:aws:ssm:%s:%s:parameter%s", region, account, name) }
	s.add(allowed, "the watchdog reads acme's deployed lifecycle state", request(p, "ssm:GetParameter", param(expect.LifecycleParameter("acme")), nil, nil))
	s.add(denied, "the watchdog changes it", request(p, "ssm:PutParameter", param(expect.LifecycleParameter("acme")), nil, nil))
	s.add(denied, "the watchdog reads another parameter", request(p, "ssm:GetParameter", param("/tenantkit/secrets/db"), nil, nil))
	s.add(allowed, "the watchdog alerts the operations topic", request(p, "sns:Publish", w.base.topicArn, w.base.topicPol, nil))
	s.add(denied, "the watchdog publishes to acme's alert topic", request(p, "sns:Publish", w.acme.topicArn, w.acme.topicPol, nil))
	s.add(allowed, "the watchdog encrypts its alert with the baseline key", request(p, "kms:GenerateDataKey", w.base.keyArn, w.base.keyPolicy, nil))
	s.add(denied, "the watchdog uses acme's key", request(p, "kms:Decrypt", w.acme.keyArn, w.acme.keyPolicy, nil))
	insecure := request(p, "sns:Publish", w.base.topicArn, w.base.topicPol, nil)
	insecure.Request.Context["aws:SecureTransport"] = "false"
	s.add(denied, "the watchdog alerts over plain HTTP", insecure)
}

// hosts: a tenant's instances (its app role with every policy attached,
// AWS managed ones as AWS publishes them) reach their own logs and
// metrics and no other tenant's. The CloudWatch agent's managed policy
// once let any tenant's host shorten another's log retention, write into
// its groups, pre-create a future tenant's groups and feed its alarms.
func (s *suite) hosts() {
	t, w := s.t, s.w
	app := withInline(w.acme.role(t, "-app"))
	globexGroup := w.globex.logGroup(t, "/app")
	future := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/tenants/futureco/app", region, account)
	for _, c := range []struct{ action, resource string }{
		{"logs:PutRetentionPolicy", globexGroup}, {"logs:PutLogEvents", globexGroup + ":log-stream:i-0123"},
		{"logs:CreateLogStream", globexGroup + ":log-stream:i-0123"}, {"logs:CreateLogGroup", future},
		{"logs:DeleteLogGroup", globexGroup},
	} {
		s.add(denied, "acme's host "+c.action+" on "+c.resource, request(app, c.action, c.resource, nil, nil))
	}
	for _, ns := range []string{config.MetricNamespace("globex"), "CWAgent", "AWS/EC2"} {
		s.add(denied, "acme's host publishes metrics into "+ns, request(app, "cloudwatch:PutMetricData", "*", nil, map[string]any{"cloudwatch:namespace": ns}))
	}
	s.add(allowed, "acme's host publishes metrics into its own namespace", request(app, "cloudwatch:PutMetricData", "*", nil,
		map[string]any{"cloudwatch:namespace": config.MetricNamespace("acme")}))
	s.add(allowed, "acme's host reads its tags (the agent's group dimension)", request(app, "ec2:DescribeTags", "*", nil, nil))
	s.add(allowed, "acme's host writes its own app log", request(app, "logs:PutLogEvents", w.acme.logGroup(t, "/app")+":log-stream:i-0123", nil, nil))
	// Host logs (WP-20.5): its own host group, no other tenant's.
	s.add(allowed, "acme's host sends its system log", request(app, "logs:PutLogEvents", w.acme.logGroup(t, "/host")+":log-stream:i-0123/messages", nil, nil))
	s.add(allowed, "acme's host opens its stream for the authentication log", request(app, "logs:CreateLogStream", w.acme.logGroup(t, "/host")+":log-stream:i-0123/secure", nil, nil))
	s.add(denied, "acme's host writes globex's host logs", request(app, "logs:PutLogEvents", w.globex.logGroup(t, "/host")+":log-stream:i-0123/secure", nil, nil))
	s.add(denied, "acme's host changes its host logs' retention", request(app, "logs:PutRetentionPolicy", w.acme.logGroup(t, "/host"), nil, nil))
	// Sessions (WP-18, #34 item 1): every call the agent makes for a
	// logged session to acme's host, through acme's document; none that
	// would put it where another tenant's sessions are kept, and no
	// session through the account default, whose data key is the
	// baseline's.
	// The live check judges the same calls with policydoc.Grants over the
	// role's inline policies: it must agree with the evaluator here.
	grants := func(action, resource string) bool {
		for _, p := range w.acme.role(t, "-app").Inline {
			if d, err := policydoc.Parse(string(p.Policy)); err == nil && d.Grants(action, resource) {
				return true
			}
		}
		return false
	}
	for _, g := range expect.SessionGrants(region, account, "acme", w.acme.keyArn) {
		var pol json.RawMessage
		if strings.HasPrefix(g.Action, "kms:") {
			pol = w.acme.keyPolicy
		}
		if !grants(g.Action, g.Resource) {
			t.Errorf("policydoc.Grants refuses %s on %s, which the evaluator is asked to allow", g.Action, g.Resource)
		}
		s.add(allowed, "acme's host, for a session: "+g.Action+" ("+g.Why+")", request(app, g.Action, g.Resource, pol, nil))
	}
	for _, g := range []string{w.globex.logGroup(t, "/sessions/globex"), w.base.logGroup(t, expect.SessionLogGroup)} {
		if grants("logs:PutLogEvents", g+":log-stream:operator-0123456789abcdef0") {
			t.Errorf("policydoc.Grants allows writing %s, which the evaluator is asked to deny", g)
		}
		s.add(denied, "acme's host writes a session into "+g, request(app, "logs:PutLogEvents", g+":log-stream:operator-0123456789abcdef0", nil, nil))
		s.add(denied, "acme's host opens a session stream in "+g, request(app, "logs:CreateLogStream", g+":log-stream:operator-0123456789abcdef0", nil, nil))
	}
	s.add(denied, "acme's host decrypts a session's data key under the baseline key (the account default)",
		request(app, "kms:Decrypt", w.base.keyArn, w.base.keyPolicy, nil))
	s.add(allowed, "acme's host reports to Session Manager (the managed SSM policy)", request(app, "ssm:UpdateInstanceInformation",
		fmt.Sprintf("arn:aws:ec2:%s:%s:instance/i-0123456789abcdef0", region, account), nil, nil))
}

// refresh: the drift check's role (refreshPrincipalArns, with AWS's
// ReadOnlyAccess-like reads in its identity policy) reads every bucket
// setting a refresh reads, and no object; a role that is neither deployer
// nor refresher cannot even list.
func (s *suite) refresh() {
	t, w := s.t, s.w
	reads := policyAllowing("s3:Get*", "s3:List*", "kms:Describe*", "kms:Get*", "kms:List*")
	refresher := session(role{Name: "tenantkit-preview", Arn: refreshRole}, reads)
	stranger := session(role{Name: "Auditor", Arn: fmt.Sprintf("arn:aws:iam::%s:role/Auditor", account)}, reads)
	for _, c := range []string{"data/personal", "data/confidential"} {
		b := w.acme.bucket(t, c)
		// What terraform-provider-aws's bucket read asks (s3/bucket.go).
		for _, a := range []string{"s3:ListBucket", "s3:GetBucketPolicy", "s3:GetEncryptionConfiguration", "s3:GetBucketVersioning",
			"s3:GetLifecycleConfiguration", "s3:GetBucketLogging", "s3:GetBucketPublicAccessBlock", "s3:GetBucketOwnershipControls", "s3:GetBucketTagging"} {
			s.add(allowed, "the refresh role "+a+" on "+b.Name, request(refresher, a, b.Arn, b.Policy, nil))
		}
		for _, a := range []string{"s3:GetObject", "s3:GetObjectVersion"} {
			s.add(explicitDeny, "the refresh role "+a+" in "+b.Name, request(refresher, a, b.object("customers.csv"), b.Policy, nil))
		}
		s.add(explicitDeny, "a read-only role that is no refresher lists "+b.Name, request(stranger, "s3:ListBucket", b.Arn, b.Policy, nil))
	}
	s.add(denied, "the refresh role decrypts with acme's key", request(refresher, "kms:Decrypt", w.acme.keyArn, w.acme.keyPolicy, viaS3(w.acme.bucket(t, "data/personal").Arn)))
	s.add(allowed, "the refresh role describes acme's key", request(refresher, "kms:DescribeKey", w.acme.keyArn, w.acme.keyPolicy, nil))
}
