package sgd

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestRunningLoss checks the logged loss: by default the mean of the
// mini-batch losses of the epoch (recomputed here from BatchGradient on
// a replay of the same batches), with FullLoss the loss over all examples.
func TestRunningLoss(t *testing.T) {
	x, labels := clusters[float64](300, 7, 3, 1, 51)
	sm, _ := NewSoftmaxRegression(x, labels, 7, 3, 0)
	h := Hyper{LR: 0.1, Momentum: 0.9}
	cfg := Config{Epochs: 2, BatchSize: 70, Seed: 9, Workers: 2}

	p := make([]float64, sm.Dim())
	opt, _ := NewOptimizer[float64](sm.Dim(), h)
	hist, err := Train(context.Background(), sm, p, opt, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Replay: same sampler, same steps, losses summed per epoch.
	q := make([]float64, sm.Dim())
	o2, _ := NewOptimizer[float64](sm.Dim(), h)
	s, _ := NewSampler(300, 70, false, 9)
	g := make([]float64, sm.Dim())
	sc := NewScratch[float64](1)
	if first := sm.BatchGradient(q, Permutation(300, 9, 0, nil)[:70], g, sc); hist.Points[0].Loss != first {
		t.Errorf("point 0: %v, want the first batch's loss %v", hist.Points[0].Loss, first)
	}
	for e := 1; e <= 2; e++ {
		sum, n := 0.0, 0
		for s.Epoch() < e {
			b := s.Next()
			sum += float64(sm.BatchGradient(q, b, g, sc) * float64(len(b)))
			n += len(b)
			o2.Step(q, g)
		}
		if want := sum / float64(n); hist.Points[e].Loss != want {
			t.Errorf("epoch %d: logged %v, running mean %v", e, hist.Points[e].Loss, want)
		}
	}
	if i, ok := sameBits(p, q); !ok {
		t.Errorf("replay differs at %d", i)
	}
	full := cfg
	full.FullLoss = true
	p3 := make([]float64, sm.Dim())
	o3, _ := NewOptimizer[float64](sm.Dim(), h)
	h3, _ := Train(context.Background(), sm, p3, o3, full)
	if h3.Final() != sm.Loss(p3, nil) {
		t.Errorf("FullLoss: final %v, Loss %v", h3.Final(), sm.Loss(p3, nil))
	}
	if !math.IsNaN(h3.Points[1].ValLoss) || !math.IsNaN(h3.Points[1].ValAccuracy) {
		t.Errorf("no validation set: %+v", h3.Points[1])
	}
}

// TestValidation checks the validation loss and accuracy of every point
// and early stopping on the validation loss.
func TestValidation(t *testing.T) {
	x, labels := clusters[float32](400, 5, 3, 0.6, 61)
	tr, _ := NewSoftmaxRegression(x[:300*5], labels[:300], 5, 3, 0)
	val, _ := NewSoftmaxRegression(x[300*5:], labels[300:], 5, 3, 0)
	p := make([]float32, tr.Dim())
	opt, _ := NewOptimizer[float32](tr.Dim(), Hyper{LR: 0.2, Momentum: 0.9})
	var seen []Point
	hist, err := Train(context.Background(), tr, p, opt, Config{
		Epochs: 200, BatchSize: 30, Seed: 3, Validation: val,
		EarlyStop: EarlyStop{Patience: 3},
		Progress:  func(pr Progress) { seen = append(seen, pr.Point) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if hist.Stop != StopPlateau || len(hist.Points) >= 201 {
		t.Fatalf("stop %q after %d points: early stopping on the validation loss did not happen", hist.Stop, len(hist.Points))
	}
	last := hist.Points[len(hist.Points)-1]
	if last.ValLoss != val.Loss(p, nil) {
		t.Errorf("last validation loss %v, Loss %v", last.ValLoss, val.Loss(p, nil))
	}
	acc, _ := tr.Accuracy(p, x[300*5:], labels[300:])
	if last.ValAccuracy != acc {
		t.Errorf("last validation accuracy %v, Accuracy %v", last.ValAccuracy, acc)
	}
	// The plateau is the validation loss's: Patience points without a new best.
	best := math.Inf(1)
	for _, pt := range hist.Points[:len(hist.Points)-3] {
		best = math.Min(best, pt.ValLoss)
	}
	for _, pt := range hist.Points[len(hist.Points)-3:] {
		if pt.ValLoss < best {
			t.Errorf("stopped although the validation loss improved: %v < %v", pt.ValLoss, best)
		}
	}
	if len(seen) != len(hist.Points) {
		t.Errorf("progress saw %d points, history has %d", len(seen), len(hist.Points))
	}
	// A validation problem of the wrong type or size is refused.
	other, _ := NewSoftmaxRegression(x[:10], labels[:2], 5, 2, 0)
	for _, v := range []any{other, 3, &LeastSquares[float64]{}} {
		_, err := Train(context.Background(), tr, p, opt, Config{Epochs: 1, Validation: v})
		if err == nil || !strings.Contains(err.Error(), "alidation") {
			t.Errorf("Validation %T: err %v", v, err)
		}
	}
}
