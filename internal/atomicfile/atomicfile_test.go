package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	for _, s := range []string{"first", "second, longer", ""} {
		if err := Write(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != s {
			t.Fatalf("read back %q, %v; want %q", got, err, s)
		}
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v; want 0644", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestWriteErrorLeavesTargetAlone(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := Write(p, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory in the way of the rename: the write must fail and the
	// directory and its contents stay as they were.
	blocked := filepath.Join(dir, "sub")
	if err := os.Mkdir(blocked, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(blocked, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(blocked, []byte("new"), 0o644); err == nil {
		t.Fatal("rename over a non-empty directory succeeded")
	}
	if err := Write(filepath.Join(dir, "no", "such", "dir", "f"), nil, 0o644); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
	got, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(got) != "keep" || len(entries) != 2 {
		t.Fatalf("after failed writes: %q, %d entries", got, len(entries))
	}
}

// TestCheckCreatable: CheckCreatable finds an unusable target before any
// work, and leaves an existing file and its directory as they were.
func TestCheckCreatable(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "keep")
	if err := os.WriteFile(existing, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{existing, filepath.Join(dir, "new")} {
		if err := CheckCreatable(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Errorf("existing file changed to %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries after the checks, want 1", len(entries))
	}
	for _, p := range []string{filepath.Join(dir, "no", "such", "f"), dir, existing + "/under-a-file", ""} {
		if err := CheckCreatable(p); err == nil {
			t.Errorf("%q: accepted", p)
		}
	}
}

// TestWriteCleansStaleTemporaries: temporaries of the same target left by
// a killed writer (".NAME.tmpDIGITS") are removed by the next Write;
// other files, and other targets' temporaries, stay.
func TestWriteCleansStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	stale := []string{".c.ckpt.tmp123", ".c.ckpt.tmp4567890"}
	keep := []string{".d.ckpt.tmp123", ".c.ckpt.tmp-notes", "c.ckpt.tmp1", ".c.ckpt.tmp"}
	for _, n := range append(stale, keep...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(filepath.Join(dir, "c.ckpt"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("stale temporary %s left", n)
		}
	}
	for _, n := range append(keep, "c.ckpt") {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
}
