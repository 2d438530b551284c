package kernels

import (
	"math"
	"unsafe"
)

// This file specifies the reductions of BLAS Level 1 that downhill adds
// for its gonum BLAS (package gonumblas): Asum, Nrm2 and Iamax. Like Dot,
// each has one canonical order of operations, so that every path gives
// the same bits.

// Asum returns the sum of |x[i]| in Dot's canonical order: K = Lanes32
// (float32) or Lanes64 (float64) lanes starting at +0; lane k takes, for
// blocks b = 0, 1, ... in order, acc[k] = acc[k] + |x[b*K+k]| (lanes past
// the end of x are left alone: adding |+0| would not change them); then
// for h = K/2, K/4, ..., 1: acc[k] = acc[k] + acc[k+h] for k < h. The
// result is acc[0]. A float32 sum is accumulated in float32 (as BLAS's
// Sasum), so it can overflow to +Inf; any NaN in x gives NaN.
func Asum[F Float](x []F) F {
	var acc [Lanes32]F // Lanes64 used for float64
	k := Lanes32
	if unsafe.Sizeof(acc[0]) == 8 {
		k = Lanes64
	}
	for i, v := range x {
		j := i % k
		acc[j] = acc[j] + abs(v)
	}
	for h := k / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] = acc[j] + acc[j+h]
		}
	}
	return acc[0]
}

// Iamax returns the index of the first element of largest absolute value,
// exactly as the reference BLAS loop (I[SD]AMAX) finds it:
//
//	best, m = 0, |x[0]|
//	for i = 1, ..., n-1: if |x[i]| > m { best, m = i, |x[i]| }
//
// so a NaN never wins a comparison: NaN elements are skipped, except that
// a NaN in x[0] makes the result 0. An empty x gives -1.
func Iamax[F Float](x []F) int {
	if len(x) == 0 {
		return -1
	}
	best, m := 0, abs(x[0])
	for i := 1; i < len(x); i++ {
		if a := abs(x[i]); a > m {
			best, m = i, a
		}
	}
	return best
}

// Nrm2 returns the Euclidean norm sqrt(x[0]² + ... + x[n-1]²) without
// overflow or underflow in intermediate results.
//
// float32: every square is exact in float64, so the sum is
// SumSquares64 of x (Dot's canonical order with Lanes64 lanes, in
// float64, where neither overflow nor underflow can happen for float32
// inputs); the result is float32(math.Sqrt(sum)).
//
// float64: first the unscaled sum of squares ssq = Dot(x, x). If ssq is
// finite and at least Nrm2Tiny, the result is math.Sqrt(ssq) (terms that
// underflowed are then below the last bit of the result). Otherwise:
//
//	ssq is NaN (some x[i] is NaN: every other term is >= 0)  -> NaN
//	amax = max |x[i]|; amax == +Inf -> +Inf; amax == 0 -> 0
//	e = the exponent of amax (amax = f*2^e, f in [0.5, 1), math.Frexp)
//	s = 2^t with t = clamp(-e, -1022, 1023), an exact normal power of two
//	ssq = the sum in Dot's order of fma(x[i]*s, x[i]*s, acc), x[i]*s rounded on its own
//	result = math.Sqrt(ssq) * 2^-t
//
// After scaling the largest |x[i]*s| lies in [2^-51, 4) (in [0.5, 1)
// unless t was clamped), its square in [2^-102, 16), so the sum neither
// overflows (for any len(x) < 2^1019) nor loses the large terms to
// underflow; the final multiplication overflows only when the norm itself
// exceeds MaxFloat64.
func Nrm2[F Float](x []F) F {
	if len(x) == 0 {
		return 0
	}
	if unsafe.Sizeof(x[0]) == 4 {
		x32 := *(*[]float32)(unsafe.Pointer(&x))
		r := float32(math.Sqrt(SumSquares64(x32)))
		return *(*F)(unsafe.Pointer(&r))
	}
	x64 := *(*[]float64)(unsafe.Pointer(&x))
	r := Nrm2Finish(x64, Dot(x64, x64))
	return *(*F)(unsafe.Pointer(&r))
}

// Nrm2Tiny is the smallest unscaled sum of squares that Nrm2 (float64)
// takes as it is.
const Nrm2Tiny = 0x1p-900

// Nrm2Finish is the float64 Nrm2 given ssq = Dot(x, x): paths compute that
// dot product with their own Dot and finish here.
func Nrm2Finish(x []float64, ssq float64) float64 {
	if ssq >= Nrm2Tiny && ssq <= math.MaxFloat64 {
		return math.Sqrt(ssq)
	}
	if ssq != ssq {
		return math.NaN()
	}
	amax := 0.0
	for _, v := range x {
		amax = math.Max(amax, math.Abs(v))
	}
	if amax == 0 || math.IsInf(amax, 1) {
		return amax
	}
	_, e := math.Frexp(amax)
	t := min(max(-e, -1022), 1023)
	return math.Sqrt(SumScaledSquares(x, math.Ldexp(1, t))) * math.Ldexp(1, -t)
}

// SumScaledSquares is Dot(xs, xs) with xs[i] = x[i]*s (rounded on its
// own): K = Lanes64 lanes, acc[k] = fma(xs[b*K+k], xs[b*K+k], acc[k]) over
// blocks b in order, lanes past the end left alone, then the pairwise
// reduction of Dot. (Dot pads the last block with fma(+0, +0, acc), which
// differs from leaving acc alone only for acc = -0, and no acc here is
// ever -0.)
func SumScaledSquares(x []float64, s float64) float64 {
	var acc [Lanes64]float64
	for i, v := range x {
		xs := float64(v * s)
		acc[i%Lanes64] = math.FMA(xs, xs, acc[i%Lanes64])
	}
	return reduce(acc[:])
}

// SumSquares64 is the sum of float64(x[i])² in Dot's order with Lanes64
// lanes, in float64: acc[k] = acc[k] + float64(x[b*K+k])*float64(x[b*K+k])
// (the product of two float32 values is exact in float64, so this is also
// fma), lanes past the end left alone, then Dot's pairwise reduction.
func SumSquares64(x []float32) float64 {
	var acc [Lanes64]float64
	for i, v := range x {
		d := float64(v)
		acc[i%Lanes64] = acc[i%Lanes64] + float64(d*d)
	}
	return reduce(acc[:])
}

// reduce adds the lanes pairwise as Dot does: for h = K/2, ..., 1,
// acc[k] = acc[k] + acc[k+h] for k < h; it returns acc[0].
func reduce(acc []float64) float64 {
	for h := len(acc) / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] = acc[j] + acc[j+h]
		}
	}
	return acc[0]
}

// abs is |v|: the sign bit cleared (NaN stays NaN).
func abs[F Float](v F) F {
	if unsafe.Sizeof(v) == 8 {
		return F(math.Abs(float64(v)))
	}
	return F(math.Float32frombits(math.Float32bits(float32(v)) &^ (1 << 31)))
}
