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

// MaxTenantAnswerBytes bounds what one tenant's verification reads in all
// (#36 item 2): a tenant's settings are a few MiB of answers; an endpoint
// that hands out page after page of invented resources would otherwise
// grow the run's memory with every page it is asked for.
const MaxTenantAnswerBytes = 32 << 20

func overBudget(op string, total int) error {
	return fmt.Errorf("%s: the answers for this tenant passed the budget of %d MiB (%d MiB read), far past any tenant's resources: not read", op, MaxTenantAnswerBytes>>20, total>>20)
}

// MaxAnswerDepth bounds how deeply an XML answer nests. AWS's query and
// REST-XML answers nest a dozen levels at most; Go's XML decoder spends
// about 200 times an answer's size on one nested millions deep, so such an
// answer is refused before it is decoded.
const MaxAnswerDepth = 64

// xmlDepth is the deepest element nesting of an XML document (0 for
// anything else), counted over its tags without decoding it.
func xmlDepth(b []byte) int {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '<' {
		return 0
	}
	depth, deepest := 0, 0
	for i := 0; i < len(t); i++ {
		if t[i] != '<' || i+1 >= len(t) {
			continue
		}
		switch t[i+1] {
		case '/':
			depth--
		case '?', '!':
		default:
			end := bytes.IndexByte(t[i:], '>')
			if end > 0 && t[i+end-1] == '/' {
				continue // <empty/>
			}
			depth++
			deepest = max(deepest, depth)
		}
	}
	return deepest
}

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
	calls, _ := ctx.Value(callsKey{}).(*Calls)
	// A declared length is judged before a byte is read: too large for
	// one answer, or past the tenant's budget (#36 item 2).
	if n := resp.ContentLength; n > MaxAnswerBytes {
		resp.Body.Close()
		return out, md, fmt.Errorf("%s: the answer is larger than %d MiB, which no AWS read verify makes returns: not read", op, MaxAnswerBytes>>20)
	} else if n > 0 && calls != nil {
		if total := calls.read(int(n)); total > MaxTenantAnswerBytes {
			resp.Body.Close()
			return out, md, overBudget(op, total)
		}
	}
	// What is left of the budget bounds the read too: an answer of unknown
	// length is never read past it.
	limit := int64(MaxAnswerBytes)
	if calls != nil && resp.ContentLength <= 0 {
		left := int64(MaxTenantAnswerBytes - calls.total())
		if left <= 0 {
			resp.Body.Close()
			return out, md, overBudget(op, calls.total())
		}
		limit = min(limit, left)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + 1) // one allocation, not a doubling series
	}
	_, rerr := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	b := buf.Bytes()
	resp.Body.Close()
	if rerr != nil {
		return out, md, fmt.Errorf("%s: reading the answer (%d bytes read): %w", op, len(b), rerr)
	}
	if len(b) > MaxAnswerBytes {
		return out, md, fmt.Errorf("%s: the answer is larger than %d MiB, which no AWS read verify makes returns: not read", op, MaxAnswerBytes>>20)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if resp.ContentLength <= 0 && calls != nil {
		// (read up to the budget's end and one byte: past it if longer)
		if total := calls.read(len(b)); total > MaxTenantAnswerBytes {
			return out, md, overBudget(op, total)
		}
	}
	if d := xmlDepth(b); d > MaxAnswerDepth {
		return out, md, fmt.Errorf("%s: the answer nests elements %d deep; no AWS answer nests more than %d: not read", op, d, MaxAnswerDepth)
	}
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
