// Package fuzz holds the go test -fuzz targets of downhill: for every
// kernel and element type, every path this CPU can run
// (dispatch.Available, through downhill.On) is compared with the
// executable specification in package kernels, bit for bit (any NaN
// matches any NaN), on inputs decoded from the fuzzer's bytes.
//
// Every target takes the same three arguments:
//
//	n      uint16  // vector length: n % (maxLen+1)
//	layout uint32  // offsets, aliasing, rows and momentum flags (layout bits below)
//	data   []byte  // the values: data[0] sets how often a special value appears
//
// The seed corpus in testdata/fuzz/FuzzXxx/ is written by corpus_test.go
// (go test ./fuzz -run TestSeedCorpus -update-corpus) and covers every
// tail length of the widest vector.
package fuzz

import (
	"fmt"
	"hash/fnv"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// maxLen is the longest vector a fuzz case builds.
const maxLen = 600

// The bits of the layout argument.
const (
	offBits    = 4  // each slice starts 0..15 elements after its front guard
	aliasBit   = 12 // x and y are the same slice (Axpy, Axpby, Dot)
	cancelBit  = 13 // some inputs are built to cancel a product (exercises fma's single rounding)
	rowsShift  = 16 // 4 bits: rows m = 0..15 of SumRows and BatchMomentumStep
	muZeroBit  = 20 // Mu = ±0: v is neither read nor written
	vNilBit    = 21 // with Mu = 0, v is nil
	freshBit   = 22
	nesterovB  = 23
	maximizeB  = 24
	noDecayBit = 25 // WeightDecay = 0
	noDampBit  = 26 // Dampening = 0
)

// guardLen elements with guard bits lie before and after every slice (the
// slice's offset adds more in front); a path must leave them unchanged.
const guardLen = 8

// input is one decoded fuzz case.
type input struct {
	n      int
	layout uint32
	data   []byte
	pos    int
	rng    uint64 // continues the byte stream once data is used up
	rate   byte   // a value code below rate gives a special value
}

func decode(n uint16, layout uint32, data []byte) *input {
	h := fnv.New64a()
	h.Write(data)
	in := &input{
		n:      int(n) % (maxLen + 1),
		layout: layout,
		data:   data,
		rng:    h.Sum64() ^ uint64(n)<<32 ^ uint64(layout),
	}
	in.rate = in.byte()
	return in
}

func (in *input) String() string {
	return fmt.Sprintf("n=%d layout=%#x rate=%d", in.n, in.layout, in.rate)
}

// byte returns the next byte of data, then of a splitmix64 stream seeded
// by the whole case, so that a short input still fills long vectors.
func (in *input) byte() byte {
	if in.pos < len(in.data) {
		in.pos++
		return in.data[in.pos-1]
	}
	return byte(in.word())
}

func (in *input) word() uint64 {
	if in.pos+8 <= len(in.data) {
		var w uint64
		for range 8 {
			w = w<<8 | uint64(in.byte())
		}
		return w
	}
	in.pos = len(in.data)
	in.rng += 0x9e3779b97f4a7c15
	z := in.rng
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (in *input) flag(bit uint) bool { return in.layout>>bit&1 == 1 }

// off returns the offset of slice k (0, 1 or 2) inside its allocation.
func (in *input) off(k int) int { return int(in.layout >> (offBits * k) & (1<<offBits - 1)) }

func (in *input) rows() int { return int(in.layout >> rowsShift & 15) }

// format describes the bits of F.
type format struct {
	mant    uint   // significand bits stored
	bias    uint64 // exponent bias
	expMask uint64 // all-ones exponent
	sign    uint   // position of the sign bit
}

func formatOf[F downhill.Float]() format {
	if is32[F]() {
		return format{23, 127, 0xff, 31}
	}
	return format{52, 1023, 0x7ff, 63}
}

func is32[F downhill.Float]() bool {
	var z F
	return unsafe.Sizeof(z) == 4
}

// bitsOf and fromBits reinterpret F, keeping NaN payloads.
func bitsOf[F downhill.Float](v F) uint64 {
	if is32[F]() {
		return uint64(*(*uint32)(unsafe.Pointer(&v)))
	}
	return *(*uint64)(unsafe.Pointer(&v))
}

func fromBits[F downhill.Float](u uint64) F {
	if is32[F]() {
		u32 := uint32(u)
		return *(*F)(unsafe.Pointer(&u32))
	}
	return *(*F)(unsafe.Pointer(&u))
}

// make builds the value with the given sign (0 or 1), biased exponent
// and significand bits (truncated to the format).
func (f format) make(sign, exp, mant uint64) uint64 {
	return sign<<f.sign | (exp&f.expMask)<<f.mant | mant&(1<<f.mant-1)
}

// value decodes one element. A code byte at or above the rate gives an
// ordinary value, |v| in [2^-8, 2^8) with a random significand (so that
// products and sums round); below it, one of the values that break
// careless kernels.
func value[F downhill.Float](in *input) F {
	f := formatOf[F]()
	c := in.byte()
	w := in.word()
	sign := w >> 63
	mant := w >> 8 // the low byte chose the exponent
	if c >= in.rate {
		return fromBits[F](f.make(sign, f.bias+uint64(w&15)-8, mant))
	}
	var u uint64
	switch c % 12 {
	case 0: // NaN, quiet, any payload
		u = f.make(sign, f.expMask, mant|1<<(f.mant-1))
	case 1: // ±Inf
		u = f.make(sign, f.expMask, 0)
	case 2: // ±0
		u = f.make(sign, 0, 0)
	case 3: // subnormal
		u = f.make(sign, 0, mant|1)
	case 4: // the smallest subnormal
		u = f.make(sign, 0, 1)
	case 5: // huge: one of the four top binades
		u = f.make(sign, f.expMask-1-w&3, mant)
	case 6: // tiny: one of the four lowest normal binades
		u = f.make(sign, 1+w&3, mant)
	case 7: // any bits at all
		u = w
	case 8: // ±1
		u = f.make(sign, f.bias, 0)
	case 9: // 1 + 2^-12 (with itself and 2^-60: the double-rounding case of fma32)
		u = f.make(sign, f.bias, 1<<(f.mant-12))
	case 10: // the largest finite value
		u = f.make(sign, f.expMask-1, ^uint64(0))
	case 11: // any exponent at all, finite
		u = f.make(sign, w&f.expMask%f.expMask, mant)
	}
	return fromBits[F](u)
}

// vec is a slice of n elements inside a larger allocation whose other
// elements are guards.
type vec[F downhill.Float] struct {
	all    []F
	lo, hi int
}

// guard is a negative quiet NaN with a recognisable payload: a stray
// write of any computed value changes its bits, and a stray read poisons
// the result.
func guard[F downhill.Float]() F {
	if is32[F]() {
		return fromBits[F](0xffd2d2d2)
	}
	return fromBits[F](0xfffa5a5a5a5a5a5a)
}

// newVec decodes n values into a guarded slice at offset off.
func newVec[F downhill.Float](in *input, n, off int) *vec[F] {
	v := &vec[F]{all: make([]F, guardLen+off+n+guardLen), lo: guardLen + off, hi: guardLen + off + n}
	for i := range v.all {
		v.all[i] = guard[F]()
	}
	for i := range v.s() {
		v.all[v.lo+i] = value[F](in)
	}
	return v
}

// s is the slice itself, its capacity cut at its end.
func (v *vec[F]) s() []F {
	if v == nil {
		return nil
	}
	return v.all[v.lo:v.hi:v.hi]
}

func (v *vec[F]) clone() *vec[F] {
	if v == nil {
		return nil
	}
	return &vec[F]{all: append([]F(nil), v.all...), lo: v.lo, hi: v.hi}
}

// sameValue reports whether a and b are the same result: equal bits, or
// both NaN.
func sameValue[F downhill.Float](a, b F) bool {
	return bitsOf(a) == bitsOf(b) || (a != a && b != b)
}

// compare checks got, computed by a path, against want, computed by
// kernels: the slice bit for bit (any NaN equals any NaN) and every
// guard unchanged. It returns "" when they agree.
func compare[F downhill.Float](got, want *vec[F]) string {
	if got == nil || want == nil {
		if got != want {
			return "one slice is nil and the other not"
		}
		return ""
	}
	g := bitsOf(guard[F]())
	for i, x := range got.all {
		if i >= got.lo && i < got.hi {
			if y := want.all[i]; !sameValue(x, y) {
				return fmt.Sprintf("element %d of %d is %v (%#x), kernels gives %v (%#x)",
					i-got.lo, got.hi-got.lo, x, bitsOf(x), y, bitsOf(y))
			}
		} else if bitsOf(x) != g {
			return fmt.Sprintf("guard element %d (slice at [%d:%d]) overwritten with %v (%#x)", i, got.lo, got.hi, x, bitsOf(x))
		}
	}
	return ""
}

// unchanged checks that an input is exactly as it was, NaN payloads
// included.
func unchanged[F downhill.Float](got, orig *vec[F]) string {
	if got == nil {
		return ""
	}
	for i, x := range got.all {
		if bitsOf(x) != bitsOf(orig.all[i]) {
			return fmt.Sprintf("input element %d (slice at [%d:%d]) changed from %#x to %#x", i, got.lo, got.hi, bitsOf(orig.all[i]), bitsOf(x))
		}
	}
	return ""
}

// paths returns the kernels of every path this CPU can run.
func paths[F downhill.Float](t *testing.T) []downhill.Kernels[F] {
	var ks []downhill.Kernels[F]
	for _, p := range dispatch.Available() {
		k, err := downhill.On[F](p)
		if err != nil {
			t.Fatalf("path %s listed as available: %v", p, err)
		}
		ks = append(ks, k)
	}
	return ks
}

// report fails the test with the path, kernel, case and slice if msg is
// not empty.
func report(t *testing.T, p downhill.Path, kernel string, in *input, slice, msg string) {
	t.Helper()
	if msg != "" {
		t.Fatalf("path %s, %s (%v): %s: %s", p, kernel, in, slice, msg)
	}
}
