package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/downhill-go/downhill/sgd"
)

// The two-basin loss: per example i, with a shift s_i,
//
//	ℓ_i(x) = g(x - s_i),
//	g(u) = -Hs·exp(-(u-A)²/(2Ws²)) - Hf·exp(-(u-B)²/(2Wf²)) + Q·u²/2,
//
// a narrow well at A and a wide one at B in a shallow bowl that keeps
// every run bounded. The shifts s_i ~ N(0, Tau²) are the "data": the loss
// is their mean, and a mini-batch gradient is the mean of g' at a few
// shifted points. Averaged over the shifts, the narrow well is a little
// deeper than the wide one (-0.944 against -0.911) and much sharper
// (curvature 12.1 against 1.45: `downhill basins` prints them), so that a
// fixed step of 0.1 is stable in both (0.1·12.1 < 2). In the narrow well
// g' changes fast with the shift, so the mini-batch gradient is noisy
// there; in the wide well it is not.
const (
	BasinSharpAt    = -1.0 // A
	BasinSharpWidth = 0.2  // Ws
	BasinSharpDepth = 1.4  // Hs
	BasinFlatAt     = 1.5  // B
	BasinFlatWidth  = 0.8  // Wf
	BasinFlatDepth  = 1.0  // Hf
	BasinBowl       = 0.05 // Q
	BasinTau        = 0.25
	BasinExamples   = 64
	// Starts are uniform in [BasinStartLo, BasinStartHi].
	BasinStartLo = -1.8
	BasinStartHi = 1.2
)

// Basins is the two-basin problem (an sgd.Problem of dimension 1).
type Basins struct {
	shift []float64
}

// NewBasins returns the problem with BasinExamples shifts drawn from a
// PCG seeded with seed.
func NewBasins(seed uint64) *Basins {
	rng := rand.New(rand.NewPCG(seed, 0x6261736e))
	b := &Basins{shift: make([]float64, BasinExamples)}
	for i := range b.shift {
		b.shift[i] = BasinTau * rng.NormFloat64()
	}
	return b
}

// well returns Hw·exp(-(u-c)²/(2w²)) and its derivative's factor (u-c)/w².
func well(u, c, w, h float64) (v, slope float64) {
	d := u - c
	v = h * exp(-float64(d*d)/(2*w*w))
	return v, d / (w * w)
}

// g is the loss of one example at u = x - shift.
func g(u float64) float64 {
	vs, _ := well(u, BasinSharpAt, BasinSharpWidth, BasinSharpDepth)
	vf, _ := well(u, BasinFlatAt, BasinFlatWidth, BasinFlatDepth)
	return float64(BasinBowl/2*u*u) - vs - vf
}

// dg is g'(u).
func dg(u float64) float64 {
	vs, ss := well(u, BasinSharpAt, BasinSharpWidth, BasinSharpDepth)
	vf, sf := well(u, BasinFlatAt, BasinFlatWidth, BasinFlatDepth)
	return float64(vs*ss) + float64(vf*sf) + float64(BasinBowl*u)
}

// Dim returns 1.
func (b *Basins) Dim() int { return 1 }

// Len returns the number of examples.
func (b *Basins) Len() int { return len(b.shift) }

// Loss returns the mean loss over idx (all examples if nil).
func (b *Basins) Loss(params []float64, idx []int) float64 {
	x := params[0]
	s := 0.0
	if idx == nil {
		for _, sh := range b.shift {
			s += g(x - sh)
		}
		return s / float64(len(b.shift))
	}
	for _, i := range idx {
		s += g(x - b.shift[i])
	}
	return s / float64(len(idx))
}

// Gradients writes g'(x - s_i) for every i in idx.
func (b *Basins) Gradients(params []float64, idx []int, rows []float64) {
	x := params[0]
	for j, i := range idx {
		rows[j] = dg(x - b.shift[i])
	}
}

// Barrier returns the top of the ridge between the two wells of the full
// loss, on a grid of step 1e-3.
func (b *Basins) Barrier() float64 {
	best, at := 0.0, BasinSharpAt
	for k := 0; ; k++ {
		x := BasinSharpAt + float64(float64(k)*1e-3)
		if x > BasinFlatAt {
			break
		}
		if l := b.Loss([]float64{x}, nil); k == 0 || l > best {
			best, at = l, x
		}
	}
	return at
}

// BasinRuns is the outcome of one configuration over many seeded runs.
type BasinRuns struct {
	Label string  `json:"label"`
	Eta   float64 `json:"eta"`
	Batch int     `json:"batch"` // BasinExamples: full-batch gradient descent
	Steps int     `json:"steps"`
	Runs  int     `json:"runs"`
	// Flat is the number of runs that ended in the flat basin; StartFlat
	// the number that started there; Stayed the number that ended in the
	// basin they started in.
	Flat      int       `json:"ended_flat"`
	StartFlat int       `json:"started_flat"`
	Stayed    int       `json:"stayed"`
	Final     []float64 `json:"-"` // final x of each run
}

// FlatFraction returns Flat/Runs.
func (r BasinRuns) FlatFraction() float64 { return float64(r.Flat) / float64(r.Runs) }

// RunBasins runs `runs` seeded runs of mini-batch SGD (batch examples per
// step; BasinExamples is full-batch gradient descent) with a fixed step
// eta for `steps` steps. Run r starts at a point drawn uniformly from
// [BasinStartLo, BasinStartHi] by a PCG seeded with (seed, r), the same
// for every configuration, and samples its batches with seed + r.
func (b *Basins) RunBasins(eta float64, batch, steps, runs int, seed uint64) (BasinRuns, error) {
	res := BasinRuns{Eta: eta, Batch: batch, Steps: steps, Runs: runs}
	if batch >= len(b.shift) {
		res.Label = fmt.Sprintf("full batch, eta %v", eta)
	} else {
		res.Label = fmt.Sprintf("batch %d, eta %v", batch, eta)
	}
	barrier := b.Barrier()
	rows := make([]float64, batch)
	for r := range runs {
		rng := rand.New(rand.NewPCG(seed, uint64(r)))
		x0 := BasinStartLo + float64((BasinStartHi-BasinStartLo)*rng.Float64())
		opt, err := sgd.NewOptimizer[float64](1, sgd.Hyper{LR: eta})
		if err != nil {
			return res, err
		}
		s, err := sgd.NewSampler(len(b.shift), batch, false, seed+uint64(r))
		if err != nil {
			return res, err
		}
		p := []float64{x0}
		for range steps {
			idx := s.Next()
			b.Gradients(p, idx, rows[:len(idx)])
			if err := opt.StepBatch(p, rows[:len(idx)], 1/float64(len(idx))); err != nil {
				return res, err
			}
		}
		startFlat, endFlat := x0 > barrier, p[0] > barrier
		if startFlat {
			res.StartFlat++
		}
		if endFlat {
			res.Flat++
		}
		if startFlat == endFlat {
			res.Stayed++
		}
		res.Final = append(res.Final, p[0])
	}
	return res, nil
}

// Basin experiment settings: the comparison, then the sweeps.
const (
	BasinEta   = 0.1
	BasinSteps = 2000
	BasinRunsN = 200
	BasinSeed  = 12
)

// BasinBatches and BasinEtas are the sweeps: batch sizes at BasinEta, and
// step sizes at batch 1 for BasinEta·BasinSteps of "time" (steps scaled
// so that every run travels as far).
var (
	BasinBatches = []int{1, 2, 3, 4, 8, 16, BasinExamples}
	BasinEtas    = []float64{0.1, 0.09, 0.08, 0.07, 0.06, 0.05}
)

// BasinSweep is the whole experiment.
type BasinSweep struct {
	Barrier float64 `json:"barrier"`
	// The minima of the full loss and its curvature there: full-batch
	// gradient descent is stable at a minimum for eta < 2/curvature.
	SharpAt        float64     `json:"sharp_minimum"`
	SharpCurvature float64     `json:"sharp_curvature"`
	FlatAt         float64     `json:"flat_minimum"`
	FlatCurvature  float64     `json:"flat_curvature"`
	GD             BasinRuns   `json:"gradient_descent"`
	SGD            BasinRuns   `json:"sgd"`
	Batches        []BasinRuns `json:"batch_sweep"`
	Etas           []BasinRuns `json:"eta_sweep"`
}

// RunBasinSweep runs the comparison (GD vs SGD with batch 1) and the two
// sweeps.
func RunBasinSweep() (*BasinSweep, error) {
	b := NewBasins(BasinSeed)
	sw := &BasinSweep{Barrier: b.Barrier()}
	sw.SharpAt, sw.SharpCurvature = b.Minimum(BasinStartLo-1, sw.Barrier)
	sw.FlatAt, sw.FlatCurvature = b.Minimum(sw.Barrier, BasinStartHi+1)
	for _, batch := range BasinBatches {
		r, err := b.RunBasins(BasinEta, batch, BasinSteps, BasinRunsN, BasinSeed)
		if err != nil {
			return nil, err
		}
		sw.Batches = append(sw.Batches, r)
	}
	sw.SGD, sw.GD = sw.Batches[0], sw.Batches[len(sw.Batches)-1]
	for _, eta := range BasinEtas {
		steps := int(BasinEta * BasinSteps / eta)
		r, err := b.RunBasins(eta, 1, steps, BasinRunsN, BasinSeed)
		if err != nil {
			return nil, err
		}
		sw.Etas = append(sw.Etas, r)
	}
	return sw, nil
}

// Minimum returns the minimum of the full loss on [lo, hi] (grid of step
// 1e-3) and the curvature there (second difference, step 1e-3).
func (b *Basins) Minimum(lo, hi float64) (at, curvature float64) {
	f := func(x float64) float64 { return b.Loss([]float64{x}, nil) }
	best := 0.0
	for k := 0; ; k++ {
		x := lo + float64(float64(k)*1e-3)
		if x > hi {
			break
		}
		if l := f(x); k == 0 || l < best {
			best, at = l, x
		}
	}
	const h = 1e-3
	return at, (f(at+h) - float64(2*f(at)) + f(at-h)) / (h * h)
}
