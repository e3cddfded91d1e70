package awsprovider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tenantkit/tenantkit/internal/awscell"
)

// Moto is the AWS behind the provider: one moto_server (or, with
// endpoint "", the account the SDK's default credentials reach).
type Moto struct {
	Endpoint string
	Region   string
	Account  string
	// DefaultTags are the provider's defaultTags, applied under each
	// resource's own tags as the provider does (tags_all).
	DefaultTags map[string]string

	ec2   *ec2.Client
	s3    *s3.Client
	kms   *kms.Client
	iam   *iam.Client
	logs  *cloudwatchlogs.Client
	elb   *elbv2.Client
	asg   *autoscaling.Client
	rds   *rds.Client
	sns   *sns.Client
	ev    *eventbridge.Client
	trail *cloudtrail.Client
	gd    *guardduty.Client
	ssm   *ssm.Client
	sts   *sts.Client
	insp  *inspector2.Client
	sfn   *sfn.Client
}

// NewMoto makes the clients for region against endpoint ("" is AWS). A
// moto server takes any credentials; the static ones are only used when
// none are configured.
func NewMoto(ctx context.Context, endpoint, region string) (*Moto, error) {
	return NewMotoAs(ctx, endpoint, region, "", "")
}

// NewMotoAs is NewMoto with the provider's assumeRole: the clients act
// with the credentials sts:AssumeRole gives for roleArn (moto answers a
// role of another account with that account's credentials), as the
// bridged provider does before its first call.
func NewMotoAs(ctx context.Context, endpoint, region, roleArn, session string) (*Moto, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(region)}
	if endpoint != "" {
		opts = append(opts, awsconfig.WithBaseEndpoint(endpoint))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if endpoint != "" && !haveCredentials(ctx, cfg) {
		cfg.Credentials = credentials.NewStaticCredentialsProvider("testing", "testing", "")
	}
	if roleArn != "" {
		cfg = awscell.Assume(cfg, roleArn, session)
	}
	m := &Moto{Endpoint: endpoint, Region: region,
		ec2: ec2.NewFromConfig(cfg), kms: kms.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg),
		logs: cloudwatchlogs.NewFromConfig(cfg), elb: elbv2.NewFromConfig(cfg), asg: autoscaling.NewFromConfig(cfg),
		rds: rds.NewFromConfig(cfg), sns: sns.NewFromConfig(cfg), ev: eventbridge.NewFromConfig(cfg),
		trail: cloudtrail.NewFromConfig(cfg), gd: guardduty.NewFromConfig(cfg), ssm: ssm.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg), insp: inspector2.NewFromConfig(cfg),
		sfn: sfn.NewFromConfig(cfg),
		s3:  s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = endpoint != "" }),
	}
	id, err := m.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if roleArn != "" {
			return nil, fmt.Errorf("assume role %s at %s: %w", roleArn, endpointName(endpoint), err)
		}
		return nil, fmt.Errorf("the account behind %s: %w", endpointName(endpoint), err)
	}
	m.Account = aws.ToString(id.Account)
	return m, nil
}

func endpointName(e string) string {
	if e == "" {
		return "AWS"
	}
	return e
}

// haveCredentials: the default chain found credentials for cfg.
func haveCredentials(ctx context.Context, cfg aws.Config) bool {
	if cfg.Credentials == nil {
		return false
	}
	_, err := cfg.Credentials.Retrieve(ctx)
	return err == nil
}

// handler is what the provider does in moto for one resource type.
type handler struct {
	// source is the terraform-provider-aws file whose calls it makes.
	source string
	create func(ctx context.Context, m *Moto, p props) (id string, out resource.PropertyMap, err error)
	// read returns what AWS holds of the inputs it reads (overlaid on the
	// last state), or errGone. nil: the state is not read back.
	read func(ctx context.Context, m *Moto, id string, p props) (resource.PropertyMap, error)
	// update applies changed inputs in place; nil: every change replaces.
	update func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error)
	delete func(ctx context.Context, m *Moto, id string, p props) error
}

// errGone: the resource no longer exists (a refresh drops it).
var errGone = errors.New("gone")

var handlers = map[string]handler{}

func register(typ string, h handler) bool {
	if _, dup := handlers[typ]; dup {
		panic("two handlers for " + typ)
	}
	handlers[typ] = h
	return true
}

// MotoTypes are the resource types the provider keeps in moto.
func MotoTypes() []string { return slices.Sorted(maps.Keys(handlers)) }

// MemoryTypes are the types the programs declare that moto cannot hold,
// kept in the provider's memory, each with the reason.
var MemoryTypes = map[string]string{
	"aws:ssm/association:Association":                          "moto 5.2.1 has no CreateAssociation or ListAssociations (the server answers that the action is not valid)",
	"aws:cloudwatch/metricAlarm:MetricAlarm":                   "the Go SDK's CloudWatch client speaks Smithy RPC v2 CBOR, which moto 5.2.1 does not serve (moto issue #9195)",
	"aws:ec2/natGateway:NatGateway":                            "not implemented in the test provider: no tenant of the journey egresses through NAT (egressMode nat)",
	"aws:ec2/eip:Eip":                                          "not implemented in the test provider: only NAT egress uses one",
	"aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": "S3 Control (account-level public access block) is addressed by account-id host prefix, which a single moto endpoint does not route",
	"aws:scheduler/schedule:Schedule":                          "moto 5.2.1 holds schedules but never fires one, so in moto a schedule proves nothing its declared inputs do not (components/baseline TestDeadlinesAreWatchedInAWS)",
	"aws:scheduler/scheduleGroup:ScheduleGroup":                "the schedules' group; with them",
}

// props reads a resource's inputs or state.
type props resource.PropertyMap

func (p props) v(k string) resource.PropertyValue {
	v := resource.PropertyMap(p)[resource.PropertyKey(k)]
	if v.IsSecret() {
		return v.SecretValue().Element
	}
	if v.IsOutput() {
		return v.OutputValue().Element
	}
	return v
}

func (p props) has(k string) bool { v := p.v(k); return !v.IsNull() && !v.IsComputed() }

func (p props) str(k string) string {
	if v := p.v(k); v.IsString() {
		return v.StringValue()
	}
	return ""
}

func (p props) sptr(k string) *string {
	if s := p.str(k); s != "" {
		return aws.String(s)
	}
	return nil
}

func (p props) num(k string) int32 {
	v := p.v(k)
	switch {
	case v.IsNumber():
		return int32(v.NumberValue())
	case v.IsString():
		var n int32
		fmt.Sscan(v.StringValue(), &n)
		return n
	}
	return 0
}

// flag reads a bool, also the string-typed flags ("true") some types have.
func (p props) flag(k string) bool {
	v := p.v(k)
	switch {
	case v.IsBool():
		return v.BoolValue()
	case v.IsString():
		return v.StringValue() == "true"
	}
	return false
}

func (p props) strs(k string) []string {
	var out []string
	if v := p.v(k); v.IsArray() {
		for _, e := range v.ArrayValue() {
			if e.IsSecret() {
				e = e.SecretValue().Element
			}
			if e.IsString() {
				out = append(out, e.StringValue())
			}
		}
	}
	return out
}

func (p props) obj(k string) props {
	if v := p.v(k); v.IsObject() {
		return props(v.ObjectValue())
	}
	return props{}
}

func (p props) list(k string) []props {
	var out []props
	if v := p.v(k); v.IsArray() {
		for _, e := range v.ArrayValue() {
			if e.IsObject() {
				out = append(out, props(e.ObjectValue()))
			}
		}
	}
	return out
}

func (p props) strMap(k string) map[string]string {
	out := map[string]string{}
	if v := p.v(k); v.IsObject() {
		for kk, vv := range v.ObjectValue() {
			if vv.IsString() {
				out[string(kk)] = vv.StringValue()
			}
		}
	}
	return out
}

// tags are the provider's default tags under the resource's own.
func (m *Moto) tags(p props) map[string]string {
	out := maps.Clone(m.DefaultTags)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, p.strMap("tags"))
	return out
}

// tagList is tags as one service's tag type, in key order.
func tagList[T any](tags map[string]string, tag func(key, value *string) T) []T {
	var out []T
	for _, k := range sortedKeys(tags) {
		out = append(out, tag(aws.String(k), aws.String(tags[k])))
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	k := slices.Collect(maps.Keys(m))
	sort.Strings(k)
	return k
}

// pm builds an output map.
func pm(kv ...any) resource.PropertyMap {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return resource.NewPropertyMapFromMap(m)
}

// notFound: AWS answered that the thing does not exist.
func notFound(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	c := ae.ErrorCode()
	if slices.Contains(codes, c) {
		return true
	}
	return strings.Contains(c, "NotFound") || strings.HasPrefix(c, "NoSuch") || c == "ResourceNotFoundException"
}

func gone(err error, codes ...string) error {
	if notFound(err, codes...) {
		return errGone
	}
	return err
}

// jsonEqual: two policy documents say the same.
func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}
