package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	gblas "gonum.org/v1/gonum/blas"
)

// Gemm benchmarks: C = alpha*op(A)*op(B) + beta*C on the shapes of
// mini-batch training (softmax regression on MNIST, batches of 64: the
// logits X·Wᵀ are 64×10×784 with transB, the gradient Eᵀ·X is 10×784×64
// with transA), a hidden layer (64×256×784) and a square 256³; every
// downhill path, gonum's Sgemm/Dgemm and, with -tags openblas, OpenBLAS's
// cblas_sgemm/cblas_dgemm (openblas_test.go). Run single-threaded:
//
//	GOMAXPROCS=1 OPENBLAS_NUM_THREADS=1 go test -tags openblas -run '^$' -bench Gemm -count 6 ./bench > gemm.txt
//	benchstat -col /impl gemm.txt
//
// Names: BenchmarkGemm/<f32|f64>/<m>x<n>x<k><-transA|-transB>/impl=<name>;
// the GFLOPS metric counts 2*m*n*k (wall clock); cpu-ns/op is the CPU
// time of the process per call (Linux; with GOMAXPROCS=1 and one
// OpenBLAS thread that is the call itself), which on a shared machine
// leaves out the time spent waiting for a core:
//
//	benchstat -col /impl -filter '.unit:cpu-ns/op' gemm.txt

// gemmShape is one benchmarked call.
type gemmShape struct {
	m, n, k        int
	transA, transB bool
}

var gemmShapes = []gemmShape{
	{64, 10, 784, false, true},
	{10, 784, 64, true, false},
	{64, 256, 784, false, false},
	{256, 256, 256, false, false},
}

func (s gemmShape) String() string {
	t := ""
	if s.transA {
		t += "-transA"
	}
	if s.transB {
		t += "-transB"
	}
	return fmt.Sprintf("%dx%dx%d%s", s.m, s.n, s.k, t)
}

// gemmImpl is one implementation: a Gemm with downhill's signature.
type gemmImpl[F downhill.Float] struct {
	name string
	gemm func(transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int)
}

// openblasGemm32 and openblasGemm64 are set by openblas_test.go when it
// is built (-tags openblas).
var (
	openblasGemm32 func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	openblasGemm64 func(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
)

func gemmImpls[F downhill.Float](b *testing.B) []gemmImpl[F] {
	var out []gemmImpl[F]
	for _, p := range dispatch.Available() {
		k, err := downhill.On[F](p)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, gemmImpl[F]{p.String(), k.Gemm})
	}
	var z F
	if unsafe.Sizeof(z) == 4 {
		out = append(out, gemmImpl[F]{"gonum", func(tA, tB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
			blas.Sgemm(gonumTrans(tA), gonumTrans(tB), m, n, k, float32(alpha), s32(a), lda, s32(b), ldb, float32(beta), s32(c), ldc)
		}})
		if openblasGemm32 != nil {
			out = append(out, gemmImpl[F]{"openblas", func(tA, tB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
				openblasGemm32(tA, tB, m, n, k, float32(alpha), s32(a), lda, s32(b), ldb, float32(beta), s32(c), ldc)
			}})
		}
	} else {
		out = append(out, gemmImpl[F]{"gonum", func(tA, tB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
			blas.Dgemm(gonumTrans(tA), gonumTrans(tB), m, n, k, float64(alpha), s64(a), lda, s64(b), ldb, float64(beta), s64(c), ldc)
		}})
		if openblasGemm64 != nil {
			out = append(out, gemmImpl[F]{"openblas", func(tA, tB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
				openblasGemm64(tA, tB, m, n, k, float64(alpha), s64(a), lda, s64(b), ldb, float64(beta), s64(c), ldc)
			}})
		}
	}
	return out
}

func gonumTrans(t bool) gblas.Transpose {
	if t {
		return gblas.Trans
	}
	return gblas.NoTrans
}

func BenchmarkGemm(b *testing.B) {
	b.Run("f32", benchGemm[float32])
	b.Run("f64", benchGemm[float64])
}

func benchGemm[F downhill.Float](b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range gemmShapes {
		lda, ldb := s.k, s.n
		if s.transA {
			lda = s.m
		}
		if s.transB {
			ldb = s.k
		}
		a, bb, c := make([]F, s.m*s.k), make([]F, s.k*s.n), make([]F, s.m*s.n)
		for _, x := range [][]F{a, bb, c} {
			for i := range x {
				x[i] = F(r.NormFloat64())
			}
		}
		for _, impl := range gemmImpls[F](b) {
			b.Run(fmt.Sprintf("%v/impl=%s", s, impl.name), func(b *testing.B) {
				cpu0, ok := processCPU()
				for b.Loop() {
					impl.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
				if cpu1, ok1 := processCPU(); ok && ok1 {
					b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
				}
			})
		}
	}
}
