package demo

import (
	"context"
	"fmt"

	"github.com/downhill-go/downhill/sgd"
)

// The batch-size experiment runs on a classification data set (MNIST in
// `downhill batchsize`): x holds the examples' features row by row,
// labels their classes.
type Data struct {
	X        []float32
	Labels   []int
	Features int
	Classes  int
}

// Head returns the first n examples of d (all of them if n >= their
// number), sharing memory.
func (d Data) Head(n int) Data {
	n = min(n, len(d.Labels))
	return Data{X: d.X[:n*d.Features], Labels: d.Labels[:n], Features: d.Features, Classes: d.Classes}
}

func (d Data) problem() (*sgd.SoftmaxRegression[float32], error) {
	return sgd.NewSoftmaxRegression(d.X, d.Labels, d.Features, d.Classes, 0)
}

// Throughput is the measured speed of training at one batch size. Its
// numbers are wall clock: they change from run to run and machine to
// machine.
type Throughput struct {
	Batch          int     `json:"batch"`
	Steps          int     `json:"steps"`
	Examples       int64   `json:"examples"`
	Seconds        float64 `json:"seconds"` // training only, loss evaluations excluded
	ExamplesPerSec float64 `json:"examples_per_second"`
	SecondsPerStep float64 `json:"seconds_per_step"`
}

// MeasureThroughput trains softmax regression on d with sgd.Train
// (momentum 0.9, lr 0.01, `workers` goroutines, 0 for one per core) at
// every batch size, for at least minExamples examples and 8 steps each,
// `repeats` times, and returns the fastest of the repeats (the least
// disturbed by other programs).
func MeasureThroughput(d Data, batches []int, minExamples, workers, repeats int) ([]Throughput, error) {
	prob, err := d.problem()
	if err != nil {
		return nil, err
	}
	n := prob.Len()
	var out []Throughput
	for _, b := range batches {
		if b > n {
			return nil, fmt.Errorf("batch %d > %d examples", b, n)
		}
		per := (n + b - 1) / b
		epochs := max((minExamples+n-1)/n, (8+per-1)/per)
		var best Throughput
		for r := range max(1, repeats) {
			params := make([]float32, prob.Dim())
			opt, err := sgd.NewOptimizer[float32](prob.Dim(), sgd.Hyper{LR: 0.01, Momentum: 0.9})
			if err != nil {
				return nil, err
			}
			h, err := sgd.Train(context.Background(), prob, params, opt, sgd.Config{Epochs: epochs, BatchSize: b, Workers: workers, Seed: 1})
			if err != nil {
				return nil, err
			}
			s := (h.Wall - h.Eval).Seconds()
			if r == 0 || s < best.Seconds {
				best = Throughput{Batch: b, Steps: h.Steps, Examples: h.Examples, Seconds: s,
					ExamplesPerSec: float64(h.Examples) / s, SecondsPerStep: s / float64(h.Steps)}
			}
		}
		out = append(out, best)
	}
	return out, nil
}

// LossCurve is the training loss of a run against examples seen (exact,
// the same bits on every machine) and against training seconds (wall
// clock, loss evaluations excluded).
type LossCurve struct {
	Batch    int       `json:"batch"`
	Steps    int       `json:"steps"`
	Examples []float64 `json:"examples"`
	Loss     []float64 `json:"loss"`
	Seconds  []float64 `json:"seconds"`
	Final    float64   `json:"final_loss"`
	Params   []float32 `json:"-"`
}

// Batch experiment settings: every run has the same learning rate and
// momentum and sees the same number of examples.
const (
	BatchLR       = 0.05
	BatchMomentum = 0.9
	BatchLogEvery = 4096 // examples between logged losses (at least one step)
)

// LossCurves trains softmax regression on d for `epochs` epochs at every
// batch size (lr BatchLR, momentum BatchMomentum, shuffling seed 1) and
// logs the training loss about every BatchLogEvery examples.
func LossCurves(d Data, batches []int, epochs, workers int) ([]LossCurve, error) {
	prob, err := d.problem()
	if err != nil {
		return nil, err
	}
	var out []LossCurve
	for _, b := range batches {
		params := make([]float32, prob.Dim())
		opt, err := sgd.NewOptimizer[float32](prob.Dim(), sgd.Hyper{LR: BatchLR, Momentum: BatchMomentum})
		if err != nil {
			return nil, err
		}
		c := LossCurve{Batch: b}
		cfg := sgd.Config{Epochs: epochs, BatchSize: b, Workers: workers, Seed: 1, LogEvery: max(1, BatchLogEvery/b),
			Progress: func(p sgd.Progress) {
				c.Examples = append(c.Examples, float64(p.Examples))
				c.Loss = append(c.Loss, p.Loss)
				s := 0.0
				if p.ExamplesPerSec > 0 {
					s = float64(p.Examples) / p.ExamplesPerSec
				}
				c.Seconds = append(c.Seconds, s)
			}}
		h, err := sgd.Train(context.Background(), prob, params, opt, cfg)
		if err != nil {
			return nil, err
		}
		c.Steps, c.Final, c.Params = h.Steps, h.Final(), params
		out = append(out, c)
	}
	return out, nil
}

// Variance is the spread of the mini-batch gradient at one batch size:
// Measured is the mean of ‖g_B - g‖² over the draws (g_B the mean of B
// per-example gradient rows, g the full gradient), Predicted the value
// for batches drawn without replacement, (N-B)/(N-1)·σ²/B with σ² the
// mean of ‖g_i - g‖².
type Variance struct {
	Batch     int     `json:"batch"`
	Draws     int     `json:"draws"`
	Measured  float64 `json:"measured"`
	Predicted float64 `json:"predicted"`
}

// gradChunk is the number of gradient rows computed at once.
const gradChunk = 256

// GradientVariance measures the variance of the mini-batch gradient of
// softmax regression on d at params, for every batch size, over
// max(draws, minRows/B) consecutive batches of a seeded sampler (without
// replacement within an epoch). Sums are in float64, in a fixed order.
func GradientVariance(d Data, params []float32, batches []int, draws, minRows int, seed uint64) ([]Variance, error) {
	prob, err := d.problem()
	if err != nil {
		return nil, err
	}
	n, dim := prob.Len(), prob.Dim()
	rows := make([]float32, gradChunk*dim)
	// meanRow returns the mean of the gradient rows of idx, in float64.
	meanRow := func(idx []int) []float64 {
		m := make([]float64, dim)
		for lo := 0; lo < len(idx); lo += gradChunk {
			part := idx[lo:min(lo+gradChunk, len(idx))]
			prob.Gradients(params, part, rows[:len(part)*dim])
			for j := range part {
				for k, v := range rows[j*dim : (j+1)*dim] {
					m[k] += float64(v)
				}
			}
		}
		for k := range m {
			m[k] /= float64(len(idx))
		}
		return m
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	g := meanRow(all)
	// σ² = mean ‖g_i - g‖².
	sigma2 := 0.0
	for lo := 0; lo < n; lo += gradChunk {
		part := all[lo:min(lo+gradChunk, n)]
		prob.Gradients(params, part, rows[:len(part)*dim])
		for j := range part {
			for k, v := range rows[j*dim : (j+1)*dim] {
				e := float64(v) - g[k]
				sigma2 += float64(e * e)
			}
		}
	}
	sigma2 /= float64(n)
	var out []Variance
	for _, b := range batches {
		s, err := sgd.NewSampler(n, b, true, seed)
		if err != nil {
			return nil, err
		}
		v := Variance{Batch: b, Draws: max(draws, minRows/b), Predicted: float64(n-b) / float64(n-1) * sigma2 / float64(b)}
		for range v.Draws {
			m := meanRow(s.Next())
			for k := range m {
				e := m[k] - g[k]
				v.Measured += float64(e * e)
			}
		}
		v.Measured /= float64(v.Draws)
		out = append(out, v)
	}
	return out, nil
}
