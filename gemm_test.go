package downhill_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// This file checks Gemm on every path this CPU can run against
// kernels.Gemm, bit for bit: random shapes (0, 1, odd, larger than any
// register tile or packed block), every transposition, leading
// dimensions above the minimum with guard values in the gaps, guard
// elements around every slice, special values, beta == 0 with NaN in C,
// and no allocation.

// gemmMat is a matrix of rows×cols at stride ld inside a buffer: the
// slice is exactly as long as the matrix needs, the gaps between rows and
// the elements around the slice hold guard values.
type gemmMat[F downhill.Float] struct {
	*buffer[F]
	rows, cols, ld int
}

func newGemmMat[F downhill.Float](r *rand.Rand, rows, cols, ld int, value func() F) gemmMat[F] {
	n := 0
	if rows > 0 && cols > 0 {
		n = (rows-1)*ld + cols
	}
	b := newBuffer[F](r, n, 0)
	g := ts.Guard[F]()
	for i := range b.data {
		if i%ld < cols {
			b.data[i] = value()
		} else {
			b.data[i] = g
		}
	}
	return gemmMat[F]{b, rows, cols, ld}
}

func (x gemmMat[F]) clone() gemmMat[F] { return gemmMat[F]{x.buffer.clone(), x.rows, x.cols, x.ld} }

// checkExact requires every element of the allocation, guards, gaps and
// data, to have the bits of want's (a read-only input, or C's gaps).
func (x gemmMat[F]) checkExact(t *testing.T, what string, want gemmMat[F]) {
	t.Helper()
	for i := range x.all {
		if ts.Bits(x.all[i]) != ts.Bits(want.all[i]) {
			t.Fatalf("%s: element %d of the allocation (slice at [%d:%d], ld=%d) changed from %#x to %#x",
				what, i, x.off, x.off+len(x.data), x.ld, ts.Bits(want.all[i]), ts.Bits(x.all[i]))
		}
	}
}

// checkC compares C computed by a path with C computed by kernels/:
// the m×n window bit for bit (any NaN matches any NaN), everything else
// (gaps, guards) unchanged to the bit.
func (x gemmMat[F]) checkC(t *testing.T, what string, want gemmMat[F]) {
	t.Helper()
	for i := range x.all {
		j := i - x.off
		inWindow := j >= 0 && j < len(x.data) && j%x.ld < x.cols
		if inWindow {
			if !ts.SameBits(x.all[i], want.all[i]) {
				t.Fatalf("%s: C(%d,%d) = %v (%#x), kernels/ gives %v (%#x)", what, j/x.ld, j%x.ld,
					x.all[i], ts.Bits(x.all[i]), want.all[i], ts.Bits(want.all[i]))
			}
		} else if ts.Bits(x.all[i]) != ts.Bits(want.all[i]) {
			t.Fatalf("%s: element %d outside the window (slice at [%d:%d], ldc=%d) changed from %#x to %#x",
				what, i, x.off, x.off+len(x.data), x.ld, ts.Bits(want.all[i]), ts.Bits(x.all[i]))
		}
	}
}

// gemmValue returns a random value: ordinary, special (randValue), or
// with probability short a value of 3 significant bits over a wide
// exponent range, whose sums are often exact or float32 midpoints (the
// cases where a float32 fma emulated in float64 needs care).
func gemmValue[F downhill.Float](r *rand.Rand, special, short float64) F {
	if r.Float64() < short {
		v := math.Ldexp(float64(8+r.IntN(8)), r.IntN(48)-27)
		if r.IntN(2) == 0 {
			v = -v
		}
		return F(v)
	}
	return ts.Value[F](r, special)
}

// gemmDim favours 0, 1, odd sizes and sizes around the register tiles
// (4, 6, 8, 16) and some larger ones.
func gemmDim(r *rand.Rand, big int) int {
	switch r.IntN(5) {
	case 0:
		return r.IntN(4)
	case 1:
		return r.IntN(20)
	case 2:
		return 6*(1+r.IntN(6)) + r.IntN(3) - 1
	case 3:
		return 16*r.IntN(4) + r.IntN(17)
	default:
		return r.IntN(big)
	}
}

// gemmCase is one call of Gemm.
type gemmCase[F downhill.Float] struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    F
	a, b, c        gemmMat[F]
}

func (g *gemmCase[F]) String() string {
	return fmt.Sprintf("%T Gemm transA=%v transB=%v m=%d n=%d k=%d alpha=%v beta=%v lda=%d ldb=%d ldc=%d",
		g.alpha, g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.beta, g.a.ld, g.b.ld, g.c.ld)
}

func newGemmCase[F downhill.Float](r *rand.Rand, m, n, k int) *gemmCase[F] {
	g := &gemmCase[F]{transA: r.IntN(2) == 0, transB: r.IntN(2) == 0, m: m, n: n, k: k}
	sp, short := 0.0, 0.0
	switch r.IntN(4) {
	case 0:
		sp = r.Float64() * 0.2
	case 1:
		short = 0.5 + r.Float64()*0.5
	}
	value := func() F { return gemmValue[F](r, sp, short) }
	extra := func() int {
		if r.IntN(3) == 0 {
			return 0
		}
		return 1 + r.IntN(5)
	}
	ra, ca := m, k
	if g.transA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if g.transB {
		rb, cb = n, k
	}
	g.a = newGemmMat(r, ra, ca, max(1, ca)+extra(), value)
	g.b = newGemmMat(r, rb, cb, max(1, cb)+extra(), value)
	g.c = newGemmMat(r, m, n, max(1, n)+extra(), value)
	switch r.IntN(6) {
	case 0:
		g.alpha = 1
	case 1:
		g.alpha = -1
	case 2:
		g.alpha = 0
	default:
		g.alpha = gemmValue[F](r, sp, short)
	}
	switch r.IntN(6) {
	case 0, 1: // beta == 0: C must not be read, NaN there must not leak
		g.beta = 0
		if r.IntN(2) == 0 {
			g.beta = F(math.Copysign(0, -1))
		}
		if r.IntN(2) == 0 {
			nan := F(math.NaN())
			for i := range g.c.data {
				if i%g.c.ld < n {
					g.c.data[i] = nan
				}
			}
		}
	case 2:
		g.beta = 1
	default:
		g.beta = gemmValue[F](r, sp, short)
	}
	return g
}

// run runs the case on kernels/ once and on every path in ks, and
// compares.
func (g *gemmCase[F]) run(t *testing.T, ks []downhill.Kernels[F], what string) {
	t.Helper()
	want := g.c.clone()
	kernels.Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a.data, g.a.ld, g.b.data, g.b.ld, g.beta, want.data, want.ld)
	for _, kk := range ks {
		a, b, c := g.a.clone(), g.b.clone(), g.c.clone()
		kk.Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, a.data, a.ld, b.data, b.ld, g.beta, c.data, c.ld)
		w := fmt.Sprintf("%s on %s: %v", what, kk.Path(), g)
		a.checkExact(t, w+": A", g.a)
		b.checkExact(t, w+": B", g.b)
		c.checkC(t, w, want)
	}
}

// TestPathsGemm compares every available path with kernels/ (computed
// once per case: it is the slow part, especially under qemu).
func TestPathsGemm(t *testing.T) {
	testGemm[float32](t)
	testGemm[float64](t)
}

func testGemm[F downhill.Float](t *testing.T) {
	var ks []downhill.Kernels[F]
	for _, p := range dispatch.Available() {
		kk, err := downhill.On[F](p)
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, kk)
	}
	r := rand.New(rand.NewPCG(16, 0))
	n := 300
	if testing.Short() {
		n = 100
	}
	for trial := range n {
		m, nn, k := gemmDim(r, 40), gemmDim(r, 40), gemmDim(r, 300)
		newGemmCase[F](r, m, nn, k).run(t, ks, fmt.Sprintf("trial %d", trial))
	}
	// Shapes of the training loop, and shapes larger than a packed
	// block of B (256 KiB in the generic path), so that B is packed in
	// several blocks.
	shapes := [][3]int{{3, 150, 600}, {2, 90, 1500}, {64, 10, 784}, {10, 784, 64}, {13, 130, 1100}, {33, 37, 41}}
	if testing.Short() {
		shapes = shapes[:2]
	}
	for _, s := range shapes {
		for ta := range 2 {
			for tb := range 2 {
				g := newGemmCase[F](r, s[0], s[1], s[2])
				g.transA, g.transB = ta == 1, tb == 1
				regenerate(r, g).run(t, ks, "shape")
			}
		}
	}
}

// regenerate rebuilds the matrices of g for its (possibly changed)
// transpositions, keeping its scalars.
func regenerate[F downhill.Float](r *rand.Rand, g *gemmCase[F]) *gemmCase[F] {
	for {
		h := newGemmCase[F](r, g.m, g.n, g.k)
		if h.transA == g.transA && h.transB == g.transB {
			h.alpha, h.beta = g.alpha, g.beta
			return h
		}
	}
}

// TestGemmMidpoint runs chains whose float64 sum lands on a float32
// midpoint (the double-rounding trap: a = b = 1+2^-12 after an
// accumulator of 2^-60 must give 0x3f801001, not 0x3f801000) and whose
// sums fall below the float32 normal range, in every element of tiles of
// several sizes, on every path.
func TestGemmMidpoint(t *testing.T) {
	forEachPath(t, func(t *testing.T, kk downhill.Kernels[float32]) {
		for _, sz := range [][3]int{{1, 1, 2}, {6, 16, 2}, {7, 17, 5}, {64, 10, 9}} {
			m, n, k := sz[0], sz[1], sz[2]
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			for i := 0; i < m; i++ {
				a[i*k] = 0x1p-30
				a[i*k+1] = 1 + 0x1p-12
				for p := 2; p < k; p++ {
					a[i*k+p] = 0x1p-70 * float32(p) // products below the normal range
				}
			}
			for j := 0; j < n; j++ {
				b[j] = 0x1p-30
				b[n+j] = 1 + 0x1p-12
				for p := 2; p < k; p++ {
					b[p*n+j] = -0x1p-66
				}
			}
			c := make([]float32, m*n)
			want := make([]float32, m*n)
			kk.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
			kernels.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
			if k == 2 && math.Float32bits(want[0]) != 0x3f801001 {
				t.Fatalf("kernels.Gemm gives %#x, want 0x3f801001", math.Float32bits(want[0]))
			}
			for i := range c {
				if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s %v: C[%d] = %#x, kernels/ gives %#x", kk.Path(), sz, i, math.Float32bits(c[i]), math.Float32bits(want[i]))
				}
			}
			// A float32 midpoint below the normal range, which the float64
			// sum does not show in its low 29 bits: acc = c0 = (2^22+1)*2^-149,
			// then exactly c0 + 2^-150 - 2^-190, which must round down to c0
			// (0x00400001); rounding through float64 (c0 + 2^-150, a tie)
			// gives c0 + 2^-149.
			for i := 0; i < m; i++ {
				a[i*k] = float32(math.Ldexp(1<<22+1, -89))
				a[i*k+1] = float32(math.Ldexp(69905, -95))
			}
			for j := 0; j < n; j++ {
				b[j] = 0x1p-60
				b[n+j] = float32(math.Ldexp(15728655, -95))
			}
			kk.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
			kernels.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
			if k == 2 && math.Float32bits(want[0]) != 0x00400001 {
				t.Fatalf("kernels.Gemm gives %#x, want 0x00400001", math.Float32bits(want[0]))
			}
			for i := range c {
				if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s %v subnormal midpoint: C[%d] = %#x, kernels/ gives %#x", kk.Path(), sz, i, math.Float32bits(c[i]), math.Float32bits(want[i]))
				}
			}
			// The subnormal range: a chain of tiny products alone.
			for i := range a {
				a[i] = 0x1p-70 * float32(1+i%7)
			}
			for i := range b {
				b[i] = 0x1p-60 * float32(1+i%5)
			}
			kk.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
			kernels.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
			for i := range c {
				if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s %v subnormal: C[%d] = %#x, kernels/ gives %#x", kk.Path(), sz, i, math.Float32bits(c[i]), math.Float32bits(want[i]))
				}
			}
		}
	})
}

func TestGemmZeroAllocs(t *testing.T) {
	testGemmZeroAllocs[float32](t)
	testGemmZeroAllocs[float64](t)
}

func testGemmZeroAllocs[F downhill.Float](t *testing.T) {
	shapes := [][3]int{{5, 7, 3}, {13, 21, 40}, {64, 10, 784}, {10, 784, 64}}
	if testing.Short() {
		shapes = shapes[:2]
	}
	for _, a := range apiPaths[F](t) {
		for _, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			x, y, c := filled[F](m*k, 1), filled[F](k*n, 2), filled[F](m*n, 3)
			for _, tr := range []bool{false, true} {
				lda, ldb := k, n
				if tr {
					lda, ldb = m, k
				}
				f := func() { a.gemm(tr, tr, m, n, k, 0.5, x, lda, y, ldb, 0.25, c, n) }
				f() // the first call may fill a pool of scratch buffers
				if got := testing.AllocsPerRun(5, f); got != 0 {
					t.Errorf("%T %s Gemm %v trans=%v: %v allocations per call, want 0", F(0), a.name, s, tr, got)
				}
			}
		}
	}
}

// buffer is a slice of n elements at a random offset inside a larger
// allocation whose other elements are guards (testsupport's Buffer, with
// the names the Gemm tests use).
type buffer[F downhill.Float] struct {
	all  []F
	off  int
	data []F
}

func newBuffer[F downhill.Float](r *rand.Rand, n int, special float64) *buffer[F] {
	b := ts.NewBuffer[F](r, n, r.IntN(8), special)
	return &buffer[F]{all: b.All, off: b.Lo, data: b.S()}
}

func (b *buffer[F]) clone() *buffer[F] {
	c := &buffer[F]{all: append([]F(nil), b.all...), off: b.off}
	c.data = c.all[b.off : b.off+len(b.data) : b.off+len(b.data)]
	return c
}
