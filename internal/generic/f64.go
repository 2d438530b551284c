package generic

import (
	"math"

	"github.com/downhill-go/downhill/kernels"
)

// axpy64 is kernels.Axpy for float64.
func axpy64(a float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i <= len(x)-4; i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0], ys[1], ys[2], ys[3] = math.FMA(a, xs[0], ys[0]), math.FMA(a, xs[1], ys[1]), math.FMA(a, xs[2], ys[2]), math.FMA(a, xs[3], ys[3])
	}
	for ; i < len(x); i++ {
		y[i] = math.FMA(a, x[i], y[i])
	}
}

// axpby64 is kernels.Axpby for float64.
func axpby64(a float64, x []float64, b float64, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i <= len(x)-4; i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0], ys[1], ys[2], ys[3] = math.FMA(a, xs[0], float64(b*ys[0])), math.FMA(a, xs[1], float64(b*ys[1])), math.FMA(a, xs[2], float64(b*ys[2])), math.FMA(a, xs[3], float64(b*ys[3]))
	}
	for ; i < len(x); i++ {
		y[i] = math.FMA(a, x[i], float64(b*y[i]))
	}
}

// dot64 is kernels.Dot for float64: Lanes64 = 32 lanes.
func dot64(x, y []float64) float64 {
	const k = kernels.Lanes64
	var acc [k]float64
	y = y[:len(x)]
	n := len(x)
	i := 0
	for ; i <= n-k; i += k {
		xb, yb := x[i:i+k:i+k], y[i:i+k:i+k]
		for j := 0; j < k; j += 4 {
			xs, ys, as := xb[j:j+4:j+4], yb[j:j+4:j+4], acc[j:j+4:j+4]
			as[0], as[1], as[2], as[3] = math.FMA(xs[0], ys[0], as[0]), math.FMA(xs[1], ys[1], as[1]), math.FMA(xs[2], ys[2], as[2]), math.FMA(xs[3], ys[3], as[3])
		}
	}
	// The padded last block: lanes past the end take fma(+0, +0, acc).
	if i < n {
		for j := range acc {
			var xj, yj float64
			if i+j < n {
				xj, yj = x[i+j], y[i+j]
			}
			acc[j] = math.FMA(xj, yj, acc[j])
		}
	}
	for h := k / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] = acc[j] + acc[j+h]
		}
	}
	return acc[0]
}

// momentum64 is kernels.MomentumStep for float64. Reads and writes of one
// element happen in the order of kernels/.
func momentum64(p, g, v []float64, h *kernels.Momentum[float64]) {
	g = g[:len(p)]
	negLR, wd, mu := -h.LR, h.WeightDecay, h.Mu
	c := 1 - h.Dampening
	maximize, decay, fresh, nesterov := h.Maximize, h.WeightDecay != 0, h.Fresh, h.Nesterov
	if mu == 0 {
		for i, gi := range g {
			if maximize {
				gi = -gi
			}
			d := gi
			if decay {
				d = math.FMA(wd, p[i], gi)
			}
			p[i] = math.FMA(negLR, d, p[i])
		}
		return
	}
	v = v[:len(p)]
	if !maximize && !decay && !fresh && !nesterov {
		// Heavy ball, the common case, without the tests.
		for i, gi := range g {
			vn := math.FMA(mu, v[i], float64(c*gi))
			v[i] = vn
			p[i] = math.FMA(negLR, vn, p[i])
		}
		return
	}
	for i, gi := range g {
		if maximize {
			gi = -gi
		}
		d := gi
		if decay {
			d = math.FMA(wd, p[i], gi)
		}
		vn := d
		if !fresh {
			vn = math.FMA(mu, v[i], float64(c*d))
		}
		s := vn
		if nesterov {
			s = math.FMA(mu, vn, d)
		}
		v[i] = vn
		p[i] = math.FMA(negLR, s, p[i])
	}
}
