package sgd

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
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

// trainRun trains a float32 softmax regression and a float64 least-squares
// problem with the given workers, path and row cap, returning the final
// parameters and every logged loss.
func trainRun(t *testing.T, workers int, path dispatch.Path, maxRows int) ([]float32, []float64, []float64, []float64) {
	t.Helper()
	ctx := context.Background()
	// 2600 examples: two loss chunks; 48 rows of 4x62 parameters: enough
	// work per batch for the workers to split it.
	x, labels := clusters[float32](2600, 61, 4, 0.5, 5)
	sm, err := NewSoftmaxRegression(x, labels, 61, 4, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	if err := sm.OnPath(path); err != nil {
		t.Fatal(err)
	}
	p32 := make([]float32, sm.Dim())
	opt32, err := NewOptimizer[float32](sm.Dim(), Hyper{LR: 0.05, Momentum: 0.9, Nesterov: true}, OnPath(path), ClipNorm(5))
	if err != nil {
		t.Fatal(err)
	}
	h32, err := Train(ctx, sm, p32, opt32, Config{
		Epochs: 2, BatchSize: 48, Workers: workers, Seed: 3, MaxRows: maxRows,
		Schedule: Warmup(20, Cosine(1, 0.1, 150)), LogEvery: 50,
	})
	if err != nil {
		t.Fatal(err)
	}
	lx, ly := linearData[float64](2100, 33, 0.1, 6)
	ls, _ := NewLeastSquares(lx, ly, 33)
	if err := ls.OnPath(path); err != nil {
		t.Fatal(err)
	}
	p64 := make([]float64, 33)
	opt64, _ := NewOptimizer[float64](33, Hyper{LR: 0.05, Momentum: 0.5, Dampening: 0.5, WeightDecay: 1e-3}, OnPath(path))
	// Full batch, then mini-batches with a short last batch.
	h64, err := Train(ctx, ls, p64, opt64, Config{Epochs: 3, Workers: workers, MaxRows: maxRows})
	if err != nil {
		t.Fatal(err)
	}
	opt64b, _ := NewOptimizer[float64](33, Hyper{LR: 0.01, Momentum: 0.9}, OnPath(path))
	h64b, err := Train(ctx, ls, p64, opt64b, Config{Epochs: 1, BatchSize: 700, Workers: workers, Seed: 1, MaxRows: maxRows})
	if err != nil {
		t.Fatal(err)
	}
	var l32, l64 []float64
	for _, p := range h32.Points {
		l32 = append(l32, p.Loss)
	}
	for _, p := range append(h64.Points, h64b.Points...) {
		l64 = append(l64, p.Loss)
	}
	return p32, l32, p64, l64
}

// TestTrainBitIdentical proves that the trajectory does not depend on the
// number of workers, on the kernel path, or on how many gradient rows are
// held at once: parameters and every logged loss compare equal bit for bit.
func TestTrainBitIdentical(t *testing.T) {
	t.Logf("paths compared: %v (active %s)", dispatch.Available(), dispatch.Active())
	ref32, refL32, ref64, refL64 := trainRun(t, 1, dispatch.Generic, 0)
	if len(refL32) < 4 || !(refL32[len(refL32)-1] < refL32[0]) {
		t.Fatalf("reference run did not learn: %v", refL32)
	}
	type variant struct {
		workers, maxRows int
		path             dispatch.Path
	}
	var vs []variant
	for _, w := range []int{1, 2, 8} {
		vs = append(vs, variant{w, 0, dispatch.Active()})
	}
	for _, p := range dispatch.Available() {
		vs = append(vs, variant{2, 0, p})
	}
	vs = append(vs, variant{8, 7, dispatch.Active()}, variant{1, 1, dispatch.Generic})
	for _, v := range vs {
		p32, l32, p64, l64 := trainRun(t, v.workers, v.path, v.maxRows)
		for name, ok := range map[string]bool{
			"float32 params": func() bool { _, ok := sameBits(p32, ref32); return ok }(),
			"float32 losses": func() bool { _, ok := sameBits(l32, refL32); return ok }(),
			"float64 params": func() bool { _, ok := sameBits(p64, ref64); return ok }(),
			"float64 losses": func() bool { _, ok := sameBits(l64, refL64); return ok }(),
		} {
			if !ok {
				t.Errorf("workers %d, path %s, max rows %d: %s differ from workers 1 on generic", v.workers, v.path, v.maxRows, name)
			}
		}
	}
}

func TestTrainDivergence(t *testing.T) {
	bowl, _ := NewBowl([]float64{1, 100}, nil)
	p := []float64{1, 1}
	opt, _ := NewOptimizer[float64](2, Hyper{LR: 2.02 / 100})
	h, err := Train(context.Background(), bowl, p, opt, Config{Epochs: 100000})
	var de *DivergenceError
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want a *DivergenceError", err)
	}
	if h.Stop != StopDiverged || de.Step < 1000 || de.Step >= 100000 {
		t.Errorf("stop %q at step %d (%v)", h.Stop, de.Step, err)
	}
	// A loss that turns NaN while the parameters stay finite.
	opt2, _ := NewOptimizer[float64](1, Hyper{LR: 0.1})
	_, err = Train(context.Background(), nanLoss{}, []float64{0}, opt2, Config{Epochs: 5})
	if !errors.As(err, &de) || de.What != "loss" {
		t.Errorf("NaN loss: error %v, want a *DivergenceError about the loss", err)
	}
	opt3, _ := NewOptimizer[float64](2, Hyper{LR: 0.1})
	h, err = Train(context.Background(), infGrad{}, []float64{0, 0}, opt3, Config{Epochs: 5, BatchSize: 1})
	if !errors.As(err, &de) || de.What != "parameter 1" || h.Steps > 3 || h.Stop != StopDiverged {
		t.Errorf("infinite gradient: error %v after %d steps, want a *DivergenceError about parameter 1 within an epoch", err, h.Steps)
	}
}

// infGrad has a finite loss and an infinite gradient: the parameter
// check, not the loss, must catch it.
type infGrad struct{}

func (infGrad) Dim() int                            { return 2 }
func (infGrad) Len() int                            { return 3 }
func (infGrad) Loss(p []float64, idx []int) float64 { return 0 }
func (infGrad) Gradients(p []float64, idx []int, rows []float64) {
	for j, i := range idx {
		rows[2*j], rows[2*j+1] = 0, 0
		if i == 2 {
			rows[2*j+1] = math.Inf(1)
		}
	}
}

// infBatch is a BatchProblem of 5000 parameters whose gradient is
// infinite at index 4321 (past the first blocks of a split step) for
// example 2 only.
type infBatch struct{}

func (infBatch) Dim() int                                         { return 5000 }
func (infBatch) Len() int                                         { return 3 }
func (infBatch) Loss(p []float32, idx []int) float64              { return 0 }
func (infBatch) Gradients(p []float32, idx []int, rows []float32) { panic("not used") }
func (infBatch) BatchGradient(p []float32, idx []int, grad []float32, s *Scratch[float32]) float64 {
	clear(grad)
	for _, i := range idx {
		if i == 2 {
			grad[4321] = float32(math.Inf(-1))
		}
	}
	return 0
}

// TestTrainDivergenceBatch: the batch path's step checks the parameters
// while it updates them; an infinite one stops the run with its index,
// for 1 and 2 workers (with the split forced), with the fused step and
// with clipping (the per-group step).
func TestTrainDivergenceBatch(t *testing.T) {
	defer func(v int) { parallelMin = v }(parallelMin)
	parallelMin = 0
	for _, w := range []int{1, 2} {
		for _, opts := range [][]Option{nil, {ClipNorm(1e30)}} {
			opt, _ := NewOptimizer[float32](5000, Hyper{LR: 0.1, Momentum: 0.5}, opts...)
			h, err := Train(context.Background(), infBatch{}, make([]float32, 5000), opt, Config{Epochs: 5, BatchSize: 1, Workers: w})
			var de *DivergenceError
			if !errors.As(err, &de) || de.What != "parameter 4321" || h.Steps > 3 || h.Stop != StopDiverged {
				t.Errorf("workers %d, %d options: error %v after %d steps, want a *DivergenceError about parameter 4321 within an epoch", w, len(opts), err, h.Steps)
			}
		}
	}
}

// nanLoss has a zero gradient and a loss that is NaN once a step was taken.
type nanLoss struct{}

func (nanLoss) Dim() int { return 1 }
func (nanLoss) Len() int { return 1 }
func (nanLoss) Loss(p []float64, idx []int) float64 {
	if p[0] != 0 {
		return math.NaN()
	}
	return 1
}
func (nanLoss) Gradients(p []float64, idx []int, rows []float64) { rows[0] = -1 }

func TestTrainStops(t *testing.T) {
	x, y := linearData[float64](200, 3, 0.1, 8)
	ls, _ := NewLeastSquares(x, y, 3)
	newOpt := func(lr float64) *Optimizer[float64] {
		o, _ := NewOptimizer[float64](3, Hyper{LR: lr})
		return o
	}
	// Context canceled from the progress callback after the second point.
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	h, err := Train(ctx, ls, make([]float64, 3), newOpt(0.01), Config{Epochs: 50, BatchSize: 10, Progress: func(p Progress) {
		calls++
		if p.Epochs != 50 || p.Point.Epoch != calls-1 {
			t.Errorf("progress %+v at call %d", p, calls)
		}
		if calls == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || h.Stop != StopCanceled || len(h.Points) != 2 || h.Steps != 20 {
		t.Errorf("canceled run: err %v, stop %q, %d points, %d steps; want context.Canceled after 2 points and 20 steps", err, h.Stop, len(h.Points), h.Steps)
	}
	// Target loss.
	h, err = Train(context.Background(), ls, make([]float64, 3), newOpt(0.05), Config{Epochs: 50, BatchSize: 10, EarlyStop: EarlyStop{TargetLoss: 0.1}})
	if err != nil || h.Stop != StopTarget || h.Final() > 0.1 || len(h.Points) > 20 {
		t.Errorf("target run: err %v, stop %q, final %v after %d points", err, h.Stop, h.Final(), len(h.Points))
	}
	// Plateau: LR 0 never improves, so Patience points end the run.
	h, err = Train(context.Background(), ls, make([]float64, 3), newOpt(0), Config{Epochs: 50, BatchSize: 10, EarlyStop: EarlyStop{Patience: 3}})
	if err != nil || h.Stop != StopPlateau || len(h.Points) != 4 {
		t.Errorf("plateau run: err %v, stop %q, %d points; want 4", err, h.Stop, len(h.Points))
	}
	// All epochs, with LogEvery adding points between epochs.
	h, err = Train(context.Background(), ls, make([]float64, 3), newOpt(0.01), Config{Epochs: 2, BatchSize: 30, LogEvery: 3})
	// 7 steps per epoch: points at steps 0, 3, 6, 7 (epoch), 9, 12, 14 (epoch).
	var steps []int
	for _, p := range h.Points {
		steps = append(steps, p.Step)
	}
	if err != nil || h.Stop != StopEpochs || !slices.Equal(steps, []int{0, 3, 6, 7, 9, 12, 14}) || h.Examples != 400 {
		t.Errorf("logged steps %v, examples %d, err %v; want [0 3 6 7 9 12 14] and 400", steps, h.Examples, err)
	}
	if h.ExamplesPerSec <= 0 || h.Wall <= 0 {
		t.Errorf("no throughput recorded: %+v", h)
	}
}

func TestTrainInvalid(t *testing.T) {
	x, y := linearData[float64](20, 3, 0.1, 8)
	ls, _ := NewLeastSquares(x, y, 3)
	opt, _ := NewOptimizer[float64](3, Hyper{LR: 0.1})
	opt4, _ := NewOptimizer[float64](4, Hyper{LR: 0.1})
	ok := Config{Epochs: 1, BatchSize: 5}
	for name, c := range map[string]struct {
		p   []float64
		opt *Optimizer[float64]
		cfg Config
	}{
		"no epochs":        {make([]float64, 3), opt, Config{BatchSize: 5}},
		"batch too large":  {make([]float64, 3), opt, Config{Epochs: 1, BatchSize: 21}},
		"negative batch":   {make([]float64, 3), opt, Config{Epochs: 1, BatchSize: -1}},
		"short params":     {make([]float64, 2), opt, ok},
		"optimizer dim":    {make([]float64, 3), opt4, ok},
		"nil optimizer":    {make([]float64, 3), nil, ok},
		"bad schedule":     {make([]float64, 3), opt, Config{Epochs: 1, Schedule: Cosine(1, 0, 0)}},
		"negative workers": {make([]float64, 3), opt, Config{Epochs: 1, Workers: -1}},
		"bad start":        {make([]float64, 3), opt, Config{Epochs: 1, BatchSize: 5, Start: SamplerState{0, 4}}},
		"NaN target":       {make([]float64, 3), opt, Config{Epochs: 1, EarlyStop: EarlyStop{TargetLoss: math.NaN()}}},
	} {
		if _, err := Train(context.Background(), ls, c.p, c.opt, c.cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if opt.Steps() != 0 {
		t.Errorf("rejected runs took %d steps", opt.Steps())
	}
	if _, err := Train[float64](context.Background(), nil, nil, opt, ok); err == nil {
		t.Error("nil problem accepted")
	}
}

// TestTrainBadCheckpointPath: an unusable CheckpointPath is an error
// before the first step, not after the first epoch.
func TestTrainBadCheckpointPath(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "missing", "c.ckpt"), dir} {
		prob := panicky{badGrad: 0} // any gradient call panics
		opt, _ := NewOptimizer[float64](64, Hyper{LR: 0.1})
		h, err := Train(context.Background(), prob, make([]float64, 64), opt, Config{Epochs: 1, BatchSize: 10, CheckpointPath: path})
		var pe *PanicError
		if err == nil || errors.As(err, &pe) || !strings.Contains(err.Error(), "CheckpointPath") || h.Steps != 0 || opt.Steps() != 0 {
			t.Errorf("CheckpointPath %s: error %v after %d steps; want an error about CheckpointPath before any step", path, err, h.Steps)
		}
	}
}
