package gonumblas_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill/gonumblas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// A gonum-using program with and without gonumblas: the same code, with
// blas64.Use / blas32.Use switched between gonum's implementation and
// gonumblas. Compare with
//
//	go test -run '^$' -bench . -count 6 ./gonumblas > new.txt
//	benchstat -col /impl new.txt

var impls = []struct {
	name string
	f64  blas.Float64
	f32  blas.Float32
}{
	{"gonum", gonum.Implementation{}, gonum.Implementation{}},
	{"downhill", gonumblas.Implementation{}, gonumblas.Implementation{}},
}

func use(i int) {
	blas64.Use(impls[i].f64)
	blas32.Use(impls[i].f32)
}

func randDense(r *rand.Rand, rows, cols int) *mat.Dense {
	d := make([]float64, rows*cols)
	for i := range d {
		d[i] = r.NormFloat64()
	}
	return mat.NewDense(rows, cols, d)
}

// BenchmarkMul: mat.Dense.Mul (Dgemm) of square matrices.
func BenchmarkMul(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{16, 64, 256, 512} {
		x, y := randDense(r, n, n), randDense(r, n, n)
		var z mat.Dense
		for i, im := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, im.name), func(b *testing.B) {
				use(i)
				defer use(0)
				for b.Loop() {
					z.Mul(x, y)
				}
			})
		}
	}
}

// BenchmarkMulT: mat.Dense.Mul with the first operand transposed, a
// non-square shape (64 samples × 784 features times its transpose's
// partner, as in a linear model's gradient).
func BenchmarkMulT(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 1))
	x, y := randDense(r, 64, 784), randDense(r, 64, 10)
	var z mat.Dense
	for i, im := range impls {
		b.Run("784x10x64/impl="+im.name, func(b *testing.B) {
			use(i)
			defer use(0)
			for b.Loop() {
				z.Mul(x.T(), y)
			}
		})
	}
}

// BenchmarkSgemm: blas32.Gemm (float32) of square matrices.
func BenchmarkSgemm(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 1))
	n := 256
	gen := func() blas32.General {
		d := make([]float32, n*n)
		for i := range d {
			d[i] = float32(r.NormFloat64())
		}
		return blas32.General{Rows: n, Cols: n, Stride: n, Data: d}
	}
	x, y, z := gen(), gen(), gen()
	for i, im := range impls {
		b.Run(fmt.Sprintf("n=%d/impl=%s", n, im.name), func(b *testing.B) {
			use(i)
			defer use(0)
			for b.Loop() {
				blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, x, y, 0, z)
			}
		})
	}
}

// BenchmarkLevel1: a Level 1 heavy loop (one step of Gram-Schmidt with
// bookkeeping): y -= (x·y) x, y /= ‖y‖₂, plus ‖y‖₁ and the index of the
// largest |y_i|, on float64 vectors through blas64.
func BenchmarkLevel1(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 1))
	for _, n := range []int{1000, 100000} {
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i], ys[i] = r.NormFloat64(), r.NormFloat64()
		}
		x := blas64.Vector{N: n, Inc: 1, Data: xs}
		blas64.Scal(1/blas64.Nrm2(x), x)
		y := blas64.Vector{N: n, Inc: 1, Data: ys}
		for i, im := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, im.name), func(b *testing.B) {
				use(i)
				defer use(0)
				s := 0.0
				for b.Loop() {
					d := blas64.Dot(x, y)
					blas64.Axpy(-d, x, y)
					blas64.Scal(1/blas64.Nrm2(y), y)
					s += blas64.Asum(y) + float64(blas64.Iamax(y))
				}
				sink = s
			})
		}
	}
}

var sink float64

// BenchmarkRoutines: each Level 1 routine alone, n = 1000 (in L1 cache).
func BenchmarkRoutines(b *testing.B) {
	n := 1000
	r := rand.New(rand.NewPCG(5, 1))
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], y[i] = r.NormFloat64(), r.NormFloat64()
	}
	s := 0.0
	for _, im := range impls {
		f := im.f64
		for _, c := range []struct {
			name string
			run  func()
		}{
			{"Ddot", func() { s += f.Ddot(n, x, 1, y, 1) }},
			{"Daxpy", func() { f.Daxpy(n, 1e-9, x, 1, y, 1) }},
			{"Dscal", func() { f.Dscal(n, 1, y, 1) }},
			{"Dnrm2", func() { s += f.Dnrm2(n, x, 1) }},
			{"Dasum", func() { s += f.Dasum(n, x, 1) }},
			{"Idamax", func() { s += float64(f.Idamax(n, x, 1)) }},
		} {
			b.Run(c.name+"/impl="+im.name, func(b *testing.B) {
				for b.Loop() {
					c.run()
				}
			})
		}
	}
	sink = s
}
