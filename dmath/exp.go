package dmath

import "math"

// Taylor coefficients 1/n!.
const (
	f2  = 2
	f3  = 6
	f4  = 24
	f5  = 120
	f6  = 720
	f7  = 5040
	f8  = 40320
	f9  = 362880
	f10 = 3628800
	f11 = 39916800
	f12 = 479001600
	f13 = 6227020800
	f14 = 87178291200
	f15 = 1307674368000
	f16 = 20922789888000
	f17 = 355687428096000
	f18 = 6402373705728000
	f19 = 121645100408832000
	f20 = 2432902008176640000
)

// expCore returns k, a, b, c with e^(zh+zl) = 2^k·(a + b + c) to a
// relative error below 2^-66, where a = 2^(j/128) (rounded) is in [1, 2),
// |b| < 2^-7 and |c| < 2^-51. It needs |zh| < 2^11 and |zl| < 2^-40.
//
// Method: zh+zl = (128k + j)·ln2/128 + r with |r| <= ln2/256 (Cody and
// Waite: n·ln2NHi is exact for |n| < 2^19 and the subtraction from zh is
// exact), then e^r = 1 + r + r²/2! + ... + r^6/6! (truncation < 2^-71).
func expCore(zh, zl float64) (k int, a, b, c float64) {
	fn := math.RoundToEven(float64(zh * invLn2N))
	n := int(fn)
	r1 := zh - float64(fn*ln2NHi)
	rh, rl := twoSum(r1, zl-float64(fn*ln2NLo))
	// e^(rh+rl) - 1 = rh + t with t = rl + rh·rl + rh²·(1/2 + rh/6 + ...).
	h := float64(rh*(1.0/f6)) + 1.0/f5
	h = float64(rh*h) + 1.0/f4
	h = float64(rh*h) + 1.0/f3
	h = float64(rh*h) + 1.0/f2
	t := float64(float64(rh*rh)*h) + (rl + float64(rh*rl))
	j := n & 127
	th, tl := expTab[2*j], expTab[2*j+1]
	// 2^(j/128)·(1 + rh + t) = th + th·rh + (th·t + tl + tl·(rh + t)).
	b, e := twoProd(th, rh)
	c = float64(th*t) + (e + tl + float64(tl*(rh+t)))
	return n >> 7, th, b, c
}

// scale returns 2^k·(a + b + c) rounded once (a in [1, 2), as expCore
// returns it), including the overflow to +Inf and gradual underflow.
func scale(k int, a, b, c float64) float64 {
	y := a + (b + c)
	switch {
	case k >= -1021 && k <= 1023:
		return float64(y * pow2(k))
	case k > 1023:
		// y·2^(k-1023) is exact (k <= 1025); the last product overflows
		// to +Inf or rounds once.
		return float64(float64(y*pow2(k-1023)) * 0x1p1023)
	case k == -1022 && y >= 1:
		return float64(y * 0x1p-1022)
	}
	// Subnormal result: add 1 to 2^(k+1022)·(a + b + c) < 1 so that the
	// sum rounds on the grid of 2^-52 = 2^-1074/2^-1022, the subnormal
	// grid, once; then remove the 1 (exact) and scale (exact).
	s := pow2(max(k+1022, -1000))
	u, e := fastTwoSum(1, float64(a*s))
	v := u + (e + (float64(b*s) + float64(c*s)))
	return float64((v - 1) * 0x1p-1022)
}

// Exp returns e^x.
//
// Special cases are as for math.Exp:
//
//	Exp(+Inf) = +Inf
//	Exp(NaN) = NaN
//
// Very large values overflow to +Inf; very small values underflow to 0,
// through the subnormal numbers.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709.79: // e^709.79 > MaxFloat64·(1 + 2^-53)
		return math.Inf(1)
	case x < -745.2: // e^-745.2 < 2^-1075, half the smallest subnormal
		return 0
	}
	k, a, b, c := expCore(x, 0)
	return scale(k, a, b, c)
}

// expDD returns e^x as hi + lo, relative error below 2^-65, for
// -700 <= x <= 700.
func expDD(x float64) (hi, lo float64) {
	k, a, b, c := expCore(x, 0)
	hi, lo = fastTwoSum(a, b+c)
	s := pow2(k)
	return float64(hi * s), float64(lo * s)
}

// expm1DD returns e^x - 1 as hi + lo, relative error below 2^-60, for
// |x| <= 50.
func expm1DD(x float64) (hi, lo float64) {
	k, a, b, c := expCore(x, 0)
	s := pow2(k)
	a, b, c = float64(a*s), float64(b*s), float64(c*s)
	u, e1 := twoSum(a, -1)
	v, e2 := twoSum(u, b)
	return twoSum(v, e1+e2+c)
}

// Expm1 returns e^x - 1, accurate also when x is near 0.
//
// Special cases are as for math.Expm1:
//
//	Expm1(+Inf) = +Inf
//	Expm1(-Inf) = -1
//	Expm1(NaN) = NaN
//
// Very large values overflow to -1 or +Inf.
func Expm1(x float64) float64 {
	switch {
	case x != x:
		return x
	case math.Abs(x) < 0x1p-54: // e^x - 1 = x(1 + x/2 + ...) rounds to x
		return x
	case x > 40: // e^x - 1 = e^x(1 - e^-x), e^-x < 2^-57
		return Exp(x)
	case x < -40: // -1 + e^x, e^x < 2^-57
		return -1
	}
	hi, _ := expm1DD(x)
	return hi
}
