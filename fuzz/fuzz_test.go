package fuzz

import (
	"fmt"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// target runs check on every case the fuzzer (or the seed corpus) gives.
func target(f *testing.F, check func(*testing.T, *input)) {
	f.Fuzz(func(t *testing.T, n uint16, layout uint32, data []byte) {
		check(t, decode(n, layout, data))
	})
}

func FuzzAxpy32(f *testing.F)              { target(f, checkAxpy[float32]) }
func FuzzAxpy64(f *testing.F)              { target(f, checkAxpy[float64]) }
func FuzzAxpby32(f *testing.F)             { target(f, checkAxpby[float32]) }
func FuzzAxpby64(f *testing.F)             { target(f, checkAxpby[float64]) }
func FuzzScale32(f *testing.F)             { target(f, checkScale[float32]) }
func FuzzScale64(f *testing.F)             { target(f, checkScale[float64]) }
func FuzzDot32(f *testing.F)               { target(f, checkDot[float32]) }
func FuzzDot64(f *testing.F)               { target(f, checkDot[float64]) }
func FuzzSumRows32(f *testing.F)           { target(f, checkSumRows[float32]) }
func FuzzSumRows64(f *testing.F)           { target(f, checkSumRows[float64]) }
func FuzzMomentumStep32(f *testing.F)      { target(f, checkMomentumStep[float32]) }
func FuzzMomentumStep64(f *testing.F)      { target(f, checkMomentumStep[float64]) }
func FuzzBatchMomentumStep32(f *testing.F) { target(f, checkBatchMomentumStep[float32]) }
func FuzzBatchMomentumStep64(f *testing.F) { target(f, checkBatchMomentumStep[float64]) }

// pair decodes x and y of length n, or one slice standing for both when
// the layout asks for aliasing.
func pair[F downhill.Float](in *input) (x, y *ts.Buffer[F]) {
	x = newVec[F](in, in.n, in.off(0))
	if in.flag(aliasBit) {
		return x, x
	}
	return x, newVec[F](in, in.n, in.off(1))
}

// clonePair copies x and y, keeping them one slice if they are.
func clonePair[F downhill.Float](x, y *ts.Buffer[F]) (*ts.Buffer[F], *ts.Buffer[F]) {
	if x == y {
		c := x.Clone()
		return c, c
	}
	return x.Clone(), y.Clone()
}

// cancelSome makes some y[i] the negated product a*x[i] rounded, scaled
// by 1/b, so that fma(a, x[i], b*y[i]) is (about) the rounding error of
// the product: exactly what a second rounding would lose.
func cancelSome[F downhill.Float](in *input, a F, x []F, b F, y []F) {
	for i := range y {
		if in.byte()&1 == 1 {
			y[i] = F(F(-(a * x[i])) / b)
		}
	}
}

func checkAxpy[F downhill.Float](t *testing.T, in *input) {
	alpha := value[F](in)
	x, y := pair[F](in)
	if x != y && in.flag(cancelBit) {
		cancelSome(in, alpha, x.S(), 1, y.S())
	}
	wx, wy := clonePair(x, y)
	kernels.Axpy(alpha, wx.S(), wy.S())
	for _, k := range paths[F](t) {
		gx, gy := clonePair(x, y)
		k.Axpy(alpha, gx.S(), gy.S())
		report(t, k.Path(), "Axpy", in, "y", gy.Check(wy))
		if x != y {
			report(t, k.Path(), "Axpy", in, "x", gx.Unchanged(x))
		}
	}
}

func checkAxpby[F downhill.Float](t *testing.T, in *input) {
	alpha, beta := value[F](in), value[F](in)
	x, y := pair[F](in)
	if x != y && in.flag(cancelBit) {
		cancelSome(in, alpha, x.S(), beta, y.S())
	}
	wx, wy := clonePair(x, y)
	kernels.Axpby(alpha, wx.S(), beta, wy.S())
	for _, k := range paths[F](t) {
		gx, gy := clonePair(x, y)
		k.Axpby(alpha, gx.S(), beta, gy.S())
		report(t, k.Path(), "Axpby", in, "y", gy.Check(wy))
		if x != y {
			report(t, k.Path(), "Axpby", in, "x", gx.Unchanged(x))
		}
	}
}

func checkScale[F downhill.Float](t *testing.T, in *input) {
	alpha := value[F](in)
	x := newVec[F](in, in.n, in.off(0))
	wx := x.Clone()
	kernels.Scale(alpha, wx.S())
	for _, k := range paths[F](t) {
		gx := x.Clone()
		k.Scale(alpha, gx.S())
		report(t, k.Path(), "Scale", in, "x", gx.Check(wx))
	}
}

func checkDot[F downhill.Float](t *testing.T, in *input) {
	x, y := pair[F](in)
	if x != y && in.flag(cancelBit) {
		// Element i+K falls in the same lane as element i, one block
		// later: x[i+K]*y[i+K] = -(x[i]*y[i]) exactly, so the lane keeps
		// only the rounding error of the first product (if its fma is
		// exact).
		lanes := kernels.Lanes64
		if ts.Is32[F]() {
			lanes = kernels.Lanes32
		}
		xs, ys := x.S(), y.S()
		for i := lanes; i < len(xs); i++ {
			if in.byte()&1 == 1 {
				xs[i], ys[i] = xs[i-lanes], -ys[i-lanes]
			}
		}
	}
	want := kernels.Dot(x.S(), y.S())
	for _, k := range paths[F](t) {
		gx, gy := clonePair(x, y)
		got := k.Dot(gx.S(), gy.S())
		if !ts.SameBits(got, want) {
			report(t, k.Path(), "Dot", in, "result", fmt.Sprintf("%v (%#x), kernels gives %v (%#x)", got, ts.Bits(got), want, ts.Bits(want)))
		}
		report(t, k.Path(), "Dot", in, "x", gx.Unchanged(x))
		report(t, k.Path(), "Dot", in, "y", gy.Unchanged(y))
	}
}

func checkSumRows[F downhill.Float](t *testing.T, in *input) {
	scale := value[F](in)
	dst := newVec[F](in, in.n, in.off(0))
	src := newVec[F](in, in.rows()*in.n, in.off(1))
	wdst := dst.Clone()
	kernels.SumRows(wdst.S(), scale, src.S())
	for _, k := range paths[F](t) {
		gdst, gsrc := dst.Clone(), src.Clone()
		k.SumRows(gdst.S(), scale, gsrc.S())
		report(t, k.Path(), "SumRows", in, "dst", gdst.Check(wdst))
		report(t, k.Path(), "SumRows", in, "src", gsrc.Unchanged(src))
	}
}

// momentum decodes the hyper-parameters; the layout chooses every flag,
// and which of Mu, WeightDecay and Dampening are zero.
func momentum[F downhill.Float](in *input) downhill.Momentum[F] {
	h := downhill.Momentum[F]{
		LR:       value[F](in),
		Mu:       value[F](in),
		Nesterov: in.flag(nesterovB),
		Maximize: in.flag(maximizeB),
		Fresh:    in.flag(freshBit),
	}
	if in.flag(muZeroBit) {
		h.Mu = 0
		if in.byte()&1 == 1 {
			h.Mu = -h.Mu
		}
	}
	if !in.flag(noDecayBit) {
		h.WeightDecay = value[F](in)
	}
	if !in.flag(noDampBit) {
		h.Dampening = value[F](in)
	}
	return h
}

// velocity decodes v, or returns nil when Mu is zero and the layout asks
// for no velocity.
func velocity[F downhill.Float](in *input, h downhill.Momentum[F]) *ts.Buffer[F] {
	if h.Mu == 0 && in.flag(vNilBit) {
		return nil
	}
	return newVec[F](in, in.n, in.off(2))
}

func checkMomentumStep[F downhill.Float](t *testing.T, in *input) {
	h := momentum[F](in)
	p := newVec[F](in, in.n, in.off(0))
	g := newVec[F](in, in.n, in.off(1))
	v := velocity(in, h)
	if in.flag(cancelBit) && h.WeightDecay != 0 {
		// d = fma(WeightDecay, p[i], g') is then the rounding error of
		// the product.
		gs := g.S()
		cancelSome(in, h.WeightDecay, p.S(), 1, gs)
		if h.Maximize {
			for i := range gs {
				gs[i] = -gs[i]
			}
		}
	}
	wp, wv := p.Clone(), v.Clone()
	kernels.MomentumStep(wp.S(), g.S(), wv.S(), h)
	for _, k := range paths[F](t) {
		gp, gg, gv := p.Clone(), g.Clone(), v.Clone()
		k.MomentumStep(gp.S(), gg.S(), gv.S(), h)
		report(t, k.Path(), "MomentumStep", in, "p", gp.Check(wp))
		report(t, k.Path(), "MomentumStep", in, "v", gv.Check(wv))
		report(t, k.Path(), "MomentumStep", in, "g", gg.Unchanged(g))
	}
}

func checkBatchMomentumStep[F downhill.Float](t *testing.T, in *input) {
	h := momentum[F](in)
	scale := value[F](in)
	p := newVec[F](in, in.n, in.off(0))
	rows := newVec[F](in, in.rows()*in.n, in.off(1))
	v := velocity(in, h)
	wp, wv := p.Clone(), v.Clone()
	kernels.BatchMomentumStep(wp.S(), wv.S(), rows.S(), scale, h)

	// The fused kernel is specified as SumRows then MomentumStep.
	tp, tv := p.Clone(), v.Clone()
	g := make([]F, in.n)
	kernels.SumRows(g, scale, rows.S())
	kernels.MomentumStep(tp.S(), g, tv.S(), h)
	if msg := tp.Check(wp) + tv.Check(wv); msg != "" {
		t.Fatalf("kernels: BatchMomentumStep (%v) differs from SumRows then MomentumStep: %s", in, msg)
	}

	for _, k := range paths[F](t) {
		gp, grows, gv := p.Clone(), rows.Clone(), v.Clone()
		k.BatchMomentumStep(gp.S(), gv.S(), grows.S(), scale, h)
		report(t, k.Path(), "BatchMomentumStep", in, "p", gp.Check(wp))
		report(t, k.Path(), "BatchMomentumStep", in, "v", gv.Check(wv))
		report(t, k.Path(), "BatchMomentumStep", in, "rows", grows.Unchanged(rows))
	}
}
