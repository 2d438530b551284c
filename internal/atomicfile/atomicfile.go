// Package atomicfile writes files so that a crash or an error never
// leaves a half-written file behind: the data go to a temporary file in
// the same directory, which is synced and then renamed over the target.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path with permissions perm. On success path holds
// exactly data; on any error path is left as it was and the temporary
// file is removed. The directory is synced after the rename where the
// operating system allows it, so that the rename itself is durable.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
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
	return nil
}
