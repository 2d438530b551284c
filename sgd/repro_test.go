package sgd

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
)

// reproRun trains a small model (softmax regression or an MLP, float32,
// synthetic data) on kernel path `path` with `workers` goroutines and
// returns the final parameters and every logged loss.
func reproRun(t *testing.T, model string, path dispatch.Path, workers int) ([]float32, []float64) {
	t.Helper()
	const n, f, c = 300, 20, 3
	x, labels := clusters[float32](n, f, c, 0.5, 71)
	var prob interface {
		BatchProblem[float32]
		OnPath(dispatch.Path) error
	}
	params := []float32(nil)
	switch model {
	case "softmax":
		sm, err := NewSoftmaxRegression(x, labels, f, c, 1e-3)
		if err != nil {
			t.Fatal(err)
		}
		prob, params = sm, make([]float32, sm.Dim())
	case "mlp":
		m, err := NewMLP(x, labels, f, c, []int{24, 16})
		if err != nil {
			t.Fatal(err)
		}
		params = make([]float32, m.Dim())
		if err := m.Init(params, 5); err != nil {
			t.Fatal(err)
		}
		prob = m
	}
	if err := prob.OnPath(path); err != nil {
		t.Fatal(err)
	}
	opt, err := NewOptimizer[float32](prob.Dim(), Hyper{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4}, OnPath(path), ClipNorm(2))
	if err != nil {
		t.Fatal(err)
	}
	// Batches of 100: two chunks (64 + 36); LogEvery 2: running means.
	h, err := Train(context.Background(), prob, params, opt, Config{
		Epochs: 3, BatchSize: 100, Seed: 8, Workers: workers, LogEvery: 2,
		Schedule: Warmup(2, Cosine(1, 0.1, 7)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var losses []float64
	for _, p := range h.Points {
		losses = append(losses, p.Loss)
	}
	return params, losses
}

// reproHash is the SHA-256 of the parameters' and losses' bits.
func reproHash(params []float32, losses []float64) string {
	h := sha256.New()
	for _, p := range params {
		binary.Write(h, binary.LittleEndian, math.Float32bits(p))
	}
	for _, l := range losses {
		binary.Write(h, binary.LittleEndian, math.Float64bits(l))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestTrainReproducible trains softmax regression and an MLP with 1, 2
// and 8 workers on every kernel path this CPU runs (with Scratch.Gemm's
// split forced even for small products) and requires the same final
// parameters and logged losses, bit for bit.
//
// Across machines: the test logs one hash per model and, when the
// environment variable DOWNHILL_REPRO_OUT names a file, appends the lines
// "<model> <sha256>" to it. Runs on other CPUs, GOARCHes, purego builds or
// under qemu (arm64; amd64 -cpu Westmere) must write identical lines.
func TestTrainReproducible(t *testing.T) {
	defer func(v, w int) { gemmSerial, parallelMin = v, w }(gemmSerial, parallelMin)
	gemmSerial, parallelMin = 0, 0
	for _, model := range []string{"softmax", "mlp"} {
		ref, refL := reproRun(t, model, dispatch.Generic, 1)
		for _, path := range dispatch.Available() {
			for _, w := range []int{1, 2, 8} {
				if path == dispatch.Generic && w == 1 {
					continue
				}
				p, l := reproRun(t, model, path, w)
				if i, ok := sameBits(p, ref); !ok {
					t.Errorf("%s, %s, %d workers: parameter %d is %v, generic with 1 worker %v", model, path, w, i, p[i], ref[i])
				}
				if i, ok := sameBits(l, refL); !ok {
					t.Errorf("%s, %s, %d workers: logged loss %d is %v, generic with 1 worker %v", model, path, w, i, l[i], refL[i])
				}
			}
		}
		sum := reproHash(ref, refL)
		t.Logf("%s %s (paths %v)", model, sum, dispatch.Available())
		if out := os.Getenv("DOWNHILL_REPRO_OUT"); out != "" {
			f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(f, "%s %s\n", model, sum)
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// rowsOnly hides a problem's BatchGradient: Train takes the per-example
// rows path.
type rowsOnly[F Float] struct{ Problem[F] }

// TestTrainRowsPathBitIdentical keeps the per-example path (Gradients,
// SumRows in pieces of MaxRows, BatchMomentumStep) under the same test
// now that the shipped problems take the batch path: the same bits for 1,
// 2 and 8 workers, every path and every row cap.
func TestTrainRowsPathBitIdentical(t *testing.T) {
	x, labels := clusters[float32](700, 61, 4, 0.5, 5)
	run := func(path dispatch.Path, workers, maxRows int) []float32 {
		sm, _ := NewSoftmaxRegression(x, labels, 61, 4, 1e-3)
		if err := sm.OnPath(path); err != nil {
			t.Fatal(err)
		}
		p := make([]float32, sm.Dim())
		opt, _ := NewOptimizer[float32](sm.Dim(), Hyper{LR: 0.05, Momentum: 0.9}, OnPath(path))
		if _, err := Train(context.Background(), rowsOnly[float32]{sm}, p, opt, Config{
			Epochs: 2, BatchSize: 48, Workers: workers, Seed: 3, MaxRows: maxRows,
		}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ref := run(dispatch.Generic, 1, 0)
	for _, path := range dispatch.Available() {
		for _, w := range []int{1, 2, 8} {
			for _, rows := range []int{0, 7} {
				if i, ok := sameBits(run(path, w, rows), ref); !ok {
					t.Errorf("%s, %d workers, MaxRows %d: parameter %d differs", path, w, rows, i)
				}
			}
		}
	}
}
