package config

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// baselineFrom reads a baseline config; the one required key,
// operationsEmails, is set unless kv sets it.
func baselineFrom(kv map[string]string) (*Baseline, error) {
	return LoadBaseline(func(k string) (string, bool) {
		if v, ok := kv[k]; ok {
			return v, true
		}
		if k == "operationsEmails" {
			return `["ops-rota@example.co.jp"]`, true
		}
		return "", false
	})
}

// The baseline's ranges at their edges, through LoadBaseline as the
// program reads them: the last value accepted, the first refused, and the
// refusal names the key and the value.
func TestBaselineBoundaries(t *testing.T) {
	for _, c := range []struct {
		key     string
		ok, bad []string
	}{
		{"passwordMinLength", []string{"14", "128"}, []string{"13", "129"}},
		{"passwordMaxAgeDays", []string{"1", "1095"}, []string{"0", "1096"}},
		{"passwordReusePrevention", []string{"1", "24"}, []string{"0", "25"}},
		{"objectLockDays", []string{"1", "3650"}, []string{"0", "3651"}},
		{"sessionIdleMinutes", []string{"1", "60"}, []string{"0", "61"}},
		{"logRetentionDays", []string{"0", "365", "3653"}, []string{"10", "-1"}},
		{"objectLockMode", []string{"COMPLIANCE", "GOVERNANCE"}, []string{"NONE", "compliance"}},
		{"region", []string{RegionTokyo, RegionOsaka}, []string{"us-east-1"}},
		{"deployerPrincipalArns", []string{`[]`, `["arn:aws:iam::111122223333:role/ci/deployer"]`, `["arn:aws:iam::111122223333:user/ops"]`},
			[]string{`["arn:aws:iam::111122223333:root"]`, `["arn:aws:sts::111122223333:assumed-role/ci/session"]`, `not json`}},
		{"operationsEmails", []string{`["ops-rota@example.co.jp"]`, `["a@example.co.jp","b@example.co.jp"]`}, []string{`[]`, `["ops"]`, `"ops@example.co.jp"`}},
	} {
		for _, v := range c.ok {
			if _, err := baselineFrom(map[string]string{c.key: v}); err != nil {
				t.Errorf("%s = %s should be accepted: %v", c.key, v, err)
			}
		}
		for _, v := range c.bad {
			_, err := baselineFrom(map[string]string{c.key: v})
			if err == nil || !strings.Contains(err.Error(), c.key) {
				t.Errorf("%s = %s should be refused naming the key, got %v", c.key, v, err)
			}
		}
	}
}

// Unreadable values are all reported at once, before validation; a shared
// trail needs the tenant stacks it covers.
func TestLoadBaselineReportsEveryBadKey(t *testing.T) {
	_, err := baselineFrom(map[string]string{"passwordMinLength": "many", "sharedTrail": "sometimes", "adoptGuardDutyDetector": "yes please"})
	for _, want := range []string{"passwordMinLength", "many", "whole number", "sharedTrail", "sometimes", "adoptGuardDutyDetector", "true or false"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	// The tenant stacks are read even without a shared trail: the
	// deadline watchdog schedules their cancellations' deadlines.
	for _, shared := range []string{"true", "false"} {
		if _, err := baselineFrom(map[string]string{"sharedTrail": shared, "tenantStacksDir": ""}); err == nil || !strings.Contains(err.Error(), "tenantStacksDir") {
			t.Errorf("sharedTrail %s without tenant stacks: %v", shared, err)
		}
	}
	c, err := baselineFrom(map[string]string{"adoptAutoScalingRole": "true", "sharedTrail": "false"})
	if err != nil || !c.AdoptAutoScalingRole || c.SharedTrail {
		t.Errorf("switches not read: %+v %v", c, err)
	}
}

// The operators' quota table (docs/operations.md) names every quota the
// code counts.
func TestDocsListEveryQuota(t *testing.T) {
	b, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range Quotas {
		if !strings.Contains(string(b), "| "+q.Name+" | "+strconv.Itoa(q.Default)+" |") {
			t.Errorf("docs/operations.md's quota table lacks %q (default %d)", q.Name, q.Default)
		}
	}
}

// A raised quota is read from the baseline; an unknown name is refused.
func TestBaselineQuotas(t *testing.T) {
	get := func(kv map[string]string) Getter {
		return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
	}
	b, err := LoadBaseline(get(map[string]string{"quotas": `{"VPCs per Region": 20}`, "operationsEmails": `["ops-rota@example.co.jp"]`}))
	if err != nil || b.Quotas["VPCs per Region"] != 20 {
		t.Errorf("%v %v", b, err)
	}
	if _, err := LoadBaseline(get(map[string]string{"quotas": `{"VPC per region": 20}`})); err == nil || !strings.Contains(err.Error(), "quotas") {
		t.Errorf("a misspelt quota: %v", err)
	}
}
