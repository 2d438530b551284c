// Package downhill is a fast, exactly reproducible backend for the inner
// loop of mini-batch gradient descent: fused axpy, dot, batch gradient
// reduction (SumRows) and the fused momentum update, in AVX2 (amd64,
// generated with avo) and NEON (arm64) assembly, with a pure-Go generic
// path.
//
// Every path gives bit-identical results: the exact semantics of each
// kernel are those of package kernels (the executable specification),
// where fma(a, b, c) is a*b+c rounded once and every other operation is
// one IEEE operation. The active path is chosen at startup by package
// dispatch; DOWNHILL_KERNELS=generic|avx2|neon forces one, and On runs
// any available path explicitly.
//
// Rules shared by every kernel: slices of mismatched length panic with a
// message naming the kernel and the lengths; empty slices are a no-op; any
// two slice arguments of one call may be the same slice (same first
// element and length), with the result of package kernels on every path
// (its package documentation gives the order of reads and writes), but
// partially overlapping slices give unspecified results; any length and
// alignment works and nothing outside the slices is read or written; no
// call allocates; every kernel is safe for concurrent use on distinct
// outputs.
package downhill

import (
	"fmt"
	"unsafe"

	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// Float is the element type of every kernel.
type Float interface{ float32 | float64 }

// Momentum holds the hyper-parameters of MomentumStep and
// BatchMomentumStep (PyTorch's torch.optim.SGD rule).
//
//	LR, Mu, Dampening, WeightDecay F
//	Nesterov bool // step along d + Mu*v' instead of v'
//	Maximize bool // ascend: g is negated first
//	Fresh    bool // v holds no history yet (first step): v' = d
type Momentum[F Float] = kernels.Momentum[F]

// Path names one kernel implementation (generic, avx2, neon).
type Path = dispatch.Path

// active is read once: the path never changes while the program runs.
var active = dispatch.Active()

// Kernels runs every kernel on one path. The package-level functions use
// the active path; On gives any other available one, so that tests and
// benchmarks can compare paths side by side in one process:
//
//	for _, p := range dispatch.Available() {
//		k, _ := downhill.On[float32](p)
//		k.Axpy(2, x, y)
//	}
type Kernels[F Float] struct{ path Path }

// On returns the kernels of path p, or an error if p cannot run here.
func On[F Float](p Path) (Kernels[F], error) {
	if !dispatch.IsAvailable(p) {
		return Kernels[F]{}, fmt.Errorf("downhill: path %s is not available here (available: %v)", p, dispatch.Available())
	}
	return Kernels[F]{p}, nil
}

// Path returns the path k runs on.
func (k Kernels[F]) Path() Path { return k.path }

// Axpy sets y[i] = fma(alpha, x[i], y[i]) for every i: alpha*x[i] + y[i]
// rounded once.
func Axpy[F Float](alpha F, x, y []F) { Kernels[F]{active}.Axpy(alpha, x, y) }

// Axpby sets y[i] = fma(alpha, x[i], beta*y[i]) for every i, where
// beta*y[i] is rounded on its own and the fused multiply-add once.
func Axpby[F Float](alpha F, x []F, beta F, y []F) { Kernels[F]{active}.Axpby(alpha, x, beta, y) }

// Scale sets x[i] = alpha*x[i] for every i.
func Scale[F Float](alpha F, x []F) { Kernels[F]{active}.Scale(alpha, x) }

// Dot returns the dot product of x and y, summed in the canonical order
// that every path follows: K = 64 lanes for float32, 32 for float64; lane
// k accumulates acc[k] = fma(x[b*K+k], y[b*K+k], acc[k]) over blocks
// b = 0, 1, ... (the last block padded with +0); the lanes are then added
// pairwise, acc[k] += acc[k+h] for h = K/2, ..., 1; the result is acc[0].
func Dot[F Float](x, y []F) F { return Kernels[F]{active}.Dot(x, y) }

// SumRows treats src as m = len(src)/len(dst) rows of len(dst) columns and
// sets dst[i] = scale*s with s = src[i] + src[n+i] + ... + src[(m-1)*n+i],
// added in row order (n = len(dst)); m = 0 gives dst[i] = 0. It panics if
// len(src) is not a multiple of len(dst).
func SumRows[F Float](dst []F, scale F, src []F) { Kernels[F]{active}.SumRows(dst, scale, src) }

// MomentumStep applies one step of SGD with momentum (PyTorch's
// torch.optim.SGD) to every element i of the parameters p, with gradient
// g and velocity v, in one pass:
//
//	g' = -g[i] if Maximize else g[i]
//	d  = g' if WeightDecay == 0 else fma(WeightDecay, p[i], g')
//	if Mu == 0: s = d (v is neither read nor written and may be nil)
//	else:
//	   v' = d if Fresh else fma(Mu, v[i], c*d), with c = 1 - Dampening
//	   s  = fma(Mu, v', d) if Nesterov else v'
//	   v[i] = v'
//	p[i] = fma(-LR, s, p[i])
func MomentumStep[F Float](p, g, v []F, h Momentum[F]) { Kernels[F]{active}.MomentumStep(p, g, v, h) }

// BatchMomentumStep sums the gradient rows of a mini-batch and applies
// MomentumStep in one pass over memory: it is bit-identical to
//
//	SumRows(g, scale, rows); MomentumStep(p, g, v, h)
//
// with g a temporary of len(p), but reads rows, p and v once and writes
// p and v once. len(rows) must be a multiple of len(p).
func BatchMomentumStep[F Float](p, v, rows []F, scale F, h Momentum[F]) {
	Kernels[F]{active}.BatchMomentumStep(p, v, rows, scale, h)
}

// Axpy is the package-level Axpy on path k.
func (k Kernels[F]) Axpy(alpha F, x, y []F) {
	if len(x) != len(y) {
		panicLength("Axpy", "x", len(x), "y", len(y))
	}
	if len(x) == 0 {
		return
	}
	if is32[F]() {
		axpy32(k.path, f32(alpha), s32(x), s32(y))
	} else {
		axpy64(k.path, f64(alpha), s64(x), s64(y))
	}
}

// Axpby is the package-level Axpby on path k.
func (k Kernels[F]) Axpby(alpha F, x []F, beta F, y []F) {
	if len(x) != len(y) {
		panicLength("Axpby", "x", len(x), "y", len(y))
	}
	if len(x) == 0 {
		return
	}
	if is32[F]() {
		axpby32(k.path, f32(alpha), s32(x), f32(beta), s32(y))
	} else {
		axpby64(k.path, f64(alpha), s64(x), f64(beta), s64(y))
	}
}

// Scale is the package-level Scale on path k.
func (k Kernels[F]) Scale(alpha F, x []F) {
	if len(x) == 0 {
		return
	}
	if is32[F]() {
		scale32(k.path, f32(alpha), s32(x))
	} else {
		scale64(k.path, f64(alpha), s64(x))
	}
}

// Dot is the package-level Dot on path k.
func (k Kernels[F]) Dot(x, y []F) F {
	if len(x) != len(y) {
		panicLength("Dot", "x", len(x), "y", len(y))
	}
	if len(x) == 0 {
		return 0
	}
	if is32[F]() {
		r := dot32(k.path, s32(x), s32(y))
		return *(*F)(unsafe.Pointer(&r))
	}
	r := dot64(k.path, s64(x), s64(y))
	return *(*F)(unsafe.Pointer(&r))
}

// SumRows is the package-level SumRows on path k.
func (k Kernels[F]) SumRows(dst []F, scale F, src []F) {
	if !isMultiple(len(src), len(dst)) {
		panicMultiple("SumRows", "src", len(src), "dst", len(dst))
	}
	if len(dst) == 0 {
		return
	}
	if is32[F]() {
		sumRows32(k.path, s32(dst), f32(scale), s32(src))
	} else {
		sumRows64(k.path, s64(dst), f64(scale), s64(src))
	}
}

// MomentumStep is the package-level MomentumStep on path k.
func (k Kernels[F]) MomentumStep(p, g, v []F, h Momentum[F]) {
	if len(g) != len(p) {
		panicLength("MomentumStep", "p", len(p), "g", len(g))
	}
	if h.Mu != 0 && len(v) != len(p) {
		panicLength("MomentumStep", "p", len(p), "v", len(v))
	}
	if len(p) == 0 {
		return
	}
	if is32[F]() {
		momentumStep32(k.path, s32(p), s32(g), s32(v), (*Momentum[float32])(unsafe.Pointer(&h)))
	} else {
		momentumStep64(k.path, s64(p), s64(g), s64(v), (*Momentum[float64])(unsafe.Pointer(&h)))
	}
}

// BatchMomentumStep is the package-level BatchMomentumStep on path k.
func (k Kernels[F]) BatchMomentumStep(p, v, rows []F, scale F, h Momentum[F]) {
	if !isMultiple(len(rows), len(p)) {
		panicMultiple("BatchMomentumStep", "rows", len(rows), "p", len(p))
	}
	if h.Mu != 0 && len(v) != len(p) {
		panicLength("BatchMomentumStep", "p", len(p), "v", len(v))
	}
	if len(p) == 0 {
		return
	}
	if is32[F]() {
		batchMomentumStep32(k.path, s32(p), s32(v), s32(rows), f32(scale), (*Momentum[float32])(unsafe.Pointer(&h)))
	} else {
		batchMomentumStep64(k.path, s64(p), s64(v), s64(rows), f64(scale), (*Momentum[float64])(unsafe.Pointer(&h)))
	}
}

// is32 reports whether F is float32; it is a constant in each
// instantiation, so the branch on it compiles away.
func is32[F Float]() bool {
	var z F
	return unsafe.Sizeof(z) == 4
}

// The conversions below are only called in the branch where F has the
// target's size, so they reinterpret F as itself.
func f32[F Float](a F) float32 { return *(*float32)(unsafe.Pointer(&a)) }
func f64[F Float](a F) float64 { return *(*float64)(unsafe.Pointer(&a)) }
func s32[F Float](x []F) []float32 {
	return *(*[]float32)(unsafe.Pointer(&x))
}
func s64[F Float](x []F) []float64 {
	return *(*[]float64)(unsafe.Pointer(&x))
}

func isMultiple(total, n int) bool {
	if n == 0 {
		return total == 0
	}
	return total%n == 0
}

// panicLength and panicMultiple panic on mismatched lengths with a message
// such as "downhill: Axpy: len(x)=3 != len(y)=4". They stay out of line so
// that the kernels' entry points carry no formatting code.
//
//go:noinline
func panicLength(kernel, a string, na int, b string, nb int) {
	panic(fmt.Sprintf("downhill: %s: len(%s)=%d != len(%s)=%d", kernel, a, na, b, nb))
}

//go:noinline
func panicMultiple(kernel, a string, na int, b string, nb int) {
	panic(fmt.Sprintf("downhill: %s: len(%s)=%d is not a multiple of len(%s)=%d", kernel, a, na, b, nb))
}
