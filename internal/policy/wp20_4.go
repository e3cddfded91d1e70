package policy

import (
	"fmt"

	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

// WP-20.4: hardened instances.
var _ = register(Rule{ID: "WP-20.4",
	Each: func(in *Input, r *graph.Resource, e *Eval) {
		switch r.Type {
		case tLaunchTemplate:
			if r.Get("metadataOptions.httpTokens") != expect.IMDS.HttpTokens {
				e.Fail(label(r), r.Get("metadataOptions.httpTokens"), "IMDSv2: httpTokens required")
				return
			}
			if hop, _ := num(r, "metadataOptions.httpPutResponseHopLimit"); hop != int(expect.IMDS.HopLimit) {
				e.Failf(label(r), fmt.Sprintf("IMDS hop limit %d (no container reaches the instance's credentials)", expect.IMDS.HopLimit), "hop limit %d", hop)
				return
			}
			for _, ni := range asList(r.Get("networkInterfaces")) {
				if flagOn(ni["associatePublicIpAddress"]) {
					e.Fail(label(r), "public IP", "no public IP")
					return
				}
			}
			bdms := asList(r.Get("blockDeviceMappings"))
			if len(bdms) == 0 {
				e.Fail(label(r), "no block device mapping", "root volume encrypted with the tenant key")
				return
			}
			for _, b := range bdms {
				ebs, _ := b["ebs"].(map[string]any)
				if !flagOn(ebs["encrypted"]) {
					e.Fail(label(r), fmt.Sprint(b["deviceName"])+" unencrypted", "encrypted volumes")
					return
				}
				if in.Tenant != nil {
					usesTenantKey(in, e, r, ebs["kmsKeyId"], "volume")
				}
			}
			if r.Get("iamInstanceProfile") == nil {
				e.Fail(label(r), "no instance profile", "the SSM instance role attached")
			}
		case tLB:
			if r.Get("desyncMitigationMode") != "strictest" || r.Get("dropInvalidHeaderFields") != true {
				e.Failf(label(r), "desync mitigation strictest, invalid header fields dropped", "desync mitigation %v, drop invalid headers %v", r.Get("desyncMitigationMode"), r.Get("dropInvalidHeaderFields"))
			} else {
				e.Applies()
			}
		case tSubnet:
			// An instance launched into a subnet that maps public IPs gets
			// one unless its launch template says otherwise; no tier of a
			// tenant needs one (the load balancer has its own addresses).
			if flagOn(r.Get("mapPublicIpOnLaunch")) {
				e.Fail(label(r), "public IPs mapped on launch", "mapPublicIpOnLaunch false")
			} else {
				e.Applies()
			}
		case tEBSDefault:
			if r.Get("enabled") == false {
				e.Fail(label(r), "off", "EBS encryption by default on")
			} else {
				e.Applies()
			}
		}
	},
	Whole: func(in *Input, e *Eval) {
		if in.Tenant != nil && len(in.Graph.OfType(tLaunchTemplate)) == 0 {
			e.Fail("stack", "no launch template", "the app tier's hardened launch template")
		}
	},
})
