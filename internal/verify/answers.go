package verify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// MaxAnswerBytes bounds one API answer. The largest page verify asks for
// (1,000 security groups with their rules, 100 tagged resources) is a few
// megabytes; an answer above this is a broken or hostile endpoint, and
// reading it would cost the memory of the whole fleet run.
const MaxAnswerBytes = 16 << 20

// guardAnswers makes every client refuse an answer that cannot be AWS's
// before the SDK deserializes it: one larger than MaxAnswerBytes, a
// success with no body (every read verify makes answers with a document;
// only HEAD has none), or an HTML page (a proxy, a captive portal, a
// misrouted endpoint). The SDK would turn the last two into an output
// whose fields are all empty, which a check would read as "no encryption",
// "region us-east-1", "no flow log": a finding made of nothing. They are
// errors instead, so the check says ERROR.
func guardAnswers(cfg *aws.Config) {
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
		// After the protocol's deserializer: this runs first on the raw
		// answer, before the deserializer reads it.
		return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("tenantkitAnswerGuard", checkAnswer), middleware.After)
	})
}

func checkAnswer(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.Body == nil {
		return out, md, err
	}
	op := middleware.GetServiceID(ctx) + "." + middleware.GetOperationName(ctx)
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	resp.Body.Close()
	if rerr != nil {
		return out, md, fmt.Errorf("%s: reading the answer (%d bytes read): %w", op, len(b), rerr)
	}
	if len(b) > MaxAnswerBytes {
		return out, md, fmt.Errorf("%s: the answer is larger than %d MiB, which no AWS read verify makes returns: not read", op, MaxAnswerBytes>>20)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return out, md, nil // the SDK reads the error
	}
	method := ""
	if req, ok := in.Request.(*smithyhttp.Request); ok {
		method = req.Method
	}
	switch {
	case len(bytes.TrimSpace(b)) == 0 && method != http.MethodHead:
		return out, md, fmt.Errorf("%s: HTTP %d with an empty body, which AWS never answers to this read: nothing to judge", op, resp.StatusCode)
	case isHTML(b):
		return out, md, fmt.Errorf("%s: HTTP %d with an HTML page, not an AWS answer (a proxy or a wrong endpoint?): nothing to judge", op, resp.StatusCode)
	}
	return out, md, nil
}

// isHTML: the answer is an HTML page. AWS answers in XML or JSON; an XML
// deserializer would skip an HTML page's elements and find none of its
// fields. The body decides, not the Content-Type header: moto labels its
// JSON answers text/html (Flask's default), and a header proves nothing
// about what follows it.
func isHTML(b []byte) bool {
	head := strings.ToLower(string(bytes.TrimSpace(bytes.TrimPrefix(b[:min(len(b), 512)], []byte("\xef\xbb\xbf")))))
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if strings.HasPrefix(head, tag) {
			return true
		}
	}
	return false
}
