package kernels

// Gemm computes C = alpha*op(A)*op(B) + beta*C in row-major storage with
// BLAS conventions: op(A) is m×k, its element (i,p) is a[i*lda+p], or
// a[p*lda+i] when transA; op(B) is k×n, its element (p,j) is b[p*ldb+j],
// or b[j*ldb+p] when transB; C is m×n, its element (i,j) is c[i*ldc+j].
//
// Every element of C is computed by this exact sequence of roundings:
//
//	acc = +0
//	for p = 0, 1, ..., k-1: acc = fma(opA(i,p), opB(p,j), acc)
//	if beta == 0: C(i,j) = alpha*acc                     (C is not read)
//	else:         C(i,j) = fma(alpha, acc, beta*C(i,j))  (beta*C rounded on its own)
//
// There are no shortcuts: k == 0 gives acc = +0 and still goes through the
// last step (alpha = Inf then gives NaN), alpha == 0 multiplies acc as any
// other alpha. Only elements of the m×n window of C are written; the gaps
// between rows (ldc > n) are neither read nor written.
//
// C must not overlap A or B (the result would depend on the order in which
// elements are computed); A and B may be the same slice. Gemm does not
// check its arguments: the caller (package downhill) does.
func Gemm[F Float](transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var acc F // +0
			for p := 0; p < k; p++ {
				var x, y F
				if transA {
					x = a[p*lda+i]
				} else {
					x = a[i*lda+p]
				}
				if transB {
					y = b[j*ldb+p]
				} else {
					y = b[p*ldb+j]
				}
				acc = fma(x, y, acc)
			}
			if beta == 0 {
				c[i*ldc+j] = F(alpha * acc)
			} else {
				c[i*ldc+j] = fma(alpha, acc, F(beta*c[i*ldc+j]))
			}
		}
	}
}
