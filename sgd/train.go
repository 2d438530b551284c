package sgd

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
	"unsafe"

	"github.com/downhill-go/downhill/internal/atomicfile"
)

// Config describes a training run of Train.
type Config struct {
	// Epochs is the epoch to stop at, counted from epoch 0: a run resumed
	// at epoch 2 with Epochs 5 trains epochs 2, 3 and 4. Must be > 0 and
	// greater than Start.Epoch (Train refuses a run with nothing to train).
	Epochs int
	// BatchSize is the number of examples per step, 1 (pure SGD) to Len();
	// 0 means the full batch (gradient descent).
	BatchSize int
	// Workers is the number of goroutines computing gradient rows (or the
	// output blocks of a BatchProblem, and the elementwise optimizer
	// step) and losses; 0 means runtime.GOMAXPROCS(0). The results do not
	// depend on it.
	Workers int
	// Seed and DropLast configure the Sampler.
	Seed     uint64
	DropLast bool
	// Schedule scales the learning rate of step k by Schedule.At(k), with k
	// the optimizer's step count (the zero Schedule is the constant 1).
	Schedule Schedule
	// Progress, if not nil, is called at every logged point.
	Progress func(Progress)
	// LogEvery > 0 logs the training loss every LogEvery steps as well as
	// at the end of every epoch.
	LogEvery int
	// FullLoss makes every logged training loss the mean loss over all
	// examples (one extra pass over the data per logged point). Otherwise
	// a problem with BatchGradient logs the running mean of the mini-batch
	// losses since the previous point (free; before the first step, the
	// loss of the first mini-batch); other problems take the full pass.
	FullLoss bool
	// Validation, if not nil, is a Problem[F] of the same Dim (the model
	// on held-out examples): every logged point records its mean loss and,
	// if it is a Scorer, its accuracy, and EarlyStop then watches the
	// validation loss instead of the training loss.
	Validation any
	// EarlyStop stops before Epochs on a target loss or a plateau.
	EarlyStop EarlyStop
	// Start is the sampler position to begin at (a checkpoint's); the zero
	// value is the beginning of epoch 0.
	Start SamplerState
	// CheckpointPath, if not empty, receives a checkpoint (SaveCheckpoint)
	// every CheckpointEvery epochs (default 1), after the last epoch, and
	// when training stops early or the context ends (so an interrupted run
	// can be resumed). Train checks that it can be written before the
	// first step.
	CheckpointPath  string
	CheckpointEvery int
	// CheckpointMeta, if not nil, is stored verbatim in every checkpoint
	// Train writes (Checkpoint.Meta), for the application's own settings.
	CheckpointMeta []byte
	// MaxRows bounds the gradient rows held in memory at once (default:
	// 64 MiB worth). Larger batches are summed in pieces, with the same bits.
	MaxRows int

	// startExamples is the example count of the checkpoint Restore took
	// Start from (0 without one): Train refuses a problem of another Len.
	startExamples int
}

// EarlyStop holds the early-stopping rules, checked at every logged point.
type EarlyStop struct {
	// TargetLoss, if not 0, stops training once the loss is <= TargetLoss.
	TargetLoss float64
	// Patience, if > 0, stops training when Patience logged points in a
	// row have not improved the best loss so far by more than MinDelta.
	Patience int
	MinDelta float64
}

// Point is one logged point of a training run.
type Point struct {
	Epoch    int           // epochs completed
	Step     int           // optimizer steps taken
	Examples int64         // examples seen in this run
	Loss     float64       // training loss (see Config.FullLoss)
	LRScale  float64       // schedule value for the next step
	Elapsed  time.Duration // since Train started

	// ValLoss and ValAccuracy are those of Config.Validation (NaN without
	// one; ValAccuracy NaN unless the validation problem is a Scorer).
	ValLoss, ValAccuracy float64
}

// Progress is what Config.Progress receives.
type Progress struct {
	Point
	Epochs         int     // Config.Epochs
	ExamplesPerSec float64 // training throughput so far, loss evaluations excluded
}

// History is the record of a training run.
type History struct {
	Points         []Point // Points[0] is before the first step
	Steps          int     // steps taken in this run
	Examples       int64   // examples (gradient rows) processed in this run
	Wall           time.Duration
	Eval           time.Duration // part of Wall spent computing the logged losses
	ExamplesPerSec float64       // Examples / (Wall - Eval): training throughput
	Stop           StopReason
}

// StopReason says why Train returned.
type StopReason string

const (
	StopEpochs   StopReason = "epochs done"
	StopTarget   StopReason = "target loss reached"
	StopPlateau  StopReason = "loss plateaued"
	StopCanceled StopReason = "context done"
	StopDiverged StopReason = "diverged"
	StopError    StopReason = "error"
)

// Final returns the last logged loss (NaN for an empty history).
func (h History) Final() float64 {
	if len(h.Points) == 0 {
		return math.NaN()
	}
	return h.Points[len(h.Points)-1].Loss
}

// DivergenceError reports that the loss or a parameter became NaN or
// infinite; Train returns it (as *DivergenceError) with the history so far.
type DivergenceError struct {
	Epoch, Step int
	Loss        float64 // the last loss computed (may be finite if a parameter overflowed first)
	What        string  // "loss" or "parameter i"
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("sgd: diverged at step %d (epoch %d): %s is not finite (loss %v)", e.Step, e.Epoch, e.What, e.Loss)
}

// lossChunk is the number of examples per Loss call when Train evaluates
// the training loss; it is fixed so that the sum is the same for any
// number of workers.
const lossChunk = 2048

// Train minimizes problem over params (len problem.Dim(), updated in
// place) with opt, for cfg.Epochs epochs of mini-batches. It returns the
// history and nil, or the history so far and the error that stopped it: a
// *DivergenceError, a *PanicError (a panic in the problem's Gradients or
// Loss, recovered in whichever goroutine ran it), ctx.Err(), a checkpoint
// error, or an error about invalid arguments before any step.
func Train[F Float](ctx context.Context, problem Problem[F], params []F, opt *Optimizer[F], cfg Config) (History, error) {
	t := &trainer[F]{problem: problem, params: params, opt: opt, cfg: cfg}
	if err := t.setup(); err != nil {
		return History{Stop: StopError}, err
	}
	defer t.batch.scratch.stop()
	return t.run(ctx)
}

type trainer[F Float] struct {
	problem Problem[F]
	params  []F
	opt     *Optimizer[F]
	cfg     Config
	sampler *Sampler
	dim     int
	workers int
	maxRows int
	rows    []F   // (maxRows+1) x dim: a carry row and the gradient rows
	carry   []F   // the running sum of a batch split in pieces
	all     []int // 0..n-1, sliced for loss evaluation
	losses  []float64
	zeros   []F // zeros, for nonFiniteParam
	start   time.Time
	hist    History
	best    float64
	stale   int
	batch   batchState[F] // the BatchProblem path (batchtrain.go)
	// finiteKnown: the last step found every parameter finite (the
	// batch path checks while it updates; nonFiniteParam need not look)
	finiteKnown bool
	val         Problem[F] // Config.Validation (validation.go)
}

func (t *trainer[F]) setup() error {
	if t.problem == nil || t.opt == nil {
		return fmt.Errorf("sgd: Train: nil problem or optimizer")
	}
	t.dim = t.problem.Dim()
	n := t.problem.Len()
	cfg := &t.cfg
	switch {
	case t.dim <= 0 || n <= 0:
		return fmt.Errorf("sgd: Train: empty problem (Dim %d, Len %d)", t.dim, n)
	case len(t.params) != t.dim:
		return fmt.Errorf("sgd: Train: len(params)=%d != problem.Dim()=%d", len(t.params), t.dim)
	case t.opt.Dim() != t.dim:
		return fmt.Errorf("sgd: Train: optimizer dimension %d != problem.Dim()=%d", t.opt.Dim(), t.dim)
	case cfg.Epochs <= 0:
		return fmt.Errorf("sgd: Train: Epochs %d must be > 0", cfg.Epochs)
	case cfg.Start.Epoch >= cfg.Epochs:
		return fmt.Errorf("sgd: Train: the run starts at epoch %d (Config.Start, from a checkpoint), so Epochs %d leaves nothing to train: raise Epochs to continue", cfg.Start.Epoch, cfg.Epochs)
	case cfg.startExamples != 0 && cfg.startExamples != n:
		return fmt.Errorf("sgd: Train: the checkpoint was written for %d examples, the problem has %d: resume on the same data", cfg.startExamples, n)
	case cfg.BatchSize < 0 || cfg.BatchSize > n:
		return fmt.Errorf("sgd: Train: BatchSize %d must be in [1, %d] (or 0 for the full batch)", cfg.BatchSize, n)
	case cfg.Workers < 0 || cfg.LogEvery < 0 || cfg.CheckpointEvery < 0 || cfg.MaxRows < 0 || cfg.EarlyStop.Patience < 0:
		return fmt.Errorf("sgd: Train: Workers, LogEvery, CheckpointEvery, MaxRows and EarlyStop.Patience must be >= 0")
	case math.IsNaN(cfg.EarlyStop.TargetLoss) || !finite(cfg.EarlyStop.MinDelta) || cfg.EarlyStop.MinDelta < 0:
		return fmt.Errorf("sgd: Train: invalid EarlyStop %+v", cfg.EarlyStop)
	}
	if err := cfg.Schedule.Err(); err != nil {
		return err
	}
	if len(cfg.CheckpointMeta) > MaxCheckpointMeta {
		return fmt.Errorf("sgd: Train: CheckpointMeta has %d bytes, more than %d", len(cfg.CheckpointMeta), MaxCheckpointMeta)
	}
	if cfg.CheckpointPath != "" {
		if err := atomicfile.CheckCreatable(cfg.CheckpointPath); err != nil {
			return fmt.Errorf("sgd: Train: CheckpointPath: cannot write a checkpoint there: %w", err)
		}
	}
	batch := cfg.BatchSize
	if batch == 0 {
		batch = n
	}
	s, err := NewSampler(n, batch, cfg.DropLast, cfg.Seed)
	if err != nil {
		return err
	}
	if err := s.SetState(cfg.Start); err != nil {
		return err
	}
	t.sampler = s
	t.workers = cfg.Workers
	if t.workers == 0 {
		t.workers = runtime.GOMAXPROCS(0)
	}
	t.maxRows = cfg.MaxRows
	if t.maxRows == 0 {
		var z F
		t.maxRows = max(1, (64<<20)/(t.dim*int(unsafe.Sizeof(z))))
	}
	t.maxRows = min(t.maxRows, batch)
	t.rows = make([]F, (t.maxRows+1)*t.dim)
	if t.maxRows < batch {
		t.carry = make([]F, t.dim)
	}
	t.all = make([]int, n)
	for i := range t.all {
		t.all[i] = i
	}
	t.losses = make([]float64, (n+lossChunk-1)/lossChunk)
	if cfg.CheckpointEvery == 0 {
		t.cfg.CheckpointEvery = 1
	}
	t.best = math.Inf(1)
	t.setupBatch()
	return t.setupValidation()
}

func (t *trainer[F]) run(ctx context.Context) (History, error) {
	t.start = time.Now()
	if err := t.opt.SetLRScale(t.cfg.Schedule.At(t.opt.Steps())); err != nil {
		return t.finish(StopError), err
	}
	if stop, err := t.log(); stop != "" || err != nil {
		return t.finish(stop), err
	}
	for t.sampler.Epoch() < t.cfg.Epochs {
		select {
		case <-ctx.Done():
			err := ctx.Err()
			if t.cfg.CheckpointPath != "" {
				if cerr := t.checkpoint(); cerr != nil {
					err = errors.Join(err, cerr)
				}
			}
			return t.finish(StopCanceled), err
		default:
		}
		batch := t.sampler.Next()
		if err := t.step(batch); err != nil {
			return t.finish(StopError), err
		}
		t.hist.Steps++
		t.hist.Examples += int64(len(batch))
		if err := t.opt.SetLRScale(t.cfg.Schedule.At(t.opt.Steps())); err != nil {
			return t.finish(StopError), err
		}
		if i := t.nonFiniteParam(); i >= 0 {
			return t.finish(StopDiverged), &DivergenceError{
				Epoch: t.epochsDone(), Step: t.opt.Steps(), Loss: t.lastLoss(),
				What: fmt.Sprintf("parameter %d", i),
			}
		}
		epochEnd := t.sampler.State().Pos == 0
		if !epochEnd && !(t.cfg.LogEvery > 0 && t.opt.Steps()%t.cfg.LogEvery == 0) {
			continue
		}
		stop, err := t.log()
		if err == nil && t.cfg.CheckpointPath != "" &&
			(stop != "" || epochEnd && (t.epochsDone()%t.cfg.CheckpointEvery == 0 || t.epochsDone() == t.cfg.Epochs)) {
			err = t.checkpoint()
		}
		if stop != "" || err != nil {
			if stop == "" {
				stop = StopError
			}
			return t.finish(stop), err
		}
	}
	return t.finish(StopEpochs), nil
}

func (t *trainer[F]) epochsDone() int { return t.sampler.Epoch() }

func (t *trainer[F]) lastLoss() float64 {
	if len(t.hist.Points) == 0 {
		return math.NaN()
	}
	return t.hist.Points[len(t.hist.Points)-1].Loss
}

func (t *trainer[F]) finish(r StopReason) History {
	t.hist.Stop = r
	t.hist.Wall = time.Since(t.start)
	if s := (t.hist.Wall - t.hist.Eval).Seconds(); s > 0 {
		t.hist.ExamplesPerSec = float64(t.hist.Examples) / s
	}
	return t.hist
}

// step computes the gradient rows of batch and applies one optimizer step.
// Batches larger than maxRows are summed piece by piece: each piece is
// preceded by the running sum (the carry row), so that SumRows adds the
// rows in exactly the order of one BatchMomentumStep over the whole batch.
func (t *trainer[F]) step(batch []int) error {
	if t.batch.p != nil {
		return t.batchStep(batch)
	}
	d, b := t.dim, len(batch)
	carry := 0 // 1 once rows[0:d] holds the running sum
	for lo := 0; ; {
		hi := min(lo+t.maxRows, b)
		rows := t.rows[(1-carry)*d : (1+hi-lo)*d]
		if err := t.gradients(batch[lo:hi], rows[carry*d:]); err != nil {
			return err
		}
		if hi == b {
			return t.opt.StepBatch(t.params, rows, F(1/float64(b)))
		}
		// SumRows may not write into its own source: sum aside, then copy.
		t.opt.k.SumRows(t.carry, 1, rows)
		copy(t.rows[:d], t.carry)
		carry, lo = 1, hi
	}
}

// gradients fills rows with the gradient rows of idx, split among the
// workers in contiguous pieces. A panic in Problem.Gradients is recovered
// in the goroutine that ran it and returned as a *PanicError.
func (t *trainer[F]) gradients(idx []int, rows []F) error {
	d := t.dim
	w := min(t.workers, len(idx))
	if w <= 1 || len(idx)*d < 1<<12 {
		return guard("Gradients", func() { t.problem.Gradients(t.params, idx, rows) })
	}
	errs := make([]error, w)
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := i*len(idx)/w, (i+1)*len(idx)/w
		wg.Go(func() {
			errs[i] = guard("Gradients", func() { t.problem.Gradients(t.params, idx[lo:hi], rows[lo*d:hi*d]) })
		})
	}
	wg.Wait()
	return firstError(errs)
}

// loss returns the mean loss over all examples, summed over fixed chunks
// in order (the same bits for any number of workers). A panic in
// Problem.Loss is returned as a *PanicError.
func (t *trainer[F]) loss() (float64, error) {
	n := len(t.all)
	chunk := func(c int) error {
		return guard("Loss", func() {
			lo, hi := c*lossChunk, min((c+1)*lossChunk, n)
			t.losses[c] = float64(t.problem.Loss(t.params, t.all[lo:hi]) * float64(hi-lo))
		})
	}
	w := min(t.workers, len(t.losses))
	errs := make([]error, max(w, 1))
	if w <= 1 {
		for c := range t.losses {
			if errs[0] = chunk(c); errs[0] != nil {
				break
			}
		}
	} else {
		var wg sync.WaitGroup
		for i := range w {
			wg.Go(func() {
				for c := i; c < len(t.losses) && errs[i] == nil; c += w {
					errs[i] = chunk(c)
				}
			})
		}
		wg.Wait()
	}
	if err := firstError(errs); err != nil {
		return math.NaN(), err
	}
	s := 0.0
	for _, l := range t.losses {
		s += l
	}
	return s / float64(n), nil
}

// guard runs f, a call of the Problem's method, and turns a panic into a
// *PanicError.
func guard(method string, f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Method: method, Value: r, Stack: debug.Stack()}
		}
	}()
	f()
	return nil
}

// firstError returns the error of the lowest-numbered worker that failed,
// so that the error does not depend on scheduling when several fail.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// log records a point and applies the early-stopping rules.
func (t *trainer[F]) log() (StopReason, error) {
	t0 := time.Now()
	l, err := t.trainLoss()
	if err != nil {
		t.hist.Eval += time.Since(t0)
		return StopError, err
	}
	p := Point{
		Epoch: t.epochsDone(), Step: t.opt.Steps(), Examples: t.hist.Examples,
		Loss: l, LRScale: t.opt.LRScale(),
	}
	err = t.validate(&p)
	t.hist.Eval += time.Since(t0)
	if err != nil {
		return StopError, err
	}
	p.Elapsed = time.Since(t.start)
	t.hist.Points = append(t.hist.Points, p)
	if t.cfg.Progress != nil {
		pr := Progress{Point: p, Epochs: t.cfg.Epochs}
		if s := (p.Elapsed - t.hist.Eval).Seconds(); s > 0 {
			pr.ExamplesPerSec = float64(p.Examples) / s
		}
		// The callback's time (a user's test-set evaluation, a plot) is
		// not training: it counts as evaluation, like the logged loss.
		t1 := time.Now()
		t.cfg.Progress(pr)
		t.hist.Eval += time.Since(t1)
	}
	if !finite(l) {
		return StopDiverged, &DivergenceError{Epoch: p.Epoch, Step: p.Step, Loss: l, What: "loss"}
	}
	es, l := t.cfg.EarlyStop, t.stopLoss(&p)
	if es.TargetLoss != 0 && l <= es.TargetLoss {
		return StopTarget, nil
	}
	if l < t.best-es.MinDelta {
		t.best, t.stale = l, 0
	} else if len(t.hist.Points) > 1 {
		t.stale++
		if es.Patience > 0 && t.stale >= es.Patience {
			return StopPlateau, nil
		}
	}
	return "", nil
}

func (t *trainer[F]) checkpoint() error {
	c := &Checkpoint[F]{
		Params:   t.params,
		Velocity: t.opt.Velocity(),
		Steps:    t.opt.Steps(),
		Fresh:    t.opt.fresh,
		LRScale:  t.opt.LRScale(),
		Sampler:  t.sampler.State(),
		Examples: t.sampler.Len(),
		Batch:    t.sampler.BatchSize(),
		DropLast: t.cfg.DropLast,
		Seed:     t.cfg.Seed,
		Meta:     t.cfg.CheckpointMeta,
	}
	return SaveCheckpoint(t.cfg.CheckpointPath, c)
}

// nonFiniteParam returns the index of the first NaN or infinite
// parameter, or -1. It runs after every step, so it asks the optimizer's
// kernels first: Dot(params, 0) is a sum of products that are ±0 for a
// finite parameter and NaN for an infinite or NaN one, so it is 0 exactly
// when every parameter is finite (one vector pass instead of a scalar
// loop); only then does it look for the index. A batch step has already
// made that check block by block while it updated (finiteKnown).
func (t *trainer[F]) nonFiniteParam() int {
	if t.finiteKnown {
		t.finiteKnown = false
		return -1
	}
	if len(t.zeros) != len(t.params) {
		t.zeros = make([]F, len(t.params))
	}
	if d := t.opt.k.Dot(t.params, t.zeros); d == 0 {
		return -1
	}
	return nonFinite(t.params)
}

// nonFinite returns the index of the first NaN or infinite element, or -1.
func nonFinite[F Float](x []F) int {
	for i, v := range x {
		if v-v != 0 {
			return i
		}
	}
	return -1
}

// PanicError reports a panic in a method of the Problem (Gradients or
// Loss), recovered in whichever goroutine ran it; Train returns it with
// the history so far and StopError, whatever the number of workers.
type PanicError struct {
	Method string // "Gradients" or "Loss"
	Value  any    // the value passed to panic
	Stack  []byte // the stack of the panicking goroutine
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("sgd: Train: Problem.%s panicked: %v", e.Method, e.Value)
}
