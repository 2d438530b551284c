package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/downhill-go/downhill/sgd"
)

// Product is the smallest two-layer linear network: one weight per layer,
// fitting the target 1, f(u, v) = (u·v - 1)²/2. Its minima are the
// hyperbola u·v = 1, and its curvature grows with the size of the
// weights: at a minimum the sharpness is u² + v², at a random start far
// out it is larger still. Gradient flow keeps u² - v² constant, so a
// small step slides down to a minimum; a large first step from a sharp
// start overshoots, lands further out where the curvature is larger, and
// diverges.
type Product struct{}

// Dim returns 2.
func (Product) Dim() int { return 2 }

// Len returns 1: the full gradient is the only gradient.
func (Product) Len() int { return 1 }

// Loss returns (u·v - 1)²/2.
func (Product) Loss(p []float64, _ []int) float64 {
	r := float64(p[0]*p[1]) - 1
	return float64(r*r) / 2
}

// Gradients writes ((uv-1)·v, (uv-1)·u) into each row.
func (Product) Gradients(p []float64, idx []int, rows []float64) {
	r := float64(p[0]*p[1]) - 1
	for j := range idx {
		rows[2*j], rows[2*j+1] = r*p[1], r*p[0]
	}
}

// Warmup experiment settings.
const (
	WarmupSteps    = 400 // steps of every run
	WarmupLen      = 200 // linear warmup steps of the warm runs
	WarmupInitStd  = 1.5 // the random start: u, v ~ N(0, WarmupInitStd²)
	WarmupRunsN    = 200
	WarmupSeed     = 21
	WarmupPeak     = 0.6 // the peak learning rate of the comparison
	WarmupSolved   = 1e-6
	warmupOverflow = 1e100
)

// WarmupPeaks is the sweep of peak learning rates.
var WarmupPeaks = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}

// WarmupRun is one run: its path and loss per step (cut at divergence).
type WarmupRun struct {
	Path     Path
	Loss     []float64
	Diverged bool
}

// warmupRun runs WarmupSteps steps of gradient descent on Product from
// start with peak learning rate peak, after a linear warmup of warm steps
// (0: none).
func warmupRun(start []float64, peak float64, warm int) (WarmupRun, error) {
	var run WarmupRun
	opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: peak})
	if err != nil {
		return run, err
	}
	sched := sgd.Warmup(warm, sgd.Constant(1))
	var prob Product
	p := append([]float64(nil), start...)
	g := make([]float64, 2)
	run.Path = Path{append([]float64(nil), p...)}
	run.Loss = []float64{prob.Loss(p, nil)}
	for k := range WarmupSteps {
		if err := opt.SetLRScale(sched.At(k)); err != nil {
			return run, err
		}
		prob.Gradients(p, []int{0}, g)
		if err := opt.Step(p, g); err != nil {
			return run, err
		}
		l := prob.Loss(p, nil)
		if !(l < warmupOverflow) { // also NaN
			run.Diverged = true
			break
		}
		run.Path = append(run.Path, append([]float64(nil), p...))
		run.Loss = append(run.Loss, l)
	}
	return run, nil
}

// warmupStart returns the start of run r: u, v ~ N(0, WarmupInitStd²).
func warmupStart(r int) []float64 {
	rng := rand.New(rand.NewPCG(WarmupSeed, uint64(r)))
	return []float64{WarmupInitStd * rng.NormFloat64(), WarmupInitStd * rng.NormFloat64()}
}

// WarmupStats counts the outcomes of WarmupRunsN random starts.
type WarmupStats struct {
	Peak     float64 `json:"peak_lr"`
	Warmup   int     `json:"warmup_steps"`
	Runs     int     `json:"runs"`
	Diverged int     `json:"diverged"`
	Solved   int     `json:"solved"` // final loss <= WarmupSolved
}

// RunWarmupStats runs WarmupRunsN random starts at one peak learning rate.
func RunWarmupStats(peak float64, warm int) (WarmupStats, error) {
	st := WarmupStats{Peak: peak, Warmup: warm, Runs: WarmupRunsN}
	for r := range WarmupRunsN {
		run, err := warmupRun(warmupStart(r), peak, warm)
		if err != nil {
			return st, err
		}
		switch {
		case run.Diverged:
			st.Diverged++
		case run.Loss[len(run.Loss)-1] <= WarmupSolved:
			st.Solved++
		}
	}
	return st, nil
}

// WarmupExperiment is the whole experiment: one start drawn with and
// without warmup, then the counts over random starts for every peak.
type WarmupExperiment struct {
	Start    []float64     `json:"start"`
	Cold     WarmupRun     `json:"-"`
	Warm     WarmupRun     `json:"-"`
	ColdLoss float64       `json:"no_warmup_final_loss"` // +Inf when it diverged
	WarmLoss float64       `json:"warmup_final_loss"`
	NoWarmup []WarmupStats `json:"no_warmup"`
	Warmup   []WarmupStats `json:"warmup"`
}

// RunWarmup runs the warmup experiment. The start drawn is the first
// seeded start (in run order) inside [-3, 3]² that diverges without
// warmup at WarmupPeak and ends solved with it.
func RunWarmup() (*WarmupExperiment, error) {
	ex := &WarmupExperiment{}
	for r := range WarmupRunsN {
		start := warmupStart(r)
		if max(abs(start[0]), abs(start[1])) > 3 {
			continue
		}
		cold, err := warmupRun(start, WarmupPeak, 0)
		if err != nil {
			return nil, err
		}
		warm, err := warmupRun(start, WarmupPeak, WarmupLen)
		if err != nil {
			return nil, err
		}
		if cold.Diverged && !warm.Diverged && warm.Loss[len(warm.Loss)-1] <= WarmupSolved {
			ex.Start, ex.Cold, ex.Warm = start, cold, warm
			break
		}
	}
	if ex.Start == nil {
		return nil, fmt.Errorf("warmup: no start diverges without warmup and trains with it")
	}
	ex.ColdLoss, ex.WarmLoss = finalLoss(ex.Cold), finalLoss(ex.Warm)
	for _, peak := range WarmupPeaks {
		c, err := RunWarmupStats(peak, 0)
		if err != nil {
			return nil, err
		}
		w, err := RunWarmupStats(peak, WarmupLen)
		if err != nil {
			return nil, err
		}
		ex.NoWarmup, ex.Warmup = append(ex.NoWarmup, c), append(ex.Warmup, w)
	}
	return ex, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func finalLoss(r WarmupRun) float64 {
	if r.Diverged {
		return inf
	}
	return r.Loss[len(r.Loss)-1]
}

// String describes the counts.
func (s WarmupStats) String() string {
	return fmt.Sprintf("peak %v warmup %d: %d/%d diverged, %d solved", s.Peak, s.Warmup, s.Diverged, s.Runs, s.Solved)
}
