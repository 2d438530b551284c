package demo

import (
	"math"

	"github.com/downhill-go/downhill/sgd"
)

// Path is the list of iterates of a run, the start included.
type Path [][]float64

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
func descend(prob sgd.Problem[float64], opt *sgd.Optimizer[float64], start []float64, steps int, sched *sgd.Schedule) (Path, error) {
	p := append([]float64(nil), start...)
	g := make([]float64, prob.Dim())
	all := Path{append([]float64(nil), p...)}
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

// Norm returns the Euclidean norm of p.
func Norm(p []float64) float64 {
	s := 0.0
	for _, v := range p {
		s += float64(v * v)
	}
	return math.Sqrt(s)
}

// sgdPath runs `steps` steps of SGD with mini-batches of `batch` examples
// from a seeded sampler and returns every iterate.
func sgdPath(prob sgd.Problem[float64], opt *sgd.Optimizer[float64], start []float64, batch, steps int, seed uint64, sched sgd.Schedule) (Path, error) {
	s, err := sgd.NewSampler(prob.Len(), batch, false, seed)
	if err != nil {
		return nil, err
	}
	d := prob.Dim()
	p := append([]float64(nil), start...)
	rows := make([]float64, batch*d)
	all := Path{append([]float64(nil), p...)}
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

// Dist returns the Euclidean distance between p and q.
func Dist(p, q []float64) float64 {
	s := 0.0
	for i := range p {
		s += float64((p[i] - q[i]) * (p[i] - q[i]))
	}
	return math.Sqrt(s)
}
