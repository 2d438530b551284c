package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/downhill-go/downhill/sgd"
)

// MiniBatchReport summarises the mini-batch picture. Work is counted in
// gradient rows (examples processed), which does not depend on the
// machine; the seconds are measured on this run and reported aside.
type MiniBatchReport struct {
	Examples          int     `json:"examples"`
	Features          int     `json:"features"`
	Batch             int     `json:"batch"`
	Budget            int64   `json:"budget_gradient_rows"`
	MiniBatchExcess   float64 `json:"minibatch_excess_loss"`
	FullBatchExcess   float64 `json:"full_batch_excess_loss"`
	MiniBatchSteps    int     `json:"minibatch_steps"`
	FullBatchSteps    int     `json:"full_batch_steps"`
	MiniBatchSeconds  float64 `json:"minibatch_seconds"`
	FullBatchSeconds  float64 `json:"full_batch_seconds"`
	MiniBatchAtOneEp  float64 `json:"minibatch_excess_loss_after_one_epoch"`
	FullBatchAtOneEp  float64 `json:"full_batch_excess_loss_after_one_epoch"`
	OneEpochGradients int     `json:"one_epoch_gradient_rows"`
}

// WorkCurve is the excess loss of a run against the gradient rows
// computed so far.
type WorkCurve struct {
	Name   string
	Rows   []float64
	Excess []float64
}

// MiniBatch is the mini-batch experiment.
type MiniBatch struct {
	Report MiniBatchReport
	Full   WorkCurve
	Mini   WorkCurve
}

// workRun trains until `budget` gradient rows have been computed and
// returns the excess loss at geometrically spaced row counts, the steps
// taken and the seconds spent stepping (loss evaluations excluded).
func workRun(prob *sgd.LeastSquares[float64], opt *sgd.Optimizer[float64], batch int, budget int64, sched func(k int) float64, bestLoss float64) (c WorkCurve, steps int, seconds float64, err error) {
	s, err := sgd.NewSampler(prob.Len(), batch, false, 11)
	if err != nil {
		return c, 0, 0, err
	}
	d := prob.Dim()
	p := make([]float64, d)
	rows := make([]float64, batch*d)
	var used time.Duration
	var done int64
	record := func() {
		c.Rows = append(c.Rows, float64(done))
		c.Excess = append(c.Excess, prob.Loss(p, nil)-bestLoss)
	}
	// Record at geometric row counts (the picture has a log axis),
	// starting after the first step.
	next := int64(0)
	for done < budget {
		t0 := time.Now()
		if err := opt.SetLRScale(sched(steps)); err != nil {
			return c, 0, 0, err
		}
		idx := s.Next()
		r := rows[:len(idx)*d]
		prob.Gradients(p, idx, r)
		if err := opt.StepBatch(p, r, 1/float64(len(idx))); err != nil {
			return c, 0, 0, err
		}
		used += time.Since(t0)
		steps++
		done += int64(len(idx))
		if done >= next {
			record()
			next = max(done*23/20, done+1)
		}
	}
	if c.Rows[len(c.Rows)-1] != float64(done) {
		record()
	}
	return c, steps, used.Seconds(), nil
}

// at returns the excess loss of c at the first record with at least
// `rows` rows.
func (c WorkCurve) at(rows int64) float64 {
	for i, r := range c.Rows {
		if r >= float64(rows) {
			return c.Excess[i]
		}
	}
	return c.Excess[len(c.Excess)-1]
}

// RunMiniBatch compares mini-batch SGD with full-batch gradient descent on
// a least-squares problem, for the same number of gradient rows.
func RunMiniBatch() (*MiniBatch, error) {
	const (
		n      = 20000
		d      = 20
		batch  = 32
		epochs = 100
	)
	rng := rand.New(rand.NewPCG(5, 2))
	scales, w := make([]float64, d), make([]float64, d)
	for j := range scales {
		scales[j] = 1 - 0.65*float64(j)/float64(d-1) // eigenvalues from 1 to 0.12
		w[j] = rng.NormFloat64()
	}
	x, y, best, err := leastSquaresData(rng, n, scales, w, 0.5)
	if err != nil {
		return nil, err
	}
	prob, err := sgd.NewLeastSquares(x, y, d)
	if err != nil {
		return nil, err
	}
	bestLoss := prob.Loss(best, nil)
	mb := &MiniBatch{Report: MiniBatchReport{Examples: n, Features: d, Batch: batch, Budget: epochs * n, OneEpochGradients: n}}
	rep := &mb.Report

	// Full batch: the largest safe step of gradient descent, 1/λmax ≈ 1.
	full, err := sgd.NewOptimizer[float64](d, sgd.Hyper{LR: 0.9})
	if err != nil {
		return nil, err
	}
	mb.Full, rep.FullBatchSteps, rep.FullBatchSeconds, err = workRun(prob, full, n, rep.Budget, func(int) float64 { return 1 }, bestLoss)
	if err != nil {
		return nil, err
	}
	mb.Full.Name = fmt.Sprintf("full batch (%d steps)", rep.FullBatchSteps)
	rep.FullBatchExcess = mb.Full.Excess[len(mb.Full.Excess)-1]
	rep.FullBatchAtOneEp = mb.Full.at(n)
	// Mini-batches: a larger step, decayed as 1/(1+k/2000) to shrink the
	// noise ball.
	mini, err := sgd.NewOptimizer[float64](d, sgd.Hyper{LR: 0.05})
	if err != nil {
		return nil, err
	}
	mb.Mini, rep.MiniBatchSteps, rep.MiniBatchSeconds, err = workRun(prob, mini, batch, rep.Budget, func(k int) float64 { return 1 / (1 + float64(k)/2000) }, bestLoss)
	if err != nil {
		return nil, err
	}
	mb.Mini.Name = fmt.Sprintf("mini-batch of %d (%d steps)", batch, rep.MiniBatchSteps)
	rep.MiniBatchExcess = mb.Mini.Excess[len(mb.Mini.Excess)-1]
	rep.MiniBatchAtOneEp = mb.Mini.at(n)
	return mb, nil
}
