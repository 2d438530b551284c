package generic

import (
	"math"

	"github.com/downhill-go/downhill/kernels"
)

// round32 is kernels.FMA32 after the product: p+c rounded once to float32,
// for p the exact float64 product of two float32 values (p + c is then
// exact or its TwoSum error e is found exactly, and s is rounded to odd
// before the float32 rounding; kernels/fma.go has the proof).
func round32(p, c float64) float32 {
	s := p + c
	bv := s - p
	e := (p - (s - bv)) + (c - bv)
	sb := math.Float64bits(s)
	if e*s < 0 {
		sb--
	}
	if e*e > 0 {
		sb |= 1
	}
	return float32(math.Float64frombits(sb))
}

// suspect returns a value whose top bit is set when float32(s) may not be
// p+c correctly rounded, for s = p+c rounded to float64: s (within half a
// float64 ulp of p+c) rounds to the same float32 as p+c unless a float32
// midpoint lies between them, which needs s itself to be a midpoint (bits
// 0..28 of its significand, what float32 drops, equal to 1<<28), or unless
// 0 < |s| < 2^-126, below the float32 normal range, where float32 keeps
// fewer bits (zero is exact).
//
// The second test runs mostly on the floating-point unit, which the
// integer tests leave idle: with q = s*s, t = (2^-252 - q)*q is positive
// iff 0 < q < 2^-252, that is 0 < |s| < 2^-126 (rounding s*s is monotone
// and 2^-252 is a float64, so the boundary is exact); otherwise t is +0
// (s = 0 or |s| = 2^-126) or negative. The negation of t's bits has its
// top bit set iff t is positive (a negative t has the sign bit set, and
// -0 does not occur). No product underflows: s is 0 or at least 2^-298 in
// magnitude (see kernels.FMA32), so a non-zero q is at least 2^-596 and
// t, if positive, at least 2^-848. An infinite s gives t = -Inf; a NaN s
// may be flagged, which only sends it the exact way.
func suspect(s float64) uint64 {
	sb := math.Float64bits(s)
	mid := ((sb & (1<<29 - 1)) ^ 1<<28) - 1 // top bit set iff a midpoint
	q := float64(s * s)
	return mid | -math.Float64bits((0x1p-252-q)*q)
}

// fma32 returns float32(s) for s = p+c rounded to float64 (p the exact
// float64 product of two float32 values, c a float32 value), and f with
// bit 0 set when that may not be p+c correctly rounded; f is returned
// unchanged otherwise, so that a block of fmas can share one flag.
//
// s (within half a float64 ulp of p+c) rounds to the same float32 as p+c
// unless a float32 midpoint lies between them, which needs s itself to be
// a midpoint (bits 0..28 of its significand, what float32 drops, equal to
// 1<<28), or unless 0 < |s| < 2^-126, below the float32 normal range,
// where float32 keeps fewer bits; and in either case only if s is not
// exact: an exact s rounds once, correctly, whatever its bits. The bits
// are tested with a branch that ordinary data almost never take (a
// midpoint is one pattern of 29 bits); exact midpoints, frequent with
// short significands (learning rates like 2^-10, Mu = 7/8, inputs like
// 1.0), take it and compute the TwoSum error e, which is 0 iff s is exact
// (six additions in all, exact whatever the magnitudes; see
// kernels.FMA32). In bits: u<<1 drops the sign, and u<<1 - 1 is below
// 897<<53 - 1 iff the exponent field is below 897 (|s| < 2^-126) and s is
// not zero (0 - 1 wraps to the largest value).
//
// An infinite or NaN s is not flagged (or, for a NaN with those low bits,
// its NaN e is): kernels.FMA32 also returns float32(s) for it. The caller
// recomputes a flagged fma with round32. p is exact, so a compiler fusing
// the product into s or into p-(s-bv) changes nothing.
func fma32(p, c float64, f uint64) (float32, uint64) {
	s := p + c
	if u := math.Float64bits(s); u&(1<<29-1) == 1<<28 || u<<1-1 < (1023-126)<<53-1 {
		bv := s - p
		if (p-(s-bv))+(c-bv) != 0 {
			f = 1
		}
	}
	return float32(s), f
}

// axpy32 is kernels.Axpy for float32.
func axpy32(alpha float32, x, y []float32) {
	y = y[:len(x)]
	a := float64(alpha)
	i := 0
	for ; i <= len(x)-4; i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		p0, p1, p2, p3 := float64(a*float64(xs[0])), float64(a*float64(xs[1])), float64(a*float64(xs[2])), float64(a*float64(xs[3]))
		c0, c1, c2, c3 := float64(ys[0]), float64(ys[1]), float64(ys[2]), float64(ys[3])
		s0, s1, s2, s3 := p0+c0, p1+c1, p2+c2, p3+c3
		if int64(suspect(s0)|suspect(s1)|suspect(s2)|suspect(s3)) < 0 {
			ys[0], ys[1], ys[2], ys[3] = round32(p0, c0), round32(p1, c1), round32(p2, c2), round32(p3, c3)
			continue
		}
		ys[0], ys[1], ys[2], ys[3] = float32(s0), float32(s1), float32(s2), float32(s3)
	}
	for ; i < len(x); i++ {
		y[i] = round32(float64(a*float64(x[i])), float64(y[i]))
	}
}

// axpby32 is kernels.Axpby for float32. It tests its sums with fast32, not
// fma32: alpha*x + beta*y with x and y of like magnitude (the bench's
// y -> 2x, which settles on exact midpoints) is often an exact float32
// midpoint, and fma32's branch, taken at random, would mispredict; fast32
// computes the TwoSum error of every sum, without a branch.
func axpby32(alpha float32, x []float32, beta float32, y []float32) {
	y = y[:len(x)]
	a := float64(alpha)
	i := 0
	for ; i <= len(x)-4; i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		p0, p1, p2, p3 := float64(a*float64(xs[0])), float64(a*float64(xs[1])), float64(a*float64(xs[2])), float64(a*float64(xs[3]))
		c0, c1, c2, c3 := float64(beta*ys[0]), float64(beta*ys[1]), float64(beta*ys[2]), float64(beta*ys[3])
		r0, f0 := fast32(p0, c0)
		r1, f1 := fast32(p1, c1)
		r2, f2 := fast32(p2, c2)
		r3, f3 := fast32(p3, c3)
		if int64(f0|f1|f2|f3) < 0 {
			r0, r1, r2, r3 = round32(p0, c0), round32(p1, c1), round32(p2, c2), round32(p3, c3)
		}
		ys[0], ys[1], ys[2], ys[3] = r0, r1, r2, r3
	}
	for ; i < len(x); i++ {
		y[i] = round32(float64(a*float64(x[i])), float64(beta*y[i]))
	}
}

// fast32 returns float32(s) for s = p+c rounded to float64, with a value
// whose top bit is set when that may not be p+c correctly rounded: s is a
// float32 midpoint or below the float32 normal range (as in suspect), and
// p+c is not exact (its TwoSum error e is not zero; an exact s rounds
// once, correctly, whatever its bits), as fma32 flags, but computed for
// every sum, without a branch, for Axpby, where exact midpoints are
// frequent and at random. Neither e nor the test lies on the path
// from p and c to the result: in a chain of fmas the CPU runs ahead on
// the predicted branch.
//
// In bits: sb<<1 - 897<<53 has its top bit set iff the exponent field of
// s is below 897 (|s| < 2^-126; |s| < 2^257 keeps larger exponents from
// wrapping), or for an infinite or NaN s, which then takes the slow way;
// e*e is positive iff e != 0 (e is 0 or at least 2^-298 in magnitude, see
// kernels.FMA32), so the negation of its bits has the top bit set iff
// e != 0.
func fast32(p, c float64) (float32, uint64) {
	s := p + c
	bv := s - p
	e := (p - (s - bv)) + (c - bv)
	sb := math.Float64bits(s)
	bad := (((sb & (1<<29 - 1)) ^ 1<<28) - 1) | (sb<<1 - 897<<53)
	return float32(s), bad & -math.Float64bits(e*e)
}

// dot32 is kernels.Dot for float32: Lanes32 = 64 lanes.
func dot32(x, y []float32) float32 {
	const k = kernels.Lanes32
	var acc [k]float32
	y = y[:len(x)]
	n := len(x)
	i := 0
	for ; i <= n-k; i += k {
		xb, yb := x[i:i+k:i+k], y[i:i+k:i+k]
		for j := 0; j < k; j += 4 {
			xs, ys, as := xb[j:j+4:j+4], yb[j:j+4:j+4], acc[j:j+4:j+4]
			p0, p1, p2, p3 := float64(float64(xs[0])*float64(ys[0])), float64(float64(xs[1])*float64(ys[1])), float64(float64(xs[2])*float64(ys[2])), float64(float64(xs[3])*float64(ys[3]))
			c0, c1, c2, c3 := float64(as[0]), float64(as[1]), float64(as[2]), float64(as[3])
			s0, s1, s2, s3 := p0+c0, p1+c1, p2+c2, p3+c3
			if int64(suspect(s0)|suspect(s1)|suspect(s2)|suspect(s3)) < 0 {
				as[0], as[1], as[2], as[3] = round32(p0, c0), round32(p1, c1), round32(p2, c2), round32(p3, c3)
				continue
			}
			as[0], as[1], as[2], as[3] = float32(s0), float32(s1), float32(s2), float32(s3)
		}
	}
	// The padded last block: lanes past the end take fma(+0, +0, acc),
	// which is acc + 0 (turning -0 into +0).
	if i < n {
		for j := range acc {
			var p float64
			if i+j < n {
				p = float64(float64(x[i+j]) * float64(y[i+j]))
			}
			acc[j] = round32(p, float64(acc[j]))
		}
	}
	for h := k / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] = acc[j] + acc[j+h]
		}
	}
	return acc[0]
}

// momentum32 is kernels.MomentumStep for float32. Each fma is fma32,
// recomputed with round32 in the rare case fma32 flags. Reads and writes
// of one element happen in the order of kernels/.
func momentum32(p, g, v []float32, h *kernels.Momentum[float32]) {
	g = g[:len(p)]
	negLR, wd, mu := float64(-h.LR), float64(h.WeightDecay), float64(h.Mu)
	c := 1 - h.Dampening
	maximize, decay, fresh, nesterov := h.Maximize, h.WeightDecay != 0, h.Fresh, h.Nesterov
	if h.Mu != 0 {
		v = v[:len(p)]
	}
	if h.Mu != 0 && !maximize && !decay && !fresh && !nesterov {
		// Heavy ball, the common case, without the tests.
		for i, gi := range g {
			pv, cd := float64(mu*float64(v[i])), float64(c*gi)
			vn, f := fma32(pv, cd, 0)
			if f != 0 {
				vn = round32(pv, cd)
			}
			v[i] = vn
			pp, pi := float64(negLR*float64(vn)), float64(p[i])
			pn, f := fma32(pp, pi, 0)
			if f != 0 {
				pn = round32(pp, pi)
			}
			p[i] = pn
		}
		return
	}
	for i, gi := range g {
		if maximize {
			gi = -gi
		}
		d := gi
		if decay {
			pw, gw := float64(wd*float64(p[i])), float64(gi)
			var f uint64
			if d, f = fma32(pw, gw, 0); f != 0 {
				d = round32(pw, gw)
			}
		}
		s := d
		if h.Mu != 0 {
			vn := d
			if !fresh {
				pv, cd := float64(mu*float64(v[i])), float64(c*d)
				var f uint64
				if vn, f = fma32(pv, cd, 0); f != 0 {
					vn = round32(pv, cd)
				}
			}
			s = vn
			if nesterov {
				pn, dn := float64(mu*float64(vn)), float64(d)
				var f uint64
				if s, f = fma32(pn, dn, 0); f != 0 {
					s = round32(pn, dn)
				}
			}
			v[i] = vn
		}
		pp, pi := float64(negLR*float64(s)), float64(p[i])
		pn, f := fma32(pp, pi, 0)
		if f != 0 {
			pn = round32(pp, pi)
		}
		p[i] = pn
	}
}
