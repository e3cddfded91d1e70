package config

import (
	"strings"
	"testing"
)

// The union of the ingress ranges is judged, not each string (#13 item 8):
// two halves of the internet are the internet.
func TestIngressUnionJudged(t *testing.T) {
	for _, c := range []struct {
		cidrs []string
		ok    bool
	}{
		{[]string{"0.0.0.0/1", "128.0.0.0/1"}, false},
		{[]string{"0.0.0.0/2", "64.0.0.0/2"}, false},
		{[]string{"11.0.0.0/8", "12.0.0.0/8"}, false}, // two /8s: more than a /8
		{[]string{"203.0.113.0/24", "198.51.100.0/24"}, true},
		{[]string{"11.0.0.0/8", "11.1.0.0/16"}, true}, // nested: counted once
	} {
		cfg := valid()
		cfg.IngressCidrs = c.cidrs
		err := cfg.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%v: valid=%v, want %v (%v)", c.cidrs, err == nil, c.ok, err)
		}
		if err != nil && !strings.Contains(err.Error(), "allowInternetIngress") {
			t.Errorf("%v: the error does not name the opt-in: %v", c.cidrs, err)
		}
		cfg.AllowInternetIngress = true
		if err := cfg.Validate(); err != nil {
			t.Errorf("%v with allowInternetIngress: %v", c.cidrs, err)
		}
	}
}

// IPv6 is refused, whatever its form (#36 item 5): the groups' and ACLs'
// fields are IPv4, and a mapped range is the IPv4 internet in disguise.
func TestIngressIPv6Refused(t *testing.T) {
	for _, c := range []string{"2001:db8::/32", "::ffff:0.0.0.0/96", "::ffff:203.0.113.0/120", "::/0", "::203.0.113.0/120", "2000::/3"} {
		cfg := valid()
		cfg.IngressCidrs = []string{"203.0.113.0/24", c}
		cfg.AllowInternetIngress = true // refused even so
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), "ingressCidrs") || !strings.Contains(err.Error(), c) || !strings.Contains(err.Error(), "IPv6 is not supported") {
			t.Errorf("%s: %v", c, err)
		}
	}
}

// The command words are not tenant ids (#13 item 10), nor the names of the
// fleet's own files (#36 item 6: "index" would lose its report to the
// fleet page), and no id that could leave a directory is one (item 2).
func TestTenantIDsExcludeCommandsAndPaths(t *testing.T) {
	for _, id := range []string{"due", "suspend", "delete", "all", "list", "help", "verify", "plan", "onboard", "offboard", "index",
		"x/../../evil", "../acme", "acme/", "a.b", ".", "..", "acme.lifecycle", "", "ACME", "acme\x00"} {
		if ValidateTenantID(id) == nil {
			t.Errorf("%q accepted as a tenant id", id)
		}
	}
	for _, id := range []string{"acme", "acme-corp", "a1b", strings.Repeat("a", 32)} {
		if err := ValidateTenantID(id); err != nil {
			t.Errorf("%q refused: %v", id, err)
		}
	}
}

// Every wrong-typed or unknown key is reported at once (#13 item 17).
func TestDecodeReportsEveryBadKey(t *testing.T) {
	raw := Encode(valid())
	raw[Namespace+":appPort"] = "eighty"
	raw[Namespace+":database"] = `{"enabled": "yes"}`
	raw[Namespace+":allowInternetIngress"] = "maybe"
	raw[Namespace+":tenantIdd"] = "acme"
	_, err := Decode(raw)
	if err == nil {
		t.Fatal("decoded")
	}
	for _, k := range []string{"appPort", "database", "allowInternetIngress", "tenantIdd"} {
		if !strings.Contains(err.Error(), Namespace+":"+k) {
			t.Errorf("error does not name %s:\n%v", k, err)
		}
	}
}

// The listener's certificate must be the deploying account's: the example
// stacks' placeholder is named as such, another account's as another's.
func TestCertificateUsableIn(t *testing.T) {
	cfg := &Tenant{Region: RegionTokyo, CertificateArn: "arn:aws:acm:ap-northeast-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}
	if err := cfg.CertificateUsableIn("111122223333"); err != nil {
		t.Errorf("the account's own certificate: %v", err)
	}
	for account, want := range map[string]string{"123456789012": "placeholder", "999988887777": "placeholder"} {
		if err := cfg.CertificateUsableIn(account); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "certificateArn") {
			t.Errorf("deploying to %s: %v, want the placeholder named", account, err)
		}
	}
	cfg.CertificateArn = "arn:aws:acm:ap-northeast-1:444455556666:certificate/x"
	if err := cfg.CertificateUsableIn("123456789012"); err == nil || !strings.Contains(err.Error(), "account 444455556666") {
		t.Errorf("another account's certificate: %v", err)
	}
}
