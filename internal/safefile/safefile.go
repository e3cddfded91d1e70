// Package safefile is how tenantctl changes the files operators keep (stack
// files, evidence records): under a lock between processes, and atomically.
package safefile

import (
	"bytes"
	"errors"
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
type Lock struct {
	f *os.File
	// nested: a re-entry of a lock its holder had already (Within);
	// releasing it releases nothing.
	nested bool
}

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

// Within acquires dir's lock for the holder of l: when dir's lock file is
// l's own (the same directory under another name: a link, "./stacks/"),
// the holder has it already and gets it again at once, where a second
// flock would wait on itself forever; otherwise it waits like Acquire. A
// nil l is Acquire. The lock is re-entrant for its holder, not for the
// process: another goroutine that calls Acquire still waits.
func (l *Lock) Within(dir string) (*Lock, error) {
	if l == nil {
		return Acquire(dir)
	}
	held, err := l.f.Stat()
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(filepath.Join(dir, LockFile)); err == nil && os.SameFile(held, fi) {
		return &Lock{f: l.f, nested: true}, nil
	}
	return Acquire(dir)
}

// Release lets the next one in (a nested re-entry: nothing to release).
func (l *Lock) Release() error {
	if l.nested {
		return nil
	}
	defer l.f.Close()
	return syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
}

// ErrChanged is returned by Update when the file no longer holds what its
// writer read: someone (an editor's save, pulumi config set) wrote it in
// between. Nothing was written; the caller reads again or refuses.
var ErrChanged = errors.New("changed by someone else since it was read")

// BeforeRename, when set (by tests only), runs after the new content is on
// disk and before it is compared and renamed into place: the moment an
// editor's save would land in.
var BeforeRename func(path string)

// Write replaces path with b: a temporary file in the same directory,
// synced, renamed over path, the directory synced. A reader sees the old
// bytes or the new, never a mixture; a crash leaves one or the other. An
// existing file keeps its permissions and owner (mode is a new file's).
// Write is for files only tenantctl writes (evidence, reports); a file an
// operator also edits goes through Update.
func Write(path string, b []byte, mode os.FileMode) error {
	return write(path, b, mode, nil, false)
}

// Update is Write for a file someone else may edit: it replaces path only
// if path still holds was, its writer's last read (was nil: path must not
// exist), compared just before the rename; otherwise it returns ErrChanged
// and writes nothing. What remains is the instant between that comparison
// and the rename, which no unlocked writer can close.
func Update(path string, was, b []byte, mode os.FileMode) error {
	return write(path, b, mode, was, true)
}

func write(path string, b []byte, mode os.FileMode, was []byte, compare bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: nothing there
	if err := fill(tmp, path, b, mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if BeforeRename != nil {
		BeforeRename(path)
	}
	if compare {
		now, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			if was != nil {
				return fmt.Errorf("%s: %w (removed)", path, ErrChanged)
			}
		case err != nil:
			return err
		case was == nil || !bytes.Equal(now, was):
			return fmt.Errorf("%s: %w", path, ErrChanged)
		}
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

// fill writes the temporary file: content, then the permissions and owner
// of the file it replaces (or mode for a new one), then sync. An owner
// that cannot be kept (another user's file) stops the write.
func fill(tmp *os.File, path string, b []byte, mode os.FileMode) error {
	if _, err := tmp.Write(b); err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && !sameOwner(tmp, st) {
			if err := tmp.Chown(int(st.Uid), int(st.Gid)); err != nil {
				return fmt.Errorf("%s belongs to uid %d gid %d, which a rewrite cannot keep (%w): run as its owner", path, st.Uid, st.Gid, err)
			}
		}
	}
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	return tmp.Sync()
}

// sameOwner: the temporary file already has the owner and group of st (so
// no chown is needed, which a group the writer is not in would refuse).
func sameOwner(tmp *os.File, st *syscall.Stat_t) bool {
	fi, err := tmp.Stat()
	if err != nil {
		return false
	}
	t, ok := fi.Sys().(*syscall.Stat_t)
	return ok && t.Uid == st.Uid && t.Gid == st.Gid
}
