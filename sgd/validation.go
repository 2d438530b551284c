package sgd

import (
	"fmt"
	"math"
	"sync"
)

// Scorer is implemented by classification problems: Correct returns how
// many of the examples idx (all examples if idx is nil) params classifies
// correctly. Train reports the validation accuracy with it.
type Scorer[F Float] interface {
	Correct(params []F, idx []int) int
}

// setupValidation checks Config.Validation.
func (t *trainer[F]) setupValidation() error {
	if t.cfg.Validation == nil {
		return nil
	}
	v, ok := t.cfg.Validation.(Problem[F])
	if !ok {
		var z F
		return fmt.Errorf("sgd: Train: Config.Validation is a %T, not a Problem[%T]", t.cfg.Validation, z)
	}
	if v.Dim() != t.dim || v.Len() <= 0 {
		return fmt.Errorf("sgd: Train: the validation problem has Dim %d and Len %d; want Dim %d and Len > 0", v.Dim(), v.Len(), t.dim)
	}
	t.val = v
	return nil
}

// trainLoss returns the training loss of a logged point: with a
// BatchProblem and Config.FullLoss off, the mean of the mini-batch losses
// since the previous point (at the point before the first step: the loss
// of the first mini-batch, computed once more); else the mean loss over
// all examples.
func (t *trainer[F]) trainLoss() (float64, error) {
	b := &t.batch
	if b.p == nil || t.cfg.FullLoss {
		return t.loss()
	}
	if b.lossN == 0 { // no step yet: peek at the next batch
		st := t.sampler.State()
		var l float64
		if err := guard("BatchGradient", func() { l = b.p.BatchGradient(t.params, t.sampler.Next(), b.grad, b.scratch) }); err != nil {
			return 0, err
		}
		return l, t.sampler.SetState(st)
	}
	l := b.lossSum / float64(b.lossN)
	b.lossSum, b.lossN = 0, 0
	return l, nil
}

// validate fills the validation fields of p (NaN without a validation
// problem, or for the accuracy of a problem that is not a Scorer). A
// panic of the validation problem's Loss or Correct is returned as a
// *PanicError, whatever the worker count.
func (t *trainer[F]) validate(p *Point) error {
	p.ValLoss, p.ValAccuracy = math.NaN(), math.NaN()
	if t.val == nil {
		return nil
	}
	n := t.val.Len()
	chunks := (n + lossChunk - 1) / lossChunk
	losses := make([]float64, chunks)
	right := make([]int, chunks)
	sc, scores := t.val.(Scorer[F])
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	chunk := func(c int) error {
		lo, hi := c*lossChunk, min((c+1)*lossChunk, n)
		if err := guard("Loss", func() { losses[c] = float64(t.val.Loss(t.params, idx[lo:hi]) * float64(hi-lo)) }); err != nil {
			return err
		}
		if scores {
			return guard("Correct", func() { right[c] = sc.Correct(t.params, idx[lo:hi]) })
		}
		return nil
	}
	w := max(min(t.workers, chunks), 1)
	errs := make([]error, w)
	var wg sync.WaitGroup
	for i := range w {
		wg.Go(func() {
			for c := i; c < chunks && errs[i] == nil; c += w {
				errs[i] = chunk(c)
			}
		})
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return err
	}
	s, r := 0.0, 0
	for c := range losses {
		s += losses[c]
		r += right[c]
	}
	p.ValLoss = s / float64(n)
	if scores {
		p.ValAccuracy = float64(r) / float64(n)
	}
	return nil
}

// stopLoss is the loss the early-stopping rules watch: the validation
// loss when there is a validation problem, else the training loss.
func (t *trainer[F]) stopLoss(p *Point) float64 {
	if t.val != nil {
		return p.ValLoss
	}
	return p.Loss
}

// Correct returns how many of the examples idx (all if nil) are
// classified correctly (Predict's rule).
func (s *SoftmaxRegression[F]) Correct(params []F, idx []int) int {
	f, right := s.features, 0
	z := make([]float64, s.classes)
	forEach(idx, len(s.labels), func(i int) {
		s.logits(params, s.x[i*f:(i+1)*f], z)
		if argmax(z) == s.labels[i] {
			right++
		}
	})
	return right
}

// Correct returns how many of the examples idx (all if nil) are
// classified correctly (class 1 when z > 0).
func (l *LogisticRegression[F]) Correct(params []F, idx []int) int {
	f, right := l.features, 0
	forEach(idx, len(l.labels), func(i int) {
		pred := 0
		if l.logit(params, l.x[i*f:(i+1)*f]) > 0 {
			pred = 1
		}
		if pred == l.labels[i] {
			right++
		}
	})
	return right
}

// Correct returns how many of the examples idx (all if nil) are
// classified correctly (the most probable class, ties to the lower one).
func (m *MLP[F]) Correct(params []F, idx []int) int {
	_, right := m.eval(params, m.x, m.labels, idx, 1)
	return right
}
