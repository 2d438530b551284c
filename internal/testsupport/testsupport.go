// Package testsupport holds what the tests of downhill share: bit-exact
// comparison (any NaN equals any NaN), value generators that favour the
// values where a careless kernel gives other bits, slices between guard
// elements that catch stray writes, and (on Linux) slices flush against
// an inaccessible page that catch stray reads.
//
// It is imported by tests only (the root package's tests and fuzz/).
package testsupport

import (
	"fmt"
	"math/rand/v2"
	"unsafe"
)

// Float is the element type of every kernel.
type Float interface{ float32 | float64 }

// Is32 reports whether F is float32.
func Is32[F Float]() bool {
	var z F
	return unsafe.Sizeof(z) == 4
}

// Size is the size of F in bytes.
func Size[F Float]() int {
	var z F
	return int(unsafe.Sizeof(z))
}

// Bits returns the bits of v, NaN payload and sign included.
func Bits[F Float](v F) uint64 {
	if Is32[F]() {
		return uint64(*(*uint32)(unsafe.Pointer(&v)))
	}
	return *(*uint64)(unsafe.Pointer(&v))
}

// FromBits returns the value with the given bits (the low 32 for float32).
func FromBits[F Float](u uint64) F {
	if Is32[F]() {
		u32 := uint32(u)
		return *(*F)(unsafe.Pointer(&u32))
	}
	return *(*F)(unsafe.Pointer(&u))
}

// SameBits reports whether a and b are the same result: equal bits
// (so +0 and -0 differ), or both NaN, whatever their payloads.
func SameBits[F Float](a, b F) bool {
	return Bits(a) == Bits(b) || (a != a && b != b)
}

// Diff compares got with want element by element with SameBits and
// returns "" or a description of the first difference.
func Diff[F Float](got, want []F) string {
	if len(got) != len(want) {
		return fmt.Sprintf("length %d, want %d", len(got), len(want))
	}
	for i := range want {
		if !SameBits(got[i], want[i]) {
			return fmt.Sprintf("element %d of %d is %v (%#x), kernels/ gives %v (%#x)",
				i, len(want), got[i], Bits(got[i]), want[i], Bits(want[i]))
		}
	}
	return ""
}

// format describes the bits of F.
type format struct {
	mant    uint   // stored significand bits
	bias    uint64 // exponent bias
	expMask uint64 // the all-ones exponent
	sign    uint   // position of the sign bit
}

func formatOf[F Float]() format {
	if Is32[F]() {
		return format{23, 127, 0xff, 31}
	}
	return format{52, 1023, 0x7ff, 63}
}

func (f format) make(sign, exp, mant uint64) uint64 {
	return sign<<f.sign | (exp&f.expMask)<<f.mant | mant&(1<<f.mant-1)
}

// Special returns one of the values that break careless kernels, chosen
// by r: NaNs of either sign with random payloads, ±Inf, ±0, subnormals
// (the smallest included), the four lowest and four highest binades, the
// largest finite value, ±1, and midpoint makers: 1+2^-e near half the
// significand width, whose products land on (or next to) a rounding
// midpoint, and 2^-(2·mant+k), which breaks the tie only when a
// multiply-add rounds once.
func Special[F Float](r *rand.Rand) F {
	f := formatOf[F]()
	w := r.Uint64()
	sign := w >> 63
	mant := w >> 8
	var u uint64
	switch r.IntN(13) {
	case 0: // quiet NaN, any payload
		u = f.make(sign, f.expMask, mant|1<<(f.mant-1))
	case 1: // signalling NaN (payload != 0, quiet bit clear)
		u = f.make(sign, f.expMask, (mant&(1<<(f.mant-1)-1))|1)
	case 2:
		u = f.make(sign, f.expMask, 0) // ±Inf
	case 3:
		u = f.make(sign, 0, 0) // ±0
	case 4:
		u = f.make(sign, 0, mant|1) // subnormal
	case 5:
		u = f.make(sign, 0, 1) // the smallest subnormal
	case 6:
		u = f.make(sign, f.expMask-1-w&3, mant) // huge
	case 7:
		u = f.make(sign, 1+w&3, mant) // tiny normal
	case 8:
		u = f.make(sign, f.expMask-1, ^uint64(0)) // the largest finite
	case 9:
		u = f.make(sign, f.bias, 0) // ±1
	case 10: // 1 + 2^-e, e around mant/2: products near midpoints
		e := f.mant/2 - 1 + uint(w&3)
		u = f.make(sign, f.bias, 1<<(f.mant-e))
	case 11: // 2^-(2·mant + k): a tie breaker below the last bit of a product
		u = f.make(sign, f.bias-uint64(2*f.mant)-w&7, 0)
	default: // any bits at all
		u = w
	}
	return FromBits[F](u)
}

// Value returns, with probability special, a Special value; otherwise an
// ordinary one of random sign and significand with its exponent in a band
// (magnitudes 2^-12 to 2^12) wide enough that sums cancel and products
// round.
func Value[F Float](r *rand.Rand, special float64) F {
	if special > 0 && r.Float64() < special {
		return Special[F](r)
	}
	f := formatOf[F]()
	w := r.Uint64()
	return FromBits[F](f.make(w>>63, f.bias-12+w%24, w>>8))
}

// Fill sets every element of x to Value(r, special).
func Fill[F Float](r *rand.Rand, x []F, special float64) {
	for i := range x {
		x[i] = Value[F](r, special)
	}
}

// Finite fills x with ordinary values only, so that a sum stays finite
// and the order of its additions shows in the bits.
func Finite[F Float](r *rand.Rand, x []F) { Fill(r, x, 0) }

// Lengths returns every length 0..max and then the extra ones.
func Lengths(max int, extra ...int) []int {
	ns := make([]int, 0, max+1+len(extra))
	for n := 0; n <= max; n++ {
		ns = append(ns, n)
	}
	return append(ns, extra...)
}

// Guard is the value of every guard element: a negative quiet NaN with a
// recognisable payload. A stray write of a computed value changes its
// bits; a stray read makes a result NaN.
func Guard[F Float]() F {
	if Is32[F]() {
		return FromBits[F](0xffd2d2d2)
	}
	return FromBits[F](0xfffa5a5a5a5a5a5a)
}

// GuardLen is the number of guard elements after a Buffer's slice (and
// the least before it).
const GuardLen = 8

// Buffer is a slice of n elements inside a larger allocation whose other
// elements are guards. The slice starts Off elements after its front
// guards, which also sets its alignment: offset k puts it k elements after
// a 64-byte boundary.
type Buffer[F Float] struct {
	All    []F
	Lo, Hi int
}

// NewBuffer returns a Buffer of n elements filled with Value(r, special),
// off elements (mod 64 bytes) past a 64-byte boundary.
func NewBuffer[F Float](r *rand.Rand, n, off int, special float64) *Buffer[F] {
	b := NewGuarded[F](n, off)
	Fill(r, b.S(), special)
	return b
}

// NewGuarded returns a Buffer of n zeros, off elements (mod 64 bytes)
// past a 64-byte boundary.
func NewGuarded[F Float](n, off int) *Buffer[F] {
	per := 64 / Size[F]()
	all := make([]F, GuardLen+2*per+n+GuardLen)
	// The first index past the front guards that is 64-byte aligned.
	base := int(uintptr(unsafe.Pointer(&all[0])) % 64 / uintptr(Size[F]()))
	lo := GuardLen + (per-(base+GuardLen)%per)%per + off%per
	g := Guard[F]()
	for i := range all {
		all[i] = g
	}
	for i := lo; i < lo+n; i++ {
		all[i] = 0
	}
	return &Buffer[F]{All: all, Lo: lo, Hi: lo + n}
}

// S is the slice itself, its capacity cut at its end; nil for a nil
// Buffer.
func (b *Buffer[F]) S() []F {
	if b == nil {
		return nil
	}
	return b.All[b.Lo:b.Hi:b.Hi]
}

// Clone returns a copy of b (guards included).
func (b *Buffer[F]) Clone() *Buffer[F] {
	if b == nil {
		return nil
	}
	return &Buffer[F]{All: append([]F(nil), b.All...), Lo: b.Lo, Hi: b.Hi}
}

// Check compares b, computed by a path, with want, computed by kernels/:
// the slice with SameBits, and every guard unchanged. It returns "" when
// they agree.
func (b *Buffer[F]) Check(want *Buffer[F]) string {
	if b == nil || want == nil {
		if b != want {
			return "one buffer is nil and the other not"
		}
		return ""
	}
	g := Bits(Guard[F]())
	for i, x := range b.All {
		if i >= b.Lo && i < b.Hi {
			if y := want.All[i]; !SameBits(x, y) {
				return fmt.Sprintf("element %d of %d is %v (%#x), kernels/ gives %v (%#x)",
					i-b.Lo, b.Hi-b.Lo, x, Bits(x), y, Bits(y))
			}
		} else if Bits(x) != g {
			return fmt.Sprintf("guard element %d (slice at [%d:%d]) overwritten with %v (%#x)", i, b.Lo, b.Hi, x, Bits(x))
		}
	}
	return ""
}

// Unchanged checks that b, an input, still holds exactly the bits of
// orig, NaN payloads included, and returns "" when it does.
func (b *Buffer[F]) Unchanged(orig *Buffer[F]) string {
	if b == nil {
		return ""
	}
	for i, x := range b.All {
		if Bits(x) != Bits(orig.All[i]) {
			return fmt.Sprintf("input element %d (slice at [%d:%d]) changed from %#x to %#x", i, b.Lo, b.Hi, Bits(orig.All[i]), Bits(x))
		}
	}
	return ""
}
