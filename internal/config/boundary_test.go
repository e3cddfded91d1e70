package config

import (
	"strings"
	"testing"
)

// Each numeric range the validator enforces, at its edges: the last value
// accepted and the first refused on each side. gremlins found every one of
// these boundaries unpinned (a < turned <= stayed green).
func TestValidateBoundaries(t *testing.T) {
	type edge struct {
		field string
		set   func(*Tenant, int)
		ok    []int
		bad   []int
	}
	edges := []edge{
		{"endpointAzCount", func(c *Tenant, v int) { c.EndpointAzCount = v }, []int{0, 1, 2}, []int{-1, 3}},
		{"appPort", func(c *Tenant, v int) { c.AppPort = v }, []int{1024, 65535}, []int{1023, 65536, 3389}},
		{"objectLockDays", func(c *Tenant, v int) { c.ObjectLockDays = v }, []int{1, 3650}, []int{0, 3651}},
		{"keyRotationDays", func(c *Tenant, v int) { c.KeyRotationDays = v }, []int{90, 2560}, []int{89, 2561}},
		{"keyDeletionWindowDays", func(c *Tenant, v int) { c.KeyDeletionWindowDays = v }, []int{7, 30}, []int{6, 31}},
		{"noncurrentVersionDays", func(c *Tenant, v int) { c.NoncurrentVersionDays = v }, []int{1, 3650}, []int{0, 3651}},
		{"database.allocatedStorageGb", func(c *Tenant, v int) { c.Database.AllocatedStorageGB = v }, []int{20, 65536}, []int{19, 65537}},
		{"database.backupRetentionDays", func(c *Tenant, v int) { c.Database.BackupRetentionDays = v }, []int{1, 35}, []int{0, 36}},
		{"database.port", func(c *Tenant, v int) { c.Database.Port = v }, []int{1024, 65535}, []int{1023, 65536, 8080}},
		{"capacity", func(c *Tenant, v int) { c.Capacity = Capacity{Min: v, Desired: v, Max: v} }, []int{1, 20}, []int{0, 21}},
		{"capacity", func(c *Tenant, v int) { c.Capacity = Capacity{Min: 2, Desired: v, Max: 4} }, []int{2, 4}, []int{1, 5}},
		{"capacity", func(c *Tenant, v int) { c.Capacity = Capacity{Min: 3, Desired: 3, Max: v} }, []int{3}, []int{2}},
		{"healthCheck.path", func(c *Tenant, v int) { c.HealthCheck.Path = "/" + strings.Repeat("a", v-1) }, []int{1, 1024}, []int{1025}},
	}
	for _, e := range edges {
		for _, v := range e.ok {
			c := valid()
			c.AvailabilityZoneIDs = []string{"apne1-az1", "apne1-az4"}
			c.AppPort = 8080
			e.set(c, v)
			if err := c.Validate(); err != nil {
				t.Errorf("%s = %d should be accepted: %v", e.field, v, err)
			}
		}
		for _, v := range e.bad {
			c := valid()
			c.AvailabilityZoneIDs = []string{"apne1-az1", "apne1-az4"}
			c.AppPort = 8080
			e.set(c, v)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), e.field) {
				t.Errorf("%s = %d should be refused naming the field, got %v", e.field, v, err)
			}
		}
	}
}

func TestValidateAlarmThresholdEdges(t *testing.T) {
	for _, tc := range []struct {
		v  float64
		ok bool
	}{{0, false}, {-1, false}, {0.5, true}, {100, true}, {100.5, false}} {
		for _, field := range []string{"alarms.cpuPercent", "alarms.memoryPercent", "alarms.diskPercent"} {
			c := valid()
			switch field {
			case "alarms.cpuPercent":
				c.Alarms.CPUPercent = tc.v
			case "alarms.memoryPercent":
				c.Alarms.MemoryPercent = tc.v
			default:
				c.Alarms.DiskPercent = tc.v
			}
			err := c.Validate()
			if tc.ok && err != nil {
				t.Errorf("%s = %v should be accepted: %v", field, tc.v, err)
			}
			if !tc.ok && (err == nil || !strings.Contains(err.Error(), field)) {
				t.Errorf("%s = %v should be refused naming the field, got %v", field, tc.v, err)
			}
		}
	}
}

// Reserved ranges must be networks in CIDR form; nested ingress ranges are
// counted once whatever order they are listed in (a /9 inside a /8 is still
// one /8, which is allowed without allowInternetIngress).
func TestValidateRangesEdges(t *testing.T) {
	for _, r := range []string{"10.254.0.1/16", "not-a-range"} {
		c := valid()
		c.ReservedCidrs = []string{r}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "reservedCidrs") {
			t.Errorf("reservedCidrs %q should be refused, got %v", r, err)
		}
	}
	c := valid()
	c.ReservedCidrs = []string{"10.254.0.0/16"}
	if err := c.Validate(); err != nil {
		t.Errorf("a reserved network in CIDR form should be accepted: %v", err)
	}
	// A /8 and a /9 outside it exceed a /8 however they are listed, also
	// when a /9 inside the /8 comes first.
	for _, order := range [][]string{{"11.0.0.0/9", "12.0.0.0/9", "11.0.0.0/8"}, {"11.0.0.0/8", "12.0.0.0/9", "11.0.0.0/9"}} {
		c := valid()
		c.IngressCidrs = order
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "more than a /8") {
			t.Errorf("ingress %v covers a /8 and a /9 and should be refused, got %v", order, err)
		}
	}
	for _, order := range [][]string{{"11.0.0.0/9", "11.0.0.0/8"}, {"11.0.0.0/8", "11.0.0.0/9"}} {
		c := valid()
		c.IngressCidrs = order
		if err := c.Validate(); err != nil {
			t.Errorf("ingress %v is one /8 and should be accepted: %v", order, err)
		}
	}
}
