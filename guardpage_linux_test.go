package downhill_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
	"github.com/klauspost/cpuid/v2"
)

// TestGuardPages runs every kernel on every path on slices that end at
// (or start at) an inaccessible page, for every tail length: a read or
// write outside a slice crashes the test, and a write elsewhere in the
// page is caught by a canary. Results are compared with kernels/ too.
func TestGuardPages(t *testing.T) { bothTypes(t, guardPages[float32], guardPages[float64]) }

// placements puts x and y (or p and g/rows) at the end or the start of
// their pages.
var placements = [][2]bool{{true, true}, {true, false}, {false, true}, {false, false}}

func guardPages[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	if k.Path() == dispatch.AVX2 && strings.Contains(cpuid.CPU.BrandName, "QEMU") {
		// QEMU's TCG (7.2) reads the whole vector of VMASKMOVPS/PD and
		// faults on lanes whose mask is 0, which the architecture
		// forbids and real CPUs do not do.
		t.Skipf("emulated CPU %q: masked lanes past a page end fault under emulation only", cpuid.CPU.BrandName)
	}
	gx, gy, gz := ts.NewPageGuard(t), ts.NewPageGuard(t), ts.NewPageGuard(t)
	r := rand.New(rand.NewPCG(13, 14))
	for n := 0; n <= 300; n++ {
		for _, place := range placements {
			where := fmt.Sprintf("n=%d x at end %v, y at end %v", n, place[0], place[1])
			x := ts.Slice[F](gx, r, n, place[0], 0.05)
			y := ts.Slice[F](gy, r, n, place[1], 0.05)
			want := append([]F(nil), y...)
			kernels.Axpy(0.5, x, want)
			k.Axpy(0.5, x, y)
			kernels.Axpby(0.5, x, 3, want)
			k.Axpby(0.5, x, 3, y)
			kernels.Scale(0.25, want)
			k.Scale(0.25, y)
			fail(t, "Axpy, Axpby, Scale "+where, ts.Diff(y, want))
			checkResult(t, "Dot "+where, k.Dot(x, y), kernels.Dot(x, want))
			if n > 0 {
				// One row of n columns: the widest tiles.
				w := append([]F(nil), x...)
				kernels.SumRows(w, 0.5, y)
				k.SumRows(x, 0.5, y)
				fail(t, "SumRows of one row "+where, ts.Diff(x, w))
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
				fail(t, "SumRows "+where, ts.Diff(dst, w))
				kernels.SumRows(w, 0.5, nil)
				k.SumRows(dst, 0.5, rows[:0])
				fail(t, "SumRows of no rows "+where, ts.Diff(dst, w))
			}
			if !ts.Intact(gx, x) || !ts.Intact(gy, y) {
				t.Fatalf("%s: a kernel wrote outside its slice", where)
			}
			// -short runs the momentum kernels on two of the four
			// placements and n <= 40 (two blocks and every tail of the
			// float32 loops).
			if n > 140 || testing.Short() && (place[0] != place[1] || n > 40) {
				continue
			}
			guardMomentum(t, k, gx, gy, gz, r, n, place)
		}
	}
}

// guardMomentum runs the momentum kernels with every flag combination:
// p in gx, g or rows in gy, v in gz (nil when Mu == 0).
func guardMomentum[F downhill.Float](t *testing.T, k downhill.Kernels[F], gx, gy, gz *ts.PageGuard, r *rand.Rand, n int, place [2]bool) {
	for flags := range 32 {
		h := downhill.Momentum[F]{LR: 0.125, Mu: 0.875, Dampening: 0.25, WeightDecay: 0.0625,
			Maximize: flags&1 != 0, Fresh: flags&4 != 0, Nesterov: flags&8 != 0}
		if flags&2 != 0 {
			h.WeightDecay = 0
		}
		if flags&16 != 0 {
			h.Mu = 0
		}
		what := fmt.Sprintf("n=%d p at end %v, g at end %v %+v", n, place[0], place[1], h)
		p := ts.Slice[F](gx, r, n, place[0], 0.05)
		g := ts.Slice[F](gy, r, n, place[1], 0.05)
		v := ts.Slice[F](gz, r, n, place[0] != place[1], 0.05)
		wp, wv := append([]F(nil), p...), append([]F(nil), v...)
		vArg, wvArg := v, wv
		if h.Mu == 0 {
			vArg, wvArg = nil, nil
		}
		kernels.MomentumStep(wp, g, wvArg, h)
		k.MomentumStep(p, g, vArg, h)
		fail(t, "MomentumStep p "+what, ts.Diff(p, wp))
		fail(t, "MomentumStep v "+what, ts.Diff(v, wv))
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
			fail(t, "BatchMomentumStep p "+what, ts.Diff(pp, wpp))
			fail(t, "BatchMomentumStep v "+what, ts.Diff(vv, wvv))
			kernels.BatchMomentumStep(wpp, wvArg, nil, 0.5, h)
			k.BatchMomentumStep(pp, vArg, rows[:0], 0.5, h)
			fail(t, "BatchMomentumStep of no rows p "+what, ts.Diff(pp, wpp))
			fail(t, "BatchMomentumStep of no rows v "+what, ts.Diff(vv, wvv))
		}
		if !ts.Intact(gx, p) || !ts.Intact(gy, g) || !ts.Intact(gz, v) {
			t.Fatalf("%s: a momentum kernel wrote outside its slice", what)
		}
	}
}
