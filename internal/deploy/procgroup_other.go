//go:build !unix

package deploy

import (
	"os"
	"os/exec"
)

// ownProcessGroup: elsewhere the CLI shares tenantctl's console.
func ownProcessGroup(*exec.Cmd) {}

// interrupt: without SIGINT, a stop ends the CLI.
func interrupt(p *os.Process) error { return p.Kill() }
