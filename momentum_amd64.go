//go:build !purego

package downhill

import (
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// The path switch of the momentum kernels on amd64.

var _ = dispatch.AVX2

func momentumStep32(p Path, param, g, v []float32, h Momentum[float32]) {
	switch p {
	default:
		kernels.MomentumStep(param, g, v, h)
	}
}

func momentumStep64(p Path, param, g, v []float64, h Momentum[float64]) {
	switch p {
	default:
		kernels.MomentumStep(param, g, v, h)
	}
}

func batchMomentumStep32(p Path, param, v, rows []float32, scale float32, h Momentum[float32]) {
	switch p {
	default:
		kernels.BatchMomentumStep(param, v, rows, scale, h)
	}
}

func batchMomentumStep64(p Path, param, v, rows []float64, scale float64, h Momentum[float64]) {
	switch p {
	default:
		kernels.BatchMomentumStep(param, v, rows, scale, h)
	}
}
