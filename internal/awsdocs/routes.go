package awsdocs

import (
	"encoding/json"
	"fmt"
)

// A Route carries one kind of event that needs a person (§24, §29, §30,
// §37) to the tenant's alert topic: an EventBridge rule in the tenant's
// stack (components/monitoring), scoped to the tenant's own resources, so
// no tenant's topic carries another's findings. GuardDuty findings have
// their rule of old (monitoring.FindingsRuleName); these are the others.
// The component builds each rule's pattern with RoutePattern, and the plan
// rule and the live check (WP-37) compare with it.
type Route struct {
	Key, Description string
}

// Routes are the tenant's alert routes besides GuardDuty's, in order.
// There is no Security Hub route: nothing in the toolkit enables Security
// Hub (an account-wide service with per-check charges and standards of its
// own), and a rule for findings that never come would read as coverage
// that is not there (#34). GuardDuty and Inspector, which the baseline
// enables, carry the findings.
var Routes = []Route{
	{"inspector", "Amazon Inspector findings of high and critical severity on the tenant's instances (§30)"},
	{"key-changes", "deletion scheduled, disabling, rotation off or a new policy on the tenant key (§21, §37)"},
	{"cert-expiry", "the listener certificate approaching its expiry (§21, §43)"},
}

// RouteRuleName is the tenant's rule of one route.
func RouteRuleName(tenantID, key string) string { return "tk-" + tenantID + "-" + key }

// RoutePattern is the EventBridge pattern of a route for a tenant: its
// tag for findings, its key's ARN for KMS calls (CloudTrail's resources,
// EventBridge user guide, "AWS service events delivered via AWS
// CloudTrail"), its certificate's ARN for ACM (ACM user guide, "Amazon
// EventBridge support for ACM": the event's resources). The plan rule and
// the live check compare a rule's pattern with this one.
func RoutePattern(key, tenantID, keyArn, certArn string) (string, error) {
	severe := []string{"HIGH", "CRITICAL"}
	var p map[string]any
	switch key {
	case "inspector":
		// Inspector user guide, "Creating custom responses to Amazon
		// Inspector findings with Amazon EventBridge": detail-type
		// "Inspector2 Finding", the finding's resources with their tags.
		p = map[string]any{"source": []string{"aws.inspector2"}, "detail-type": []string{"Inspector2 Finding"},
			"detail": map[string]any{"severity": severe, "status": []string{"ACTIVE"},
				"resources": map[string]any{"tags": map[string]any{"Tenant": []string{tenantID}}}}}
	case "key-changes":
		p = map[string]any{"source": []string{"aws.kms"}, "detail-type": []string{"AWS API Call via CloudTrail"},
			"detail": map[string]any{"eventSource": []string{"kms.amazonaws.com"},
				"eventName": []string{"ScheduleKeyDeletion", "DisableKey", "DisableKeyRotation", "PutKeyPolicy"},
				"resources": map[string]any{"ARN": []string{keyArn}}}}
	case "cert-expiry":
		p = map[string]any{"source": []string{"aws.acm"}, "detail-type": []string{"ACM Certificate Approaching Expiration"},
			"resources": []string{certArn}}
	default:
		return "", fmt.Errorf("no alert route %q", key)
	}
	b, err := json.Marshal(p)
	return string(b), err
}

// SamePattern says whether two EventBridge patterns are the same JSON
// document (key order and spacing aside).
func SamePattern(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
