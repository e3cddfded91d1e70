package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// #14 A5: the recipe's order holds: the env file appears only when the
// seed is ready (and an old one is removed first), and SIGTERM stops the
// seeder cleanly, removing it.
func TestSeederSignalsReadyAndStops(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "kumoseed")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	env := filepath.Join(dir, "kumo.env")
	os.WriteFile(env, []byte("export AWS_ENDPOINT_URL=http://stale\n"), 0o644)
	cmd := exec.Command(bin, "acme", "--stacks-dir", filepath.Join("..", "..", "stacks"), "--out", filepath.Join(dir, "inv.json"), "--env", env)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		b, err := os.ReadFile(env)
		if err == nil && !strings.Contains(string(b), "stale") && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no env file:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dir, "inv.json")); err != nil {
		t.Errorf("the env file came before the inventory: %v", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("stop: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(env); !os.IsNotExist(err) {
		t.Errorf("the env file outlived the seeder: %v", err)
	}
	if !strings.Contains(out.String(), "ready:") || !strings.Contains(out.String(), "stopped:") {
		t.Errorf("output:\n%s", out.String())
	}
}
