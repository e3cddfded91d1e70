// Package safefile is how tenantctl changes the files operators keep (stack
// files, evidence records): under a lock between processes, and atomically.
package safefile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Lock serialises changes to a directory between processes (and goroutines:
// each Lock opens its own file description): flock(2) on a lock file in it,
// released by the kernel when the process dies, even by kill -9. Whoever
// holds it re-reads what it changes, so two onboardings never get the same
// range and no evidence entry is lost.
type Lock struct{ f *os.File }

// LockFile is the lock's file name in the directory.
const LockFile = ".tenantctl.lock"

// Acquire blocks until the lock is held.
func Acquire(dir string) (*Lock, error) {
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	sweep(dir, time.Now())
	return &Lock{f: f}, nil
}

// staleAfter: a temporary file older than this, found by the lock's
// holder, was left by a process killed mid-write (every writer of the
// directory holds the lock while its temporary file exists; the margin
// spares a writer that does not lock, such as a report).
const staleAfter = time.Minute

// sweep removes what killed writers left: Write's temporary files and the
// evidence directory's write probes.
func sweep(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, ".") || !(strings.HasSuffix(n, ".tmp") || strings.HasPrefix(n, ".probe-")) {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && now.Sub(info.ModTime()) > staleAfter {
			_ = os.Remove(filepath.Join(dir, n))
		}
	}
}

// Release lets the next one in.
func (l *Lock) Release() error {
	defer l.f.Close()
	return syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
}

// Write replaces path with b: a temporary file in the same directory,
// synced, renamed over path, the directory synced. A reader sees the old
// bytes or the new, never a mixture; a crash leaves one or the other.
func Write(path string, b []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: nothing there
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
