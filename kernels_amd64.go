//go:build !purego

package downhill

import (
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// The path switch of every kernel on amd64: assembly where the path has
// it, kernels (the generic path) otherwise.

var _ = dispatch.AVX2

func axpy32(p Path, alpha float32, x, y []float32) {
	switch p {
	default:
		kernels.Axpy(alpha, x, y)
	}
}

func axpy64(p Path, alpha float64, x, y []float64) {
	switch p {
	default:
		kernels.Axpy(alpha, x, y)
	}
}

func axpby32(p Path, alpha float32, x []float32, beta float32, y []float32) {
	switch p {
	default:
		kernels.Axpby(alpha, x, beta, y)
	}
}

func axpby64(p Path, alpha float64, x []float64, beta float64, y []float64) {
	switch p {
	default:
		kernels.Axpby(alpha, x, beta, y)
	}
}

func scale32(p Path, alpha float32, x []float32) {
	switch p {
	default:
		kernels.Scale(alpha, x)
	}
}

func scale64(p Path, alpha float64, x []float64) {
	switch p {
	default:
		kernels.Scale(alpha, x)
	}
}

func dot32(p Path, x, y []float32) float32 {
	switch p {
	default:
		return kernels.Dot(x, y)
	}
}

func dot64(p Path, x, y []float64) float64 {
	switch p {
	default:
		return kernels.Dot(x, y)
	}
}

func sumRows32(p Path, dst []float32, scale float32, src []float32) {
	switch p {
	default:
		kernels.SumRows(dst, scale, src)
	}
}

func sumRows64(p Path, dst []float64, scale float64, src []float64) {
	switch p {
	default:
		kernels.SumRows(dst, scale, src)
	}
}
