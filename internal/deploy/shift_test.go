package deploy

import (
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/clock"
)

// A test build whose clock is moved deploys only into an emulator on
// this machine: a deploy that pretends another day never reaches an
// account (an operator's build never moves its clock at all).
func TestShiftedBuildDeploysOnlyLocally(t *testing.T) {
	for endpoint, want := range map[string]bool{
		"http://127.0.0.1:5000": true, "http://localhost:4566": true, "http://[::1]:5000": true,
		"": false, "https://ec2.ap-northeast-1.amazonaws.com": false, "http://10.0.0.5:5000": false, "not a url": false,
	} {
		if got := onThisMachine(endpoint); got != want {
			t.Errorf("onThisMachine(%q) = %v, want %v", endpoint, got, want)
		}
	}
	if clock.Shifted() == "" {
		return // an ordinary build: nothing more to refuse
	}
	t.Setenv("AWS_ENDPOINT_URL", "")
	if err := Available(); err == nil || !strings.Contains(err.Error(), "clock is moved") {
		t.Errorf("a clock-shifted build would deploy into an account: %v", err)
	}
}
