// Package gonumblas is a gonum BLAS (gonum.org/v1/gonum/blas) backed by
// downhill's kernels:
//
//	blas64.Use(gonumblas.Implementation{})
//	blas32.Use(gonumblas.Implementation{})
//
// after which gonum's mat, blas64 and blas32 (and everything built on
// them) run their vector and matrix products on downhill.
//
// Implementation embeds gonum's pure-Go implementation
// (gonum.org/v1/gonum/blas/gonum) and overrides the routines downhill has
// kernels for, when their vectors are contiguous (every increment 1) and
// the arguments are valid:
//
//	Ddot  Sdot   downhill.Dot
//	Daxpy Saxpy  downhill.Axpy (alpha != 0)
//	Dscal Sscal  downhill.Scale (alpha != 0)
//	Dnrm2 Snrm2  downhill.Nrm2
//	Dasum Sasum  downhill.Asum
//	Idamax Isamax downhill.Iamax
//	Dgemm Sgemm  downhill.Gemm, any transposes and leading dimensions
//	              (alpha != 0, k > 0), rows split over GOMAXPROCS
//	              goroutines for large products
//
// Everything else (other increments, argument errors and their panics,
// and every other routine: Dcopy, Dswap, Drot, Drotg, Level 2, the rest
// of Level 3, the complex types) is gonum's own code. That includes Dsdot
// and Sdsdot (float32 data, float64 sums): downhill has no mixed-precision
// dot product, and widening blocks to float64 for downhill's Dot measured
// 6x slower than gonum's assembly.
//
// The cases left to gonum where downhill's exact semantics differ from
// what BLAS (and gonum's testblas) require:
//   - Axpy with alpha == 0 must leave y untouched; downhill computes
//     fma(0, x[i], y[i]), which is NaN where x[i] is Inf or NaN.
//   - Scal with alpha == 0 must set x to zero (NaN and Inf included);
//     downhill gives 0*x[i], NaN for those.
//   - Gemm with alpha == 0 or k == 0 must only scale C by beta, without
//     reading A and B (a NaN or Inf there must not leak); downhill
//     computes alpha*acc.
//
// Results follow downhill's rounding (fused multiply-adds, its canonical
// summation orders), so they may differ from gonum's in the last bits;
// gonum's contract is the tolerances of testblas, which this package's
// tests run. The routines that run on downhill give the same bits on every
// CPU.
package gonumblas

import (
	"runtime"
	"sync"

	"github.com/downhill-go/downhill"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is a blas.Float64 and blas.Float32 (and, through gonum,
// blas.Complex64 and blas.Complex128). Its zero value is ready to use and
// safe for concurrent use.
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float64 = Implementation{}
	_ blas.Float32 = Implementation{}
)

// unit1 reports whether one vector of n elements at increment inc is
// contiguous and present in x: then downhill runs it. Any other case
// (n <= 0, other increments, short slices) goes to gonum, which returns or
// panics as BLAS says.
func unit1[F downhill.Float](n int, x []F, inc int) bool {
	return n > 0 && inc == 1 && len(x) >= n
}

func unit2[F downhill.Float](n int, x []F, incX int, y []F, incY int) bool {
	return unit1(n, x, incX) && unit1(n, y, incY)
}

// Ddot returns the dot product of x and y (downhill.Dot for unit increments).
func (impl Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	if unit2(n, x, incX, y, incY) {
		return downhill.Dot(x[:n], y[:n])
	}
	return impl.Implementation.Ddot(n, x, incX, y, incY)
}

// Sdot returns the dot product of x and y (downhill.Dot for unit increments).
func (impl Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	if unit2(n, x, incX, y, incY) {
		return downhill.Dot(x[:n], y[:n])
	}
	return impl.Implementation.Sdot(n, x, incX, y, incY)
}

// Daxpy sets y = alpha*x + y (downhill.Axpy for unit increments and alpha != 0).
func (impl Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	if alpha != 0 && unit2(n, x, incX, y, incY) {
		downhill.Axpy(alpha, x[:n], y[:n])
		return
	}
	impl.Implementation.Daxpy(n, alpha, x, incX, y, incY)
}

// Saxpy sets y = alpha*x + y (downhill.Axpy for unit increments and alpha != 0).
func (impl Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	if alpha != 0 && unit2(n, x, incX, y, incY) {
		downhill.Axpy(alpha, x[:n], y[:n])
		return
	}
	impl.Implementation.Saxpy(n, alpha, x, incX, y, incY)
}

// Dscal sets x = alpha*x (downhill.Scale for unit increments and alpha != 0).
func (impl Implementation) Dscal(n int, alpha float64, x []float64, incX int) {
	if alpha != 0 && unit1(n, x, incX) {
		downhill.Scale(alpha, x[:n])
		return
	}
	impl.Implementation.Dscal(n, alpha, x, incX)
}

// Sscal sets x = alpha*x (downhill.Scale for unit increments and alpha != 0).
func (impl Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	if alpha != 0 && unit1(n, x, incX) {
		downhill.Scale(alpha, x[:n])
		return
	}
	impl.Implementation.Sscal(n, alpha, x, incX)
}

// Dnrm2 returns the Euclidean norm of x (downhill.Nrm2 for unit increments).
func (impl Implementation) Dnrm2(n int, x []float64, incX int) float64 {
	if unit1(n, x, incX) {
		return downhill.Nrm2(x[:n])
	}
	return impl.Implementation.Dnrm2(n, x, incX)
}

// Snrm2 returns the Euclidean norm of x (downhill.Nrm2 for unit increments).
func (impl Implementation) Snrm2(n int, x []float32, incX int) float32 {
	if unit1(n, x, incX) {
		return downhill.Nrm2(x[:n])
	}
	return impl.Implementation.Snrm2(n, x, incX)
}

// Dasum returns the sum of |x[i]| (downhill.Asum for unit increments).
func (impl Implementation) Dasum(n int, x []float64, incX int) float64 {
	if unit1(n, x, incX) {
		return downhill.Asum(x[:n])
	}
	return impl.Implementation.Dasum(n, x, incX)
}

// Sasum returns the sum of |x[i]| (downhill.Asum for unit increments).
func (impl Implementation) Sasum(n int, x []float32, incX int) float32 {
	if unit1(n, x, incX) {
		return downhill.Asum(x[:n])
	}
	return impl.Implementation.Sasum(n, x, incX)
}

// Idamax returns the index of the first element of largest absolute
// value (downhill.Iamax for unit increments).
func (impl Implementation) Idamax(n int, x []float64, incX int) int {
	if unit1(n, x, incX) {
		return downhill.Iamax(x[:n])
	}
	return impl.Implementation.Idamax(n, x, incX)
}

// Isamax returns the index of the first element of largest absolute
// value (downhill.Iamax for unit increments).
func (impl Implementation) Isamax(n int, x []float32, incX int) int {
	if unit1(n, x, incX) {
		return downhill.Iamax(x[:n])
	}
	return impl.Implementation.Isamax(n, x, incX)
}

// Dgemm computes C = alpha*op(A)*op(B) + beta*C on downhill.Gemm (when
// alpha != 0, k > 0 and the arguments are valid; gonum otherwise).
func (impl Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if alpha != 0 && gemmOK(tA, tB, m, n, k, lda, len(a), ldb, len(b), ldc, len(c)) {
		gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	impl.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C on downhill.Gemm (when
// alpha != 0, k > 0 and the arguments are valid; gonum otherwise).
func (impl Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if alpha != 0 && gemmOK(tA, tB, m, n, k, lda, len(a), ldb, len(b), ldc, len(c)) {
		gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	impl.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmOK reports whether gonum would compute this product without
// panicking and without a quick return: valid transposes, m, n, k > 0,
// leading dimensions and slice lengths large enough (gonum's checks).
func gemmOK(tA, tB blas.Transpose, m, n, k, lda, la, ldb, lb, ldc, lc int) bool {
	okT := func(t blas.Transpose) bool {
		return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
	}
	if !okT(tA) || !okT(tB) || m <= 0 || n <= 0 || k <= 0 {
		return false
	}
	rowsA, colsA := m, k
	if tA != blas.NoTrans {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if tB != blas.NoTrans {
		rowsB, colsB = n, k
	}
	fits := func(l, rows, cols, ld int) bool {
		// (rows-1)*ld + cols <= l, without overflow.
		return ld >= cols && l >= cols && (rows-1) <= (l-cols)/ld
	}
	return fits(la, rowsA, colsA, lda) && fits(lb, rowsB, colsB, ldb) && fits(lc, m, n, ldc)
}

// Products of at least gemmParWork multiply-adds are split by rows of C
// over up to GOMAXPROCS goroutines, in blocks of a multiple of
// gemmParRows rows (the avx2 micro-kernel's height). Every element of C is
// computed by the same chain as in one call, so the split changes no bit.
const (
	gemmParWork = 1 << 20
	gemmParRows = 6
)

func gemm[F downhill.Float](transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	workers := min(runtime.GOMAXPROCS(0), m/(4*gemmParRows))
	if workers < 2 || float64(m)*float64(n)*float64(k) < gemmParWork {
		downhill.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	rows := (m + workers - 1) / workers
	rows = (rows + gemmParRows - 1) / gemmParRows * gemmParRows
	var wg sync.WaitGroup
	for i0 := 0; i0 < m; i0 += rows {
		mi := min(rows, m-i0)
		// Row block i0..i0+mi-1 of op(A): rows of a, or columns when transposed.
		ai := a[i0*lda:]
		if transA {
			ai = a[i0:]
		}
		ci := c[i0*ldc:]
		wg.Go(func() {
			downhill.Gemm(transA, transB, mi, n, k, alpha, ai, lda, b, ldb, beta, ci, ldc)
		})
	}
	wg.Wait()
}
