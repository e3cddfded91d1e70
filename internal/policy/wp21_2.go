package policy

import (
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

func hasDeny(doc *policydoc.Document, op, key, value string) bool {
	for _, s := range doc.Statement {
		if s.Effect == "Deny" && slices.Contains(s.ConditionValues(op, key), value) {
			return true
		}
	}
	return false
}

// WP-21.2, the buckets' part.
func bucketTransit(in *Input, e *Eval) {
	for _, b := range in.Graph.OfType(tBucket) {
		doc, state := bucketPolicy(in, b)
		switch {
		case state == refUnknown:
			e.Unknown(label(b), "the bucket policy", "TLS-only statements")
		default:
			// One verdict with the live check (policydoc).
			if why := doc.TransportDenyProblem(); why != "" {
				e.Fail(label(b), why, "reads denied without TLS and below TLS 1.2")
			} else {
				e.Applies()
			}
		}
	}
}

// WP-21.2: TLS in transit.
var _ = register(Rule{ID: "WP-21.2",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tListener:
			proto, _ := r.String("protocol")
			port, _ := num(r, "port")
			switch {
			case proto == "HTTPS":
				if p, _ := r.String("sslPolicy"); !slices.Contains(config.AllowedTLSPolicies, p) {
					e.Fail(label(r), p, "a TLS 1.2+ policy: "+strings.Join(config.AllowedTLSPolicies, ", "))
					return
				}
				e.Applies()
			case proto == "HTTP" && port == 80:
				for _, a := range asList(r.Get("defaultActions")) {
					t := a["type"]
					red, _ := a["redirect"].(map[string]any)
					// Permanent (301): browsers remember the upgrade to HTTPS.
					if t == "redirect" && red["protocol"] == "HTTPS" && red["port"] == "443" && red["statusCode"] == "HTTP_301" {
						e.Applies()
						return
					}
					if t == "fixed-response" && in.Tenant != nil && in.Tenant.Suspended() {
						e.Applies()
						return
					}
				}
				e.Fail(label(r), "HTTP listener that does not redirect permanently", "port 80 only redirects to HTTPS 443 (HTTP_301)")
			default:
				e.Failf(label(r), "HTTPS, or HTTP 80 that redirects", "%s listener on %d", proto, port)
			}
		case tDBParams:
			for _, p := range asList(r.Get("parameters")) {
				if p["name"] == "rds.force_ssl" && p["value"] == "1" {
					e.Applies()
					return
				}
			}
			e.Fail(label(r), "rds.force_ssl not 1", "rds.force_ssl = 1")
		case tDB:
			if r.Get("parameterGroupName") == nil {
				e.Fail(label(r), "default parameter group", "a parameter group forcing TLS")
			}
		case tTopic:
			s, _ := r.String("policy")
			doc, err := policydoc.Parse(s)
			if err != nil {
				e.Unknown(label(r), "the topic policy", "publishing only over TLS")
				return
			}
			if !hasDeny(doc, "Bool", "aws:SecureTransport", "false") {
				e.Fail(label(r), "no deny of aws:SecureTransport false", "publishing only over TLS")
				return
			}
			e.Applies()
		}
	},
	Whole: func(in *Input, e *Eval) { bucketTransit(in, e) },
})
