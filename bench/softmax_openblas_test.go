//go:build openblas && cgo

package bench

import "testing"

func init() { cEpoch = openblasEpoch; cConfig = openblasConfig }

// TestOpenBLASLoopLearns checks that the C loop trains (the accuracy of a
// few epochs on the synthetic set of TestMNISTLoopsAgree).
func TestOpenBLASLoopLearns(t *testing.T) {
	d := syntheticDigits(256, 40)
	dim := mnistClasses * (d.features + 1)
	params, vel := make([]float32, dim), make([]float32, dim)
	perm := make([]int, d.n())
	for i := range perm {
		perm[i] = i
	}
	for range 5 {
		openblasEpoch(d.x, d.y, d.features, mnistClasses, perm, mnistBatch, mnistLR, mnistMu, params, vel)
	}
	if acc := accuracyOf(d, params); acc < 0.9 {
		t.Errorf("C + OpenBLAS loop: accuracy %v after 5 epochs", acc)
	}
	t.Log(openblasConfig())
}
