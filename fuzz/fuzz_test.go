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
	src := dst // aliased: one row, dst == src
	if !in.flag(aliasBit) {
		src = newVec[F](in, in.rows()*in.n, in.off(1))
	}
	wdst, wsrc := clonePair(dst, src)
	kernels.SumRows(wdst.S(), scale, wsrc.S())
	for _, k := range paths[F](t) {
		gdst, gsrc := clonePair(dst, src)
		k.SumRows(gdst.S(), scale, gsrc.S())
		report(t, k.Path(), "SumRows", in, "dst", gdst.Check(wdst))
		if dst != src {
			report(t, k.Path(), "SumRows", in, "src", gsrc.Unchanged(src))
		}
	}
}

// triple decodes the three slices of a momentum kernel, the same slice
// where the layout's aliasing says so. Slot 2 is v (nil when velocity
// says so, then never aliased) for MomentumStep and rows for
// BatchMomentumStep (m rows unless aliased, then one); slot 1 is g or v.
func triple[F downhill.Float](in *input, h downhill.Momentum[F], batch bool) [3]*ts.Buffer[F] {
	pattern := in.aliasing()
	noV := h.Mu == 0 && in.flag(vNilBit) // v is nil: never aliased
	vSlot := 2
	if batch {
		vSlot = 1
	}
	if noV {
		pattern[vSlot] = 3 // the others keep their buffers
	}
	var bufs [4]*ts.Buffer[F]
	var out [3]*ts.Buffer[F]
	for i, b := range pattern {
		if b == 3 {
			continue // nil v
		}
		if bufs[b] == nil {
			size := in.n
			if batch && i == 2 && count(pattern, b) == 1 {
				size = in.rows() * in.n
			}
			bufs[b] = newVec[F](in, size, in.off(i))
		}
		out[i] = bufs[b]
	}
	return out
}

func count(pattern [3]int, b int) int {
	c := 0
	for _, x := range pattern {
		if x == b {
			c++
		}
	}
	return c
}

// cloneAll copies the buffers, keeping the same ones the same.
func cloneAll[F downhill.Float](bs [3]*ts.Buffer[F]) [3]*ts.Buffer[F] {
	var out [3]*ts.Buffer[F]
	for i, b := range bs {
		out[i] = b.Clone()
		for j := range i {
			if bs[j] == b && b != nil {
				out[i] = out[j]
			}
		}
	}
	return out
}

// aliased reports whether slot i shares its slice with another slot.
func aliased[F downhill.Float](bs [3]*ts.Buffer[F], i int) bool {
	for j, b := range bs {
		if j != i && b == bs[i] && b != nil {
			return true
		}
	}
	return false
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
	s := triple[F](in, h, false)
	p, g := s[0], s[1]
	if in.flag(cancelBit) && h.WeightDecay != 0 && p != g {
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
	w := cloneAll(s)
	kernels.MomentumStep(w[0].S(), w[1].S(), w[2].S(), h)
	for _, k := range paths[F](t) {
		got := cloneAll(s)
		k.MomentumStep(got[0].S(), got[1].S(), got[2].S(), h)
		report(t, k.Path(), "MomentumStep", in, "p", got[0].Check(w[0]))
		report(t, k.Path(), "MomentumStep", in, "v", got[2].Check(w[2]))
		if !aliased(s, 1) {
			report(t, k.Path(), "MomentumStep", in, "g", got[1].Unchanged(g))
		}
	}
}

func checkBatchMomentumStep[F downhill.Float](t *testing.T, in *input) {
	h := momentum[F](in)
	scale := value[F](in)
	s := triple[F](in, h, true)
	w := cloneAll(s)
	kernels.BatchMomentumStep(w[0].S(), w[1].S(), w[2].S(), scale, h)

	if !aliased(s, 0) && !aliased(s, 1) {
		// The fused kernel is specified as SumRows then MomentumStep.
		tp, tv := s[0].Clone(), s[1].Clone()
		g := make([]F, in.n)
		kernels.SumRows(g, scale, s[2].S())
		kernels.MomentumStep(tp.S(), g, tv.S(), h)
		if msg := tp.Check(w[0]) + tv.Check(w[1]); msg != "" {
			t.Fatalf("kernels: BatchMomentumStep (%v) differs from SumRows then MomentumStep: %s", in, msg)
		}
	}

	for _, k := range paths[F](t) {
		got := cloneAll(s)
		k.BatchMomentumStep(got[0].S(), got[1].S(), got[2].S(), scale, h)
		report(t, k.Path(), "BatchMomentumStep", in, "p", got[0].Check(w[0]))
		report(t, k.Path(), "BatchMomentumStep", in, "v", got[1].Check(w[1]))
		if !aliased(s, 2) {
			report(t, k.Path(), "BatchMomentumStep", in, "rows", got[2].Unchanged(s[2]))
		}
	}
}
