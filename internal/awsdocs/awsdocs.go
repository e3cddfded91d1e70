// Package awsdocs reads the JSON documents AWS services keep that the plan
// rules and the live checks both judge: an EventBridge pattern for GuardDuty
// findings (WP-37) and the Session Manager preferences (WP-18). One reader,
// so the plan and the live check cannot disagree on what passes.
package awsdocs

import (
	"encoding/json"
	"math"
	"slices"
)

// FindingsPattern reads an EventBridge event pattern: whether it matches
// GuardDuty findings, and the lowest severity it admits ({"numeric": [">=",
// 4]}; no numeric bound reads as +Inf: nothing is known to be admitted).
func FindingsPattern(pattern string) (guardDuty bool, minSeverity float64, err error) {
	var p struct {
		Source []string `json:"source"`
		Detail struct {
			Severity []map[string][]any `json:"severity"`
		} `json:"detail"`
	}
	if err := json.Unmarshal([]byte(pattern), &p); err != nil {
		return false, math.Inf(1), err
	}
	min := math.Inf(1)
	for _, cond := range p.Detail.Severity {
		v := cond["numeric"]
		for i := 0; i+1 < len(v); i += 2 {
			op, _ := v[i].(string)
			n, ok := v[i+1].(float64)
			switch {
			case !ok:
			case op == ">=":
				min = math.Min(min, n)
			case op == ">":
				min = math.Min(min, math.Nextafter(n, math.Inf(1)))
			}
		}
	}
	return slices.Contains(p.Source, "aws.guardduty"), min, nil
}

// SessionLogging reads the Session Manager preferences document: the log
// group sessions go to and whether it must be encrypted.
func SessionLogging(content string) (group string, encrypted bool, err error) {
	var doc struct {
		Inputs struct {
			Group     string `json:"cloudWatchLogGroupName"`
			Encrypted bool   `json:"cloudWatchEncryptionEnabled"`
		} `json:"inputs"`
	}
	err = json.Unmarshal([]byte(content), &doc)
	return doc.Inputs.Group, doc.Inputs.Encrypted, err
}
