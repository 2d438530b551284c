//go:build !purego

package downhill

import (
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/internal/generic"
)

// The path switch of Gemm on amd64 (callers guarantee valid arguments and
// m, n > 0; see checkGemm). k == 0 has no chain to run: the generic code
// applies alpha and beta to acc = +0.

func gemm32(p Path, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	switch {
	case p == dispatch.AVX2 && k > 0:
		gemmAVX2(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	default:
		generic.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

func gemm64(p Path, transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	switch {
	case p == dispatch.AVX2 && k > 0:
		gemmAVX2(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	default:
		generic.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}
