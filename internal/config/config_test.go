package config

import (
	"fmt"
	"strings"
	"testing"
)

func valid() *Tenant {
	t := Defaults()
	t.TenantID = "acme"
	t.VpcCidr = "10.16.0.0/20"
	t.IngressCidrs = []string{"203.0.113.0/24"}
	t.CertificateArn = "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	return t
}

func TestValidDefaults(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatalf("defaults with the required keys should validate: %v", err)
	}
}

// Every refused input: the error names the field, the value and the fix.
func TestValidateRefuses(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Tenant)
		field  string
		value  string
		fix    string
	}{
		{"id too short", func(c *Tenant) { c.TenantID = "ab" }, "tenantId", "ab", "3 to 32"},
		{"id too long", func(c *Tenant) { c.TenantID = strings.Repeat("a", 33) }, "tenantId", strings.Repeat("a", 33), "3 to 32"},
		{"id uppercase", func(c *Tenant) { c.TenantID = "Acme" }, "tenantId", "Acme", "lowercase"},
		{"id trailing hyphen", func(c *Tenant) { c.TenantID = "acme-" }, "tenantId", "acme-", "lowercase"},
		{"id double hyphen", func(c *Tenant) { c.TenantID = "ac--me" }, "tenantId", "ac--me", "single hyphens"},
		{"id underscore", func(c *Tenant) { c.TenantID = "ac_me" }, "tenantId", "ac_me", "lowercase"},
		{"id reserved", func(c *Tenant) { c.TenantID = "baseline" }, "tenantId", "baseline", "reserved"},
		{"environment", func(c *Tenant) { c.Environment = "prd" }, "environment", "prd", "production, staging"},
		{"region us", func(c *Tenant) { c.Region = "us-east-1" }, "region", "us-east-1", "§7"},
		{"region osaka without dr", func(c *Tenant) {
			c.Region = "ap-northeast-3"
			c.AvailabilityZoneIDs = []string{"apne3-az1", "apne3-az2"}
		}, "region", "ap-northeast-3", "disasterRecovery"},
		{"cidr public", func(c *Tenant) { c.VpcCidr = "8.8.0.0/16" }, "vpcCidr", "8.8.0.0/16", "RFC 1918"},
		{"cidr too big", func(c *Tenant) { c.VpcCidr = "10.0.0.0/8" }, "vpcCidr", "10.0.0.0/8", "/16 to /23"},
		{"cidr too small", func(c *Tenant) { c.VpcCidr = "10.16.0.0/25" }, "vpcCidr", "10.16.0.0/25", "/16 to /23"},
		// A /24 cuts into /28 subnets; load balancers need /27 or larger.
		{"cidr /24 too small for ELB", func(c *Tenant) { c.VpcCidr = "10.16.0.0/24" }, "vpcCidr", "10.16.0.0/24", "/27 or larger"},
		{"cidr host bits", func(c *Tenant) { c.VpcCidr = "10.16.0.1/20" }, "vpcCidr", "10.16.0.1/20", "no host bits"},
		{"cidr garbage", func(c *Tenant) { c.VpcCidr = "ten" }, "vpcCidr", "ten", "CIDR form"},
		{"cidr reserved", func(c *Tenant) { c.VpcCidr = "10.0.0.0/20" }, "vpcCidr", "10.0.0.0/20", "reserved range 10.0.0.0/16"},
		{"cidr stack reserved", func(c *Tenant) { c.ReservedCidrs = []string{"10.16.0.0/16"} }, "vpcCidr", "10.16.0.0/20", "reserved range 10.16.0.0/16"},
		{"zone letter", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"ap-northeast-1a", "apne1-az2"} }, "availabilityZoneIds", "ap-northeast-1a", "zone IDs"},
		{"zone 1b letter", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"ap-northeast-1b", "apne1-az2"} }, "availabilityZoneIds", "ap-northeast-1b", "zone IDs"},
		{"zone az3", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"apne1-az3", "apne1-az2"} }, "availabilityZoneIds", "apne1-az3", "constrained"},
		{"zone other region", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"apne3-az1", "apne1-az2"} }, "availabilityZoneIds", "apne3-az1", "not in the stack's region"},
		{"zone duplicate", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"apne1-az1", "apne1-az1"} }, "availabilityZoneIds", "apne1-az1", "once"},
		{"one zone", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"apne1-az1"} }, "availabilityZoneIds", "apne1-az1", "2 or 3"},
		{"no ingress", func(c *Tenant) { c.IngressCidrs = nil }, "ingressCidrs", "[]", "list the CIDRs"},
		{"internet without opt-in", func(c *Tenant) { c.IngressCidrs = []string{"0.0.0.0/0"} }, "ingressCidrs", "0.0.0.0/0", "allowInternetIngress"},
		{"ingress garbage", func(c *Tenant) { c.IngressCidrs = []string{"203.0.113.5"} }, "ingressCidrs", "203.0.113.5", "CIDR form"},
		{"egress", func(c *Tenant) { c.EgressMode = "open" }, "egressMode", "open", "endpoints"},
		{"endpoint name", func(c *Tenant) { c.InterfaceEndpoints = []string{"Secrets Manager"} }, "interfaceEndpoints", "Secrets Manager", "com.amazonaws"},
		{"endpoint zones", func(c *Tenant) { c.EndpointAzCount = 4 }, "endpointAzCount", "4", "1 to 3"},
		{"app port 22", func(c *Tenant) { c.AppPort = 22 }, "appPort", "22", "22 is a privileged port"},
		{"app port 3389", func(c *Tenant) { c.AppPort = 3389 }, "appPort", "3389", "3389 is RDP's port"},
		{"retention", func(c *Tenant) { c.LogRetentionDays = 42 }, "logRetentionDays", "42", "never expire"},
		{"a finite retention, even one CloudWatch accepts (#25 item 6, §42)", func(c *Tenant) { c.LogRetentionDays = 3653 }, "logRetentionDays", "3653", "§42"},
		{"trail mode", func(c *Tenant) { c.TrailMode = "none" }, "trailMode", "none", "shared"},
		{"lock mode", func(c *Tenant) { c.ObjectLockMode = "LEGAL" }, "objectLockMode", "LEGAL", "COMPLIANCE"},
		{"lock days", func(c *Tenant) { c.ObjectLockDays = 0 }, "objectLockDays", "0", "1 to 3650"},
		{"rotation", func(c *Tenant) { c.KeyRotationDays = 30 }, "keyRotationDays", "30", "90 to 2560"},
		{"deletion window short", func(c *Tenant) { c.KeyDeletionWindowDays = 6 }, "keyDeletionWindowDays", "6", "7 to 30"},
		{"deletion window long", func(c *Tenant) { c.KeyDeletionWindowDays = 31 }, "keyDeletionWindowDays", "31", "7 to 30"},
		{"no classification", func(c *Tenant) { c.DataClassifications = nil }, "dataClassifications", "[]", "at least one"},
		{"bad classification", func(c *Tenant) { c.DataClassifications = []string{"secret"} }, "dataClassifications", "secret", "public, personal, confidential"},
		{"noncurrent", func(c *Tenant) { c.NoncurrentVersionDays = 0 }, "noncurrentVersionDays", "0", "1 to 3650"},
		{"db class", func(c *Tenant) { c.Database.InstanceClass = "t3.micro" }, "database.instanceClass", "t3.micro", "db.t4g"},
		{"db backups off", func(c *Tenant) { c.Database.BackupRetentionDays = 0 }, "database.backupRetentionDays", "0", "backups must be on"},
		{"db minor version", func(c *Tenant) { c.Database.EngineVersion = "16.4" }, "database.engineVersion", "16.4", "major version only"},
		{"db version garbage", func(c *Tenant) { c.Database.EngineVersion = "latest" }, "database.engineVersion", "latest", "major version only"},
		{"nacl quota", func(c *Tenant) {
			c.IngressCidrs = []string{"198.51.100.0/28", "198.51.100.16/28", "198.51.100.32/28", "198.51.100.48/28", "198.51.100.64/28", "198.51.100.80/28", "198.51.100.96/28", "198.51.100.112/28", "198.51.100.128/28"}
		}, "ingressCidrs", "198.51.100.0/28", "22 inbound entries, above the quota of 20"},
		{"nacl quota nat", func(c *Tenant) {
			c.EgressMode = "nat"
			c.IngressCidrs = []string{"198.51.100.0/28", "198.51.100.16/28", "198.51.100.32/28", "198.51.100.48/28", "198.51.100.64/28", "198.51.100.80/28", "198.51.100.96/28"}
		}, "ingressCidrs", "198.51.100.96/28", "22 inbound entries"},
		{"nacl limit", func(c *Tenant) { c.NaclEntryLimit = 50 }, "naclEntryLimit", "50", "20 (AWS's default) to 40"},
		{"health path", func(c *Tenant) { c.HealthCheck.Path = "healthz" }, "healthCheck.path", "healthz", "starting with /"},
		{"health matcher", func(c *Tenant) { c.HealthCheck.Matcher = "ok" }, "healthCheck.matcher", "ok", "200-299"},
		{"deployer session arn", func(c *Tenant) {
			c.DeployerPrincipalArns = []string{"arn:aws:sts::111122223333:assumed-role/ci/run-1"}
		}, "deployerPrincipalArns", "assumed-role", "not an assumed-role session"},
		{"deployer root", func(c *Tenant) { c.DeployerPrincipalArns = []string{"arn:aws:iam::111122223333:root"} }, "deployerPrincipalArns", "root", "role or user ARN"},
		{"db port clash", func(c *Tenant) { c.Database.Port = 8080 }, "database.port", "8080", "different from appPort"},
		{"missing certificate", func(c *Tenant) { c.CertificateArn = "" }, "certificateArn", "", "ACM certificate ARN"},
		{"certificate other region", func(c *Tenant) {
			c.CertificateArn = strings.Replace(c.CertificateArn, "ap-northeast-1", "ap-northeast-3", 1)
		}, "certificateArn", "ap-northeast-3", "stack's region"},
		{"an Osaka zone for Tokyo, with Tokyo's zones suggested (#23 item 12)", func(c *Tenant) { c.AvailabilityZoneIDs = []string{"apne3-az1", "apne1-az2"} }, "availabilityZoneIds", "apne3-az1", "apne1-az1, apne1-az2, apne1-az4"},
		{"tls policy", func(c *Tenant) { c.TLSPolicy = "ELBSecurityPolicy-2016-08" }, "tlsPolicy", "ELBSecurityPolicy-2016-08", "TLS 1.2 or later"},
		{"tls policy with ciphers beyond the reference (#25 item 7)", func(c *Tenant) { c.TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09" }, "tlsPolicy", "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", "ciphers within"},
		{"instance type", func(c *Tenant) { c.InstanceType = "big" }, "instanceType", "big", "t3.small"},
		{"image", func(c *Tenant) { c.ImageID = "ubuntu" }, "imageId", "ubuntu", "ami-"},
		{"capacity", func(c *Tenant) { c.Capacity = Capacity{Min: 3, Max: 2, Desired: 2} }, "capacity", "min=3", "min <= desired"},
		{"alarm", func(c *Tenant) { c.Alarms.MemoryPercent = 120 }, "alarms.memoryPercent", "120", "at most 100"},
		{"email", func(c *Tenant) { c.AlertEmails = []string{"ops"} }, "alertEmails", "ops", "e-mail"},
		{"admin arn", func(c *Tenant) { c.AdminPrincipalArns = []string{"bob"} }, "adminPrincipalArns", "bob", "ARN"},
		{"reader arn", func(c *Tenant) { c.LogReaderPrincipalArns = []string{"*"} }, "logReaderPrincipalArns", "*", "ARN"},
		{"state", func(c *Tenant) { c.Lifecycle.State = "paused" }, "lifecycle.state", "paused", "active, suspended"},
		{"suspended without date", func(c *Tenant) { c.Lifecycle.State = StateSuspended }, "lifecycle.cancelledOn", "", "--cancelled-on"},
		{"bad date", func(c *Tenant) { c.Lifecycle.CancelledOn = "2026/11/25" }, "lifecycle.cancelledOn", "2026/11/25", "YYYY-MM-DD"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.change(c)
			err := c.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			for _, want := range []string{"tenantkit:" + tc.field, tc.value, tc.fix} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
		})
	}
}

func TestOsakaWithDisasterRecovery(t *testing.T) {
	c := valid()
	c.Region, c.DisasterRecovery = RegionOsaka, true
	c.AvailabilityZoneIDs = []string{"apne3-az1", "apne3-az2", "apne3-az3"}
	c.CertificateArn = strings.Replace(c.CertificateArn, "ap-northeast-1", "ap-northeast-3", 1)
	if err := c.Validate(); err != nil {
		t.Fatalf("Osaka with disasterRecovery should validate: %v", err)
	}
}

func TestInternetWithOptIn(t *testing.T) {
	c := valid()
	c.IngressCidrs, c.AllowInternetIngress = []string{"0.0.0.0/0"}, true
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeRefusesUnknownKeyAndBadTypes(t *testing.T) {
	for raw, want := range map[string]string{
		"tenantkit:vpcCidrs":            "known keys",
		"tenantkit:appPort":             "whole number",
		"tenantkit:disasterRecovery":    "true or false",
		"tenantkit:database":            "documented shape",
		"tenantkit:availabilityZoneIds": "documented shape",
	} {
		_, err := Decode(map[string]string{raw: "{nope"})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "{nope") {
			t.Errorf("%s: want an error mentioning %q and the value, got %v", raw, want, err)
		}
	}
}

func TestDecodeKeepsObjectDefaults(t *testing.T) {
	c, err := Decode(map[string]string{"tenantkit:database": `{"enabled":false}`, "aws:region": RegionTokyo, "app:apiToken": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Enabled || c.Database.Port != 5432 {
		t.Errorf("database = %+v, want disabled with the default port kept", c.Database)
	}
}

// Keys that would go unread or contradict the tenant are bad input (#23
// item 12): a misspelt namespace (tenantkt:appPort passed silently) and a
// provider region other than the tenant's. Other namespaces stay theirs.
func TestForeignKeysThatMislead(t *testing.T) {
	for raw, want := range map[string]string{
		"tenantkt:appPort":   "write tenantkit:appPort",
		"TenantKit:appPort":  "write tenantkit:appPort",
		"tenantkitt:appPort": "write tenantkit:appPort",
		"aws:region":         `aws:region = "us-east-1" contradicts tenantkit:region "ap-northeast-1"`,
	} {
		v := "8443"
		if raw == "aws:region" {
			v = "us-east-1"
		}
		if _, err := Decode(map[string]string{raw: v}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
	for _, raw := range []string{"app:appPort", "aws:skipMetadataApiCheck", "pulumi:tags", "tenantkit-baseline:region"} {
		if _, err := Decode(map[string]string{raw: "x"}); err != nil {
			t.Errorf("%s: another namespace refused: %v", raw, err)
		}
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	c := valid()
	c.IngressCidrs = []string{"203.0.113.0/24", "198.51.100.0/24"}
	c.Database.Enabled = false
	back, err := Decode(Encode(c))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := Encode(c), Encode(back); len(a) != len(b) {
		t.Fatalf("round trip changed keys: %v vs %v", a, b)
	} else {
		for k, v := range a {
			if b[k] != v {
				t.Errorf("%s: %q became %q", k, v, b[k])
			}
		}
	}
}

// FuzzConfig drives the decoder and validator with arbitrary values: they
// never panic, and whatever validates is safe to build.
func FuzzConfig(f *testing.F) {
	f.Add("acme", "10.16.0.0/20", "203.0.113.0/24", "0", `["apne1-az1","apne1-az2"]`, "ap-northeast-1")
	f.Add("x", "0.0.0.0/0", "0.0.0.0/0", "-1", `[]`, "us-east-1")
	f.Add("a-b-c", "192.168.0.0/24", "::/0", "3653", `["apne1-az3"]`, "ap-northeast-3")
	f.Fuzz(func(t *testing.T, id, vpc, ingress, retention, zones, region string) {
		raw := map[string]string{
			"tenantkit:tenantId": id, "tenantkit:vpcCidr": vpc, "tenantkit:ingressCidrs": `["` + strings.ReplaceAll(ingress, `"`, "") + `"]`,
			"tenantkit:logRetentionDays": retention, "tenantkit:availabilityZoneIds": zones, "tenantkit:region": region,
			"tenantkit:certificateArn": valid().CertificateArn,
		}
		c, err := Decode(raw)
		if err != nil {
			return
		}
		if c.Validate() != nil {
			return
		}
		if c.Region != RegionTokyo {
			t.Fatalf("validated region %q without disaster recovery", c.Region)
		}
		for _, in := range c.IngressCidrs {
			if strings.HasSuffix(in, "/0") {
				t.Fatalf("validated internet ingress %q without the opt-in", in)
			}
		}
		for _, z := range c.AvailabilityZoneIDs {
			if z == "apne1-az3" {
				t.Fatal("validated apne1-az3")
			}
		}
	})
}

// In three zones, eight ranges fill the public ACL's 20 inbound entries
// exactly (the deny of 22, two per range, one per zone); a raised quota
// admits more.
func TestNaclQuotaBoundary(t *testing.T) {
	c := valid()
	c.AvailabilityZoneIDs = []string{"apne1-az1", "apne1-az2", "apne1-az4"}
	c.IngressCidrs = nil
	for i := 0; i < 8; i++ {
		c.IngressCidrs = append(c.IngressCidrs, fmt.Sprintf("198.51.100.%d/28", i*16))
	}
	if n := NaclEntries(c, TierPublic); n.Inbound != 20 {
		t.Fatalf("public inbound entries = %d, want 20", n.Inbound)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("20 entries fit the default quota: %v", err)
	}
	c.IngressCidrs = append(c.IngressCidrs, "198.51.100.128/28")
	if err := c.Validate(); err == nil {
		t.Fatal("22 entries accepted under the default quota of 20")
	}
	c.NaclEntryLimit = 40
	if err := c.Validate(); err != nil {
		t.Fatalf("22 entries fit a raised quota of 40: %v", err)
	}
}

func TestParseSecretsProvider(t *testing.T) {
	for s, want := range map[string]SecretsProvider{
		"passphrase": {URL: "passphrase", Passphrase: true},
		"awskms://alias/tenantkit-state?region=ap-northeast-1": {URL: "awskms://alias/tenantkit-state?region=ap-northeast-1", KeyID: "alias/tenantkit-state", Region: "ap-northeast-1"},
		"awskms:///arn:aws:kms:ap-northeast-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab?region=ap-northeast-3": {
			URL:   "awskms:///arn:aws:kms:ap-northeast-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab?region=ap-northeast-3",
			KeyID: "arn:aws:kms:ap-northeast-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", Region: "ap-northeast-3"},
	} {
		got, err := ParseSecretsProvider(s)
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v; want %+v", s, got, err, want)
		}
	}
	for s, says := range map[string]string{
		"":                                      "awskms://alias/<name>",
		"gcpkms://projects/p/keys/k":            "awskms://alias/<name>",
		"awskms://alias/state":                  "region=ap-northeast-1",
		"awskms://alias/state?region=us-east-1": "stays in Japan",
		"awskms://alias/state?region=ap-northeast-1&endpoint=http://127.0.0.1:5000": `"endpoint"`,
		"awskms://?region=ap-northeast-1":                                           "name the KMS key",
		"awskms:///arn:aws:kms:us-east-1:123456789012:key/k?region=ap-northeast-1":  "not in ap-northeast-1",
	} {
		if _, err := ParseSecretsProvider(s); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: %v, want an error saying %s", s, err, says)
		}
	}
}
