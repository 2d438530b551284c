package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/downhill-go/downhill/sgd"
)

// NoiseReport summarises the noise-ball picture.
type NoiseReport struct {
	Steps          int     `json:"steps"`
	Tail           int     `json:"tail"`
	FixedRadius    float64 `json:"fixed_eta_radius"`
	DecayingRadius float64 `json:"decaying_eta_radius"`
}

// NoiseRun is one learning-rate schedule of the noise-ball picture.
type NoiseRun struct {
	Name string
	Path Path
	// WindowStep and WindowDist are the distance to the minimum averaged
	// over windows of NoiseWindow steps, at the middle of each window.
	WindowStep, WindowDist []float64
}

// NoiseBall is the noise-ball experiment: a least-squares problem, its
// minimum, and one SGD run per schedule (fixed, then decaying).
type NoiseBall struct {
	Report NoiseReport
	Prob   *sgd.LeastSquares[float64]
	Best   []float64
	Runs   []NoiseRun
}

// NoiseWindow is the number of steps each plotted distance averages.
const NoiseWindow = 50

// RunNoiseBall runs SGD with one example per step on a 2-feature least
// squares problem, with a fixed and with a decaying step size.
func RunNoiseBall() (*NoiseBall, error) {
	const (
		n     = 400
		steps = 3000
		tail  = 1000
		eta   = 0.1
	)
	rng := rand.New(rand.NewPCG(7, 1))
	x, y, best, err := leastSquaresData(rng, n, []float64{1, 0.6}, []float64{1.5, -1}, 0.7)
	if err != nil {
		return nil, err
	}
	prob, err := sgd.NewLeastSquares(x, y, 2)
	if err != nil {
		return nil, err
	}
	start := []float64{-2.5, 2}
	type variant struct {
		name  string
		sched sgd.Schedule
	}
	variants := []variant{
		{fmt.Sprintf("fixed eta %v", eta), sgd.Constant(1)},
		{fmt.Sprintf("decaying eta %v/(1+k/100)", eta), sgd.Func(func(k int) float64 { return 1 / (1 + float64(k)/100) })},
	}
	nb := &NoiseBall{Prob: prob, Best: best}
	nb.Report.Steps, nb.Report.Tail = steps, tail
	for i, v := range variants {
		opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: eta})
		if err != nil {
			return nil, err
		}
		path, err := sgdPath(prob, opt, start, 1, steps, 3, v.sched)
		if err != nil {
			return nil, err
		}
		run := NoiseRun{Name: v.name, Path: path}
		// The distance averaged over windows of 50 steps: the raw one is
		// too noisy to read.
		const window = NoiseWindow
		r, sum := 0.0, 0.0
		for k, p := range path {
			sum += Dist(p, best)
			if (k+1)%window == 0 {
				run.WindowStep = append(run.WindowStep, float64(k+1-window/2))
				run.WindowDist = append(run.WindowDist, sum/window)
				sum = 0
			}
			if k >= len(path)-tail {
				r += Dist(p, best) / tail
			}
		}
		if i == 0 {
			nb.Report.FixedRadius = r
		} else {
			nb.Report.DecayingRadius = r
		}
		nb.Runs = append(nb.Runs, run)
	}
	return nb, nil
}
