package motoserver

import (
	"strings"
	"testing"
)

// Without moto the suites fail with one line that says how to install it.
func TestMissingMotoSaysHowToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := Available()
	if err == nil {
		t.Fatal("moto_server found on an empty PATH")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "pip install 'moto[server]==5.2.1'") {
		t.Errorf("%q: want one line with the install command", msg)
	}
}

// A started server answers and is stopped by the test's cleanup.
func TestStartAnswers(t *testing.T) {
	s := Start(t)
	if err := s.Reset(); err != nil {
		t.Errorf("reset: %v", err)
	}
}
