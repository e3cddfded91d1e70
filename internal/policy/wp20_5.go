package policy

import (
	"strings"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/config"
)

// WP-20.5: host logs (§20④). The launch template's bootstrap installs
// rsyslog and sends the system, authentication and Systems Manager agent
// logs to the tenant's host log group, which the stack holds; its key and
// retention are WP-21.1's and WP-39's.
var _ = register(Rule{ID: "WP-20.5",
	Whole: func(in *Input, e *Eval) {
		if in.Tenant == nil {
			return
		}
		group := config.HostLogGroup(in.Tenant.TenantID)
		held := false
		for _, lg := range in.Graph.OfType(tLogGroup) {
			if n, _ := lg.String("name"); n == group {
				held = true
			}
		}
		if !held {
			e.Fail("stack", "no log group "+group, "the tenant's host log group")
		}
		lts := in.Graph.OfType(tLaunchTemplate)
		if len(lts) == 0 {
			e.Fail("stack", "no launch template", "a bootstrap that collects the host logs")
		}
		for _, lt := range lts {
			ud := userData(lt)
			missing, err := awsdocs.MissingHostLogs(ud, group)
			switch {
			case err != nil:
				e.Fail(label(lt), err.Error(), "the CloudWatch agent sending the host logs to "+group)
			case len(missing) > 0:
				e.Fail(label(lt), "not sent to "+group+": "+strings.Join(missing, ", "), "the system, authentication and SSM agent logs sent to "+group)
			case !strings.Contains(ud, "rsyslog"):
				e.Fail(label(lt), "no rsyslog installed", "rsyslog writing /var/log/messages and /var/log/secure")
			default:
				if held {
					e.Applies()
				}
			}
		}
	},
})
