package demo

import (
	"fmt"

	"github.com/downhill-go/downhill/sgd"
)

// MomentumReport summarises the narrow-valley picture.
type MomentumReport struct {
	Steps        int     `json:"steps"`
	PlainEta     float64 `json:"plain_eta"`
	MomentumEta  float64 `json:"momentum_eta"`
	Mu           float64 `json:"momentum"`
	PlainLoss    float64 `json:"plain_final_loss"`
	MomentumLoss float64 `json:"momentum_final_loss"`
}

// MomentumRun is one run in the valley: its path and its loss per step.
type MomentumRun struct {
	Name    string
	Eta, Mu float64
	Path    Path
	Loss    []float64
}

// Valley is the narrow-valley experiment.
type Valley struct {
	Report MomentumReport
	Bowl   *sgd.Bowl[float64]
	Lmin   float64
	Start  []float64
	Runs   []MomentumRun // plain, then momentum
}

// RunValley runs plain gradient descent and gradient descent with
// momentum in a valley of condition number 50.
func RunValley() (*Valley, error) {
	// Plain descent gets a step close to its limit 2/λmax = 2, where it
	// zigzags across the valley; momentum a smaller one.
	rep := MomentumReport{Steps: 80, PlainEta: 1.8, MomentumEta: 1.0, Mu: 0.8}
	const lmin = 0.02 // condition number 50
	valley, err := sgd.NewBowl([]float64{lmin, 1}, nil)
	if err != nil {
		return nil, err
	}
	v := &Valley{Bowl: valley, Lmin: lmin, Start: []float64{-9, 1.6}}
	for _, r := range []struct {
		name    string
		eta, mu float64
	}{
		{fmt.Sprintf("plain, eta %v", rep.PlainEta), rep.PlainEta, 0},
		{fmt.Sprintf("momentum %v, eta %v", rep.Mu, rep.MomentumEta), rep.MomentumEta, rep.Mu},
	} {
		opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: r.eta, Momentum: r.mu})
		if err != nil {
			return nil, err
		}
		path, err := descend(valley, opt, v.Start, rep.Steps, nil)
		if err != nil {
			return nil, err
		}
		run := MomentumRun{Name: r.name, Eta: r.eta, Mu: r.mu, Path: path}
		for _, p := range path {
			run.Loss = append(run.Loss, valley.Loss(p, nil))
		}
		if r.mu == 0 {
			rep.PlainLoss = run.Loss[len(run.Loss)-1]
		} else {
			rep.MomentumLoss = run.Loss[len(run.Loss)-1]
		}
		v.Runs = append(v.Runs, run)
	}
	v.Report = rep
	return v, nil
}
