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

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	ts "github.com/downhill-go/downhill/internal/testsupport"
)

// maxLen is the longest vector a fuzz case builds.
const maxLen = 600

// The bits of the layout argument.
const (
	offBits    = 4  // each slice starts 0..15 elements after its front guard
	aliasBit   = 12 // some slice arguments are the same slice (aliasing below)
	cancelBit  = 13 // some inputs are built to cancel a product (exercises fma's single rounding)
	aliasShift = 14 // 2 bits: which slices of a three-slice kernel are the same (aliasings)
	rowsShift  = 16 // 4 bits: rows m = 0..15 of SumRows and BatchMomentumStep
	muZeroBit  = 20 // Mu = ±0: v is neither read nor written
	vNilBit    = 21 // with Mu = 0, v is nil
	freshBit   = 22
	nesterovB  = 23
	maximizeB  = 24
	noDecayBit = 25 // WeightDecay = 0
	noDampBit  = 26 // Dampening = 0
)

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

// aliasings are the ways of making slices of a three-slice kernel
// (MomentumStep's p, g, v; BatchMomentumStep's p, v, rows) the same
// slice: slot i uses buffer pattern[i]. A two-slice kernel (Axpy, Axpby,
// Dot, SumRows) has one way, both slices the same.
var aliasings = [4][3]int{{0, 0, 1}, {0, 1, 0}, {0, 1, 1}, {0, 0, 0}}

// aliasing returns the pattern of a three-slice kernel chosen by the
// layout: {0, 1, 2} (no aliasing) unless the alias bit is set.
func (in *input) aliasing() [3]int {
	if !in.flag(aliasBit) {
		return [3]int{0, 1, 2}
	}
	return aliasings[in.layout>>aliasShift&3]
}

// format describes the bits of F.
type format struct {
	mant    uint   // significand bits stored
	bias    uint64 // exponent bias
	expMask uint64 // all-ones exponent
	sign    uint   // position of the sign bit
}

func formatOf[F downhill.Float]() format {
	if ts.Is32[F]() {
		return format{23, 127, 0xff, 31}
	}
	return format{52, 1023, 0x7ff, 63}
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
		return ts.FromBits[F](f.make(sign, f.bias+uint64(w&15)-8, mant))
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
	return ts.FromBits[F](u)
}

// newVec decodes n values into a guarded slice off elements past a
// 64-byte boundary (testsupport.Buffer: guards before and after it).
func newVec[F downhill.Float](in *input, n, off int) *ts.Buffer[F] {
	v := ts.NewGuarded[F](n, off)
	s := v.S()
	for i := range s {
		s[i] = value[F](in)
	}
	return v
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
