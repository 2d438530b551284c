package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image/color"
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/internal/demo"
)

// The batch sizes of `downhill batchsize`.
var (
	throughputBatches = []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}
	curveBatches      = []int{1, 8, 64, 512, 4096}
	varianceBatches   = []int{1, 4, 16, 64, 256, 1024, 4096}
)

const (
	curveEpochs   = 4
	varianceDraws = 16
	varianceRows  = 8192
)

func batchSizeCommand() command {
	var (
		out, data string
		asJSON    bool
		examples  int
		workers   int
	)
	return command{
		name:    "batchsize",
		args:    "[flags]",
		summary: "batch size on MNIST: throughput, loss per example, gradient variance",
		detail: fmt.Sprintf(`Trains softmax regression on the first -examples MNIST training images
with sgd.Train at batch sizes 1 to 4096 (internal/demo, batch.go) and
measures:

  throughput   examples/s and seconds per step (wall clock, the fastest
               of 3 runs of half the images: these change from run to
               run; loss evaluations are not counted)
  loss curves  the training loss against examples seen (exact: the same
               on every machine) and against seconds, for batches %v,
               %d epochs each, the same lr %v and momentum %v
  variance     the mean squared distance of the mini-batch gradient from
               the full gradient at the weights of the batch-64 run,
               against (N-B)/(N-1)·σ²/B (batches drawn without replacement)

With -out, draws batchsize.png there. With -json, prints every number.`,
			curveBatches, curveEpochs, demo.BatchLR, demo.BatchMomentum),
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.StringVar(&out, "out", "", "write batchsize.png into this `dir`ectory (created if missing); none without it")
			fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of the summary")
			fs.IntVar(&examples, "examples", 16384, "training images used (the first N)")
			fs.IntVar(&workers, "workers", 0, "goroutines computing gradients (0: one per core)")
			fs.StringVar(&data, "data", "", "`dir`ectory with the MNIST IDX files (default: the GoMNIST module)")
			return func(e *env) error { return runBatchSize(e, out, data, asJSON, examples, workers) }
		},
	}
}

type batchSizeReport struct {
	CPU        string            `json:"cpu"`
	Examples   int               `json:"examples"`
	Throughput []demo.Throughput `json:"throughput"`
	Curves     []demo.LossCurve  `json:"loss_curves"`
	Variance   []demo.Variance   `json:"gradient_variance"`
	Pictures   []string          `json:"pictures,omitempty"`
}

func runBatchSize(e *env, out, data string, asJSON bool, examples, workers int) error {
	if examples < 4096 {
		return usagef("-examples %d: want at least 4096 (the largest batch)", examples)
	}
	if workers < 0 {
		return usagef("-workers %d: want 0 (one per core) or more", workers)
	}
	dir, err := mnistDir(data, e.errw)
	if err != nil {
		return err
	}
	train, _, err := demo.MNIST(dir)
	if err != nil {
		return err
	}
	d := train.Head(examples)
	rep := batchSizeReport{CPU: cpuName(), Examples: len(d.Labels)}
	if rep.Throughput, err = demo.MeasureThroughput(d, throughputBatches, len(d.Labels)/2, workers, 3); err != nil {
		return err
	}
	if rep.Curves, err = demo.LossCurves(d, curveBatches, curveEpochs, workers); err != nil {
		return err
	}
	var at []float32
	for _, c := range rep.Curves {
		if c.Batch == 64 {
			at = c.Params
		}
	}
	if rep.Variance, err = demo.GradientVariance(d, at, varianceBatches, varianceDraws, varianceRows, 1); err != nil {
		return err
	}
	pics := &pictures{out: out}
	f, err := pics.file("batchsize.png")
	if err != nil {
		return err
	}
	if f != "" {
		if err := drawBatchSize(f, &rep); err != nil {
			return err
		}
	}
	rep.Pictures = pics.names
	if asJSON {
		return json.NewEncoder(e.out).Encode(rep)
	}
	fmt.Fprintf(e.out, "Softmax regression on %d MNIST images, %s (wall clock, this run):\n", rep.Examples, rep.CPU)
	for _, t := range rep.Throughput {
		fmt.Fprintf(e.out, "  batch %4d  %8.0f examples/s  %9.3g s/step\n", t.Batch, t.ExamplesPerSec, t.SecondsPerStep)
	}
	fmt.Fprintf(e.out, "Training loss after %d epochs (lr %v, momentum %v; exact):\n", curveEpochs, demo.BatchLR, demo.BatchMomentum)
	for _, c := range rep.Curves {
		fmt.Fprintf(e.out, "  batch %4d  %5d steps  loss %.4f  (%.2fs)\n", c.Batch, c.Steps, c.Final, c.Seconds[len(c.Seconds)-1])
	}
	fmt.Fprintf(e.out, "Mini-batch gradient variance (measured / predicted σ²/B·(N-B)/(N-1)):\n")
	for _, v := range rep.Variance {
		fmt.Fprintf(e.out, "  batch %4d  %.4g / %.4g = %.3f  (%d draws)\n", v.Batch, v.Measured, v.Predicted, v.Measured/v.Predicted, v.Draws)
	}
	for _, p := range pics.names {
		fmt.Fprintf(e.out, "wrote %s\n", p)
	}
	return nil
}

// cpuName names the machine the throughput was measured on.
func cpuName() string {
	return fmt.Sprintf("%s, %d threads, %s path", strings.TrimSpace(cpuid.CPU.BrandName), runtime.GOMAXPROCS(0), dispatch.Active())
}

var curveColours = []color.Color{red, orange, green, blue, grey}

func drawBatchSize(file string, rep *batchSizeReport) error {
	log2 := func(p *plot.Plot) {
		p.X.Scale = plot.LogScale{}
		var t []plot.Tick
		for b := 1; b <= 4096; b *= 4 {
			t = append(t, plot.Tick{Value: float64(b), Label: fmt.Sprint(b)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(t)
	}
	var bs, eps, sps []float64
	for _, t := range rep.Throughput {
		bs, eps, sps = append(bs, float64(t.Batch)), append(eps, t.ExamplesPerSec), append(sps, t.SecondsPerStep)
	}
	pt := newPlot("Throughput (measured: "+rep.CPU+")", "batch size", "examples per second")
	log2(pt)
	if err := addPoints(pt, "", blue, bs, eps); err != nil {
		return err
	}
	pt.Y.Min = 0
	ps := newPlot("Time per step (measured)", "batch size", "seconds per step")
	log2(ps)
	setLog(&ps.Y)
	if err := addPoints(ps, "", blue, bs, sps); err != nil {
		return err
	}
	pv := newPlot("Mini-batch gradient variance", "batch size", "E|g_B - g|²")
	log2(pv)
	setLog(&pv.Y)
	var vb, vm, vp []float64
	for _, v := range rep.Variance {
		vb, vm, vp = append(vb, float64(v.Batch)), append(vm, v.Measured), append(vp, v.Predicted)
	}
	if err := addLine(pv, "σ²/B·(N-B)/(N-1)", grey, true, vb, vp); err != nil {
		return err
	}
	if err := addPoints(pv, "measured", blue, vb, vm); err != nil {
		return err
	}
	pv.Legend.Top, pv.Legend.Left = false, true

	pe := newPlot(fmt.Sprintf("Loss per example seen (lr %v, momentum %v)", demo.BatchLR, demo.BatchMomentum), "examples seen", "training loss")
	pw := newPlot("Loss per second (measured)", "seconds of training", "training loss")
	setLog(&pe.Y)
	setLog(&pw.Y)
	for i, c := range rep.Curves {
		name := fmt.Sprintf("batch %d", c.Batch)
		if err := addLogLine(pe, name, curveColours[i%len(curveColours)], false, c.Examples, c.Loss); err != nil {
			return err
		}
		// The first point (before any step) is at 0 s: the x axis is linear.
		if err := addLogLine(pw, name, curveColours[i%len(curveColours)], false, c.Seconds, c.Loss); err != nil {
			return err
		}
	}
	// Room above the curves for the legend.
	top := 0.0
	for _, c := range rep.Curves {
		for _, l := range c.Loss {
			top = max(top, l)
		}
	}
	pe.Y.Max, pw.Y.Max = 8*top, 8*top
	pe.Legend.Left, pw.Legend.Left = false, false
	pf := newPlot(fmt.Sprintf("Loss after %d epochs", curveEpochs), "batch size", "training loss")
	log2(pf)
	var fb, fl []float64
	for _, c := range rep.Curves {
		fb, fl = append(fb, float64(c.Batch)), append(fl, c.Final)
	}
	if err := addPoints(pf, "", blue, fb, fl); err != nil {
		return err
	}
	pf.Y.Min = 0
	return savePNGGrid(file, 36*vg.Centimeter, 20*vg.Centimeter, 2, []*plot.Plot{pt, ps, pv, pe, pw, pf})
}

// savePNGGrid renders the plots in `rows` rows, left to right then top to
// bottom, into a PNG file.
func savePNGGrid(path string, w, h vg.Length, rows int, plots []*plot.Plot) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	cols := (len(plots) + rows - 1) / rows
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 6, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	for i, p := range plots {
		p.Draw(tiles.At(dc, i%cols, i/cols))
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("rendering %s: %w", path, err)
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
