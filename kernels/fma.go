package kernels

import "math"

// FMA32 returns a*b+c computed with a single rounding to float32
// (round to nearest, ties to even), exactly as the FMA instructions of
// AVX2 (VFMADD231PS), AVX-512 and NEON (FMLA) do.
//
// float32(math.FMA(float64(a), float64(b), float64(c))) is not a correct
// float32 FMA: it rounds twice. FMA32 avoids that without a branch (the
// two ifs compile to conditional moves on amd64 and arm64) and is small
// enough to be inlined:
//
//  1. p = a*b is exact in float64 (24+24 significant bits < 53). Because
//     it is exact, a compiler fusing it into a later addition or
//     subtraction (s = p+c, bv = s-p) changes nothing.
//  2. s = p+c rounded to float64 and its rounding error e by TwoSum
//     (Knuth; six additions, exact whatever the magnitudes), so that
//     s + e == p + c exactly. No overflow: |p| <= 2^256, |c| < 2^128.
//  3. s becomes p+c rounded to odd in float64: s itself if e == 0, else
//     the float64 next to p+c toward zero with its last bit set. In bits:
//     one less if e points toward zero (e*s < 0), then the last bit set
//     if e != 0 (e*e > 0). Neither product can underflow or overflow: p,
//     c, s and e are multiples of 2^-298, so a non-zero e or s is at
//     least 2^-298 in magnitude (products >= 2^-596), and |s| < 2^257,
//     |e| <= ulp(s)/2.
//  4. Rounding a round-to-odd result with at least two more bits of
//     precision than float32 to float32 gives the correctly rounded sum
//     (Boldo and Melquiond, "When double rounding is odd", 2005): float64
//     has 29 more bits, in the subnormal float32 range more still (s is 0
//     or a normal float64).
//
// Special values: an infinite or NaN s makes e a NaN, both comparisons
// are false and s passes through as float64 arithmetic gave it. An exact
// zero has e == 0 and keeps the sign IEEE gives p+c.
//
// The proof tests in fma_test.go check FMA32 against math/big.
func FMA32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	bv := s - p
	e := (p - (s - bv)) + (float64(c) - bv)
	sb := math.Float64bits(s)
	if e*s < 0 {
		sb--
	}
	if e*e > 0 {
		sb |= 1
	}
	return float32(math.Float64frombits(sb))
}
