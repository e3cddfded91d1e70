// Package motoserver starts moto (moto_server, the AWS emulator written in
// Python by others) on a free loopback port for a test, and stops it.
package motoserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Version is the moto the suites are measured against.
const Version = "5.2.1"

// Install is what a machine without moto runs.
const Install = "python3 -m pip install 'moto[server]==" + Version + "'"

// Server is one running moto_server: one account's state.
type Server struct {
	Endpoint string
	cmd      *exec.Cmd
	log      *os.File
}

// Available says how to install moto_server when it is not on PATH.
func Available() error {
	if _, err := exec.LookPath("moto_server"); err != nil {
		return fmt.Errorf("moto_server is not on PATH: install it with %s", Install)
	}
	return nil
}

// Start runs moto_server for the test and stops it when the test ends.
// Without moto it fails the test with one line saying how to install it:
// the suites that need it never skip silently.
func Start(t testing.TB) *Server {
	t.Helper()
	if err := Available(); err != nil {
		t.Fatal(err)
	}
	s, err := StartProcess(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartProcess runs moto_server with its output in dir/moto.log. AWS
// managed policies are loaded (MOTO_IAM_LOAD_MANAGED_POLICIES), as they
// exist in every AWS account.
func StartProcess(dir string) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	log, err := os.Create(dir + "/moto.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true")
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start moto_server: %w", err)
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, log: log}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(s.Endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case <-ctx.Done():
			s.Stop()
			b, _ := os.ReadFile(dir + "/moto.log")
			return nil, fmt.Errorf("moto_server did not answer on %s within 60 s: %s", s.Endpoint, strings.TrimSpace(string(b)))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Reset empties the account (moto's own reset endpoint).
func (s *Server) Reset() error {
	resp, err := http.Post(s.Endpoint+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// Stop ends the server.
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
	s.log.Close()
}

// Env is the environment that points the AWS SDKs (and the Pulumi aws
// test plugin) at the server, with moto's test credentials.
func (s *Server) Env() []string {
	return []string{"AWS_ENDPOINT_URL=" + s.Endpoint, "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_REGION=ap-northeast-1", "AWS_DEFAULT_REGION=ap-northeast-1", "TENANTKIT_AWS_ENDPOINT=" + s.Endpoint}
}

// Log is what the server wrote so far (its tracebacks name what moto
// failed on when it answers 500).
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log.Name())
	return string(b)
}
