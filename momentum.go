package downhill

// The calling convention of every assembly momentum kernel (amd64 and
// arm64 alike): the hyper-parameters as scalars, negLR = -LR,
// c = 1 - Dampening (rounded in F), and the flags as the mode bits below.
// The rule itself is kernels.MomentumStep's.

// Momentum mode bits.
const (
	momentumMaximize = 1 << iota // g' = -g
	momentumDecay                // WeightDecay != 0: d = fma(WeightDecay, p, g')
	momentumMu                   // Mu != 0: v is used
	momentumHistory              // Mu != 0 and !Fresh: v is read, v' = fma(Mu, v, c*d)
	momentumNesterov             // Mu != 0 and Nesterov: s = fma(Mu, v', d)
)

// momentumMode packs the flags of h for the assembly. The comparisons are
// those of kernels (a NaN WeightDecay or Mu is not 0).
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

// batchMomentumNoRows is BatchMomentumStep on an assembly path with no
// rows (m = 0, so g = 0): MomentumStep along a zero gradient on the stack,
// a chunk at a time. No assembly kernel handles m == 0; every path switch
// sends it here.
func batchMomentumNoRows[F Float](p Path, param, v []F, h *Momentum[F]) {
	var zero [zeroGradLen]F
	k := Kernels[F]{p}
	for i := 0; i < len(param); i += zeroGradLen {
		j := min(i+zeroGradLen, len(param))
		k.MomentumStep(param[i:j], zero[:j-i], velocityPart(v, i, j, h.Mu != 0), *h)
	}
}

// zeroGradLen is the length of batchMomentumNoRows's zero gradient.
const zeroGradLen = 256

// velocityPart is v[i:j] when v is used (Mu != 0); otherwise v may be
// nil or short, and the kernel does not touch it.
func velocityPart[F Float](v []F, i, j int, used bool) []F {
	if !used {
		return nil
	}
	return v[i:j]
}
