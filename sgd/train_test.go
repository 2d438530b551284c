package sgd

import (
	"context"
	"testing"
)

func TestTrainSoftmaxLearns(t *testing.T) {
	x, labels := clusters[float32](600, 8, 3, 2, 1)
	prob, err := NewSoftmaxRegression(x, labels, 8, 3, 1e-4)
	if err != nil {
		t.Fatal(err)
	}
	params := make([]float32, prob.Dim())
	opt, err := NewOptimizer[float32](prob.Dim(), Hyper{LR: 0.1, Momentum: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Train(context.Background(), prob, params, opt, Config{Epochs: 5, BatchSize: 32, Seed: 7, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Points) != 6 || h.Stop != StopEpochs {
		t.Fatalf("history: %d points, stop %q; want 6 and %q", len(h.Points), h.Stop, StopEpochs)
	}
	if first, last := h.Points[0].Loss, h.Final(); !(last < first/4) {
		t.Errorf("loss %v -> %v: did not fall by 4x", first, last)
	}
	acc, err := prob.Accuracy(params, x, labels)
	if err != nil || acc < 0.9 {
		t.Errorf("training accuracy %v (err %v), want >= 0.9", acc, err)
	}
}
