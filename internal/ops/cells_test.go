package ops_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/ops"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/testkit"
)

// addCell writes a baseline stack (a cell) beside the example's, with
// extra keys appended.
func addCell(t *testing.T, e *env, name, extra string) {
	t.Helper()
	example, err := os.ReadFile(filepath.Join(testkit.StacksDir(), "..", "baseline", "Pulumi.tokyo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	body := string(example)
	if name != "tokyo" {
		body = strings.Replace(body, `accountId: "123456789012"`, `accountId: "222233334444"`, 1)
	}
	if err := os.WriteFile(filepath.Join(e.BaselineDir, "Pulumi."+name+".yaml"), []byte(body+extra), 0o644); err != nil {
		t.Fatal(err)
	}
}

// #38 must-show: onboarding places a new tenant in the first cell of its
// region with room; the first tenant past a cell's capacity goes to the
// next cell; with no room anywhere it exits 1 naming, cell by cell, the
// capacity or quota that stops it, and writes nothing. Ranges never
// overlap across cells; a tenant never moves cells in place.
func TestOnboardPlacesInCells(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	// tokyo holds the three examples and takes one more; tokyo-b takes
	// what its VPC quota allows (5, the default VPC among them): four.
	addCell(t, e, "tokyo", "  tenantkit-baseline:capacity: 4\n")
	addCell(t, e, "tokyo-b", "  tenantkit-baseline:roleArn: arn:aws:iam::222233334444:role/tenantkit-pipeline/tenantkit-cell\n  tenantkit-baseline:addressPool: 10.64.0.0/16\n")
	want := map[string]string{"umbrella": "tokyo", "stark": "tokyo-b", "wayne": "tokyo-b", "oscorp": "tokyo-b", "cyberdyne": "tokyo-b"}
	for _, n := range []string{"umbrella", "stark", "wayne", "oscorp", "cyberdyne"} {
		if code := e.Onboard(context.Background(), onboardArgs(n, "--no-deploy")); code != cli.ExitOK {
			t.Fatalf("onboard %s: exit %d %s", n, code, e.err)
		}
		got := e.stack(t, n)
		if got.Cell != want[n] {
			t.Errorf("%s placed in cell %q, want %q", n, got.Cell, want[n])
		}
		if got.Cell == "tokyo-b" && !netip.MustParsePrefix("10.64.0.0/16").Contains(netip.MustParsePrefix(got.VpcCidr).Addr()) {
			t.Errorf("%s in tokyo-b got %s, outside the cell's addressPool 10.64.0.0/16", n, got.VpcCidr)
		}
	}
	// The fleet is full: tokyo at its capacity, tokyo-b at its VPC quota.
	e.err.Reset()
	code := e.Onboard(context.Background(), onboardArgs("tyrell", "--no-deploy"))
	msg := e.err.String()
	if code != cli.ExitFail {
		t.Fatalf("a full fleet: exit %d, want 1: %s", code, msg)
	}
	for _, s := range []string{"cell tokyo: capacity of cell tokyo (account 123456789012): 5 tenants, 4 allowed", `cell tokyo-b: quota "VPCs per Region" (vpc): 6 needed in cell tokyo-b (account 222233334444)`, "baseline/Pulumi.tokyo-b.yaml", "add a cell"} {
		if !strings.Contains(msg, s) {
			t.Errorf("a full fleet's refusal does not say %q:\n%s", s, msg)
		}
	}
	if _, err := os.Stat(stackfile.Path(e.StacksDir, "tyrell")); err == nil {
		t.Error("a refused tenant's stack file was written")
	}
	// A named cell without room is refused, naming what stops it.
	e.err.Reset()
	if code := e.Onboard(context.Background(), onboardArgs("tyrell", "--no-deploy", "--cell", "tokyo")); code != cli.ExitFail || !strings.Contains(e.err.String(), "capacity of cell tokyo") {
		t.Errorf("--cell tokyo, full: exit %d %s", code, e.err)
	}
	// A cell that does not exist is bad input naming the flag and the cells.
	e.err.Reset()
	if code := e.Onboard(context.Background(), onboardArgs("tyrell", "--no-deploy", "--cell", "osaka-x")); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "--cell") || !strings.Contains(e.err.String(), "tokyo, tokyo-b") {
		t.Errorf("--cell osaka-x: exit %d %s", code, e.err)
	}
	// No range overlaps another anywhere in the fleet.
	ranges, err := stackfile.OtherCidrs(e.StacksDir, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := stackfile.Overlaps(ranges); err != nil {
		t.Error(err)
	}
	// A tenant never moves cells in place.
	e.err.Reset()
	if code := e.Onboard(context.Background(), onboardArgs("stark", "--no-deploy", "--cell", "tokyo")); code != cli.ExitBadInput || !strings.Contains(e.err.String(), "never moves cells") {
		t.Errorf("stark to another cell: exit %d %s", code, e.err)
	}
	if got := e.stack(t, "stark").Cell; got != "tokyo-b" {
		t.Errorf("stark moved to %s", got)
	}
	// Raising tokyo-b's quota makes room there.
	addCell(t, e, "tokyo-b", "  tenantkit-baseline:roleArn: arn:aws:iam::222233334444:role/tenantkit-pipeline/tenantkit-cell\n  tenantkit-baseline:addressPool: 10.64.0.0/16\n  tenantkit-baseline:quotas:\n    VPCs per Region: 10\n")
	e.err.Reset()
	if code := e.Onboard(context.Background(), onboardArgs("tyrell", "--no-deploy")); code != cli.ExitOK || e.stack(t, "tyrell").Cell != "tokyo-b" {
		t.Errorf("with tokyo-b's quota raised: exit %d %s", code, e.err)
	}
}

// A cell's own keys are refused with the field, the value and the fix.
func TestCellKeysValidated(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	for _, tc := range []struct{ extra, want string }{
		{"  tenantkit-baseline:roleArn: arn:aws:iam::999999999999:role/x\n", "the role is in account 999999999999, the cell is account 222233334444"},
		{"  tenantkit-baseline:addressPool: 10.64.0.0/28\n", "addressPool"},
		{"  tenantkit-baseline:capacity: -1\n", "capacity"},
	} {
		addCell(t, e, "tokyo-b", tc.extra)
		e.err.Reset()
		if code := e.Onboard(context.Background(), onboardArgs("tyrell", "--dry-run")); code != cli.ExitBadInput || !strings.Contains(e.err.String(), tc.want) {
			t.Errorf("%s: exit %d %s, want 2 naming %q", strings.TrimSpace(tc.extra), code, e.err, tc.want)
		}
	}
}

// A tenant never moves cells silently: a stack file that names another
// cell than the account its stack was deployed in is refused before any
// preview, naming both accounts and the way to move (the suspension stays
// recorded, not applied); in its own cell's account, it deploys.
func TestNoSilentCellMove(t *testing.T) {
	e := newEnv(t, "2026-12-10")
	cancelled(t, e, "initech", "2026-12-09")
	e.dep.accounts = map[string]string{"initech": "222233334444"} // deployed in another cell's account
	code := e.Offboard(context.Background(), []string{"suspend", "initech", "--yes"})
	if code == cli.ExitOK || !strings.Contains(e.err.String(), "deployed in account 222233334444") || !strings.Contains(e.err.String(), "never moves cells") {
		t.Fatalf("suspend of a tenant whose file names another cell: exit %d %s", code, e.err)
	}
	if len(e.dep.calls) != 0 {
		t.Errorf("the deployer was called: %v", e.dep.calls)
	}
	e.dep.accounts["initech"] = "123456789012" // its cell's account
	e.err.Reset()
	if code := e.Offboard(context.Background(), []string{"suspend", "initech", "--yes"}); code != cli.ExitOK {
		t.Errorf("suspend in its own cell: exit %d %s", code, e.err)
	}
}

// The workflows' shards: list --format cells gives one entry per cell
// with its tenants counted; --cell keeps one cell's tenants, and its
// matrix entries name the cell.
func TestListShardsByCell(t *testing.T) {
	e := newEnv(t, "2026-11-25")
	addCell(t, e, "tokyo-b", "  tenantkit-baseline:addressPool: 10.64.0.0/16\n")
	if code := e.Onboard(context.Background(), onboardArgs("stark", "--no-deploy", "--cell", "tokyo-b")); code != cli.ExitOK {
		t.Fatalf("onboard stark: exit %d %s", code, e.err)
	}
	e.out.Reset()
	if code := e.List([]string{"--format", "cells"}); code != cli.ExitOK {
		t.Fatalf("list --format cells: exit %d %s", code, e.err)
	}
	var cells map[string][]ops.CellEntry
	if err := json.Unmarshal(e.out.Bytes(), &cells); err != nil {
		t.Fatal(err)
	}
	want := []ops.CellEntry{{Cell: "tokyo", Region: "ap-northeast-1", Account: "123456789012", Tenants: 3}, {Cell: "tokyo-b", Region: "ap-northeast-1", Account: "222233334444", Tenants: 1}}
	if !slices.Equal(cells["include"], want) {
		t.Errorf("cells %+v, want %+v", cells["include"], want)
	}
	e.out.Reset()
	if code := e.List([]string{"--format", "matrix", "--cell", "tokyo-b"}); code != cli.ExitOK {
		t.Fatalf("list --cell tokyo-b: exit %d %s", code, e.err)
	}
	var m map[string][]ops.MatrixEntry
	if err := json.Unmarshal(e.out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if len(m["include"]) != 1 || m["include"][0].Tenant != "stark" || m["include"][0].Cell != "tokyo-b" || m["include"][0].Account != "222233334444" {
		t.Errorf("tokyo-b's matrix: %+v", m["include"])
	}
}
