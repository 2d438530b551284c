package idx

import (
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
)

func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// lyingGzip returns a small gzip file whose IDX header declares dims and
// whose trailer records the matching size, but which holds only 1 MiB of
// data: no gzip file of its size can hold what the header declares.
func lyingGzip(t *testing.T, dims ...int) []byte {
	head := []byte{0, 0, TypeUint8, byte(len(dims))}
	total := uint32(4 + 4*len(dims))
	prod := uint32(1)
	for _, d := range dims {
		head = binary.BigEndian.AppendUint32(head, uint32(d))
		prod *= uint32(d)
	}
	b := gz(t, append(head, make([]byte, 1<<20)...))
	binary.LittleEndian.PutUint32(b[len(b)-4:], total+prod)
	return b
}

// TestReadFileGzipRatio: a gzip file cannot decompress to more than about
// 1032 times its size, so a header declaring more is refused before any
// data are read.
func TestReadFileGzipRatio(t *testing.T) {
	p := writeFile(t, t.TempDir(), "huge.gz", lyingGzip(t, 4, 16384, 16384))
	var err error
	n := allocated(func() { _, err = ReadFile(p) })
	if err == nil || !strings.Contains(err.Error(), "gzip file of") || n > 1<<20 {
		t.Errorf("1 GiB declared in a %s: error %v after %d bytes allocated; want a refusal from the header, under 1 MiB", p, err, n)
	}
}

// TestLoadMNISTShape: LoadMNISTAs refuses images of another shape, or too
// many of them, from the header, before reading the data.
func TestLoadMNISTShape(t *testing.T) {
	dir := t.TempDir()
	writeMNIST(t, dir, 20, 5, false)
	for _, c := range []struct {
		want Shape
		msg  string
	}{
		{Shape{Rows: 28, Cols: 28}, "28x28"},
		{Shape{Rows: 4, Cols: 3, MaxImages: 10}, "at most 10"},
	} {
		if _, _, err := LoadMNISTAs(dir, c.want); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.want, err, c.msg)
		}
	}
	if _, _, err := LoadMNISTAs(dir, Shape{Rows: 4, Cols: 3, MaxImages: 20}); err != nil {
		t.Errorf("matching shape: %v", err)
	}
	// A valid gzip file of huge images: refused from its header alone.
	big := t.TempDir()
	writeMNIST(t, big, 20, 5, false)
	raw := encode(t, &Array{Dims: []int{2, 2048, 2048}, Data: make([]byte, 2*2048*2048)})
	writeFile(t, big, TrainImages+".gz", gz(t, raw))
	var err error
	n := allocated(func() { _, _, err = LoadMNISTAs(big, Shape{Rows: 28, Cols: 28}) })
	if err == nil || !strings.Contains(err.Error(), "2048x2048") || n > 1<<20 {
		t.Errorf("2048x2048 images: error %v after %d bytes allocated", err, n)
	}
	var e *ShapeError
	if !errors.As(err, &e) {
		t.Errorf("error %T, want a *ShapeError", err)
	}
}
