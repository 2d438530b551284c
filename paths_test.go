package downhill_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// This file checks every path this CPU can run against kernels/, bit for
// bit (any NaN matches any NaN), on random lengths, offsets, special-value
// rates and momentum flags, with guard elements around every slice that
// must come back unchanged. sweep_test.go runs the exhaustive sweeps.

// randBuffer is a guarded buffer of n elements at a random alignment.
func randBuffer[F downhill.Float](r *rand.Rand, n int, special float64) *ts.Buffer[F] {
	return ts.NewBuffer[F](r, n, r.IntN(16), special)
}

// randLen favours every tail length of the widest vector (64 float32
// lanes) and some longer slices.
func randLen(r *rand.Rand) int {
	switch r.IntN(4) {
	case 0:
		return r.IntN(70)
	case 1:
		return r.IntN(300)
	case 2:
		return 64*r.IntN(8) + r.IntN(64)
	default:
		return r.IntN(2100)
	}
}

func trials() int {
	if testing.Short() {
		return 150
	}
	return 600
}

func TestPathsAxpy(t *testing.T) { bothTypes(t, randomXY[float32](opAxpy), randomXY[float64](opAxpy)) }
func TestPathsAxpby(t *testing.T) {
	bothTypes(t, randomXY[float32](opAxpby), randomXY[float64](opAxpby))
}
func TestPathsScale(t *testing.T) {
	bothTypes(t, randomXY[float32](opScale), randomXY[float64](opScale))
}

// randomXY runs an element-wise kernel on random lengths, alignments and
// special-value rates.
func randomXY[F downhill.Float](op xyOp) func(*testing.T, downhill.Kernels[F]) {
	return func(t *testing.T, k downhill.Kernels[F]) {
		r := rand.New(rand.NewPCG(1+uint64(op), uint64(k.Path())))
		for trial := range trials() {
			n, sp := randLen(r), r.Float64()*0.3
			a, b := ts.Value[F](r, sp), ts.Value[F](r, sp)
			x, y := randBuffer[F](r, n, sp), randBuffer[F](r, n, sp)
			checkXY(t, k, op, fmt.Sprintf("trial %d n=%d", trial, n), a, b, x, y)
		}
	}
}

func TestPathsDot(t *testing.T) { bothTypes(t, testDot[float32], testDot[float64]) }

func testDot[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(4, uint64(k.Path())))
	for trial := range trials() {
		n, sp := randLen(r), r.Float64()*0.1
		if trial%3 == 0 {
			sp = 0 // finite sums, where the order shows in the bits
		}
		x, y := randBuffer[F](r, n, sp), randBuffer[F](r, n, sp)
		want := kernels.Dot(x.S(), y.S())
		gx, gy := x.Clone(), y.Clone()
		what := fmt.Sprintf("Dot trial %d n=%d", trial, n)
		checkResult(t, what, k.Dot(gx.S(), gy.S()), want)
		fail(t, what+" x", gx.Unchanged(x))
		fail(t, what+" y", gy.Unchanged(y))
	}
}

func TestPathsSumRows(t *testing.T) { bothTypes(t, testSumRows[float32], testSumRows[float64]) }

func testSumRows[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(5, uint64(k.Path())))
	for trial := range trials() {
		n, m, sp := randLen(r)/2, r.IntN(40), r.Float64()*0.2
		if trial%7 == 0 {
			m = 0
		}
		scale := ts.Value[F](r, sp)
		dst, src := randBuffer[F](r, n, sp), randBuffer[F](r, n*m, sp)
		wdst := dst.Clone()
		kernels.SumRows(wdst.S(), scale, src.S())
		gsrc := src.Clone()
		k.SumRows(dst.S(), scale, gsrc.S())
		what := fmt.Sprintf("SumRows trial %d n=%d m=%d scale=%v", trial, n, m, scale)
		fail(t, what+" dst", dst.Check(wdst))
		fail(t, what+" src", gsrc.Unchanged(src))
	}
}

// randMomentum draws hyper-parameters covering every flag combination.
func randMomentum[F downhill.Float](r *rand.Rand, sp float64) downhill.Momentum[F] {
	pick := func(zeroProb float64) F {
		if r.Float64() < zeroProb {
			return 0
		}
		if r.Float64() < sp {
			return ts.Special[F](r)
		}
		return F(r.Float64())
	}
	return downhill.Momentum[F]{
		LR: pick(0.05), Mu: pick(0.3), Dampening: pick(0.5), WeightDecay: pick(0.4),
		Nesterov: r.IntN(2) == 0, Maximize: r.IntN(2) == 0, Fresh: r.IntN(3) == 0,
	}
}

func TestPathsMomentumStep(t *testing.T) {
	bothTypes(t, testMomentumStep[float32], testMomentumStep[float64])
}

func testMomentumStep[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(6, uint64(k.Path())))
	for trial := range 2 * trials() {
		n, sp := randLen(r), r.Float64()*0.2
		h := randMomentum[F](r, sp)
		p, g, v := randBuffer[F](r, n, sp), randBuffer[F](r, n, sp), randBuffer[F](r, n, sp)
		if h.Mu == 0 && trial%2 == 0 {
			v = nil // v may be nil when Mu == 0
		}
		wp, wv := p.Clone(), v.Clone()
		kernels.MomentumStep(wp.S(), g.S(), wv.S(), h)
		gg := g.Clone()
		k.MomentumStep(p.S(), gg.S(), v.S(), h)
		what := fmt.Sprintf("MomentumStep trial %d n=%d %+v", trial, n, h)
		fail(t, what+" p", p.Check(wp))
		fail(t, what+" v", v.Check(wv))
		fail(t, what+" g", gg.Unchanged(g))
	}
}

func TestPathsBatchMomentumStep(t *testing.T) {
	bothTypes(t, testBatchMomentumStep[float32], testBatchMomentumStep[float64])
}

func testBatchMomentumStep[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(7, uint64(k.Path())))
	for trial := range 2 * trials() {
		n, m, sp := randLen(r)/2, r.IntN(40), r.Float64()*0.2
		if trial%7 == 0 {
			m = 0
		}
		h := randMomentum[F](r, sp)
		scale := ts.Value[F](r, sp)
		p, v, rows := randBuffer[F](r, n, sp), randBuffer[F](r, n, sp), randBuffer[F](r, n*m, sp)
		if h.Mu == 0 && trial%2 == 0 {
			v = nil
		}
		wp, wv := p.Clone(), v.Clone()
		kernels.BatchMomentumStep(wp.S(), wv.S(), rows.S(), scale, h)
		// The fused form equals the two-step form on the same path:
		// SumRows into a temporary, then MomentumStep.
		tp, tv := p.Clone(), v.Clone()
		grows := rows.Clone()
		k.BatchMomentumStep(p.S(), v.S(), grows.S(), scale, h)
		what := fmt.Sprintf("BatchMomentumStep trial %d n=%d m=%d scale=%v %+v", trial, n, m, scale, h)
		fail(t, what+" p", p.Check(wp))
		fail(t, what+" v", v.Check(wv))
		fail(t, what+" rows", grows.Unchanged(rows))
		g := make([]F, n)
		k.SumRows(g, scale, rows.S())
		k.MomentumStep(tp.S(), g, tv.S(), h)
		fail(t, what+" p, two-step form", ts.Diff(tp.S(), p.S()))
		fail(t, what+" v, two-step form", ts.Diff(tv.S(), v.S()))
	}
}
