package generic

import (
	"math"
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
)

// Asum is kernels.Asum, bit for bit: the same lanes, each taking its
// elements in the same order, walked a block at a time (no modulo per
// element) so that the lanes' additions run as independent chains.
func Asum[F kernels.Float](x []F) F {
	var z F
	if unsafe.Sizeof(z) == 8 {
		r := asum64(*(*[]float64)(unsafe.Pointer(&x)))
		return *(*F)(unsafe.Pointer(&r))
	}
	r := asum32(*(*[]float32)(unsafe.Pointer(&x)))
	return *(*F)(unsafe.Pointer(&r))
}

func asum64(x []float64) float64 {
	var acc [kernels.Lanes64]float64
	i := 0
	for ; i+kernels.Lanes64 <= len(x); i += kernels.Lanes64 {
		b := x[i : i+kernels.Lanes64]
		for j := range acc {
			acc[j] += math.Abs(b[j])
		}
	}
	for j, v := range x[i:] {
		acc[j] += math.Abs(v)
	}
	return reduce64(acc[:])
}

func asum32(x []float32) float32 {
	var acc [kernels.Lanes32]float32
	i := 0
	for ; i+kernels.Lanes32 <= len(x); i += kernels.Lanes32 {
		b := x[i : i+kernels.Lanes32]
		for j := range acc {
			acc[j] += abs32(b[j])
		}
	}
	for j, v := range x[i:] {
		acc[j] += abs32(v)
	}
	for h := kernels.Lanes32 / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] += acc[j+h]
		}
	}
	return acc[0]
}

// Iamax is kernels.Iamax. The reference loop's result is the first index
// whose |x[i]| equals the largest non-NaN |x[i]| (or 0 when x[0] is NaN);
// this finds that maximum with four independent max chains (max is exact
// and, on values >= +0 without NaN, independent of order), then the first
// index that reaches it.
func Iamax[F kernels.Float](x []F) int {
	if len(x) == 0 {
		return -1
	}
	if unsafe.Sizeof(x[0]) == 8 {
		return iamax64(*(*[]float64)(unsafe.Pointer(&x)))
	}
	return iamax32(*(*[]float32)(unsafe.Pointer(&x)))
}

func iamax64(x []float64) int {
	m0 := math.Abs(x[0])
	if m0 != m0 {
		return 0
	}
	m1, m2, m3 := m0, m0, m0
	i := 1
	for ; i+4 <= len(x); i += 4 {
		// a > m is false for a NaN a, so NaN elements are skipped.
		if a := math.Abs(x[i]); a > m0 {
			m0 = a
		}
		if a := math.Abs(x[i+1]); a > m1 {
			m1 = a
		}
		if a := math.Abs(x[i+2]); a > m2 {
			m2 = a
		}
		if a := math.Abs(x[i+3]); a > m3 {
			m3 = a
		}
	}
	for ; i < len(x); i++ {
		if a := math.Abs(x[i]); a > m0 {
			m0 = a
		}
	}
	m := max(m0, m1, m2, m3)
	for i, v := range x {
		if math.Abs(v) == m {
			return i
		}
	}
	panic("unreachable")
}

func iamax32(x []float32) int {
	m0 := abs32(x[0])
	if m0 != m0 {
		return 0
	}
	m1, m2, m3 := m0, m0, m0
	i := 1
	for ; i+4 <= len(x); i += 4 {
		if a := abs32(x[i]); a > m0 {
			m0 = a
		}
		if a := abs32(x[i+1]); a > m1 {
			m1 = a
		}
		if a := abs32(x[i+2]); a > m2 {
			m2 = a
		}
		if a := abs32(x[i+3]); a > m3 {
			m3 = a
		}
	}
	for ; i < len(x); i++ {
		if a := abs32(x[i]); a > m0 {
			m0 = a
		}
	}
	m := max(m0, m1, m2, m3)
	for i, v := range x {
		if abs32(v) == m {
			return i
		}
	}
	panic("unreachable")
}

// Nrm2 is kernels.Nrm2. float64 computes Dot(x, x) here; package downhill
// takes that dot product from the active path and calls Nrm2Finish.
func Nrm2[F kernels.Float](x []F) F {
	if len(x) == 0 {
		return 0
	}
	if unsafe.Sizeof(x[0]) == 4 {
		r := float32(math.Sqrt(SumSquares64(*(*[]float32)(unsafe.Pointer(&x)))))
		return *(*F)(unsafe.Pointer(&r))
	}
	x64 := *(*[]float64)(unsafe.Pointer(&x))
	r := Nrm2Finish(x64, kernels.Dot(x64, x64))
	return *(*F)(unsafe.Pointer(&r))
}

// Nrm2Finish is kernels.Nrm2Finish: the common case is one comparison;
// the rescaling path runs only on overflow, underflow, Inf or NaN.
func Nrm2Finish(x []float64, ssq float64) float64 {
	if ssq >= kernels.Nrm2Tiny && ssq <= math.MaxFloat64 {
		return math.Sqrt(ssq)
	}
	if ssq != ssq {
		return math.NaN()
	}
	amax := 0.0
	for _, v := range x {
		amax = max(amax, math.Abs(v)) // no NaN here: ssq would be NaN
	}
	if amax == 0 || math.IsInf(amax, 1) {
		return amax
	}
	_, e := math.Frexp(amax)
	t := min(max(-e, -1022), 1023)
	return math.Sqrt(sumScaledSquares(x, math.Ldexp(1, t))) * math.Ldexp(1, -t)
}

// sumScaledSquares is kernels.SumScaledSquares, a block of lanes at a time.
func sumScaledSquares(x []float64, s float64) float64 {
	var acc [kernels.Lanes64]float64
	i := 0
	for ; i+kernels.Lanes64 <= len(x); i += kernels.Lanes64 {
		b := x[i : i+kernels.Lanes64]
		for j := range acc {
			xs := float64(b[j] * s)
			acc[j] = math.FMA(xs, xs, acc[j])
		}
	}
	for j, v := range x[i:] {
		xs := float64(v * s)
		acc[j] = math.FMA(xs, xs, acc[j])
	}
	return reduce64(acc[:])
}

// SumSquares64 is kernels.SumSquares64, a block of lanes at a time.
func SumSquares64(x []float32) float64 {
	var acc [kernels.Lanes64]float64
	i := 0
	for ; i+kernels.Lanes64 <= len(x); i += kernels.Lanes64 {
		b := x[i : i+kernels.Lanes64]
		for j := range acc {
			d := float64(b[j])
			acc[j] += float64(d * d)
		}
	}
	for j, v := range x[i:] {
		d := float64(v)
		acc[j] += float64(d * d)
	}
	return reduce64(acc[:])
}

func reduce64(acc []float64) float64 {
	for h := len(acc) / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] += acc[j+h]
		}
	}
	return acc[0]
}

func abs32(v float32) float32 {
	return math.Float32frombits(math.Float32bits(v) &^ (1 << 31))
}
