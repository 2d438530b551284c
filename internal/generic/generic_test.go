package generic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill/kernels"
)

// Every test here runs a kernel of this package and the same kernel of
// package kernels (the specification) on copies of the same inputs and
// requires the same bits in every output (any NaN matches any NaN), with
// the slices placed at random offsets between guard elements that neither
// may touch.

const guard = 5

// sentinel fills the guard elements.
func sentinel[F Float]() F { return F(-12345.678) }

func isNaN[F Float](x F) bool { return x != x }

func is32[F Float]() bool {
	var z F
	return unsafe.Sizeof(z) == 4
}

func bitsOf[F Float](x F) uint64 {
	if is32[F]() {
		return uint64(math.Float32bits(*(*float32)(unsafe.Pointer(&x))))
	}
	return math.Float64bits(*(*float64)(unsafe.Pointer(&x)))
}

func same[F Float](a, b F) bool { return bitsOf(a) == bitsOf(b) || (isNaN(a) && isNaN(b)) }

// buf is a slice of n elements inside a larger array with guard elements
// before and after it, at an offset of 0..3 elements.
type buf[F Float] struct {
	all  []F
	s    []F
	from int
}

func newBuf[F Float](r *rand.Rand, vals []F) buf[F] {
	off := r.IntN(4)
	all := make([]F, guard+off+len(vals)+guard)
	for i := range all {
		all[i] = sentinel[F]()
	}
	from := guard + off
	s := all[from : from+len(vals) : from+len(vals)]
	copy(s, vals)
	return buf[F]{all, s, from}
}

// check compares got with want, guards included.
func check[F Float](t *testing.T, what string, got, want buf[F]) {
	t.Helper()
	for i := range got.all {
		if i < got.from || i >= got.from+len(got.s) {
			if bitsOf(got.all[i]) != bitsOf(sentinel[F]()) {
				t.Fatalf("%s: guard element %d overwritten (n=%d)", what, i-got.from, len(got.s))
			}
		}
	}
	for i := range got.s {
		if !same(got.s[i], want.s[i]) {
			t.Fatalf("%s: element %d of %d: got %v (%#x), want %v (%#x)", what, i, len(got.s),
				got.s[i], bitsOf(got.s[i]), want.s[i], bitsOf(want.s[i]))
		}
	}
}

func clone[F Float](r *rand.Rand, b buf[F]) buf[F] {
	c := newBuf(r, b.s)
	return c
}

// value draws one input from families chosen to reach every rounding
// case: ordinary numbers, short significands (exact products landing on
// float32 midpoints), the double-rounding family 1+k*2^-12 with tiny
// addends, magnitudes over the whole range (subnormal and overflowing
// results) and special values.
func value[F Float](r *rand.Rand, family int) F {
	sign := float64(1 - 2*r.IntN(2))
	switch family {
	case 0:
		return F(sign * r.Float64() * 4)
	case 1:
		return F(sign * float64(1+r.IntN(4096)) * math.Ldexp(1, -r.IntN(16)))
	case 2:
		if r.IntN(2) == 0 {
			return F(1 + float64(r.IntN(64))/4096)
		}
		return F(sign * math.Ldexp(1+r.Float64(), -36-r.IntN(28)))
	case 3:
		e := 128
		if !is32[F]() {
			e = 1024
		}
		return F(sign * math.Ldexp(1+r.Float64(), r.IntN(2*e)-e-20))
	default:
		specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1,
			math.MaxFloat32, math.SmallestNonzeroFloat32, 1.1754942e-38, math.Ldexp(1, -75), 0.5}
		if r.IntN(3) == 0 {
			return F(specials[r.IntN(len(specials))])
		}
		return F(sign * r.Float64())
	}
}

const families = 5

func values[F Float](r *rand.Rand, n int) []F {
	fam := r.IntN(families)
	mixed := r.IntN(4) == 0
	v := make([]F, n)
	for i := range v {
		if mixed {
			fam = r.IntN(families)
		}
		v[i] = value[F](r, fam)
	}
	return v
}

// scalar draws a kernel's scalar argument: the values of value plus the
// hyper-parameters training uses.
func scalar[F Float](r *rand.Rand) F {
	if r.IntN(3) == 0 {
		common := []float64{1.0 / 1024, 0.875, 0.9, 0.1, 0.01, 1 + 1.0/4096, -1, 0.5, 1.0 / 32, 0}
		return F(common[r.IntN(len(common))])
	}
	return value[F](r, r.IntN(families))
}

// length draws a length: short ones around the unrolling and lane
// widths, and some longer than SumRows' tile.
func length(r *rand.Rand) int {
	switch r.IntN(4) {
	case 0:
		return r.IntN(9)
	case 1:
		return r.IntN(140)
	case 2:
		return 60 + r.IntN(10)
	default:
		return r.IntN(700)
	}
}

func iterations() int {
	if testing.Short() {
		return 300
	}
	return 3000
}

func forTypes(t *testing.T, f32 func(*testing.T), f64 func(*testing.T)) {
	t.Run("f32", f32)
	t.Run("f64", f64)
}

func TestAxpy(t *testing.T) { forTypes(t, testAxpy[float32], testAxpy[float64]) }

func testAxpy[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < iterations(); it++ {
		n := length(r)
		a := scalar[F](r)
		x, y := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n))
		wx, wy := clone(r, x), clone(r, y)
		kernels.Axpy(a, wx.s, wy.s)
		Axpy(a, x.s, y.s)
		what := fmt.Sprintf("Axpy(a=%v) iteration %d", a, it)
		check(t, what+" y", y, wy)
		check(t, what+" x", x, wx)
		// x and y the same slice.
		wy = clone(r, x)
		kernels.Axpy(a, wy.s, wy.s)
		Axpy(a, x.s, x.s)
		check(t, what+" aliased", x, wy)
	}
}

func TestAxpby(t *testing.T) { forTypes(t, testAxpby[float32], testAxpby[float64]) }

func testAxpby[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for it := 0; it < iterations(); it++ {
		n := length(r)
		a, b := scalar[F](r), scalar[F](r)
		x, y := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n))
		wx, wy := clone(r, x), clone(r, y)
		kernels.Axpby(a, wx.s, b, wy.s)
		Axpby(a, x.s, b, y.s)
		what := fmt.Sprintf("Axpby(a=%v, b=%v) iteration %d", a, b, it)
		check(t, what+" y", y, wy)
		check(t, what+" x", x, wx)
		wy = clone(r, x)
		kernels.Axpby(a, wy.s, b, wy.s)
		Axpby(a, x.s, b, x.s)
		check(t, what+" aliased", x, wy)
	}
}

func TestScale(t *testing.T) { forTypes(t, testScale[float32], testScale[float64]) }

func testScale[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for it := 0; it < iterations(); it++ {
		a := scalar[F](r)
		x := newBuf(r, values[F](r, length(r)))
		wx := clone(r, x)
		kernels.Scale(a, wx.s)
		Scale(a, x.s)
		check(t, fmt.Sprintf("Scale(a=%v) iteration %d", a, it), x, wx)
	}
}

func TestDot(t *testing.T) { forTypes(t, testDot[float32], testDot[float64]) }

func testDot[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for it := 0; it < iterations(); it++ {
		n := length(r)
		x, y := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n))
		want, got := kernels.Dot(x.s, y.s), Dot(x.s, y.s)
		if !same(got, want) {
			t.Fatalf("Dot iteration %d (n=%d): got %v (%#x), want %v (%#x)", it, n, got, bitsOf(got), want, bitsOf(want))
		}
		want, got = kernels.Dot(x.s, x.s), Dot(x.s, x.s)
		if !same(got, want) {
			t.Fatalf("Dot(x, x) iteration %d (n=%d): got %v, want %v", it, n, got, want)
		}
		wx, wy := clone(r, x), clone(r, y)
		check(t, "Dot x untouched", x, wx)
		check(t, "Dot y untouched", y, wy)
	}
}

func TestSumRows(t *testing.T) { forTypes(t, testSumRows[float32], testSumRows[float64]) }

func testSumRows[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for it := 0; it < iterations(); it++ {
		n, m := length(r), r.IntN(6)
		scale := scalar[F](r)
		dst, src := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n*m))
		wdst := clone(r, dst)
		kernels.SumRows(wdst.s, scale, src.s)
		SumRows(dst.s, scale, src.s)
		what := fmt.Sprintf("SumRows(n=%d, m=%d) iteration %d", n, m, it)
		check(t, what, dst, wdst)
		// dst and src the same slice (one row).
		wdst = clone(r, src)
		if m == 1 {
			kernels.SumRows(wdst.s, scale, wdst.s)
			SumRows(src.s, scale, src.s)
			check(t, what+" aliased", src, wdst)
		}
	}
}

// momentum draws hyper-parameters covering every mode.
func momentumParams[F Float](r *rand.Rand) kernels.Momentum[F] {
	h := kernels.Momentum[F]{LR: scalar[F](r)}
	if r.IntN(4) != 0 {
		h.Mu = scalar[F](r)
	}
	if r.IntN(3) == 0 {
		h.Dampening = scalar[F](r)
	}
	if r.IntN(3) == 0 {
		h.WeightDecay = scalar[F](r)
	}
	h.Nesterov, h.Maximize, h.Fresh = r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(4) == 0
	return h
}

func TestMomentumStep(t *testing.T) {
	forTypes(t, testMomentumStep[float32], testMomentumStep[float64])
}

func testMomentumStep[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for it := 0; it < iterations(); it++ {
		n := length(r)
		h := momentumParams[F](r)
		p, g, v := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n))
		wp, wg, wv := clone(r, p), clone(r, g), clone(r, v)
		what := fmt.Sprintf("MomentumStep(%+v, n=%d) iteration %d", h, n, it)
		if h.Mu == 0 && r.IntN(2) == 0 {
			kernels.MomentumStep(wp.s, wg.s, nil, h)
			MomentumStep(p.s, g.s, nil, h)
		} else {
			kernels.MomentumStep(wp.s, wg.s, wv.s, h)
			MomentumStep(p.s, g.s, v.s, h)
		}
		check(t, what+" p", p, wp)
		check(t, what+" g", g, wg)
		check(t, what+" v", v, wv)
		// Every choice of arguments that are the same slice.
		for _, alias := range []string{"pg", "pv", "gv", "pgv"} {
			a, b := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n))
			wa, wb := clone(r, a), clone(r, b)
			switch alias {
			case "pg":
				kernels.MomentumStep(wa.s, wa.s, wb.s, h)
				MomentumStep(a.s, a.s, b.s, h)
			case "pv":
				kernels.MomentumStep(wa.s, wb.s, wa.s, h)
				MomentumStep(a.s, b.s, a.s, h)
			case "gv":
				kernels.MomentumStep(wb.s, wa.s, wa.s, h)
				MomentumStep(b.s, a.s, a.s, h)
			case "pgv":
				kernels.MomentumStep(wa.s, wa.s, wa.s, h)
				MomentumStep(a.s, a.s, a.s, h)
			}
			check(t, what+" aliased "+alias, a, wa)
			check(t, what+" aliased "+alias+" (other)", b, wb)
		}
	}
}

func TestBatchMomentumStep(t *testing.T) {
	forTypes(t, testBatchMomentumStep[float32], testBatchMomentumStep[float64])
}

func testBatchMomentumStep[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for it := 0; it < iterations(); it++ {
		n, m := length(r), r.IntN(5)
		h := momentumParams[F](r)
		scale := scalar[F](r)
		p, v, rows := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n*m))
		wp, wv, wrows := clone(r, p), clone(r, v), clone(r, rows)
		kernels.BatchMomentumStep(wp.s, wv.s, wrows.s, scale, h)
		BatchMomentumStep(p.s, v.s, rows.s, scale, h)
		what := fmt.Sprintf("BatchMomentumStep(%+v, scale=%v, n=%d, m=%d) iteration %d", h, scale, n, m, it)
		check(t, what+" p", p, wp)
		check(t, what+" v", v, wv)
		check(t, what+" rows", rows, wrows)
		// Every choice of arguments that are the same slice (rows
		// takes part with one row).
		for _, alias := range []string{"pv", "p-rows", "v-rows", "all"} {
			a, b := newBuf(r, values[F](r, n)), newBuf(r, values[F](r, n))
			wa, wb := clone(r, a), clone(r, b)
			switch alias {
			case "pv":
				kernels.BatchMomentumStep(wa.s, wa.s, wb.s, scale, h)
				BatchMomentumStep(a.s, a.s, b.s, scale, h)
			case "p-rows":
				kernels.BatchMomentumStep(wa.s, wb.s, wa.s, scale, h)
				BatchMomentumStep(a.s, b.s, a.s, scale, h)
			case "v-rows":
				kernels.BatchMomentumStep(wb.s, wa.s, wa.s, scale, h)
				BatchMomentumStep(b.s, a.s, a.s, scale, h)
			case "all":
				kernels.BatchMomentumStep(wa.s, wa.s, wa.s, scale, h)
				BatchMomentumStep(a.s, a.s, a.s, scale, h)
			}
			check(t, what+" aliased "+alias, a, wa)
			check(t, what+" aliased "+alias+" (other)", b, wb)
		}
	}
}

// TestDoubleRoundingInBlocks puts the cases FMA32 exists for (rounding
// a*b+c to float64 lands exactly on a float32 midpoint, which rounding
// again to float32 resolves the wrong way) at every position of the
// four-element blocks of Axpy, Axpby and Dot and at every element of
// MomentumStep, among ordinary elements:
//
//   - normal: a = b = 1+2^-12, c = 2^-60; the right result is 0x3f801001,
//     rounding twice gives 0x3f801000.
//   - subnormal: a = 2^-24 + 2^-44, b = 2^-126 - 2^-146, so a*b =
//     2^-150 - 2^-190, c = (2^22+1)*2^-149; the right result is c (a*b is
//     below half a subnormal step), rounding twice gives c + 2^-149 (the
//     float64 sum is c + 2^-150, a tie, which goes to even).
func TestDoubleRoundingInBlocks(t *testing.T) {
	sub := float32(math.Ldexp(1<<22+1, -149))
	cases := []struct{ a, b, c float32 }{
		{1 + 1.0/4096, 1 + 1.0/4096, float32(math.Ldexp(1, -60))},
		{float32(math.Ldexp(1, -24) + math.Ldexp(1, -44)), float32(math.Ldexp(1, -126) - math.Ldexp(1, -146)), sub},
	}
	for _, tc := range cases {
		want := math.Float32bits(kernels.FMA32(tc.a, tc.b, tc.c))
		naive := math.Float32bits(float32(float64(float64(tc.a)*float64(tc.b)) + float64(tc.c)))
		if naive == want {
			t.Fatalf("%v*%v + %v: rounding twice gives the right result; not a test case", tc.a, tc.b, tc.c)
		}
		for n := 1; n <= 9; n++ {
			for k := 0; k < n; k++ {
				x, y := make([]float32, n), make([]float32, n)
				for i := range x {
					x[i], y[i] = 1, 2
				}
				x[k], y[k] = tc.b, tc.c
				Axpy(tc.a, x, y)
				if got := math.Float32bits(y[k]); got != want {
					t.Fatalf("Axpy(%v) n=%d, element %d: %#x, want %#x", tc.a, n, k, got, want)
				}
				x[k], y[k] = tc.b, tc.c
				Axpby(tc.a, x, 1, y)
				if got := math.Float32bits(y[k]); got != want {
					t.Fatalf("Axpby(%v) n=%d, element %d: %#x, want %#x", tc.a, n, k, got, want)
				}
			}
		}
	}
	for _, tc := range cases {
		want := kernels.FMA32(tc.a, tc.b, tc.c)
		for n := 1; n <= 9; n++ {
			for k := 0; k < n; k++ {
				// v' = fma(Mu, v, d) with d = g (heavy ball; and with
				// Maximize, g = -c, the general loop), LR = 0.
				for _, maximize := range []bool{false, true} {
					p, g, v := make([]float32, n), make([]float32, n), make([]float32, n)
					g[k], v[k] = tc.c, tc.b
					if maximize {
						g[k] = -tc.c
					}
					MomentumStep(p, g, v, kernels.Momentum[float32]{Mu: tc.a, Maximize: maximize})
					if !same(v[k], want) {
						t.Fatalf("MomentumStep v' (Maximize %v) n=%d, element %d: %#x, want %#x", maximize, n, k,
							math.Float32bits(v[k]), math.Float32bits(want))
					}
				}
				// p' = fma(-LR, g, p) with Mu = 0.
				p, g := make([]float32, n), make([]float32, n)
				p[k], g[k] = tc.c, tc.b
				MomentumStep(p, g, nil, kernels.Momentum[float32]{LR: -tc.a})
				if !same(p[k], want) {
					t.Fatalf("MomentumStep p' n=%d, element %d: %#x, want %#x", n, k, math.Float32bits(p[k]), math.Float32bits(want))
				}
			}
		}
	}
	const want = 0x3f801001
	a := float32(1 + 1.0/4096)
	// Dot: lane k of block 0 holds 2^-30 * 2^-30, lane k of block 1 adds
	// a*a to it; every other element is 0.
	for _, k := range []int{0, 1, 2, 3, 17, 62, 63} {
		for _, n := range []int{2 * kernels.Lanes32, kernels.Lanes32 + k + 1} {
			x := make([]float32, n)
			x[k] = float32(math.Ldexp(1, -30))
			x[kernels.Lanes32+k] = a
			if got := math.Float32bits(Dot(x, x)); got != want {
				t.Fatalf("Dot n=%d, lane %d: %#x, want %#x", n, k, got, want)
			}
		}
	}
}

// TestRound32 checks round32 against kernels.FMA32 (proved against
// math/big in package kernels) on random bit patterns and the families of
// value.
func TestRound32(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	n := 400_000
	if testing.Short() {
		n = 50_000
	}
	for i := 0; i < n; i++ {
		var a, b, c float32
		if i%2 == 0 {
			a, b, c = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		} else {
			a, b, c = value[float32](r, r.IntN(families)), value[float32](r, r.IntN(families)), value[float32](r, r.IntN(families))
		}
		want := kernels.FMA32(a, b, c)
		if got := round32(float64(float64(a)*float64(b)), float64(c)); !same(got, want) {
			t.Fatalf("round32(%v*%v, %v) = %v, FMA32 gives %v", a, b, c, got, want)
		}
	}
}

func TestNoAllocs(t *testing.T) {
	x, y := make([]float32, 300), make([]float32, 300)
	p, v := make([]float32, 300), make([]float32, 300)
	h := kernels.Momentum[float32]{LR: 0.1, Mu: 0.9}
	allocs := testing.AllocsPerRun(10, func() {
		Axpy(1, x, y)
		Axpby(1, x, 2, y)
		Scale(2, x)
		_ = Dot(x, y)
		SumRows(y[:100], 0.5, x)
		MomentumStep(p, x, v, h)
		BatchMomentumStep(p[:100], v[:100], x, 0.5, h)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per run, want 0", allocs)
	}
}

// TestFMA32Flag checks fma32 on the boundaries and on random sums in the
// range a float32 fma produces: its float32 is kernels.FMA32's result
// unless it flags, and it flags exactly when the float64 sum is inexact
// and a float32 midpoint or nonzero below 2^-126 (its definition).
func TestFMA32Flag(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	tiny := math.Ldexp(1, -126)
	var flagged, exactMid, exactTiny int // the cases must all occur
	check := func(a, b, c float32) {
		p, cc := float64(float64(a)*float64(b)), float64(c)
		got, f := fma32(p, cc, 0)
		s := p + cc
		bv := s - p
		exact := (p-(s-bv))+(cc-bv) == 0
		sb := math.Float64bits(s)
		want := !exact && (sb&(1<<29-1) == 1<<28 || (s != 0 && math.Abs(s) < tiny))
		if math.IsNaN(s) || math.IsInf(s, 0) {
			want = f != 0 // either way: not flagged is correct (see fma32), flagged is recomputed
		}
		if (f != 0) != want {
			t.Fatalf("fma32(%v*%v, %v): flag %v, want %v (s = %#x)", a, b, c, f != 0, want, sb)
		}
		switch {
		case f != 0:
			flagged++
		case exact && sb&(1<<29-1) == 1<<28:
			exactMid++
		case exact && s != 0 && math.Abs(s) < tiny:
			exactTiny++
		}
		if f == 0 && !same(got, kernels.FMA32(a, b, c)) {
			t.Fatalf("fma32(%v*%v, %v) = %#x unflagged, FMA32 gives %#x", a, b, c,
				math.Float32bits(got), math.Float32bits(kernels.FMA32(a, b, c)))
		}
		if _, f1 := fma32(p, cc, 1); f1 != 1 { // a set flag stays set
			t.Fatalf("fma32(%v*%v, %v, 1): flag %d", a, b, c, f1)
		}
	}
	edges := []float32{0, float32(math.Copysign(0, -1)), 1, -1, float32(tiny), math.MaxFloat32, math.SmallestNonzeroFloat32,
		1 + 1.0/4096, float32(math.Ldexp(1, -60)), float32(math.Inf(1)), float32(math.NaN()), 0.875, 1.0 / 1024}
	for _, a := range edges {
		for _, b := range edges {
			for _, c := range edges {
				check(a, b, c)
			}
		}
	}
	n := 400_000
	if testing.Short() {
		n = 50_000
	}
	for i := 0; i < n; i++ {
		var a, b, c float32
		switch i % 3 {
		case 0:
			a, b, c = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		case 1:
			a, b, c = value[float32](r, r.IntN(families)), value[float32](r, r.IntN(families)), value[float32](r, r.IntN(families))
		default: // short significands: many exact midpoints
			a = float32(r.IntN(1<<12)) * float32(math.Ldexp(1, r.IntN(40)-20))
			b = float32(r.IntN(1<<12)) * float32(math.Ldexp(1, r.IntN(40)-20))
			c = float32(r.IntN(1<<24)) * float32(math.Ldexp(1, r.IntN(60)-30))
			if r.IntN(8) == 0 { // near or below the float32 normal range
				a, c = a*float32(math.Ldexp(1, -100)), c*float32(math.Ldexp(1, -120))
			}
		}
		check(a, b, c)
	}
	if flagged == 0 || exactMid == 0 || exactTiny == 0 {
		t.Fatalf("cases not covered: %d flagged, %d exact midpoints, %d exact below 2^-126", flagged, exactMid, exactTiny)
	}
	t.Logf("%d flagged, %d exact midpoints, %d exact below 2^-126", flagged, exactMid, exactTiny)
}

// TestSuspect compares suspect with its definition (a float32 midpoint,
// or 0 < |s| < 2^-126) on the boundaries and on random float64 values in
// the range a float32 fma can produce (0 or 2^-298 <= |s| < 2^257).
func TestSuspect(t *testing.T) {
	want := func(s float64) bool {
		sb := math.Float64bits(s)
		a := math.Abs(s)
		return sb&(1<<29-1) == 1<<28 || (a > 0 && a < math.Ldexp(1, -126))
	}
	edges := []float64{0, math.Ldexp(1, -126), math.Nextafter(math.Ldexp(1, -126), 0), math.Ldexp(1, -298),
		math.Ldexp(1, 256), math.Float64frombits(0x3ff0000010000000), math.Float64frombits(0x3ff0000008000000),
		math.Nextafter(math.Ldexp(1, -126), 1), math.Ldexp(3, -150), math.MaxFloat32, math.Inf(1)}
	r := rand.New(rand.NewPCG(17, 18))
	for i := 0; i < 200_000; i++ {
		var s float64
		if i < len(edges) {
			s = edges[i]
		} else {
			s = math.Ldexp(1+r.Float64(), r.IntN(555)-298)
			if r.IntN(4) == 0 { // a midpoint
				s = math.Float64frombits(math.Float64bits(s)&^(1<<29-1) | 1<<28)
			}
		}
		for _, v := range []float64{s, -s} {
			if got := int64(suspect(v)) < 0; got != want(v) {
				t.Fatalf("suspect(%g = %#x) = %v, want %v", v, math.Float64bits(v), got, want(v))
			}
		}
	}
}
