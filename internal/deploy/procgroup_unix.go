//go:build unix

package deploy

import (
	"os"
	"os/exec"
	"syscall"
)

// ownProcessGroup keeps a terminal's Ctrl-C (sent to the foreground
// process group) from reaching the CLI: tenantctl alone decides what it
// hears. Pulumi starts its plugins in groups of their own too
// (sdk/go/common/util/cmdutil RegisterProcessGroup).
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func interrupt(p *os.Process) error { return p.Signal(os.Interrupt) }
