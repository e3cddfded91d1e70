package policy

import (
	"fmt"
	"strings"

	"github.com/tenantkit/tenantkit/internal/awsdocs"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/graph"
)

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
			var sels []expect.Selector
			for _, s := range asList(t.Get("advancedEventSelectors")) {
				sel := expect.Selector{}
				for _, f := range asList(s["fieldSelectors"]) {
					name, _ := f["field"].(string)
					sel[name] = append(sel[name], strs(f["equals"])...)
					for _, op := range []string{"startsWith", "notEquals", "endsWith", "notStartsWith", "notEndsWith"} {
						if vs := strs(f[op]); len(vs) > 0 {
							sel[name+" "+strings.ToUpper(op[:1])+op[1:]] = vs
						}
					}
				}
				sels = append(sels, sel)
			}
			var rw []string
			for _, s := range asList(t.Get("eventSelectors")) {
				if s["includeManagementEvents"] != false {
					rw = append(rw, fmt.Sprint(s["readWriteType"]))
				}
			}
			bucket, _ := t.String("s3BucketName")
			prefix, _ := t.String("s3KeyPrefix")
			var wantBucket string
			if in.Tenant != nil {
				wantBucket = expect.TrailBucket(expect.TrailDedicated, in.Tenant.TenantID, stackAccount(in))
			}
			switch {
			case t.Get("enableLogFileValidation") != true || t.Get("enableLogging") == false:
				e.Fail(label(t), "validation or logging off", "a logging trail with log-file validation")
			case t.Get("includeGlobalServiceEvents") != true || t.Get("isMultiRegionTrail") != true:
				e.Fail(label(t), "global service events or other regions not recorded", "a multi-region trail with global service events (IAM, STS)")
			case t.Get("cloudWatchLogsGroupArn") == nil:
				e.Fail(label(t), "no CloudWatch Logs delivery", "trail delivered to CloudWatch Logs")
			case expect.ManagementProblem(sels, rw) != "":
				e.Fail(label(t), expect.ManagementProblem(sels, rw), "every management event recorded, read and write")
			case wantBucket != "" && stackAccount(in) != "" && (bucket != wantBucket || prefix != expect.TrailPrefix):
				e.Fail(label(t), "log files into "+bucket+"/"+prefix, "log files into "+wantBucket+"/"+expect.TrailPrefix)
			default:
				e.Applies()
			}
		}
		if in.Tenant != nil && in.Tenant.TrailMode == "dedicated" && len(trails) == 0 {
			e.Fail("stack", "trailMode dedicated without a trail", "a trail of the tenant's own")
		}
		if in.Tenant != nil && in.Tenant.TrailMode == "shared" {
			e.Note("data events are covered by the baseline's shared trail; the stack exports the bucket ARNs it must cover")
			trailView(in, e)
		}
	},
})

// trailView: in the shared mode the tenant reads its own records of the
// account trail in its group, copied there by two rules of its stack
// (components/logging/copies.go): the object events on its data buckets
// and every call its roles make, read-only ones included.
func trailView(in *Input, e *Eval) {
	t := in.Tenant
	group := expect.TrailViewGroup(t.TenantID)
	var groupRes *graph.Resource
	for _, g := range in.Graph.OfType(tLogGroup) {
		if n, _ := g.String("name"); n == group {
			groupRes = g
		}
	}
	if groupRes == nil {
		e.Fail("stack", "no log group "+group, "the tenant's records of the shared trail in "+group)
		return
	}
	var buckets []string
	for _, b := range in.Graph.OfType(tBucket) {
		if bucketRole(b) == roleData {
			name, _ := b.String("bucket")
			buckets = append(buckets, name)
		}
	}
	account := stackAccount(in)
	for _, c := range expect.TrailViewCopies(t.TenantID, account, buckets) {
		want := "rule " + c.Name + " " + expect.TrailViewState + ", pattern " + c.Pattern + ", to " + group
		var rule *graph.Resource
		for _, r := range in.Graph.OfType(tEventRule) {
			if n, _ := r.String("name"); n == c.Name {
				rule = r
			}
		}
		if rule == nil {
			e.Fail("stack", "no rule "+c.Name, want)
			continue
		}
		pattern, _ := rule.String("eventPattern")
		state, _ := rule.String("state")
		switch {
		case account == "":
			e.Unknown(label(rule), "the account its pattern names", want)
			continue
		case !awsdocs.SamePattern(pattern, c.Pattern):
			e.Failf(label(rule), want, "pattern %s", pattern)
			continue
		case state != expect.TrailViewState:
			e.Failf(label(rule), want, "state %s", state)
			continue
		}
		switch targetsGroup(in, rule, groupRes, group) {
		case refNo:
			e.Fail(label(rule), "no target "+group, want)
		case refUnknown:
			e.Unknown(label(rule), "its target", want)
		default:
			e.Applies()
		}
	}
}

// targetsGroup: an event target of the stack sends the rule's events to
// the log group (its ARN, or the mock id the group was given).
func targetsGroup(in *Input, rule, group *graph.Resource, name string) refState {
	state := refNo
	for _, t := range in.Graph.OfType(tEventTarget) {
		if ref(in, t.Get("rule"), rule) == refNo {
			continue
		}
		if arn, ok := t.String("arn"); ok && strings.HasSuffix(arn, ":log-group:"+name) {
			return refYes
		}
		switch ref(in, t.Get("arn"), group) {
		case refYes:
			return refYes
		case refUnknown:
			state = refUnknown
		}
	}
	return state
}

// stackAccount is the account the stack deploys into, read from its log
// archive's name (tk-<tenant>-log-archive-<account>, storage.BucketName);
// empty when there is none.
func stackAccount(in *Input) string {
	for _, b := range in.Graph.OfType(tBucket) {
		if name, ok := b.String("bucket"); ok && bucketRole(b) == roleLogArchive {
			return accountOfBucket(name)
		}
	}
	return ""
}
