// Package generic is downhill's generic path: the kernels of package
// kernels, with the same names, signatures and results bit for bit, written
// for speed in plain Go. It runs wherever no assembly does (other GOARCHes,
// the purego build tag, amd64 without AVX2) and when DOWNHILL_KERNELS=generic
// forces it.
//
// What changes against kernels/ is only how the same operations are
// scheduled: loops unrolled by four, loop-invariant conversions hoisted,
// Dot's lanes kept in a local array, no calls in the hot loops (every
// helper here is inlined). Every operation and its order within an element
// stay those of kernels/, including the order of reads and writes, so that
// any two slice arguments may be the same slice (kernels' aliasing rule).
//
// float64 kernels use math.FMA, a single instruction on amd64 with FMA3 and
// on arm64. float32 kernels round a*b+c once, exactly, this way: the
// float64 sum s = a*b+c (the product is exact) converted to float32 is
// already correctly rounded unless s is a float32 midpoint or lies below
// the float32 normal range (suspect) and, in addition, s is not exact.
// Axpy and Dot test four sums at once with suspect and recompute the four
// with round32 (kernels.FMA32 after the product: branch-free, for every
// input) when any is flagged. Axpby, whose sums are exact midpoints often
// and at random, computes the TwoSum error of every sum without a branch
// (fast32) and flags only inexact ones. The momentum kernels test each
// fma with fma32: the bits of s in a branch that ordinary data almost
// never take, the TwoSum error only on a hit, and redo a flagged fma
// alone. The last elements use round32.
package generic

import (
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
)

// Float is the element type of every kernel.
type Float = kernels.Float

// The exported functions are generic only in their signatures: each is
// inlined into its caller as one call of a non-generic function, which
// takes the slices as raw views and runs the float32 or float64 kernel. A
// call of a generic function instantiated in another package would make
// escape analysis assume that the slices escape (and slices of local
// arrays move to the heap); this way the callers keep downhill's
// no-allocation guarantee.

// raw points to a []float32 or a []float64 (a slice header).
type raw = unsafe.Pointer

func f32(r raw) []float32 { return *(*[]float32)(r) }
func f64(r raw) []float64 { return *(*[]float64)(r) }

// Axpy is kernels.Axpy: y[i] = fma(alpha, x[i], y[i]).
func Axpy[F Float](alpha F, x, y []F) {
	axpy(unsafe.Sizeof(alpha) == 4, float64(alpha), raw(&x), raw(&y))
}

func axpy(is32 bool, alpha float64, x, y raw) {
	if is32 {
		axpy32(float32(alpha), f32(x), f32(y))
	} else {
		axpy64(alpha, f64(x), f64(y))
	}
}

// Axpby is kernels.Axpby: y[i] = fma(alpha, x[i], beta*y[i]).
func Axpby[F Float](alpha F, x []F, beta F, y []F) {
	axpby(unsafe.Sizeof(alpha) == 4, float64(alpha), raw(&x), float64(beta), raw(&y))
}

func axpby(is32 bool, alpha float64, x raw, beta float64, y raw) {
	if is32 {
		axpby32(float32(alpha), f32(x), float32(beta), f32(y))
	} else {
		axpby64(alpha, f64(x), beta, f64(y))
	}
}

// Scale is kernels.Scale: x[i] = alpha*x[i].
func Scale[F Float](alpha F, x []F) { scale(unsafe.Sizeof(alpha) == 4, float64(alpha), raw(&x)) }

func scale(is32 bool, alpha float64, x raw) {
	if is32 {
		scaleN(float32(alpha), f32(x))
	} else {
		scaleN(alpha, f64(x))
	}
}

// scaleN is Scale for one element type.
func scaleN[F Float](alpha F, x []F) {
	i := 0
	for ; i <= len(x)-4; i += 4 {
		s := x[i : i+4 : i+4]
		s[0], s[1], s[2], s[3] = alpha*s[0], alpha*s[1], alpha*s[2], alpha*s[3]
	}
	for ; i < len(x); i++ {
		x[i] = alpha * x[i]
	}
}

// Dot is kernels.Dot, in its canonical order of Lanes32 (float32) or
// Lanes64 (float64) lanes.
func Dot[F Float](x, y []F) F {
	var z F
	return F(dot(unsafe.Sizeof(z) == 4, raw(&x), raw(&y)))
}

// dot returns the float32 result converted to float64 (exactly) for
// float32.
func dot(is32 bool, x, y raw) float64 {
	if is32 {
		return float64(dot32(f32(x), f32(y)))
	}
	return dot64(f64(x), f64(y))
}

// SumRows is kernels.SumRows: with n = len(dst) and m = len(src)/n rows,
// dst[i] = scale * (src[i] + src[n+i] + ... + src[(m-1)*n+i]), added in
// row order; m = 0 gives dst[i] = 0.
func SumRows[F Float](dst []F, scale F, src []F) {
	sumRows(unsafe.Sizeof(scale) == 4, raw(&dst), float64(scale), raw(&src))
}

func sumRows(is32 bool, dst raw, scale float64, src raw) {
	if is32 {
		sumRowsN(f32(dst), float32(scale), f32(src))
	} else {
		sumRowsN(f64(dst), scale, f64(src))
	}
}

func sumRowsN[F Float](dst []F, scale F, src []F) {
	n := len(dst)
	if n == 0 {
		return
	}
	m := len(src) / n
	if m == 0 {
		clear(dst)
		return
	}
	for j := 0; j < n; j += tile {
		d := dst[j:min(j+tile, n)]
		sumTile(d, src, n, m, j)
		scaleN(scale, d)
	}
}

// tile is the number of columns summed over all rows at a time (as in
// kernels/): the block of partial sums stays in L1 while the rows stream.
const tile = 256

// sumTile sets s[i] = src[j+i] + src[n+j+i] + ... over the m >= 1 rows,
// added in row order. s may be the same slice as src's first row (m = 1);
// any other overlap is not allowed (kernels' aliasing rule).
func sumTile[F Float](s []F, src []F, n, m, j int) {
	copy(s, src[j:j+len(s)])
	for r := 1; r < m; r++ {
		row := src[r*n+j : r*n+j+len(s)]
		row = row[:len(s)]
		i := 0
		for ; i <= len(s)-4; i += 4 {
			a, b := s[i:i+4:i+4], row[i:i+4:i+4]
			a[0], a[1], a[2], a[3] = a[0]+b[0], a[1]+b[1], a[2]+b[2], a[3]+b[3]
		}
		for ; i < len(s); i++ {
			s[i] = s[i] + row[i]
		}
	}
}

// MomentumStep is kernels.MomentumStep.
func MomentumStep[F Float](p, g, v []F, h kernels.Momentum[F]) {
	momentum(unsafe.Sizeof(h.LR) == 4, raw(&p), raw(&g), raw(&v), raw(&h))
}

// momentum runs MomentumStep with h a *kernels.Momentum of the element
// type.
func momentum(is32 bool, p, g, v raw, h raw) {
	if is32 {
		momentum32(f32(p), f32(g), f32(v), (*kernels.Momentum[float32])(h))
	} else {
		momentum64(f64(p), f64(g), f64(v), (*kernels.Momentum[float64])(h))
	}
}

// BatchMomentumStep is kernels.BatchMomentumStep: SumRows of rows with
// scale into a gradient, then MomentumStep, one tile of columns at a time.
func BatchMomentumStep[F Float](p, v, rows []F, scale F, h kernels.Momentum[F]) {
	batchMomentum(unsafe.Sizeof(scale) == 4, raw(&p), raw(&v), raw(&rows), float64(scale), raw(&h))
}

func batchMomentum(is32 bool, p, v, rows raw, scale float64, h raw) {
	if is32 {
		batchMomentum32(f32(p), f32(v), f32(rows), float32(scale), (*kernels.Momentum[float32])(h))
	} else {
		batchMomentum64(f64(p), f64(v), f64(rows), scale, (*kernels.Momentum[float64])(h))
	}
}

// batchMomentum32 and batchMomentum64 are BatchMomentumStep for one element
// type.
func batchMomentum32(p, v, rows []float32, scale float32, h *kernels.Momentum[float32]) {
	n := len(p)
	if n == 0 {
		return
	}
	m := len(rows) / n
	var sums [tile]float32 // the gradient of one tile of columns
	for j := 0; j < n; j += tile {
		g := sums[:min(tile, n-j)]
		if m == 0 {
			clear(g) // SumRows of no rows is 0
		} else {
			sumTile(g, rows, n, m, j)
			scaleN(scale, g)
		}
		pj := p[j : j+len(g)]
		var vj []float32
		if h.Mu != 0 {
			vj = v[j : j+len(g)]
		}
		momentum32(pj, g, vj, h)
	}
}

func batchMomentum64(p, v, rows []float64, scale float64, h *kernels.Momentum[float64]) {
	n := len(p)
	if n == 0 {
		return
	}
	m := len(rows) / n
	var sums [tile]float64 // the gradient of one tile of columns
	for j := 0; j < n; j += tile {
		g := sums[:min(tile, n-j)]
		if m == 0 {
			clear(g) // SumRows of no rows is 0
		} else {
			sumTile(g, rows, n, m, j)
			scaleN(scale, g)
		}
		pj := p[j : j+len(g)]
		var vj []float64
		if h.Mu != 0 {
			vj = v[j : j+len(g)]
		}
		momentum64(pj, g, vj, h)
	}
}
