//go:build (!amd64 && !arm64) || purego

package downhill

import "github.com/downhill-go/downhill/internal/generic"

// Without assembly (other GOARCHes, or the purego build tag) every path
// is the generic one.

func axpy32(p Path, alpha float32, x, y []float32) { generic.Axpy(alpha, x, y) }

func axpy64(p Path, alpha float64, x, y []float64) { generic.Axpy(alpha, x, y) }

func axpby32(p Path, alpha float32, x []float32, beta float32, y []float32) {
	generic.Axpby(alpha, x, beta, y)
}

func axpby64(p Path, alpha float64, x []float64, beta float64, y []float64) {
	generic.Axpby(alpha, x, beta, y)
}

func scale32(p Path, alpha float32, x []float32) { generic.Scale(alpha, x) }

func scale64(p Path, alpha float64, x []float64) { generic.Scale(alpha, x) }

func dot32(p Path, x, y []float32) float32 { return generic.Dot(x, y) }

func dot64(p Path, x, y []float64) float64 { return generic.Dot(x, y) }

func sumRows32(p Path, dst []float32, scale float32, src []float32) { generic.SumRows(dst, scale, src) }

func sumRows64(p Path, dst []float64, scale float64, src []float64) { generic.SumRows(dst, scale, src) }

func momentumStep32(p Path, param, g, v []float32, h *Momentum[float32]) {
	generic.MomentumStep(param, g, v, *h)
}

func momentumStep64(p Path, param, g, v []float64, h *Momentum[float64]) {
	generic.MomentumStep(param, g, v, *h)
}

func batchMomentumStep32(p Path, param, v, rows []float32, scale float32, h *Momentum[float32]) {
	generic.BatchMomentumStep(param, v, rows, scale, *h)
}

func batchMomentumStep64(p Path, param, v, rows []float64, scale float64, h *Momentum[float64]) {
	generic.BatchMomentumStep(param, v, rows, scale, *h)
}
