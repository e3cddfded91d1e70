package verify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/tenantkit/tenantkit/internal/catalog"
	"github.com/tenantkit/tenantkit/internal/config"
)

// The wire tests answer the checks the way AWS does: an HTTP server
// speaking each service's protocol (EC2 and the query services in XML,
// KMS, SSM, CloudTrail and the tagging API in JSON, S3 over REST), whose
// bodies follow the examples of the AWS API reference (the page is named
// beside each fixture) and the response shapes the AWS SDK for Go's own
// response snapshots record. The real SDK clients deserialize them, so a
// check meets lowercase states, second pages and policies in every legal
// form exactly as it would on an account.

// wireServer routes a request by service (from the SigV4 scope) and
// operation (X-Amz-Target, Action, or the S3 subresource).
type wireServer struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	handlers map[string]wireHandler
	calls    map[string]int
	// fallback answers every operation without a fixture (nil: none may
	// come).
	fallback wireHandler
}

// wireHandler answers one operation: the form (query protocols) or JSON
// body it got, and its status and body.
type wireHandler func(req wireRequest) (int, string)

type wireRequest struct {
	Form url.Values // query protocols and S3 query
	Body string     // JSON protocols
	Path string
}

var scope = regexp.MustCompile(`Credential=[^/]+/[0-9]+/[^/]+/([^/]+)/aws4_request`)

func newWire(t *testing.T) *wireServer {
	w := &wireServer{t: t, handlers: map[string]wireHandler{}, calls: map[string]int{}}
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *wireServer) on(svc, op string, h wireHandler) { w.handlers[svc+"."+op] = h }

// answer registers a fixed body (status 200).
func (w *wireServer) answer(svc, op, body string) {
	w.on(svc, op, func(wireRequest) (int, string) { return 200, body })
}

// pages answers page n for NextToken "page<n>" (the first without one).
func (w *wireServer) pages(svc, op, tokenField string, bodies ...string) {
	w.on(svc, op, func(r wireRequest) (int, string) {
		tok := r.Form.Get(tokenField)
		if tok == "" {
			if m := regexp.MustCompile(`"NextToken"\s*:\s*"([^"]+)"`).FindStringSubmatch(r.Body); m != nil {
				tok = m[1]
			}
		}
		for i := range bodies {
			if tok == fmt.Sprintf("page%d", i+1) {
				return 200, bodies[i]
			}
		}
		return 200, bodies[0]
	})
}

func (w *wireServer) serve(rw http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	m := scope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(rw, "unsigned", 400)
		return
	}
	svc := m[1]
	req := wireRequest{Body: string(b), Path: r.URL.Path, Form: r.URL.Query()}
	var op, ctype string
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		t := r.Header.Get("X-Amz-Target")
		op, ctype = t[strings.LastIndex(t, ".")+1:], "application/x-amz-json-1.1"
	case svc == "s3":
		op, ctype = s3Operation(r), "application/xml"
	default:
		form, _ := url.ParseQuery(string(b))
		req.Form = form
		op, ctype = form.Get("Action"), "text/xml"
	}
	w.mu.Lock()
	w.calls[svc+"."+op]++
	h, ok := w.handlers[svc+"."+op]
	if !ok && w.fallback != nil {
		h, ok = w.fallback, true
	}
	w.mu.Unlock()
	if !ok {
		w.t.Errorf("wire: no fixture for %s.%s", svc, op)
		http.Error(rw, "no fixture", 500)
		return
	}
	status, body := h(req)
	rw.Header().Set("Content-Type", ctype)
	rw.WriteHeader(status)
	io.WriteString(rw, body)
}

func s3Operation(r *http.Request) string {
	q := r.URL.Query()
	for sub, op := range map[string]string{
		"policy": "GetBucketPolicy", "encryption": "GetBucketEncryption", "versioning": "GetBucketVersioning",
		"object-lock": "GetObjectLockConfiguration", "tagging": "GetBucketTagging", "lifecycle": "GetBucketLifecycleConfiguration",
		"logging": "GetBucketLogging", "location": "GetBucketLocation", "publicAccessBlock": "GetPublicAccessBlock",
	} {
		if _, ok := q[sub]; ok {
			return op
		}
	}
	return r.Method + " " + r.URL.Path
}

// clients are the real SDK clients pointed at the server (no retries: a
// fixture answers at once).
func (w *wireServer) clients(t *testing.T, region string) *Clients {
	cfg := aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		BaseEndpoint: aws.String(w.srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	return NewClients(cfg, w.srv.URL)
}

// wireTarget is acme's expectations over the wire server.
func wireTarget(t *testing.T, w *wireServer) (*Target, *Inventory) {
	t.Helper()
	cfg, _, inv := acme(t)
	return &Target{Inv: inv, Cfg: cfg, Clients: w.clients(t, region), Baseline: config.BaselineDefaults(),
		Now: func() time.Time { return fakeNow }}, inv
}

func runWire(t *testing.T, tg *Target, id string) CheckResult {
	t.Helper()
	for _, c := range Checks() {
		if c.ID == id {
			return RunChecks(context.Background(), tg, []Check{c}, 1)[0]
		}
	}
	t.Fatalf("no check %s", id)
	return CheckResult{}
}

func wantStatus(t *testing.T, r CheckResult, want catalog.Status, mention string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %s, want %s: %+v", r.ID, r.Status, want, r.Observations)
	}
	if mention == "" {
		return
	}
	for _, o := range r.Observations {
		if o.Status == want && strings.Contains(o.Resource+" "+o.Observed, mention) {
			return
		}
	}
	t.Errorf("%s: no %s observation mentions %q: %+v", r.ID, want, mention, r.Observations)
}
