package bench

// End-to-end: one epoch of MNIST softmax regression (float32, mini-batch
// SGD with momentum), the same loop written three times, differing only
// in the vector operations it calls:
//
//	impl=downhill  downhill.Dot, Axpy and one BatchMomentumStep per batch
//	impl=gonum     gonum's BLAS Level 1 (blas/gonum: Sdot, Saxpy, Sscal)
//	impl=go        plain Go loops
//
// plus impl=sgd, the same epoch through sgd.Train as a user would run it
// (all cores, and one pass over the data for the loss at the end of the
// epoch). The loop is single-threaded and computes per-example gradient
// rows, as sgd does: for every example, 10 dot products of 784 for the
// logits, then 10 axpys for the row; then the rows are summed and the
// momentum step applied.
//
//	go test -run XXX -bench MNISTEpoch -benchtime 3x ./bench
//
// The data come from the GoMNIST module (see cmd/downhill); the benchmark
// is skipped when they cannot be found.

import (
	"context"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/internal/idx"
	"github.com/downhill-go/downhill/sgd"
)

const (
	mnistClasses = 10
	mnistBatch   = 64
	mnistLR      = 0.1
	mnistMu      = 0.9
)

// mnistData is a training set as the loops see it.
type mnistData struct {
	x        []float32 // n x features
	y        []int
	features int
}

func (d *mnistData) n() int { return len(d.y) }

var (
	mnistOnce sync.Once
	mnistSet  *mnistData
	mnistErr  error
)

func loadMNIST() (*mnistData, error) {
	mnistOnce.Do(func() {
		dir, err := idx.FindMNIST(nil)
		if err != nil {
			mnistErr = err
			return
		}
		train, _, err := idx.LoadMNIST(dir)
		if err != nil {
			mnistErr = err
			return
		}
		d := &mnistData{x: make([]float32, len(train.Images)), y: make([]int, train.N), features: train.Pixels()}
		for i, p := range train.Images {
			d.x[i] = float32(p) / 255
		}
		for i, l := range train.Labels {
			d.y[i] = int(l)
		}
		mnistSet = d
	})
	return mnistSet, mnistErr
}

// vecOps are the vector operations one implementation of the loop uses.
type vecOps interface {
	dot(x, y []float32) float32
	axpy(a float32, x, y []float32) // y += a*x
	// step sums the rows (len a multiple of len(p)), scales the sum by
	// scale and applies v = mu*v + g; p -= lr*v.
	step(p, v, rows []float32, scale, lr, mu float32)
}

type downhillOps struct{}

func (downhillOps) dot(x, y []float32) float32     { return downhill.Dot(x, y) }
func (downhillOps) axpy(a float32, x, y []float32) { downhill.Axpy(a, x, y) }
func (o downhillOps) step(p, v, rows []float32, scale, lr, mu float32) {
	downhill.BatchMomentumStep(p, v, rows, scale, downhill.Momentum[float32]{LR: lr, Mu: mu})
}

type gonumOps struct {
	impl gonum.Implementation
	g    []float32
}

func (o *gonumOps) dot(x, y []float32) float32     { return o.impl.Sdot(len(x), x, 1, y, 1) }
func (o *gonumOps) axpy(a float32, x, y []float32) { o.impl.Saxpy(len(x), a, x, 1, y, 1) }
func (o *gonumOps) step(p, v, rows []float32, scale, lr, mu float32) {
	d := len(p)
	g := o.g[:d]
	copy(g, rows[:d])
	for r := d; r < len(rows); r += d {
		o.impl.Saxpy(d, 1, rows[r:r+d], 1, g, 1)
	}
	o.impl.Sscal(d, mu, v, 1)
	o.impl.Saxpy(d, scale, g, 1, v, 1)
	o.impl.Saxpy(d, -lr, v, 1, p, 1)
}

type goOps struct{ g []float32 }

func (goOps) dot(x, y []float32) float32 {
	s := float32(0)
	y = y[:len(x)]
	for i, xi := range x {
		s += xi * y[i]
	}
	return s
}

func (goOps) axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, xi := range x {
		y[i] += a * xi
	}
}

func (o goOps) step(p, v, rows []float32, scale, lr, mu float32) {
	d := len(p)
	g := o.g[:d]
	copy(g, rows[:d])
	for r := d; r < len(rows); r += d {
		row := rows[r : r+d]
		for i := range g {
			g[i] += row[i]
		}
	}
	v = v[:d]
	for i := range p {
		v[i] = mu*v[i] + scale*g[i]
		p[i] -= lr * v[i]
	}
}

// softmaxEpoch runs one epoch of mini-batch SGD with momentum over the
// examples in the order perm, updating params (classes x (features+1),
// row c = weights of class c then its bias) and velocity.
func softmaxEpoch(ops vecOps, d *mnistData, perm []int, params, velocity, rows []float32) {
	f := d.features
	dim := mnistClasses * (f + 1)
	z := make([]float64, mnistClasses)
	for lo := 0; lo < len(perm); lo += mnistBatch {
		batch := perm[lo:min(lo+mnistBatch, len(perm))]
		for j, i := range batch {
			x := d.x[i*f : (i+1)*f]
			m := math.Inf(-1)
			for c := range z {
				w := params[c*(f+1) : (c+1)*(f+1)]
				z[c] = float64(ops.dot(w[:f], x) + w[f])
				m = max(m, z[c])
			}
			sum := 0.0
			for c := range z {
				z[c] = math.Exp(z[c] - m)
				sum += z[c]
			}
			row := rows[j*dim : (j+1)*dim]
			clear(row)
			for c := range z {
				e := float32(z[c] / sum)
				if c == d.y[i] {
					e--
				}
				r := row[c*(f+1) : (c+1)*(f+1)]
				ops.axpy(e, x, r[:f])
				r[f] = e
			}
		}
		ops.step(params, velocity, rows[:len(batch)*dim], 1/float32(len(batch)), mnistLR, mnistMu)
	}
}

func newOps(name string, dim int) vecOps {
	switch name {
	case "downhill":
		return downhillOps{}
	case "gonum":
		return &gonumOps{g: make([]float32, dim)}
	}
	return goOps{g: make([]float32, dim)}
}

func BenchmarkMNISTEpoch(b *testing.B) {
	d, err := loadMNIST()
	if err != nil {
		b.Skip(err)
	}
	dim := mnistClasses * (d.features + 1)
	perm := sgd.Permutation(d.n(), 1, 0, nil)
	for _, name := range []string{"downhill", "gonum", "go"} {
		b.Run("impl="+name, func(b *testing.B) {
			ops := newOps(name, dim)
			params := make([]float32, dim)
			velocity := make([]float32, dim)
			rows := make([]float32, mnistBatch*dim)
			b.ResetTimer()
			for b.Loop() {
				softmaxEpoch(ops, d, perm, params, velocity, rows)
			}
			b.ReportMetric(float64(b.N)*float64(d.n())/b.Elapsed().Seconds(), "examples/s")
		})
	}
	b.Run("impl=sgd", func(b *testing.B) {
		prob, err := sgd.NewSoftmaxRegression(d.x, d.y, d.features, mnistClasses, 0)
		if err != nil {
			b.Fatal(err)
		}
		params := make([]float32, dim)
		for b.Loop() {
			opt, err := sgd.NewOptimizer[float32](dim, sgd.Hyper{LR: mnistLR, Momentum: mnistMu})
			if err != nil {
				b.Fatal(err)
			}
			clear(params)
			if _, err := sgd.Train(context.Background(), prob, params, opt, sgd.Config{Epochs: 1, BatchSize: mnistBatch, Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)*float64(d.n())/b.Elapsed().Seconds(), "examples/s")
	})
}

// TestMNISTLoopsAgree checks, on a small synthetic set, that the three
// loops of the benchmark compute the same training step (up to rounding:
// downhill fuses multiply-adds, the others may not) and that it learns.
func TestMNISTLoopsAgree(t *testing.T) {
	const n, f = 256, 40
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
	dim := mnistClasses * (f + 1)
	perm := sgd.Permutation(n, 1, 0, nil)
	results := map[string][]float32{}
	for _, name := range []string{"downhill", "gonum", "go"} {
		params, velocity := make([]float32, dim), make([]float32, dim)
		rows := make([]float32, mnistBatch*dim)
		ops := newOps(name, dim)
		for range 3 {
			softmaxEpoch(ops, d, perm, params, velocity, rows)
		}
		results[name] = params
	}
	ref := results["go"]
	for name, p := range results {
		for i := range p {
			if diff := math.Abs(float64(p[i] - ref[i])); diff > 1e-4*(1+math.Abs(float64(ref[i]))) {
				t.Fatalf("%s: params[%d] = %v, go loop %v", name, i, p[i], ref[i])
			}
		}
	}
	// The trained model classifies the training set.
	prob, err := sgd.NewSoftmaxRegression(d.x, d.y, f, mnistClasses, 0)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := prob.Accuracy(results["downhill"], d.x, d.y)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.95 {
		t.Errorf("training accuracy %v after 3 epochs", acc)
	}
}
