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
	nb := len(x) / kernels.Lanes64 * kernels.Lanes64
	// Four lanes at a time, each in a register, over every full block:
	// four independent chains, and each lane still adds its elements in
	// block order. (With eight, the compiler spills one accumulator and
	// that lane's chain runs through memory.) |v| is taken on the bits
	// in integer registers.
	u := *(*[]uint64)(unsafe.Pointer(&x))
	const m = 1<<63 - 1
	for g := 0; g < kernels.Lanes64; g += 4 {
		var a0, a1, a2, a3 float64
		for i := g; i < nb; i += kernels.Lanes64 {
			b := u[i : i+4 : i+4]
			a0 += math.Float64frombits(b[0] & m)
			a1 += math.Float64frombits(b[1] & m)
			a2 += math.Float64frombits(b[2] & m)
			a3 += math.Float64frombits(b[3] & m)
		}
		acc[g], acc[g+1], acc[g+2], acc[g+3] = a0, a1, a2, a3
	}
	for j, v := range x[nb:] {
		acc[j] += math.Abs(v)
	}
	return reduce64(acc[:])
}

func asum32(x []float32) float32 {
	var acc [kernels.Lanes32]float32
	nb := len(x) / kernels.Lanes32 * kernels.Lanes32
	u := *(*[]uint32)(unsafe.Pointer(&x))
	const m = 1<<31 - 1
	for g := 0; g < kernels.Lanes32; g += 4 { // as asum64
		var a0, a1, a2, a3 float32
		for i := g; i < nb; i += kernels.Lanes32 {
			b := u[i : i+4 : i+4]
			a0 += math.Float32frombits(b[0] & m)
			a1 += math.Float32frombits(b[1] & m)
			a2 += math.Float32frombits(b[2] & m)
			a3 += math.Float32frombits(b[3] & m)
		}
		acc[g], acc[g+1], acc[g+2], acc[g+3] = a0, a1, a2, a3
	}
	for j, v := range x[nb:] {
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
// whose |x[i]| equals the largest non-NaN |x[i]| (or 0 when x[0] is NaN).
// On values >= +0 the IEEE bit patterns order as the values do, so this
// works on the bits with the sign cleared, as integers: a first pass finds
// the largest, with NaNs (patterns above +Inf's) counted as 0, in four
// branch-free chains; a second finds the first index that reaches it. A
// NaN counted as 0 can only reach a largest value of 0, and then x[0]
// (not NaN, so 0 too) comes first.
func Iamax[F kernels.Float](x []F) int {
	if len(x) == 0 {
		return -1
	}
	if unsafe.Sizeof(x[0]) == 8 {
		return iamaxBits(*(*[]uint64)(unsafe.Pointer(&x)), 1<<63-1, 0x7ff<<52)
	}
	u := *(*[]uint32)(unsafe.Pointer(&x))
	return iamaxBits(u, 1<<31-1, 0xff<<23)
}

func iamaxBits[U uint32 | uint64](x []U, mask, inf U) int {
	key := func(v U) U {
		a := v & mask
		if a > inf { // NaN
			a = 0
		}
		return a
	}
	if x[0]&mask > inf {
		return 0
	}
	var m0, m1, m2, m3 U
	i := 0
	for ; i+4 <= len(x); i += 4 {
		b := x[i : i+4 : i+4]
		m0 = max(m0, key(b[0]))
		m1 = max(m1, key(b[1]))
		m2 = max(m2, key(b[2]))
		m3 = max(m3, key(b[3]))
	}
	for ; i < len(x); i++ {
		m0 = max(m0, key(x[i]))
	}
	m := max(m0, m1, m2, m3)
	for i, v := range x {
		if v&mask == m {
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

// SumSquares64 is kernels.SumSquares64, four lanes at a time in
// registers as asum64 (the squares are exact, so each lane's sum is a
// plain chain of additions in block order).
func SumSquares64(x []float32) float64 {
	var acc [kernels.Lanes64]float64
	nb := len(x) / kernels.Lanes64 * kernels.Lanes64
	for g := 0; g < kernels.Lanes64; g += 4 {
		var a0, a1, a2, a3 float64
		for i := g; i < nb; i += kernels.Lanes64 {
			b := x[i : i+4 : i+4]
			d0, d1, d2, d3 := float64(b[0]), float64(b[1]), float64(b[2]), float64(b[3])
			a0 += float64(d0 * d0)
			a1 += float64(d1 * d1)
			a2 += float64(d2 * d2)
			a3 += float64(d3 * d3)
		}
		acc[g], acc[g+1], acc[g+2], acc[g+3] = a0, a1, a2, a3
	}
	for j, v := range x[nb:] {
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
