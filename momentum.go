package downhill

// The momentum calling convention shared by every assembly path: the
// switches pass negLR = -LR, c = 1 - Dampening (rounded in F), the
// hyper-parameters and the mode bits below; BatchMomentumStep with no
// rows (m = 0) never reaches assembly (batchMomentumNoRows32/64).

// Momentum mode bits of the assembly momentum kernels.
const (
	momentumMaximize = 1 << iota // g' = -g
	momentumDecay                // WeightDecay != 0: d = fma(WeightDecay, p, g')
	momentumMu                   // Mu != 0: v is used
	momentumHistory              // !Fresh: v is read, v' = fma(Mu, v, c*d)
	momentumNesterov             // s = fma(Mu, v', d)
)

// momentumMode packs the flags of h for the assembly. The comparisons
// are those of kernels (NaN != 0 selects the fma).
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

// zeroGradLen is the length of the zero gradient, on the stack, that
// BatchMomentumStep with no rows (m = 0, g = 0) steps along, a chunk at a
// time.
const zeroGradLen = 256

// batchMomentumNoRows32 is BatchMomentumStep on path p with no rows: the
// sum of no rows is g = 0, so it is MomentumStep along a zero gradient,
// a chunk at a time. It is the one place that handles m == 0 for every
// assembly path. len(param) > 0.
func batchMomentumNoRows32(p Path, param, v []float32, h *Momentum[float32]) {
	var zero [zeroGradLen]float32
	for i := 0; i < len(param); i += zeroGradLen {
		j := min(i+zeroGradLen, len(param))
		momentumStep32(p, param[i:j], zero[:j-i], velocityPart(v, i, j, h.Mu != 0), h)
	}
}

// batchMomentumNoRows64 is batchMomentumNoRows32 for float64.
func batchMomentumNoRows64(p Path, param, v []float64, h *Momentum[float64]) {
	var zero [zeroGradLen]float64
	for i := 0; i < len(param); i += zeroGradLen {
		j := min(i+zeroGradLen, len(param))
		momentumStep64(p, param[i:j], zero[:j-i], velocityPart(v, i, j, h.Mu != 0), h)
	}
}

// velocityPart is v[i:j] when v is used (Mu != 0); otherwise v may be
// nil or short, and the kernel does not touch it.
func velocityPart[F Float](v []F, i, j int, used bool) []F {
	if !used {
		return nil
	}
	return v[i:j]
}
