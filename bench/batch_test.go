package bench

// The batched design against the C + OpenBLAS loop (softmax_openblas.go, build
// tag openblas) and against the per-example design, one epoch of MNIST
// softmax regression (float32, batches of 64, momentum 0.9):
//
//	impl=c-openblas   the C loop on cblas_sgemm (only with -tags openblas)
//	impl=gemm         the same loop hand-written in Go on downhill.Gemm
//	                  and downhill.MomentumStep, one goroutine
//	impl=sgd-w1       sgd.Train, Workers 1 (BatchGradient: Gemm)
//	impl=sgd-w2       sgd.Train, Workers 2
//	impl=rows-w1      sgd.Train on the per-example design (the problem's
//	                  Gradients rows and BatchMomentumStep), Workers 1
//
// examples/s counts the whole epoch; for sgd.Train that includes the full
// loss pass of the point before the first step, which train-examples/s
// (History.ExamplesPerSec) excludes.
//
//	OPENBLAS_NUM_THREADS=1 go test -tags openblas -run XXX -bench MNISTBatchEpoch -count 6 ./bench
//
// BenchmarkMLPEpoch trains an MNIST-shaped MLP (784-256-10, synthetic data)
// with 1 and 2 workers: the speedup of the second core.

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/sgd"
)

// cEpoch and cConfig are set by softmax_openblas_test.go under the openblas tag.
var (
	cEpoch  func(x []float32, y []int, features, classes int, perm []int, batch int, lr, mu float32, params, vel []float32)
	cConfig func() string
)

// syntheticDigits is the learnable set of TestMNISTLoopsAgree.
func syntheticDigits(n, f int) *mnistData {
	d := &mnistData{x: make([]float32, n*f), y: make([]int, n), features: f}
	seed := uint32(3)
	for i := range n {
		d.y[i] = i % mnistClasses
		for j := range f {
			seed = seed*1664525 + 1013904223
			d.x[i*f+j] = float32(seed>>8) / (1 << 24) / 4
		}
		d.x[i*f+d.y[i]] = 1
	}
	return d
}

// accuracyOf returns the training accuracy of softmax parameters.
func accuracyOf(d *mnistData, params []float32) float64 {
	prob, err := sgd.NewSoftmaxRegression(d.x, d.y, d.features, mnistClasses, 0)
	if err != nil {
		panic(err)
	}
	acc, err := prob.Accuracy(params, d.x, d.y)
	if err != nil {
		panic(err)
	}
	return acc
}

// gemmEpoch is the C loop in Go on downhill's kernels.
func gemmEpoch(d *mnistData, perm []int, params, vel []float32) {
	f, c := d.features, mnistClasses
	d1 := f + 1
	xb := make([]float32, mnistBatch*d1)
	z := make([]float32, mnistBatch*c)
	g := make([]float32, c*d1)
	z64 := make([]float64, c)
	h := downhill.Momentum[float32]{LR: mnistLR, Mu: mnistMu}
	for lo := 0; lo < len(perm); lo += mnistBatch {
		batch := perm[lo:min(lo+mnistBatch, len(perm))]
		b := len(batch)
		for r, i := range batch {
			copy(xb[r*d1:r*d1+f], d.x[i*f:(i+1)*f])
			xb[r*d1+f] = 1
		}
		downhill.Gemm(false, true, b, c, d1, 1, xb, d1, params, d1, 0, z, c)
		for r, i := range batch {
			zr := z[r*c : (r+1)*c]
			m := math.Inf(-1)
			for k, v := range zr {
				z64[k] = float64(v)
				m = max(m, z64[k])
			}
			s := 0.0
			for k := range z64 {
				z64[k] = math.Exp(z64[k] - m)
				s += z64[k]
			}
			for k := range zr {
				zr[k] = float32(z64[k] / s)
			}
			zr[d.y[i]]--
		}
		downhill.Gemm(true, false, c, d1, b, 1/float32(b), z, c, xb, d1, 0, g, d1)
		downhill.MomentumStep(params, g, vel, h)
		h.Fresh = false
	}
}

// rowsOnly hides BatchGradient: sgd.Train takes the per-example path.
type rowsOnly struct{ sgd.Problem[float32] }

func BenchmarkMNISTBatchEpoch(b *testing.B) {
	d, err := loadMNIST()
	if err != nil {
		b.Skip(err)
	}
	if cConfig != nil {
		b.Logf("OpenBLAS: %s", cConfig())
	}
	dim := mnistClasses * (d.features + 1)
	perm := sgd.Permutation(d.n(), 1, 0, nil)
	perSec := func(b *testing.B) {
		b.ReportMetric(float64(b.N)*float64(d.n())/b.Elapsed().Seconds(), "examples/s")
	}
	if cEpoch != nil {
		b.Run("impl=c-openblas", func(b *testing.B) {
			params, vel := make([]float32, dim), make([]float32, dim)
			for b.Loop() {
				cEpoch(d.x, d.y, d.features, mnistClasses, perm, mnistBatch, mnistLR, mnistMu, params, vel)
			}
			perSec(b)
		})
	}
	b.Run("impl=gemm", func(b *testing.B) {
		params, vel := make([]float32, dim), make([]float32, dim)
		for b.Loop() {
			gemmEpoch(d, perm, params, vel)
		}
		perSec(b)
	})
	prob, err := sgd.NewSoftmaxRegression(d.x, d.y, d.features, mnistClasses, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		p       sgd.Problem[float32]
		workers int
	}{{"sgd-w1", prob, 1}, {"sgd-w2", prob, 2}, {"rows-w1", rowsOnly{prob}, 1}} {
		b.Run("impl="+c.name, func(b *testing.B) {
			params := make([]float32, dim)
			train := 0.0
			for b.Loop() {
				opt, err := sgd.NewOptimizer[float32](dim, sgd.Hyper{LR: mnistLR, Momentum: mnistMu})
				if err != nil {
					b.Fatal(err)
				}
				clear(params)
				h, err := sgd.Train(context.Background(), c.p, params, opt, sgd.Config{Epochs: 1, BatchSize: mnistBatch, Seed: 1, Workers: c.workers})
				if err != nil {
					b.Fatal(err)
				}
				train += h.ExamplesPerSec
			}
			perSec(b)
			b.ReportMetric(train/float64(b.N), "train-examples/s")
		})
	}
}

// mlpExamples is the size of BenchmarkMLPEpoch's synthetic set: 100
// batches of 64, so that the per-Train allocations (velocity, gradient,
// scratch: a few MB) weigh little beside the steps (with 20 batches they
// took a quarter of the time).
const mlpExamples = 6400

func BenchmarkMLPEpoch(b *testing.B) {
	const f = 784
	d := syntheticDigits(mlpExamples, f)
	prob, err := sgd.NewMLP(d.x, d.y, f, mnistClasses, []int{256})
	if err != nil {
		b.Fatal(err)
	}
	init := make([]float32, prob.Dim())
	prob.Init(init, 1)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			params := make([]float32, prob.Dim())
			train := 0.0
			for b.Loop() {
				copy(params, init)
				opt, _ := sgd.NewOptimizer[float32](prob.Dim(), sgd.Hyper{LR: mnistLR, Momentum: mnistMu})
				h, err := sgd.Train(context.Background(), prob, params, opt, sgd.Config{Epochs: 1, BatchSize: mnistBatch, Seed: 1, Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				train += h.ExamplesPerSec
			}
			b.ReportMetric(train/float64(b.N), "train-examples/s")
		})
	}
}
