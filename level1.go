package downhill

import (
	"unsafe"

	"github.com/downhill-go/downhill/internal/generic"
)

// Asum returns |x[0]| + ... + |x[n-1]|, summed in Dot's canonical order
// (K lanes, |x[b*K+k]| added to lane k block by block, then the pairwise
// reduction; see kernels.Asum). float32 sums in float32. Empty x gives 0.
func Asum[F Float](x []F) F { return Kernels[F]{active}.Asum(x) }

// Nrm2 returns the Euclidean norm of x without overflow or underflow in
// intermediate results. float32 sums the (exact) squares in float64 in
// Dot's canonical order; float64 takes Dot(x, x) and, only when that sum
// overflowed, underflowed below kernels.Nrm2Tiny or met an Inf, rescales
// by a power of two (see kernels.Nrm2 for the exact sequence). A NaN in x
// gives NaN, else an Inf gives +Inf. Empty x gives 0.
func Nrm2[F Float](x []F) F { return Kernels[F]{active}.Nrm2(x) }

// Iamax returns the index of the first element of largest absolute value,
// as the reference BLAS loop finds it: NaN elements are skipped, except
// that a NaN in x[0] gives 0. Empty x gives -1.
func Iamax[F Float](x []F) int { return Kernels[F]{active}.Iamax(x) }

// Asum is the package-level Asum on path k. No path has assembly for it
// yet: every path runs the generic implementation.
func (k Kernels[F]) Asum(x []F) F {
	if len(x) == 0 {
		return 0
	}
	return generic.Asum(x)
}

// Nrm2 is the package-level Nrm2 on path k. float64 computes its sum of
// squares with path k's Dot (which every path computes in the same
// order); the rest, and float32, run the generic implementation.
func (k Kernels[F]) Nrm2(x []F) F {
	if len(x) == 0 {
		return 0
	}
	if is32[F]() {
		return generic.Nrm2(x)
	}
	x64 := s64(x)
	r := generic.Nrm2Finish(x64, dot64(k.path, x64, x64))
	return *(*F)(unsafe.Pointer(&r))
}

// Iamax is the package-level Iamax on path k (generic on every path).
func (k Kernels[F]) Iamax(x []F) int {
	if len(x) == 0 {
		return -1
	}
	return generic.Iamax(x)
}
