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
//  2. s = p+c rounded to float64. If s is not within one float64 ulp of a
//     float32 value or of a midpoint between two float32 values (and the
//     result is in the float32 normal range), rounding s to float32 gives
//     the same result as rounding the exact p+c: the common, fast case.
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
	// Bits 0..28 of a float64 significand are what rounding to float32
	// drops. 0 means s is a float32 value, 1<<28 a float32 midpoint.
	low := bits & (1<<29 - 1)
	if low != 0 && low != 1<<28 && bits&(0x7ff<<52) >= (1023-126)<<52 {
		return float32(s)
	}
	return fma32Slow(p, float64(c), s)
}

// fma32Slow rounds the exact value p+c to float32 given s = p+c rounded to
// float64, by rounding to odd first.
func fma32Slow(p, c, s float64) float32 {
	if s == 0 || s-s != 0 { // exact zero, or Inf/NaN: s is already right
		return float32(s)
	}
	// TwoSum (Knuth): s + e == p + c exactly, for any finite p, c without
	// overflow (|p| <= 2^256 here, far from the float64 limit).
	bv := float64(s - p)
	av := float64(s - bv)
	e := float64(float64(p-av) + float64(c-bv))
	bits := math.Float64bits(s)
	if e != 0 && bits&1 == 0 {
		// Step one ulp toward the exact value: the result is odd, and
		// lies strictly between the same float64 neighbours as p+c.
		if (e > 0) == (s > 0) {
			bits++
		} else {
			bits--
		}
	}
	return float32(math.Float64frombits(bits))
}
