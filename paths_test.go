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

// This file checks every path this CPU can run against kernels/, bit for
// bit (any NaN matches any NaN), on random lengths, offsets and values,
// with guard elements around every slice that must come back unchanged.

const guardLen = 9

// sameBits reports whether a and b are the same value: equal bits, or both NaN.
func sameBits[F downhill.Float](a, b F) bool {
	if a != a && b != b {
		return true
	}
	if unsafe.Sizeof(a) == 4 {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

// guardValue is a NaN with a recognisable payload; a stray write of any
// computed value changes its bits.
func guardValue[F downhill.Float]() F {
	var z F
	if unsafe.Sizeof(z) == 4 {
		v := math.Float32frombits(0x7fa5a5a5)
		return *(*F)(unsafe.Pointer(&v))
	}
	v := math.Float64frombits(0x7ff5a5a5a5a5a5a5)
	return *(*F)(unsafe.Pointer(&v))
}

func guardBits[F downhill.Float](v F) uint64 {
	if unsafe.Sizeof(v) == 4 {
		return uint64(math.Float32bits(float32(v)))
	}
	return math.Float64bits(float64(v))
}

// buffer is a slice of n elements at a random offset inside a larger
// allocation whose other elements are guards.
type buffer[F downhill.Float] struct {
	all  []F
	off  int
	data []F
}

func newBuffer[F downhill.Float](r *rand.Rand, n int, special float64) *buffer[F] {
	off := guardLen + r.IntN(8)
	all := make([]F, off+n+guardLen+r.IntN(8))
	g := guardValue[F]()
	for i := range all {
		all[i] = g
	}
	b := &buffer[F]{all: all, off: off, data: all[off : off+n : off+n]}
	for i := range b.data {
		b.data[i] = randValue[F](r, special)
	}
	return b
}

func (b *buffer[F]) clone() *buffer[F] {
	c := &buffer[F]{all: append([]F(nil), b.all...), off: b.off}
	c.data = c.all[b.off : b.off+len(b.data) : b.off+len(b.data)]
	return c
}

// check compares b (computed by a path) with want (computed by kernels/)
// and checks the guards.
func (b *buffer[F]) check(t *testing.T, what string, want *buffer[F]) {
	t.Helper()
	g := guardBits(guardValue[F]())
	for i, v := range b.all {
		if i >= b.off && i < b.off+len(b.data) {
			continue
		}
		if guardBits(v) != g {
			t.Fatalf("%s: guard element %d (slice at [%d:%d]) overwritten with %v", what, i, b.off, b.off+len(b.data), v)
		}
	}
	for i := range b.data {
		if !sameBits(b.data[i], want.data[i]) {
			t.Fatalf("%s: element %d of %d = %v (%#x), kernels/ gives %v (%#x)", what, i, len(b.data),
				b.data[i], guardBits(b.data[i]), want.data[i], guardBits(want.data[i]))
		}
	}
}

// randValue returns an ordinary value, or with probability special one of
// the values that break careless kernels.
func randValue[F downhill.Float](r *rand.Rand, special float64) F {
	if r.Float64() < special {
		var z F
		tiny, huge := math.SmallestNonzeroFloat64, math.MaxFloat64
		if unsafe.Sizeof(z) == 4 {
			tiny, huge = math.SmallestNonzeroFloat32, math.MaxFloat32
		}
		switch r.IntN(10) {
		case 0:
			return F(math.NaN())
		case 1:
			return F(math.Inf(1))
		case 2:
			return F(math.Inf(-1))
		case 3:
			return 0
		case 4:
			return F(math.Copysign(0, -1))
		case 5:
			return F(tiny * float64(1+r.IntN(1000)))
		case 6:
			return F(huge / float64(1+r.IntN(4)))
		case 7:
			return -F(huge / float64(1+r.IntN(4)))
		case 8:
			return F(1 + r.NormFloat64()*1e-7)
		default:
			return F(math.Ldexp(r.Float64(), r.IntN(60)-30))
		}
	}
	return F(r.NormFloat64() * 4)
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

func forEachPath(t *testing.T, f func(t *testing.T, p downhill.Path)) {
	for _, p := range dispatch.Available() {
		t.Run(p.String(), func(t *testing.T) { f(t, p) })
	}
}

func trials(t *testing.T) int {
	if testing.Short() {
		return 150
	}
	return 600
}

func TestPathsAxpy(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testAxpy[float32](t, p)
		testAxpy[float64](t, p)
	})
}

func testAxpy[F downhill.Float](t *testing.T, p downhill.Path) {
	k, err := downhill.On[F](p)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, uint64(p)))
	for trial := range trials(t) {
		n, sp := randLen(r), r.Float64()*0.3
		alpha := randValue[F](r, sp)
		x, y := newBuffer[F](r, n, sp), newBuffer[F](r, n, sp)
		wx, wy := x.clone(), y.clone()
		what := fmt.Sprintf("%T Axpy trial %d n=%d alpha=%v", alpha, trial, n, alpha)
		if trial%5 == 0 { // aliasing: x and y the same slice
			k.Axpy(alpha, y.data, y.data)
			kernels.Axpy(alpha, wy.data, wy.data)
		} else {
			k.Axpy(alpha, x.data, y.data)
			kernels.Axpy(alpha, wx.data, wy.data)
		}
		x.check(t, what+" x", wx)
		y.check(t, what+" y", wy)
	}
}

func TestPathsAxpby(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testAxpby[float32](t, p)
		testAxpby[float64](t, p)
	})
}

func testAxpby[F downhill.Float](t *testing.T, p downhill.Path) {
	k, _ := downhill.On[F](p)
	r := rand.New(rand.NewPCG(2, uint64(p)))
	for trial := range trials(t) {
		n, sp := randLen(r), r.Float64()*0.3
		alpha, beta := randValue[F](r, sp), randValue[F](r, sp)
		x, y := newBuffer[F](r, n, sp), newBuffer[F](r, n, sp)
		wx, wy := x.clone(), y.clone()
		what := fmt.Sprintf("%T Axpby trial %d n=%d alpha=%v beta=%v", alpha, trial, n, alpha, beta)
		if trial%5 == 0 {
			k.Axpby(alpha, y.data, beta, y.data)
			kernels.Axpby(alpha, wy.data, beta, wy.data)
		} else {
			k.Axpby(alpha, x.data, beta, y.data)
			kernels.Axpby(alpha, wx.data, beta, wy.data)
		}
		x.check(t, what+" x", wx)
		y.check(t, what+" y", wy)
	}
}

func TestPathsScale(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testScale[float32](t, p)
		testScale[float64](t, p)
	})
}

func testScale[F downhill.Float](t *testing.T, p downhill.Path) {
	k, _ := downhill.On[F](p)
	r := rand.New(rand.NewPCG(3, uint64(p)))
	for trial := range trials(t) {
		n, sp := randLen(r), r.Float64()*0.3
		alpha := randValue[F](r, sp)
		x := newBuffer[F](r, n, sp)
		wx := x.clone()
		k.Scale(alpha, x.data)
		kernels.Scale(alpha, wx.data)
		x.check(t, fmt.Sprintf("%T Scale trial %d n=%d alpha=%v", alpha, trial, n, alpha), wx)
	}
}

func TestPathsDot(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testDot[float32](t, p)
		testDot[float64](t, p)
	})
}

func testDot[F downhill.Float](t *testing.T, p downhill.Path) {
	k, _ := downhill.On[F](p)
	r := rand.New(rand.NewPCG(4, uint64(p)))
	for trial := range trials(t) {
		n, sp := randLen(r), r.Float64()*0.1
		if trial%3 == 0 {
			sp = 0 // mostly finite sums, where the order shows in the bits
		}
		x, y := newBuffer[F](r, n, sp), newBuffer[F](r, n, sp)
		wx, wy := x.clone(), y.clone()
		what := fmt.Sprintf("%T Dot trial %d n=%d", F(0), trial, n)
		var got, want F
		if trial%5 == 0 {
			got, want = k.Dot(x.data, x.data), kernels.Dot(wx.data, wx.data)
		} else {
			got, want = k.Dot(x.data, y.data), kernels.Dot(wx.data, wy.data)
		}
		if !sameBits(got, want) {
			t.Fatalf("%s: got %v (%#x), kernels/ gives %v (%#x)", what, got, guardBits(got), want, guardBits(want))
		}
		x.check(t, what+" x", wx)
		y.check(t, what+" y", wy)
	}
}

func TestPathsSumRows(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testSumRows[float32](t, p)
		testSumRows[float64](t, p)
	})
}

func testSumRows[F downhill.Float](t *testing.T, p downhill.Path) {
	k, _ := downhill.On[F](p)
	r := rand.New(rand.NewPCG(5, uint64(p)))
	for trial := range trials(t) {
		n, m, sp := randLen(r)/2, r.IntN(40), r.Float64()*0.2
		if trial%7 == 0 {
			m = 0
		}
		scale := randValue[F](r, sp)
		dst, src := newBuffer[F](r, n, sp), newBuffer[F](r, n*m, sp)
		wdst, wsrc := dst.clone(), src.clone()
		k.SumRows(dst.data, scale, src.data)
		kernels.SumRows(wdst.data, scale, wsrc.data)
		what := fmt.Sprintf("%T SumRows trial %d n=%d m=%d scale=%v", scale, trial, n, m, scale)
		dst.check(t, what+" dst", wdst)
		src.check(t, what+" src", wsrc)
	}
}

// randMomentum draws hyper-parameters covering every flag combination.
func randMomentum[F downhill.Float](r *rand.Rand, sp float64) downhill.Momentum[F] {
	pick := func(zeroProb float64) F {
		if r.Float64() < zeroProb {
			return 0
		}
		if r.Float64() < sp {
			return randValue[F](r, 1)
		}
		return F(r.Float64())
	}
	return downhill.Momentum[F]{
		LR: pick(0.05), Mu: pick(0.3), Dampening: pick(0.5), WeightDecay: pick(0.4),
		Nesterov: r.IntN(2) == 0, Maximize: r.IntN(2) == 0, Fresh: r.IntN(3) == 0,
	}
}

func TestPathsMomentumStep(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testMomentumStep[float32](t, p)
		testMomentumStep[float64](t, p)
	})
}

func testMomentumStep[F downhill.Float](t *testing.T, p downhill.Path) {
	k, _ := downhill.On[F](p)
	r := rand.New(rand.NewPCG(6, uint64(p)))
	for trial := range 2 * trials(t) {
		n, sp := randLen(r), r.Float64()*0.2
		h := randMomentum[F](r, sp)
		pb, gb, vb := newBuffer[F](r, n, sp), newBuffer[F](r, n, sp), newBuffer[F](r, n, sp)
		wp, wg, wv := pb.clone(), gb.clone(), vb.clone()
		what := fmt.Sprintf("%T MomentumStep trial %d n=%d %+v", h.LR, trial, n, h)
		if h.Mu == 0 && trial%2 == 0 {
			// v may be nil when Mu == 0; it must not be touched.
			k.MomentumStep(pb.data, gb.data, nil, h)
			kernels.MomentumStep(wp.data, wg.data, nil, h)
		} else {
			k.MomentumStep(pb.data, gb.data, vb.data, h)
			kernels.MomentumStep(wp.data, wg.data, wv.data, h)
		}
		pb.check(t, what+" p", wp)
		gb.check(t, what+" g", wg)
		vb.check(t, what+" v", wv)
	}
}

func TestPathsBatchMomentumStep(t *testing.T) {
	forEachPath(t, func(t *testing.T, p downhill.Path) {
		testBatchMomentumStep[float32](t, p)
		testBatchMomentumStep[float64](t, p)
	})
}

func testBatchMomentumStep[F downhill.Float](t *testing.T, p downhill.Path) {
	k, _ := downhill.On[F](p)
	r := rand.New(rand.NewPCG(7, uint64(p)))
	for trial := range 2 * trials(t) {
		n, m, sp := randLen(r)/2, r.IntN(40), r.Float64()*0.2
		if trial%7 == 0 {
			m = 0
		}
		h := randMomentum[F](r, sp)
		scale := randValue[F](r, sp)
		pb, vb, rows := newBuffer[F](r, n, sp), newBuffer[F](r, n, sp), newBuffer[F](r, n*m, sp)
		wp, wv, wrows := pb.clone(), vb.clone(), rows.clone()
		p0, v0 := append([]F(nil), pb.data...), append([]F(nil), vb.data...)
		what := fmt.Sprintf("%T BatchMomentumStep trial %d n=%d m=%d scale=%v %+v", scale, trial, n, m, scale, h)
		if h.Mu == 0 && trial%2 == 0 {
			k.BatchMomentumStep(pb.data, nil, rows.data, scale, h)
			kernels.BatchMomentumStep(wp.data, nil, wrows.data, scale, h)
		} else {
			k.BatchMomentumStep(pb.data, vb.data, rows.data, scale, h)
			kernels.BatchMomentumStep(wp.data, wv.data, wrows.data, scale, h)
		}
		pb.check(t, what+" p", wp)
		vb.check(t, what+" v", wv)
		rows.check(t, what+" rows", wrows)
		// The fused form equals the two-step form on the same path:
		// SumRows into a temporary, then MomentumStep.
		g := make([]F, n)
		k.SumRows(g, scale, wrows.data)
		k.MomentumStep(p0, g, v0, h)
		for i := range p0 {
			if !sameBits(p0[i], pb.data[i]) || (h.Mu != 0 && !sameBits(v0[i], vb.data[i])) {
				t.Fatalf("%s: fused and two-step forms differ at %d: p %v vs %v", what, i, pb.data[i], p0[i])
			}
		}
	}
}
