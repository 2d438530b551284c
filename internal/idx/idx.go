// Package idx reads IDX files, the format of the MNIST database: a
// big-endian header made of two zero bytes, an element-type byte and the
// number of dimensions, then one uint32 per dimension, then the elements
// in row-major order. Files compressed with gzip (as GoMNIST ships them)
// are recognised by their magic bytes and decompressed on the fly.
//
// Only unsigned-byte elements (type 0x08, the type of every MNIST file)
// are supported. The header is checked before anything is allocated:
// magic bytes, element type, a non-zero number of dimensions, a total
// size that neither overflows nor exceeds the caller's limit and, for a
// file, agrees with the file's size (or, compressed, with the size
// recorded in the gzip trailer, so a file must be a single gzip member,
// and with the most a gzip file of its size can hold). Callers can check
// the dimensions themselves before anything is read (ReadFileChecked).
// Element data is read in bounded chunks, so a lying header on a stream
// cannot make the reader allocate much more than the stream holds.
package idx

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// TypeUint8 is the IDX element-type byte of unsigned bytes.
const TypeUint8 = 0x08

// DefaultMaxBytes is the largest element data ReadFile accepts: 1 GiB,
// twenty times the MNIST training images.
const DefaultMaxBytes = 1 << 30

// maxDims bounds the number of dimensions: the header byte allows 255,
// and no real data set needs more than a handful.
const maxDims = 16

// chunk is the largest allocation made ahead of the data actually read.
const chunk = 1 << 20

// maxDeflateRatio bounds what deflate can expand to: a stored length-258
// match costs at least 2 bits, so one compressed byte yields at most
// 1032 bytes (RFC 1951). A gzip file of c bytes holds at most
// maxDeflateRatio*c bytes.
const maxDeflateRatio = 1032

// Array is the content of an IDX file of unsigned bytes.
type Array struct {
	Dims []int  // the size of each dimension, outermost first
	Data []byte // the elements in row-major order; len = product of Dims
}

// Read reads one IDX array from r, which may be gzip-compressed, and
// checks that nothing follows it. maxBytes bounds the element data the
// header may announce.
func Read(r io.Reader, maxBytes int64) (*Array, error) {
	return read(r, maxBytes, -1, -1, nil)
}

// ReadFile reads the IDX file at path (gzip-compressed or not) and checks
// the size announced by its header against the file's size before
// allocating. Errors name the file.
func ReadFile(path string) (*Array, error) {
	return ReadFileChecked(path, nil)
}

// ReadFileChecked is ReadFile with check, if not nil, called with the
// dimensions announced by the header before anything else is read or
// allocated; an error from check is returned, after the file name.
func ReadFileChecked(path string, check func(dims []int) error) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := readFile(f, check)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

func readFile(f *os.File, check func([]int) error) (*Array, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("idx: not a regular file")
	}
	size, packed := st.Size(), int64(-1)
	var magic [2]byte
	if n, _ := f.ReadAt(magic[:], 0); n == 2 && isGzip(magic[:]) {
		// The gzip trailer ends with the uncompressed size modulo 2^32.
		var tail [4]byte
		if size < 18 {
			return nil, errors.New("idx: gzip file too short")
		}
		if _, err := f.ReadAt(tail[:], size-4); err != nil {
			return nil, fmt.Errorf("idx: reading gzip trailer: %w", err)
		}
		packed, size = size, -2-int64(binary.LittleEndian.Uint32(tail[:]))
	}
	return read(f, DefaultMaxBytes, size, packed, check)
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// read parses an IDX array. size >= 0 is the exact size of the
// uncompressed input; size <= -2 encodes -2-isize, the gzip trailer's
// uncompressed size modulo 2^32; -1 means unknown. packed >= 0 is the
// size of the gzip file r holds. check, if not nil, vets the dimensions.
func read(r io.Reader, maxBytes, size, packed int64, check func([]int) error) (*Array, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	if head, _ := br.Peek(2); isGzip(head) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: bad gzip header: %w", err)
		}
		defer zr.Close()
		src = zr
	} else if size <= -2 {
		size = -1
	}

	var head [4]byte
	if _, err := io.ReadFull(src, head[:]); err != nil {
		return nil, fmt.Errorf("idx: reading header: %w", eofIsTruncation(err))
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("idx: not an IDX file: magic bytes % x, want 00 00 08 <dims>", head[:])
	}
	if head[2] != TypeUint8 {
		return nil, fmt.Errorf("idx: element type 0x%02x (%s) not supported, only 0x08 (unsigned byte)", head[2], typeName(head[2]))
	}
	nd := int(head[3])
	if nd == 0 || nd > maxDims {
		return nil, fmt.Errorf("idx: %d dimensions, want 1 to %d", nd, maxDims)
	}
	raw := make([]byte, 4*nd)
	if _, err := io.ReadFull(src, raw); err != nil {
		return nil, fmt.Errorf("idx: reading %d dimensions: %w", nd, eofIsTruncation(err))
	}
	dims := make([]int, nd)
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(raw[4*i:]))
	}
	if check != nil {
		if err := check(dims); err != nil {
			return nil, err
		}
	}
	total := int64(1)
	for _, d := range dims {
		d := int64(d)
		if d != 0 && total > maxBytes/d {
			return nil, fmt.Errorf("idx: dimensions %v hold more than %d bytes", dimsOf(raw), maxBytes)
		}
		total *= d
	}
	headerLen := int64(4 + 4*nd)
	switch {
	case size >= 0 && headerLen+total != size:
		return nil, fmt.Errorf("idx: dimensions %v need %d bytes but the file has %d (truncated or corrupt)", dims, headerLen+total, size)
	case size <= -2 && uint32(headerLen+total) != uint32(-2-size):
		return nil, fmt.Errorf("idx: dimensions %v need %d bytes but the gzip trailer records %d (truncated or corrupt)", dims, headerLen+total, uint32(-2-size))
	case size <= -2 && packed >= 0 && headerLen+total > maxDeflateRatio*packed:
		return nil, fmt.Errorf("idx: dimensions %v need %d bytes but a gzip file of %d bytes holds at most %d (corrupt)", dims, headerLen+total, packed, maxDeflateRatio*packed)
	}

	data, err := readN(src, total)
	if err != nil {
		return nil, fmt.Errorf("idx: reading %d bytes of data for dimensions %v: %w", total, dims, err)
	}
	// Nothing may follow the data; reaching EOF also makes the gzip
	// reader verify its checksum.
	var extra [1]byte
	switch n, err := io.ReadFull(src, extra[:]); {
	case n > 0:
		return nil, fmt.Errorf("idx: unexpected data after the %d bytes announced by dimensions %v", total, dims)
	case err != io.EOF:
		return nil, fmt.Errorf("idx: after the data: %w", err)
	}
	return &Array{Dims: dims, Data: data}, nil
}

// readN reads exactly n bytes, growing its buffer at most chunk bytes
// (or doubling) ahead of what has arrived.
func readN(r io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, 0, min(n, chunk))
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			next := min(n, max(int64(cap(buf))*2, chunk))
			grown := make([]byte, len(buf), next)
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil && int64(len(buf)) < n {
			if err == io.EOF {
				return nil, fmt.Errorf("truncated: got %d bytes", len(buf))
			}
			return nil, err
		}
	}
	return buf, nil
}

func eofIsTruncation(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("file truncated")
	}
	return err
}

func dimsOf(raw []byte) string {
	s := make([]string, len(raw)/4)
	for i := range s {
		s[i] = fmt.Sprint(binary.BigEndian.Uint32(raw[4*i:]))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func typeName(t byte) string {
	switch t {
	case 0x08:
		return "unsigned byte"
	case 0x09:
		return "signed byte"
	case 0x0B:
		return "int16"
	case 0x0C:
		return "int32"
	case 0x0D:
		return "float32"
	case 0x0E:
		return "float64"
	}
	return "unknown type"
}

// Write writes a as an uncompressed IDX file of unsigned bytes. It is
// used to make test data; len(a.Data) must be the product of a.Dims.
func Write(w io.Writer, a *Array) error {
	if len(a.Dims) == 0 || len(a.Dims) > maxDims {
		return fmt.Errorf("idx: %d dimensions, want 1 to %d", len(a.Dims), maxDims)
	}
	total := 1
	head := []byte{0, 0, TypeUint8, byte(len(a.Dims))}
	for _, d := range a.Dims {
		if d < 0 || uint64(d) > 0xFFFFFFFF {
			return fmt.Errorf("idx: dimension %d out of range", d)
		}
		total *= d
		head = binary.BigEndian.AppendUint32(head, uint32(d))
	}
	if total != len(a.Data) {
		return fmt.Errorf("idx: %d bytes of data for dimensions %v (want %d)", len(a.Data), a.Dims, total)
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	_, err := w.Write(a.Data)
	return err
}
