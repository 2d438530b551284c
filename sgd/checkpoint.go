package sgd

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"unsafe"

	"github.com/downhill-go/downhill/internal/atomicfile"
)

// Checkpoint is the state of a training run: enough to continue it with
// the same bits as if it had never stopped.
type Checkpoint[F Float] struct {
	Params   []F
	Velocity []F // nil when the optimizer keeps no velocity
	Steps    int // optimizer steps taken
	Fresh    bool
	LRScale  float64
	Sampler  SamplerState
	// The sampler's configuration, checked on Restore; Train checks
	// Examples against the problem's Len.
	Examples, Batch int
	DropLast        bool
	Seed            uint64
	// Meta is the application's own data (Config.CheckpointMeta), stored
	// verbatim, at most MaxCheckpointMeta bytes; nil when there is none
	// or the file predates it (format version 1).
	Meta []byte
}

// MaxCheckpointMeta bounds the length of Checkpoint.Meta.
const MaxCheckpointMeta = 1 << 20

// The file format, little-endian:
//
//	magic    [8]byte "dhsgdckp"
//	version  uint16 (checkpointVersion)
//	elemSize uint8  (4 float32, 8 float64)
//	flags    uint8  (1 fresh, 2 dropLast, 4 velocity present)
//	steps, lrScale bits, seed, examples, batch, epoch, pos, dim: uint64 each
//	metaLen  uint64 (version 2 on)
//	params   dim elements
//	velocity dim elements if flag 4
//	meta     metaLen bytes (version 2 on)
//	sha256   [32]byte of everything before it
//
// Version 1 files (without meta) are still read.
const (
	checkpointMagic   = "dhsgdckp"
	checkpointVersion = 2
	headerLen         = 8 + 2 + 1 + 1 + 8*8 // version 1; version 2 adds metaLen
	headerLen2        = headerLen + 8
	flagFresh         = 1
	flagDropLast      = 2
	flagVelocity      = 4
	// maxCheckpoint bounds what ReadCheckpoint accepts (16 GiB).
	maxCheckpoint = 1 << 34
)

// ErrCheckpoint is wrapped by every error about an unreadable checkpoint.
var ErrCheckpoint = errors.New("sgd: bad checkpoint")

func ckErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCheckpoint}, args...)...)
}

// NewCheckpoint captures the state of params, opt and the sampler s.
// The checkpoint shares no memory with them.
func NewCheckpoint[F Float](params []F, opt *Optimizer[F], s *Sampler) (*Checkpoint[F], error) {
	if opt == nil || s == nil || len(params) != opt.Dim() {
		return nil, fmt.Errorf("sgd: NewCheckpoint: need params of len %d, an optimizer and a sampler", optDim(opt))
	}
	return &Checkpoint[F]{
		Params:   append([]F(nil), params...),
		Velocity: append([]F(nil), opt.Velocity()...),
		Steps:    opt.Steps(),
		Fresh:    opt.fresh,
		LRScale:  opt.LRScale(),
		Sampler:  s.State(),
		Examples: s.Len(),
		Batch:    s.BatchSize(),
		DropLast: s.dropLast,
		Seed:     s.seed,
	}, nil
}

func optDim[F Float](o *Optimizer[F]) int {
	if o == nil {
		return 0
	}
	return o.Dim()
}

// Restore copies the checkpoint into params and opt and points cfg at the
// sampler position, after checking that they match: the dimension, the
// presence of a velocity, and cfg's Seed, DropLast and batch size (cfg's
// full batch, 0, matches a checkpoint whose Batch is Examples). The data
// must be the same as when the checkpoint was written: Train then refuses
// a problem whose Len() is not the checkpoint's Examples. (To start a new
// run on other data from restored parameters, train with a new Config
// rather than the one Restore filled in.)
func (c *Checkpoint[F]) Restore(params []F, opt *Optimizer[F], cfg *Config) error {
	switch {
	case opt == nil || cfg == nil:
		return fmt.Errorf("sgd: Restore: nil optimizer or config")
	case len(params) != len(c.Params) || opt.Dim() != len(c.Params):
		return fmt.Errorf("sgd: Restore: checkpoint has %d parameters; params has %d, optimizer %d", len(c.Params), len(params), opt.Dim())
	case (opt.v == nil) != (c.Velocity == nil) || (c.Velocity != nil && len(c.Velocity) != len(c.Params)):
		return fmt.Errorf("sgd: Restore: checkpoint velocity (%d values) does not match the optimizer (momentum %v)", len(c.Velocity), opt.v != nil)
	case cfg.Seed != c.Seed || cfg.DropLast != c.DropLast:
		return fmt.Errorf("sgd: Restore: checkpoint sampler has seed %d, drop-last %v; config has %d, %v", c.Seed, c.DropLast, cfg.Seed, cfg.DropLast)
	case cfg.BatchSize != c.Batch && !(cfg.BatchSize == 0 && c.Batch == c.Examples):
		return fmt.Errorf("sgd: Restore: checkpoint batch size %d != config batch size %d", c.Batch, cfg.BatchSize)
	case !finite(c.LRScale) || c.LRScale < 0 || c.Steps < 0:
		return fmt.Errorf("sgd: Restore: invalid checkpoint (steps %d, lr scale %v)", c.Steps, c.LRScale)
	}
	copy(params, c.Params)
	copy(opt.v, c.Velocity)
	opt.steps, opt.fresh, opt.scale = c.Steps, c.Fresh, c.LRScale
	cfg.Start = c.Sampler
	cfg.startExamples = c.Examples
	return nil
}

// WriteCheckpoint writes c in the checkpoint format.
func WriteCheckpoint[F Float](w io.Writer, c *Checkpoint[F]) error {
	b, err := encodeCheckpoint(c)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func encodeCheckpoint[F Float](c *Checkpoint[F]) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("sgd: nil checkpoint")
	}
	if c.Velocity != nil && len(c.Velocity) != len(c.Params) {
		return nil, fmt.Errorf("sgd: checkpoint velocity has %d values for %d parameters", len(c.Velocity), len(c.Params))
	}
	if c.Steps < 0 || c.Examples < 0 || c.Batch < 0 || c.Sampler.Epoch < 0 || c.Sampler.Pos < 0 {
		return nil, fmt.Errorf("sgd: checkpoint has negative counts")
	}
	if len(c.Meta) > MaxCheckpointMeta {
		return nil, fmt.Errorf("sgd: checkpoint Meta has %d bytes, more than %d", len(c.Meta), MaxCheckpointMeta)
	}
	var z F
	size := int(unsafe.Sizeof(z))
	var flags uint8
	if c.Fresh {
		flags |= flagFresh
	}
	if c.DropLast {
		flags |= flagDropLast
	}
	if c.Velocity != nil {
		flags |= flagVelocity
	}
	b := make([]byte, 0, headerLen2+2*len(c.Params)*size+len(c.Meta)+sha256.Size)
	b = append(b, checkpointMagic...)
	b = binary.LittleEndian.AppendUint16(b, checkpointVersion)
	b = append(b, uint8(size), flags)
	for _, u := range []uint64{uint64(c.Steps), math.Float64bits(c.LRScale), c.Seed, uint64(c.Examples),
		uint64(c.Batch), uint64(c.Sampler.Epoch), uint64(c.Sampler.Pos), uint64(len(c.Params)), uint64(len(c.Meta))} {
		b = binary.LittleEndian.AppendUint64(b, u)
	}
	b = appendFloats(b, c.Params)
	if c.Velocity != nil {
		b = appendFloats(b, c.Velocity)
	}
	b = append(b, c.Meta...)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...), nil
}

func appendFloats[F Float](b []byte, x []F) []byte {
	for _, v := range x {
		if unsafe.Sizeof(v) == 4 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		} else {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(v)))
		}
	}
	return b
}

// ReadCheckpoint reads a checkpoint written by WriteCheckpoint. A
// truncated, corrupted, foreign or wrong-type file gives an error wrapping
// ErrCheckpoint that says which.
//
// The header is read and checked first. When the size of the input is
// known (a regular *os.File, or a reader with a Len method such as
// *bytes.Reader) it must be exactly the size the header implies before
// anything else is read; otherwise memory grows with the data that
// actually arrive, never beyond the size the header implies, and one byte
// more is read to make sure the input ends there.
func ReadCheckpoint[F Float](r io.Reader) (*Checkpoint[F], error) {
	head := make([]byte, headerLen)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("sgd: reading checkpoint: %w", err)
	}
	head = head[:n]
	if n == headerLen && binary.LittleEndian.Uint16(head[8:]) >= 2 {
		head = append(head, make([]byte, headerLen2-headerLen)...)
		m, err := io.ReadFull(r, head[headerLen:])
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("sgd: reading checkpoint: %w", err)
		}
		head = head[:headerLen+m]
	}
	total, err := checkHeader(head)
	if err != nil {
		return nil, err
	}
	hl := int64(len(head))
	if rest, ok := remaining(r); ok && rest != total-hl {
		if rest < total-hl {
			return nil, ckErr("truncated: %d bytes, the header implies %d", hl+rest, total)
		}
		return nil, ckErr("%d unexpected bytes after the data (the header implies %d bytes)", hl+rest-total, total)
	}
	b, err := readUpTo(r, head, total)
	if err != nil {
		return nil, err
	}
	var extra [1]byte
	if m, _ := io.ReadFull(r, extra[:]); m > 0 {
		return nil, ckErr("unexpected bytes after the %d bytes the header implies", total)
	}
	return decodeCheckpoint[F](b)
}

// checkHeader checks the header (or the part of it the input holds) and
// returns the size of the whole checkpoint it implies.
func checkHeader(b []byte) (int64, error) {
	m := min(len(b), len(checkpointMagic))
	if !bytes.Equal(b[:m], []byte(checkpointMagic)[:m]) {
		return 0, ckErr("not a downhill sgd checkpoint (bad magic)")
	}
	if len(b) < headerLen {
		return 0, ckErr("truncated: %d bytes, the header alone needs %d", len(b), headerLen+sha256.Size)
	}
	v := binary.LittleEndian.Uint16(b[8:])
	if v < 1 || v > checkpointVersion {
		return 0, ckErr("unsupported version %d (this reader knows versions 1 to %d)", v, checkpointVersion)
	}
	var meta uint64
	if v >= 2 {
		if len(b) < headerLen2 {
			return 0, ckErr("truncated: %d bytes, the header alone needs %d", len(b), headerLen2+sha256.Size)
		}
		if meta = binary.LittleEndian.Uint64(b[headerLen:]); meta > MaxCheckpointMeta {
			return 0, ckErr("the header declares %d bytes of meta data, more than %d", meta, MaxCheckpointMeta)
		}
	}
	size, flags := uint64(b[10]), b[11]
	if size != 4 && size != 8 {
		return 0, ckErr("invalid element size %d", size)
	}
	vecs := uint64(1)
	if flags&flagVelocity != 0 {
		vecs = 2
	}
	dim := binary.LittleEndian.Uint64(b[12+7*8:])
	if dim > maxCheckpoint/(vecs*size) {
		return 0, ckErr("the header declares %d parameters, more than a checkpoint may hold (%d bytes)", dim, int64(maxCheckpoint))
	}
	return int64(uint64(len(b)) + dim*vecs*size + meta + sha256.Size), nil
}

// remaining returns the number of bytes left in r when it can tell
// without reading: a regular file, or a reader with a Len method.
func remaining(r io.Reader) (int64, bool) {
	switch r := r.(type) {
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return 0, false
		}
		at, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return st.Size() - at, true
	case interface{ Len() int }:
		return int64(r.Len()), true
	}
	return 0, false
}

// readUpTo appends to head what r holds, up to total bytes in all,
// allocating at most readChunk bytes (or the size so far) ahead of the
// data that arrived.
func readUpTo(r io.Reader, head []byte, total int64) ([]byte, error) {
	const readChunk = 1 << 20
	b := append(make([]byte, 0, min(total, int64(len(head))+readChunk)), head...)
	for int64(len(b)) < total {
		if len(b) == cap(b) {
			grown := make([]byte, len(b), min(total, int64(cap(b))+max(int64(cap(b)), readChunk)))
			copy(grown, b)
			b = grown
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return nil, ckErr("truncated: %d bytes, the header implies %d", len(b), total)
		}
		if err != nil {
			return nil, fmt.Errorf("sgd: reading checkpoint: %w", err)
		}
	}
	return b, nil
}

func decodeCheckpoint[F Float](b []byte) (*Checkpoint[F], error) {
	m := min(len(b), len(checkpointMagic))
	if !bytes.Equal(b[:m], []byte(checkpointMagic)[:m]) {
		return nil, ckErr("not a downhill sgd checkpoint (bad magic)")
	}
	if len(b) < headerLen+sha256.Size {
		return nil, ckErr("truncated: %d bytes, the header alone needs %d", len(b), headerLen+sha256.Size)
	}
	le := binary.LittleEndian
	v := le.Uint16(b[8:])
	if v < 1 || v > checkpointVersion {
		return nil, ckErr("unsupported version %d (this reader knows versions 1 to %d)", v, checkpointVersion)
	}
	hl, meta := headerLen, uint64(0)
	if v >= 2 {
		if len(b) < headerLen2+sha256.Size {
			return nil, ckErr("truncated: %d bytes, the header alone needs %d", len(b), headerLen2+sha256.Size)
		}
		hl, meta = headerLen2, le.Uint64(b[headerLen:])
	}
	size, flags := int(b[10]), b[11]
	var z F
	want := int(unsafe.Sizeof(z))
	if size != 4 && size != 8 {
		return nil, ckErr("invalid element size %d", size)
	}
	if flags&^(flagFresh|flagDropLast|flagVelocity) != 0 {
		return nil, ckErr("unknown flags %#x", flags)
	}
	var u [8]uint64
	for i := range u {
		u[i] = le.Uint64(b[12+8*i:])
	}
	dim := u[7]
	vecs := uint64(1)
	if flags&flagVelocity != 0 {
		vecs = 2
	}
	body := uint64(len(b) - hl - sha256.Size)
	if meta > body || dim > body || dim*vecs*uint64(size) > body-meta {
		return nil, ckErr("truncated: %d bytes of data cannot hold %d parameters and %d bytes of meta data", body, dim, meta)
	}
	if extra := body - meta - dim*vecs*uint64(size); extra != 0 {
		return nil, ckErr("%d unexpected bytes after the data", extra)
	}
	n := len(b) - sha256.Size
	if sum := sha256.Sum256(b[:n]); !bytes.Equal(sum[:], b[n:]) {
		return nil, ckErr("checksum mismatch: the file is corrupted")
	}
	if size != want {
		return nil, ckErr("file holds float%d values, want float%d", 8*size, 8*want)
	}
	for i, x := range u[:7] {
		if i != 1 && i != 2 && x > 1<<53 { // far beyond any real count
			return nil, ckErr("count %d out of range", x)
		}
	}
	c := &Checkpoint[F]{
		Steps: int(u[0]), LRScale: math.Float64frombits(u[1]), Seed: u[2],
		Examples: int(u[3]), Batch: int(u[4]),
		Sampler: SamplerState{Epoch: int(u[5]), Pos: int(u[6])},
		Fresh:   flags&flagFresh != 0, DropLast: flags&flagDropLast != 0,
	}
	if !finite(c.LRScale) || c.LRScale < 0 {
		return nil, ckErr("invalid learning-rate scale %v", c.LRScale)
	}
	if c.Batch < 1 || c.Batch > c.Examples {
		return nil, ckErr("batch size %d outside [1, %d examples]", c.Batch, c.Examples)
	}
	per := (c.Examples + c.Batch - 1) / c.Batch
	if c.DropLast {
		per = c.Examples / c.Batch
	}
	if c.Sampler.Pos >= per {
		return nil, ckErr("sampler position %d beyond %d batches per epoch", c.Sampler.Pos, per)
	}
	data := b[hl:n]
	c.Params = readFloats[F](data, int(dim))
	if vecs == 2 {
		c.Velocity = readFloats[F](data[int(dim)*size:], int(dim))
	}
	if meta > 0 {
		c.Meta = bytes.Clone(data[len(data)-int(meta):])
	}
	return c, nil
}

func readFloats[F Float](b []byte, n int) []F {
	x := make([]F, n)
	for i := range x {
		if unsafe.Sizeof(x[0]) == 4 {
			x[i] = F(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		} else {
			x[i] = F(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	}
	return x
}

// SaveCheckpoint writes c to path atomically: to a temporary file in the
// same directory, synced, then renamed over path (and the directory
// synced). On any error path is left as it was.
func SaveCheckpoint[F Float](path string, c *Checkpoint[F]) (err error) {
	b, err := encodeCheckpoint(c)
	if err != nil {
		return err
	}
	if err = atomicfile.Write(path, b, 0o644); err != nil {
		return fmt.Errorf("sgd: saving checkpoint %s: %w", path, err)
	}
	return nil
}

// LoadCheckpoint reads the checkpoint at path.
func LoadCheckpoint[F Float](path string) (*Checkpoint[F], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sgd: loading checkpoint: %w", err)
	}
	defer f.Close()
	c, err := ReadCheckpoint[F](f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
