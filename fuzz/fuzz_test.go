package fuzz

import (
	"fmt"
	"testing"

	"github.com/downhill-go/downhill"
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
func pair[F downhill.Float](in *input) (x, y *vec[F]) {
	x = newVec[F](in, in.n, in.off(0))
	if in.flag(aliasBit) {
		return x, x
	}
	return x, newVec[F](in, in.n, in.off(1))
}

// clonePair copies x and y, keeping them one slice if they are.
func clonePair[F downhill.Float](x, y *vec[F]) (*vec[F], *vec[F]) {
	if x == y {
		c := x.clone()
		return c, c
	}
	return x.clone(), y.clone()
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
		cancelSome(in, alpha, x.s(), 1, y.s())
	}
	wx, wy := clonePair(x, y)
	kernels.Axpy(alpha, wx.s(), wy.s())
	for _, k := range paths[F](t) {
		gx, gy := clonePair(x, y)
		k.Axpy(alpha, gx.s(), gy.s())
		report(t, k.Path(), "Axpy", in, "y", compare(gy, wy))
		if x != y {
			report(t, k.Path(), "Axpy", in, "x", unchanged(gx, x))
		}
	}
}

func checkAxpby[F downhill.Float](t *testing.T, in *input) {
	alpha, beta := value[F](in), value[F](in)
	x, y := pair[F](in)
	if x != y && in.flag(cancelBit) {
		cancelSome(in, alpha, x.s(), beta, y.s())
	}
	wx, wy := clonePair(x, y)
	kernels.Axpby(alpha, wx.s(), beta, wy.s())
	for _, k := range paths[F](t) {
		gx, gy := clonePair(x, y)
		k.Axpby(alpha, gx.s(), beta, gy.s())
		report(t, k.Path(), "Axpby", in, "y", compare(gy, wy))
		if x != y {
			report(t, k.Path(), "Axpby", in, "x", unchanged(gx, x))
		}
	}
}

func checkScale[F downhill.Float](t *testing.T, in *input) {
	alpha := value[F](in)
	x := newVec[F](in, in.n, in.off(0))
	wx := x.clone()
	kernels.Scale(alpha, wx.s())
	for _, k := range paths[F](t) {
		gx := x.clone()
		k.Scale(alpha, gx.s())
		report(t, k.Path(), "Scale", in, "x", compare(gx, wx))
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
		if is32[F]() {
			lanes = kernels.Lanes32
		}
		xs, ys := x.s(), y.s()
		for i := lanes; i < len(xs); i++ {
			if in.byte()&1 == 1 {
				xs[i], ys[i] = xs[i-lanes], -ys[i-lanes]
			}
		}
	}
	want := kernels.Dot(x.s(), y.s())
	for _, k := range paths[F](t) {
		gx, gy := clonePair(x, y)
		got := k.Dot(gx.s(), gy.s())
		if !sameValue(got, want) {
			report(t, k.Path(), "Dot", in, "result", fmt.Sprintf("%v (%#x), kernels gives %v (%#x)", got, bitsOf(got), want, bitsOf(want)))
		}
		report(t, k.Path(), "Dot", in, "x", unchanged(gx, x))
		report(t, k.Path(), "Dot", in, "y", unchanged(gy, y))
	}
}

func checkSumRows[F downhill.Float](t *testing.T, in *input) {
	scale := value[F](in)
	dst := newVec[F](in, in.n, in.off(0))
	src := newVec[F](in, in.rows()*in.n, in.off(1))
	wdst := dst.clone()
	kernels.SumRows(wdst.s(), scale, src.s())
	for _, k := range paths[F](t) {
		gdst, gsrc := dst.clone(), src.clone()
		k.SumRows(gdst.s(), scale, gsrc.s())
		report(t, k.Path(), "SumRows", in, "dst", compare(gdst, wdst))
		report(t, k.Path(), "SumRows", in, "src", unchanged(gsrc, src))
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
func velocity[F downhill.Float](in *input, h downhill.Momentum[F]) *vec[F] {
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
		gs := g.s()
		cancelSome(in, h.WeightDecay, p.s(), 1, gs)
		if h.Maximize {
			for i := range gs {
				gs[i] = -gs[i]
			}
		}
	}
	wp, wv := p.clone(), v.clone()
	kernels.MomentumStep(wp.s(), g.s(), wv.s(), h)
	for _, k := range paths[F](t) {
		gp, gg, gv := p.clone(), g.clone(), v.clone()
		k.MomentumStep(gp.s(), gg.s(), gv.s(), h)
		report(t, k.Path(), "MomentumStep", in, "p", compare(gp, wp))
		report(t, k.Path(), "MomentumStep", in, "v", compare(gv, wv))
		report(t, k.Path(), "MomentumStep", in, "g", unchanged(gg, g))
	}
}

func checkBatchMomentumStep[F downhill.Float](t *testing.T, in *input) {
	h := momentum[F](in)
	scale := value[F](in)
	p := newVec[F](in, in.n, in.off(0))
	rows := newVec[F](in, in.rows()*in.n, in.off(1))
	v := velocity(in, h)
	wp, wv := p.clone(), v.clone()
	kernels.BatchMomentumStep(wp.s(), wv.s(), rows.s(), scale, h)

	// The fused kernel is specified as SumRows then MomentumStep.
	tp, tv := p.clone(), v.clone()
	g := make([]F, in.n)
	kernels.SumRows(g, scale, rows.s())
	kernels.MomentumStep(tp.s(), g, tv.s(), h)
	if msg := compare(tp, wp) + compare(tv, wv); msg != "" {
		t.Fatalf("kernels: BatchMomentumStep (%v) differs from SumRows then MomentumStep: %s", in, msg)
	}

	for _, k := range paths[F](t) {
		gp, grows, gv := p.clone(), rows.clone(), v.clone()
		k.BatchMomentumStep(gp.s(), gv.s(), grows.s(), scale, h)
		report(t, k.Path(), "BatchMomentumStep", in, "p", compare(gp, wp))
		report(t, k.Path(), "BatchMomentumStep", in, "v", compare(gv, wv))
		report(t, k.Path(), "BatchMomentumStep", in, "rows", unchanged(grows, rows))
	}
}
