package dmath

import "math"

// Error-free transformations. Every product is converted with float64()
// so that no compiler may fuse it with an addition.

// twoSum returns s = fl(a+b) and e with s + e = a + b exactly.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// fastTwoSum is twoSum for |a| >= |b| (or a = 0).
func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return s, e
}

// twoProd returns p = fl(a·b) and e with p + e = a·b exactly (no
// underflow).
func twoProd(a, b float64) (p, e float64) {
	p = float64(a * b)
	e = math.FMA(a, b, -p)
	return p, e
}

// divDD returns (ah+al)/(bh+bl) rounded, within 0.5 ulp plus a tiny
// fraction of an ulp.
func divDD(ah, al, bh, bl float64) float64 {
	q := ah / bh
	r := math.FMA(-q, bh, ah) + al - float64(q*bl)
	return q + r/bh
}

// pow2 returns 2^k for -1022 <= k <= 1023.
func pow2(k int) float64 { return math.Float64frombits(uint64(k+1023) << 52) }
