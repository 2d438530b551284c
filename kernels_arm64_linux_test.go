//go:build arm64 && linux && !purego

package downhill

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
)

// This file runs every kernel of kernels_arm64.s on slices that end at (or
// start at) an inaccessible page, for every tail length of every loop: a
// read or write past a slice faults, and a canary in the rest of the page
// catches a stray write that stays inside it. Results are compared with
// kernels bit for bit.

func neonCheck[F Float](t *testing.T, what string, got, want []F) {
	t.Helper()
	for i := range want {
		if !neonSame(got[i], want[i]) {
			t.Fatalf("%s: element %d of %d: got %v, kernels gives %v", what, i, len(want), got[i], want[i])
		}
	}
}

func TestNEONGuardPages(t *testing.T) {
	t.Run("float32", testNEONGuardPages[float32])
	t.Run("float64", testNEONGuardPages[float64])
}

func testNEONGuardPages[F Float](t *testing.T) {
	k := neonKernels[F](t)
	gx, gy, gz := newPageGuard(t), newPageGuard(t), newPageGuard(t)
	r := rand.New(rand.NewPCG(21, 22))
	size := int(unsafe.Sizeof(F(0)))
	for n := 0; n <= 140; n++ {
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
			neonCheck(t, "Axpy, Axpby, Scale "+where, y, want)
			if g, w := k.Dot(x, y), kernels.Dot(x, want); !neonSame(g, w) {
				t.Fatalf("Dot %s: got %v, kernels gives %v", where, g, w)
			}
			if n > 0 {
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
				w := append([]F(nil), dst...)
				kernels.SumRows(w, 0.5, rows)
				k.SumRows(dst, 0.5, rows)
				neonCheck(t, "SumRows "+where, dst, w)
				kernels.SumRows(w, 0.5, nil)
				k.SumRows(dst, 0.5, rows[:0])
				neonCheck(t, "SumRows of no rows "+where, dst, w)
			}
			if !gx.intact(unsafe.Pointer(unsafe.SliceData(x)), n*size) || !gy.intact(unsafe.Pointer(unsafe.SliceData(y)), n*size) {
				t.Fatalf("%s: a kernel wrote outside its slice", where)
			}

			// The momentum kernels, every flag combination: p in gx, g or
			// rows in gy, v in gz (nil when Mu == 0). -short runs them on
			// two of the four placements and n <= 40 (two blocks and every
			// tail of the float32 loop).
			if testing.Short() && (place[0] != place[1] || n > 40) {
				continue
			}
			for flags := range 32 {
				h := Momentum[F]{LR: 0.125, Mu: 0.875, Dampening: 0.25, WeightDecay: 0.0625,
					Maximize: flags&1 != 0, Fresh: flags&4 != 0, Nesterov: flags&8 != 0}
				if flags&2 != 0 {
					h.WeightDecay = 0
				}
				if flags&16 != 0 {
					h.Mu = 0
				}
				what := fmt.Sprintf("%s %+v", where, h)
				p := guardedSlice[F](gx, r, n, place[0])
				g := guardedSlice[F](gy, r, n, place[1])
				v := guardedSlice[F](gz, r, n, place[0] != place[1])
				wp, wv := append([]F(nil), p...), append([]F(nil), v...)
				vArg, wvArg := v, wv
				if h.Mu == 0 {
					vArg, wvArg = nil, nil
				}
				kernels.MomentumStep(wp, g, wvArg, h)
				k.MomentumStep(p, g, vArg, h)
				neonCheck(t, "MomentumStep p "+what, p, wp)
				neonCheck(t, "MomentumStep v "+what, v, wv)
				if n > 0 {
					cols := n/3 + 1
					rows := g[:n/cols*cols]
					if place[1] {
						rows = g[n-n/cols*cols:]
					}
					pp, vv := p[:cols], v[:cols]
					if place[0] {
						pp, vv = p[n-cols:], v[n-cols:]
					}
					wpp, wvv := append([]F(nil), pp...), append([]F(nil), vv...)
					vArg, wvArg := vv, wvv
					if h.Mu == 0 {
						vArg, wvArg = nil, nil
					}
					kernels.BatchMomentumStep(wpp, wvArg, rows, 0.5, h)
					k.BatchMomentumStep(pp, vArg, rows, 0.5, h)
					neonCheck(t, "BatchMomentumStep p "+what, pp, wpp)
					neonCheck(t, "BatchMomentumStep v "+what, vv, wvv)
					kernels.BatchMomentumStep(wpp, wvArg, nil, 0.5, h)
					k.BatchMomentumStep(pp, vArg, rows[:0], 0.5, h)
					neonCheck(t, "BatchMomentumStep of no rows p "+what, pp, wpp)
					neonCheck(t, "BatchMomentumStep of no rows v "+what, vv, wvv)
				}
				if !gx.intact(unsafe.Pointer(unsafe.SliceData(p)), n*size) ||
					!gy.intact(unsafe.Pointer(unsafe.SliceData(g)), n*size) ||
					!gz.intact(unsafe.Pointer(unsafe.SliceData(v)), n*size) {
					t.Fatalf("%s: a momentum kernel wrote outside its slice", what)
				}
			}
		}
	}
}
