package verify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenantkit/tenantkit/internal/testkit"
)

// BenchmarkHostileEndpoint measures what a broken or hostile endpoint costs
// a verify run (#22 items 9 and 13): wall time, the requests it took and the
// process's peak resident memory during the run (VmHWM, reset before each
// run). Run one mode per process so no run inherits another's heap:
//
//	scripts/measure.sh hostile
//
// or go test ./internal/verify -run '^$' -bench 'HostileEndpoint/<mode>' -benchtime 1x
func BenchmarkHostileEndpoint(b *testing.B) {
	inv, invFile := benchInventory(b)
	for _, m := range []struct {
		name    string
		tenants int
		answer  func(w http.ResponseWriter, r *http.Request, action string, n int64)
	}{
		{"answer-512MiB", 1, hugeAnswer},
		{"endless-tokens", 1, endlessTokens},
		{"endless-tokens-fleet-of-8", 8, endlessTokens},
		{"silent", 1, func(w http.ResponseWriter, r *http.Request, _ string, _ int64) { <-r.Context().Done() }},
	} {
		b.Run(m.name, func(b *testing.B) {
			var requests atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				form, _ := url.ParseQuery(string(body))
				action := form.Get("Action")
				n := requests.Add(1)
				if action == "GetCallerIdentity" && m.name != "silent" {
					w.Header().Set("Content-Type", "text/xml")
					io.WriteString(w, xmlCallerIdentity(inv.AccountID))
					return
				}
				m.answer(w, r, action, n)
			}))
			defer srv.Close()
			for range b.N {
				requests.Store(0)
				resetPeak(b)
				start := time.Now()
				s := NewSession(srv.URL)
				for range m.tenants {
					var errb bytes.Buffer
					s.Verify(context.Background(), Options{Tenant: "acme", Inventory: invFile, StacksDir: testkit.StacksDir(), Parallel: 4}, &errb)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/run")
				b.ReportMetric(float64(requests.Load()), "requests/run")
				b.ReportMetric(peakMiB(b), "peak-RSS-MiB")
			}
		})
	}
}

// hugeAnswer streams 512 MiB of XML without holding it.
func hugeAnswer(w http.ResponseWriter, _ *http.Request, action string, _ int64) {
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, "<"+action+"Response><vpcSet>")
	chunk := []byte(strings.Repeat("<item><vpcId>vpc-x</vpcId></item>", 1<<14))
	for sent := 0; sent < 512<<20; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// endlessTokens answers every read with a new page token in each
// protocol's place for it.
func endlessTokens(w http.ResponseWriter, r *http.Request, action string, n int64) {
	tok := "t" + strconv.FormatInt(n, 10)
	if r.Header.Get("X-Amz-Target") != "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		fmt.Fprintf(w, `{"NextToken":%q,"nextToken":%q,"PaginationToken":%q,"NextMarker":%q,"Truncated":true}`, tok, tok, tok, tok)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%[1]sResponse><%[1]sResult><NextMarker>%[2]s</NextMarker><Marker>%[2]s</Marker><NextToken>%[2]s</NextToken></%[1]sResult><nextToken>%[2]s</nextToken></%[1]sResponse>`, action, tok)
}

// resetPeak resets the process's peak resident set (Linux: clear_refs 5).
func resetPeak(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak resident set here: %v", err)
	}
}

// peakMiB is VmHWM, the peak resident set since the last reset.
func peakMiB(b *testing.B) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	b.Skip("no VmHWM in /proc/self/status")
	return 0
}

// BenchmarkHostileFleet measures a fleet run (#36 items 1, 2): 500 tenants,
// 4 at a time as verify --all runs them, against an endpoint that never
// answers and one that answers STS and nothing else, --request-timeout 2s,
// each tenant's --timeout the default 10 minutes. Wall time is bounded by
// the breaker (breaker.go), not by the tenant count:
//
//	go test ./internal/verify -run '^$' -bench 'HostileFleet' -benchtime 1x
func BenchmarkHostileFleet(b *testing.B) {
	const tenants = 500
	stacks := fleetStacks(b, tenants)
	for _, mode := range []string{"silent", "sts-only"} {
		b.Run(mode, func(b *testing.B) {
			var requests atomic.Int64
			srv := brokenEndpoint(b, mode, &requests)
			for range b.N {
				requests.Store(0)
				start := time.Now()
				var out, errb bytes.Buffer
				code := Main(context.Background(), []string{"--all", "--discover", "--endpoint", srv.URL, "--stacks-dir", stacks, "--baseline-dir", "",
					"--out-dir", b.TempDir(), "--format", "json,html", "--request-timeout", "2s", "--evidence-dir", b.TempDir(), "--progress", "off"}, &out, &errb)
				b.ReportMetric(time.Since(start).Seconds(), "s/run")
				b.ReportMetric(float64(requests.Load()), "requests/run")
				b.ReportMetric(float64(code), "exit")
				b.ReportMetric(tenants, "tenants")
			}
		})
	}
}

// BenchmarkInflatingEndpoint measures what an endpoint that invents
// resources costs one tenant's verify (#36 item 2): 4 MiB pages of distinct
// ARNs from every JSON-protocol read (the tagging API among them) with a
// new token each time, and a 14 MB XML answer nested 2 million deep to
// every XML read. Peak resident memory and the JSON report's size:
//
//	go test ./internal/verify -run '^$' -bench 'InflatingEndpoint/<mode>' -benchtime 1x
func BenchmarkInflatingEndpoint(b *testing.B) {
	inv, invFile := benchInventory(b)
	deep := []byte("<DescribeVpcsResponse>" + strings.Repeat("<a>", 1<<20) + strings.Repeat("</a>", 1<<20) + "</DescribeVpcsResponse>")
	for _, mode := range []string{"json-4MiB-pages", "xml-nested-2M"} {
		b.Run(mode, func(b *testing.B) {
			var page atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				if strings.Contains(string(body), "Action=GetCallerIdentity") {
					w.Header().Set("Content-Type", "text/xml")
					io.WriteString(w, xmlCallerIdentity(inv.AccountID))
					return
				}
				n := page.Add(1)
				if mode == "xml-nested-2M" {
					if r.Header.Get("X-Amz-Target") != "" {
						w.Header().Set("Content-Type", "application/x-amz-json-1.1")
						io.WriteString(w, "{}")
						return
					}
					w.Header().Set("Content-Type", "text/xml")
					w.Write(deep)
					return
				}
				if r.Header.Get("X-Amz-Target") == "" {
					endlessTokens(w, r, "Describe", n)
					return
				}
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				var sb strings.Builder
				fmt.Fprintf(&sb, `{"PaginationToken":"p%d","NextToken":"p%d","ResourceTagMappingList":[`, n, n)
				for i := 0; sb.Len() < 4<<20; i++ {
					if i > 0 {
						sb.WriteByte(',')
					}
					fmt.Fprintf(&sb, `{"ResourceARN":"arn:aws:ec2:ap-northeast-1:%s:instance/i-%d-%d","Tags":[{"Key":"Tenant","Value":"acme"}]}`, inv.AccountID, n, i)
				}
				sb.WriteString("]}")
				io.WriteString(w, sb.String())
			}))
			defer srv.Close()
			for range b.N {
				resetPeak(b)
				start := time.Now()
				var errb bytes.Buffer
				rep, _ := NewSession(srv.URL).Verify(context.Background(), Options{Tenant: "acme", Inventory: invFile, StacksDir: testkit.StacksDir(), Parallel: 4}, &errb)
				size := 0
				if rep != nil {
					var buf bytes.Buffer
					rep.Write(&buf, "json")
					size = buf.Len()
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/run")
				b.ReportMetric(peakMiB(b), "peak-RSS-MiB")
				b.ReportMetric(float64(size)/(1<<20), "report-MiB")
			}
		})
	}
}

// benchInventory writes acme's inventory for a benchmark and sets the
// example credentials.
func benchInventory(b *testing.B) (*Inventory, string) {
	cfg := testkit.Load(b, "acme")
	_, inv := newWorld(cfg)
	invFile := filepath.Join(b.TempDir(), "acme-inventory.json")
	j, _ := json.Marshal(map[string]any{"inventory": inv})
	if err := os.WriteFile(invFile, j, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	b.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	b.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return inv, invFile
}
