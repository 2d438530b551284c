package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/internal/idx"
)

// runCmd runs the command line and returns its exit status and outputs.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(args, &out, &errw)
	return code, out.String(), errw.String()
}

func TestUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string // in stdout+stderr
	}{
		{nil, 2, "usage:"},
		{[]string{"help"}, 0, "downhill train"},
		{[]string{"-h"}, 0, "downhill bowl"},
		{[]string{"help", "train"}, 0, "-epochs"},
		{[]string{"help", "nope"}, 2, `unknown command "nope"`},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"train", "-h"}, 0, "-checkpoint"},
		{[]string{"train", "-epochs"}, 2, "flag needs an argument"},
		{[]string{"train", "-epochs", "x"}, 2, "invalid value"},
		{[]string{"train", "-bogus"}, 2, "flag provided but not defined"},
		{[]string{"train", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"train", "-epochs", "0"}, 2, "-epochs 0"},
		{[]string{"train", "-batch", "-3"}, 2, "-batch -3"},
		{[]string{"train", "-lr", "NaN"}, 2, "-lr NaN"},
		{[]string{"train", "-lr", "0"}, 2, "-lr 0"},
		{[]string{"train", "-momentum", "1"}, 2, "-momentum 1"},
		{[]string{"train", "-schedule", "linear"}, 2, `-schedule "linear"`},
		{[]string{"train", "-workers", "-1"}, 2, "-workers -1"},
		{[]string{"train", "-plot", "curves.svg"}, 2, "must end in .png"},
		{[]string{"bench", "-sizes", "12XB"}, 2, "bad size"},
		{[]string{"bench", "-sizes", "1B"}, 2, "out of range"},
		{[]string{"bench", "-type", "int8"}, 2, "unknown element type"},
		{[]string{"bench", "-time", "0s"}, 2, "-time 0s"},
		{[]string{"cpu", "x"}, 2, "unexpected argument"},
	}
	for _, c := range cases {
		code, out, errw := runCmd(t, c.args...)
		if code != c.code {
			t.Errorf("%q: exit %d, want %d\n%s%s", c.args, code, c.code, out, errw)
		}
		if !strings.Contains(out+errw, c.want) {
			t.Errorf("%q: output does not mention %q:\n%s%s", c.args, c.want, out, errw)
		}
		if code == 2 && len(c.args) > 0 && c.args[0] != "help" && c.args[0] != "nope" && !strings.Contains(errw, "usage: downhill") {
			t.Errorf("%q: a command-line error without the command's usage:\n%s", c.args, errw)
		}
	}
}

func TestCPU(t *testing.T) {
	code, out, errw := runCmd(t, "cpu")
	if code != 0 || !strings.Contains(out, "Active:") || !strings.Contains(out, "generic") {
		t.Fatalf("exit %d\n%s%s", code, out, errw)
	}
}

func TestBenchJSON(t *testing.T) {
	code, out, errw := runCmd(t, "bench", "-json", "-time", "1ms", "-samples", "3", "-sizes", "256B,1KiB", "-type", "float32,float64")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var res struct {
		Active  string
		Results []benchResult
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	paths := map[string]bool{}
	for _, r := range res.Results {
		paths[r.Path] = true
		if !(r.GBs > 0) || r.Samples != 3 || !(r.Spread >= 0) || r.Noisy != (r.Spread > noisySpread) {
			t.Errorf("%+v: want a speed, 3 samples, their spread and the noisy flag", r)
		}
	}
	// 7 kernels x 2 types x 2 sizes on every available path.
	if len(res.Results) != 28*len(paths) || !paths["generic"] || !paths[res.Active] {
		t.Errorf("%d results on paths %v (active %s)", len(res.Results), paths, res.Active)
	}
	code, out, _ = runCmd(t, "bench", "-time", "1ms", "-sizes", "64B", "-type", "float32")
	if code != 0 || !strings.Contains(out, "BatchMomentumStep") || !strings.Contains(out, "generic") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

// writeDigits writes a tiny learnable MNIST-like set to dir: 28x28 images
// whose label is the brightest of the first ten pixels.
func writeDigits(t *testing.T, dir string, nTrain, nTest int) {
	t.Helper()
	write := func(name string, a *idx.Array) {
		var b bytes.Buffer
		if err := idx.Write(&b, a); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seed := uint32(1)
	for _, s := range []struct {
		images, labels string
		n              int
	}{{idx.TrainImages, idx.TrainLabels, nTrain}, {idx.TestImages, idx.TestLabels, nTest}} {
		img := &idx.Array{Dims: []int{s.n, 28, 28}, Data: make([]byte, s.n*784)}
		lbl := &idx.Array{Dims: []int{s.n}, Data: make([]byte, s.n)}
		for i := range s.n {
			l := i % 10
			lbl.Data[i] = byte(l)
			for j := range 784 {
				seed = seed*1664525 + 1013904223
				img.Data[i*784+j] = byte(seed >> 26) // 0..63: noise
			}
			img.Data[i*784+l] = 255
		}
		write(s.images, img)
		write(s.labels, lbl)
	}
}

func TestTrainJSON(t *testing.T) {
	dir := t.TempDir()
	writeDigits(t, dir, 500, 100)
	plot := filepath.Join(dir, "curves.png")
	ck := filepath.Join(dir, "ck")
	prof := filepath.Join(dir, "cpu.prof")
	code, out, errw := runCmd(t, "train", "-data", dir, "-epochs", "2", "-batch", "10", "-warmup", "5",
		"-json", "-plot", plot, "-checkpoint", ck, "-cpuprofile", prof)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	if b, err := os.ReadFile(prof); err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("-cpuprofile: %v, %d bytes, want a gzipped profile", err, len(b))
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"test_accuracy", "train_loss", "epochs", "seconds", "examples_per_second", "path"} {
		if _, ok := res[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
	if acc := res["test_accuracy"].(float64); acc < 0.9 {
		t.Errorf("test accuracy %v on an easy problem", acc)
	}
	if res["epochs"].(float64) != 2 || res["train_examples"].(float64) != 500 {
		t.Errorf("epochs %v, train examples %v", res["epochs"], res["train_examples"])
	}
	if h := res["history"].([]any); len(h) != 3 {
		t.Errorf("%d history points, want 3 (start and 2 epochs)", len(h))
	}
	f, err := os.Open(plot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("-plot: %v", err)
	}

	// Resuming the 2-epoch checkpoint for a third epoch.
	code, out, errw = runCmd(t, "train", "-data", dir, "-epochs", "3", "-batch", "10", "-warmup", "5", "-resume", ck, "-json")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errw)
	}
	var res2 trainResult
	if err := json.Unmarshal([]byte(out), &res2); err != nil {
		t.Fatal(err)
	}
	if len(res2.History) != 2 || res2.History[0].Epoch != 2 || res2.TestAccuracy < 0.9 {
		t.Errorf("resume: history %+v, accuracy %v", res2.History, res2.TestAccuracy)
	}
	// A checkpoint of another batch size is refused.
	code, _, errw = runCmd(t, "train", "-data", dir, "-epochs", "3", "-batch", "20", "-resume", ck)
	if code != 1 || !strings.Contains(errw, "-batch 20") {
		t.Errorf("resume with another batch: exit %d: %s", code, errw)
	}
	// So is a checkpoint that is not one.
	if err := os.WriteFile(ck, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errw = runCmd(t, "train", "-data", dir, "-resume", ck)
	if code != 1 || !strings.Contains(errw, "-resume") {
		t.Errorf("corrupt checkpoint: exit %d: %s", code, errw)
	}
}

func TestTrainSummary(t *testing.T) {
	dir := t.TempDir()
	writeDigits(t, dir, 200, 50)
	code, out, errw := runCmd(t, "train", "-data", dir, "-epochs", "1", "-batch", "20", "-workers", "3", "-schedule", "step")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	for _, want := range []string{"test accuracy", "train loss", "examples/s", "kernel path"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary without %q:\n%s", want, out)
		}
	}
	// Not a terminal: plain progress lines.
	if !strings.Contains(errw, "epoch 1/1") {
		t.Errorf("no progress line:\n%s", errw)
	}
}

func TestTrainDataErrors(t *testing.T) {
	empty := t.TempDir()
	code, _, errw := runCmd(t, "train", "-data", empty)
	if code != 1 || !strings.Contains(errw, idx.TrainImages) || !strings.Contains(errw, empty) {
		t.Errorf("empty -data: exit %d: %s", code, errw)
	}
	dir := t.TempDir()
	writeDigits(t, dir, 50, 20)
	if err := os.WriteFile(filepath.Join(dir, idx.TestImages), []byte{0, 0, 8, 3, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errw = runCmd(t, "train", "-data", dir)
	if code != 1 || !strings.Contains(errw, "truncated") || !strings.Contains(errw, idx.TestImages) {
		t.Errorf("truncated file: exit %d: %s", code, errw)
	}
	dir = t.TempDir()
	writeDigits(t, dir, 50, 20)
	code, _, errw = runCmd(t, "train", "-data", dir, "-batch", "51")
	if code != 2 || !strings.Contains(errw, "-batch 51") {
		t.Errorf("batch > examples: exit %d: %s", code, errw)
	}
	// No -data, no module cache and no go command.
	t.Setenv("GOMODCACHE", filepath.Join(empty, "cache"))
	t.Setenv("GOPATH", filepath.Join(empty, "gopath"))
	t.Setenv("HOME", empty)
	t.Setenv("PATH", empty)
	code, _, errw = runCmd(t, "train")
	if code != 1 || !strings.Contains(errw, "MNIST data not found") || !strings.Contains(errw, "--data DIR") {
		t.Errorf("no data: exit %d: %s", code, errw)
	}
}

func TestBowlJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("short: bowl draws four pictures and times two runs")
	}
	out := filepath.Join(t.TempDir(), "pics")
	code, stdout, errw := runCmd(t, "bowl", "-out", out, "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var res struct {
		Runs []struct {
			Eta           float64 `json:"eta"`
			Regime        string  `json:"regime"`
			FinalDistance float64 `json:"final_distance"`
			Steps         int     `json:"steps"`
		} `json:"runs"`
		NoiseBall noiseReport    `json:"noise_ball"`
		Momentum  momentumReport `json:"momentum"`
		Pictures  []string       `json:"pictures"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	want := []string{"crawl", "converge", "diverge"}
	if len(res.Runs) != 3 {
		t.Fatalf("%d runs", len(res.Runs))
	}
	for i, r := range res.Runs {
		if r.Regime != want[i] || r.Steps != stepSteps {
			t.Errorf("run %d: %+v, want regime %s", i, r, want[i])
		}
	}
	if !(res.NoiseBall.DecayingRadius < res.NoiseBall.FixedRadius/3) {
		t.Errorf("noise ball: decaying eta radius %v not well below fixed %v", res.NoiseBall.DecayingRadius, res.NoiseBall.FixedRadius)
	}
	if !(res.Momentum.MomentumLoss < res.Momentum.PlainLoss/100) {
		t.Errorf("momentum: loss %v not well below plain %v", res.Momentum.MomentumLoss, res.Momentum.PlainLoss)
	}
	if len(res.Pictures) != 4 {
		t.Fatalf("pictures %v", res.Pictures)
	}
	for _, p := range res.Pictures {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 400 {
			t.Errorf("%s: %v", p, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(out, ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	for _, s := range []string{"one", "two"} {
		if err := writeFileAtomic(p, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); string(b) != s {
			t.Fatalf("read %q, want %q", b, s)
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "no", "such", "dir"), nil); err == nil {
		t.Error("wrote into a missing directory")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
}

// TestTrainBadOutputs: unusable -plot and -checkpoint paths are refused
// before any training, and a picture that cannot be written at the end
// does not hide the results.
func TestTrainBadOutputs(t *testing.T) {
	dir := t.TempDir()
	writeDigits(t, dir, 200, 50)
	missing := filepath.Join(dir, "missing")
	for _, c := range []struct{ flag, path string }{
		{"-plot", filepath.Join(missing, "x.png")},
		{"-checkpoint", filepath.Join(missing, "c.ckpt")},
		{"-checkpoint", dir},
		{"-cpuprofile", filepath.Join(missing, "cpu.prof")},
	} {
		code, out, errw := runCmd(t, "train", "-data", dir, "-epochs", "1", "-batch", "20", c.flag, c.path)
		if code != 1 || !strings.Contains(errw, c.flag) || strings.Contains(errw, "epoch 1/1") || out != "" {
			t.Errorf("%s %s: exit %d, stdout %q, stderr:\n%s\nwant exit 1 naming %s before training", c.flag, c.path, code, out, errw, c.flag)
		}
	}
	// The plot fails at the end: the summary is printed all the same.
	defer func(f func(string, []trainPoint, []lossPoint) error) { plotTrainingFn = f }(plotTrainingFn)
	plotTrainingFn = func(string, []trainPoint, []lossPoint) error { return errors.New("disk full") }
	code, out, errw := runCmd(t, "train", "-data", dir, "-epochs", "1", "-batch", "20", "-plot", filepath.Join(dir, "x.png"))
	if code != 1 || !strings.Contains(out, "test accuracy") || !strings.Contains(errw, "disk full") {
		t.Errorf("failing plot: exit %d, stdout:\n%s\nstderr:\n%s\nwant the summary and the error", code, out, errw)
	}
}

// TestTrainResumeSettings: a resume that changes the run's settings or its
// data is refused, naming what changed; more epochs are allowed, and the
// change of the schedule is spelled out.
func TestTrainResumeSettings(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	writeDigits(t, dir, 300, 50)
	writeDigits(t, other, 250, 50)
	ck := filepath.Join(t.TempDir(), "c.ckpt")
	base := []string{"train", "-data", dir, "-batch", "10", "-warmup", "5", "-lr", "0.1"}
	if code, _, errw := runCmd(t, append(base, "-epochs", "2", "-checkpoint", ck)...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errw)
	}
	resume := append(base, "-epochs", "3", "-resume", ck)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-lr", "0.2"}, []string{"-lr 0.2", "0.1"}},
		{[]string{"-momentum", "0.5"}, []string{"-momentum 0.5", "0.9"}},
		{[]string{"-schedule", "step"}, []string{"-schedule step", "cosine"}},
		{[]string{"-warmup", "7"}, []string{"-warmup 7", "5"}},
		{[]string{"-l2", "0.01"}, []string{"-l2 0.01"}},
		{[]string{"-seed", "2"}, []string{"-seed 2"}},
		{[]string{"-data", other}, []string{"data"}},
	} {
		code, _, errw := runCmd(t, append(slices.Clone(resume), c.args...)...)
		ok := code == 1
		for _, w := range c.want {
			ok = ok && strings.Contains(errw, w)
		}
		if !ok {
			t.Errorf("resume with %q: exit %d: %s\nwant exit 1 mentioning %q", c.args, code, errw, c.want)
		}
	}
	code, _, errw := runCmd(t, resume...)
	if code != 0 || !strings.Contains(errw, "-epochs 3") || !strings.Contains(errw, "2-epoch run") {
		t.Errorf("resume for one more epoch: exit %d: %s\nwant exit 0 and a note about -epochs 3 against 2 epochs", code, errw)
	}
}

// TestTrainImageShape: valid IDX files of images other than 28x28 are
// refused from their header, before the data are read or the model built.
func TestTrainImageShape(t *testing.T) {
	dir := t.TempDir()
	put := func(name string, a *idx.Array) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		if err := idx.Write(zw, a); err != nil {
			t.Fatal(err)
		}
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, name+".gz"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, names := range [][2]string{{idx.TrainImages, idx.TrainLabels}, {idx.TestImages, idx.TestLabels}} {
		put(names[0], &idx.Array{Dims: []int{2, 512, 512}, Data: make([]byte, 2*512*512)})
		put(names[1], &idx.Array{Dims: []int{2}, Data: []byte{3, 4}})
	}
	code, out, errw := runCmd(t, "train", "-data", dir, "-epochs", "1", "-batch", "1")
	if code != 1 || !strings.Contains(errw, "512x512") || !strings.Contains(errw, "28x28") || out != "" {
		t.Errorf("512x512 images: exit %d, stdout %q, stderr:\n%s\nwant exit 1 naming 512x512 and 28x28", code, out, errw)
	}
}

// TestTrainInterrupted: after Ctrl-C the command says exactly what the
// checkpoint holds.
func TestTrainInterrupted(t *testing.T) {
	dir := t.TempDir()
	writeDigits(t, dir, 100, 20)
	defer func(f func() (context.Context, context.CancelFunc)) { trainContext = f }(trainContext)
	trainContext = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // Ctrl-C before the first step
		return ctx, cancel
	}
	ck := filepath.Join(t.TempDir(), "c.ckpt")
	code, _, errw := runCmd(t, "train", "-data", dir, "-epochs", "2", "-batch", "10", "-checkpoint", ck)
	want := "0 epochs and 0 of 10 batches done (step 0 of 20)"
	if code != 1 || !strings.Contains(errw, want) || !strings.Contains(errw, "-resume "+ck) {
		t.Errorf("interrupted: exit %d: %s\nwant exit 1 and %q", code, errw, want)
	}
}

// TestTrainProgressLines: the loading of the data is announced, and a
// resumed run's first line says it resumed (no "0 examples/s").
func TestTrainProgressLines(t *testing.T) {
	dir := t.TempDir()
	writeDigits(t, dir, 100, 20)
	ck := filepath.Join(t.TempDir(), "c.ckpt")
	code, _, errw := runCmd(t, "train", "-data", dir, "-epochs", "1", "-batch", "10", "-checkpoint", ck)
	if code != 0 || !strings.HasPrefix(errw, "loading MNIST from "+dir) {
		t.Errorf("exit %d, progress:\n%s\nwant it to start with loading MNIST from %s", code, errw, dir)
	}
	code, _, errw = runCmd(t, "train", "-data", dir, "-epochs", "2", "-batch", "10", "-resume", ck)
	lines := strings.Split(errw, "\n")
	var first string
	for _, l := range lines {
		if strings.Contains(l, "loss") {
			first = l
			break
		}
	}
	if code != 0 || !strings.HasPrefix(first, "resumed at epoch 1/2") || strings.Contains(errw, " 0 examples/s") {
		t.Errorf("resumed run: exit %d, progress:\n%s\nwant a first line \"resumed at epoch 1/2 ...\" and no 0 examples/s", code, errw)
	}
}

// TestBarLine: the progress bar fits the terminal's width, down to 40
// columns, with a usable bar (at least 10 cells), and drops the least
// useful pieces first.
func TestBarLine(t *testing.T) {
	for width := 40; width <= 200; width++ {
		for _, done := range []int64{0, 123456, 600000} {
			line := barLine(width, done, 600000, 7*time.Second, "epoch 3/10  loss 0.2876  test accuracy 92.10%")
			n := utf8.RuneCountInString(line)
			cells := strings.Count(line, "█") + strings.Count(line, "░")
			if n > width-1 || cells < 10 {
				t.Fatalf("width %d: %d columns, %d bar cells: %q", width, n, cells, line)
			}
			if width >= 70 && !strings.Contains(line, "%") {
				t.Errorf("width %d: no percentage: %q", width, line)
			}
			if width >= 70 && done == 123456 && !strings.Contains(line, "left") {
				t.Errorf("width %d: no time left: %q", width, line)
			}
		}
	}
	if l := barLine(200, 123456, 600000, 7*time.Second, "epoch 3/10  loss 0.2876"); !strings.Contains(l, "loss 0.2876") || !strings.Contains(l, "examples/s") {
		t.Errorf("wide terminal: %q lacks the last point or the rate", l)
	}
}

// TestMedianSpread: a cell's speed is the median of its samples, and the
// spread (max-min)/median flags an outlier.
func TestMedianSpread(t *testing.T) {
	for _, c := range []struct {
		gbs            []float64
		median, spread float64
	}{
		{[]float64{10}, 10, 0},
		{[]float64{10, 2, 11, 10.5, 9.5}, 10, 0.9},
		{[]float64{4, 2}, 3, 2.0 / 3},
	} {
		m, s := medianSpread(slices.Clone(c.gbs))
		if m != c.median || math.Abs(s-c.spread) > 1e-12 {
			t.Errorf("%v: median %v, spread %v; want %v, %v", c.gbs, m, s, c.median, c.spread)
		}
	}
	var b bytes.Buffer
	paths := []dispatch.Path{dispatch.Generic, dispatch.Generic}
	printBench(&b, paths, []benchResult{
		{Kernel: "Dot", Type: "float32", Bytes: 4096, Path: "generic", GBs: 10, Samples: 5, Spread: 0.01},
		{Kernel: "Dot", Type: "float32", Bytes: 4096, Path: "generic", GBs: 20, Samples: 5, Spread: 0.5, Noisy: true},
	})
	if !strings.Contains(b.String(), "20.0*") || !strings.Contains(b.String(), "* ") {
		t.Errorf("a noisy cell is not flagged:\n%s", b.String())
	}
}
