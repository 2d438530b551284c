package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// encode returns the IDX bytes of a (uncompressed).
func encode(t testing.TB, a *Array) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func sample() *Array {
	a := &Array{Dims: []int{3, 2, 4}, Data: make([]byte, 24)}
	for i := range a.Data {
		a.Data[i] = byte(7 * i)
	}
	return a
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sameArray(t *testing.T, got, want *Array) {
	t.Helper()
	if len(got.Dims) != len(want.Dims) {
		t.Fatalf("dims %v, want %v", got.Dims, want.Dims)
	}
	for i := range got.Dims {
		if got.Dims[i] != want.Dims[i] {
			t.Fatalf("dims %v, want %v", got.Dims, want.Dims)
		}
	}
	if !bytes.Equal(got.Data, want.Data) {
		t.Fatalf("data %v, want %v", got.Data, want.Data)
	}
}

func TestReadGood(t *testing.T) {
	want := sample()
	raw := encode(t, want)
	dir := t.TempDir()
	for name, b := range map[string][]byte{"plain": raw, "gzip": gz(t, raw)} {
		t.Run(name, func(t *testing.T) {
			got, err := Read(bytes.NewReader(b), DefaultMaxBytes)
			if err != nil {
				t.Fatal(err)
			}
			sameArray(t, got, want)
			got, err = ReadFile(writeFile(t, dir, name, b))
			if err != nil {
				t.Fatal(err)
			}
			sameArray(t, got, want)
		})
	}
}

// TestReadLarge crosses the chunk size, so the buffer has to grow.
func TestReadLarge(t *testing.T) {
	want := &Array{Dims: []int{3*chunk + 5}, Data: make([]byte, 3*chunk+5)}
	for i := range want.Data {
		want.Data[i] = byte(i * 31)
	}
	got, err := Read(bytes.NewReader(gz(t, encode(t, want))), DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	sameArray(t, got, want)
}

func TestReadBad(t *testing.T) {
	raw := encode(t, sample())
	dir := t.TempDir()
	header := func(b ...byte) []byte { return b }
	huge := header(0, 0, 8, 3)
	for _, d := range []uint32{0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF} {
		huge = binary.BigEndian.AppendUint32(huge, d)
	}
	big := binary.BigEndian.AppendUint32(header(0, 0, 8, 1), 1<<31)
	badCRC := gz(t, raw)
	badCRC[len(badCRC)-6] ^= 0xFF // inside the CRC-32 of the trailer
	cases := []struct {
		name string
		in   []byte
		want string // in the error of Read and of ReadFile
	}{
		{"empty", nil, "truncated"},
		{"short header", raw[:3], "truncated"},
		{"wrong magic", append([]byte{1, 0}, raw[2:]...), "not an IDX file"},
		{"gzip wrong magic", gz(t, append([]byte{0x12, 0x34}, raw[2:]...)), "not an IDX file"},
		{"float type", append([]byte{0, 0, 0x0D}, raw[3:]...), "float32"},
		{"zero dims", header(0, 0, 8, 0), "0 dimensions"},
		{"many dims", header(0, 0, 8, 200), "200 dimensions"},
		{"truncated dims", raw[:9], "truncated"},
		{"huge dims", huge, "more than"},
		{"2 GiB", big, "more than"},
		{"truncated data", raw[:len(raw)-1], "truncated"},
		{"gzip truncated data", gz(t, raw[:len(raw)-1]), "truncated"},
		{"gzip cut", gz(t, raw)[:30], ""},
		{"trailing data", append(append([]byte{}, raw...), 9), "after"},
		{"gzip trailing data", gz(t, append(append([]byte{}, raw...), 9)), "after"},
		{"gzip checksum", badCRC, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Read(bytes.NewReader(c.in), DefaultMaxBytes)
			if err == nil {
				t.Fatalf("Read accepted it: dims %v", a.Dims)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Read error %q does not mention %q", err, c.want)
			}
			p := writeFile(t, dir, strings.ReplaceAll(c.name, " ", "_"), c.in)
			a, err = ReadFile(p)
			if err == nil {
				t.Fatalf("ReadFile accepted it: dims %v", a.Dims)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("ReadFile error %q does not name the file", err)
			}
		})
	}
}

// TestReadFileSizeChecked: a file whose header announces more data than
// the file (or the gzip trailer) holds is rejected before reading it.
func TestReadFileSizeChecked(t *testing.T) {
	raw := encode(t, sample())
	lying := append([]byte{}, raw...)
	binary.BigEndian.PutUint32(lying[4:], 1000) // 1000 images, data for 3
	dir := t.TempDir()
	for name, b := range map[string][]byte{"plain": lying, "gzip": gz(t, lying)} {
		_, err := ReadFile(writeFile(t, dir, name, b))
		if err == nil || !strings.Contains(err.Error(), "need 8016 bytes") {
			t.Errorf("%s: error %v, want the size mismatch", name, err)
		}
	}
}

func TestReadLimit(t *testing.T) {
	raw := encode(t, sample())
	if _, err := Read(bytes.NewReader(raw), 23); err == nil {
		t.Fatal("24 bytes of data accepted with a limit of 23")
	}
	if _, err := Read(bytes.NewReader(raw), 24); err != nil {
		t.Fatal(err)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "nope"))
	if !os.IsNotExist(err) {
		t.Fatalf("error %v, want not-exist", err)
	}
}

func FuzzRead(f *testing.F) {
	raw := encode(f, sample())
	f.Add(raw)
	f.Add(gz(f, raw))
	f.Add(raw[:10])
	f.Add(encode(f, &Array{Dims: []int{0, 5}, Data: nil}))
	f.Add([]byte{0, 0, 8, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2})
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := Read(bytes.NewReader(in), 1<<20)
		if err != nil {
			return
		}
		n := 1
		for _, d := range a.Dims {
			n *= d
		}
		if n != len(a.Data) {
			t.Fatalf("dims %v but %d bytes of data", a.Dims, len(a.Data))
		}
		// What was read writes back to an equivalent array.
		var b bytes.Buffer
		if err := Write(&b, a); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&b, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		sameArray(t, again, a)
	})
}
