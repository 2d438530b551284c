package downhill_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// Exhaustive sweeps on every path (forEachPath), compared with kernels/
// bit for bit: every length up to 200 (every tail of every loop of every
// path, and the first iterations of the main loops) and a few large ones,
// every element alignment within 64 bytes, values that exercise rounding
// (ts.Value: subnormals, ±0, ±Inf, NaN payloads, midpoints), and guard
// elements around every slice. paths_test.go adds random lengths and
// mixes; alias_test.go every aliasing; guardpage_linux_test.go page guards.

func sweepLengths() []int { return ts.Lengths(200, 255, 256, 257, 1000, 1023, 1024, 1025, 4099) }

// alignments is the number of element offsets within 64 bytes.
func alignments[F downhill.Float]() int { return 64 / ts.Size[F]() }

// offsets are the alignments a sweep tries at length n: all of them, but
// with -short (which CI runs under qemu) all only up to 64 elements and
// then two per length, rotating with n.
func offsets[F downhill.Float](n int) []int {
	al := alignments[F]()
	if testing.Short() && n > 64 {
		return []int{n % al, (n*7 + 3) % al}
	}
	os := make([]int, al)
	for i := range os {
		os[i] = i
	}
	return os
}

const sweepSpecial = 0.1 // fraction of special values in the sweeps

func TestSweepAxpy(t *testing.T)  { bothTypes(t, sweepXY[float32](opAxpy), sweepXY[float64](opAxpy)) }
func TestSweepAxpby(t *testing.T) { bothTypes(t, sweepXY[float32](opAxpby), sweepXY[float64](opAxpby)) }
func TestSweepScale(t *testing.T) { bothTypes(t, sweepXY[float32](opScale), sweepXY[float64](opScale)) }

// sweepXY sweeps an element-wise kernel over every length and alignment
// of x and y.
func sweepXY[F downhill.Float](op xyOp) func(*testing.T, downhill.Kernels[F]) {
	return func(t *testing.T, k downhill.Kernels[F]) {
		r := rand.New(rand.NewPCG(1, uint64(op)))
		for _, n := range sweepLengths() {
			for _, ox := range offsets[F](n) {
				oy := (ox*(3+2*int(op)) + n) % alignments[F]()
				x, y := ts.NewBuffer[F](r, n, ox, sweepSpecial), ts.NewBuffer[F](r, n, oy, sweepSpecial)
				a, b := ts.Value[F](r, sweepSpecial), ts.Value[F](r, sweepSpecial)
				checkXY(t, k, op, fmt.Sprintf("n=%d offsets %d,%d", n, ox, oy), a, b, x, y)
			}
		}
	}
}

func TestSweepDot(t *testing.T) { bothTypes(t, sweepDot[float32], sweepDot[float64]) }

func sweepDot[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range sweepLengths() {
		for _, ox := range offsets[F](n) {
			oy := (ox*3 + n) % alignments[F]()
			// Every other case has finite values only, so that the sum
			// is not NaN and a wrong lane order or tree shows in the bits.
			sp := sweepSpecial * float64(ox%2)
			x, y := ts.NewBuffer[F](r, n, ox, sp), ts.NewBuffer[F](r, n, oy, sp)
			want := kernels.Dot(x.S(), y.S())
			gx, gy := x.Clone(), y.Clone()
			what := fmt.Sprintf("Dot n=%d offsets %d,%d", n, ox, oy)
			checkResult(t, what, k.Dot(gx.S(), gy.S()), want)
			fail(t, what+" x", gx.Unchanged(x))
			fail(t, what+" y", gy.Unchanged(y))
		}
	}
}

// TestSweepDotSignedZero checks the padding rule of Dot's last block:
// products of opposite-signed tiny subnormals round to -0, so touched
// lanes hold -0 while fma(+0, +0, acc) of the padding turns untouched
// lanes into +0; the combining tree must then give exactly the canonical
// sign for every length.
func TestSweepDotSignedZero(t *testing.T) {
	bothTypes(t, sweepDotSignedZero[float32], sweepDotSignedZero[float64])
}

func sweepDotSignedZero[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	tiny := ts.FromBits[F](1) // the smallest subnormal
	for n := 1; n <= 200; n++ {
		for _, withZero := range []bool{false, true} {
			x, y := make([]F, n), make([]F, n)
			for i := range n {
				x[i], y[i] = tiny, -tiny
				if withZero && i%7 == 3 { // a +0 product in some lanes
					y[i] = 0
				}
			}
			checkResult(t, fmt.Sprintf("Dot of %d underflowing products (+0 among them: %v)", n, withZero), k.Dot(x, y), kernels.Dot(x, y))
		}
	}
}

// TestSweepRounding puts a product on a rounding midpoint in every lane
// of the vector and the scalar parts of every loop: a = x = 1+2^-h and
// y = 2^-(2·mant+6), where fma(a, x, y) rounds up and a*x + y rounded
// twice rounds to even. Axpy must fuse, Axpby must round beta*y on its
// own and fuse the rest, Scale must round once.
func TestSweepRounding(t *testing.T) { bothTypes(t, sweepRounding[float32], sweepRounding[float64]) }

func sweepRounding[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	a, b, c := F(1+math.Ldexp(1, -12)), F(1+math.Ldexp(1, -12)), F(math.Ldexp(1, -60))
	if !ts.Is32[F]() {
		a, b, c = F(1+math.Ldexp(1, -26)), F(1+math.Ldexp(1, -27)), F(math.Ldexp(1, -110))
	}
	// The case must tell one rounding from two, or the test proves nothing.
	fused := make([]F, 1)
	fused[0] = c
	kernels.Axpy(a, []F{b}, fused)
	if twice := F(a*b) + c; ts.SameBits(fused[0], twice) {
		t.Fatalf("the rounding case does not discriminate: fma = twice = %v", twice)
	}
	for n := 1; n <= 140; n++ {
		x, y := make([]F, n), make([]F, n)
		fill := func() {
			for i := range n {
				x[i], y[i] = b, c
			}
		}
		fill()
		w := append([]F(nil), y...)
		kernels.Axpy(a, x, w)
		k.Axpy(a, x, y)
		fail(t, fmt.Sprintf("Axpy n=%d", n), ts.Diff(y, w))
		fill()
		w = append(w[:0], y...)
		kernels.Axpby(a, x, a, w)
		k.Axpby(a, x, a, y)
		fail(t, fmt.Sprintf("Axpby n=%d", n), ts.Diff(y, w))
		fill()
		w = append(w[:0], x...)
		kernels.Scale(a, w)
		k.Scale(a, x)
		fail(t, fmt.Sprintf("Scale n=%d", n), ts.Diff(x, w))
	}
}

func TestSweepSumRows(t *testing.T) { bothTypes(t, sweepSumRows[float32], sweepSumRows[float64]) }

func sweepSumRows[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(9, 10))
	check := func(n, m, od, os int) {
		dst, src := ts.NewBuffer[F](r, n, od, sweepSpecial), ts.NewBuffer[F](r, n*m, os, sweepSpecial)
		scale := ts.Value[F](r, sweepSpecial)
		if r.IntN(4) == 0 {
			scale = 1
		}
		wdst := dst.Clone()
		kernels.SumRows(wdst.S(), scale, src.S())
		gsrc := src.Clone()
		k.SumRows(dst.S(), scale, gsrc.S())
		what := fmt.Sprintf("SumRows n=%d m=%d offsets %d,%d scale=%v", n, m, od, os, scale)
		fail(t, what+" dst", dst.Check(wdst))
		fail(t, what+" src", gsrc.Unchanged(src))
	}
	al := alignments[F]()
	for n := 1; n <= 200; n++ {
		for _, m := range []int{0, 1, 2, 3, 7} {
			check(n, m, n%al, (n+m)%al)
		}
	}
	for _, n := range []int{1, 7, 64, 100, 255, 256, 257, 1000, 1031} {
		for _, m := range []int{32, 33} {
			for _, o := range offsets[F](n) {
				check(n, m, o, al-1-o)
			}
		}
	}
}

// momentumFlags enumerates the 32 combinations of the flags, with Mu and
// WeightDecay zero or not; Dampening is not zero, so that c*d rounds.
func momentumFlags[F downhill.Float]() []downhill.Momentum[F] {
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

func momentumLengths() []int { return ts.Lengths(80, 127, 128, 129, 255, 256, 257, 511, 1000, 1031) }

// velocityLen is the length of v: n, or a short non-nil slice when Mu is
// zero (v is then neither read nor written, whatever its length).
func velocityLen[F downhill.Float](h downhill.Momentum[F], n int) int {
	if h.Mu == 0 {
		return min(n, 3)
	}
	return n
}

// TestSweepMomentumStep: every flag combination, every length of the
// tails and first blocks, every alignment, special values in p, g and v.
func TestSweepMomentumStep(t *testing.T) {
	bothTypes(t, sweepMomentumStep[float32], sweepMomentumStep[float64])
}

func sweepMomentumStep[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(30, 1))
	for _, h := range momentumFlags[F]() {
		for _, n := range momentumLengths() {
			off := r.IntN(alignments[F]())
			what := fmt.Sprintf("MomentumStep n=%d off=%d %+v", n, off, h)
			p := ts.NewBuffer[F](r, n, off, 0.25)
			g := ts.NewBuffer[F](r, n, off+1, 0.25)
			v := ts.NewBuffer[F](r, velocityLen(h, n), off+2, 0.25)
			wp, wv := p.Clone(), v.Clone()
			kernels.MomentumStep(wp.S(), g.S(), wv.S(), h)
			gg := g.Clone()
			k.MomentumStep(p.S(), gg.S(), v.S(), h)
			fail(t, what+" p", p.Check(wp))
			fail(t, what+" v", v.Check(wv))
			fail(t, what+" g", gg.Unchanged(g))
		}
	}
}

// TestSweepBatchMomentumStep: as TestSweepMomentumStep, with 0 to 33
// rows and special scales.
func TestSweepBatchMomentumStep(t *testing.T) {
	bothTypes(t, sweepBatchMomentumStep[float32], sweepBatchMomentumStep[float64])
}

func sweepBatchMomentumStep[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(31, 1))
	for fi, h := range momentumFlags[F]() {
		// The rows' sum does not depend on the flags: -short tries 3, 9
		// and 33 rows on a third of the flag combinations each.
		ms := []int{0, 1, 2, 3, 9, 33}
		if testing.Short() {
			ms = []int{0, 1, 2, []int{3, 9, 33}[fi%3]}
		}
		for _, n := range momentumLengths() {
			if n > 300 && r.IntN(3) != 0 || testing.Short() && n > 257 {
				continue
			}
			for _, m := range ms {
				off := r.IntN(alignments[F]())
				scale := F(0.5)
				if r.IntN(4) == 0 {
					scale = ts.Special[F](r)
				}
				what := fmt.Sprintf("BatchMomentumStep n=%d m=%d off=%d scale=%v %+v", n, m, off, scale, h)
				p := ts.NewBuffer[F](r, n, off, 0.25)
				rows := ts.NewBuffer[F](r, n*m, off+1, 0.25)
				v := ts.NewBuffer[F](r, velocityLen(h, n), off+2, 0.25)
				wp, wv := p.Clone(), v.Clone()
				kernels.BatchMomentumStep(wp.S(), wv.S(), rows.S(), scale, h)
				grows := rows.Clone()
				k.BatchMomentumStep(p.S(), v.S(), grows.S(), scale, h)
				fail(t, what+" p", p.Check(wp))
				fail(t, what+" v", v.Check(wv))
				fail(t, what+" rows", grows.Unchanged(rows))
			}
		}
	}
}
