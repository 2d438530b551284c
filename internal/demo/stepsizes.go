package demo

import "github.com/downhill-go/downhill/sgd"

// The step-size picture: eigenvalues 1.5 and 2, so that a fixed step
// converges for eta < 2/2 = 1 (fastest at 2/(1.5+2) ≈ 0.57); at
// eta = 1.15 both coordinates overshoot the minimum, p2 by a factor
// |1 - 1.15·2| = 1.3 per step, so the path zigzags up the walls.
var (
	StepEig   = []float64{1.5, 2}
	StepStart = []float64{-4, 2}
	StepEtas  = []float64{0.02, 0.45, 1.15}
)

// StepSteps is the number of steps of each step-size run.
const StepSteps = 20

// StepRun is one fixed step size on the bowl.
type StepRun struct {
	Eta           float64 `json:"eta"`
	Regime        string  `json:"regime"`
	FinalDistance float64 `json:"final_distance"`
	Steps         int     `json:"steps"`
	Path          Path    `json:"-"`
}

// StepSizes runs StepSteps steps of gradient descent from StepStart on
// the bowl with eigenvalues StepEig, once per step size of StepEtas, and
// returns the runs and the bowl.
func StepSizes() ([]StepRun, *sgd.Bowl[float64], error) {
	bowl, err := sgd.NewBowl(StepEig, nil)
	if err != nil {
		return nil, nil, err
	}
	runs := make([]StepRun, len(StepEtas))
	for i, eta := range StepEtas {
		opt, err := sgd.NewOptimizer[float64](2, sgd.Hyper{LR: eta})
		if err != nil {
			return nil, nil, err
		}
		path, err := descend(bowl, opt, StepStart, StepSteps, nil)
		if err != nil {
			return nil, nil, err
		}
		r := StepRun{Eta: eta, Steps: StepSteps, FinalDistance: Norm(path[len(path)-1]), Path: path}
		r.Regime = regime(Norm(StepStart), r.FinalDistance)
		runs[i] = r
	}
	return runs, bowl, nil
}
