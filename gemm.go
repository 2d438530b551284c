package downhill

import (
	"fmt"
	"math/bits"
)

// Gemm computes C = alpha*op(A)*op(B) + beta*C, row-major with BLAS
// conventions: op(A) is m×k, its element (i,p) is a[i*lda+p], or
// a[p*lda+i] when transA; op(B) is k×n, its element (p,j) is b[p*ldb+j],
// or b[j*ldb+p] when transB; C is m×n, its element (i,j) is c[i*ldc+j].
//
// Every path computes every element of C with exactly these roundings:
//
//	acc = +0
//	for p = 0, 1, ..., k-1: acc = fma(opA(i,p), opB(p,j), acc)
//	if beta == 0: C(i,j) = alpha*acc                    (C is not read: a NaN there does not leak)
//	else:         C(i,j) = fma(alpha, acc, beta*C(i,j)) (beta*C rounded on its own, as in Axpby)
//
// m, n or k of 0 follow the formula (k == 0 gives acc = +0, so C becomes
// alpha*0 or fma(alpha, 0, beta*C)). Nothing outside the m×n window of C
// is written: the gaps of ldc > n stay untouched. Gemm panics, with a
// message naming the argument, on a negative dimension, a leading
// dimension below max(1, row length) (lda >= k, or m when transA;
// ldb >= n, or k when transB; ldc >= n) or a slice shorter than the last
// element it must hold. A and B may be the same slice; C must not overlap
// either (results unspecified). Gemm does not allocate.
func Gemm[F Float](transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	Kernels[F]{active}.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Gemm is the package-level Gemm on path k.
func (k Kernels[F]) Gemm(transA, transB bool, m, n, kk int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	checkGemm(transA, transB, m, n, kk, lda, len(a), ldb, len(b), ldc, len(c))
	if m == 0 || n == 0 {
		return
	}
	if is32[F]() {
		gemm32(k.path, transA, transB, m, n, kk, f32(alpha), s32(a), lda, s32(b), ldb, f32(beta), s32(c), ldc)
	} else {
		gemm64(k.path, transA, transB, m, n, kk, f64(alpha), s64(a), lda, s64(b), ldb, f64(beta), s64(c), ldc)
	}
}

// checkGemm panics unless the arguments of Gemm describe matrices that
// lie inside their slices. Storage of A is rowsA×colsA at stride lda:
// m×k, or k×m when transA; likewise B is k×n or n×k; C is m×n.
func checkGemm(transA, transB bool, m, n, k, lda, la, ldb, lb, ldc, lc int) {
	switch {
	case m < 0:
		panicGemmDim("m", m)
	case n < 0:
		panicGemmDim("n", n)
	case k < 0:
		panicGemmDim("k", k)
	}
	rowsA, colsA, rA, cA := m, k, "m", "k"
	if transA {
		rowsA, colsA, rA, cA = k, m, "k", "m"
	}
	rowsB, colsB, rB, cB := k, n, "k", "n"
	if transB {
		rowsB, colsB, rB, cB = n, k, "n", "k"
	}
	if lda < max(1, colsA) {
		panicGemmLd("lda", lda, cA, colsA)
	}
	if ldb < max(1, colsB) {
		panicGemmLd("ldb", ldb, cB, colsB)
	}
	if ldc < max(1, n) {
		panicGemmLd("ldc", ldc, "n", n)
	}
	if short(la, rowsA, colsA, lda) {
		panicGemmLen("a", la, rA, rowsA, cA, colsA, "lda", lda)
	}
	if short(lb, rowsB, colsB, ldb) {
		panicGemmLen("b", lb, rB, rowsB, cB, colsB, "ldb", ldb)
	}
	if short(lc, m, n, ldc) {
		panicGemmLen("c", lc, "m", m, "n", n, "ldc", ldc)
	}
}

// short reports whether a slice of length l is shorter than
// (rows-1)*ld + cols, the index after the last element of a rows×cols
// matrix stored at stride ld >= 1, without overflowing.
func short(l, rows, cols, ld int) bool {
	if rows == 0 || cols == 0 {
		return false
	}
	return l < cols || rows-1 > (l-cols)/ld
}

//go:noinline
func panicGemmDim(name string, v int) {
	panic(fmt.Sprintf("downhill: Gemm: %s=%d < 0", name, v))
}

//go:noinline
func panicGemmLd(ld string, v int, dim string, d int) {
	panic(fmt.Sprintf("downhill: Gemm: %s=%d < max(1, %s=%d)", ld, v, dim, d))
}

//go:noinline
func panicGemmLen(s string, l int, rn string, rows int, cn string, cols int, ldn string, ld int) {
	need := "more than the address space"
	if hi, lo := bits.Mul64(uint64(rows-1), uint64(ld)); hi == 0 && lo+uint64(cols) >= lo {
		need = fmt.Sprint(lo + uint64(cols))
	}
	panic(fmt.Sprintf("downhill: Gemm: len(%s)=%d < (%s-1)*%s+%s = %s (%s=%d, %s=%d, %s=%d)",
		s, l, rn, ldn, cn, need, rn, rows, cn, cols, ldn, ld))
}
