package downhill

import (
	"runtime"
	"sync"
)

// GemmParallel is Gemm with C split into blocks that up to workers
// goroutines compute at once (workers <= 0: GOMAXPROCS). The blocks are
// bands of rows of C, or bands of columns when C is wider than tall; an
// element's k-chain is never split, so every element gets exactly Gemm's
// roundings and the result is bit-identical to Gemm for any worker count
// and any band boundary. Products below about a million multiply-adds (and
// k == 0) run on the calling goroutine. The arguments are checked (and bad ones panic)
// before any goroutine starts. Unlike Gemm, a call that splits allocates
// its goroutines.
func GemmParallel[F Float](workers int, transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	Kernels[F]{active}.GemmParallel(workers, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmParallelMin is the number of multiply-adds below which GemmParallel
// does not split: a goroutine costs about a microsecond, a micro-second of
// avx2 Gemm is a few thousand multiply-adds, so splitting smaller products
// gains little.
const gemmParallelMin = 1 << 20

// gemmBand is the granularity of the bands: a multiple of the row heights
// (6 on avx2, 8 on neon) and column widths (16 and 8 float32) of the
// micro-kernels, so that bands do not leave extra edge tiles.
const gemmBand = 48

// GemmParallel is the package-level GemmParallel on path k.
func (k Kernels[F]) GemmParallel(workers int, transA, transB bool, m, n, kk int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	checkGemm(transA, transB, m, n, kk, lda, len(a), ldb, len(b), ldc, len(c))
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rows := m >= n
	long := n
	if rows {
		long = m
	}
	bands := min(workers, (long+gemmBand-1)/gemmBand)
	if bands <= 1 || kk == 0 || m*n*kk < gemmParallelMin {
		k.Gemm(transA, transB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	// Bands of whole gemmBand blocks, as even as they can be.
	blocks := (long + gemmBand - 1) / gemmBand
	var wg sync.WaitGroup
	for w := range bands {
		lo := min(long, blocks*w/bands*gemmBand)
		hi := min(long, blocks*(w+1)/bands*gemmBand)
		if lo == hi {
			continue
		}
		wg.Go(func() {
			if rows { // rows lo..hi of C and of op(A)
				aOff := lo * lda
				if transA {
					aOff = lo
				}
				k.Gemm(transA, transB, hi-lo, n, kk, alpha, a[aOff:], lda, b, ldb, beta, c[lo*ldc:], ldc)
			} else { // columns lo..hi of C and of op(B)
				bOff := lo
				if transB {
					bOff = lo * ldb
				}
				k.Gemm(transA, transB, m, hi-lo, kk, alpha, a, lda, b[bOff:], ldb, beta, c[lo:], ldc)
			}
		})
	}
	wg.Wait()
}
