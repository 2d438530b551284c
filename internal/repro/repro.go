// Package repro is the proof that a training run ends on the same bits on
// every CPU: Run trains the sgd problems in float32 and float64 with every
// sgd schedule and prints one SHA-256 per run (of the final parameters and
// every logged loss), plus one SHA-256 per dmath function over fixed
// inputs. CI runs it natively, with GOAMD64=v3, under qemu -cpu Westmere,
// on arm64 and on riscv64, and fails unless all outputs are identical.
package repro

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"unsafe"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dmath"
	"github.com/downhill-go/downhill/sgd"
)

// Sizes: batch·Dim >= 4096 for every problem so that Train splits the
// gradient rows between its 2 workers.
const (
	examples = 512
	features = 64
	classes  = 4
	batch    = 64
	epochs   = 25 // 8 steps per epoch: 200 steps
	steps    = examples / batch * epochs
	seed     = 11
)

// rng is splitmix64: the data depend on integer arithmetic only.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// unit returns a multiple of 2^-20 in [-1, 1), exact in float32 and float64.
func (r *rng) unit() float64 { return float64(int64(r.next()>>43)-1<<20) / (1 << 20) }

// data returns x (examples x features), labels in [0, k) and regression
// targets y = x·w + noise, rounded as written (no fusion).
func data(k int) (x []float64, labels []int, y []float64) {
	r := rng(seed)
	w := make([]float64, features)
	for j := range w {
		w[j] = r.unit()
	}
	x = make([]float64, examples*features)
	labels = make([]int, examples)
	y = make([]float64, examples)
	for i := range examples {
		t := 0.0
		for j := range features {
			v := r.unit()
			x[i*features+j] = v
			t += float64(v * w[j])
		}
		y[i] = t + float64(0.1*r.unit())
		labels[i] = int(r.next() % uint64(k))
		if k == 2 && t > 0.5 { // some signal for logistic regression
			labels[i] = 1
		}
	}
	return x, labels, y
}

func convert[F downhill.Float](x []float64) []F {
	out := make([]F, len(x))
	for i, v := range x {
		out[i] = F(v)
	}
	return out
}

type schedule struct {
	name string
	s    sgd.Schedule
}

// schedules returns every schedule sgd offers, with arguments that make
// each one change over the run.
func schedules() []schedule {
	return []schedule{
		{"Constant", sgd.Constant(0.7)},
		{"StepDecay", sgd.StepDecay(1, 0.6, 30)},
		{"MultiStep", sgd.MultiStep(1, 0.3, 50, 120, 180)},
		{"Exponential", sgd.Exponential(1, 0.99)},
		{"Cosine", sgd.Cosine(1, 0.01, steps)},
		{"Polynomial", sgd.Polynomial(1, 0.05, steps, 1.7)},
		{"OneCycle", sgd.OneCycle(1, steps, 0.3, 25, 1e4)},
		{"Warmup+Cosine", sgd.Warmup(30, sgd.Cosine(1, 0, steps-30))},
		{"Join", sgd.Join([]sgd.Schedule{sgd.Constant(0.5), sgd.Exponential(1, 0.99), sgd.Cosine(0.3, 0, 60)}, []int{40, 120})},
		{"Func", sgd.Func(func(k int) float64 { return dmath.Pow(1+float64(k)/40, -0.6) })},
	}
}

// hypers are the optimizer settings the runs rotate through: momentum,
// Nesterov with coupled decay, norm clipping, decoupled decay.
var hypers = []struct {
	name string
	h    sgd.Hyper
	opts []sgd.Option
}{
	{"momentum", sgd.Hyper{LR: 0.05, Momentum: 0.9}, nil},
	{"nesterov+wd", sgd.Hyper{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-3}, nil},
	{"clip", sgd.Hyper{LR: 0.1, Momentum: 0.5, Dampening: 0.1}, []sgd.Option{sgd.ClipNorm(0.5)}},
	{"decoupled", sgd.Hyper{LR: 0.08, DecoupledDecay: 0.01}, nil},
}

func bitsOf[F downhill.Float](h io.Writer, x []F) {
	var z F
	b := make([]byte, 0, len(x)*int(unsafe.Sizeof(z)))
	for _, v := range x {
		if unsafe.Sizeof(z) == 4 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		} else {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(v)))
		}
	}
	h.Write(b)
}

// train runs one training and returns the hash of the final parameters
// and of every logged loss and schedule value.
func train[F downhill.Float](p sgd.Problem[F], s sgd.Schedule, run int) (string, error) {
	hy := hypers[run%len(hypers)]
	opt, err := sgd.NewOptimizer[F](p.Dim(), hy.h, hy.opts...)
	if err != nil {
		return "", err
	}
	params := make([]F, p.Dim())
	hist, err := sgd.Train(context.Background(), p, params, opt, sgd.Config{
		Epochs: epochs, BatchSize: batch, Workers: 2, Seed: seed + uint64(run),
		Schedule: s, LogEvery: 50,
	})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	bitsOf(h, params)
	for _, pt := range hist.Points {
		bitsOf(h, []float64{pt.Loss, pt.LRScale})
	}
	return fmt.Sprintf("%x %d steps, loss %.6g -> %.6g", h.Sum(nil), hist.Steps, hist.Points[0].Loss, hist.Final()), nil
}

type problem[F downhill.Float] struct {
	name string
	p    sgd.Problem[F]
}

func problems[F downhill.Float]() ([]problem[F], error) {
	x2, l2, _ := data(2)
	xk, lk, y := data(classes)
	logit, err := sgd.NewLogisticRegression(convert[F](x2), l2, features, 1e-3)
	if err != nil {
		return nil, err
	}
	soft, err := sgd.NewSoftmaxRegression(convert[F](xk), lk, features, classes, 1e-3)
	if err != nil {
		return nil, err
	}
	ls, err := sgd.NewLeastSquares(convert[F](xk), convert[F](y), features)
	if err != nil {
		return nil, err
	}
	return []problem[F]{{"logistic", logit}, {"softmax", soft}, {"leastsquares", ls}}, nil
}

// runAll trains every schedule once, on the problems in turn (shifted by
// one between float32 and float64), with the optimizer settings in turn:
// every schedule, problem and setting runs in both types, within the CI
// budget of the slowest emulated CPU.
func runAll[F downhill.Float](w io.Writer, typ string, shift int) error {
	ps, err := problems[F]()
	if err != nil {
		return err
	}
	for i, s := range schedules() {
		p := ps[(i+shift)%len(ps)]
		line, err := train(p.p, s.s, i)
		if err != nil {
			return fmt.Errorf("%s/%s/%s: %w", p.name, typ, s.name, err)
		}
		fmt.Fprintf(w, "train %-12s %-7s %-13s %-11s %s\n", p.name, typ, s.name, hypers[i%len(hypers)].name, line)
	}
	return nil
}

// Inputs of the dmath hashes: n values per function from integer
// arithmetic, spread over the ranges that matter.
const n = 1 << 14

func hashFunc(w io.Writer, name string, f func(float64) float64, lo, hi float64) {
	r := rng(seed)
	h := sha256.New()
	out := make([]float64, 0, n)
	for range n {
		u := float64(r.next()>>11) / (1 << 53) // exact
		out = append(out, f(lo+float64((hi-lo)*u)))
	}
	bitsOf(h, out)
	fmt.Fprintf(w, "dmath %-8s %x\n", name, h.Sum(nil))
}

// Run writes the report: one line per dmath function and per training.
func Run(w io.Writer) error {
	hashFunc(w, "Exp", dmath.Exp, -745, 709)
	hashFunc(w, "Expm1", dmath.Expm1, -3, 3)
	hashFunc(w, "Log", dmath.Log, 0, 1e6)
	hashFunc(w, "Log1p", dmath.Log1p, -1, 10)
	hashFunc(w, "Sin", dmath.Sin, -1e6, 1e6)
	hashFunc(w, "Cos", dmath.Cos, -20, 20)
	hashFunc(w, "Tanh", dmath.Tanh, -20, 20)
	hashFunc(w, "Sigmoid", dmath.Sigmoid, -50, 50)
	hashFunc(w, "Softplus", dmath.Softplus, -50, 50)
	hashFunc(w, "Pow", func(x float64) float64 { return dmath.Pow(x, 1/(x-10.5)) }, 0, 10)
	if err := runAll[float32](w, "float32", 0); err != nil {
		return err
	}
	return runAll[float64](w, "float64", 1)
}
