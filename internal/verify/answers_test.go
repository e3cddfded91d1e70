package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tenantkit/tenantkit/components/storage"
	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/internal/policydoc"
)

// A stack that keeps deployerPrincipalArns at its default exempts the role
// that ran the deploy, which discovery cannot name: the log buckets' denies
// may then exempt one exact role of the account beside the log admins, and
// nothing wider.
func TestLogBucketsWithTheCallerAsDeployer(t *testing.T) {
	cfg, w, inv := acme(t)
	// What discovery knows of a stack without deployerPrincipalArns.
	inv.Deployers, inv.DeployerFromCaller = nil, true
	if r := runOne(t, w, cfg, inv, "WP-39/log-buckets"); r.Status != catalog.Pass {
		t.Fatalf("the caller's role exempted: %s %+v, want PASS", r.Status, r.Observations)
	}
	// Before: discovery expected no deployer at all and failed a correct tenant.
	inv.DeployerFromCaller = false
	if r := runOne(t, w, cfg, inv, "WP-39/log-buckets"); r.Status != catalog.Fail {
		t.Errorf("no deployer expected: %s, want FAIL", r.Status)
	}
	admin := inv.Roles["logAdmin"]
	arn := expect.BucketArn(inv.Buckets.ServiceLogs)
	for name, exempt := range map[string][]string{
		"two callers":      {admin, deployer, "arn:aws:iam::111122223333:role/other"},
		"a pattern":        {admin, "arn:aws:iam::111122223333:role/*"},
		"another account":  {admin, "arn:aws:iam::444455556666:role/ops/deployer"},
		"a tenant's role":  {admin, "arn:aws:iam::111122223333:role/tenants/globex/tk-globex-app"},
		"the account root": {admin, "arn:aws:iam::111122223333:root"},
	} {
		cfg, w, inv := acme(t)
		inv.Deployers, inv.DeployerFromCaller = nil, true
		b := w.buckets[inv.Buckets.ServiceLogs]
		doc, err := policydoc.Parse(b.policy)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range doc.Statement {
			if s.Effect == "Deny" && s.HasAction("s3:DeleteObject") && len(s.ConditionValues("ArnNotLike", "aws:PrincipalArn")) > 0 {
				doc.Statement[i] = storage.DenyDeletesExcept(arn, exempt...)
			}
		}
		b.policy = doc.JSON()
		if r := runOne(t, w, cfg, inv, "WP-39/log-buckets"); r.Status != catalog.Fail {
			t.Errorf("%s exempted: %s %+v, want FAIL", name, r.Status, r.Observations)
		}
	}
}

// A rotation status without its period proves nothing about the period:
// ERROR, not a FAIL that reads "rotation every 0 days".
func TestRotationWithoutPeriodIsError(t *testing.T) {
	cfg, w, inv := acme(t)
	w.noRotationPeriod = true
	if r := runOne(t, w, cfg, inv, "WP-21.1/key-rotation"); r.Status != catalog.Error {
		t.Errorf("no period in the answer: %s %+v, want ERROR", r.Status, r.Observations)
	}
}

// A fleet's shared read that failed for one tenant (its deadline ran out)
// is read again for the next, not handed on as that tenant's ERROR; a
// target's own memo keeps the failure, so its checks do not ask again.
func TestSharedMemoForgetsErrors(t *testing.T) {
	shared := &Memo{ForgetErrors: true}
	calls := 0
	fetch := func(fail bool) func() (string, error) {
		return func() (string, error) {
			calls++
			if fail {
				return "", errors.New("context deadline exceeded")
			}
			return "enabled", nil
		}
	}
	if _, err := remember(shared, "gd", fetch(true)); err == nil {
		t.Fatal("the failing read succeeded")
	}
	if v, err := remember(shared, "gd", fetch(false)); err != nil || v != "enabled" {
		t.Errorf("the next tenant got %q %v, want its own successful read", v, err)
	}
	if v, _ := remember(shared, "gd", fetch(true)); v != "enabled" || calls != 2 {
		t.Errorf("a success is shared: %q after %d calls", v, calls)
	}
	own := &Memo{}
	_, _ = remember(own, "gd", fetch(true))
	if _, err := remember(own, "gd", fetch(false)); err == nil || calls != 3 {
		t.Errorf("a target's memo asked again after a failure (%d calls, %v)", calls, err)
	}
}

// A redirect from the endpoint is not followed: the signed request never
// reaches the other host, and the read is an error, not an answer.
func TestRedirectsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the signed Authorization header reached %s", r.Host)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer other.Close()
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer endpoint.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	cfg, err := LoadConfigTimeout(context.Background(), "ap-northeast-1", endpoint.URL, nil, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// A GET (S3), which an HTTP client would follow.
	_, err = s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetBucketPolicy(context.Background(), &s3.GetBucketPolicyInput{Bucket: aws.String("tk-acme-personal-111122223333")})
	if err == nil {
		t.Error("a redirect answered the call")
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d requests followed the redirect", n)
	}
}

// #36 item 3: an XML answer nested deeper than any AWS answer is refused
// before the SDK decodes it (Go's decoder spends about 200 times its size
// on one nested millions deep); answers of AWS's own shape pass.
func TestDeepXMLRefused(t *testing.T) {
	if d := xmlDepth([]byte(xmlLoadBalancers("arn:lb", "subnet-1", "subnet-2"))); d == 0 || d > MaxAnswerDepth {
		t.Errorf("an AWS answer's depth %d", d)
	}
	if d := xmlDepth([]byte(`<?xml version="1.0"?><a><b/><c><d></d></c></a>`)); d != 3 {
		t.Errorf("depth %d, want 3", d)
	}
	c := clientsAnswering(t, "<DescribeVpcsResponse>"+strings.Repeat("<item>", 100000)+strings.Repeat("</item>", 100000)+"</DescribeVpcsResponse>")
	_, err := c.EC2.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err == nil || !strings.Contains(err.Error(), "nests elements") {
		t.Errorf("a 100,000-deep answer: %v", err)
	}
}

// #36 item 2: one tenant's answers are read up to a budget; past it every
// read is an error naming the budget, whatever each answer's size.
func TestTenantAnswerBudget(t *testing.T) {
	c := clientsAnswering(t, "<DescribeVpcsResponse><vpcSet>"+strings.Repeat("<item><vpcId>vpc-0123456789abcdef0</vpcId></item>", (8<<20)/52)+"</vpcSet></DescribeVpcsResponse>")
	ctx := WithCalls(context.Background(), &Calls{})
	var n int
	var err error
	for n = 1; n <= 2*MaxTenantAnswerBytes/(8<<20); n++ {
		if _, err = c.EC2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "budget") || n > MaxTenantAnswerBytes/(8<<20)+1 {
		t.Errorf("after %d answers of 8 MiB: %v", n, err)
	}
}

// #36 item 2: a check keeps MaxObservations observations; past them it is
// ERROR naming the budget, whatever it observed.
func TestObservationBudget(t *testing.T) {
	r := &Run{}
	for i := range MaxObservations + 500 {
		r.Pass(fmt.Sprintf("arn:%d", i), "ok", "ok")
	}
	obs := r.result()
	if len(obs) != MaxObservations+1 || status(obs) != catalog.Error || !strings.Contains(obs[len(obs)-1].Observed, "500 more") {
		t.Errorf("%d observations, status %s, last %+v", len(obs), status(obs), obs[len(obs)-1])
	}
}

// clientsAnswering are the real clients against an endpoint that gives
// every request the same XML answer.
func clientsAnswering(t *testing.T, answer string) *Clients {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	cfg, err := LoadConfigTimeout(context.Background(), "ap-northeast-1", srv.URL, nil, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return NewClients(cfg, srv.URL)
}
