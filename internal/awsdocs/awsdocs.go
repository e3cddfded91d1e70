// Package awsdocs reads the JSON documents AWS services keep that the plan
// rules and the live checks both judge: an EventBridge pattern for GuardDuty
// findings (WP-37) and the Session Manager preferences (WP-18). One reader,
// so the plan and the live check cannot disagree on what passes.
package awsdocs

import (
	"encoding/json"
	"fmt"
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

// Session is what a Session Manager preferences document (documentType
// Session, sessionType Standard_Stream) says about logging and encryption.
type Session struct {
	Group     string // cloudWatchLogGroupName
	Encrypted bool   // cloudWatchEncryptionEnabled: the agent refuses a session unless the group is KMS-encrypted
	KmsKeyID  string // kmsKeyId: session data encrypted with this key; a host that cannot decrypt with it cannot hold a session
}

// SessionLogging reads a Session Manager preferences document.
func SessionLogging(content string) (Session, error) {
	var doc struct {
		Inputs struct {
			Group     string `json:"cloudWatchLogGroupName"`
			Encrypted bool   `json:"cloudWatchEncryptionEnabled"`
			KmsKeyID  string `json:"kmsKeyId"`
		} `json:"inputs"`
	}
	err := json.Unmarshal([]byte(content), &doc)
	return Session{Group: doc.Inputs.Group, Encrypted: doc.Inputs.Encrypted, KmsKeyID: doc.Inputs.KmsKeyID}, err
}

// SessionPreferences writes a Session Manager preferences document:
// sessions streamed to group, which the agent must find KMS-encrypted
// before it starts a session (amazon-ssm-agent, agent/session/shell/
// shell.go, validate); session data encrypted with kmsKeyID, which the
// instance must be able to decrypt with or the handshake fails (Session
// Manager user guide, "Turn on KMS key encryption of session data"); no
// run-as; idle sessions closed.
func SessionPreferences(description, group, kmsKeyID string, idleMinutes int) string {
	doc, _ := json.Marshal(map[string]any{
		"schemaVersion": "1.0",
		"description":   description,
		"sessionType":   "Standard_Stream",
		"inputs": map[string]any{
			"cloudWatchLogGroupName":      group,
			"cloudWatchEncryptionEnabled": true,
			"cloudWatchStreamingEnabled":  true,
			"kmsKeyId":                    kmsKeyID,
			"runAsEnabled":                false,
			"idleSessionTimeout":          fmt.Sprint(idleMinutes),
		},
	})
	return string(doc)
}
