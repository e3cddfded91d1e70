package compute

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/tenantkit/tenantkit/components/network"
)

// TimeZone of the tenant's instances (WP-28: the whitepaper promises JST).
const TimeZone = "Asia/Tokyo"

// AgentConfig is the CloudWatch agent's configuration: memory and root-disk
// use, aggregated by auto scaling group so the alarms (WP-24) see one series
// per group whatever the instances are.
func AgentConfig(namespace string) string {
	cfg := map[string]any{
		"agent": map[string]any{"metrics_collection_interval": 60},
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
// the CloudWatch agent. It fails loudly (set -e) rather than run half set up.
func UserData(group, namespace string) string {
	return fmt.Sprintf(`#!/bin/bash
# tenantkit bootstrap for %[1]s
set -euo pipefail

# WP-28: clock from the Amazon Time Sync Service, time zone JST.
timedatectl set-timezone %[2]s
sed -i '/^server \|^pool /d' /etc/chrony.conf
echo "server %[3]s prefer iburst minpoll 4 maxpoll 4" >> /etc/chrony.conf
systemctl enable --now chronyd
systemctl restart chronyd

# WP-24: memory and disk metrics for the alarms.
dnf install -y amazon-cloudwatch-agent
cat > /opt/aws/amazon-cloudwatch-agent/etc/tenantkit.json <<'JSON'
%[4]s
JSON
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/tenantkit.json
`, group, TimeZone, network.TimeSyncServer, AgentConfig(namespace))
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
