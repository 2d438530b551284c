package kernels

import "math"

// FMA32 returns a*b+c computed with a single rounding to float32
// (round to nearest, ties to even), exactly as the FMA instructions of
// AVX2 (VFMADD231PS), AVX-512 and NEON (FMLA) do.
//
// float32(math.FMA(float64(a), float64(b), float64(c))) is not a correct
// float32 FMA: it rounds twice. FMA32 avoids that:
//
//  1. p = a*b is exact in float64 (24+24 significant bits < 53).
//  2. s = p+c rounded to float64: the exact sum lies within half a
//     float64 ulp of s. Unless s is exactly a midpoint between two float32
//     values, no midpoint lies strictly between s and the exact sum, so
//     rounding s to float32 gives the correctly rounded result. This is
//     the fast path: every result in the float32 normal range (and zero,
//     infinities and NaN) that is not a midpoint.
//  3. Otherwise the rounding error of s is recovered exactly (TwoSum) and s
//     is replaced by its round-to-odd value; rounding a round-to-odd result
//     with at least two extra bits of precision to float32 is correct
//     (Boldo and Melquiond, "When double rounding is odd", 2005).
//
// The proof test in fma_test.go checks FMA32 against math/big.
func FMA32(a, b, c float32) float32 {
	p := float64(float64(a) * float64(b)) // exact; the conversion forbids fusion
	s := float64(p + float64(c))
	bits := math.Float64bits(s)
	if !fastOK(bits) {
		bits = roundToOdd(p, float64(c), s)
	}
	return float32(math.Float64frombits(bits))
}

// fastOK reports whether the float64 sum with these bits rounds to the
// correct float32 directly: bits 0..28 of a float64 significand are what
// rounding to float32 drops, and 1<<28 there marks a midpoint; below the
// float32 normal range (exponent field < 1023-126) float32 keeps fewer
// bits, so that range (but for zero, which is exact) takes the slow path.
func fastOK(bits uint64) bool {
	return bits&(1<<29-1) != 1<<28 && (bits<<1 >= (1023-126)<<53 || bits<<1 == 0)
}

// roundToOdd returns the bits of p+c rounded to odd, given s = p+c rounded
// to nearest: s if that is exact, else the one of s and its neighbour toward
// p+c whose last significand bit is 1.
func roundToOdd(p, c, s float64) uint64 {
	bits := math.Float64bits(s)
	if s == 0 || s-s != 0 { // exact zero, or Inf/NaN: s is already right
		return bits
	}
	// TwoSum (Knuth): s + e == p + c exactly, for any finite p, c without
	// overflow (|p| <= 2^256 here, far from the float64 limit).
	bv := float64(s - p)
	av := float64(s - bv)
	e := float64(float64(p-av) + float64(c-bv))
	if e != 0 && bits&1 == 0 {
		if (e > 0) == (s > 0) {
			bits++ // away from zero
		} else {
			bits-- // toward zero
		}
	}
	return bits
}
