package awsprovider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	sdkplugin "github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/tenantkit/tenantkit/internal/naming"
)

// AWSVersion is the pulumi-aws version the programs are built against
// (go.mod); the SDK registers its provider at this version.
var AWSVersion = semver.MustParse("6.83.4")

// Call is one request the engine made of the test provider.
type Call struct {
	Method  string // CheckConfig, Check, Diff, Create, Update, Delete, Read, Invoke
	Type    string
	Name    string
	URN     resource.URN
	ID      string
	Preview bool
	// Changed are the keys a Diff reported changed; Replace the ones that
	// force a replacement.
	Changed, Replace []string
}

// Account is the fake AWS account behind the test provider: the resources
// that exist in it (survivors of a destroy stay), and every call.
type Account struct {
	ID     string
	Region string

	mu    sync.Mutex
	seq   int
	live  map[string]*Live // by type and id (liveKey)
	calls []Call

	// Endpoint, when set, makes the account moto's (or, "aws", the real
	// one): every type with a handler lives there (moto*.go), made once
	// the provider is configured with its region and default tags.
	Endpoint string
	moto     *Moto
}

// Live is a resource that exists in the account.
type Live struct {
	Type    string
	ID      string
	URN     resource.URN
	Inputs  resource.PropertyMap
	Outputs resource.PropertyMap
	// Arn is the resource's own ARN, when AWS gives it one.
	Arn string
}

// NewAccount is an empty account in Tokyo.
func NewAccount(id string) *Account {
	return &Account{ID: id, Region: "ap-northeast-1", live: map[string]*Live{}}
}

// Calls returns a copy of the call log.
func (a *Account) Calls() []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

// ResetCalls clears the call log.
func (a *Account) ResetCalls() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = nil
}

// Live returns the resources that exist, sorted by type and id.
func (a *Account) Live() []*Live {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Collect(maps.Values(a.live))
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func liveKey(typ, id string) string { return typ + "|" + id }

// Seed makes a resource exist before any program runs (what an operator
// adopts: a service-linked role, a GuardDuty detector).
func (a *Account) Seed(typ, id string, inputs map[string]any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	in := resource.NewPropertyMapFromMap(inputs)
	out := in.Copy()
	out["id"] = resource.NewProperty(id)
	a.live[liveKey(typ, id)] = &Live{Type: typ, ID: id, Inputs: in, Outputs: out}
}

func (a *Account) record(c Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, c)
}

// Loader registers the provider as package "aws" at the pinned version.
func (a *Account) Loader() *deploytest.ProviderLoader {
	return deploytest.NewProviderLoader("aws", AWSVersion, func() (plugin.Provider, error) {
		return a.provider(), nil
	})
}

// Provider is the provider for a plugin server (one per plugin process).
func (a *Account) Provider() *deploytest.Provider {
	p := a.provider()
	p.Name, p.Package, p.Version = "aws", "aws", AWSVersion
	return p
}

func (a *Account) provider() *deploytest.Provider {
	return &deploytest.Provider{
		ConfigureF:   a.configure,
		CheckConfigF: a.checkConfig,
		DiffConfigF:  a.diffConfig,
		CheckF:       a.check,
		DiffF:        a.diff,
		CreateF:      a.create,
		UpdateF:      a.update,
		DeleteF:      a.delete,
		ReadF:        a.read,
		InvokeF:      a.invoke,
	}
}

// typeAndName: the engine does not fill every request's Type and Name;
// the URN always carries them.
func typeAndName(urn resource.URN, typ tokens.Type, name string) (tokens.Type, string) {
	if typ == "" && urn != "" {
		typ = urn.Type()
	}
	if name == "" && urn != "" {
		name = urn.Name()
	}
	return typ, name
}

// checkConfig returns the provider's config as the Terraform bridge does:
// every value that is not a string, a null or an unknown is JSON-encoded
// into a string (pulumi-terraform-bridge pkg/tfbridge/config_encoding.go,
// ConfigEncoding.FoldProperties / jsonEncodePropertyValue). So the engine,
// and the resource hooks, see defaultTags as `{"tags":{...}}`. "version"
// is the engine's, not a provider key, and stays as it is.
func (a *Account) checkConfig(_ context.Context, req plugin.CheckConfigRequest) (plugin.CheckConfigResponse, error) {
	a.record(Call{Method: "CheckConfig", Type: string(req.Type), Name: req.Name, URN: req.URN})
	news := resource.ToResourcePropertyMap(req.News)
	out := resource.PropertyMap{}
	for k, v := range news {
		switch {
		case k == "version" || v.IsString() || v.IsNull():
			out[k] = v
		case v.ContainsUnknowns():
			out[k] = resource.NewProperty(sdkplugin.UnknownStringValue)
		default:
			b, err := json.Marshal(v.Mappable())
			if err != nil {
				return plugin.CheckConfigResponse{}, fmt.Errorf("encode provider config %s: %w", k, err)
			}
			out[k] = resource.NewProperty(string(b))
		}
	}
	if r := out["region"]; !r.IsString() || r.StringValue() == "" {
		return plugin.CheckConfigResponse{Failures: []plugin.CheckFailure{{Property: "region", Reason: "the region must be set"}}}, nil
	}
	return plugin.CheckConfigResponse{Properties: resource.FromResourcePropertyMap(out)}, nil
}

func (a *Account) diffConfig(_ context.Context, req plugin.DiffConfigRequest) (plugin.DiffConfigResponse, error) {
	changed := changedKeys(resource.ToResourcePropertyMap(req.OldInputs), resource.ToResourcePropertyMap(req.NewInputs))
	if len(changed) == 0 {
		return plugin.DiffResult{Changes: plugin.DiffNone}, nil
	}
	return plugin.DiffResult{Changes: plugin.DiffSome, ChangedKeys: changed}, nil
}

// defaultsKey is where the bridge remembers which inputs it defaulted
// (reservedkeys.Defaults, "__defaults"); an auto-name is kept across
// updates only when the old one was itself a default.
const defaultsKey = "__defaults"

// check auto-names the resource types the AWS provider auto-names, as the
// bridge does (pkg/tfbridge/info/autonaming.go, ComputeAutoNameDefault): the
// Pulumi name, "-" and 7 random hex characters from the engine's seed
// (resource.NewUniqueName), refused when longer than the type's maximum. It
// does not when the name is set or its name-prefix partner is (the bridge
// skips defaults that ConflictsWith a set property, pkg/tfbridge/schema.go
// buildConflictsWith), and keeps the old auto-name on updates.
func (a *Account) check(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
	req.Type, req.Name = typeAndName(req.URN, req.Type, req.Name)
	a.record(Call{Method: "Check", Type: string(req.Type), Name: req.Name, URN: req.URN})
	news := resource.ToResourcePropertyMap(req.NewInputs)
	olds := resource.ToResourcePropertyMap(req.OldInputs)
	rule, ok := naming.Rules[string(req.Type)]
	if !ok || rule.AutoMax == 0 {
		return plugin.CheckResponse{Properties: req.NewInputs}, nil
	}
	key := resource.PropertyKey(rule.Property)
	set := func(k string) bool { v, ok := news[resource.PropertyKey(k)]; return ok && !v.IsNull() }
	if set(rule.Property) || (rule.PrefixProperty != "" && set(rule.PrefixProperty)) {
		return plugin.CheckResponse{Properties: req.NewInputs}, nil
	}
	var name string
	if old, had := olds[key]; had && old.IsString() && wasDefault(olds, rule.Property) {
		name = old.StringValue()
	} else {
		var err error
		name, err = resource.NewUniqueName(req.RandomSeed, req.Name+"-", 7, rule.AutoMax, nil)
		if err != nil {
			return plugin.CheckResponse{}, fmt.Errorf("could not make instance of '%v': %w", req.Type, err)
		}
	}
	news[key] = resource.NewProperty(name)
	news[defaultsKey] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(rule.Property)})
	return plugin.CheckResponse{Properties: resource.FromResourcePropertyMap(news)}, nil
}

func wasDefault(olds resource.PropertyMap, prop string) bool {
	d, ok := olds[defaultsKey]
	if !ok || !d.IsArray() {
		return false
	}
	for _, v := range d.ArrayValue() {
		if v.IsString() && v.StringValue() == prop {
			return true
		}
	}
	return false
}

// replaceOn are the inputs AWS cannot change in place: the Terraform AWS
// provider marks them ForceNew (its resource docs: "Changing this forces a
// new resource"), and the AWS APIs have no call that modifies them.
var replaceOn = map[string][]string{
	"aws:ec2/vpc:Vpc":                                     {"cidrBlock", "instanceTenancy"},
	"aws:ec2/subnet:Subnet":                               {"cidrBlock", "availabilityZone", "availabilityZoneId", "vpcId"},
	"aws:ec2/securityGroup:SecurityGroup":                 {"name", "namePrefix", "description", "vpcId"},
	"aws:ec2/vpcDhcpOptions:VpcDhcpOptions":               {"domainName", "domainNameServers", "ntpServers", "netbiosNameServers", "netbiosNodeType"},
	"aws:ec2/networkAclRule:NetworkAclRule":               {"networkAclId", "ruleNumber", "egress", "protocol", "ruleAction", "cidrBlock", "fromPort", "toPort"},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {"subnetId"},
	"aws:ec2/networkAclAssociation:NetworkAclAssociation": {"subnetId"},
	"aws:ec2/natGateway:NatGateway":                       {"subnetId", "allocationId"},
	"aws:ec2/flowLog:FlowLog":                             {"vpcId", "trafficType", "logDestination", "logDestinationType", "iamRoleArn"},
	"aws:ec2/vpcEndpoint:VpcEndpoint":                     {"vpcId", "serviceName", "vpcEndpointType"},
	"aws:s3/bucketV2:BucketV2":                            {"bucket", "bucketPrefix", "objectLockEnabled"},
	"aws:kms/key:Key":                                     {"customerMasterKeySpec", "keySpec", "keyUsage", "multiRegion"},
	"aws:kms/alias:Alias":                                 {"name"},
	"aws:iam/role:Role":                                   {"name", "path"},
	"aws:iam/instanceProfile:InstanceProfile":             {"name", "path"},
	"aws:lb/loadBalancer:LoadBalancer":                    {"name", "internal", "loadBalancerType"},
	"aws:lb/targetGroup:TargetGroup":                      {"name", "namePrefix", "port", "protocol", "vpcId", "targetType"},
	"aws:rds/instance:Instance":                           {"identifier", "engine", "kmsKeyId", "storageEncrypted", "username"},
	"aws:rds/subnetGroup:SubnetGroup":                     {"name", "namePrefix"},
	"aws:rds/parameterGroup:ParameterGroup":               {"name", "namePrefix", "family", "description"},
	"aws:cloudwatch/logGroup:LogGroup":                    {"name"},
	"aws:cloudwatch/eventRule:EventRule":                  {"name"},
	"aws:sns/topic:Topic":                                 {"name"},
	"aws:cloudtrail/trail:Trail":                          {"name"},
	"aws:autoscaling/group:Group":                         {"name"},
	"aws:ec2/launchTemplate:LaunchTemplate":               {"name"},
}

// diff reports the changed inputs and replaces on the ones AWS cannot
// change in place. A value unknown during preview counts as changed.
func (a *Account) diff(_ context.Context, req plugin.DiffRequest) (plugin.DiffResult, error) {
	req.Type, req.Name = typeAndName(req.URN, req.Type, req.Name)
	olds := resource.ToResourcePropertyMap(req.OldInputs)
	news := resource.ToResourcePropertyMap(req.NewInputs)
	changed := changedKeys(olds, news)
	var replace []resource.PropertyKey
	for _, k := range changed {
		if slices.Contains(replaceOn[string(req.Type)], string(k)) {
			replace = append(replace, k)
		}
	}
	c := Call{Method: "Diff", Type: string(req.Type), Name: req.Name, URN: req.URN, ID: string(req.ID)}
	for _, k := range changed {
		c.Changed = append(c.Changed, string(k))
	}
	for _, k := range replace {
		c.Replace = append(c.Replace, string(k))
	}
	a.record(c)
	if len(changed) == 0 {
		return plugin.DiffResult{Changes: plugin.DiffNone}, nil
	}
	detailed := map[string]plugin.PropertyDiff{}
	for _, k := range changed {
		kind := plugin.DiffUpdate
		if slices.Contains(replace, k) {
			kind = plugin.DiffUpdateReplace
		}
		detailed[string(k)] = plugin.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return plugin.DiffResult{Changes: plugin.DiffSome, ChangedKeys: changed, ReplaceKeys: replace, DetailedDiff: detailed}, nil
}

func changedKeys(olds, news resource.PropertyMap) []resource.PropertyKey {
	var out []resource.PropertyKey
	for _, k := range unionKeys(olds, news) {
		if k == defaultsKey {
			continue
		}
		o, n := olds[k], news[k]
		if n.ContainsUnknowns() || !o.DeepEquals(n) {
			out = append(out, k)
		}
	}
	return out
}

func unionKeys(a, b resource.PropertyMap) []resource.PropertyKey {
	set := map[resource.PropertyKey]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	keys := slices.Collect(maps.Keys(set))
	slices.Sort(keys)
	return keys
}

func (a *Account) create(ctx context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
	req.Type, req.Name = typeAndName(req.URN, req.Type, req.Name)
	a.record(Call{Method: "Create", Type: string(req.Type), Name: req.Name, URN: req.URN, Preview: req.Preview})
	in := resource.ToResourcePropertyMap(req.Properties)
	if req.Preview {
		return plugin.CreateResponse{Properties: req.Properties, Status: resource.StatusOK}, nil
	}
	if err := checkName(string(req.Type), in); err != nil {
		return plugin.CreateResponse{}, err
	}
	if m, h, ok := a.backend(string(req.Type)); ok {
		return a.motoCreate(ctx, m, h, string(req.Type), in)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	out, id, arn := a.outputs(string(req.Type), req.Name, in, a.seq)
	if prev, exists := a.live[liveKey(string(req.Type), id)]; exists {
		return plugin.CreateResponse{}, fmt.Errorf("%s %s already exists in the account (created by %s): AWS refuses the same name twice", req.Type, id, prev.URN)
	}
	a.live[liveKey(string(req.Type), id)] = &Live{Type: string(req.Type), ID: id, URN: req.URN, Inputs: in, Outputs: out, Arn: arn}
	return plugin.CreateResponse{ID: resource.ID(id), Properties: resource.FromResourcePropertyMap(out), Status: resource.StatusOK}, nil
}

// checkName refuses what AWS refuses: a physical name over its type's
// limit or outside its pattern (internal/naming, from AWS's references).
func checkName(typ string, in resource.PropertyMap) error {
	rule, ok := naming.Rules[typ]
	if !ok {
		return nil
	}
	v := in[resource.PropertyKey(rule.Property)]
	if !v.IsString() {
		return nil
	}
	if err := rule.Check(v.StringValue()); err != nil {
		return fmt.Errorf("ValidationError: %s name %w", typ, err)
	}
	return nil
}

func (a *Account) update(ctx context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
	req.Type, req.Name = typeAndName(req.URN, req.Type, req.Name)
	a.record(Call{Method: "Update", Type: string(req.Type), Name: req.Name, URN: req.URN, ID: string(req.ID), Preview: req.Preview})
	in := resource.ToResourcePropertyMap(req.NewInputs)
	old := resource.ToResourcePropertyMap(req.OldOutputs)
	if m, h, ok := a.backend(string(req.Type)); ok && !req.Preview {
		return a.motoUpdate(ctx, m, h, string(req.Type), string(req.ID), old, in)
	}
	out := old.Copy()
	for k, v := range in {
		out[k] = v
	}
	if req.Type == "aws:ec2/launchTemplate:LaunchTemplate" && !req.Preview {
		// Every change of a launch template is a new version.
		v := old["latestVersion"]
		n := 1.0
		if v.IsNumber() {
			n = v.NumberValue() + 1
		}
		out["latestVersion"] = resource.NewProperty(n)
	}
	if !req.Preview {
		a.mu.Lock()
		if l, ok := a.live[liveKey(string(req.Type), string(req.ID))]; ok {
			l.Inputs, l.Outputs = in, out
		}
		a.mu.Unlock()
	}
	return plugin.UpdateResponse{Properties: resource.FromResourcePropertyMap(out), Status: resource.StatusOK}, nil
}

// delete refuses, as AWS does, to delete what another resource still
// refers to (a VPC with subnets, a role in an instance profile, a group
// referenced by a rule): the engine must delete dependents first. Strict
// on purpose: any input of a live resource equal to this one's id or ARN.
func (a *Account) delete(ctx context.Context, req plugin.DeleteRequest) (plugin.DeleteResponse, error) {
	req.Type, req.Name = typeAndName(req.URN, req.Type, req.Name)
	a.record(Call{Method: "Delete", Type: string(req.Type), Name: req.Name, URN: req.URN, ID: string(req.ID)})
	if m, h, ok := a.backend(string(req.Type)); ok {
		if err := h.delete(ctx, m, string(req.ID), props(resource.ToResourcePropertyMap(req.Outputs))); err != nil && !notFound(err) {
			return plugin.DeleteResponse{}, fmt.Errorf("delete %s %s: %w", req.Type, req.ID, err)
		}
		return plugin.DeleteResponse{Status: resource.StatusOK}, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.live[liveKey(string(req.Type), string(req.ID))]
	if !ok {
		return plugin.DeleteResponse{Status: resource.StatusOK}, nil
	}
	arn := l.Arn
	for _, other := range a.live {
		if other == l {
			continue
		}
		for k, v := range other.Inputs {
			for _, s := range stringsIn(v) {
				if (arn != "" && s == arn) || (s == l.ID && blocksByID(l.Type, l.ID, string(k))) {
					return plugin.DeleteResponse{}, fmt.Errorf("DependencyViolation: %s %s is still used by %s %s (%s)", l.Type, l.ID, other.Type, other.ID, k)
				}
			}
		}
	}
	delete(a.live, liveKey(l.Type, l.ID))
	return plugin.DeleteResponse{Status: resource.StatusOK}, nil
}

// generatedID is the shape of an id AWS makes up (vpc-0a1b..., sg-...).
var generatedID = regexp.MustCompile(`^[a-z]+-[0-9a-f]{8,}$`)

// blocksByID: a reference by id blocks a delete when the id is one AWS
// generated (EC2's vpc-, subnet-, sg-...: DependencyViolation) or is an
// IAM role's name in a "role" input (DeleteConflict while inline policies,
// attachments or instance profiles hold it). A plain name used elsewhere
// (an auto scaling group's name as an alarm dimension or SSM target tag)
// does not: AWS deletes those regardless.
func blocksByID(typ, id, key string) bool {
	return generatedID.MatchString(id) || (typ == "aws:iam/role:Role" && key == "role")
}

func stringsIn(v resource.PropertyValue) []string {
	switch {
	case v.IsString():
		return []string{v.StringValue()}
	case v.IsArray():
		var out []string
		for _, e := range v.ArrayValue() {
			out = append(out, stringsIn(e)...)
		}
		return out
	case v.IsObject():
		var out []string
		for _, e := range v.ObjectValue() {
			out = append(out, stringsIn(e)...)
		}
		return out
	case v.IsSecret():
		return stringsIn(v.SecretValue().Element)
	}
	return nil
}

// read answers refresh and import from what exists in the account.
func (a *Account) read(ctx context.Context, req plugin.ReadRequest) (plugin.ReadResponse, error) {
	req.Type, req.Name = typeAndName(req.URN, req.Type, req.Name)
	a.record(Call{Method: "Read", Type: string(req.Type), Name: req.Name, URN: req.URN, ID: string(req.ID)})
	if m, h, ok := a.backend(string(req.Type)); ok {
		return a.motoRead(ctx, m, h, req)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.live[liveKey(string(req.Type), string(req.ID))]
	if !ok && a.moto != nil && req.State.Len() > 0 {
		// Held in memory by an earlier plugin process: what the engine
		// last recorded is all there is (MemoryTypes).
		return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: &req.Inputs, Outputs: &req.State}, Status: resource.StatusOK}, nil
	}
	if !ok {
		return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID}, Status: resource.StatusOK}, nil
	}
	if l.URN == "" {
		l.URN = req.URN // adopted
	}
	in := resource.FromResourcePropertyMap(l.Inputs)
	out := resource.FromResourcePropertyMap(l.Outputs)
	return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: &in, Outputs: &out}, Status: resource.StatusOK}, nil
}

// CallerRole is the role the engine tests deploy as.
const CallerRole = "ops/tenantkit-deployer"

// ELBAccountTokyo is Elastic Load Balancing's account in ap-northeast-1
// (Elastic Load Balancing user guide, "Enable access logs").
const ELBAccountTokyo = "582318560864"

func (a *Account) invoke(ctx context.Context, req plugin.InvokeRequest) (plugin.InvokeResponse, error) {
	a.record(Call{Method: "Invoke", Type: string(req.Tok)})
	a.mu.Lock()
	m := a.moto
	a.mu.Unlock()
	if m != nil {
		if resp, answered, err := a.motoInvoke(ctx, m, req); answered {
			return resp, err
		}
	}
	args := resource.ToResourcePropertyMap(req.Args)
	str := func(k string) string {
		if v := args[resource.PropertyKey(k)]; v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	ok := func(m map[string]any) (plugin.InvokeResponse, error) {
		return plugin.InvokeResponse{Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(m))}, nil
	}
	caller := fmt.Sprintf("arn:aws:sts::%s:assumed-role/tenantkit-deployer/engine-test", a.ID)
	switch req.Tok {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return ok(map[string]any{"accountId": a.ID, "arn": caller, "userId": "AROAENGINETEST:engine-test", "id": a.ID})
	case "aws:iam/getSessionContext:getSessionContext":
		if str("arn") != caller {
			return plugin.InvokeResponse{}, fmt.Errorf("getSessionContext: unknown caller %s", str("arn"))
		}
		return ok(map[string]any{"arn": caller, "issuerArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", a.ID, CallerRole),
			"issuerId": "AROAENGINETEST", "issuerName": "tenantkit-deployer", "sessionName": "engine-test", "id": caller})
	case "aws:elb/getServiceAccount:getServiceAccount":
		return ok(map[string]any{"id": ELBAccountTokyo, "arn": "arn:aws:iam::" + ELBAccountTokyo + ":root"})
	case "aws:ec2/getPrefixList:getPrefixList":
		return ok(map[string]any{"id": "pl-61a54008", "name": str("name"), "cidrBlocks": []any{"52.219.0.0/20"}})
	case "aws:kms/getKey:getKey":
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, l := range a.live {
			if l.Type == "aws:kms/alias:Alias" && l.Inputs["name"].IsString() && l.Inputs["name"].StringValue() == str("keyId") {
				target := l.Inputs["targetKeyId"].StringValue()
				return plugin.InvokeResponse{Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(map[string]any{
					"arn": target, "id": target, "keyId": target[strings.LastIndex(target, "/")+1:], "keyState": "Enabled", "enabled": true, "keyManager": "CUSTOMER",
				}))}, nil
			}
		}
		return plugin.InvokeResponse{}, fmt.Errorf("NotFoundException: Alias %s is not found", str("keyId"))
	case "aws:guardduty/getDetector:getDetector":
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, l := range a.live {
			if l.Type == "aws:guardduty/detector:Detector" {
				return plugin.InvokeResponse{Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(map[string]any{"id": l.ID, "status": "ENABLED"}))}, nil
			}
		}
		return plugin.InvokeResponse{}, fmt.Errorf("no GuardDuty detector in %s", a.Region)
	}
	return plugin.InvokeResponse{}, fmt.Errorf("test provider: unexpected invoke %s; add it only if the program really calls it", req.Tok)
}

// outputs makes the state AWS would return: an id in the type's form and
// ARNs in the account and region, plus the names AWS completes.
func (a *Account) outputs(typ, name string, in resource.PropertyMap, seq int) (resource.PropertyMap, string, string) {
	out := in.Copy()
	delete(out, defaultsKey)
	str := func(k string) string {
		if v := in[resource.PropertyKey(k)]; v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	hexid := func(n int) string {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", typ, name, seq)))
		return hex.EncodeToString(h[:])[:n]
	}
	region, acct := a.Region, a.ID
	arn := func(svc, res string) string { return fmt.Sprintf("arn:aws:%s:%s:%s:%s", svc, region, acct, res) }
	if rule, ok := naming.Rules[typ]; ok && rule.PrefixProperty != "" && str(rule.PrefixProperty) != "" && str(rule.Property) == "" {
		p, _ := rule.PrefixedName(str(rule.PrefixProperty))
		out[resource.PropertyKey(rule.Property)] = resource.NewProperty(p[:len(p)-9] + fmt.Sprintf("%09d", seq))
	}
	get := func(k string) string {
		if v := out[resource.PropertyKey(k)]; v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	var id, a_ string
	ec2 := map[string]string{
		"aws:ec2/vpc:Vpc": "vpc", "aws:ec2/subnet:Subnet": "subnet", "aws:ec2/internetGateway:InternetGateway": "igw",
		"aws:ec2/routeTable:RouteTable": "rtb", "aws:ec2/natGateway:NatGateway": "nat", "aws:ec2/eip:Eip": "eipalloc",
		"aws:ec2/networkAcl:NetworkAcl": "acl", "aws:ec2/securityGroup:SecurityGroup": "sg", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
		"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
		"aws:ec2/vpcEndpoint:VpcEndpoint": "vpce", "aws:ec2/flowLog:FlowLog": "fl", "aws:ec2/vpcDhcpOptions:VpcDhcpOptions": "dopt",
		"aws:ec2/launchTemplate:LaunchTemplate": "lt", "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
		"aws:ec2/networkAclAssociation:NetworkAclAssociation": "aclassoc", "aws:ec2/networkAclRule:NetworkAclRule": "nacl",
		"aws:ec2/route:Route": "r", "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation": "dopt-assoc",
	}
	arnType := map[string]string{"vpc": "vpc", "subnet": "subnet", "sg": "security-group", "igw": "internet-gateway", "rtb": "route-table",
		"nat": "natgateway", "eipalloc": "elastic-ip", "acl": "network-acl", "vpce": "vpc-endpoint", "fl": "vpc-flow-log",
		"dopt": "dhcp-options", "lt": "launch-template", "sgr": "security-group-rule"}
	switch {
	case ec2[typ] != "":
		id = ec2[typ] + "-" + hexid(17)
		if t, ok := arnType[ec2[typ]]; ok {
			a_ = arn("ec2", t+"/"+id)
		}
		if typ == "aws:ec2/launchTemplate:LaunchTemplate" {
			out["latestVersion"] = resource.NewProperty(1.0)
			out["defaultVersion"] = resource.NewProperty(1.0)
		}
		if typ == "aws:ec2/eip:Eip" {
			out["allocationId"] = resource.NewProperty(id)
		}
		if typ == "aws:ec2/vpc:Vpc" {
			out["defaultSecurityGroupId"] = resource.NewProperty("sg-" + hexid(17))
			out["mainRouteTableId"] = resource.NewProperty("rtb-" + hexid(17))
		}
	case typ == "aws:s3/bucketV2:BucketV2":
		id, a_ = get("bucket"), "arn:aws:s3:::"+get("bucket")
	case strings.HasPrefix(typ, "aws:s3/bucket"):
		id = get("bucket")
		if id == "" {
			id = hexid(12)
		}
		id = typ[strings.Index(typ, "/")+1:strings.LastIndex(typ, ":")] + "/" + id
	case typ == "aws:kms/key:Key":
		u := hexid(32)
		id = u[:8] + "-" + u[8:12] + "-4" + u[13:16] + "-8" + u[17:20] + "-" + u[20:32]
		a_ = arn("kms", "key/"+id)
		out["keyId"] = resource.NewProperty(id)
	case typ == "aws:kms/alias:Alias":
		id, a_ = get("name"), arn("kms", get("name"))
		out["targetKeyArn"] = in["targetKeyId"]
	case typ == "aws:iam/role:Role":
		path := get("path")
		if path == "" {
			path = "/"
		}
		id = get("name")
		a_ = fmt.Sprintf("arn:aws:iam::%s:role%s%s", acct, path, id)
		out["uniqueId"] = resource.NewProperty("AROA" + strings.ToUpper(hexid(17)))
	case typ == "aws:iam/instanceProfile:InstanceProfile":
		path := get("path")
		if path == "" {
			path = "/"
		}
		id = get("name")
		a_ = fmt.Sprintf("arn:aws:iam::%s:instance-profile%s%s", acct, path, id)
	case typ == "aws:iam/serviceLinkedRole:ServiceLinkedRole":
		svc := get("awsServiceName")
		a_ = fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/%s/AWSServiceRoleForAutoScaling", acct, svc)
		id = a_
		out["name"] = resource.NewProperty("AWSServiceRoleForAutoScaling")
	case typ == "aws:iam/rolePolicy:RolePolicy":
		id = get("role") + ":" + get("name")
	case typ == "aws:cloudwatch/logGroup:LogGroup":
		id, a_ = get("name"), arn("logs", "log-group:"+get("name"))
	case typ == "aws:cloudwatch/metricAlarm:MetricAlarm":
		id, a_ = get("name"), arn("cloudwatch", "alarm:"+get("name"))
	case typ == "aws:cloudwatch/eventRule:EventRule":
		id, a_ = get("name"), arn("events", "rule/"+get("name"))
	case typ == "aws:cloudwatch/eventTarget:EventTarget":
		id = get("rule") + "-" + get("targetId")
	case typ == "aws:sns/topic:Topic":
		a_ = arn("sns", get("name"))
		id = a_
	case typ == "aws:sns/topicSubscription:TopicSubscription":
		a_ = get("topic") + ":" + hexid(8)
		id = a_
	case typ == "aws:rds/subnetGroup:SubnetGroup":
		id, a_ = get("name"), arn("rds", "subgrp:"+get("name"))
	case typ == "aws:rds/parameterGroup:ParameterGroup":
		id, a_ = get("name"), arn("rds", "pg:"+get("name"))
	case typ == "aws:rds/instance:Instance":
		id, a_ = "db-"+strings.ToUpper(hexid(26)), arn("rds", "db:"+get("identifier"))
		out["endpoint"] = resource.NewProperty(fmt.Sprintf("%s.%s.%s.rds.amazonaws.com:%v", get("identifier"), hexid(12), region, in["port"].V))
		out["resourceId"] = resource.NewProperty(id)
	case typ == "aws:lb/loadBalancer:LoadBalancer":
		a_ = arn("elasticloadbalancing", "loadbalancer/app/"+get("name")+"/"+hexid(16))
		id = a_
		out["dnsName"] = resource.NewProperty(get("name") + "-" + hexid(8) + "." + region + ".elb.amazonaws.com")
		out["arnSuffix"] = resource.NewProperty(strings.SplitN(a_, "loadbalancer/", 2)[1])
	case typ == "aws:lb/targetGroup:TargetGroup":
		a_ = arn("elasticloadbalancing", "targetgroup/"+get("name")+"/"+hexid(16))
		id = a_
	case typ == "aws:lb/listener:Listener":
		a_ = arn("elasticloadbalancing", "listener/app/"+hexid(8)+"/"+hexid(16))
		id = a_
	case typ == "aws:autoscaling/group:Group":
		id, a_ = get("name"), arn("autoscaling", "autoScalingGroup:"+hexid(8)+":autoScalingGroupName/"+get("name"))
	case typ == "aws:ssm/association:Association":
		u := hexid(32)
		id = u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:]
		out["associationId"] = resource.NewProperty(id)
		a_ = arn("ssm", "association/"+id)
	case typ == "aws:ssm/document:Document":
		id, a_ = get("name"), arn("ssm", "document/"+get("name"))
	case typ == "aws:cloudtrail/trail:Trail":
		id, a_ = get("name"), arn("cloudtrail", "trail/"+get("name"))
	case typ == "aws:guardduty/detector:Detector":
		id, a_ = hexid(32), arn("guardduty", "detector/"+hexid(32))
	default:
		id = typ[strings.LastIndex(typ, ":")+1:] + "-" + hexid(12)
	}
	if id == "" {
		id = typ[strings.LastIndex(typ, ":")+1:] + "-" + hexid(12)
	}
	out["id"] = resource.NewProperty(id)
	if a_ != "" {
		out["arn"] = resource.NewProperty(a_)
	}
	if v := out["tags"]; v.IsObject() {
		out["tagsAll"] = v
	}
	return out, id, a_
}
