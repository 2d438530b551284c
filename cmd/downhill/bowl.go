package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/downhill-go/downhill/sgd"
)

func bowlCommand() command {
	var (
		out    string
		asJSON bool
	)
	return command{
		name:    "bowl",
		args:    "[-out DIR] [-json]",
		summary: "pictures of gradient descent on a quadratic bowl (PNG)",
		detail: `Runs gradient descent on quadratic bowls and least-squares problems with
package sgd and draws four PNG pictures into -out:

  bowl-step-sizes.png  one bowl, three fixed step sizes: too small (crawls),
                       right (converges fast), too large (the red path
                       overshoots and climbs out of the bowl)
  bowl-noise-ball.png  SGD with one example per step: a fixed step size
                       leaves a ball of noise around the minimum, a
                       decaying one shrinks it
  bowl-minibatch.png   mini-batch SGD vs full-batch gradient descent,
                       loss against wall-clock time
  bowl-momentum.png    momentum vs plain descent in a narrow valley

With -json it prints {"runs": [{"eta", "regime", "final_distance",
"steps"}, ...], ...} for the three step sizes (and the other pictures'
numbers) instead of the summary.`,
		setup: func(fs *flag.FlagSet) func(*env) error {
			fs.StringVar(&out, "out", ".", "`dir`ectory for the PNG files (created if missing)")
			fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of the summary")
			return func(e *env) error { return runBowl(e, out, asJSON) }
		},
	}
}

// bowlRun is one fixed step size on the bowl.
type bowlRun struct {
	Eta           float64 `json:"eta"`
	Regime        string  `json:"regime"`
	FinalDistance float64 `json:"final_distance"`
	Steps         int     `json:"steps"`
	path          [][2]float64
}

type bowlReport struct {
	Runs      []bowlRun      `json:"runs"`
	NoiseBall noiseReport    `json:"noise_ball"`
	MiniBatch minibatchRep   `json:"minibatch"`
	Momentum  momentumReport `json:"momentum"`
	Pictures  []string       `json:"pictures"`
}

func runBowl(e *env, out string, asJSON bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	var rep bowlReport
	pic := func(name string) string {
		p := filepath.Join(out, name)
		rep.Pictures = append(rep.Pictures, p)
		return p
	}
	var err error
	if rep.Runs, err = stepSizes(pic("bowl-step-sizes.png")); err != nil {
		return err
	}
	if rep.NoiseBall, err = noiseBall(pic("bowl-noise-ball.png")); err != nil {
		return err
	}
	if rep.MiniBatch, err = miniBatch(pic("bowl-minibatch.png")); err != nil {
		return err
	}
	if rep.Momentum, err = momentum(pic("bowl-momentum.png")); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(e.out).Encode(rep)
	}
	fmt.Fprintf(e.out, "Quadratic bowl f(p) = (%.1f p1² + %.1f p2²)/2, start %v, %d steps of gradient descent:\n", stepEig[0], stepEig[1], stepStart, stepSteps)
	for _, r := range rep.Runs {
		fmt.Fprintf(e.out, "  eta %-5v %-9s distance to the minimum %.3g\n", r.Eta, r.Regime, r.FinalDistance)
	}
	n := rep.NoiseBall
	fmt.Fprintf(e.out, "Noise ball (SGD, batch 1, last %d of %d steps): mean distance %.3g with a fixed eta, %.3g with a decaying one\n", n.Tail, n.Steps, n.FixedRadius, n.DecayingRadius)
	m := rep.MiniBatch
	fmt.Fprintf(e.out, "Mini-batch vs full batch, %d examples: excess loss after %.2fs: %.3g (batch %d) vs %.3g (full batch)\n", m.Examples, m.Seconds, m.MiniBatchExcess, m.Batch, m.FullBatchExcess)
	mo := rep.Momentum
	fmt.Fprintf(e.out, "Narrow valley, %d steps: loss %.3g with momentum %v (eta %v) vs %.3g without (eta %v)\n", mo.Steps, mo.MomentumLoss, mo.Mu, mo.MomentumEta, mo.PlainLoss, mo.PlainEta)
	for _, p := range rep.Pictures {
		fmt.Fprintf(e.out, "wrote %s\n", p)
	}
	return nil
}

// The step-size picture: eigenvalues 1.5 and 2, so that a fixed step
// converges for eta < 2/2 = 1 (fastest at 2/(1.5+2) ≈ 0.57); at
// eta = 1.15 both coordinates overshoot the minimum, p2 by a factor
// |1 - 1.15·2| = 1.3 per step, so the path zigzags up the walls.
var (
	stepEig   = []float64{1.5, 2}
	stepStart = []float64{-4, 2}
	stepEtas  = []float64{0.02, 0.45, 1.15}
)

const stepSteps = 20

// regime classifies a run by how far it ended from the minimum compared
// with where it started.
func regime(start, final float64) string {
	switch {
	case !(final < start): // also NaN
		return "diverge"
	case final < 1e-3*start:
		return "converge"
	}
	return "crawl"
}

// descend runs `steps` steps of full-gradient descent on prob from start
// with opt (lr scale from sched if not nil) and returns every iterate,
// start included.
func descend(prob sgd.Problem[float64], opt *sgd.Optimizer[float64], start []float64, steps int, sched *sgd.Schedule) ([][]float64, error) {
	p := append([]float64(nil), start...)
	g := make([]float64, prob.Dim())
	all := [][]float64{append([]float64(nil), p...)}
	for k := range steps {
		if sched != nil {
			if err := opt.SetLRScale(sched.At(k)); err != nil {
				return nil, err
			}
		}
		prob.Gradients(p, []int{0}, g)
		if err := opt.Step(p, g); err != nil {
			return nil, err
		}
		all = append(all, append([]float64(nil), p...))
	}
	return all, nil
}

func norm(p []float64) float64 {
	s := 0.0
	for _, v := range p {
		s += float64(v * v)
	}
	return math.Sqrt(s)
}

func stepSizes(file string) ([]bowlRun, error) {
	bowl, err := sgd.NewBowl(stepEig, nil)
	if err != nil {
		return nil, err
	}
	colours := []color.Color{blue, green, red}
	names := []string{"too small", "right", "too large"}
	pc := newPlot("Fixed step sizes on a bowl", "p1", "p2")
	pd := newPlot("Distance to the minimum", "step", "|p - p*|")
	setLog(&pd.Y)
	const box = 6.5
	addContours(pc, func(x, y float64) float64 { return bowl.Loss([]float64{x, y}, nil) }, -box, box, -box, box, 0.1, 0.5, 1.5, 3, 5, 8, 12, 17, 23, 30)
	runs := make([]bowlRun, len(stepEtas))
	thumbs := make([][]plot.Thumbnailer, len(stepEtas))
	labels := make([]string, len(stepEtas))
	steps, dists := make([][]float64, len(stepEtas)), make([][]float64, len(stepEtas))
	// The large step is drawn first, underneath: every path starts along
	// the same gradient.
	for i := len(stepEtas) - 1; i >= 0; i-- {
		eta := stepEtas[i]
		opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: eta})
		if err != nil {
			return nil, err
		}
		path, err := descend(bowl, opt, stepStart, stepSteps, nil)
		if err != nil {
			return nil, err
		}
		r := bowlRun{Eta: eta, Steps: stepSteps, FinalDistance: norm(path[len(path)-1])}
		r.Regime = regime(norm(stepStart), r.FinalDistance)
		runs[i] = r
		label := fmt.Sprintf("eta %v, %s: %s", eta, names[i], r.Regime)
		shown := path
		for k, p := range path {
			if math.Abs(p[0]) > box || math.Abs(p[1]) > box {
				shown = path[:k+1] // the first step out of the picture ends it
				break
			}
		}
		if thumbs[i], err = drawPath(pc, "", colours[i], shown); err != nil {
			return nil, err
		}
		labels[i] = label
		for k, p := range path {
			steps[i], dists[i] = append(steps[i], float64(k)), append(dists[i], max(norm(p), 1e-8))
		}
	}
	for i, eta := range stepEtas {
		if err := addLine(pd, fmt.Sprintf("eta %v", eta), colours[i], false, steps[i], dists[i]); err != nil {
			return nil, err
		}
	}
	for i := range labels {
		pc.Legend.Add(labels[i], thumbs[i]...)
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -box, box, -box, box
	pc.Legend.Top, pc.Legend.Left = false, true
	pd.Legend.Top, pd.Legend.Left = false, true
	pd.Y.Min = 1e-8
	return runs, savePNG(file, 24*vg.Centimeter, 11*vg.Centimeter, pc, pd)
}

// noiseReport summarises the noise-ball picture.
type noiseReport struct {
	Steps          int     `json:"steps"`
	Tail           int     `json:"tail"`
	FixedRadius    float64 `json:"fixed_eta_radius"`
	DecayingRadius float64 `json:"decaying_eta_radius"`
}

// leastSquaresData returns n examples of `features` Gaussian features
// with the given scales, targets w·x + noise, and the exact minimizer of
// the mean squared error (normal equations).
func leastSquaresData(rng *rand.Rand, n int, scales, w []float64, noise float64) (x, y, best []float64, err error) {
	d := len(scales)
	x, y = make([]float64, n*d), make([]float64, n)
	for i := range n {
		row := x[i*d : (i+1)*d]
		t := 0.0
		for j := range row {
			row[j] = scales[j] * rng.NormFloat64()
			t += float64(w[j] * row[j])
		}
		y[i] = t + float64(noise*rng.NormFloat64())
	}
	a := make([]float64, d*d)
	b := make([]float64, d)
	for i := range n {
		row := x[i*d : (i+1)*d]
		for j := range d {
			b[j] += float64(row[j] * y[i])
			for k := range d {
				a[j*d+k] += float64(row[j] * row[k])
			}
		}
	}
	best, err = solve(a, b, d)
	return x, y, best, err
}

// solve solves a·x = b (a is d x d, row-major) by Gaussian elimination
// with partial pivoting; a and b are overwritten.
func solve(a, b []float64, d int) ([]float64, error) {
	for c := range d {
		piv := c
		for r := c + 1; r < d; r++ {
			if math.Abs(a[r*d+c]) > math.Abs(a[piv*d+c]) {
				piv = r
			}
		}
		if a[piv*d+c] == 0 {
			return nil, fmt.Errorf("singular normal equations")
		}
		for k := range d {
			a[c*d+k], a[piv*d+k] = a[piv*d+k], a[c*d+k]
		}
		b[c], b[piv] = b[piv], b[c]
		for r := c + 1; r < d; r++ {
			f := a[r*d+c] / a[c*d+c]
			for k := c; k < d; k++ {
				a[r*d+k] -= float64(f * a[c*d+k])
			}
			b[r] -= float64(f * b[c])
		}
	}
	x := make([]float64, d)
	for r := d - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < d; k++ {
			s -= float64(a[r*d+k] * x[k])
		}
		x[r] = s / a[r*d+r]
	}
	return x, nil
}

// sgdPath runs `steps` steps of SGD with mini-batches of `batch` examples
// from a seeded sampler and returns every iterate.
func sgdPath(prob sgd.Problem[float64], opt *sgd.Optimizer[float64], start []float64, batch, steps int, seed uint64, sched sgd.Schedule) ([][]float64, error) {
	s, err := sgd.NewSampler(prob.Len(), batch, false, seed)
	if err != nil {
		return nil, err
	}
	d := prob.Dim()
	p := append([]float64(nil), start...)
	rows := make([]float64, batch*d)
	all := [][]float64{append([]float64(nil), p...)}
	for k := range steps {
		if err := opt.SetLRScale(sched.At(k)); err != nil {
			return nil, err
		}
		idx := s.Next()
		r := rows[:len(idx)*d]
		prob.Gradients(p, idx, r)
		if err := opt.StepBatch(p, r, 1/float64(len(idx))); err != nil {
			return nil, err
		}
		all = append(all, append([]float64(nil), p...))
	}
	return all, nil
}

func dist(p, q []float64) float64 {
	s := 0.0
	for i := range p {
		s += float64((p[i] - q[i]) * (p[i] - q[i]))
	}
	return math.Sqrt(s)
}

func noiseBall(file string) (noiseReport, error) {
	const (
		n     = 400
		steps = 3000
		tail  = 1000
		eta   = 0.1
	)
	rng := rand.New(rand.NewPCG(7, 1))
	x, y, best, err := leastSquaresData(rng, n, []float64{1, 0.6}, []float64{1.5, -1}, 0.7)
	if err != nil {
		return noiseReport{}, err
	}
	prob, err := sgd.NewLeastSquares(x, y, 2)
	if err != nil {
		return noiseReport{}, err
	}
	start := []float64{-2.5, 2}
	type variant struct {
		name  string
		c     color.Color
		sched sgd.Schedule
	}
	variants := []variant{
		{fmt.Sprintf("fixed eta %v", eta), orange, sgd.Constant(1)},
		{fmt.Sprintf("decaying eta %v/(1+k/100)", eta), blue, sgd.Func(func(k int) float64 { return 1 / (1 + float64(k)/100) })},
	}
	pc := newPlot("SGD, one example per step", "w1", "w2")
	pz := newPlot("Zoom on the minimum (last 1000 steps)", "w1", "w2")
	pd := newPlot("Distance to the minimum", "step", "mean |w - w*| per 50 steps")
	setLog(&pd.Y)
	loss := func(a, b float64) float64 { return prob.Loss([]float64{a, b}, nil) - prob.Loss(best, nil) }
	addContours(pc, loss, -3.5, 4, -2.5, 3, 0.02, 0.1, 0.3, 0.6, 1, 1.5, 2, 3)
	const zoom = 0.45
	addContours(pz, loss, best[0]-zoom, best[0]+zoom, best[1]-zoom, best[1]+zoom, 0.002, 0.005, 0.01, 0.02, 0.04)
	var rep noiseReport
	rep.Steps, rep.Tail = steps, tail
	for i, v := range variants {
		opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: eta})
		if err != nil {
			return rep, err
		}
		path, err := sgdPath(prob, opt, start, 1, steps, 3, v.sched)
		if err != nil {
			return rep, err
		}
		if err := addPath(pc, v.name, v.c, path[:300]); err != nil {
			return rep, err
		}
		if err := addDots(pz, "", v.c, path[len(path)-tail:]); err != nil { // the legend is on the left
			return rep, err
		}
		// The distance averaged over windows of 50 steps: the raw one is
		// too noisy to read.
		const window = 50
		var ks, ds []float64
		r, sum := 0.0, 0.0
		for k, p := range path {
			sum += dist(p, best)
			if (k+1)%window == 0 {
				ks, ds = append(ks, float64(k+1-window/2)), append(ds, max(sum/window, 1e-6))
				sum = 0
			}
			if k >= len(path)-tail {
				r += dist(p, best) / tail
			}
		}
		if err := addLine(pd, v.name, v.c, false, ks, ds); err != nil {
			return rep, err
		}
		if i == 0 {
			rep.FixedRadius = r
		} else {
			rep.DecayingRadius = r
		}
	}
	if err := addStar(pc, "minimum", best); err != nil {
		return rep, err
	}
	if err := addStar(pz, "", best); err != nil {
		return rep, err
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -3.5, 4, -2.5, 3
	pz.X.Min, pz.X.Max, pz.Y.Min, pz.Y.Max = best[0]-zoom, best[0]+zoom, best[1]-zoom, best[1]+zoom
	pd.Legend.Top = false
	pd.Legend.Left = true
	pd.Y.Min = 0.002 // room for the legend
	return rep, savePNG(file, 30*vg.Centimeter, 10*vg.Centimeter, pc, pz, pd)
}

// minibatchRep summarises the mini-batch picture.
type minibatchRep struct {
	Examples        int     `json:"examples"`
	Features        int     `json:"features"`
	Batch           int     `json:"batch"`
	Seconds         float64 `json:"seconds"`
	MiniBatchExcess float64 `json:"minibatch_excess_loss"`
	FullBatchExcess float64 `json:"full_batch_excess_loss"`
	MiniBatchSteps  int     `json:"minibatch_steps"`
	FullBatchSteps  int     `json:"full_batch_steps"`
}

// timedRun trains for `budget` of computing time (loss evaluations are
// not counted) and returns the excess loss at times.
func timedRun(prob *sgd.LeastSquares[float64], opt *sgd.Optimizer[float64], batch int, budget time.Duration, sched func(k int) float64, bestLoss float64) (ts, ls []float64, steps int, err error) {
	s, err := sgd.NewSampler(prob.Len(), batch, false, 11)
	if err != nil {
		return nil, nil, 0, err
	}
	d := prob.Dim()
	p := make([]float64, d)
	rows := make([]float64, batch*d)
	var used time.Duration
	record := func() {
		ts = append(ts, used.Seconds())
		ls = append(ls, max(prob.Loss(p, nil)-bestLoss, 1e-9))
	}
	// Record at geometric times (the picture has a log time axis),
	// starting after the first step.
	next := time.Duration(0)
	for used < budget {
		t0 := time.Now()
		if err := opt.SetLRScale(sched(steps)); err != nil {
			return nil, nil, 0, err
		}
		idx := s.Next()
		r := rows[:len(idx)*d]
		prob.Gradients(p, idx, r)
		if err := opt.StepBatch(p, r, 1/float64(len(idx))); err != nil {
			return nil, nil, 0, err
		}
		steps++
		used += time.Since(t0)
		if used >= next {
			record()
			next = max(used*23/20, used+time.Millisecond/4)
		}
	}
	record()
	return ts, ls, steps, nil
}

func miniBatch(file string) (minibatchRep, error) {
	const (
		n      = 20000
		d      = 20
		batch  = 32
		budget = 800 * time.Millisecond
	)
	rng := rand.New(rand.NewPCG(5, 2))
	scales, w := make([]float64, d), make([]float64, d)
	for j := range scales {
		scales[j] = 1 - 0.65*float64(j)/float64(d-1) // eigenvalues from 1 to 0.12
		w[j] = rng.NormFloat64()
	}
	x, y, best, err := leastSquaresData(rng, n, scales, w, 0.5)
	if err != nil {
		return minibatchRep{}, err
	}
	prob, err := sgd.NewLeastSquares(x, y, d)
	if err != nil {
		return minibatchRep{}, err
	}
	bestLoss := prob.Loss(best, nil)
	rep := minibatchRep{Examples: n, Features: d, Batch: batch, Seconds: budget.Seconds()}
	p := newPlot(fmt.Sprintf("Least squares, %d examples, %d features", n, d), "seconds of computing (log scale)", "loss - min loss")
	setLog(&p.Y)
	setLog(&p.X)

	// Full batch: the largest safe step of gradient descent, 1/λmax ≈ 1.
	full, err := sgd.NewOptimizer[float64](d, sgd.Hyper{LR: 0.9})
	if err != nil {
		return rep, err
	}
	ts, ls, steps, err := timedRun(prob, full, n, budget, func(int) float64 { return 1 }, bestLoss)
	if err != nil {
		return rep, err
	}
	rep.FullBatchExcess, rep.FullBatchSteps = ls[len(ls)-1], steps
	if err := addLine(p, fmt.Sprintf("full batch (%d steps)", steps), grey, false, ts, ls); err != nil {
		return rep, err
	}
	// Mini-batches: a larger step, decayed as 1/(1+k/500) to shrink the
	// noise ball.
	mb, err := sgd.NewOptimizer[float64](d, sgd.Hyper{LR: 0.05})
	if err != nil {
		return rep, err
	}
	ts, ls, steps, err = timedRun(prob, mb, batch, budget, func(k int) float64 { return 1 / (1 + float64(k)/2000) }, bestLoss)
	if err != nil {
		return rep, err
	}
	rep.MiniBatchExcess, rep.MiniBatchSteps = ls[len(ls)-1], steps
	if err := addLine(p, fmt.Sprintf("mini-batch of %d (%d steps)", batch, steps), blue, false, ts, ls); err != nil {
		return rep, err
	}
	return rep, savePNG(file, 16*vg.Centimeter, 11*vg.Centimeter, p)
}

// momentumReport summarises the narrow-valley picture.
type momentumReport struct {
	Steps        int     `json:"steps"`
	PlainEta     float64 `json:"plain_eta"`
	MomentumEta  float64 `json:"momentum_eta"`
	Mu           float64 `json:"momentum"`
	PlainLoss    float64 `json:"plain_final_loss"`
	MomentumLoss float64 `json:"momentum_final_loss"`
}

func momentum(file string) (momentumReport, error) {
	// Plain descent gets a step close to its limit 2/λmax = 2, where it
	// zigzags across the valley; momentum a smaller one.
	rep := momentumReport{Steps: 80, PlainEta: 1.8, MomentumEta: 1.0, Mu: 0.8}
	const lmin = 0.02 // condition number 50
	valley, err := sgd.NewBowl([]float64{lmin, 1}, nil)
	if err != nil {
		return rep, err
	}
	start := []float64{-9, 1.6}
	pc := newPlot(fmt.Sprintf("A narrow valley (eigenvalues %v and 1)", lmin), "p1", "p2")
	pl := newPlot("Loss", "step", "f(p)")
	setLog(&pl.Y)
	addContours(pc, func(a, b float64) float64 { return valley.Loss([]float64{a, b}, nil) }, -10, 2, -2.2, 2.2, 0.05, 0.2, 0.5, 1, 1.6, 2.4)
	for _, v := range []struct {
		name    string
		eta, mu float64
		c       color.Color
	}{
		{fmt.Sprintf("plain, eta %v", rep.PlainEta), rep.PlainEta, 0, orange},
		{fmt.Sprintf("momentum %v, eta %v", rep.Mu, rep.MomentumEta), rep.MomentumEta, rep.Mu, blue},
	} {
		opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: v.eta, Momentum: v.mu})
		if err != nil {
			return rep, err
		}
		path, err := descend(valley, opt, start, rep.Steps, nil)
		if err != nil {
			return rep, err
		}
		if err := addPath(pc, v.name, v.c, path); err != nil {
			return rep, err
		}
		var ks, fs []float64
		for k, p := range path {
			ks, fs = append(ks, float64(k)), append(fs, max(valley.Loss(p, nil), 1e-12))
		}
		if err := addLine(pl, v.name, v.c, false, ks, fs); err != nil {
			return rep, err
		}
		if v.mu == 0 {
			rep.PlainLoss = fs[len(fs)-1]
		} else {
			rep.MomentumLoss = fs[len(fs)-1]
		}
	}
	pc.X.Min, pc.X.Max, pc.Y.Min, pc.Y.Max = -10, 2, -2.2, 2.2
	pc.Legend.Top = false
	pl.Legend.Top, pl.Legend.Left = false, true
	return rep, savePNG(file, 26*vg.Centimeter, 9*vg.Centimeter, pc, pl)
}

// ---- drawing helpers ----

// fgrid is a function sampled on a regular grid, for contour lines.
type fgrid struct {
	x0, x1, y0, y1 float64
	n              int
	z              []float64
}

func (g *fgrid) Dims() (int, int)   { return g.n, g.n }
func (g *fgrid) Z(c, r int) float64 { return g.z[r*g.n+c] }
func (g *fgrid) X(c int) float64    { return g.x0 + (g.x1-g.x0)*float64(c)/float64(g.n-1) }
func (g *fgrid) Y(r int) float64    { return g.y0 + (g.y1-g.y0)*float64(r)/float64(g.n-1) }

type onePalette struct{ c color.Color }

func (p onePalette) Colors() []color.Color { return []color.Color{p.c, p.c} }

// addContours draws the level sets f = levels over [x0,x1] x [y0,y1].
func addContours(p *plot.Plot, f func(x, y float64) float64, x0, x1, y0, y1 float64, levels ...float64) {
	g := &fgrid{x0: x0, x1: x1, y0: y0, y1: y1, n: 120}
	g.z = make([]float64, g.n*g.n)
	for r := range g.n {
		for c := range g.n {
			g.z[r*g.n+c] = f(g.X(c), g.Y(r))
		}
	}
	ct := plotter.NewContour(g, levels, onePalette{color.RGBA{R: 190, G: 190, B: 200, A: 255}})
	ct.LineStyles = []draw.LineStyle{{Color: color.Black, Width: vg.Points(0.7)}}
	p.Add(ct)
}

// addPath draws the iterates as a line with a dot on each.
func addPath(p *plot.Plot, name string, c color.Color, path [][]float64) error {
	_, err := drawPath(p, name, c, path)
	return err
}

// drawPath is addPath returning the legend thumbnails of the path.
func drawPath(p *plot.Plot, name string, c color.Color, path [][]float64) ([]plot.Thumbnailer, error) {
	pts := make(plotter.XYs, len(path))
	for i, q := range path {
		pts[i].X, pts[i].Y = q[0], q[1]
	}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = c, vg.Points(1.3)
	s.Color, s.Radius, s.Shape = c, vg.Points(1.8), draw.CircleGlyph{}
	p.Add(l, s)
	if name != "" {
		p.Legend.Add(name, l, s)
	}
	return []plot.Thumbnailer{l, s}, nil
}

// addDots draws points without lines.
func addDots(p *plot.Plot, name string, c color.Color, path [][]float64) error {
	pts := make(plotter.XYs, len(path))
	for i, q := range path {
		pts[i].X, pts[i].Y = q[0], q[1]
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	s.Color, s.Radius, s.Shape = c, vg.Points(1.2), draw.CircleGlyph{}
	p.Add(s)
	if name != "" {
		p.Legend.Add(name, s)
	}
	return nil
}

// addStar marks the minimum.
func addStar(p *plot.Plot, name string, at []float64) error {
	s, err := plotter.NewScatter(plotter.XYs{{X: at[0], Y: at[1]}})
	if err != nil {
		return err
	}
	s.Color, s.Radius, s.Shape = color.Black, vg.Points(5), draw.CrossGlyph{}
	p.Add(s)
	if name != "" {
		p.Legend.Add(name, s)
	}
	return nil
}

func setLog(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = decades{}
}

// decades are log-scale ticks labelled 1e-06, 0.001, 1, 1000 ... at every
// power of ten, with unlabelled minor ticks in between.
type decades struct{}

func (decades) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := int(math.Floor(math.Log10(lo))); e <= int(math.Ceil(math.Log10(hi))); e++ {
		v := math.Pow10(e)
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
		for i := 2; i < 10; i++ {
			if m := float64(i) * v; m >= lo && m <= hi {
				ticks = append(ticks, plot.Tick{Value: m})
			}
		}
	}
	return ticks
}
