package sgd

// batchState is the trainer's part for a BatchProblem.
type batchState[F Float] struct {
	p       BatchProblem[F] // nil: the per-example rows path
	grad    []F
	scratch *Scratch[F]
	lossSum float64 // Σ batch loss × batch size since the last logged point
	lossN   int64   // examples in lossSum
}

// setupBatch selects the batch-gradient path when the problem has one.
func (t *trainer[F]) setupBatch() {
	bp, ok := t.problem.(BatchProblem[F])
	if !ok {
		return
	}
	t.batch = batchState[F]{p: bp, grad: make([]F, t.dim), scratch: NewScratch[F](t.workers)}
	t.rows, t.carry = nil, nil // the rows path is not used
}

// batchStep applies one optimizer step with the mean gradient of batch
// written by the problem's BatchGradient.
func (t *trainer[F]) batchStep(batch []int) error {
	b := &t.batch
	var l float64
	if err := guard("BatchGradient", func() { l = b.p.BatchGradient(t.params, batch, b.grad, b.scratch) }); err != nil {
		return err
	}
	b.lossSum += float64(l * float64(len(batch))) // no fusion: the same bits on every GOARCH
	b.lossN += int64(len(batch))
	finite, err := t.opt.step(t.params, b.grad, b.scratch.parallelFor, true)
	t.finiteKnown = finite
	return err
}
