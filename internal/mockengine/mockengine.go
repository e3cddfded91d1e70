// Package mockengine runs a Pulumi program in-process under the Pulumi mock
// engine and records every resource it registers. Unit tests and
// `tenantctl plan` use it: the very program `pulumi up` runs, with a stack's
// real config, and no cloud.
package mockengine

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tenantkit/tenantkit/internal/graph"
)

// AccountID is the account the mocks pretend to be in.
const AccountID = "123456789012"

// CallerArn is the identity the mocks deploy as: an assumed role, as CI
// and operators deploy.
const CallerArn = "arn:aws:sts::" + AccountID + ":assumed-role/tenantkit-deployer/mock-session"

// DeployerArn is the role behind CallerArn (what getSessionContext returns).
const DeployerArn = "arn:aws:iam::" + AccountID + ":role/ops/tenantkit-deployer"

// BaselineKeyArn is the account baseline's key (alias/tenantkit-baseline).
const BaselineKeyArn = "arn:aws:kms:ap-northeast-1:" + AccountID + ":key/0b5e1172-0000-4000-8000-00000000ba5e"

// ExistingDetectorID is the GuardDuty detector the mock account already has.
const ExistingDetectorID = "12abc34d567e8fa901bc2d34e56789f0"

// Project is the Pulumi project name.
const Project = "tenantkit"

// Observer sees each resource as it is registered; an error fails that
// registration, as a before-create hook fails a step in the real engine.
type Observer func(*graph.Resource) error

// Options of a run.
type Options struct {
	Stack  string
	Config map[string]string // full keys, Pulumi encoding
	// Region used in the ARNs the mocks make up.
	Region   string
	Observer Observer
}

// Run runs the program and returns the recorded graph, also when the
// program fails (the graph then holds what was registered before).
func Run(program pulumi.RunFunc, o Options) (*graph.Graph, error) {
	m := &mocks{g: &graph.Graph{}, region: o.Region, observe: o.Observer}
	if m.region == "" {
		m.region = "ap-northeast-1"
	}
	stack := o.Stack
	if stack == "" {
		stack = "test"
	}
	err := pulumi.RunErr(program, pulumi.WithMocks(Project, stack, m), func(info *pulumi.RunInfo) {
		info.Config = o.Config
		// tenantctl plan is a preview: what only a real deploy checks
		// (the certificate's account) is left to it.
		info.DryRun = true
	})
	return m.g, err
}

type mocks struct {
	g       *graph.Graph
	region  string
	observe Observer
	ids     atomic.Int64
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &graph.Resource{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: graph.FromPropertyMap(args.Inputs),
	}
	if rpc := args.RegisterRPC; rpc != nil {
		if p := rpc.GetParent(); p != "" {
			r.Parent = resource.URN(p).Name()
		}
		r.Protect, r.RetainOnDelete, r.ImportID = rpc.GetProtect(), rpc.GetRetainOnDelete(), rpc.GetImportId()
		for _, d := range rpc.GetDependencies() {
			r.DependsOn = append(r.DependsOn, resource.URN(d).Name())
		}
	}
	if args.Provider != "" {
		// A provider reference is "<urn>::<id>".
		ref := args.Provider
		if i := strings.LastIndex(ref, "::"); i > 0 {
			ref = ref[:i]
		}
		r.Provider = resource.URN(ref).Name()
	}
	if m.observe != nil {
		if err := m.observe(r); err != nil {
			return "", nil, err // refused: never created, never recorded
		}
	}
	id := fmt.Sprintf("%s-%04d", strings.ReplaceAll(args.Name, "/", "-"), m.ids.Add(1))
	state := args.Inputs.Copy()
	svc := "aws"
	if parts := strings.Split(args.TypeToken, ":"); len(parts) == 3 {
		svc = strings.Split(parts[1], "/")[0]
	}
	r.ID = id
	r.ARN = fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", svc, m.region, AccountID, strings.ToLower(tokenType(args.TypeToken)), id)
	m.g.Add(r)
	state["arn"] = resource.NewProperty(r.ARN)
	if _, ok := state["name"]; !ok {
		state["name"] = resource.NewProperty(args.Name)
	}
	if _, ok := state["bucket"]; !ok && strings.HasPrefix(args.TypeToken, "aws:s3/bucket") {
		state["bucket"] = resource.NewProperty(args.Name)
	}
	return id, state, nil
}

func tokenType(token string) string {
	parts := strings.Split(token, ":")
	return parts[len(parts)-1]
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": AccountID, "arn": CallerArn, "userId": "AROAMOCK:mock-session", "id": AccountID,
		}), nil
	case "aws:iam/getSessionContext:getSessionContext":
		if args.Args["arn"].StringValue() != CallerArn {
			return nil, fmt.Errorf("mockengine: getSessionContext of an unknown caller %s", args.Args["arn"].StringValue())
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"arn": CallerArn, "issuerArn": DeployerArn, "issuerId": "AROAMOCK", "issuerName": "tenantkit-deployer", "sessionName": "mock-session", "id": CallerArn,
		}), nil
	case "aws:guardduty/getDetector:getDetector":
		return resource.NewPropertyMapFromMap(map[string]any{"id": ExistingDetectorID, "status": "ENABLED", "findingPublishingFrequency": "SIX_HOURS"}), nil
	case "aws:kms/getKey:getKey":
		if args.Args["keyId"].StringValue() != "alias/tenantkit-baseline" {
			return nil, fmt.Errorf("mockengine: no key %s in the mock account", args.Args["keyId"].StringValue())
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"arn": BaselineKeyArn, "id": BaselineKeyArn, "keyId": BaselineKeyArn[strings.LastIndex(BaselineKeyArn, "/")+1:],
			"keyState": "Enabled", "enabled": true, "keyManager": "CUSTOMER",
		}), nil
	case "aws:ec2/getPrefixList:getPrefixList":
		return resource.NewPropertyMapFromMap(map[string]any{"id": "pl-61a54008", "name": args.Args["name"].StringValue(), "cidrBlocks": []any{}}), nil
	case "aws:elb/getServiceAccount:getServiceAccount":
		return resource.NewPropertyMapFromMap(map[string]any{"id": "582318560864", "arn": "arn:aws:iam::582318560864:root"}), nil
	}
	return nil, fmt.Errorf("mockengine: unexpected invoke %s; add it to the mocks only if the program really needs it", args.Token)
}
