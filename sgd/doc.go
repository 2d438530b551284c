// Package sgd runs mini-batch stochastic gradient descent on downhill's
// kernels: an optimizer with PyTorch's torch.optim.SGD semantics,
// learning-rate schedules that are pure functions of the step number, a
// seeded mini-batch sampler, a parallel trainer whose results do not depend
// on the number of goroutines or on the kernel path, atomic checksummed
// checkpoints, and a few problems (quadratic bowl, least squares, logistic
// and softmax regression, a multilayer perceptron). Everything is generic
// over float32 and float64.
//
// # The update rule
//
// One step of an Optimizer with hyper-parameters Hyper{LR: η, Momentum: μ,
// Dampening: τ, WeightDecay: λ, ...} and learning-rate scale s (set by a
// Schedule) does, for every parameter p with gradient g and velocity v:
//
//  1. Clip (optional, ClipNorm(c)): the mean gradient of the mini-batch
//     is scaled by min(1, c/(‖g‖+1e-6)), ‖g‖ = sqrt(downhill.Dot(g, g)),
//     as torch.nn.utils.clip_grad_norm_ does over all parameters.
//  2. Maximize: g ← -g.
//  3. Coupled weight decay (PyTorch's weight_decay): g ← g + λ·p.
//     Decoupled weight decay (Hyper.DecoupledDecay = δ, the AdamW form) is
//     the named alternative: p ← p·(1 - s·η·δ) before the step, the
//     gradient untouched. The two cannot be combined.
//  4. Momentum (μ > 0): v ← g on the first step (no dampening), afterwards
//     v ← μ·v + (1-τ)·g. Nesterov: d = g + μ·v with the new v, otherwise
//     d = v. Without momentum d = g and no velocity is kept.
//  5. p ← p - s·η·d.
//
// Steps 2 to 5 are one call of downhill.MomentumStep (Step) or, when the
// gradient is the mean of mini-batch rows, downhill.BatchMomentumStep
// (StepBatch); the exact roundings are documented there. Several ranges
// of the parameter vector may carry their own Hyper (WithGroup), like
// PyTorch's parameter groups.
//
// # Schedules
//
// A Schedule maps the step number k = 0, 1, ... (the number of steps
// already taken) to the scale s of every group's learning rate, as
// PyTorch's LambdaLR does. Constant, StepDecay, MultiStep, Exponential,
// Cosine, Polynomial, OneCycle, Warmup and Join build them; none has
// hidden state. Invalid arguments do not panic: the schedule carries the
// error (Schedule.Err), which Train reports.
//
// # Training
//
// A Problem gives the loss of a set of examples and writes per-example
// gradient rows. Train splits every epoch into shuffled mini-batches
// (Sampler), lets Config.Workers goroutines fill the rows of disjoint
// examples, and applies one BatchMomentumStep per mini-batch. Because the
// rows are summed in example order whatever goroutine wrote them, and
// every kernel path is bit-identical, the trajectory is the same bits for
// any number of workers and any path.
//
// A BatchProblem (SoftmaxRegression, LogisticRegression, LeastSquares,
// MLP) writes the mean gradient of the whole mini-batch instead, with
// matrix multiplies (downhill.Gemm) over chunks of BatchChunk examples
// added in chunk order; the workers split the outputs of each multiply
// into blocks, never a sum, so the bits again do not depend on their
// number (the workers also split the elementwise optimizer step and the
// finiteness check; they are goroutines kept for the whole run, which
// busy-wait a few tens of microseconds between the parallel parts of a
// step). Train then applies one Optimizer.Step per mini-batch, and logs
// the running mean of the mini-batch losses (Config.FullLoss for a full
// pass); Config.Validation adds a held-out loss and accuracy per point. Train stops with a *DivergenceError
// when the loss or a parameter becomes NaN or infinite, returns ctx.Err()
// when the context ends, calls Config.Progress at every logged point and
// can stop early (Config.EarlyStop). The returned History holds the loss
// per epoch (or every Config.LogEvery steps), wall time and examples/s.
//
// Checkpoints (SaveCheckpoint, LoadCheckpoint) hold parameters,
// velocity, step count and sampler position; a training run resumed from
// one is bit-identical to one that was never interrupted.
//
// # Example
//
//	prob, err := sgd.NewSoftmaxRegression(x, labels, 784, 10, 0)
//	params := make([]float32, prob.Dim())
//	opt, err := sgd.NewOptimizer[float32](prob.Dim(), sgd.Hyper{LR: 0.1, Momentum: 0.9})
//	hist, err := sgd.Train(ctx, prob, params, opt, sgd.Config{
//		Epochs: 5, BatchSize: 64, Seed: 1,
//		Schedule: sgd.Warmup(100, sgd.Cosine(1, 0.01, 5*938)),
//	})
//	acc, err := prob.Accuracy(params, xTest, labelsTest)
//
// Bad input (invalid hyper-parameters or schedules, empty data,
// mismatched lengths, corrupt checkpoint files) returns an error from the
// constructors, the Optimizer, Train and the checkpoint reader, never a
// panic. The methods of Problem have no error result: they expect params of
// length Dim() and indices in [0, Len()), which Train guarantees.
package sgd
