package policy

import (
	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-18: no SSH or RDP: no security-group rule opens them, judged as the
// live check judges each rule it reads (expect.Ingress). That every NACL
// denies them first is WP-20.2's, before deploy as after.
var _ = register(Rule{ID: "WP-18",
	Each: func(in *Input, res *graph.Resource, e *Eval) {
		for _, r := range ingressOf(in, res) {
			if opened := r.ing.ShellPortsOpened(); len(opened) > 0 {
				e.Failf(label(r.res), "no ingress to 22 or 3389; shell access only through SSM Session Manager", "ingress %s %d-%d opens %v", r.ing.Protocol, r.ing.From, r.ing.To, opened)
				continue
			}
			e.Applies()
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Baseline {
			sessionLogging(in, e)
		}
	},
})

// sessionLogging: the baseline's Session Manager preferences log every
// session to an encrypted log group (WP-18).
func sessionLogging(in *Input, e *Eval) {
	for _, d := range in.Graph.OfType(tSSMDocument) {
		if n, _ := d.String("name"); n != "SSM-SessionManagerRunShell" {
			continue
		}
		s, ok := d.String("content")
		if !ok {
			e.Unknown(label(d), "the preferences", "session logs to an encrypted log group")
			return
		}
		if group, enc, err := awsdocs.SessionLogging(s); err != nil || group == "" || !enc {
			e.Fail(label(d), s, "cloudWatchLogGroupName set and cloudWatchEncryptionEnabled true")
			return
		}
		e.Applies()
		return
	}
	e.Fail("baseline", "no Session Manager preferences", "SSM-SessionManagerRunShell logging sessions to an encrypted log group")
}
