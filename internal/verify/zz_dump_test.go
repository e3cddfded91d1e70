package verify

import (
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	r := htmlReport(t)
	f, _ := os.Create("/tmp/ja.html")
	defer f.Close()
	if err := r.HTML(f, "ja"); err != nil {
		t.Fatal(err)
	}
	g, _ := os.Create("/tmp/acme.json")
	defer g.Close()
	r.Write(g, "json")
}
