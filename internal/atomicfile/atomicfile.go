// Package atomicfile writes files so that a crash or an error never
// leaves a half-written file behind: the data go to a temporary file in
// the same directory, which is synced and then renamed over the target.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write writes data to path with permissions perm. On success path holds
// exactly data; on any error path is left as it was and the temporary
// file is removed. The directory is synced after the rename where the
// operating system allows it, so that the rename itself is durable.
//
// A writer killed between creating its temporary file and the rename
// leaves ".NAME.tmpDIGITS" behind; Write removes those of path's name
// after a successful rename. Only one process may write a given path at
// a time (the other's temporary file would be taken for a stale one).
func Write(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	removeStale(path)
	return nil
}

// removeStale removes the temporary files of path left by killed writers:
// in path's directory, the names "." + base + ".tmp" + digits (what
// os.CreateTemp makes of tempPattern). Best effort: errors are ignored.
func removeStale(path string) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".tmp"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		rest, ok := strings.CutPrefix(n, prefix)
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		_ = os.Remove(filepath.Join(dir, n))
	}
}

// CheckCreatable reports whether Write(path, ...) can work, before the
// caller spends time on what it will write: path must not be empty or a
// directory, and a temporary file must be creatable next to it (it is
// created and removed at once). An existing file at path is not touched.
func CheckCreatable(path string) error {
	if path == "" {
		return errors.New("empty file name")
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return err
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// tempPattern is the os.CreateTemp pattern of path's temporary files.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp*" }
