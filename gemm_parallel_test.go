package downhill_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
)

// TestGemmParallel: GemmParallel gives Gemm's bits for every worker
// count, on every path, for products large enough to be split by rows
// and by columns, every transposition, with gaps in C that must stay
// untouched.
func TestGemmParallel(t *testing.T) {
	bothTypes(t, testGemmParallel[float32], testGemmParallel[float64])
}

func testGemmParallel[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(41, 42))
	shapes := [][3]int{{301, 97, 37}, {61, 413, 41}, {1000, 1100, 1}, {7, 5, 3}}
	if testing.Short() {
		shapes = shapes[:2]
	}
	for _, sh := range shapes {
		m, n, kk := sh[0], sh[1], sh[2]
		for tr := range 4 {
			ta, tb := tr&1 != 0, tr&2 != 0
			lda, ldb, ldc := kk+1, n+2, n+3
			la, lb := (m-1)*lda+kk, (kk-1)*ldb+n
			if ta {
				lda = m + 1
				la = (kk-1)*lda + m
			}
			if tb {
				ldb = kk + 2
				lb = (n-1)*ldb + kk
			}
			a, b := make([]F, la), make([]F, lb)
			ts.Fill(r, a, 0.01)
			ts.Fill(r, b, 0.01)
			c0 := make([]F, (m-1)*ldc+n)
			ts.Fill(r, c0, 0.01)
			for _, beta := range []F{0, 0.75} {
				want := append([]F(nil), c0...)
				k.Gemm(ta, tb, m, n, kk, 1.25, a, lda, b, ldb, beta, want, ldc)
				for _, w := range []int{1, 2, 3, 8, 0} {
					got := append([]F(nil), c0...)
					k.GemmParallel(w, ta, tb, m, n, kk, 1.25, a, lda, b, ldb, beta, got, ldc)
					what := fmt.Sprintf("GemmParallel(workers=%d) m=%d n=%d k=%d transA=%v transB=%v beta=%v", w, m, n, kk, ta, tb, beta)
					fail(t, what, ts.Diff(got, want))
				}
			}
		}
	}
}
