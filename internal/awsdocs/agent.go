package awsdocs

import (
	"encoding/json"
	"fmt"
	"strings"
)

// HostLogFiles are the host logs the whitepaper's §20④ promises are
// collected from every instance (WP-20.5), each into the tenant's host log
// group under a stream named for the instance and the file: the system
// log, the authentication log (both written by rsyslog, which the
// bootstrap installs: Amazon Linux 2023 keeps only the journal otherwise),
// and the Systems Manager agent's log (Session Manager's agent side).
var HostLogFiles = []struct{ Path, Stream string }{
	{"/var/log/messages", "{instance_id}/messages"},
	{"/var/log/secure", "{instance_id}/secure"},
	{"/var/log/amazon/ssm/amazon-ssm-agent.log", "{instance_id}/ssm-agent"},
}

// AgentMarker opens and closes the CloudWatch agent's configuration in
// the bootstrap (a shell here-document), so the plan rule and the live
// check read the configuration the instances get.
const AgentMarker = "JSON"

// AgentLogs reads the files the CloudWatch agent configuration (the
// agent's JSON: "logs" > "logs_collected" > "files" > "collect_list";
// CloudWatch user guide, "Manually create or edit the CloudWatch agent
// configuration file") sends, and the log group each goes to.
func AgentLogs(config string) (map[string]string, error) {
	var c struct {
		Logs struct {
			Collected struct {
				Files struct {
					List []struct {
						Path  string `json:"file_path"`
						Group string `json:"log_group_name"`
					} `json:"collect_list"`
				} `json:"files"`
			} `json:"logs_collected"`
		} `json:"logs"`
	}
	if err := json.Unmarshal([]byte(config), &c); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range c.Logs.Collected.Files.List {
		out[f.Path] = f.Group
	}
	return out, nil
}

// AgentConfigIn finds the agent configuration in a bootstrap script: the
// here-document between "<<'JSON'" and the line "JSON".
func AgentConfigIn(userData string) (string, error) {
	start := strings.Index(userData, "<<'"+AgentMarker+"'\n")
	if start < 0 {
		return "", fmt.Errorf("the bootstrap writes no CloudWatch agent configuration")
	}
	rest := userData[start+len("<<'"+AgentMarker+"'\n"):]
	end := strings.Index(rest, "\n"+AgentMarker+"\n")
	if end < 0 {
		return "", fmt.Errorf("the bootstrap's agent configuration is not closed")
	}
	return rest[:end], nil
}

// MissingHostLogs says which of HostLogFiles a bootstrap does not send to
// group (nil: all of them are sent there).
func MissingHostLogs(userData, group string) ([]string, error) {
	cfg, err := AgentConfigIn(userData)
	if err != nil {
		return nil, err
	}
	sent, err := AgentLogs(cfg)
	if err != nil {
		return nil, fmt.Errorf("the agent configuration is not JSON: %w", err)
	}
	var missing []string
	for _, f := range HostLogFiles {
		if sent[f.Path] != group {
			missing = append(missing, f.Path)
		}
	}
	return missing, nil
}
