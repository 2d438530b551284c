//go:build !purego

package downhill

import (
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/internal/generic"
)

// The path switch of every kernel on amd64: assembly where the path has
// it, kernels (the generic path) otherwise. The switch calls the
// //go:noescape declarations directly: a call through a function value
// would make the callers' slices escape to the heap.

func axpy32(p Path, alpha float32, x, y []float32) {
	switch p {
	case dispatch.AVX2:
		axpy32AVX2(alpha, x, y)
	default:
		generic.Axpy(alpha, x, y)
	}
}

func axpy64(p Path, alpha float64, x, y []float64) {
	switch p {
	case dispatch.AVX2:
		axpy64AVX2(alpha, x, y)
	default:
		generic.Axpy(alpha, x, y)
	}
}

func axpby32(p Path, alpha float32, x []float32, beta float32, y []float32) {
	switch p {
	case dispatch.AVX2:
		axpby32AVX2(alpha, x, beta, y)
	default:
		generic.Axpby(alpha, x, beta, y)
	}
}

func axpby64(p Path, alpha float64, x []float64, beta float64, y []float64) {
	switch p {
	case dispatch.AVX2:
		axpby64AVX2(alpha, x, beta, y)
	default:
		generic.Axpby(alpha, x, beta, y)
	}
}

func scale32(p Path, alpha float32, x []float32) {
	switch p {
	case dispatch.AVX2:
		scale32AVX2(alpha, x)
	default:
		generic.Scale(alpha, x)
	}
}

func scale64(p Path, alpha float64, x []float64) {
	switch p {
	case dispatch.AVX2:
		scale64AVX2(alpha, x)
	default:
		generic.Scale(alpha, x)
	}
}

func dot32(p Path, x, y []float32) float32 {
	switch p {
	case dispatch.AVX2:
		return dot32AVX2(x, y)
	default:
		return generic.Dot(x, y)
	}
}

func dot64(p Path, x, y []float64) float64 {
	switch p {
	case dispatch.AVX2:
		return dot64AVX2(x, y)
	default:
		return generic.Dot(x, y)
	}
}

func sumRows32(p Path, dst []float32, scale float32, src []float32) {
	switch p {
	case dispatch.AVX2:
		sumRows32AVX2(dst, scale, src)
	default:
		generic.SumRows(dst, scale, src)
	}
}

func sumRows64(p Path, dst []float64, scale float64, src []float64) {
	switch p {
	case dispatch.AVX2:
		sumRows64AVX2(dst, scale, src)
	default:
		generic.SumRows(dst, scale, src)
	}
}

// The AVX2+FMA3 kernels of the avx2 path, in kernels_amd64.s. Each
// computes exactly its kernels twin (the Go loop in its comment, where
// fma is one rounding), bit for bit. Callers guarantee len(x) == len(y)
// > 0 and, for SumRows, len(dst) > 0 with len(src) a multiple of
// len(dst); the kernels never read or write outside the slices.

// axpy32AVX2: for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
//go:noescape
func axpy32AVX2(alpha float32, x, y []float32)

// axpy64AVX2: for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
//go:noescape
func axpy64AVX2(alpha float64, x, y []float64)

// axpby32AVX2: for i := range x { y[i] = fma(alpha, x[i], float32(beta*y[i])) }
//
//go:noescape
func axpby32AVX2(alpha float32, x []float32, beta float32, y []float32)

// axpby64AVX2: for i := range x { y[i] = fma(alpha, x[i], float64(beta*y[i])) }
//
//go:noescape
func axpby64AVX2(alpha float64, x []float64, beta float64, y []float64)

// scale32AVX2: for i := range x { x[i] = float32(alpha * x[i]) }
//
//go:noescape
func scale32AVX2(alpha float32, x []float32)

// scale64AVX2: for i := range x { x[i] = float64(alpha * x[i]) }
//
//go:noescape
func scale64AVX2(alpha float64, x []float64)

// dot32AVX2 is kernels.Dot for float32: 64 lanes (8 ymm accumulators),
// lane k takes acc[k] = fma(x[64b+k], y[64b+k], acc[k]) for blocks b in
// order (the last one padded with +0), then acc[k] += acc[k+h] for
// h = 32, 16, ..., 1; the result is acc[0].
//
//go:noescape
func dot32AVX2(x, y []float32) float32

// dot64AVX2 is kernels.Dot for float64: 32 lanes (8 ymm accumulators),
// combined as in dot32AVX2 with h = 16, 8, ..., 1.
//
//go:noescape
func dot64AVX2(x, y []float64) float64

// sumRows32AVX2, with n = len(dst) and m = len(src)/n:
//
//	for i := range dst {
//		s := src[i]
//		for r := 1; r < m; r++ { s = s + src[r*n+i] }
//		dst[i] = float32(scale * s) // m == 0: dst[i] = 0
//	}
//
//go:noescape
func sumRows32AVX2(dst []float32, scale float32, src []float32)

// sumRows64AVX2 is sumRows32AVX2 for float64.
//
//go:noescape
func sumRows64AVX2(dst []float64, scale float64, src []float64)
