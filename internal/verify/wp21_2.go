package verify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

var _ = register(Check{ID: "WP-21.2/bucket-tls", Control: "WP-21.2", Title: "buckets deny non-TLS and TLS below 1.2",
	Run: func(ctx context.Context, t *Target, r *Run) {
		for _, b := range t.Inv.AllBuckets() {
			doc, err := bucketPolicyDoc(ctx, t, b)
			switch {
			case err != nil:
				r.Error(bucketRes(t, b), err, "a TLS-only bucket policy")
			default:
				// One verdict with the plan rule (policydoc).
				if why := doc.TransportDenyProblem(); why != "" {
					r.Fail(bucketRes(t, b), why, "reads denied without TLS and below TLS 1.2")
				} else {
					r.Pass(bucketRes(t, b), "denied by statements "+strings.Join(denySids(doc), ", "), "reads denied without TLS and below TLS 1.2")
				}
			}
		}
	}})

var _ = register(Check{ID: "WP-21.2/listeners", Control: "WP-21.2", Title: "HTTPS with an allowed TLS policy; port 80 only redirects",
	Run: func(ctx context.Context, t *Target, r *Run) {
		ls, err := listeners(ctx, t)
		if err != nil {
			r.Error("load balancer "+t.Inv.LoadBalancerArn, err, "HTTPS and a redirecting HTTP listener")
			return
		}
		for _, l := range ls {
			res := fmt.Sprintf("listener %s:%d", l.Protocol, aws.ToInt32(l.Port))
			switch {
			case l.Protocol == elbtypes.ProtocolEnumHttps:
				tlsVerdict(ctx, t, r, res, aws.ToString(l.SslPolicy))
			case l.Protocol == elbtypes.ProtocolEnumHttp && aws.ToInt32(l.Port) == 80:
				ok := len(l.DefaultActions) > 0
				for _, a := range l.DefaultActions {
					red := a.RedirectConfig
					redirect := a.Type == elbtypes.ActionTypeEnumRedirect && red != nil && aws.ToString(red.Protocol) == "HTTPS" && aws.ToString(red.Port) == "443"
					suspended := a.Type == elbtypes.ActionTypeEnumFixedResponse && t.Cfg.Suspended()
					ok = ok && (redirect || suspended)
				}
				if ok {
					r.Pass(res, "default action "+actionsOf(l.DefaultActions), "a redirect to HTTPS 443 (a fixed 503 while suspended)")
				} else {
					r.Fail(res, "default action "+actionsOf(l.DefaultActions), "a redirect to HTTPS 443 (a fixed 503 while suspended)")
				}
			default:
				r.Fail(res, fmt.Sprintf("protocol %s on port %d", l.Protocol, aws.ToInt32(l.Port)), "HTTPS, or HTTP 80 that redirects")
			}
		}
	}})

// sslPolicy is what DescribeSSLPolicies says a policy allows.
type sslPolicy struct {
	protocols, ciphers []string
}

// readSSLPolicy reads one policy, once per run.
func readSSLPolicy(ctx context.Context, t *Target, name string) (sslPolicy, error) {
	return cached(t, "sslpolicy/"+name, func() (sslPolicy, error) {
		var got sslPolicy
		found := false
		err := allPages("elasticloadbalancing:DescribeSSLPolicies", func(marker *string) (*string, error) {
			out, err := t.Clients.ELB.DescribeSSLPolicies(ctx, &elbv2.DescribeSSLPoliciesInput{Names: []string{name}, Marker: marker})
			if err != nil {
				return nil, err
			}
			for _, p := range out.SslPolicies {
				if aws.ToString(p.Name) == name {
					found = true
					got.protocols = p.SslProtocols
					for _, c := range p.Ciphers {
						got.ciphers = append(got.ciphers, aws.ToString(c.Name))
					}
				}
			}
			return out.NextMarker, nil
		})
		if err == nil && !found {
			err = fmt.Errorf("policy %s not in the answer", name)
		}
		return got, err
	})
}

// tlsVerdict judges a listener's policy by what DescribeSSLPolicies says
// it allows (WP-21.2): TLS 1.2 and 1.3 only, and no cipher outside the
// reference policy's (config.ReferenceTLSPolicy, read from AWS in the
// same way): the Ext variants allow CBC-SHA1 and RSA key exchange on top.
// A policy AWS adds later is judged the same way; one AWS does not know,
// or a reference it does not answer, is ERROR.
// denySids are the Sids of the policy's Deny statements, as read.
func denySids(doc *policydoc.Document) []string {
	var sids []string
	for i, s := range doc.Statement {
		if s.Effect == "Deny" {
			sids = append(sids, cmp.Or(s.Sid, fmt.Sprintf("#%d", i+1)))
		}
	}
	return sids
}

func tlsVerdict(ctx context.Context, t *Target, r *Run, res, policy string) {
	expected := "the stack's " + t.Cfg.TLSPolicy + ": TLSv1.2 and TLSv1.3 only, ciphers within " + config.ReferenceTLSPolicy + "'s"
	if policy != t.Cfg.TLSPolicy {
		r.Fail(res, "policy "+policy, expected)
		return
	}
	got, err := readSSLPolicy(ctx, t, policy)
	if err != nil {
		r.Error(res, fmt.Errorf("read policy %q: %w", policy, err), expected)
		return
	}
	if len(got.protocols) == 0 || len(got.ciphers) == 0 {
		r.Error(res, fmt.Errorf("policy %s lists no protocols or no ciphers", policy), expected)
		return
	}
	for _, p := range got.protocols {
		if p != "TLSv1.2" && p != "TLSv1.3" {
			r.Fail(res, fmt.Sprintf("policy %s allows %s", policy, strings.Join(got.protocols, ", ")), expected)
			return
		}
	}
	ref, err := readSSLPolicy(ctx, t, config.ReferenceTLSPolicy)
	if err != nil || len(ref.ciphers) == 0 {
		r.Error(res, fmt.Errorf("read the reference policy %q: %v", config.ReferenceTLSPolicy, err), expected)
		return
	}
	var beyond []string
	for _, c := range got.ciphers {
		if !slices.Contains(ref.ciphers, c) {
			beyond = append(beyond, c)
		}
	}
	if len(beyond) > 0 {
		r.Fail(res, fmt.Sprintf("policy %s allows ciphers beyond %s: %s", policy, config.ReferenceTLSPolicy, strings.Join(beyond, ", ")), expected)
		return
	}
	r.Pass(res, fmt.Sprintf("policy %s: %s; %d ciphers, all within %s", policy, strings.Join(got.protocols, ", "), len(got.ciphers), config.ReferenceTLSPolicy), expected)
}

var _ = register(Check{ID: "WP-21.2/database-tls", Control: "WP-21.2", Title: "the database forces TLS",
	Run: func(ctx context.Context, t *Target, r *Run) {
		db, res, ok := database(ctx, t, r, "rds.force_ssl = 1")
		if !ok {
			return
		}
		if len(db.DBParameterGroups) == 0 {
			r.Fail(res, fieldOf(db, "DBParameterGroups"), "a parameter group with rds.force_ssl = 1")
			return
		}
		group := aws.ToString(db.DBParameterGroups[0].DBParameterGroupName)
		params, err := dbParameters(ctx, t, group)
		if err != nil {
			r.Error("parameter group "+group, err, "rds.force_ssl = 1")
			return
		}
		switch v, set := params["rds.force_ssl"]; {
		case !set:
			r.Fail(res, "rds.force_ssl not set in "+group, "rds.force_ssl = 1")
		case v == "1":
			r.Pass(res, "rds.force_ssl = 1 in "+group, "rds.force_ssl = 1")
		default:
			r.Fail(res, "rds.force_ssl = "+v, "rds.force_ssl = 1")
		}
	}})
