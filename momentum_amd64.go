//go:build !purego

package downhill

import (
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/internal/generic"
)

// The path switch of the momentum kernels on amd64: assembly where the
// path has it, kernels (the generic path) otherwise. As in
// kernels_amd64.go, the switch calls the //go:noescape declarations
// directly.

func momentumStep32(p Path, param, g, v []float32, h *Momentum[float32]) {
	switch p {
	case dispatch.AVX2:
		momentumStep32AVX2(param, g, v, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, signMask32(h.Maximize), momentumVariant(h))
	default:
		generic.MomentumStep(param, g, v, *h)
	}
}

func momentumStep64(p Path, param, g, v []float64, h *Momentum[float64]) {
	switch p {
	case dispatch.AVX2:
		momentumStep64AVX2(param, g, v, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, signMask64(h.Maximize), uint64(momentumVariant(h)))
	default:
		generic.MomentumStep(param, g, v, *h)
	}
}

func batchMomentumStep32(p Path, param, v, rows []float32, scale float32, h *Momentum[float32]) {
	switch p {
	case dispatch.AVX2:
		if len(rows) == 0 { // m = 0: g = 0
			var zero [zeroGradLen]float32
			for i := 0; i < len(param); i += zeroGradLen {
				j := min(i+zeroGradLen, len(param))
				momentumStep32(p, param[i:j], zero[:j-i], velocityPart(v, i, j, h.Mu != 0), h)
			}
			return
		}
		batchMomentumStep32AVX2(param, v, rows, scale, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, signMask32(h.Maximize), momentumVariant(h))
	default:
		generic.BatchMomentumStep(param, v, rows, scale, *h)
	}
}

func batchMomentumStep64(p Path, param, v, rows []float64, scale float64, h *Momentum[float64]) {
	switch p {
	case dispatch.AVX2:
		if len(rows) == 0 { // m = 0: g = 0
			var zero [zeroGradLen]float64
			for i := 0; i < len(param); i += zeroGradLen {
				j := min(i+zeroGradLen, len(param))
				momentumStep64(p, param[i:j], zero[:j-i], velocityPart(v, i, j, h.Mu != 0), h)
			}
			return
		}
		batchMomentumStep64AVX2(param, v, rows, scale, -h.LR, h.Mu, 1-h.Dampening, h.WeightDecay, signMask64(h.Maximize), uint64(momentumVariant(h)))
	default:
		generic.BatchMomentumStep(param, v, rows, scale, *h)
	}
}

// zeroGradLen is the length of the zero gradient, on the stack, that
// BatchMomentumStep with no rows (m = 0, g = 0) steps along, a chunk at a
// time.
const zeroGradLen = 256

// velocityPart is v[i:j] when v is used (Mu != 0); otherwise v may be
// nil or short, and the kernel does not touch it.
func velocityPart[F Float](v []F, i, j int, used bool) []F {
	if !used {
		return nil
	}
	return v[i:j]
}

// momentumVariant numbers the loop variant of the momentum kernels:
// k + 5 if WeightDecay != 0, with k = 0 if Mu == 0, else 1 Fresh,
// 2 Fresh and Nesterov, 3 with history, 4 with history and Nesterov.
// The comparisons are those of kernels (NaN != 0 selects the fma).
func momentumVariant[F Float](h *Momentum[F]) uint32 {
	var k uint32
	switch {
	case h.Mu == 0:
		k = 0
	case h.Fresh && !h.Nesterov:
		k = 1
	case h.Fresh:
		k = 2
	case !h.Nesterov:
		k = 3
	default:
		k = 4
	}
	if h.WeightDecay != 0 {
		k += 5
	}
	return k
}

// signMask32 and signMask64 are the bits XORed into g: the sign bit when
// maximizing (g' = -g, exact), else 0 (g' = g).
func signMask32(maximize bool) uint32 {
	if maximize {
		return 1 << 31
	}
	return 0
}

func signMask64(maximize bool) uint64 {
	if maximize {
		return 1 << 63
	}
	return 0
}

// The AVX2+FMA3 momentum kernels of the avx2 path, in momentum_amd64.s.
// Each computes exactly its kernels twin, bit for bit, given
// negLR = -LR, c = 1 - Dampening (rounded in F), sign = signMask(Maximize)
// and variant = momentumVariant(h). Callers guarantee len(g) == len(p) > 0,
// len(v) == len(p) unless Mu == 0 (then v is not touched), and for the
// batch form len(rows) a non-zero multiple of len(p). The kernels never
// read or write outside the slices.

// momentumStep32AVX2, per element i (fma rounds once):
//
//	gi := g[i], negated if sign != 0
//	d := gi, or fma(wd, p[i], gi) when WeightDecay != 0
//	s := d                                   when Mu == 0 (v untouched)
//	v[i] = d, or fma(mu, v[i], float32(c*d)) when not Fresh
//	s := v[i], or fma(mu, v[i], d)           when Nesterov
//	p[i] = fma(negLR, s, p[i])
//
//go:noescape
func momentumStep32AVX2(p, g, v []float32, negLR, mu, c, wd float32, sign, variant uint32)

// momentumStep64AVX2 is momentumStep32AVX2 for float64.
//
//go:noescape
func momentumStep64AVX2(p, g, v []float64, negLR, mu, c, wd float64, sign, variant uint64)

// batchMomentumStep32AVX2, with n = len(p) and m = len(rows)/n >= 1, is
// momentumStep32AVX2 along the gradient
//
//	g[i] = float32(scale * (rows[i] + rows[n+i] + ... + rows[(m-1)*n+i]))
//
// (added in row order), computed a tile of columns at a time in registers:
// rows, p and v are read once, p and v written once.
//
//go:noescape
func batchMomentumStep32AVX2(p, v, rows []float32, scale, negLR, mu, c, wd float32, sign, variant uint32)

// batchMomentumStep64AVX2 is batchMomentumStep32AVX2 for float64.
//
//go:noescape
func batchMomentumStep64AVX2(p, v, rows []float64, scale, negLR, mu, c, wd float64, sign, variant uint64)
