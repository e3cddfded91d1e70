package awsprovider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// configure makes the moto clients once the engine hands the provider its
// checked config (region, and defaultTags JSON-encoded by CheckConfig).
func (a *Account) configure(ctx context.Context, req plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
	if a.Endpoint == "" {
		return plugin.ConfigureResponse{}, nil
	}
	in := resource.ToResourcePropertyMap(req.Inputs)
	region := a.Region
	if v := in["region"]; v.IsString() && v.StringValue() != "" {
		region = v.StringValue()
	}
	endpoint := a.Endpoint
	if endpoint == "aws" {
		endpoint = ""
	}
	// assumeRole and allowedAccountIds as the bridged provider takes them
	// (CheckConfig JSON-encodes objects and lists): the role assumed before
	// the first call, then the account its credentials resolve to refused
	// unless allowed ("AWS account ID not allowed: <id>", before any change;
	// terraform-provider-aws internal/conns/config.go).
	var assume struct {
		RoleArn     string `json:"roleArn"`
		SessionName string `json:"sessionName"`
	}
	if err := decodeConfig(in["assumeRole"], &assume); err != nil {
		return plugin.ConfigureResponse{}, fmt.Errorf("assumeRole: %w", err)
	}
	var allowed []string
	if err := decodeConfig(in["allowedAccountIds"], &allowed); err != nil {
		return plugin.ConfigureResponse{}, fmt.Errorf("allowedAccountIds: %w", err)
	}
	m, err := NewMotoAs(ctx, endpoint, region, assume.RoleArn, assume.SessionName)
	if err != nil {
		return plugin.ConfigureResponse{}, err
	}
	if len(allowed) > 0 && !slices.Contains(allowed, m.Account) {
		return plugin.ConfigureResponse{}, fmt.Errorf("AWS account ID not allowed: %s", m.Account)
	}
	if v := in["defaultTags"]; v.IsString() && v.StringValue() != "" {
		var dt struct {
			Tags map[string]string `json:"tags"`
		}
		if err := json.Unmarshal([]byte(v.StringValue()), &dt); err != nil {
			return plugin.ConfigureResponse{}, fmt.Errorf("defaultTags: %w", err)
		}
		m.DefaultTags = dt.Tags
	} else if v.IsObject() {
		m.DefaultTags = props(v.ObjectValue()).strMap("tags")
	}
	a.mu.Lock()
	a.moto, a.ID, a.Region = m, m.Account, region
	a.mu.Unlock()
	return plugin.ConfigureResponse{}, nil
}

// decodeConfig reads a provider config value CheckConfig JSON-encoded (or
// an engine that passed it as it is) into out; nothing set leaves out.
func decodeConfig(v resource.PropertyValue, out any) error {
	switch {
	case v.IsString() && v.StringValue() != "":
		return json.Unmarshal([]byte(v.StringValue()), out)
	case v.IsObject() || v.IsArray():
		b, err := json.Marshal(v.Mappable())
		if err != nil {
			return err
		}
		return json.Unmarshal(b, out)
	}
	return nil
}

// backend is the moto handler of a type, when the account is moto's.
func (a *Account) backend(typ string) (*Moto, handler, bool) {
	a.mu.Lock()
	m := a.moto
	a.mu.Unlock()
	if m == nil {
		return nil, handler{}, false
	}
	h, ok := handlers[typ]
	return m, h, ok
}

func withoutDefaults(in resource.PropertyMap) resource.PropertyMap {
	out := in.Copy()
	delete(out, defaultsKey)
	return out
}

func (a *Account) motoCreate(ctx context.Context, m *Moto, h handler, typ string, in resource.PropertyMap) (plugin.CreateResponse, error) {
	id, extra, err := h.create(ctx, m, props(in))
	if err != nil {
		if id != "" {
			// Made, but not as asked: the engine records it for a retry or delete.
			return plugin.CreateResponse{ID: resource.ID(id), Properties: resource.FromResourcePropertyMap(withoutDefaults(in)), Status: resource.StatusPartialFailure},
				fmt.Errorf("%s %s: %w", typ, id, err)
		}
		return plugin.CreateResponse{}, fmt.Errorf("%s: %w", typ, err)
	}
	out := withoutDefaults(in)
	for k, v := range extra {
		out[k] = v
	}
	out["id"] = resource.NewProperty(id)
	if v := in["tags"]; v.IsObject() || len(m.DefaultTags) > 0 {
		out["tagsAll"] = resource.NewPropertyValue(m.tags(props(in)))
	}
	return plugin.CreateResponse{ID: resource.ID(id), Properties: resource.FromResourcePropertyMap(out), Status: resource.StatusOK}, nil
}

func (a *Account) motoUpdate(ctx context.Context, m *Moto, h handler, typ, id string, oldOut, news resource.PropertyMap) (plugin.UpdateResponse, error) {
	if h.update == nil {
		return plugin.UpdateResponse{}, fmt.Errorf("%s %s: the test provider replaces this type on any change, yet the engine asked for an update (a missing replaceOn entry)", typ, id)
	}
	extra, err := h.update(ctx, m, id, props(oldOut), props(news))
	if err != nil {
		return plugin.UpdateResponse{}, fmt.Errorf("%s %s: %w", typ, id, err)
	}
	out := oldOut.Copy()
	for k, v := range withoutDefaults(news) {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return plugin.UpdateResponse{Properties: resource.FromResourcePropertyMap(out), Status: resource.StatusOK}, nil
}

// motoRead answers refresh and import from what moto holds: gone when AWS
// says so, else the last state with the values the handler reads
// overlaid, on the inputs too, so a changed value shows as drift.
func (a *Account) motoRead(ctx context.Context, m *Moto, h handler, req plugin.ReadRequest) (plugin.ReadResponse, error) {
	state := resource.ToResourcePropertyMap(req.State)
	inputs := resource.ToResourcePropertyMap(req.Inputs)
	if len(state) == 0 {
		state = inputs.Copy() // an import: nothing known yet but the id
	}
	if h.read == nil {
		in, out := resource.FromResourcePropertyMap(inputs), resource.FromResourcePropertyMap(state)
		return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: &in, Outputs: &out}, Status: resource.StatusOK}, nil
	}
	seen, err := h.read(ctx, m, string(req.ID), props(state))
	if errors.Is(err, errGone) {
		return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: ""}, Status: resource.StatusOK}, nil
	}
	if err != nil {
		return plugin.ReadResponse{}, fmt.Errorf("read %s %s: %w", req.Type, req.ID, err)
	}
	for k, v := range seen {
		state[k] = v
		if _, isInput := inputs[k]; isInput || len(resource.ToResourcePropertyMap(req.State)) == 0 {
			inputs[k] = v
		}
	}
	state["id"] = resource.NewProperty(string(req.ID))
	in, out := resource.FromResourcePropertyMap(inputs), resource.FromResourcePropertyMap(state)
	return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: &in, Outputs: &out}, Status: resource.StatusOK}, nil
}

// motoInvoke answers the data sources the programs call from the account.
func (a *Account) motoInvoke(ctx context.Context, m *Moto, req plugin.InvokeRequest) (plugin.InvokeResponse, bool, error) {
	args := props(resource.ToResourcePropertyMap(req.Args))
	ok := func(kv ...any) (plugin.InvokeResponse, bool, error) {
		return plugin.InvokeResponse{Properties: resource.FromResourcePropertyMap(pm(kv...))}, true, nil
	}
	switch req.Tok {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		id, err := m.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return plugin.InvokeResponse{}, true, err
		}
		return ok("accountId", aws.ToString(id.Account), "arn", aws.ToString(id.Arn), "userId", aws.ToString(id.UserId), "id", aws.ToString(id.Account))
	case "aws:iam/getSessionContext:getSessionContext":
		// An assumed role's session names its role without the path; the
		// issuer is the role, read from IAM (iam/session_context_data_source.go).
		arn := args.str("arn")
		rest, isSession := strings.CutPrefix(arn, "arn:aws:sts::"+m.Account+":assumed-role/")
		if !isSession {
			return ok("arn", arn, "issuerArn", arn, "id", arn)
		}
		role, session, _ := strings.Cut(rest, "/")
		r, err := m.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)})
		if err != nil {
			return plugin.InvokeResponse{}, true, err
		}
		return ok("arn", arn, "issuerArn", aws.ToString(r.Role.Arn), "issuerId", aws.ToString(r.Role.RoleId), "issuerName", role, "sessionName", session, "id", arn)
	case "aws:kms/getKey:getKey":
		d, err := m.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(args.str("keyId"))})
		if err != nil {
			return plugin.InvokeResponse{}, true, err
		}
		k := d.KeyMetadata
		return ok("arn", aws.ToString(k.Arn), "id", aws.ToString(k.KeyId), "keyId", aws.ToString(k.KeyId), "keyState", string(k.KeyState), "enabled", k.Enabled, "keyManager", string(k.KeyManager))
	case "aws:guardduty/getDetector:getDetector":
		l, err := m.gd.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
		if err != nil {
			return plugin.InvokeResponse{}, true, err
		}
		if len(l.DetectorIds) != 1 {
			return plugin.InvokeResponse{}, true, fmt.Errorf("%d GuardDuty detectors in %s, want 1", len(l.DetectorIds), m.Region)
		}
		d, err := m.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(l.DetectorIds[0])})
		if err != nil {
			return plugin.InvokeResponse{}, true, err
		}
		return ok("id", l.DetectorIds[0], "status", string(d.Status), "findingPublishingFrequency", string(d.FindingPublishingFrequency))
	case "aws:ec2/getPrefixList:getPrefixList":
		out, err := m.ec2.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{Filters: []ec2types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{args.str("name")}}}})
		if err != nil || len(out.PrefixLists) == 0 {
			return plugin.InvokeResponse{}, false, nil // the account's own answer below
		}
		pl := out.PrefixLists[0]
		var cidrs []any
		for _, c := range pl.Cidrs {
			cidrs = append(cidrs, c)
		}
		return ok("id", aws.ToString(pl.PrefixListId), "name", aws.ToString(pl.PrefixListName), "cidrBlocks", cidrs)
	}
	return plugin.InvokeResponse{}, false, nil
}
