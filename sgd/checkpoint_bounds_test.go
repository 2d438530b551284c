package sgd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// endless is a reader that never ends: prefix, then zeros. It counts what
// was read and refuses to go past limit bytes, so that a reader that
// trusts it cannot take the machine down.
type endless struct {
	prefix []byte
	read   int64
	limit  int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.limit {
		return 0, fmt.Errorf("endless reader: read %d bytes, past the test's limit", e.read)
	}
	p = p[:min(int64(len(p)), e.limit-e.read)]
	n := 0
	if e.read < int64(len(e.prefix)) {
		n = copy(p, e.prefix[e.read:])
	}
	clear(p[n:])
	e.read += int64(len(p))
	return len(p), nil
}

// allocated returns the bytes allocated by f and how long it took.
func allocated(f func()) (uint64, time.Duration) {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	t0 := time.Now()
	f()
	d := time.Since(t0)
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc, d
}

// TestReadCheckpointBounded: ReadCheckpoint checks the header, and the
// size it implies, before reading the rest, and never allocates more than
// the header justifies: a 4 GiB sparse file, a reader that never ends and
// /dev/zero fail at once, with little memory.
func TestReadCheckpointBounded(t *testing.T) {
	good := encode(t, sampleCheckpoint())
	dir := t.TempDir()
	zeros := filepath.Join(dir, "zeros.ckpt")
	if err := os.WriteFile(zeros, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	padded := filepath.Join(dir, "padded.ckpt")
	if err := os.WriteFile(padded, good, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{zeros, padded} {
		if err := os.Truncate(p, 4<<30); err != nil {
			t.Skipf("no sparse 4 GiB file here: %v", err)
		}
	}
	type tc struct {
		name string
		read func() error
		want string
	}
	cases := []tc{
		{"sparse 4 GiB of zeros", func() error { _, err := LoadCheckpoint[float32](zeros); return err }, "magic"},
		{"good checkpoint padded to 4 GiB", func() error { _, err := LoadCheckpoint[float32](padded); return err }, "unexpected bytes"},
		{"endless zeros", func() error {
			_, err := ReadCheckpoint[float32](&endless{limit: 64 << 20})
			return err
		}, "magic"},
		{"good checkpoint, then endless zeros", func() error {
			_, err := ReadCheckpoint[float32](&endless{prefix: good, limit: 64 << 20})
			return err
		}, "unexpected bytes"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, tc{"dev zero", func() error { _, err := LoadCheckpoint[float32]("/dev/zero"); return err }, "magic"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			bytes, d := allocated(func() { err = c.read() })
			if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrCheckpoint mentioning %q", err, c.want)
			}
			if bytes > 1<<20 || d > 2*time.Second {
				t.Errorf("allocated %d bytes in %v, want under 1 MiB and at once", bytes, d)
			}
		})
	}
}

// TestReadCheckpointHeaderFirst: a header declaring more data than the
// input holds is refused from the header and the input's size alone.
func TestReadCheckpointHeaderFirst(t *testing.T) {
	good := encode(t, sampleCheckpoint())
	huge := bytes.Clone(good)
	huge[12+7*8+3] = 1 // dim += 2^24: 128 MiB of parameters and velocity
	var err error
	n, _ := allocated(func() { _, err = ReadCheckpoint[float32](bytes.NewReader(huge)) })
	if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "truncated") || n > 1<<20 {
		t.Errorf("header declaring 2^24 more parameters than a %d-byte input: %v after %d bytes allocated", len(huge), err, n)
	}
}
