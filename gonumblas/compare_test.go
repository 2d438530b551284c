package gonumblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
)

// testblas only tests float64. Here every routine gonumblas runs on
// downhill, float32 and float64 alike, is compared with gonum's own
// implementation: on testblas's Level 1 cases (converted to float32 for
// the S routines), on random vectors and matrices with every increment,
// transpose and leading dimension, and on the edge cases BLAS defines
// (alpha == 0, beta == 0 with NaN in C, k == 0, invalid arguments, which
// must panic with gonum's message). Results must agree within a
// tolerance scaled by the magnitudes of the terms (the summation orders
// differ), and exactly where BLAS defines them exactly (Scal, Iamax, the
// quick returns). Wherever gonumblas runs downhill, the result must also
// be bit-identical to downhill's own kernel, so that a silent fallback to
// gonum (or a wrong split of Gemm) fails too.

var ref gonum.Implementation

// vec is one BLAS Level 1 float type's routines.
type vec[F downhill.Float] struct {
	dot   func(n int, x []F, incX int, y []F, incY int) F
	axpy  func(n int, alpha F, x []F, incX int, y []F, incY int)
	scal  func(n int, alpha F, x []F, incX int)
	nrm2  func(n int, x []F, incX int) F
	asum  func(n int, x []F, incX int) F
	iamax func(n int, x []F, incX int) int
	gemm  func(tA, tB blas.Transpose, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int)
}

func vec32(i blas.Float32) vec[float32] {
	return vec[float32]{i.Sdot, i.Saxpy, i.Sscal, i.Snrm2, i.Sasum, i.Isamax, i.Sgemm}
}

func vec64(i blas.Float64) vec[float64] {
	return vec[float64]{i.Ddot, i.Daxpy, i.Dscal, i.Dnrm2, i.Dasum, i.Idamax, i.Dgemm}
}

func eps[F downhill.Float]() float64 {
	var z F
	if unsafe.Sizeof(z) == 4 {
		return 0x1p-23
	}
	return 0x1p-52
}

// close reports whether got and want agree within tol relative to scale
// (the sum of the magnitudes of the terms), NaN matching NaN and
// infinities matching exactly.
func close[F downhill.Float](got, want F, scale float64, n int) bool {
	g, w := float64(got), float64(want)
	if g == w {
		return true
	}
	if g != g || w != w {
		return g != g && w != w
	}
	if math.IsInf(g, 0) || math.IsInf(w, 0) {
		return g == w
	}
	return math.Abs(g-w) <= 4*float64(n+2)*eps[F]()*scale
}

func same[F downhill.Float](a, b F) bool {
	if a != a && b != b {
		return true
	}
	if unsafe.Sizeof(a) == 4 {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

// panicMsg runs f and returns what it panicked with, or nil.
func panicMsg(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func conv[F downhill.Float](x []float64) []F {
	y := make([]F, len(x))
	for i, v := range x {
		y[i] = F(v)
	}
	return y
}

func TestLevel1(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testLevel1(t, vec32(impl), vec32(ref)) })
	t.Run("float64", func(t *testing.T) { testLevel1(t, vec64(impl), vec64(ref)) })
}

// level1Case is one call's vectors: n elements of x and y at incX, incY.
type level1Case[F downhill.Float] struct {
	name       string
	n          int
	x, y       []F
	incX, incY int
	alphas     []F
}

func testLevel1[F downhill.Float](t *testing.T, got, want vec[F]) {
	var cases []level1Case[F]
	for _, c := range testblas.DoubleOneVectorCases {
		cases = append(cases, level1Case[F]{"testblas " + c.Name, c.N, conv[F](c.X), conv[F](c.X), c.Incx, c.Incx, []F{0, 1, -2.5}})
	}
	for _, c := range testblas.DoubleTwoVectorCases {
		cases = append(cases, level1Case[F]{"testblas " + c.Name, c.N, conv[F](c.X), conv[F](c.Y), c.Incx, c.Incy, []F{0, 1, -2.5}})
	}
	r := rand.New(rand.NewPCG(1, 13))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 1e-310, 3e38, 1e300}
	for i := 0; i < 300; i++ {
		n := r.IntN(300)
		incX, incY := 1, 1
		if i%5 == 4 {
			incs := []int{-2, -1, 0, 1, 2, 3}
			incX, incY = incs[r.IntN(len(incs))], incs[r.IntN(len(incs))]
		}
		lx, ly := 1+(n-1)*max(incX, -incX), 1+(n-1)*max(incY, -incY)
		if i%7 == 6 {
			lx -= r.IntN(2) // sometimes one element short
			ly -= r.IntN(2)
		}
		x, y := make([]float64, max(lx, 0)), make([]float64, max(ly, 0))
		for j := range x {
			x[j] = r.NormFloat64() * math.Ldexp(1, r.IntN(20)-10)
			if i%3 == 2 && r.IntN(40) == 0 {
				x[j] = special[r.IntN(len(special))]
			}
		}
		for j := range y {
			y[j] = r.NormFloat64()
		}
		if i%11 == 10 {
			n = -1 - r.IntN(2)
		}
		cases = append(cases, level1Case[F]{fmt.Sprintf("random %d", i), n, conv[F](x), conv[F](y), incX, incY, []F{0, 1, F(r.NormFloat64())}})
	}
	for _, c := range cases {
		what := fmt.Sprintf("%s (n=%d incX=%d incY=%d)", c.name, c.n, c.incX, c.incY)
		// Reductions of x.
		scale := 0.0
		if c.n > 0 && c.incX > 0 && len(c.x) > (c.n-1)*c.incX {
			for j := 0; j < c.n; j++ {
				scale += math.Abs(float64(c.x[j*c.incX]))
			}
		}
		oneVec(t, what+" nrm2", func(v vec[F]) (F, int) { return v.nrm2(c.n, c.x, c.incX), 0 }, got, want, scale, c.n)
		oneVec(t, what+" asum", func(v vec[F]) (F, int) { return v.asum(c.n, c.x, c.incX), 0 }, got, want, scale, c.n)
		oneVec(t, what+" iamax", func(v vec[F]) (F, int) { return 0, v.iamax(c.n, c.x, c.incX) }, got, want, 0, c.n)
		// dot: scale is the sum of |x_i y_i|, bounded by max|y| * sum|x|.
		ymax := 0.0
		for _, v := range c.y {
			ymax = math.Max(ymax, math.Abs(float64(v)))
		}
		oneVec(t, what+" dot", func(v vec[F]) (F, int) { return v.dot(c.n, c.x, c.incX, c.y, c.incY), 0 }, got, want, scale*ymax, c.n)
		for _, alpha := range c.alphas {
			wx, wy := append([]F(nil), c.x...), append([]F(nil), c.y...)
			gx, gy := append([]F(nil), c.x...), append([]F(nil), c.y...)
			pw := panicMsg(func() { want.axpy(c.n, alpha, wx, c.incX, wy, c.incY) })
			pg := panicMsg(func() { got.axpy(c.n, alpha, gx, c.incX, gy, c.incY) })
			if pw != pg {
				t.Fatalf("%s axpy alpha=%v: panic %v, gonum %v", what, alpha, pg, pw)
			}
			for j := range gy {
				if !close(gy[j], wy[j], math.Abs(float64(alpha))*math.Abs(float64(c.x[min(j, len(c.x)-1)]))+math.Abs(float64(c.y[j])), 0) && !(c.x[min(j, len(c.x)-1)] != c.x[min(j, len(c.x)-1)]) {
					t.Fatalf("%s axpy alpha=%v: y[%d] = %v, gonum %v", what, alpha, j, gy[j], wy[j])
				}
			}
			pw = panicMsg(func() { want.scal(c.n, alpha, wx, c.incX) })
			pg = panicMsg(func() { got.scal(c.n, alpha, gx, c.incX) })
			if pw != pg {
				t.Fatalf("%s scal alpha=%v: panic %v, gonum %v", what, alpha, pg, pw)
			}
			for j := range gx {
				if !same(gx[j], wx[j]) {
					t.Fatalf("%s scal alpha=%v: x[%d] = %v, gonum %v", what, alpha, j, gx[j], wx[j])
				}
			}
		}
		// The downhill path is taken: bit-identical to downhill's kernels.
		if c.n > 0 && c.incX == 1 && c.incY == 1 && len(c.x) >= c.n && len(c.y) >= c.n {
			x, y := c.x[:c.n], c.y[:c.n]
			if !same(got.dot(c.n, c.x, 1, c.y, 1), downhill.Dot(x, y)) || !same(got.nrm2(c.n, c.x, 1), downhill.Nrm2(x)) ||
				!same(got.asum(c.n, c.x, 1), downhill.Asum(x)) || got.iamax(c.n, c.x, 1) != downhill.Iamax(x) {
				t.Fatalf("%s: dot, nrm2, asum or iamax is not downhill's", what)
			}
			g, d := append([]F(nil), y...), append([]F(nil), y...)
			got.axpy(c.n, 1.5, c.x, 1, g, 1)
			downhill.Axpy(1.5, x, d)
			for j := range g {
				if !same(g[j], d[j]) {
					t.Fatalf("%s: axpy is not downhill's", what)
				}
			}
		}
	}
}

// oneVec compares one call on got and want: same panic, or results that
// agree (iamax exactly: both follow the reference loop).
func oneVec[F downhill.Float](t *testing.T, what string, call func(vec[F]) (F, int), got, want vec[F], scale float64, n int) {
	t.Helper()
	var gf, wf F
	var gi, wi int
	pg := panicMsg(func() { gf, gi = call(got) })
	pw := panicMsg(func() { wf, wi = call(want) })
	if pg != pw {
		t.Fatalf("%s: panic %v, gonum %v", what, pg, pw)
	}
	if gi != wi || !close(gf, wf, scale, n) {
		t.Fatalf("%s = %v/%d, gonum %v/%d", what, gf, gi, wf, wi)
	}
}

// TestDsdot: Dsdot and Sdsdot are gonum's (see the package comment); this
// keeps them checked should they ever run on downhill.
func TestDsdot(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 13))
	for _, n := range []int{-1, 0, 1, 7, 511, 512, 513, 1500, 3000} {
		for _, inc := range []int{1, 2, -1, 0} {
			l := max(1+(n-1)*max(inc, -inc), 0)
			x, y := make([]float32, l), make([]float32, l)
			scale := 0.0
			for i := range x {
				x[i], y[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
				scale += math.Abs(float64(x[i]) * float64(y[i]))
			}
			var g, w float64
			var gs, ws float32
			pg := panicMsg(func() { g = impl.Dsdot(n, x, inc, y, inc); gs = impl.Sdsdot(n, 0.25, x, inc, y, inc) })
			pw := panicMsg(func() { w = ref.Dsdot(n, x, inc, y, inc); ws = ref.Sdsdot(n, 0.25, x, inc, y, inc) })
			if pg != pw {
				t.Fatalf("n=%d inc=%d: panic %v, gonum %v", n, inc, pg, pw)
			}
			if math.Abs(g-w) > float64(n+2)*0x1p-52*scale {
				t.Fatalf("n=%d inc=%d: Dsdot = %v, gonum %v", n, inc, g, w)
			}
			if !close(gs, ws, scale+0.25, 1) {
				t.Fatalf("n=%d inc=%d: Sdsdot = %v, gonum %v", n, inc, gs, ws)
			}
		}
	}
}

func TestGemm(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testGemm(t, vec32(impl), vec32(ref)) })
	t.Run("float64", func(t *testing.T) { testGemm(t, vec64(impl), vec64(ref)) })
}

func testGemm[F downhill.Float](t *testing.T, got, want vec[F]) {
	r := rand.New(rand.NewPCG(3, 13))
	trans := []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}
	type shape struct {
		m, n, k int
		tA, tB  blas.Transpose // 0: random
	}
	shapes := []shape{{1, 1, 1, 0, 0}, {3, 5, 0, 0, 0}, {0, 4, 4, 0, 0}, {6, 16, 7, 0, 0}, {13, 9, 33, 0, 0}, {40, 37, 21, 0, 0}, {1, 50, 3, 0, 0}}
	for i := 0; i < 60; i++ {
		shapes = append(shapes, shape{1 + r.IntN(30), 1 + r.IntN(30), r.IntN(30), 0, 0})
	}
	// Large enough to be split over goroutines, every transpose.
	for _, tA := range trans[:2] {
		for _, tB := range trans[:2] {
			shapes = append(shapes, shape{150, 70, 120, tA, tB}, shape{97, 200, 64, tA, tB})
		}
	}
	for i, s := range shapes {
		tA, tB := trans[r.IntN(3)], trans[r.IntN(3)]
		if s.tA != 0 {
			tA, tB = s.tA, s.tB
		}
		rowsA, colsA := s.m, s.k
		if tA != blas.NoTrans {
			rowsA, colsA = s.k, s.m
		}
		rowsB, colsB := s.k, s.n
		if tB != blas.NoTrans {
			rowsB, colsB = s.n, s.k
		}
		lda, ldb, ldc := max(colsA, 1)+r.IntN(3), max(colsB, 1)+r.IntN(3), max(s.n, 1)+r.IntN(3)
		alpha := []F{1, -0.75, 0, 2}[i%4]
		beta := []F{0, 1, 0.5, 0}[i/4%4]
		a := matrix[F](r, rowsA, lda)
		b := matrix[F](r, rowsB, ldb)
		c := matrix[F](r, s.m, ldc)
		if i%3 == 0 && len(a) > 0 {
			a[r.IntN(len(a))] = F(math.NaN()) // must not leak when alpha == 0
		}
		if beta == 0 && len(c) > 0 {
			c[r.IntN(len(c))] = F(math.Inf(1)) // must not leak when beta == 0
		}
		what := fmt.Sprintf("case %d: %v %v m=%d n=%d k=%d lda=%d ldb=%d ldc=%d alpha=%v beta=%v", i, tA, tB, s.m, s.n, s.k, lda, ldb, ldc, alpha, beta)
		gc, wc := append([]F(nil), c...), append([]F(nil), c...)
		got.gemm(tA, tB, s.m, s.n, s.k, alpha, a, lda, b, ldb, beta, gc, ldc)
		want.gemm(tA, tB, s.m, s.n, s.k, alpha, a, lda, b, ldb, beta, wc, ldc)
		for p := range gc {
			ii, jj := p/ldc, p%ldc
			if jj >= s.n { // gaps between rows: untouched
				if !same(gc[p], c[p]) {
					t.Fatalf("%s: gap element %d written", what, p)
				}
				continue
			}
			scale := 0.0
			if beta != 0 { // C is not read
				scale = math.Abs(float64(beta) * float64(c[p]))
			}
			for q := 0; q < s.k; q++ {
				scale += math.Abs(float64(alpha) * float64(at(a, lda, tA, ii, q)) * float64(at(b, ldb, tB, q, jj)))
			}
			if !close(gc[p], wc[p], scale, s.k) {
				t.Fatalf("%s: C(%d,%d) = %v, gonum %v", what, ii, jj, gc[p], wc[p])
			}
		}
		if alpha != 0 && s.k > 0 && s.m > 0 && s.n > 0 {
			dc := append([]F(nil), c...)
			downhill.Gemm(tA != blas.NoTrans, tB != blas.NoTrans, s.m, s.n, s.k, alpha, a, lda, b, ldb, beta, dc, ldc)
			for p := range gc {
				if !same(gc[p], dc[p]) {
					t.Fatalf("%s: element %d is not downhill.Gemm's", what, p)
				}
			}
		}
	}
	// Invalid arguments panic as in gonum.
	a, b, c := make([]F, 12), make([]F, 12), make([]F, 12)
	for _, bad := range []struct {
		tA     blas.Transpose
		m, n   int
		k, lda int
		lc     int
	}{
		{blas.NoTrans, -1, 3, 3, 3, 12}, {blas.NoTrans, 3, 3, -1, 3, 12}, {blas.Transpose('x'), 3, 3, 3, 3, 12},
		{blas.NoTrans, 3, 3, 3, 2, 12}, {blas.Trans, 4, 3, 3, 3, 12}, {blas.NoTrans, 4, 3, 3, 3, 9}, {blas.NoTrans, 3, 3, 5, 5, 12},
	} {
		pg := panicMsg(func() { got.gemm(bad.tA, blas.NoTrans, bad.m, bad.n, bad.k, 1, a, bad.lda, b, 3, 0, c[:bad.lc], 3) })
		pw := panicMsg(func() { want.gemm(bad.tA, blas.NoTrans, bad.m, bad.n, bad.k, 1, a, bad.lda, b, 3, 0, c[:bad.lc], 3) })
		if pg == nil || pg != pw {
			t.Fatalf("%+v: panic %v, gonum %v", bad, pg, pw)
		}
	}
}

func matrix[F downhill.Float](r *rand.Rand, rows, ld int) []F {
	if rows == 0 {
		return nil
	}
	x := make([]F, rows*ld)
	for i := range x {
		x[i] = F(r.NormFloat64())
	}
	return x
}

func at[F downhill.Float](x []F, ld int, t blas.Transpose, i, j int) F {
	if t == blas.NoTrans {
		return x[i*ld+j]
	}
	return x[j*ld+i]
}
