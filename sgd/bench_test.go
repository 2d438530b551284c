package sgd

import (
	"context"
	"testing"
)

// BenchmarkSoftmaxEpoch trains one epoch of MNIST-shaped softmax
// regression (784 features, 10 classes, float32, batch 64) on 10,000
// synthetic examples; examples/s is reported.
func BenchmarkSoftmaxEpoch(b *testing.B) {
	const n, f, c = 10_000, 784, 10
	x, labels := clusters[float32](n, f, c, 0.3, 1)
	prob, _ := NewSoftmaxRegression(x, labels, f, c, 0)
	for b.Loop() {
		p := make([]float32, prob.Dim())
		opt, _ := NewOptimizer[float32](prob.Dim(), Hyper{LR: 0.01, Momentum: 0.9})
		h, err := Train(context.Background(), prob, p, opt, Config{Epochs: 1, BatchSize: 64, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(h.ExamplesPerSec, "examples/s")
	}
}
