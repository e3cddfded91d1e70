package policy

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-28: the VPC's DHCP options point NTP at the Time Sync Service.
var _ = register(Rule{ID: "WP-28",
	Whole: func(in *Input, e *Eval) {
		for _, vpc := range in.Graph.OfType(tVpc) {
			var opts *graph.Resource
			state := refNo
			for _, a := range in.Graph.OfType(tDhcpAssoc) {
				if ref(in, a.Get("vpcId"), vpc) != refNo {
					for _, o := range in.Graph.OfType(tDhcp) {
						if s := ref(in, a.Get("dhcpOptionsId"), o); s != refNo {
							opts, state = o, s
						}
					}
				}
			}
			switch {
			case opts == nil:
				e.Fail(label(vpc), "no DHCP options associated", "DHCP options with ntp-servers 169.254.169.123")
			case state == refUnknown:
				e.Unknown(label(vpc), "the DHCP association", "options with 169.254.169.123")
			case !slices.Contains(strs(opts.Get("ntpServers")), "169.254.169.123"):
				e.Fail(label(opts), strs(opts.Get("ntpServers")), "ntp-servers 169.254.169.123")
			case !slices.Contains(strs(opts.Get("domainNameServers")), "AmazonProvidedDNS"):
				e.Fail(label(opts), strs(opts.Get("domainNameServers")), "AmazonProvidedDNS kept")
			default:
				e.Applies()
			}
		}
		// The database's clock in JST too: its parameter group sets timezone.
		for _, pg := range in.Graph.OfType(tDBParams) {
			tz := ""
			for _, p := range asList(pg.Get("parameters")) {
				if p["name"] == "timezone" {
					tz, _ = p["value"].(string)
				}
			}
			if tz != config.TimeZone {
				e.Fail(label(pg), "timezone "+tz, "timezone "+config.TimeZone)
			} else {
				e.Applies()
			}
		}
		for _, lt := range in.Graph.OfType(tLaunchTemplate) {
			ud := userData(lt)
			if !strings.Contains(ud, "169.254.169.123") || !strings.Contains(ud, "Asia/Tokyo") {
				e.Fail(label(lt), "bootstrap without chrony on 169.254.169.123 and Asia/Tokyo", "chrony against the Time Sync Service; time zone Asia/Tokyo")
			} else {
				e.Applies()
			}
		}
	},
})

func userData(lt *graph.Resource) string {
	s, _ := lt.String("userData")
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return string(b)
	}
	return s
}
