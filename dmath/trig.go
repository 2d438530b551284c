package dmath

import (
	"math"
	"math/bits"
)

const pio4 = 0x1.921fb54442d18p-01 // π/4 rounded down

// reduce returns q and rh + rl with x = q'·π/2 + rh + rl, q' ≡ q mod 4,
// |rh + rl| <= π/4 (and a little), for a finite x >= π/4.
//
// Below 2^19: Cody and Waite with π/2 in three parts; x - q·pio2A is
// exact in one FMA (x and q·pio2A lie on the grid of 2^-53 and differ by
// less than 1), q·pio2B is an exact product pair. From 2^19 on: Payne and
// Hanek, x·(2/π) mod 4 from 192 bits of 2/π chosen by the exponent of x.
func reduce(x float64) (q int, rh, rl float64) {
	if x < 0x1p19 {
		fq := math.RoundToEven(float64(x * invPio2))
		r1 := math.FMA(-fq, pio2A, x)
		th, tl := twoProd(fq, pio2B)
		s, e := twoSum(r1, -th)
		rh, rl = twoSum(s, e-tl-float64(fq*pio2C))
		return int(fq) & 3, rh, rl
	}
	// x = m·2^ex, m a 53-bit integer. With the bits of 2/π of weights
	// 2^-(s+1) .. 2^-(s+192), s = ex-3, as the integer w, x·2/π mod 8 is
	// (m·w mod 2^192)·2^-189: the bits of weight above 2^-s contribute
	// multiples of 8, those below 2^-(s+192) less than 2^-136.
	b := math.Float64bits(x)
	m := b&(1<<52-1) | 1<<52
	ex := int(b>>52) - 1075
	a := ex - 3 + 64 // bit offset of weight 2^-(s+1) in twoOverPiBits
	wi, sh := a/64, uint(a%64)
	var w [3]uint64
	for i := range w {
		w[i] = twoOverPiBits[wi+i]<<sh | twoOverPiBits[wi+i+1]>>(63-sh)>>1
	}
	h2, l2 := bits.Mul64(m, w[2])
	h1, l1 := bits.Mul64(m, w[1])
	_, l0 := bits.Mul64(m, w[0])
	z0 := l2
	z1, c := bits.Add64(h2, l1, 0)
	z2, _ := bits.Add64(h1, l0, c)
	q = int(z2 >> 61)
	// The fraction: 128 bits A:B of weights 2^-1 .. 2^-128.
	fa, fb := z2<<3|z1>>61, z1<<3|z0>>61
	neg := false
	if fa>>63 != 0 { // fraction >= 1/2: round q up, fraction - 1
		q++
		neg = true
		fb = ^fb + 1
		fa = ^fa
		if fb == 0 {
			fa++
		}
	}
	shift := 0
	if fa == 0 { // cannot happen for float64 (|fraction| > 2^-62), kept safe
		fa, fb, shift = fb, 0, 64
	}
	lz := bits.LeadingZeros64(fa)
	if lz > 0 {
		fa, fb = fa<<lz|fb>>(64-lz), fb<<lz
	}
	shift += lz
	fh := float64(float64(fa>>11) * pow2(-53-shift))
	fl := float64(float64((fa&0x7ff)<<42|fb>>22) * pow2(-106-shift))
	// r = fraction·π/2 as a double-double.
	rh, e := twoProd(fh, pio2Hi)
	rl = e + (float64(fh*pio2Lo) + float64(fl*pio2Hi))
	rh, rl = fastTwoSum(rh, rl)
	if neg {
		rh, rl = -rh, -rl
	}
	return q & 3, rh, rl
}

// sinPoly returns sin(rh + rl) for |rh| <= π/4 + 2^-40, |rl| < 2^-52|rh|:
// rh + (rh³·S(rh²) + rl·(1 - rh²/2)), S the Taylor series to r^19
// (truncation < 2^-72·|rh|).
func sinPoly(rh, rl float64) float64 {
	z := float64(rh * rh)
	s := float64(z*(-1.0/f19)) + 1.0/f17
	s = float64(z*s) - 1.0/f15
	s = float64(z*s) + 1.0/f13
	s = float64(z*s) - 1.0/f11
	s = float64(z*s) + 1.0/f9
	s = float64(z*s) - 1.0/f7
	s = float64(z*s) + 1.0/f5
	s = float64(z*s) - 1.0/f3
	return rh + (float64(float64(z*rh)*s) + (rl - float64(float64(0.5*z)*rl)))
}

// cosPoly returns cos(rh + rl) for |rh| <= π/4 + 2^-40, |rl| < 2^-52|rh|:
// 1 - rh²/2 (rh²/2 exact as a pair, 1 - it by fastTwoSum) + rh⁴·C(rh²) -
// rh·rl, C the Taylor series to r^20 (truncation < 2^-68).
func cosPoly(rh, rl float64) float64 {
	hr := float64(0.5 * rh)
	hh, hl := twoProd(hr, rh)
	w := 1 - hh
	e := (1 - w) - hh
	z := float64(rh * rh)
	c := float64(z*(1.0/f20)) - 1.0/f18
	c = float64(z*c) + 1.0/f16
	c = float64(z*c) - 1.0/f14
	c = float64(z*c) + 1.0/f12
	c = float64(z*c) - 1.0/f10
	c = float64(z*c) + 1.0/f8
	c = float64(z*c) - 1.0/f6
	c = float64(z*c) + 1.0/f4
	return w + (float64(float64(z*z)*c) + (e - hl - float64(rh*rl)))
}

// Sin returns the sine of the radian argument x.
//
// Special cases are as for math.Sin:
//
//	Sin(±0) = ±0
//	Sin(±Inf) = NaN
//	Sin(NaN) = NaN
func Sin(x float64) float64 {
	ax := math.Abs(x)
	switch {
	case ax < 0x1p-26: // sin x = x(1 - x²/6 + ...) rounds to x; ±0
		return x
	case x != x || math.IsInf(x, 0):
		return math.NaN()
	}
	q, rh, rl := 0, ax, 0.0
	if ax > pio4 {
		q, rh, rl = reduce(ax)
	}
	var s float64
	switch q {
	case 0:
		s = sinPoly(rh, rl)
	case 1:
		s = cosPoly(rh, rl)
	case 2:
		s = -sinPoly(rh, rl)
	default:
		s = -cosPoly(rh, rl)
	}
	if x < 0 {
		return -s
	}
	return s
}

// Cos returns the cosine of the radian argument x.
//
// Special cases are as for math.Cos:
//
//	Cos(±Inf) = NaN
//	Cos(NaN) = NaN
func Cos(x float64) float64 {
	ax := math.Abs(x)
	switch {
	case ax < 0x1p-27: // cos x = 1 - x²/2 + ... rounds to 1
		return 1
	case x != x || math.IsInf(x, 0):
		return math.NaN()
	}
	q, rh, rl := 0, ax, 0.0
	if ax > pio4 {
		q, rh, rl = reduce(ax)
	}
	switch q {
	case 0:
		return cosPoly(rh, rl)
	case 1:
		return -sinPoly(rh, rl)
	case 2:
		return -cosPoly(rh, rl)
	}
	return sinPoly(rh, rl)
}
