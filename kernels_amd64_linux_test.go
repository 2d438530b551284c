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

// TestAVX2GuardPages runs every kernel of kernels_amd64.s on slices that
// end at (or start at) an inaccessible page, for every tail length: a read
// or write outside a slice crashes the test, and a write elsewhere in the
// page is caught by the canary. Results are compared with kernels too.
func TestAVX2GuardPages(t *testing.T) {
	t.Run("float32", testAVX2GuardPages[float32])
	t.Run("float64", testAVX2GuardPages[float64])
}

func testAVX2GuardPages[F Float](t *testing.T) {
	k := avx2Kernels[F](t)
	if strings.Contains(cpuid.CPU.BrandName, "QEMU") {
		// QEMU's TCG (7.2) reads the whole vector of VMASKMOVPS/PD and
		// faults on lanes whose mask is 0, which the architecture
		// forbids and real CPUs do not do.
		t.Skipf("emulated CPU %q: masked lanes past a page end fault under emulation only", cpuid.CPU.BrandName)
	}
	gx, gy := newPageGuard(t), newPageGuard(t)
	r := rand.New(rand.NewPCG(13, 14))
	for n := 0; n <= 300; n++ {
		for _, place := range [][2]bool{{true, true}, {true, false}, {false, true}, {false, false}} {
			where := fmt.Sprintf("n=%d x at end %v, y at end %v", n, place[0], place[1])
			x := guardedSlice[F](gx, r, n, place[0])
			y := guardedSlice[F](gy, r, n, place[1])
			want := append([]F(nil), y...)

			kernels.Axpy(0.5, x, want)
			k.Axpy(0.5, x, y)
			kernels.Axpby(0.5, x, 3, want)
			k.Axpby(0.5, x, 3, y)
			kernels.Scale(0.25, want)
			k.Scale(0.25, y)
			if !kaCheck(t, "Axpy, Axpby, Scale "+where, y, want) {
				return
			}
			if g, w := k.Dot(x, y), kernels.Dot(x, want); !kaSame(g, w) {
				t.Fatalf("Dot %s: got %v, want %v", where, g, w)
			}
			if n > 0 {
				// One row of n columns: the wide tiles.
				w := append([]F(nil), x...)
				kernels.SumRows(w, 0.5, y)
				k.SumRows(x, 0.5, y)
				if !kaCheck(t, "SumRows of one row "+where, x, w) {
					return
				}
				// x as dst, y as the rows of n/4+1 columns (1..4 rows).
				cols := n/4 + 1
				rows := y[:n/cols*cols]
				if place[1] {
					rows = y[n-n/cols*cols:]
				}
				dst := x[:cols]
				if place[0] {
					dst = x[n-cols:]
				}
				w = append(w[:0], dst...)
				kernels.SumRows(w, 0.5, rows)
				k.SumRows(dst, 0.5, rows)
				if !kaCheck(t, "SumRows "+where, dst, w) {
					return
				}
				kernels.SumRows(w, 0.5, nil)
				k.SumRows(dst, 0.5, rows[:0])
				if !kaCheck(t, "SumRows of no rows "+where, dst, w) {
					return
				}
			}
			if !guardIntact(gx, x) || !guardIntact(gy, y) {
				t.Fatalf("%s: a kernel wrote outside its slice", where)
			}
		}
	}
}
