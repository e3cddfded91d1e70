package motoserver

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/tenantkit/tenantkit/internal/config"
)

// The TLS allow-list (WP-21.2, #25 item 7) against a copy of AWS's policy
// table written by others: moto's (moto/elbv2/ssl_policies.py, taken from
// the Elastic Load Balancing user guide's "Security policies for your
// Application Load Balancer"). Every allowed policy moto knows offers TLS
// 1.2/1.3 only and no cipher outside the reference policy's; every Ext
// variant moto knows offers more, which is why none is allowed.
func TestAllowedTLSPoliciesAgainstAWSsTable(t *testing.T) {
	s := Start(t)
	c := elbv2.New(elbv2.Options{Region: "ap-northeast-1", BaseEndpoint: aws.String(s.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	out, err := c.DescribeSSLPolicies(context.Background(), &elbv2.DescribeSSLPoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	ciphers := map[string][]string{}
	protocols := map[string][]string{}
	for _, p := range out.SslPolicies {
		for _, ci := range p.Ciphers {
			ciphers[aws.ToString(p.Name)] = append(ciphers[aws.ToString(p.Name)], aws.ToString(ci.Name))
		}
		protocols[aws.ToString(p.Name)] = p.SslProtocols
	}
	ref := ciphers[config.ReferenceTLSPolicy]
	if len(ref) == 0 {
		t.Fatalf("moto does not know the reference policy %s", config.ReferenceTLSPolicy)
	}
	within := func(name string) bool {
		for _, c := range ciphers[name] {
			if !slices.Contains(ref, c) {
				return false
			}
		}
		return true
	}
	known := 0
	for _, name := range config.AllowedTLSPolicies {
		if _, ok := ciphers[name]; !ok {
			continue // a policy moto's table lacks (the FIPS ones)
		}
		known++
		if !within(name) {
			t.Errorf("allowed %s offers ciphers beyond %s: %v", name, config.ReferenceTLSPolicy, ciphers[name])
		}
		for _, p := range protocols[name] {
			if p != "TLSv1.2" && p != "TLSv1.3" {
				t.Errorf("allowed %s offers %s", name, p)
			}
		}
	}
	ext := 0
	for name := range ciphers {
		if strings.Contains(name, "-Ext") && strings.HasPrefix(name, "ELBSecurityPolicy-TLS13-1-2-") {
			ext++
			if within(name) {
				t.Errorf("%s offers nothing beyond the reference: it could be allowed", name)
			}
		}
	}
	if known < 5 || ext == 0 {
		t.Errorf("moto knew %d allowed policies and %d Ext variants: the comparison proves little", known, ext)
	}
}
