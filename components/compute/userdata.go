package compute

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/tenantkit/tenantkit/components/network"
	"github.com/tenantkit/tenantkit/internal/awsdocs"
)

// TimeZone of the tenant's instances (WP-28: the whitepaper promises JST).
const TimeZone = "Asia/Tokyo"

// AgentConfig is the CloudWatch agent's configuration: memory and root-disk
// use, aggregated by auto scaling group so the alarms (WP-24) see one series
// per group whatever the instances are; and the host logs (WP-20.5,
// awsdocs.HostLogFiles) into the tenant's host log group.
func AgentConfig(namespace, hostLogGroup string) string {
	var files []map[string]any
	for _, f := range awsdocs.HostLogFiles {
		files = append(files, map[string]any{"file_path": f.Path, "log_group_name": hostLogGroup, "log_stream_name": f.Stream, "timezone": "Local"})
	}
	cfg := map[string]any{
		"agent": map[string]any{"metrics_collection_interval": 60},
		"logs":  map[string]any{"logs_collected": map[string]any{"files": map[string]any{"collect_list": files}}},
		"metrics": map[string]any{
			"namespace":              namespace,
			"append_dimensions":      map[string]string{"AutoScalingGroupName": "${aws:AutoScalingGroupName}", "InstanceId": "${aws:InstanceId}"},
			"aggregation_dimensions": [][]string{{"AutoScalingGroupName"}},
			"metrics_collected": map[string]any{
				"mem":  map[string]any{"measurement": []string{"mem_used_percent"}},
				"disk": map[string]any{"measurement": []string{"used_percent"}, "resources": []string{"/"}},
			},
		},
	}
	b, _ := json.MarshalIndent(cfg, "", "  ")
	return string(b)
}

// UserData bootstraps an instance: chrony on the Time Sync Service, JST,
// rsyslog (system and authentication logs as files), the CloudWatch agent.
// It fails loudly (set -e) rather than run half set up.
func UserData(group, namespace, hostLogGroup string) string {
	return fmt.Sprintf(`#!/bin/bash
# tenantkit bootstrap for %[1]s
set -euo pipefail

# WP-28: clock from the Amazon Time Sync Service, time zone JST.
timedatectl set-timezone %[2]s
sed -i '/^server \|^pool /d' /etc/chrony.conf
echo "server %[3]s prefer iburst minpoll 4 maxpoll 4" >> /etc/chrony.conf
systemctl enable --now chronyd
systemctl restart chronyd

# WP-20.5: the system and authentication logs as files the agent reads
# (Amazon Linux 2023 keeps only the journal without rsyslog).
dnf install -y rsyslog
systemctl enable --now rsyslog

# WP-24: memory and disk metrics for the alarms; WP-20.5: host logs.
dnf install -y amazon-cloudwatch-agent
cat > /opt/aws/amazon-cloudwatch-agent/etc/tenantkit.json <<'JSON'
%[4]s
JSON
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/tenantkit.json
`, group, TimeZone, network.TimeSyncServer, AgentConfig(namespace, hostLogGroup))
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
