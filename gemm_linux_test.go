//go:build linux && (amd64 || arm64) && !purego

package downhill

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
	"github.com/klauspost/cpuid/v2"
)

// TestGemmGuardPages runs Gemm's assembly paths (avx2: micro-kernels,
// masked edges, both packings of B; neon: micro-kernels, padded edges) on
// matrices that end at (or start at) an inaccessible page: a read or
// write outside a slice crashes the test, and a write elsewhere in the
// page is caught by the canary.
func TestGemmGuardPages(t *testing.T) {
	for _, p := range dispatch.Available() {
		if p == dispatch.Generic {
			continue
		}
		t.Run(p.String()+"/float32", func(t *testing.T) { testGemmGuardPages[float32](t, p) })
		t.Run(p.String()+"/float64", func(t *testing.T) { testGemmGuardPages[float64](t, p) })
	}
}

func testGemmGuardPages[F Float](t *testing.T, path Path) {
	k, err := On[F](path)
	if err != nil {
		t.Fatal(err)
	}
	if path == dispatch.AVX2 && strings.Contains(cpuid.CPU.BrandName, "QEMU") {
		// As in TestAVX2GuardPages: QEMU's TCG faults on masked-off lanes.
		t.Skipf("emulated CPU %q: masked lanes past a page end fault under emulation only", cpuid.CPU.BrandName)
	}
	ga, gb, gc := ts.NewPageGuard(t), ts.NewPageGuard(t), ts.NewPageGuard(t)
	r := rand.New(rand.NewPCG(16, 17))
	for _, m := range []int{1, 5, 6, 7, 8, 9} {
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
						a := ts.Slice[F](ga, r, m*kk, atEnd, 0)
						b := ts.Slice[F](gb, r, kk*n, atEnd, 0)
						c := ts.Slice[F](gc, r, m*n, atEnd, 0)
						want := append([]F(nil), c...)
						kernels.Gemm(ta, tb, m, n, kk, 1.5, a, lda, b, ldb, beta, want, n)
						k.Gemm(ta, tb, m, n, kk, 1.5, a, lda, b, ldb, beta, c, n)
						where := fmt.Sprintf("Gemm m=%d n=%d k=%d transA=%v transB=%v beta=%v at end %v", m, n, kk, ta, tb, beta, atEnd)
						for i := range want {
							if g, w := c[i], want[i]; g != w && !(g != g && w != w) || g == w && ts.Bits(g) != ts.Bits(w) {
								t.Fatalf("%s on %s: C[%d] = %v, kernels gives %v", where, path, i, g, w)
							}
						}
						if !ts.Intact(ga, a) || !ts.Intact(gb, b) || !ts.Intact(gc, c) {
							t.Fatalf("%s: a canary byte changed", where)
						}
					}
				}
			}
		}
	}
}

// guardBits returns the bits of v (to tell -0 from +0).
func guardBits[F Float](v F) uint64 {
	if is32[F]() {
		return uint64(math.Float32bits(float32(v)))
	}
	return math.Float64bits(float64(v))
}
