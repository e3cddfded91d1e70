package engine

import (
	"testing"

	"github.com/tenantkit/tenantkit/tests/motoserver"
)

func TestScratchMoto(t *testing.T) {
	s := motoserver.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	a := NewAccount("123456789012")
	a.Endpoint = s.Endpoint
	b := baselineStack(t, a)
	if r := b.Up(); r.Err != nil {
		t.Fatalf("baseline up: %v", r.Err)
	}
	ts := tenantStack(t, a, "acme")
	if r := ts.Up(); r.Err != nil {
		t.Fatalf("acme up: %v", r.Err)
	}
}
