package policy

import ()

// WP-27: trail, flow logs, access logs.
var _ = register(Rule{ID: "WP-27",
	Whole: func(in *Input, e *Eval) {
		for _, v := range in.Graph.OfType(tVpc) {
			ok := false
			for _, f := range in.Graph.OfType(tFlowLog) {
				if ref(in, f.Get("vpcId"), v) != refNo && f.Get("trafficType") == "ALL" {
					ok = true
				}
			}
			if !ok {
				e.Fail(label(v), "no flow log of ALL traffic", "a VPC flow log of ALL traffic")
			} else {
				e.Applies()
			}
		}
		for _, b := range in.Graph.OfType(tBucket) {
			if role := bucketRole(b); role == roleServiceLogs {
				continue // the target of access logs cannot log to itself
			}
			if l, _ := configOf(in, tBucketLog, b); l == nil {
				e.Fail(label(b), "no server access logging", "access logs to the service-logs bucket")
			} else {
				e.Applies()
			}
		}
		requireTrue(in, e, tLB, "accessLogs.enabled", "access logs off", "load-balancer access logs on")
		trails := in.Graph.OfType(tTrail)
		for _, t := range trails {
			if t.Get("enableLogFileValidation") != true || t.Get("enableLogging") == false {
				e.Fail(label(t), "validation or logging off", "a logging trail with log-file validation")
			} else if t.Get("includeGlobalServiceEvents") != true || t.Get("isMultiRegionTrail") != true {
				e.Fail(label(t), "global service events or other regions not recorded", "a multi-region trail with global service events (IAM, STS)")
			} else if t.Get("cloudWatchLogsGroupArn") == nil {
				e.Fail(label(t), "no CloudWatch Logs delivery", "trail delivered to CloudWatch Logs")
			} else {
				e.Applies()
			}
		}
		if in.Tenant != nil && in.Tenant.TrailMode == "dedicated" && len(trails) == 0 {
			e.Fail("stack", "trailMode dedicated without a trail", "a trail of the tenant's own")
		}
		if in.Tenant != nil && in.Tenant.TrailMode == "shared" {
			e.Note("data events are covered by the baseline's shared trail; the stack exports the bucket ARNs it must cover")
		}
	},
})
