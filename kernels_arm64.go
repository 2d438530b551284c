//go:build !purego

package downhill

import (
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/internal/generic"
)

// The path switch of every kernel on arm64: NEON assembly where it
// exists, kernels (the generic path) otherwise.

func axpy32(p Path, alpha float32, x, y []float32) {
	switch p {
	case dispatch.NEON:
		axpy32NEON(alpha, x, y)
	default:
		generic.Axpy(alpha, x, y)
	}
}

func axpy64(p Path, alpha float64, x, y []float64) {
	switch p {
	case dispatch.NEON:
		axpy64NEON(alpha, x, y)
	default:
		generic.Axpy(alpha, x, y)
	}
}

func axpby32(p Path, alpha float32, x []float32, beta float32, y []float32) {
	switch p {
	case dispatch.NEON:
		axpby32NEON(alpha, x, beta, y)
	default:
		generic.Axpby(alpha, x, beta, y)
	}
}

func axpby64(p Path, alpha float64, x []float64, beta float64, y []float64) {
	switch p {
	case dispatch.NEON:
		axpby64NEON(alpha, x, beta, y)
	default:
		generic.Axpby(alpha, x, beta, y)
	}
}

func scale32(p Path, alpha float32, x []float32) {
	switch p {
	case dispatch.NEON:
		scale32NEON(alpha, x)
	default:
		generic.Scale(alpha, x)
	}
}

func scale64(p Path, alpha float64, x []float64) {
	switch p {
	case dispatch.NEON:
		scale64NEON(alpha, x)
	default:
		generic.Scale(alpha, x)
	}
}

func dot32(p Path, x, y []float32) float32 {
	switch p {
	case dispatch.NEON:
		return dot32NEON(x, y)
	default:
		return generic.Dot(x, y)
	}
}

func dot64(p Path, x, y []float64) float64 {
	switch p {
	case dispatch.NEON:
		return dot64NEON(x, y)
	default:
		return generic.Dot(x, y)
	}
}

func sumRows32(p Path, dst []float32, scale float32, src []float32) {
	switch p {
	case dispatch.NEON:
		sumRows32NEON(dst, scale, src)
	default:
		generic.SumRows(dst, scale, src)
	}
}

func sumRows64(p Path, dst []float64, scale float64, src []float64) {
	switch p {
	case dispatch.NEON:
		sumRows64NEON(dst, scale, src)
	default:
		generic.SumRows(dst, scale, src)
	}
}

func momentumStep32(p Path, param, g, v []float32, h *Momentum[float32]) {
	switch p {
	case dispatch.NEON:
		momentumStep32NEON(param, g, v, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, momentumMode(h))
	default:
		generic.MomentumStep(param, g, v, *h)
	}
}

func momentumStep64(p Path, param, g, v []float64, h *Momentum[float64]) {
	switch p {
	case dispatch.NEON:
		momentumStep64NEON(param, g, v, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, momentumMode(h))
	default:
		generic.MomentumStep(param, g, v, *h)
	}
}

func batchMomentumStep32(p Path, param, v, rows []float32, scale float32, h *Momentum[float32]) {
	switch p {
	case dispatch.NEON:
		batchMomentumStep32NEON(param, v, rows, scale, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, momentumMode(h))
	default:
		generic.BatchMomentumStep(param, v, rows, scale, *h)
	}
}

func batchMomentumStep64(p Path, param, v, rows []float64, scale float64, h *Momentum[float64]) {
	switch p {
	case dispatch.NEON:
		batchMomentumStep64NEON(param, v, rows, scale, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, momentumMode(h))
	default:
		generic.BatchMomentumStep(param, v, rows, scale, *h)
	}
}

// Momentum mode bits of the NEON momentum kernels (see kernels_arm64.s).
const (
	momentumMaximize = 1 << iota // g' = -g
	momentumDecay                // WeightDecay != 0: d = fma(WeightDecay, p, g')
	momentumMu                   // Mu != 0: v is used
	momentumHistory              // !Fresh: v is read, v' = fma(Mu, v, c*d)
	momentumNesterov             // s = fma(Mu, v', d)
)

// momentumMode packs the flags of h for the assembly.
func momentumMode[F Float](h *Momentum[F]) uint64 {
	var m uint64
	if h.Maximize {
		m |= momentumMaximize
	}
	if h.WeightDecay != 0 {
		m |= momentumDecay
	}
	if h.Mu != 0 {
		m |= momentumMu
		if !h.Fresh {
			m |= momentumHistory
		}
		if h.Nesterov {
			m |= momentumNesterov
		}
	}
	return m
}

// The NEON kernels of the neon path, in kernels_arm64.s. Each computes
// exactly its kernels twin (the Go loop in its comment, where fma is one
// rounding), bit for bit. Callers guarantee len(x) == len(y) > 0; for
// SumRows len(dst) > 0 and len(src) a multiple of len(dst); for the
// momentum kernels len(p) > 0, len(g) == len(p) (len(rows) a multiple of
// len(p)) and len(v) == len(p) when Mu != 0. The kernels never read or
// write outside the slices.

// axpy32NEON: for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
//go:noescape
func axpy32NEON(alpha float32, x, y []float32)

// axpby32NEON: for i := range x { y[i] = fma(alpha, x[i], float32(beta*y[i])) }
//
//go:noescape
func axpby32NEON(alpha float32, x []float32, beta float32, y []float32)

// scale32NEON: for i := range x { x[i] = float32(alpha * x[i]) }
//
//go:noescape
func scale32NEON(alpha float32, x []float32)

// dot32NEON is kernels.Dot for float32: 64 lanes (16 q-register
// accumulators), lane k takes acc[k] = fma(x[64b+k], y[64b+k], acc[k]) for
// blocks b in order (the last one padded with +0), then acc[k] += acc[k+h]
// for h = 32, 16, ..., 1; the result is acc[0].
//
//go:noescape
func dot32NEON(x, y []float32) float32

// sumRows32NEON, with n = len(dst) and m = len(src)/n:
//
//	for i := range dst {
//		s := src[i]
//		for r := 1; r < m; r++ { s = s + src[r*n+i] }
//		dst[i] = float32(scale * s) // m == 0: dst[i] = 0
//	}
//
//go:noescape
func sumRows32NEON(dst []float32, scale float32, src []float32)

// momentumStep32NEON is kernels.MomentumStep with negLR = -LR,
// c = 1 - Dampening and the flags in mode (momentumMode):
//
//	for i := range p {
//		gi := g[i]; if Maximize { gi = -gi }
//		d := gi; if WeightDecay != 0 { d = fma(wd, p[i], gi) }
//		s := d
//		if Mu != 0 {
//			vn := d; if !Fresh { vn = fma(mu, v[i], float32(c*d)) }
//			s = vn; if Nesterov { s = fma(mu, vn, d) }
//			v[i] = vn
//		}
//		p[i] = fma(negLR, s, p[i])
//	}
//
//go:noescape
func momentumStep32NEON(p, g, v []float32, negLR, mu, c, wd float32, mode uint64)

// batchMomentumStep32NEON is momentumStep32NEON with g[i] computed on the
// fly as sumRows32NEON of rows (len(p) columns) with scale.
//
//go:noescape
func batchMomentumStep32NEON(p, v, rows []float32, scale, negLR, mu, c, wd float32, mode uint64)

// axpy64NEON: for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
//go:noescape
func axpy64NEON(alpha float64, x, y []float64)

// axpby64NEON: for i := range x { y[i] = fma(alpha, x[i], float64(beta*y[i])) }
//
//go:noescape
func axpby64NEON(alpha float64, x []float64, beta float64, y []float64)

// scale64NEON: for i := range x { x[i] = float64(alpha * x[i]) }
//
//go:noescape
func scale64NEON(alpha float64, x []float64)

// dot64NEON is kernels.Dot for float64: 32 lanes (16 q-register
// accumulators), combined as in dot32NEON with h = 16, 8, ..., 1.
//
//go:noescape
func dot64NEON(x, y []float64) float64

// sumRows64NEON is sumRows32NEON for float64.
//
//go:noescape
func sumRows64NEON(dst []float64, scale float64, src []float64)

// momentumStep64NEON is momentumStep32NEON for float64.
//
//go:noescape
func momentumStep64NEON(p, g, v []float64, negLR, mu, c, wd float64, mode uint64)

// batchMomentumStep64NEON is batchMomentumStep32NEON for float64.
//
//go:noescape
func batchMomentumStep64NEON(p, v, rows []float64, scale, negLR, mu, c, wd float64, mode uint64)
