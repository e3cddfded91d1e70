package deploy

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// fakeCLI is a "pulumi" that counts the SIGINTs it receives and, after
// the first, takes finish to end (the operations in flight completing),
// as Pulumi's cancellation scope does; a second SIGINT ends it at once,
// unless stubborn, when only a kill does.
func fakeCLI(t *testing.T, finish string, stubborn bool) (pulumiCLI, string) {
	t.Helper()
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	second := `echo terminated >>"$LOG"; exit 255`
	if stubborn {
		second = `echo ignored >>"$LOG"`
	}
	script := `#!/bin/bash
LOG="` + log + `"
echo "pgid $(ps -o pgid= $$ | tr -d ' ')" >>"$LOG"
n=0; deadline=""
trap 'n=$((n+1)); echo "sigint $n" >>"$LOG"; if [ $n -eq 1 ]; then deadline=$(( $(date +%s%N) + ` + finish + ` )); else ` + second + `; fi' INT
echo started >>"$LOG"
while true; do
  sleep 0.05
  if [ -n "$deadline" ] && [ $(date +%s%N) -ge $deadline ]; then echo "finished in-flight work" >>"$LOG"; exit 255; fi
done
`
	path := filepath.Join(dir, "pulumi")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return pulumiCLI{command: path}, log
}

func waitFor(t *testing.T, log, line string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, _ := os.ReadFile(log); strings.Contains(string(b), line) {
			return
		}
	}
	b, _ := os.ReadFile(log)
	t.Fatalf("the CLI never logged %q:\n%s", line, b)
}

func run(t *testing.T, p pulumiCLI, ctx context.Context) (code int, took time.Duration) {
	t.Helper()
	start := time.Now()
	_, _, code, _ = p.Run(ctx, t.TempDir(), nil, nil, nil, nil, "up")
	return code, time.Since(start)
}

// The first stop sends one SIGINT and waits for the CLI to finish what
// it is doing, however long that takes (here 12 s, past the Automation
// API's 10-second kill): never a second signal, never a kill.
func TestFirstStopWaitsForTheCLI(t *testing.T) {
	p, log := fakeCLI(t, "12000000000", false)
	stop := make(chan struct{})
	ctx := WithStop(context.Background(), stop)
	go func() { waitFor(t, log, "started"); close(stop) }()
	code, _ := run(t, p, ctx)
	b, _ := os.ReadFile(log)
	got := string(b)
	if !strings.Contains(got, "sigint 1") || strings.Contains(got, "sigint 2") || !strings.Contains(got, "finished in-flight work") {
		t.Errorf("the CLI was not left to finish after one SIGINT:\n%s", got)
	}
	if code != 255 {
		t.Errorf("exit %d, want the CLI's own 255", code)
	}
}

// The CLI runs in a process group of its own: a terminal's Ctrl-C, sent
// to tenantctl's group, never reaches it directly (that was the second
// SIGINT that made Pulumi terminate).
func TestTheCLIHasItsOwnProcessGroup(t *testing.T) {
	p, log := fakeCLI(t, "0", false)
	stop := make(chan struct{})
	go func() { waitFor(t, log, "started"); close(stop) }()
	run(t, p, WithStop(context.Background(), stop))
	b, _ := os.ReadFile(log)
	var pgid int
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "pgid "); ok {
			pgid = atoi(v)
		}
	}
	if pgid == 0 || pgid == syscall.Getpgrp() {
		t.Errorf("the CLI's process group %d is tenantctl's (%d)", pgid, syscall.Getpgrp())
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range strings.TrimSpace(s) {
		n = n*10 + int(c-'0')
	}
	return n
}

// Cancelling the context (the operator's second signal) abandons: the
// second SIGINT, and a kill when the CLI does not end within the delay.
func TestAbandonSignalsTwiceThenKills(t *testing.T) {
	old := abandonDelay
	abandonDelay = 500 * time.Millisecond
	t.Cleanup(func() { abandonDelay = old })

	p, log := fakeCLI(t, "60000000000", true)
	stop := make(chan struct{})
	ctx, cancel := context.WithCancel(WithStop(context.Background(), stop))
	go func() {
		waitFor(t, log, "started")
		close(stop)
		waitFor(t, log, "sigint 1")
		cancel()
	}()
	code, took := run(t, p, ctx)
	b, _ := os.ReadFile(log)
	if got := string(b); !strings.Contains(got, "sigint 2") || strings.Contains(got, "finished in-flight work") {
		t.Errorf("abandon did not send the second SIGINT:\n%s", got)
	}
	if code != -1 || took > 30*time.Second {
		t.Errorf("exit %d after %s: a CLI ignoring the second SIGINT was not killed", code, took)
	}
}

// Without a stop channel, a cancelled context still ends the CLI (the
// verify command, a test's deadline): two SIGINTs, Pulumi's "terminate".
func TestCancelWithoutStopTerminates(t *testing.T) {
	p, log := fakeCLI(t, "60000000000", false)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { waitFor(t, log, "started"); cancel() }()
	code, _ := run(t, p, ctx)
	b, _ := os.ReadFile(log)
	if got := string(b); !strings.Contains(got, "terminated") || code != 255 {
		t.Errorf("exit %d:\n%s", code, got)
	}
}

func TestStopping(t *testing.T) {
	stop := make(chan struct{})
	ctx, cancel := context.WithCancel(WithStop(context.Background(), stop))
	if Stopping(ctx) {
		t.Fatal("stopping before any signal")
	}
	close(stop)
	if !Stopping(ctx) {
		t.Error("not stopping after the stop")
	}
	cancel()
	if !Stopping(ctx) || Stopping(context.Background()) {
		t.Error("a cancelled context is stopping; a plain one is not")
	}
}

// The pending operations come from the exported state as Pulumi writes
// it (apitype.DeploymentV3's pending_operations), and the recovery names
// what to delete in AWS for each pending create before they are cleared.
func TestPendingOperationsAreRead(t *testing.T) {
	const urn = "urn:pulumi:acme::tenantkit::tenantkit:network:Network$aws:ec2/vpc:Vpc::acme-net-vpc"
	const parent = "urn:pulumi:acme::tenantkit::tenantkit:network:Network::acme-net"
	const provider = "urn:pulumi:acme::tenantkit::pulumi:providers:aws::acme-aws"
	d := apitype.DeploymentV3{PendingOperations: []apitype.OperationV2{{
		Type: apitype.OperationTypeCreating,
		Resource: apitype.ResourceV3{URN: urn, Type: "aws:ec2/vpc:Vpc", Parent: parent,
			Provider: provider + "::04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
	}}}
	raw, _ := json.Marshal(d)
	if !strings.Contains(string(raw), `"pending_operations"`) {
		t.Fatalf("not Pulumi's field name: %s", raw)
	}
	got, err := pendingOf(apitype.UntypedDeployment{Version: 3, Deployment: raw})
	want := Pending{Op: "creating", Type: "aws:ec2/vpc:Vpc", URN: urn, Parent: parent, Provider: provider}
	if err != nil || len(got) != 1 || got[0] != want || got[0].Name() != "acme-net-vpc" {
		t.Fatalf("%+v %v", got, err)
	}
	i := &Interrupted{Op: "up", Stack: "acme", Abandoned: true, Pending: got}
	rec := i.Recovery()
	wantRec := []string{
		"pulumi cancel --stack acme --yes",
		"aws ec2 delete-vpc --vpc-id <ID>",
		"pulumi refresh --stack acme --yes --clear-pending-creates",
	}
	if len(rec) != len(wantRec) {
		t.Fatalf("recovery:\n%s", strings.Join(rec, "\n"))
	}
	for k := range wantRec {
		if cmd, _, _ := strings.Cut(rec[k], "   #"); cmd != wantRec[k] {
			t.Errorf("step %d:\n got %s\nwant %s", k+1, cmd, wantRec[k])
		}
	}
	if !strings.Contains(rec[1], "aws:ec2/vpc:Vpc acme-net-vpc") {
		t.Errorf("the delete does not say what it deletes: %s", rec[1])
	}
	if clean := (&Interrupted{Op: "up", Stack: "acme"}).Recovery(); len(clean) != 0 {
		t.Errorf("a graceful stop with a clean state needs no recovery: %v", clean)
	}
}

// #34 item 8: a CLI older than the import-then-update engine is refused
// before anything runs, whatever PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK
// says; the message names the version found, the minimum and the fix.
func TestOldPulumiCLIRefused(t *testing.T) {
	for _, c := range []struct {
		version string
		skip    bool
		ok      bool
	}{
		{"v3.173.0", false, false}, {"v3.173.0", true, false}, {"v3.174.0", false, true}, {"v3.274.1", false, true},
		{"not-a-version", true, false},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "pulumi"), []byte("#!/bin/sh\necho "+c.version+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
		skip := ""
		if c.skip {
			skip = "true"
		}
		t.Setenv("PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK", skip)
		_, err := newPulumiCLI()
		if c.ok != (err == nil) {
			t.Errorf("pulumi %s (skip %v): %v", c.version, c.skip, err)
		}
		if err != nil && c.version == "v3.173.0" && !strings.Contains(err.Error(), "3.174.0 or later") {
			t.Errorf("the refusal names no fix: %v", err)
		}
	}
}
