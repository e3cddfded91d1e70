package journey

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/verify"
	"github.com/tenantkit/tenantkit/tests/violations"
)

// breaker is the account the violations are applied to: the SDK's clients
// on the journey's target, the tenant's inventory and stack config.
type breaker struct {
	w   *world
	inv *verify.Inventory
	cfg *config.Tenant

	ec2  *ec2.Client
	s3   *s3.Client
	kms  *kms.Client
	iam  *iam.Client
	logs *cloudwatchlogs.Client
	sns  *sns.Client
	elb  *elbv2.Client
	ev   *eventbridge.Client
	ct   *cloudtrail.Client
	rds  *rds.Client
	asg  *autoscaling.Client
	gd   *guardduty.Client
	insp *inspector2.Client
	ssm  *ssm.Client
}

type (
	kmsTag = kmstypes.Tag
	snsTag = snstypes.Tag
)

func cttypesField(field, value string) cttypes.AdvancedFieldSelector {
	return cttypes.AdvancedFieldSelector{Field: aws.String(field), Equals: []string{value}}
}

// undo puts back what a violation changed.
type undo func(ctx context.Context) error

// apply is how one case of the catalogue is applied to the account.
type apply func(ctx context.Context, b *breaker) (undo, error)

// violate applies every moto case of the catalogue for the tenant in its
// state (active or suspended), one at a time: the named check must FAIL
// while the promise is broken and PASS (or be N/A) again once it is
// restored. Each result is written to .artifacts/violations-<state>.json
// (what the catalogue caught, for the note and the docs).
func (w *world) violate(ctx context.Context, invPath string, suspended bool) {
	w.t.Helper()
	b := w.breaker(invPath)
	type outcome struct {
		ID, Check, Status, Restored string
		Observed                    []string
	}
	var got []outcome
	caught := 0
	for _, c := range violations.Cases {
		if c.Memory != "" || c.Suspended != suspended {
			continue
		}
		fn, ok := motoCases[c.ID]
		if !ok {
			w.t.Errorf("violation %s: no moto implementation", c.ID)
			continue
		}
		u, err := fn(ctx, b)
		if err != nil {
			w.t.Errorf("violation %s (%s): applying it: %v", c.ID, c.Violation, err)
			if u != nil {
				_ = u(ctx)
			}
			continue
		}
		status, obs := b.checkStatus(ctx, c.Control(), c.Check)
		o := outcome{ID: c.ID, Check: c.Check, Status: string(status), Observed: obs}
		if status == catalog.Fail {
			caught++
		} else {
			w.t.Errorf("violation %s (%s): %s is %s, want FAIL: %v", c.ID, c.Violation, c.Check, status, obs)
		}
		if err := u(ctx); err != nil {
			w.t.Errorf("violation %s: restoring: %v", c.ID, err)
		}
		after, aobs := b.checkStatus(ctx, c.Control(), c.Check)
		o.Restored = string(after)
		if after != catalog.Pass && after != catalog.NA {
			w.t.Errorf("violation %s: after restoring, %s is %s: %v", c.ID, c.Check, after, aobs)
		}
		got = append(got, o)
	}
	w.t.Logf("violation catalogue (%s): %d of %d cases caught in %s", map[bool]string{true: "suspended", false: "active"}[suspended], caught, len(got), w.target.name)
	if dir := os.Getenv("TENANTKIT_ARTIFACTS"); dir != "" || !w.target.real {
		if dir == "" {
			dir = filepath.Join(repoRoot(), ".artifacts")
		}
		_ = os.MkdirAll(dir, 0o755)
		j, _ := json.MarshalIndent(got, "", "  ")
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("violations-%s.json", map[bool]string{true: "suspended", false: "active"}[suspended])), j, 0o644)
	}
}

func (w *world) breaker(invPath string) *breaker {
	w.t.Helper()
	raw, err := os.ReadFile(invPath)
	if err != nil {
		w.t.Fatal(err)
	}
	inv, err := verify.ParseInventory(raw)
	if err != nil {
		w.t.Fatal(err)
	}
	cfg, _, err := stackfile.Load(filepath.Join(w.work, "stacks"), w.tenant)
	if err != nil {
		w.t.Fatal(err)
	}
	c := w.cfg
	return &breaker{w: w, inv: inv, cfg: cfg,
		ec2: ec2.NewFromConfig(c), s3: s3.NewFromConfig(c, func(o *s3.Options) { o.UsePathStyle = true }), kms: kms.NewFromConfig(c),
		iam: iam.NewFromConfig(c), logs: cloudwatchlogs.NewFromConfig(c), sns: sns.NewFromConfig(c), elb: elbv2.NewFromConfig(c),
		ev: eventbridge.NewFromConfig(c), ct: cloudtrail.NewFromConfig(c), rds: rds.NewFromConfig(c), asg: autoscaling.NewFromConfig(c),
		gd: guardduty.NewFromConfig(c), insp: inspector2.NewFromConfig(c), ssm: ssm.NewFromConfig(c)}
}

// checkStatus runs one control's checks in this process, as tenantctl
// verify --control does, and returns the named check's status.
func (b *breaker) checkStatus(ctx context.Context, control, check string) (catalog.Status, []string) {
	var stderr strings.Builder
	rep, code := verify.Verify(ctx, verify.Options{Tenant: b.w.tenant, Inventoried: b.inv, StacksDir: "stacks", BaselineDir: "baseline",
		Endpoint: b.w.target.endpoint, Parallel: 8, Controls: []string{control}}, &stderr)
	if rep == nil {
		b.w.t.Fatalf("verify --control %s: exit %d, no report: %s", control, code, stderr.String())
	}
	for _, c := range rep.Controls {
		for _, ch := range c.Checks {
			if ch.ID != check {
				continue
			}
			var obs []string
			for _, o := range ch.Observations {
				if o.Status != catalog.Pass {
					obs = append(obs, fmt.Sprintf("%s %s: %s (expected %s)", o.Status, o.Resource, o.Observed, o.Expected))
				}
			}
			return ch.Status, obs
		}
	}
	return "NO SUCH CHECK", []string{"the report of " + control + " has no check " + check}
}

// repair redeploys the tenant from its state (up --refresh): the undo of a
// violation that deleted what Pulumi made.
func (b *breaker) repair(ctx context.Context) error {
	return b.w.tenantStack().Repair(ctx, b.w.tenant)
}

func (b *breaker) region() string { return b.inv.Region }

// ---- helpers shared by the cases ----

func (b *breaker) bucketPolicy(ctx context.Context, bucket string) (string, error) {
	out, err := b.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Policy), nil
}

// editDoc changes a policy document with edit, written back with put; the
// undo puts the old one back.
func editDoc(ctx context.Context, old string, put func(ctx context.Context, doc string) error, edit func(*policydoc.Document)) (undo, error) {
	doc, err := policydoc.Parse(old)
	if err != nil {
		return nil, err
	}
	edit(doc)
	if err := put(ctx, doc.JSON()); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return put(ctx, old) }, nil
}

// editBucketPolicy changes a bucket policy with edit.
func (b *breaker) editBucketPolicy(ctx context.Context, bucket string, edit func(*policydoc.Document)) (undo, error) {
	old, err := b.bucketPolicy(ctx, bucket)
	if err != nil {
		return nil, err
	}
	return editDoc(ctx, old, func(ctx context.Context, doc string) error {
		_, err := b.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(doc)})
		return err
	}, edit)
}

// withoutSids drops the statements whose Sid has one of the prefixes.
func withoutSids(prefixes ...string) func(*policydoc.Document) {
	return func(d *policydoc.Document) {
		d.Statement = slices.DeleteFunc(d.Statement, func(s policydoc.Statement) bool {
			return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s.Sid, p) })
		})
	}
}

// withoutTenantDeny drops the statement that denies the other tenants.
func withoutTenantDeny(tenant string) func(*policydoc.Document) {
	return func(d *policydoc.Document) {
		for i := range d.Statement {
			one := policydoc.Document{Statement: []policydoc.Statement{d.Statement[i]}}
			if one.DeniesOtherTenants(tenant) {
				d.Statement = slices.Delete(d.Statement, i, i+1)
				return
			}
		}
	}
}

func (b *breaker) editBucketTags(ctx context.Context, bucket string, edit func(map[string]string)) (undo, error) {
	out, err := b.s3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(bucket)})
	if err != nil {
		return nil, err
	}
	old := out.TagSet
	m := map[string]string{}
	for _, t := range old {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	edit(m)
	var set []s3types.Tag
	for k, v := range m {
		set = append(set, s3types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	if _, err := b.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &s3types.Tagging{TagSet: set}}); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := b.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &s3types.Tagging{TagSet: old}})
		return err
	}, nil
}

// ingress adds one ingress rule; the undo revokes it.
func (b *breaker) ingress(ctx context.Context, group string, p ec2types.IpPermission) (undo, error) {
	out, err := b.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(group), IpPermissions: []ec2types.IpPermission{p}})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range out.SecurityGroupRules {
		ids = append(ids, aws.ToString(r.SecurityGroupRuleId))
	}
	return func(ctx context.Context) error {
		_, err := b.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(group), SecurityGroupRuleIds: ids})
		return err
	}, nil
}

func tcpFrom(from, to int32, cidr string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(from), ToPort: aws.Int32(to), IpRanges: []ec2types.IpRange{{CidrIp: aws.String(cidr)}}}
}

func tcpFromGroup(port int32, group string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(group)}}}
}

func (b *breaker) defaultGroup(ctx context.Context) (string, error) {
	out, err := b.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{b.inv.VpcID}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	if err != nil {
		return "", err
	}
	if len(out.SecurityGroups) == 0 {
		return "", fmt.Errorf("no default group in %s", b.inv.VpcID)
	}
	return aws.ToString(out.SecurityGroups[0].GroupId), nil
}

// newBucket makes a versioned bucket of the violation's in a region; the
// undo deletes it.
func (b *breaker) newBucket(ctx context.Context, region, prefix string) (string, undo, error) {
	name := fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
	c := s3.NewFromConfig(b.w.cfg, func(o *s3.Options) { o.UsePathStyle = true; o.Region = region })
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	if _, err := c.CreateBucket(ctx, in); err != nil {
		return "", nil, err
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name), VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		return "", nil, err
	}
	return name, func(ctx context.Context) error {
		_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(name)})
		return err
	}, nil
}

// replicateInto gives a bucket one replication rule into dest (replacing
// its configuration); the undo restores the old configuration, or none.
func (b *breaker) replicateInto(ctx context.Context, bucket, dest string) (undo, error) {
	var old *s3types.ReplicationConfiguration
	if out, err := b.s3.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(bucket)}); err == nil {
		old = out.ReplicationConfiguration
	}
	role := fmt.Sprintf("arn:aws:iam::%s:role/violation-replication", b.inv.AccountID)
	if old != nil {
		role = aws.ToString(old.Role)
	}
	_, err := b.s3.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String(bucket), ReplicationConfiguration: &s3types.ReplicationConfiguration{
		Role: aws.String(role), Rules: []s3types.ReplicationRule{{ID: aws.String("violation"), Status: s3types.ReplicationRuleStatusEnabled, Priority: aws.Int32(1),
			Filter: &s3types.ReplicationRuleFilter{}, DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatusDisabled},
			Destination: &s3types.Destination{Bucket: aws.String("arn:aws:s3:::" + dest)}}}}})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		if old == nil {
			_, err := b.s3.DeleteBucketReplication(ctx, &s3.DeleteBucketReplicationInput{Bucket: aws.String(bucket)})
			return err
		}
		_, err := b.s3.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String(bucket), ReplicationConfiguration: old})
		return err
	}, nil
}

// both runs undos in reverse order.
func both(us ...undo) undo {
	return func(ctx context.Context) error {
		var errs []string
		for i := len(us) - 1; i >= 0; i-- {
			if us[i] == nil {
				continue
			}
			if err := us[i](ctx); err != nil {
				errs = append(errs, err.Error())
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s", strings.Join(errs, "; "))
		}
		return nil
	}
}

func (b *breaker) editTrust(ctx context.Context, roleArn string, edit func(*policydoc.Document)) (undo, error) {
	name := roleArn[strings.LastIndex(roleArn, "/")+1:]
	out, err := b.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	old, _ := url.QueryUnescape(aws.ToString(out.Role.AssumeRolePolicyDocument))
	return editDoc(ctx, old, func(ctx context.Context, doc string) error {
		_, err := b.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name), PolicyDocument: aws.String(doc)})
		return err
	}, edit)
}

func (b *breaker) editKeyPolicy(ctx context.Context, edit func(*policydoc.Document)) (undo, error) {
	out, err := b.kms.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(b.inv.KeyArn), PolicyName: aws.String("default")})
	if err != nil {
		return nil, err
	}
	return editDoc(ctx, aws.ToString(out.Policy), func(ctx context.Context, doc string) error {
		_, err := b.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(b.inv.KeyArn), PolicyName: aws.String("default"), Policy: aws.String(doc)})
		return err
	}, edit)
}

// launchVersion makes the group launch a new version of its template
// whose user data or other launch data edit changes; the undo points the
// group back at the version it launched before.
func (b *breaker) launchVersion(ctx context.Context, edit func(data *ec2types.RequestLaunchTemplateData, userData string)) (undo, error) {
	g, err := b.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{b.inv.AutoScalingGroup}})
	if err != nil {
		return nil, err
	}
	if len(g.AutoScalingGroups) == 0 || g.AutoScalingGroups[0].LaunchTemplate == nil {
		return nil, fmt.Errorf("group %s launches from no template", b.inv.AutoScalingGroup)
	}
	spec := *g.AutoScalingGroups[0].LaunchTemplate
	vs, err := b.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: spec.LaunchTemplateId, Versions: []string{aws.ToString(spec.Version)}})
	if err != nil {
		return nil, err
	}
	if len(vs.LaunchTemplateVersions) == 0 {
		return nil, fmt.Errorf("no version %s", aws.ToString(spec.Version))
	}
	cur := vs.LaunchTemplateVersions[0].LaunchTemplateData
	ud, _ := base64.StdEncoding.DecodeString(aws.ToString(cur.UserData))
	data := requestData(cur)
	edit(data, string(ud))
	nv, err := b.ec2.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: spec.LaunchTemplateId, LaunchTemplateData: data})
	if err != nil {
		return nil, err
	}
	newVersion := fmt.Sprint(aws.ToInt64(nv.LaunchTemplateVersion.VersionNumber))
	if _, err := b.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String(b.inv.AutoScalingGroup),
		LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateId: spec.LaunchTemplateId, Version: aws.String(newVersion)}}); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		// The version made stays (moto 5.2.1 answers
		// DeleteLaunchTemplateVersions with a 500); the group launches
		// the one it launched before.
		back := &astypes.LaunchTemplateSpecification{LaunchTemplateId: spec.LaunchTemplateId, Version: spec.Version}
		_, err := b.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String(b.inv.AutoScalingGroup), LaunchTemplate: back})
		return err
	}, nil
}

// requestData copies what the tenant's template sets from a version's
// answer into a request.
func requestData(d *ec2types.ResponseLaunchTemplateData) *ec2types.RequestLaunchTemplateData {
	r := &ec2types.RequestLaunchTemplateData{ImageId: d.ImageId, InstanceType: d.InstanceType, UserData: d.UserData}
	if d.MetadataOptions != nil {
		r.MetadataOptions = &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{HttpTokens: d.MetadataOptions.HttpTokens,
			HttpEndpoint: d.MetadataOptions.HttpEndpoint, HttpPutResponseHopLimit: d.MetadataOptions.HttpPutResponseHopLimit}
	}
	if d.IamInstanceProfile != nil {
		r.IamInstanceProfile = &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Arn: d.IamInstanceProfile.Arn, Name: d.IamInstanceProfile.Name}
	}
	for _, bd := range d.BlockDeviceMappings {
		m := ec2types.LaunchTemplateBlockDeviceMappingRequest{DeviceName: bd.DeviceName}
		if bd.Ebs != nil {
			m.Ebs = &ec2types.LaunchTemplateEbsBlockDeviceRequest{Encrypted: bd.Ebs.Encrypted, KmsKeyId: bd.Ebs.KmsKeyId, VolumeSize: bd.Ebs.VolumeSize,
				VolumeType: bd.Ebs.VolumeType, DeleteOnTermination: bd.Ebs.DeleteOnTermination}
		}
		r.BlockDeviceMappings = append(r.BlockDeviceMappings, m)
	}
	for _, ni := range d.NetworkInterfaces {
		r.NetworkInterfaces = append(r.NetworkInterfaces, ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{
			AssociatePublicIpAddress: ni.AssociatePublicIpAddress, DeviceIndex: ni.DeviceIndex, Groups: ni.Groups, SubnetId: ni.SubnetId, DeleteOnTermination: ni.DeleteOnTermination})
	}
	r.SecurityGroupIds = d.SecurityGroupIds
	for _, ts := range d.TagSpecifications {
		r.TagSpecifications = append(r.TagSpecifications, ec2types.LaunchTemplateTagSpecificationRequest{ResourceType: ts.ResourceType, Tags: ts.Tags})
	}
	return r
}

func userData(s string) *string { return aws.String(base64.StdEncoding.EncodeToString([]byte(s))) }

func (b *breaker) dbParameter(ctx context.Context, name, value string) (undo, error) {
	db, err := b.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(b.inv.Database.Identifier)})
	if err != nil {
		return nil, err
	}
	if len(db.DBInstances) == 0 || len(db.DBInstances[0].DBParameterGroups) == 0 {
		return nil, fmt.Errorf("database %s has no parameter group", b.inv.Database.Identifier)
	}
	group := db.DBInstances[0].DBParameterGroups[0].DBParameterGroupName
	ps, err := b.rds.DescribeDBParameters(ctx, &rds.DescribeDBParametersInput{DBParameterGroupName: group})
	if err != nil {
		return nil, err
	}
	old := ""
	for _, p := range ps.Parameters {
		if aws.ToString(p.ParameterName) == name {
			old = aws.ToString(p.ParameterValue)
		}
	}
	set := func(ctx context.Context, v string) error {
		_, err := b.rds.ModifyDBParameterGroup(ctx, &rds.ModifyDBParameterGroupInput{DBParameterGroupName: group,
			Parameters: []rdstypes.Parameter{{ParameterName: aws.String(name), ParameterValue: aws.String(v), ApplyMethod: rdstypes.ApplyMethodImmediate}}})
		return err
	}
	if err := set(ctx, value); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return set(ctx, old) }, nil
}

func (b *breaker) listener(ctx context.Context, proto elbtypes.ProtocolEnum) (elbtypes.Listener, error) {
	out, err := b.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(b.inv.LoadBalancerArn)})
	if err != nil {
		return elbtypes.Listener{}, err
	}
	for _, l := range out.Listeners {
		if l.Protocol == proto {
			return l, nil
		}
	}
	return elbtypes.Listener{}, fmt.Errorf("no %s listener on %s", proto, b.inv.LoadBalancerArn)
}

// forward points a listener at the application again.
func (b *breaker) forward(ctx context.Context, proto elbtypes.ProtocolEnum) (undo, error) {
	l, err := b.listener(ctx, proto)
	if err != nil {
		return nil, err
	}
	// The tenant's target group by its VPC: after a change replaced it,
	// moto 5.2.1 answers DescribeTargetGroups by load balancer with
	// TargetGroupNotFound for the old one.
	tgs, err := b.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(tgs.TargetGroups, func(g elbtypes.TargetGroup) bool { return aws.ToString(g.VpcId) == b.inv.VpcID })
	if i < 0 {
		return nil, fmt.Errorf("no target group in %s", b.inv.VpcID)
	}
	if _, err := b.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, DefaultActions: []elbtypes.Action{
		{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgs.TargetGroups[i].TargetGroupArn}}}); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := b.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, DefaultActions: l.DefaultActions})
		return err
	}, nil
}

func (b *breaker) detector(ctx context.Context) (string, *guardduty.GetDetectorOutput, error) {
	ids, err := b.gd.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
	if err != nil {
		return "", nil, err
	}
	if len(ids.DetectorIds) == 0 {
		return "", nil, fmt.Errorf("no detector")
	}
	d, err := b.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(ids.DetectorIds[0])})
	return ids.DetectorIds[0], d, err
}

// updateDetector changes the detector; the undo restores every setting
// the baseline makes (moto's UpdateDetector replaces the feature list
// whole, so the undo names every feature).
func (b *breaker) updateDetector(ctx context.Context, in *guardduty.UpdateDetectorInput) (undo, error) {
	id, d, err := b.detector(ctx)
	if err != nil {
		return nil, err
	}
	in.DetectorId = aws.String(id)
	if _, err := b.gd.UpdateDetector(ctx, in); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		var fs []gdtypes.DetectorFeatureConfiguration
		for _, f := range d.Features {
			fs = append(fs, gdtypes.DetectorFeatureConfiguration{Name: gdtypes.DetectorFeature(f.Name), Status: f.Status})
		}
		_, err := b.gd.UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: aws.String(id), Enable: aws.Bool(d.Status == gdtypes.DetectorStatusEnabled),
			FindingPublishingFrequency: d.FindingPublishingFrequency, Features: fs})
		return err
	}, nil
}

func (b *breaker) routeTable(ctx context.Context) (string, error) {
	out, err := b.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{b.inv.VpcID}}}})
	if err != nil {
		return "", err
	}
	for _, rt := range out.RouteTables {
		for _, a := range rt.Associations {
			if aws.ToString(a.SubnetId) != "" {
				return aws.ToString(rt.RouteTableId), nil
			}
		}
	}
	return "", fmt.Errorf("no route table with a subnet in %s", b.inv.VpcID)
}

func (b *breaker) route(ctx context.Context, in *ec2.CreateRouteInput) (undo, error) {
	rt, err := b.routeTable(ctx)
	if err != nil {
		return nil, err
	}
	in.RouteTableId = aws.String(rt)
	if _, err := b.ec2.CreateRoute(ctx, in); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := b.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: in.DestinationCidrBlock})
		return err
	}, nil
}

func (b *breaker) editRule(ctx context.Context, name string, edit func(*eventbridge.PutRuleInput)) (undo, error) {
	r, err := b.ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
	if err != nil {
		return nil, err
	}
	put := func(ctx context.Context, in *eventbridge.PutRuleInput) error {
		_, err := b.ev.PutRule(ctx, in)
		return err
	}
	orig := func() *eventbridge.PutRuleInput {
		return &eventbridge.PutRuleInput{Name: r.Name, EventPattern: r.EventPattern, State: r.State, Description: r.Description, EventBusName: r.EventBusName}
	}
	in := orig()
	edit(in)
	if err := put(ctx, in); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return put(ctx, orig()) }, nil
}

func (b *breaker) subscription(ctx context.Context, protocol, endpoint string) (undo, error) {
	out, err := b.sns.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(b.inv.TopicArn), Protocol: aws.String(protocol), Endpoint: aws.String(endpoint), ReturnSubscriptionArn: true})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := b.sns.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: out.SubscriptionArn})
		return err
	}, nil
}

func (b *breaker) logGroupArn(name string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", b.region(), b.inv.AccountID, name)
}

// otherTenant is a tenant of the stacks directory other than the journey's, and its range.
func (b *breaker) otherTenant() (string, string) {
	others, err := stackfile.OtherCidrs(filepath.Join(b.w.work, "stacks"), b.w.tenant)
	if err != nil || len(others) == 0 {
		b.w.t.Fatalf("no other tenant in the stacks directory: %v", err)
	}
	names := make([]string, 0, len(others))
	for n := range others {
		names = append(names, n)
	}
	slices.Sort(names)
	return names[0], others[names[0]].String()
}

// motoCases are the catalogue's cases that moto can hold, by ID.
var motoCases = map[string]apply{
	// WP-07
	"07-replica-abroad": func(ctx context.Context, b *breaker) (undo, error) {
		dest, drop, err := b.newBucket(ctx, "us-west-2", "violation-usw2")
		if err != nil {
			return nil, err
		}
		u, err := b.replicateInto(ctx, b.inv.Buckets.Data["personal"], dest)
		return both(drop, u), err
	},
	"07-replica-osaka-without-dr": func(ctx context.Context, b *breaker) (undo, error) {
		dest, drop, err := b.newBucket(ctx, config.RegionOsaka, "violation-osaka")
		if err != nil {
			return nil, err
		}
		u, err := b.replicateInto(ctx, b.inv.Buckets.Data["confidential"], dest)
		return both(drop, u), err
	},
	"07-replica-foreign-bucket": func(ctx context.Context, b *breaker) (undo, error) {
		dest, drop, err := b.newBucket(ctx, b.region(), "violation-tokyo")
		if err != nil {
			return nil, err
		}
		u, err := b.replicateInto(ctx, b.inv.Buckets.ServiceLogs, dest)
		return both(drop, u), err
	},

	// WP-10, suspended
	"10-lb-open-while-suspended": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["lb"], tcpFrom(443, 443, "0.0.0.0/0"))
	},
	"10-listener-forwards": func(ctx context.Context, b *breaker) (undo, error) {
		return b.forward(ctx, elbtypes.ProtocolEnumHttps)
	},
	"10-app-open-outside": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["app"], tcpFrom(int32(b.cfg.AppPort), int32(b.cfg.AppPort), "203.0.113.0/24"))
	},

	// WP-11
	"11-bucket-untagged": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editBucketTags(ctx, b.inv.Buckets.Data["personal"], func(m map[string]string) { delete(m, "Tenant") })
	},
	"11-key-wrong-environment": func(ctx context.Context, b *breaker) (undo, error) {
		if _, err := b.kms.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(b.inv.KeyArn), Tags: []kmsTag{{TagKey: aws.String("Environment"), TagValue: aws.String("dev")}}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.kms.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(b.inv.KeyArn), Tags: []kmsTag{{TagKey: aws.String("Environment"), TagValue: aws.String(b.cfg.Environment)}}})
			return err
		}, nil
	},
	"11-vpc-untagged": func(ctx context.Context, b *breaker) (undo, error) {
		if _, err := b.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{b.inv.VpcID}, Tags: []ec2types.Tag{{Key: aws.String("Tenant")}}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{b.inv.VpcID}, Tags: []ec2types.Tag{{Key: aws.String("Tenant"), Value: aws.String(b.w.tenant)}}})
			return err
		}, nil
	},
	"11-extra-tagged": func(ctx context.Context, b *breaker) (undo, error) {
		out, err := b.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("violation-handmade"), Tags: []snsTag{{Key: aws.String("Tenant"), Value: aws.String(b.w.tenant)}}})
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.sns.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: out.TopicArn})
			return err
		}, nil
	},

	// WP-12
	"12-personal-labelled-public": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editBucketTags(ctx, b.inv.Buckets.Data["personal"], func(m map[string]string) { m["DataClassification"] = "public" })
	},
	"12-log-group-unlabelled": func(ctx context.Context, b *breaker) (undo, error) {
		arn := b.logGroupArn(b.inv.FlowLogGroup)
		tags, err := b.logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		old := tags.Tags["DataClassification"]
		if _, err := b.logs.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"DataClassification"}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.logs.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"DataClassification": old}})
			return err
		}, nil
	},
	"12-database-relabelled": func(ctx context.Context, b *breaker) (undo, error) {
		tags, err := b.rds.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: aws.String(b.inv.Database.Arn)})
		if err != nil {
			return nil, err
		}
		old := ""
		for _, t := range tags.TagList {
			if aws.ToString(t.Key) == "DataClassification" {
				old = aws.ToString(t.Value)
			}
		}
		set := func(ctx context.Context, v string) error {
			_, err := b.rds.AddTagsToResource(ctx, &rds.AddTagsToResourceInput{ResourceName: aws.String(b.inv.Database.Arn), Tags: []rdstypes.Tag{{Key: aws.String("DataClassification"), Value: aws.String(v)}}})
			return err
		}
		if err := set(ctx, "public"); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return set(ctx, old) }, nil
	},

	"12-volume-unlabelled": func(ctx context.Context, b *breaker) (undo, error) {
		vols, err := b.instanceVolumes(ctx)
		if err != nil {
			return nil, err
		}
		v := vols[0]
		old := ""
		for _, t := range v.Tags {
			if aws.ToString(t.Key) == "DataClassification" {
				old = aws.ToString(t.Value)
			}
		}
		if _, err := b.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{aws.ToString(v.VolumeId)}, Tags: []ec2types.Tag{{Key: aws.String("DataClassification")}}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{aws.ToString(v.VolumeId)}, Tags: []ec2types.Tag{{Key: aws.String("DataClassification"), Value: aws.String(old)}}})
			return err
		}, nil
	},

	// WP-15
	"15-reader-without-mfa": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editTrust(ctx, b.inv.Roles["logReader"], func(d *policydoc.Document) {
			for i := range d.Statement {
				d.Statement[i].Condition = nil
			}
		})
	},
	"15-admin-any-principal": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editTrust(ctx, b.inv.Roles["logAdmin"], func(d *policydoc.Document) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Violation", Effect: "Allow", Principal: policydoc.AWS("arn:aws:iam::999988887777:root"), Action: policydoc.List("sts:AssumeRole")})
		})
	},
	"15-iam-user-with-key": func(ctx context.Context, b *breaker) (undo, error) {
		if _, err := b.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("violation-user")}); err != nil {
			return nil, err
		}
		k, err := b.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("violation-user")})
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			if _, err := b.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("violation-user"), AccessKeyId: k.AccessKey.AccessKeyId}); err != nil {
				return err
			}
			_, err := b.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("violation-user")})
			return err
		}, nil
	},
	"15-short-passwords": func(ctx context.Context, b *breaker) (undo, error) {
		out, err := b.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		if err != nil {
			return nil, err
		}
		p := out.PasswordPolicy
		put := func(ctx context.Context, n int32) error {
			_, err := b.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(n), RequireLowercaseCharacters: p.RequireLowercaseCharacters,
				RequireUppercaseCharacters: p.RequireUppercaseCharacters, RequireNumbers: p.RequireNumbers, RequireSymbols: p.RequireSymbols, AllowUsersToChangePassword: p.AllowUsersToChangePassword,
				MaxPasswordAge: p.MaxPasswordAge, PasswordReusePrevention: p.PasswordReusePrevention, HardExpiry: p.HardExpiry})
			return err
		}
		if err := put(ctx, 8); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return put(ctx, aws.ToInt32(p.MinimumPasswordLength)) }, nil
	},

	// WP-17
	"17-bucket-open": func(ctx context.Context, b *breaker) (undo, error) {
		bucket := b.inv.Buckets.Data["personal"]
		return b.editBucketPolicy(ctx, bucket, func(d *policydoc.Document) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Violation", Effect: "Allow", Principal: policydoc.AWS("*"), Action: policydoc.List("s3:GetObject"), Resource: policydoc.List("arn:aws:s3:::" + bucket + "/*")})
		})
	},
	"17-archive-admits-tenants": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editBucketPolicy(ctx, b.inv.Buckets.LogArchive, withoutTenantDeny(b.w.tenant))
	},
	"17-key-other-account": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editKeyPolicy(ctx, func(d *policydoc.Document) {
			d.Statement = append(d.Statement, policydoc.Statement{Sid: "Violation", Effect: "Allow", Principal: policydoc.AWS("arn:aws:iam::999988887777:root"), Action: policydoc.List("kms:Decrypt"), Resource: policydoc.List("*")})
		})
	},
	"17-key-no-tenant-deny": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editKeyPolicy(ctx, withoutTenantDeny(b.w.tenant))
	},
	"17-role-policy-wildcard": func(ctx context.Context, b *breaker) (undo, error) {
		role := b.inv.Roles["logReader"]
		name := role[strings.LastIndex(role, "/")+1:]
		doc := policydoc.Document{Statement: []policydoc.Statement{{Effect: "Allow", Action: policydoc.List("s3:GetObject"), Resource: policydoc.List("*")}}}
		if _, err := b.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("violation"), PolicyDocument: aws.String(doc.JSON())}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("violation")})
			return err
		}, nil
	},
	"17-role-attached-admin": func(ctx context.Context, b *breaker) (undo, error) {
		role := b.inv.Roles["logAdmin"]
		name := role[strings.LastIndex(role, "/")+1:]
		doc := policydoc.Document{Statement: []policydoc.Statement{{Effect: "Allow", Action: policydoc.List("s3:*"), Resource: policydoc.List("*")}}}
		p, err := b.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("violation-s3-admin"), PolicyDocument: aws.String(doc.JSON())})
		if err != nil {
			return nil, err
		}
		if _, err := b.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: p.Policy.Arn}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			if _, err := b.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: p.Policy.Arn}); err != nil {
				return err
			}
			_, err := b.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.Policy.Arn})
			return err
		}, nil
	},

	// WP-18
	"18-ssh-open": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["app"], tcpFrom(22, 22, "0.0.0.0/0"))
	},
	"18-rdp-from-vpc": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["db"], tcpFrom(3389, 3389, b.inv.VpcCidr))
	},
	"18-range-covers-ssh": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["endpoints"], tcpFrom(20, 25, "10.0.0.0/8"))
	},
	"18-sessions-unencrypted": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editSessionDocument(ctx, "SSM-SessionManagerRunShell", func(in map[string]any) { in["cloudWatchEncryptionEnabled"] = false })
	},
	"18-sessions-elsewhere": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editSessionDocument(ctx, expect.SessionDocument(b.w.tenant), func(in map[string]any) { in["cloudWatchLogGroupName"] = expect.SessionLogGroup })
	},
	// #34 item 1 as the review found it: the host may not write its
	// session group, so no session starts logged.
	"18-host-cannot-log-sessions": func(ctx context.Context, b *breaker) (undo, error) {
		role := expect.InstanceRoleName(b.w.tenant)
		names, err := b.iam.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(role)})
		if err != nil {
			return nil, err
		}
		for _, name := range names.PolicyNames {
			cur, err := b.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			old, err := url.QueryUnescape(aws.ToString(cur.PolicyDocument))
			if err != nil {
				return nil, err
			}
			if !strings.Contains(old, expect.TenantSessionLogGroup(b.w.tenant)) {
				continue
			}
			broken := strings.ReplaceAll(old, expect.TenantSessionLogGroup(b.w.tenant), expect.TenantSessionLogGroup(b.w.tenant)+"-elsewhere")
			if _, err := b.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(broken)}); err != nil {
				return nil, err
			}
			return func(ctx context.Context) error {
				_, err := b.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(old)})
				return err
			}, nil
		}
		return nil, fmt.Errorf("no inline policy of %s names %s", role, expect.TenantSessionLogGroup(b.w.tenant))
	},

	// WP-19
	"19-default-sg-ingress": func(ctx context.Context, b *breaker) (undo, error) {
		g, err := b.defaultGroup(ctx)
		if err != nil {
			return nil, err
		}
		return b.ingress(ctx, g, tcpFrom(443, 443, "0.0.0.0/0"))
	},
	"19-default-sg-egress": func(ctx context.Context, b *breaker) (undo, error) {
		g, err := b.defaultGroup(ctx)
		if err != nil {
			return nil, err
		}
		out, err := b.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: []ec2types.IpPermission{tcpFrom(443, 443, "0.0.0.0/0")}})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, r := range out.SecurityGroupRules {
			ids = append(ids, aws.ToString(r.SecurityGroupRuleId))
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(g), SecurityGroupRuleIds: ids})
			return err
		}, nil
	},
	"19-vpc-other-tenant": func(ctx context.Context, b *breaker) (undo, error) {
		other, _ := b.otherTenant()
		if _, err := b.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{b.inv.VpcID}, Tags: []ec2types.Tag{{Key: aws.String("Tenant"), Value: aws.String(other)}}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{b.inv.VpcID}, Tags: []ec2types.Tag{{Key: aws.String("Tenant"), Value: aws.String(b.w.tenant)}}})
			return err
		}, nil
	},

	// WP-20.1
	"20.1-lb-open-world": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["lb"], tcpFrom(443, 443, "0.0.0.0/0"))
	},
	"20.1-app-other-port": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["app"], tcpFromGroup(9090, b.inv.SecurityGroups["lb"]))
	},
	"20.1-db-from-cidr": func(ctx context.Context, b *breaker) (undo, error) {
		port := int32(b.cfg.Database.Port)
		return b.ingress(ctx, b.inv.SecurityGroups["db"], tcpFrom(port, port, b.inv.VpcCidr))
	},
	"20.1-extra-group": func(ctx context.Context, b *breaker) (undo, error) {
		g, err := b.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("violation-handmade"), Description: aws.String("made by hand"), VpcId: aws.String(b.inv.VpcID)})
		if err != nil {
			return nil, err
		}
		drop := func(ctx context.Context) error {
			_, err := b.ec2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: g.GroupId})
			return err
		}
		u, err := b.ingress(ctx, aws.ToString(g.GroupId), tcpFrom(443, 443, "10.0.0.0/8"))
		return both(drop, u), err
	},

	// WP-20.2
	"20.2-all-protocols": func(ctx context.Context, b *breaker) (undo, error) {
		return b.ingress(ctx, b.inv.SecurityGroups["db"], ec2types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(b.inv.SecurityGroups["app"])}}})
	},
	"20.2-nacl-allows-ssh": func(ctx context.Context, b *breaker) (undo, error) {
		acl, err := b.aclOf(ctx, b.inv.SubnetIDs[0])
		if err != nil {
			return nil, err
		}
		used := map[int32]bool{}
		for _, e := range acl.Entries {
			if !aws.ToBool(e.Egress) {
				used[aws.ToInt32(e.RuleNumber)] = true
			}
		}
		n := int32(1)
		for used[n] {
			n++
		}
		if _, err := b.ec2.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: acl.NetworkAclId, RuleNumber: aws.Int32(n), Protocol: aws.String("6"),
			RuleAction: ec2types.RuleActionAllow, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0"), PortRange: &ec2types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: acl.NetworkAclId, RuleNumber: aws.Int32(n), Egress: aws.Bool(false)})
			return err
		}, nil
	},
	"20.2-subnet-default-acl": func(ctx context.Context, b *breaker) (undo, error) {
		subnet := b.inv.SubnetIDs[0]
		acl, err := b.aclOf(ctx, subnet)
		if err != nil {
			return nil, err
		}
		all, err := b.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{b.inv.VpcID}}, {Name: aws.String("default"), Values: []string{"true"}}}})
		if err != nil {
			return nil, err
		}
		if len(all.NetworkAcls) == 0 {
			return nil, fmt.Errorf("no default ACL in %s", b.inv.VpcID)
		}
		assoc := ""
		for _, a := range acl.Associations {
			if aws.ToString(a.SubnetId) == subnet {
				assoc = aws.ToString(a.NetworkAclAssociationId)
			}
		}
		out, err := b.ec2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: all.NetworkAcls[0].NetworkAclId})
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: out.NewAssociationId, NetworkAclId: acl.NetworkAclId})
			return err
		}, nil
	},

	// WP-20.3
	"20.3-detector-off": func(ctx context.Context, b *breaker) (undo, error) {
		return b.updateDetector(ctx, &guardduty.UpdateDetectorInput{Enable: aws.Bool(false)})
	},
	"20.3-malware-off": func(ctx context.Context, b *breaker) (undo, error) {
		return b.updateDetector(ctx, &guardduty.UpdateDetectorInput{Features: []gdtypes.DetectorFeatureConfiguration{
			{Name: gdtypes.DetectorFeatureEbsMalwareProtection, Status: gdtypes.FeatureStatusDisabled}, {Name: gdtypes.DetectorFeatureS3DataEvents, Status: gdtypes.FeatureStatusEnabled}}})
	},
	"20.3-slow-findings": func(ctx context.Context, b *breaker) (undo, error) {
		_, d, err := b.detector(ctx)
		if err != nil {
			return nil, err
		}
		var fs []gdtypes.DetectorFeatureConfiguration
		for _, f := range d.Features {
			fs = append(fs, gdtypes.DetectorFeatureConfiguration{Name: gdtypes.DetectorFeature(f.Name), Status: f.Status})
		}
		return b.updateDetector(ctx, &guardduty.UpdateDetectorInput{FindingPublishingFrequency: gdtypes.FindingPublishingFrequencySixHours, Features: fs})
	},

	// WP-20.4
	"20.4-imdsv1": func(ctx context.Context, b *breaker) (undo, error) {
		return b.launchVersion(ctx, func(d *ec2types.RequestLaunchTemplateData, _ string) {
			d.MetadataOptions = &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{HttpTokens: ec2types.LaunchTemplateHttpTokensStateOptional}
		})
	},
	"20.4-unencrypted-volume": func(ctx context.Context, b *breaker) (undo, error) {
		return b.launchVersion(ctx, func(d *ec2types.RequestLaunchTemplateData, _ string) {
			for i := range d.BlockDeviceMappings {
				if d.BlockDeviceMappings[i].Ebs != nil {
					d.BlockDeviceMappings[i].Ebs.Encrypted, d.BlockDeviceMappings[i].Ebs.KmsKeyId = aws.Bool(false), nil
				}
			}
		})
	},
	"20.4-public-ip": func(ctx context.Context, b *breaker) (undo, error) {
		return b.launchVersion(ctx, func(d *ec2types.RequestLaunchTemplateData, _ string) {
			d.NetworkInterfaces = []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{DeviceIndex: aws.Int32(0), AssociatePublicIpAddress: aws.Bool(true), Groups: d.SecurityGroupIds}}
			d.SecurityGroupIds = nil
		})
	},
	"20.4-subnet-maps-public": func(ctx context.Context, b *breaker) (undo, error) {
		set := func(ctx context.Context, v bool) error {
			_, err := b.ec2.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(b.inv.SubnetIDs[0]), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(v)}})
			return err
		}
		if err := set(ctx, true); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return set(ctx, false) }, nil
	},
	"20.4-ebs-default-off": func(ctx context.Context, b *breaker) (undo, error) {
		if _, err := b.ec2.DisableEbsEncryptionByDefault(ctx, &ec2.DisableEbsEncryptionByDefaultInput{}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ec2.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{})
			return err
		}, nil
	},

	// WP-20.5
	"20.5-bootstrap-no-agent": func(ctx context.Context, b *breaker) (undo, error) {
		return b.launchVersion(ctx, func(d *ec2types.RequestLaunchTemplateData, ud string) {
			var keep []string
			for _, l := range strings.Split(ud, "\n") {
				if !strings.Contains(l, "amazon-cloudwatch-agent") {
					keep = append(keep, l)
				}
			}
			d.UserData = userData(strings.Join(keep, "\n"))
		})
	},
	"20.5-bootstrap-other-group": func(ctx context.Context, b *breaker) (undo, error) {
		other, _ := b.otherTenant()
		return b.launchVersion(ctx, func(d *ec2types.RequestLaunchTemplateData, ud string) {
			d.UserData = userData(strings.ReplaceAll(ud, config.HostLogGroup(b.w.tenant), config.HostLogGroup(other)))
		})
	},

	// WP-21.1
	"21.1-bucket-sse-s3": func(ctx context.Context, b *breaker) (undo, error) {
		return b.bucketEncryption(ctx, b.inv.Buckets.Data["personal"], s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256})
	},
	"21.1-bucket-other-key": func(ctx context.Context, b *breaker) (undo, error) {
		k, err := b.kms.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("violation: another key")})
		if err != nil {
			return nil, err
		}
		u, err := b.bucketEncryption(ctx, b.inv.Buckets.Data["confidential"], s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: k.KeyMetadata.Arn})
		return both(func(ctx context.Context) error {
			_, err := b.kms.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: k.KeyMetadata.KeyId, PendingWindowInDays: aws.Int32(7)})
			return err
		}, u), err
	},
	"21.1-volume-unencrypted": func(ctx context.Context, b *breaker) (undo, error) {
		vols, err := b.instanceVolumes(ctx)
		if err != nil {
			return nil, err
		}
		instance := aws.ToString(vols[0].Attachments[0].InstanceId)
		v, err := b.ec2.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: vols[0].AvailabilityZone, Size: aws.Int32(8), Encrypted: aws.Bool(false)})
		if err != nil {
			return nil, err
		}
		drop := func(ctx context.Context) error {
			_, err := b.ec2.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: v.VolumeId})
			return err
		}
		if _, err := b.ec2.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: v.VolumeId, InstanceId: aws.String(instance), Device: aws.String("/dev/sdf")}); err != nil {
			return drop, err
		}
		return both(drop, func(ctx context.Context) error {
			_, err := b.ec2.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: v.VolumeId, InstanceId: aws.String(instance)})
			return err
		}), nil
	},
	"21.1-pab-off": func(ctx context.Context, b *breaker) (undo, error) {
		bucket := b.inv.Buckets.Data["personal"]
		out, err := b.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
		if err != nil {
			return nil, err
		}
		old := *out.PublicAccessBlockConfiguration
		changed := old
		changed.RestrictPublicBuckets = aws.Bool(false)
		if _, err := b.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket), PublicAccessBlockConfiguration: &changed}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket), PublicAccessBlockConfiguration: &old})
			return err
		}, nil
	},
	"21.1-topic-unencrypted": func(ctx context.Context, b *breaker) (undo, error) {
		attrs, err := b.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(b.inv.TopicArn)})
		if err != nil {
			return nil, err
		}
		old := attrs.Attributes["KmsMasterKeyId"]
		set := func(ctx context.Context, v string) error {
			_, err := b.sns.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(b.inv.TopicArn), AttributeName: aws.String("KmsMasterKeyId"), AttributeValue: aws.String(v)})
			return err
		}
		if err := set(ctx, ""); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return set(ctx, old) }, nil
	},

	// WP-21.2
	"21.2-bucket-no-tls-deny": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editBucketPolicy(ctx, b.inv.Buckets.Data["confidential"], withoutSids("DenyInsecureTransport", "DenyTLSBelow12"))
	},
	"21.2-listener-old-tls": func(ctx context.Context, b *breaker) (undo, error) {
		l, err := b.listener(ctx, elbtypes.ProtocolEnumHttps)
		if err != nil {
			return nil, err
		}
		if _, err := b.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, SslPolicy: aws.String("ELBSecurityPolicy-2016-08")}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, SslPolicy: l.SslPolicy})
			return err
		}, nil
	},
	"21.2-http-forwards": func(ctx context.Context, b *breaker) (undo, error) {
		return b.forward(ctx, elbtypes.ProtocolEnumHttp)
	},
	"21.2-db-no-force-ssl": func(ctx context.Context, b *breaker) (undo, error) {
		return b.dbParameter(ctx, "rds.force_ssl", "0")
	},

	// WP-22
	"22-no-lifecycle": func(ctx context.Context, b *breaker) (undo, error) {
		bucket := b.inv.Buckets.Data["personal"]
		out, err := b.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(bucket)})
		if err != nil {
			return nil, err
		}
		if _, err := b.s3.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: aws.String(bucket)}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(bucket), LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: out.Rules}})
			return err
		}, nil
	},
	"22-key-disabled": func(ctx context.Context, b *breaker) (undo, error) {
		// By id: moto 5.2.1 answers DisableKey by ARN with a 500 (AWS
		// accepts either, KMS API reference, DisableKey KeyId).
		id := b.inv.KeyArn[strings.LastIndex(b.inv.KeyArn, "/")+1:]
		if _, err := b.kms.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.kms.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
			return err
		}, nil
	},
	"22-manual-snapshot": func(ctx context.Context, b *breaker) (undo, error) {
		if _, err := b.rds.CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: aws.String(b.inv.Database.Identifier), DBSnapshotIdentifier: aws.String("violation-by-hand")}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.rds.DeleteDBSnapshot(ctx, &rds.DeleteDBSnapshotInput{DBSnapshotIdentifier: aws.String("violation-by-hand")})
			return err
		}, nil
	},
	"22-backup-retention": func(ctx context.Context, b *breaker) (undo, error) {
		set := func(ctx context.Context, days int) error {
			_, err := b.rds.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String(b.inv.Database.Identifier), BackupRetentionPeriod: aws.Int32(int32(days)), ApplyImmediately: aws.Bool(true)})
			return err
		}
		if err := set(ctx, 1); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return set(ctx, b.cfg.Database.BackupRetentionDays) }, nil
	},

	// WP-24
	"24-extra-subscriber": func(ctx context.Context, b *breaker) (undo, error) {
		return b.subscription(ctx, "email", "someone-else@example.net")
	},
	"24-configured-unsubscribed": func(ctx context.Context, b *breaker) (undo, error) {
		subs, err := b.sns.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(b.inv.TopicArn)})
		if err != nil {
			return nil, err
		}
		var gone []string
		for _, s := range subs.Subscriptions {
			if slices.Contains(b.cfg.AlertEmails, aws.ToString(s.Endpoint)) && strings.HasPrefix(aws.ToString(s.SubscriptionArn), "arn:") {
				if _, err := b.sns.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: s.SubscriptionArn}); err != nil {
					return nil, err
				}
				gone = append(gone, aws.ToString(s.Endpoint))
			}
		}
		if len(gone) == 0 {
			return nil, fmt.Errorf("no confirmed subscription of %v", b.cfg.AlertEmails)
		}
		u, err := b.subscription(ctx, "email", "someone-else@example.net")
		return both(func(ctx context.Context) error {
			for _, e := range gone {
				if _, err := b.subscription(ctx, "email", e); err != nil {
					return err
				}
			}
			return nil
		}, u), err
	},
	"24-https-subscriber": func(ctx context.Context, b *breaker) (undo, error) {
		return b.subscription(ctx, "https", "https://hooks.example.net/alerts")
	},

	// WP-27
	"27-flow-log-deleted": func(ctx context.Context, b *breaker) (undo, error) {
		fl, err := b.ec2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{b.inv.VpcID}}}})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, f := range fl.FlowLogs {
			ids = append(ids, aws.ToString(f.FlowLogId))
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("no flow log on %s", b.inv.VpcID)
		}
		if _, err := b.ec2.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: ids}); err != nil {
			return nil, err
		}
		return b.repair, nil
	},
	"27-bucket-logging-off": func(ctx context.Context, b *breaker) (undo, error) {
		bucket := b.inv.Buckets.Data["personal"]
		out, err := b.s3.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String(bucket)})
		if err != nil {
			return nil, err
		}
		if _, err := b.s3.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: aws.String(bucket), BucketLoggingStatus: &s3types.BucketLoggingStatus{}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.s3.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: aws.String(bucket), BucketLoggingStatus: &s3types.BucketLoggingStatus{LoggingEnabled: out.LoggingEnabled}})
			return err
		}, nil
	},
	"27-trail-stopped": func(ctx context.Context, b *breaker) (undo, error) {
		// By name: moto 5.2.1 answers StopLogging by ARN with a 500 (AWS
		// accepts either, CloudTrail API reference, StopLogging Name).
		name := b.inv.Trail.Arn[strings.LastIndex(b.inv.Trail.Arn, "/")+1:]
		if _, err := b.ct.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(name)}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
			return err
		}, nil
	},
	"27-trail-other-bucket": func(ctx context.Context, b *breaker) (undo, error) {
		tr, err := b.ct.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(b.inv.Trail.Arn)})
		if err != nil {
			return nil, err
		}
		dest, drop, err := b.newBucket(ctx, b.region(), "violation-trail")
		if err != nil {
			return nil, err
		}
		if _, err := b.ct.UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String(b.inv.Trail.Arn), S3BucketName: aws.String(dest)}); err != nil {
			return drop, err
		}
		return both(drop, func(ctx context.Context) error {
			_, err := b.ct.UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String(b.inv.Trail.Arn), S3BucketName: tr.Trail.S3BucketName, S3KeyPrefix: tr.Trail.S3KeyPrefix})
			return err
		}), nil
	},
	"27-trail-write-only": func(ctx context.Context, b *breaker) (undo, error) {
		sel, err := b.ct.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(b.inv.Trail.Arn)})
		if err != nil {
			return nil, err
		}
		changed := slices.Clone(sel.AdvancedEventSelectors)
		found := false
		for i, s := range changed {
			for _, f := range s.FieldSelectors {
				if aws.ToString(f.Field) == "eventCategory" && slices.Contains(f.Equals, "Management") {
					changed[i].FieldSelectors = append(slices.Clone(s.FieldSelectors), cttypesField("readOnly", "false"))
					found = true
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("no management-event selector on %s", b.inv.Trail.Arn)
		}
		if _, err := b.ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(b.inv.Trail.Arn), AdvancedEventSelectors: changed}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(b.inv.Trail.Arn), AdvancedEventSelectors: sel.AdvancedEventSelectors})
			return err
		}, nil
	},
	"27-alb-logs-off": func(ctx context.Context, b *breaker) (undo, error) {
		set := func(ctx context.Context, v string) error {
			_, err := b.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(b.inv.LoadBalancerArn),
				Attributes: []elbtypes.LoadBalancerAttribute{{Key: aws.String("access_logs.s3.enabled"), Value: aws.String(v)}}})
			return err
		}
		if err := set(ctx, "false"); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return set(ctx, "true") }, nil
	},
	"27-view-rule-disabled": func(ctx context.Context, b *breaker) (undo, error) {
		var buckets []string
		for _, c := range b.cfg.DataClassifications {
			buckets = append(buckets, b.inv.Buckets.Data[c])
		}
		copies := expect.TrailViewCopies(b.w.tenant, b.inv.AccountID, buckets)
		if len(copies) == 0 {
			return nil, fmt.Errorf("no copy rule in the %s trail mode", b.inv.Trail.Mode)
		}
		return b.editRule(ctx, copies[0].Name, func(in *eventbridge.PutRuleInput) { in.State = ebtypes.RuleStateDisabled })
	},

	// WP-28
	"28-dhcp-no-ntp": func(ctx context.Context, b *breaker) (undo, error) {
		vpc, err := b.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{b.inv.VpcID}})
		if err != nil {
			return nil, err
		}
		old := vpc.Vpcs[0].DhcpOptionsId
		d, err := b.ec2.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []ec2types.NewDhcpConfiguration{{Key: aws.String("domain-name-servers"), Values: []string{"AmazonProvidedDNS"}}}})
		if err != nil {
			return nil, err
		}
		if _, err := b.ec2.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{VpcId: aws.String(b.inv.VpcID), DhcpOptionsId: d.DhcpOptions.DhcpOptionsId}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			// The options made here stay: moto 5.2.1 still counts them
			// assigned after the VPC is given back its own.
			_, err := b.ec2.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{VpcId: aws.String(b.inv.VpcID), DhcpOptionsId: old})
			return err
		}, nil
	},
	"28-db-utc": func(ctx context.Context, b *breaker) (undo, error) {
		return b.dbParameter(ctx, "timezone", "UTC")
	},
	"28-bootstrap-utc": func(ctx context.Context, b *breaker) (undo, error) {
		return b.launchVersion(ctx, func(d *ec2types.RequestLaunchTemplateData, ud string) {
			d.UserData = userData(strings.ReplaceAll(ud, "set-timezone "+config.TimeZone, "set-timezone UTC"))
		})
	},

	// WP-30
	"30-db-no-minor-upgrades": func(ctx context.Context, b *breaker) (undo, error) {
		set := func(ctx context.Context, v bool) error {
			_, err := b.rds.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String(b.inv.Database.Identifier), AutoMinorVersionUpgrade: aws.Bool(v), ApplyImmediately: aws.Bool(true)})
			return err
		}
		if err := set(ctx, false); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error { return set(ctx, true) }, nil
	},

	"30-inspector-ec2-off": func(ctx context.Context, b *breaker) (undo, error) {
		in := []string{b.inv.AccountID}
		if _, err := b.insp.Disable(ctx, &inspector2.DisableInput{AccountIds: in, ResourceTypes: []insptypes.ResourceScanType{insptypes.ResourceScanTypeEc2}}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.insp.Enable(ctx, &inspector2.EnableInput{AccountIds: in, ResourceTypes: []insptypes.ResourceScanType{insptypes.ResourceScanTypeEc2}})
			return err
		}, nil
	},

	// WP-31
	"31-route-vpn": func(ctx context.Context, b *breaker) (undo, error) {
		g, err := b.ec2.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
		if err != nil {
			return nil, err
		}
		id := g.VpnGateway.VpnGatewayId
		drop := func(ctx context.Context) error {
			_, err := b.ec2.DeleteVpnGateway(ctx, &ec2.DeleteVpnGatewayInput{VpnGatewayId: id})
			return err
		}
		if _, err := b.ec2.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpcId: aws.String(b.inv.VpcID), VpnGatewayId: id}); err != nil {
			return drop, err
		}
		detach := func(ctx context.Context) error {
			_, err := b.ec2.DetachVpnGateway(ctx, &ec2.DetachVpnGatewayInput{VpcId: aws.String(b.inv.VpcID), VpnGatewayId: id})
			return err
		}
		u, err := b.route(ctx, &ec2.CreateRouteInput{DestinationCidrBlock: aws.String("192.168.0.0/16"), GatewayId: id})
		return both(drop, detach, u), err
	},
	"31-route-peering": func(ctx context.Context, b *breaker) (undo, error) {
		v, err := b.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("172.31.0.0/16")})
		if err != nil {
			return nil, err
		}
		dropVpc := func(ctx context.Context) error {
			_, err := b.ec2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: v.Vpc.VpcId})
			return err
		}
		p, err := b.ec2.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(b.inv.VpcID), PeerVpcId: v.Vpc.VpcId})
		if err != nil {
			return dropVpc, err
		}
		pcx := p.VpcPeeringConnection.VpcPeeringConnectionId
		dropPcx := func(ctx context.Context) error {
			_, err := b.ec2.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: pcx})
			return err
		}
		u, err := b.route(ctx, &ec2.CreateRouteInput{DestinationCidrBlock: aws.String("172.31.0.0/16"), VpcPeeringConnectionId: pcx})
		return both(dropVpc, dropPcx, u), err
	},
	"31-route-other-tenant": func(ctx context.Context, b *breaker) (undo, error) {
		_, cidr := b.otherTenant()
		igws, err := b.ec2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{b.inv.VpcID}}}})
		if err != nil {
			return nil, err
		}
		if len(igws.InternetGateways) == 0 {
			return nil, fmt.Errorf("no internet gateway on %s", b.inv.VpcID)
		}
		return b.route(ctx, &ec2.CreateRouteInput{DestinationCidrBlock: aws.String(cidr), GatewayId: igws.InternetGateways[0].InternetGatewayId})
	},
	"31-endpoint-deleted": func(ctx context.Context, b *breaker) (undo, error) {
		eps, err := b.ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{b.inv.VpcID}}}})
		if err != nil {
			return nil, err
		}
		for _, e := range eps.VpcEndpoints {
			if strings.HasSuffix(aws.ToString(e.ServiceName), ".kms") {
				if _, err := b.ec2.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{aws.ToString(e.VpcEndpointId)}}); err != nil {
					return nil, err
				}
				return b.repair, nil
			}
		}
		return nil, fmt.Errorf("no kms endpoint in %s", b.inv.VpcID)
	},

	// WP-37
	"37-findings-rule-disabled": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editRule(ctx, b.inv.FindingsRule, func(in *eventbridge.PutRuleInput) { in.State = ebtypes.RuleStateDisabled })
	},
	"37-findings-high-only": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editRule(ctx, b.inv.FindingsRule, func(in *eventbridge.PutRuleInput) {
			in.EventPattern = aws.String(`{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}`)
		})
	},
	"37-findings-target-removed": func(ctx context.Context, b *breaker) (undo, error) {
		ts, err := b.ev.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(b.inv.FindingsRule)})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, t := range ts.Targets {
			ids = append(ids, aws.ToString(t.Id))
		}
		if _, err := b.ev.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String(b.inv.FindingsRule), Ids: ids}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.ev.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(b.inv.FindingsRule), Targets: ts.Targets})
			return err
		}, nil
	},
	"37-key-route-other-key": func(ctx context.Context, b *breaker) (undo, error) {
		for _, r := range awsdocs.Routes {
			name := awsdocs.RouteRuleName(b.w.tenant, r.Key)
			rule, err := b.ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
			if err != nil || !strings.Contains(aws.ToString(rule.EventPattern), b.inv.KeyArn) {
				continue
			}
			other := strings.Replace(b.inv.KeyArn, ":key/", ":key/00000000-", 1)
			return b.editRule(ctx, name, func(in *eventbridge.PutRuleInput) {
				in.EventPattern = aws.String(strings.ReplaceAll(aws.ToString(in.EventPattern), b.inv.KeyArn, other))
			})
		}
		return nil, fmt.Errorf("no alert route names the key %s", b.inv.KeyArn)
	},

	// WP-39
	"39-retention-30": func(ctx context.Context, b *breaker) (undo, error) {
		return b.retention(ctx, expect.AppLogGroup(b.w.tenant), 30)
	},
	"39-flow-retention-1": func(ctx context.Context, b *breaker) (undo, error) {
		return b.retention(ctx, b.inv.FlowLogGroup, 1)
	},
	"39-lock-shortened": func(ctx context.Context, b *breaker) (undo, error) {
		bucket := b.inv.Buckets.LogArchive
		out, err := b.s3.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(bucket)})
		if err != nil {
			return nil, err
		}
		old := out.ObjectLockConfiguration
		if old == nil || old.Rule == nil || old.Rule.DefaultRetention == nil {
			return nil, fmt.Errorf("the archive %s has no default retention", bucket)
		}
		short := &s3types.ObjectLockConfiguration{ObjectLockEnabled: old.ObjectLockEnabled, Rule: &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: old.Rule.DefaultRetention.Mode, Days: aws.Int32(1)}}}
		if _, err := b.s3.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(bucket), ObjectLockConfiguration: short}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.s3.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String(bucket), ObjectLockConfiguration: old})
			return err
		}, nil
	},
	"39-copy-disabled": func(ctx context.Context, b *breaker) (undo, error) {
		bucket := b.inv.Buckets.ServiceLogs
		out, err := b.s3.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(bucket)})
		if err != nil {
			return nil, err
		}
		old := out.ReplicationConfiguration
		changed := *old
		changed.Rules = slices.Clone(old.Rules)
		for i := range changed.Rules {
			changed.Rules[i].Status = s3types.ReplicationRuleStatusDisabled
		}
		if _, err := b.s3.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String(bucket), ReplicationConfiguration: &changed}); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			_, err := b.s3.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String(bucket), ReplicationConfiguration: old})
			return err
		}, nil
	},
	"39-deny-delete-removed": func(ctx context.Context, b *breaker) (undo, error) {
		return b.editBucketPolicy(ctx, b.inv.Buckets.LogArchive, withoutSids("DenyDeletes"))
	},
}

// instanceVolumes are the volumes attached to the group's instances.
func (b *breaker) instanceVolumes(ctx context.Context) ([]ec2types.Volume, error) {
	g, err := b.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{b.inv.AutoScalingGroup}})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, g := range g.AutoScalingGroups {
		for _, in := range g.Instances {
			ids = append(ids, aws.ToString(in.InstanceId))
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("group %s has no instance", b.inv.AutoScalingGroup)
	}
	out, err := b.ec2.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.instance-id"), Values: ids}}})
	if err != nil {
		return nil, err
	}
	if len(out.Volumes) == 0 {
		return nil, fmt.Errorf("no volume attached to %v", ids)
	}
	return out.Volumes, nil
}

func (b *breaker) aclOf(ctx context.Context, subnet string) (ec2types.NetworkAcl, error) {
	out, err := b.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{subnet}}}})
	if err != nil {
		return ec2types.NetworkAcl{}, err
	}
	if len(out.NetworkAcls) == 0 {
		return ec2types.NetworkAcl{}, fmt.Errorf("no ACL on %s", subnet)
	}
	return out.NetworkAcls[0], nil
}

func (b *breaker) bucketEncryption(ctx context.Context, bucket string, sse s3types.ServerSideEncryptionByDefault) (undo, error) {
	out, err := b.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)})
	if err != nil {
		return nil, err
	}
	old := out.ServerSideEncryptionConfiguration
	if _, err := b.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(bucket), ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
		Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &sse}}}}); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := b.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(bucket), ServerSideEncryptionConfiguration: old})
		return err
	}, nil
}

func (b *breaker) retention(ctx context.Context, group string, days int32) (undo, error) {
	gs, err := b.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(group)})
	if err != nil {
		return nil, err
	}
	var old *int32
	for _, g := range gs.LogGroups {
		if aws.ToString(g.LogGroupName) == group {
			old = g.RetentionInDays
		}
	}
	if _, err := b.logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(days)}); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		if old == nil {
			_, err := b.logs.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String(group)})
			return err
		}
		_, err := b.logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: old})
		return err
	}, nil
}

// Every moto case of the catalogue has its implementation here, and
// nothing here is outside the catalogue (the catalogue is the docs' table).
func TestEveryMotoCaseImplemented(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range violations.Cases {
		ids[c.ID] = true
		if _, ok := motoCases[c.ID]; c.Memory == "" && !ok {
			t.Errorf("%s: a moto case without an implementation", c.ID)
		}
		if _, ok := motoCases[c.ID]; c.Memory != "" && ok {
			t.Errorf("%s: implemented for moto but marked in-memory (%s)", c.ID, c.Memory)
		}
	}
	for id := range motoCases {
		if !ids[id] {
			t.Errorf("%s: implemented but not in the catalogue", id)
		}
	}
}

// editSessionDocument changes the inputs of a Session Manager document and
// makes the change its default version; undo restores the old default.
func (b *breaker) editSessionDocument(ctx context.Context, doc string, edit func(inputs map[string]any)) (undo, error) {
	cur, err := b.ssm.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String(doc)})
	if err != nil {
		return nil, err
	}
	oldVersion := cur.DocumentVersion
	var m map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(cur.Content)), &m); err != nil {
		return nil, err
	}
	in, ok := m["inputs"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s has no inputs", doc)
	}
	edit(in)
	changed, _ := json.Marshal(m)
	out, err := b.ssm.UpdateDocument(ctx, &ssm.UpdateDocumentInput{Name: aws.String(doc), Content: aws.String(string(changed)), DocumentVersion: aws.String("$LATEST")})
	if err != nil {
		return nil, err
	}
	if _, err := b.ssm.UpdateDocumentDefaultVersion(ctx, &ssm.UpdateDocumentDefaultVersionInput{Name: aws.String(doc), DocumentVersion: out.DocumentDescription.DocumentVersion}); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := b.ssm.UpdateDocumentDefaultVersion(ctx, &ssm.UpdateDocumentDefaultVersionInput{Name: aws.String(doc), DocumentVersion: oldVersion})
		return err
	}, nil
}
