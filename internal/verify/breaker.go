package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// A fleet run meets a broken endpoint once (#36 item 1, 2). The breaker
// sits under every client of a session: once a host has been silent for a
// whole request timeout (no answer, or an answer that stopped arriving) or
// could not be reached at all, every later request to that host fails at
// once, as ERROR, instead of each tenant waiting out its own timeout. One
// silent endpoint then costs a fleet one request timeout, not one per
// tenant; an endpoint that answers STS and nothing else costs one per
// service host, not each tenant's --timeout.
type breaker struct {
	timeout time.Duration
	next    http.RoundTripper
	mu      sync.Mutex
	open    map[string]string // host -> why it is no longer asked
}

func newBreaker(next http.RoundTripper, timeout time.Duration) *breaker {
	return &breaker{timeout: timeout, next: next, open: map[string]string{}}
}

// errCircuitOpen is the answer for a host the run stopped asking. It is a
// timeout (the endpoint did not answer) that the SDK does not retry
// (aws/retry RetryableError: the interface it checks first).
type errCircuitOpen struct{ host, why string }

func (e errCircuitOpen) Error() string {
	return fmt.Sprintf("not asked: %s %s earlier in this run (a silent or unreachable endpoint is asked no more)", e.host, e.why)
}
func (errCircuitOpen) Timeout() bool        { return true }
func (errCircuitOpen) Temporary() bool      { return false }
func (errCircuitOpen) RetryableError() bool { return false }

func (b *breaker) trip(host, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.open[host]; !ok {
		b.open[host] = why
	}
}

// Open lists the hosts the run stopped asking, with why.
func (b *breaker) Open() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]string{}
	for h, w := range b.open {
		out[h] = w
	}
	return out
}

func (b *breaker) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	b.mu.Lock()
	why, open := b.open[host]
	b.mu.Unlock()
	if open {
		return nil, errCircuitOpen{host, why}
	}
	parent := req.Context()
	ctx, cancel := context.WithTimeout(parent, b.timeout)
	resp, err := b.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		b.judge(host, parent, ctx, err)
		cancel()
		return nil, err
	}
	resp.Body = &watchedBody{ReadCloser: resp.Body, b: b, host: host, parent: parent, ctx: ctx, cancel: cancel}
	return resp, nil
}

// judge trips the host when the request's own timeout ran out while the
// caller still waited (not when the tenant's or the fleet's deadline cut
// it short), or when the host could not be dialled.
func (b *breaker) judge(host string, parent, ctx context.Context, err error) {
	var op *net.OpError
	switch {
	case parent.Err() != nil:
		// The caller gave up: says nothing about the host.
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		b.trip(host, fmt.Sprintf("did not answer within %s", b.timeout))
	case errors.As(err, &op) && op.Op == "dial":
		b.trip(host, "could not be reached ("+op.Err.Error()+")")
	}
}

type watchedBody struct {
	io.ReadCloser
	b           *breaker
	host        string
	parent, ctx context.Context
	cancel      context.CancelFunc
}

func (w *watchedBody) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		w.b.judge(w.host, w.parent, w.ctx, err)
	}
	return n, err
}

func (w *watchedBody) Close() error {
	err := w.ReadCloser.Close()
	w.cancel()
	return err
}
