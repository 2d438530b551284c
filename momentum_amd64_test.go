//go:build !purego

package downhill_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/kernels"
)

// These tests add to paths_test.go what the assembly of the momentum
// kernels (momentum_amd64.s, ten loop variants per kernel) needs: every
// flag combination on every length of the tail and the first blocks,
// every alignment, slices that are the same (p, g, v and rows aliased as
// the API allows), and a short non-nil v when Mu == 0, which must not be
// touched. All compared with kernels/ bit for bit.

// momFlags enumerates the 32 combinations of the flags, with Mu, Dampening
// and WeightDecay either zero or not.
func momFlags[F downhill.Float]() []downhill.Momentum[F] {
	var hs []downhill.Momentum[F]
	for bits := range 32 {
		h := downhill.Momentum[F]{LR: 0.3, Dampening: 0.125, Nesterov: bits&1 != 0, Maximize: bits&2 != 0, Fresh: bits&4 != 0}
		if bits&8 != 0 {
			h.Mu = 0.875
		}
		if bits&16 != 0 {
			h.WeightDecay = 0.0625
		}
		hs = append(hs, h)
	}
	return hs
}

func momLengths() []int {
	var ns []int
	for n := range 80 {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 255, 256, 257, 511, 1000, 1031)
}

// momValues fills x with ordinary values mixed with the values where a
// kernel that skips or reorders an operation gives other bits: NaN, ±Inf,
// ±0 (fma(0, p, -0) is +0), subnormals.
func momValues[F downhill.Float](r *rand.Rand, x []F) {
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1e-310, -1e-41, 1, -1}
	for i := range x {
		if r.IntN(4) == 0 {
			x[i] = F(special[r.IntN(len(special))])
		} else {
			x[i] = F(r.NormFloat64())
		}
	}
}

// momBits is the bit pattern of x, with every NaN the same.
func momBits[F downhill.Float](x F) uint64 {
	if x != x {
		return 1
	}
	if unsafe.Sizeof(x) == 4 {
		return uint64(math.Float32bits(float32(x)))
	}
	return math.Float64bits(float64(x))
}

// momArena is a slice at offset off of a larger one filled with a
// guard value that no kernel computes.
func momArena[F downhill.Float](r *rand.Rand, n, off int) (all, x []F) {
	all = make([]F, n+off+9)
	for i := range all {
		all[i] = 12345
	}
	x = all[off : off+n : off+n]
	momValues(r, x)
	return all, x
}

func momSame[F downhill.Float](t *testing.T, what string, got, want []F) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if momBits(got[i]) != momBits(want[i]) {
			t.Fatalf("%s: element %d of %d is %v (%#x), kernels/ gives %v (%#x)", what, i, len(got), got[i], momBits(got[i]), want[i], momBits(want[i]))
		}
	}
}

func momAVX2[F downhill.Float](t *testing.T) downhill.Kernels[F] {
	k, err := downhill.On[F](dispatch.AVX2)
	if err != nil {
		t.Skip(err)
	}
	return k
}

func TestMomentumAVX2Variants(t *testing.T) {
	testMomentumVariants[float32](t)
	testMomentumVariants[float64](t)
}

func testMomentumVariants[F downhill.Float](t *testing.T) {
	k := momAVX2[F](t)
	r := rand.New(rand.NewPCG(30, 1))
	for _, h := range momFlags[F]() {
		for _, n := range momLengths() {
			off := r.IntN(4)
			what := fmt.Sprintf("%T MomentumStep n=%d off=%d %+v", h.LR, n, off, h)
			p, pd := momArena[F](r, n, off)
			g, gd := momArena[F](r, n, off+1)
			vn := n
			if h.Mu == 0 {
				vn = min(n, 3) // short: must not be touched
			}
			v, vd := momArena[F](r, vn, off+2)
			wp, wg, wv := append([]F(nil), p...), append([]F(nil), g...), append([]F(nil), v...)
			k.MomentumStep(pd, gd, vd, h)
			kernels.MomentumStep(wp[off:off+n], wg[off+1:off+1+n], wv[off+2:off+2+vn], h)
			momSame(t, what+" p", p, wp)
			momSame(t, what+" g", g, wg)
			momSame(t, what+" v", v, wv)
		}
	}
}

func TestBatchMomentumAVX2Variants(t *testing.T) {
	testBatchMomentumVariants[float32](t)
	testBatchMomentumVariants[float64](t)
}

func testBatchMomentumVariants[F downhill.Float](t *testing.T) {
	k := momAVX2[F](t)
	r := rand.New(rand.NewPCG(31, 1))
	for _, h := range momFlags[F]() {
		for _, n := range momLengths() {
			if n > 300 && r.IntN(3) != 0 {
				continue
			}
			for _, m := range []int{0, 1, 2, 3, 9, 33} {
				off := r.IntN(4)
				scale := F(0.5)
				if r.IntN(4) == 0 {
					scale = F([]float64{math.Inf(1), math.NaN(), 0, 1e-40}[r.IntN(4)])
				}
				what := fmt.Sprintf("%T BatchMomentumStep n=%d m=%d off=%d scale=%v %+v", h.LR, n, m, off, scale, h)
				p, pd := momArena[F](r, n, off)
				rows, rd := momArena[F](r, n*m, off+1)
				vn := n
				if h.Mu == 0 {
					vn = min(n, 3)
				}
				v, vd := momArena[F](r, vn, off+2)
				wp, wr, wv := append([]F(nil), p...), append([]F(nil), rows...), append([]F(nil), v...)
				k.BatchMomentumStep(pd, vd, rd, scale, h)
				kernels.BatchMomentumStep(wp[off:off+n], wv[off+2:off+2+vn], wr[off+1:off+1+n*m], scale, h)
				momSame(t, what+" p", p, wp)
				momSame(t, what+" rows", rows, wr)
				momSame(t, what+" v", v, wv)
			}
		}
	}
}

// TestMomentumAVX2Aliased runs the kernels on the same slice passed as
// several arguments (p and v, g and v, p and g, all three; rows and p or
// v with one row), which the API allows.
func TestMomentumAVX2Aliased(t *testing.T) {
	testMomentumAliased[float32](t)
	testMomentumAliased[float64](t)
}

func testMomentumAliased[F downhill.Float](t *testing.T) {
	k := momAVX2[F](t)
	r := rand.New(rand.NewPCG(32, 1))
	for _, h := range momFlags[F]() {
		if h.Mu == 0 {
			continue
		}
		for _, n := range []int{1, 7, 8, 9, 63, 64, 65, 100, 300} {
			for alias := range 6 {
				what := fmt.Sprintf("%T n=%d alias=%d %+v", h.LR, n, alias, h)
				a, b := make([]F, n), make([]F, n)
				momValues(r, a)
				momValues(r, b)
				wa, wb := append([]F(nil), a...), append([]F(nil), b...)
				switch alias {
				case 0: // p == v
					k.MomentumStep(a, b, a, h)
					kernels.MomentumStep(wa, wb, wa, h)
				case 1: // g == v
					k.MomentumStep(a, b, b, h)
					kernels.MomentumStep(wa, wb, wb, h)
				case 2: // p == g
					k.MomentumStep(a, a, b, h)
					kernels.MomentumStep(wa, wa, wb, h)
				case 3: // p == g == v
					k.MomentumStep(a, a, a, h)
					kernels.MomentumStep(wa, wa, wa, h)
				case 4: // one row, rows == p
					k.BatchMomentumStep(a, b, a, 0.5, h)
					kernels.BatchMomentumStep(wa, wb, wa, 0.5, h)
				case 5: // one row, rows == v
					k.BatchMomentumStep(a, b, b, 0.5, h)
					kernels.BatchMomentumStep(wa, wb, wb, 0.5, h)
				}
				momSame(t, what+" a", a, wa)
				momSame(t, what+" b", b, wb)
			}
		}
	}
}

func TestMomentumAVX2Allocs(t *testing.T) {
	k := momAVX2[float32](t)
	p, g, v, rows := make([]float32, 100), make([]float32, 100), make([]float32, 100), make([]float32, 300)
	h := downhill.Momentum[float32]{LR: 0.1, Mu: 0.9}
	if a := testing.AllocsPerRun(10, func() {
		k.MomentumStep(p, g, v, h)
		k.BatchMomentumStep(p, v, rows, 0.5, h)
		k.BatchMomentumStep(p, v, nil, 0.5, h)
	}); a != 0 {
		t.Errorf("%v allocations per run, want 0", a)
	}
}
