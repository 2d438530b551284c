// Package kernels is the executable specification of downhill's kernels:
// plain Go, with every rounding written out so that no compiler on any
// GOARCH or GOAMD64 level may fuse or reorder an operation. The "generic"
// path, used where no assembly runs, is package internal/generic: the same
// functions written for speed, tested against these bit for bit.
//
// fma(a, b, c) below is a*b+c with one rounding: math.FMA for float64 and
// FMA32 for float32. Every other operation is one IEEE operation in F, and
// a product that must round on its own is converted to F explicitly (the
// Go specification lets an implementation fuse x*y+z unless an explicit
// conversion rounds the product first).
//
// Every assembly path of downhill must agree with these functions bit for
// bit (any NaN matches any NaN).
//
// Aliasing. Any two (or all three) slice arguments of one call may be the
// same slice (same first element, same length; for SumRows and
// BatchMomentumStep that means one row), and every path must then give
// exactly what these functions give. Within one element, reads and writes
// happen in the order of the loop body here; for MomentumStep and
// BatchMomentumStep: g[i] is read (for BatchMomentumStep, the rows of
// column i are summed first), p[i] is read for the weight decay, v[i] is
// read, v[i] is written, then p[i] is read again and written. So with
// v == p, the final step reads the new v[i]. Slices that overlap only
// partially give unspecified results.
package kernels

import (
	"math"
	"unsafe"
)

// Float is the element type of every kernel.
type Float interface{ float32 | float64 }

// Lanes32 and Lanes64 are the number of independent accumulators of Dot:
// 256 bytes of lanes, so that 8 ymm, 4 zmm or 16 NEON q registers hold
// them exactly.
const (
	Lanes32 = 64
	Lanes64 = 32
)

// fma is a*b+c rounded once: math.FMA for float64, FMA32 for float32.
func fma[F Float](a, b, c F) F {
	if unsafe.Sizeof(a) == 8 {
		return F(math.FMA(float64(a), float64(b), float64(c)))
	}
	return F(FMA32(float32(a), float32(b), float32(c)))
}

// Axpy: y[i] = fma(alpha, x[i], y[i]). len(x) must equal len(y).
func Axpy[F Float](alpha F, x, y []F) {
	y = y[:len(x)]
	for i, xi := range x {
		y[i] = fma(alpha, xi, y[i])
	}
}

// Axpby: y[i] = fma(alpha, x[i], beta*y[i]), the product beta*y[i]
// rounded on its own. len(x) must equal len(y).
func Axpby[F Float](alpha F, x []F, beta F, y []F) {
	y = y[:len(x)]
	for i, xi := range x {
		y[i] = fma(alpha, xi, F(beta*y[i]))
	}
}

// Scale: x[i] = alpha*x[i].
func Scale[F Float](alpha F, x []F) {
	for i := range x {
		x[i] = F(alpha * x[i])
	}
}

// Dot returns the dot product of x and y in the canonical order:
// K = Lanes32 (float32) or Lanes64 (float64) lanes; x and y are padded
// with +0 to a multiple of K; lane k starts at +0 and takes, for blocks
// b = 0, 1, ... in order, acc[k] = fma(x[b*K+k], y[b*K+k], acc[k]); then
// for h = K/2, K/4, ..., 1: acc[k] = acc[k] + acc[k+h] for k < h. The
// result is acc[0]. len(x) must equal len(y).
func Dot[F Float](x, y []F) F {
	var acc [Lanes32]F // Lanes64 used for float64
	k := Lanes32
	if unsafe.Sizeof(acc[0]) == 8 {
		k = Lanes64
	}
	y = y[:len(x)]
	n := len(x)
	i := 0
	for ; i+k <= n; i += k {
		for j := 0; j < k; j++ {
			acc[j] = fma(x[i+j], y[i+j], acc[j])
		}
	}
	// The padded last block: lanes past the end take fma(+0, +0, acc),
	// which leaves acc unchanged except -0 + +0 = +0.
	for j := 0; j < k; j++ {
		if i+j < n {
			acc[j] = fma(x[i+j], y[i+j], acc[j])
		} else if i < n {
			acc[j] = fma(0, 0, acc[j])
		}
	}
	for h := k / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			acc[j] = acc[j] + acc[j+h]
		}
	}
	return acc[0]
}

// SumRows: with n = len(dst) and m = len(src)/n rows,
// s = src[i]; s = s + src[r*n+i] for r = 1..m-1; dst[i] = scale*s.
// m = 0 gives dst[i] = 0. len(src) must be a multiple of len(dst).
func SumRows[F Float](dst []F, scale F, src []F) {
	n := len(dst)
	if n == 0 {
		return
	}
	m := len(src) / n
	if m == 0 {
		clear(dst)
		return
	}
	var sums [tile]F
	for j := 0; j < n; j += tile {
		s := sumTile(sums[:min(tile, n-j)], src, n, m, j)
		for i, si := range s {
			dst[j+i] = F(scale * si)
		}
	}
}

// tile is the number of columns SumRows and BatchMomentumStep sum at a
// time: walking all m rows for a block of columns, rather than one column
// at a time, keeps memory access sequential. Each column's additions
// happen in row order either way, so the result is the same.
const tile = 256

// sumTile sets s[i] = src[j+i] + src[n+j+i] + ... over the m >= 1 rows,
// added in row order, and returns s.
func sumTile[F Float](s []F, src []F, n, m, j int) []F {
	copy(s, src[j:j+len(s)])
	for r := 1; r < m; r++ {
		row := src[r*n+j : r*n+j+len(s)]
		for i, x := range row {
			s[i] = s[i] + x
		}
	}
	return s
}

// Momentum holds the hyper-parameters of one MomentumStep: PyTorch's
// torch.optim.SGD update, with the learning rate applied to the whole
// velocity.
type Momentum[F Float] struct {
	LR, Mu, Dampening, WeightDecay F
	Nesterov                       bool // step along d + Mu*v' instead of v'
	Maximize                       bool // ascend: g is negated first
	Fresh                          bool // v holds no history yet (first step): v' = d
}

// MomentumStep applies one step to every element i:
//
//	g' = -g[i] if Maximize else g[i]
//	d  = g' if WeightDecay == 0 else fma(WeightDecay, p[i], g')
//	if Mu == 0: s = d (v is neither read nor written)
//	else:
//	   v' = d if Fresh else fma(Mu, v[i], c*d), c = 1 - Dampening in F
//	   s  = fma(Mu, v', d) if Nesterov else v'
//	   v[i] = v'
//	p[i] = fma(-LR, s, p[i])
//
// len(g) must equal len(p), and so must len(v) unless Mu == 0.
func MomentumStep[F Float](p, g, v []F, h Momentum[F]) {
	c := F(1 - h.Dampening)
	g = g[:len(p)]
	if h.Mu != 0 {
		v = v[:len(p)]
	}
	for i := range p {
		p[i] = momentumElem(p, v, i, g[i], c, &h)
	}
}

// momentumElem is MomentumStep for element i with gradient gi; it writes
// v[i] and returns the new p[i].
func momentumElem[F Float](p, v []F, i int, gi, c F, h *Momentum[F]) F {
	if h.Maximize {
		gi = -gi
	}
	d := gi
	if h.WeightDecay != 0 {
		d = fma(h.WeightDecay, p[i], gi)
	}
	s := d
	if h.Mu != 0 {
		vn := d
		if !h.Fresh {
			vn = fma(h.Mu, v[i], F(c*d))
		}
		s = vn
		if h.Nesterov {
			s = fma(h.Mu, vn, d)
		}
		v[i] = vn
	}
	return fma(-h.LR, s, p[i])
}

// BatchMomentumStep is SumRows of rows (len(p) columns) with scale into a
// gradient g, then MomentumStep(p, g, v, h), fused: per element i,
// g[i] = SumRows(rows, scale)[i] and then the MomentumStep formula. It is
// bit-identical to the two-step form. len(rows) must be a multiple of
// len(p).
func BatchMomentumStep[F Float](p, v, rows []F, scale F, h Momentum[F]) {
	n := len(p)
	if n == 0 {
		return
	}
	m := len(rows) / n
	c := F(1 - h.Dampening)
	if h.Mu != 0 {
		v = v[:n]
	}
	var sums [tile]F // the gradient of one tile of columns
	for j := 0; j < n; j += tile {
		g := sums[:min(tile, n-j)]
		if m == 0 {
			clear(g) // SumRows of no rows is 0
		} else {
			for i, si := range sumTile(g, rows, n, m, j) {
				g[i] = F(scale * si)
			}
		}
		for i, gi := range g {
			p[j+i] = momentumElem(p, v, j+i, gi, c, &h)
		}
	}
}
