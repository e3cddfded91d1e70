package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser starts Debian's Chromium headless for a test (#24 item 5) and
// says where its artifacts go: .artifacts/browser at the repository's
// root, or TENANTKIT_ARTIFACTS. Without chromium the test skips, saying how
// to install it, unless TENANTKIT_REQUIRE_BROWSER is set (.ci/run sets it
// after installing chromium and fonts-noto-cjk), when it fails.
func Browser(t *testing.T) (alloc context.Context, artifacts string) {
	t.Helper()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("TENANTKIT_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/run does)")
		}
		t.Skip("chromium is not installed: apt-get install chromium fonts-noto-cjk (.ci/run installs them and makes this test required)")
	}
	artifacts = os.Getenv("TENANTKIT_ARTIFACTS")
	if artifacts == "" {
		_, file, _, _ := runtime.Caller(0)
		artifacts = filepath.Join(filepath.Dir(file), "..", "..", ".artifacts", "browser")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	artifacts, _ = filepath.Abs(artifacts)
	// The flags that keep Chromium off a closed network and out of a
	// sandbox a root process cannot have.
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000))
	t.Cleanup(cancel)
	return alloc, artifacts
}

// OpenPage opens a file in a new tab and collects what the page says on
// its console (errors and warnings), its uncaught exceptions and the
// browser's error log; problems returns them so far.
func OpenPage(t *testing.T, alloc context.Context, path string) (tab context.Context, problems func() []string) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelT)
	var mu sync.Mutex
	var seen []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *cdpruntime.EventConsoleAPICalled:
			if e.Type == cdpruntime.ConsoleAPICalledTypeError || e.Type == cdpruntime.ConsoleAPICalledTypeWarning {
				seen = append(seen, "console "+string(e.Type))
			}
		case *cdpruntime.EventExceptionThrown:
			seen = append(seen, "exception "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				seen = append(seen, "log: "+e.Entry.Text)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	return ctx, func() []string {
		time.Sleep(200 * time.Millisecond) // late console messages
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// Screenshot keeps the whole page as a PNG.
func Screenshot(t *testing.T, tab context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}
