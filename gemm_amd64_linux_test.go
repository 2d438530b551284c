//go:build amd64 && linux && !purego

package downhill

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/downhill-go/downhill/kernels"
	"github.com/klauspost/cpuid/v2"
)

// TestAVX2GemmGuardPages runs Gemm's avx2 path (micro-kernels, masked
// edges, both packings of B) on matrices that end at (or start at) an
// inaccessible page: a read or write outside a slice crashes the test,
// and a write elsewhere in the page is caught by the canary.
func TestAVX2GemmGuardPages(t *testing.T) {
	t.Run("float32", testAVX2GemmGuardPages[float32])
	t.Run("float64", testAVX2GemmGuardPages[float64])
}

func testAVX2GemmGuardPages[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	if strings.Contains(cpuid.CPU.BrandName, "QEMU") {
		t.Skipf("emulated CPU %q: masked lanes past a page end fault under emulation only", cpuid.CPU.BrandName)
	}
	ga, gb, gc := newPageGuard(t), newPageGuard(t), newPageGuard(t)
	r := rand.New(rand.NewPCG(16, 17))
	for _, m := range []int{1, 5, 6, 7} {
		for _, n := range []int{1, 2, 3, 8, 10, 16, 17, 23} {
			for _, kk := range []int{1, 4, 7, 8, 9, 20} {
				for tr := range 4 {
					ta, tb := tr&1 != 0, tr&2 != 0
					lda, ldb := kk, n
					if ta {
						lda = m
					}
					if tb {
						ldb = kk
					}
					for _, beta := range []F{0, 0.5} {
						atEnd := r.IntN(4) != 0
						a := guardedSlice[F](ga, r, m*kk, atEnd)
						b := guardedSlice[F](gb, r, kk*n, atEnd)
						c := guardedSlice[F](gc, r, m*n, atEnd)
						want := append([]F(nil), c...)
						kernels.Gemm(ta, tb, m, n, kk, 1.5, a, lda, b, ldb, beta, want, n)
						k.Gemm(ta, tb, m, n, kk, 1.5, a, lda, b, ldb, beta, c, n)
						where := fmt.Sprintf("Gemm m=%d n=%d k=%d transA=%v transB=%v beta=%v at end %v", m, n, kk, ta, tb, beta, atEnd)
						if !kaCheck(t, where, c, want) {
							return
						}
						if !guardIntact(ga, a) || !guardIntact(gb, b) || !guardIntact(gc, c) {
							t.Fatalf("%s: a canary byte changed", where)
						}
					}
				}
			}
		}
	}
}
