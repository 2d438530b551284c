package sgd

import (
	"fmt"
	"math"
	"sort"
	"sync/atomic"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// Float is the element type of parameters and gradients.
type Float = downhill.Float

// Hyper holds the hyper-parameters of one parameter group, with the
// meaning of PyTorch's torch.optim.SGD arguments (see the package doc for
// the update rule).
type Hyper struct {
	LR          float64 // learning rate η: finite, >= 0
	Momentum    float64 // μ in [0, 1); 0 keeps no velocity
	Dampening   float64 // τ in [0, 1]; not applied on the first step
	WeightDecay float64 // coupled L2 decay λ >= 0: g ← g + λ·p
	// DecoupledDecay δ >= 0 shrinks the parameters, p ← p·(1 - s·η·δ),
	// before the step instead of adding to the gradient. It excludes
	// WeightDecay.
	DecoupledDecay float64
	Nesterov       bool // step along g + μ·v; needs Momentum > 0 and Dampening = 0
	Maximize       bool // ascend the objective
}

// Validate returns an error naming the first invalid field of h.
func (h Hyper) Validate() error {
	switch {
	case !finite(h.LR) || h.LR < 0:
		return fmt.Errorf("sgd: invalid learning rate %v (must be finite and >= 0)", h.LR)
	case !finite(h.Momentum) || h.Momentum < 0 || h.Momentum >= 1:
		return fmt.Errorf("sgd: invalid momentum %v (must be in [0, 1))", h.Momentum)
	case !finite(h.Dampening) || h.Dampening < 0 || h.Dampening > 1:
		return fmt.Errorf("sgd: invalid dampening %v (must be in [0, 1])", h.Dampening)
	case !finite(h.WeightDecay) || h.WeightDecay < 0:
		return fmt.Errorf("sgd: invalid weight decay %v (must be finite and >= 0)", h.WeightDecay)
	case !finite(h.DecoupledDecay) || h.DecoupledDecay < 0:
		return fmt.Errorf("sgd: invalid decoupled weight decay %v (must be finite and >= 0)", h.DecoupledDecay)
	case h.WeightDecay != 0 && h.DecoupledDecay != 0:
		return fmt.Errorf("sgd: WeightDecay (coupled, %v) and DecoupledDecay (%v) are exclusive: choose one", h.WeightDecay, h.DecoupledDecay)
	case h.Nesterov && h.Momentum == 0:
		return fmt.Errorf("sgd: Nesterov momentum requires Momentum > 0")
	case h.Nesterov && h.Dampening != 0:
		return fmt.Errorf("sgd: Nesterov momentum requires Dampening = 0 (got %v)", h.Dampening)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// An Option is one optional setting of NewOptimizer, made by WithGroup,
// ClipNorm or OnPath; it prints as the call that made it (for example
// "ClipNorm(5)"). The zero Option sets nothing.
type Option struct {
	name  string
	apply func(*optConfig) error
}

// String returns the call that made the option.
func (o Option) String() string {
	if o.apply == nil {
		return "no option"
	}
	return o.name
}

type optConfig struct {
	groups  []groupRange
	clip    float64
	path    dispatch.Path
	pathSet bool
}

type groupRange struct {
	from, to int
	h        Hyper
}

// WithGroup gives the parameters [from, to) their own hyper-parameters,
// like a PyTorch parameter group. Groups must not overlap; parameters in
// no group use the Hyper passed to NewOptimizer.
func WithGroup(from, to int, h Hyper) Option {
	return Option{fmt.Sprintf("WithGroup(%d, %d, %+v)", from, to, h), func(c *optConfig) error {
		c.groups = append(c.groups, groupRange{from, to, h})
		return nil
	}}
}

// ClipNorm clips the global L2 norm of each step's gradient to maxNorm
// (> 0), as torch.nn.utils.clip_grad_norm_: the gradient is scaled by
// min(1, maxNorm/(‖g‖+1e-6)).
func ClipNorm(maxNorm float64) Option {
	return Option{fmt.Sprintf("ClipNorm(%v)", maxNorm), func(c *optConfig) error {
		if !finite(maxNorm) || maxNorm <= 0 {
			return fmt.Errorf("sgd: invalid clipping norm %v (must be finite and > 0)", maxNorm)
		}
		c.clip = maxNorm
		return nil
	}}
}

// OnPath runs the optimizer's kernels on path p instead of the active
// one (every path gives the same bits; this exists to prove it).
func OnPath(p dispatch.Path) Option {
	return Option{fmt.Sprintf("OnPath(%s)", p), func(c *optConfig) error {
		if !dispatch.IsAvailable(p) {
			return fmt.Errorf("sgd: kernel path %s is not available here (available: %v)", p, dispatch.Available())
		}
		c.path, c.pathSet = p, true
		return nil
	}}
}

// Optimizer applies SGD steps to a parameter vector of fixed length. It
// owns the velocity and the step count. It is not safe for concurrent use.
type Optimizer[F Float] struct {
	k       downhill.Kernels[F]
	dim     int
	groups  []group // sorted, covering [0, dim) without gaps
	clip    float64
	scale   float64 // learning-rate scale set by the schedule
	steps   int     // steps taken
	fresh   bool    // the velocity holds no history yet
	v       []F     // velocity (nil when no group uses momentum)
	g       []F     // gradient scratch for clipping, groups and decoupled decay
	zeros   []F     // stepBlock zeros for the finiteness check of step
	fusedOK bool    // one group, no clipping, no decoupled decay: StepBatch fuses
}

type group struct {
	from, to int
	h        Hyper
}

// NewOptimizer returns an optimizer for dim parameters with default
// hyper-parameters h.
func NewOptimizer[F Float](dim int, h Hyper, opts ...Option) (*Optimizer[F], error) {
	if dim <= 0 {
		return nil, fmt.Errorf("sgd: optimizer dimension %d must be > 0", dim)
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	var c optConfig
	for _, o := range opts {
		if o.apply == nil {
			continue
		}
		if err := o.apply(&c); err != nil {
			return nil, err
		}
	}
	gs, err := buildGroups(dim, h, c.groups)
	if err != nil {
		return nil, err
	}
	path := dispatch.Active()
	if c.pathSet {
		path = c.path
	}
	k, err := downhill.On[F](path)
	if err != nil {
		return nil, fmt.Errorf("sgd: %v", err)
	}
	o := &Optimizer[F]{k: k, dim: dim, groups: gs, clip: c.clip, scale: 1, fresh: true}
	for _, g := range gs {
		if g.h.Momentum != 0 && o.v == nil {
			o.v = make([]F, dim)
		}
	}
	o.fusedOK = len(gs) == 1 && o.clip == 0 && gs[0].h.DecoupledDecay == 0
	if !o.fusedOK {
		o.g = make([]F, dim)
	}
	return o, nil
}

func buildGroups(dim int, h Hyper, rs []groupRange) ([]group, error) {
	rs = append([]groupRange(nil), rs...)
	for _, r := range rs {
		if r.from < 0 || r.to > dim || r.from >= r.to {
			return nil, fmt.Errorf("sgd: parameter group [%d, %d) is empty or outside [0, %d)", r.from, r.to, dim)
		}
		if err := r.h.Validate(); err != nil {
			return nil, fmt.Errorf("sgd: parameter group [%d, %d): %w", r.from, r.to, err)
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].from < rs[j].from })
	var gs []group
	at := 0
	for i, r := range rs {
		if i > 0 && r.from < rs[i-1].to {
			return nil, fmt.Errorf("sgd: parameter groups [%d, %d) and [%d, %d) overlap", rs[i-1].from, rs[i-1].to, r.from, r.to)
		}
		if r.from > at {
			gs = append(gs, group{at, r.from, h})
		}
		gs = append(gs, group{r.from, r.to, r.h})
		at = r.to
	}
	if at < dim {
		gs = append(gs, group{at, dim, h})
	}
	return gs, nil
}

// Dim returns the number of parameters.
func (o *Optimizer[F]) Dim() int { return o.dim }

// Steps returns the number of steps taken (restored by a checkpoint).
func (o *Optimizer[F]) Steps() int { return o.steps }

// Path returns the kernel path the optimizer runs on.
func (o *Optimizer[F]) Path() dispatch.Path { return o.k.Path() }

// LRScale returns the current learning-rate scale (1 unless set).
func (o *Optimizer[F]) LRScale() float64 { return o.scale }

// SetLRScale sets the factor s applied to every group's learning rate
// from the next step on; Train sets it to Config.Schedule.At(Steps())
// before each step. s must be finite and >= 0.
func (o *Optimizer[F]) SetLRScale(s float64) error {
	if !finite(s) || s < 0 {
		return fmt.Errorf("sgd: invalid learning-rate scale %v (must be finite and >= 0)", s)
	}
	o.scale = s
	return nil
}

// Velocity returns the velocity buffer (nil without momentum). The
// caller may read it; writing changes the next step.
func (o *Optimizer[F]) Velocity() []F { return o.v }

// Reset forgets the velocity and the step count.
func (o *Optimizer[F]) Reset() {
	clear(o.v)
	o.steps, o.fresh = 0, true
}

// Step applies one step with the full gradient grad (len Dim()) to
// params. grad is not modified.
func (o *Optimizer[F]) Step(params, grad []F) error {
	_, err := o.step(params, grad, nil, false)
	return err
}

// splitter runs fn(lo, hi) on pieces covering [0, n), possibly at once on
// several goroutines (Scratch.parallelFor); nil runs fn(0, n).
type splitter func(work, n, grain int, fn func(lo, hi int))

func (sp splitter) run(n int, fn func(lo, hi int)) {
	if sp == nil {
		fn(0, n)
		return
	}
	sp(n, n, stepGrain, fn)
}

// stepGrain is the granularity of a split optimizer step. Every kernel
// of the step but the clipping norm is elementwise (an element's result
// depends on that element alone), so any split gives the same bits.
const stepGrain = 1024

// stepBlock is the number of elements a split step updates and then
// checks before it goes on: small enough that the parameters are still in
// the L1 cache when the check reads them.
const stepBlock = 2048

// step is Step with the elementwise kernels split by sp (the trainer's
// workers). With check it also reports whether every parameter is finite
// after the step, found block by block right after each block's update:
// Dot(p, 0) is ±0 when every element of p is finite and NaN otherwise.
func (o *Optimizer[F]) step(params, grad []F, sp splitter, check bool) (finite bool, err error) {
	if len(params) != o.dim || len(grad) != o.dim {
		return false, fmt.Errorf("sgd: Step: len(params)=%d, len(grad)=%d, want both %d", len(params), len(grad), o.dim)
	}
	if check && len(o.zeros) != stepBlock {
		o.zeros = make([]F, stepBlock)
	}
	var bad atomic.Bool
	checkRange := func(lo, hi int) {
		for b := lo; b < hi; b += stepBlock {
			e := min(hi, b+stepBlock)
			if o.k.Dot(params[b:e], o.zeros[:e-b]) != 0 {
				bad.Store(true)
				return
			}
		}
	}
	if o.fusedOK {
		h := o.momentum(o.groups[0].h)
		sp.run(o.dim, func(lo, hi int) {
			for b := lo; b < hi; b += stepBlock {
				e := min(hi, b+stepBlock)
				var v []F
				if o.v != nil {
					v = o.v[b:e]
				}
				o.k.MomentumStep(params[b:e], grad[b:e], v, h)
				if check {
					checkRange(b, e)
				}
			}
		})
		o.advance()
		return !bad.Load(), nil
	}
	sp.run(o.dim, func(lo, hi int) { copy(o.g[lo:hi], grad[lo:hi]) })
	o.stepGrad(params, sp)
	if check {
		sp.run(o.dim, checkRange)
	}
	return !bad.Load(), nil
}

// StepBatch applies one step whose gradient is scale times the sum of the
// rows of rows (len a multiple of Dim(), row r = rows[r*Dim():(r+1)*Dim()]),
// summed in row order: with scale = 1/B it is the mean gradient of a
// mini-batch of B per-example rows. When no clipping, decoupled decay or
// second group is configured this is a single downhill.BatchMomentumStep;
// otherwise SumRows then MomentumStep per group, which gives the same bits.
func (o *Optimizer[F]) StepBatch(params, rows []F, scale F) error {
	if len(params) != o.dim {
		return fmt.Errorf("sgd: StepBatch: len(params)=%d, want %d", len(params), o.dim)
	}
	if len(rows) == 0 || len(rows)%o.dim != 0 {
		return fmt.Errorf("sgd: StepBatch: len(rows)=%d is not a positive multiple of %d", len(rows), o.dim)
	}
	if o.fusedOK {
		o.k.BatchMomentumStep(params, o.v, rows, scale, o.momentum(o.groups[0].h))
		o.advance()
		return nil
	}
	o.k.SumRows(o.g, scale, rows)
	o.stepGrad(params, nil)
	return nil
}

// stepGrad steps with the gradient in o.g, which it may overwrite. The
// clipping norm is one Dot over the whole gradient (never split: its
// summation order is Dot's); the rest is elementwise and split by sp.
func (o *Optimizer[F]) stepGrad(params []F, sp splitter) {
	if o.clip > 0 {
		norm := math.Sqrt(float64(o.k.Dot(o.g, o.g)))
		if c := o.clip / (norm + 1e-6); c < 1 {
			sp.run(o.dim, func(lo, hi int) { o.k.Scale(F(c), o.g[lo:hi]) })
		}
	}
	for _, g := range o.groups {
		p, gg := params[g.from:g.to], o.g[g.from:g.to]
		var v []F
		if g.h.Momentum != 0 {
			v = o.v[g.from:g.to]
		}
		h := o.momentum(g.h)
		decay := F(1 - float64(o.scale*g.h.LR*g.h.DecoupledDecay))
		sp.run(g.to-g.from, func(lo, hi int) {
			if g.h.DecoupledDecay != 0 {
				o.k.Scale(decay, p[lo:hi])
			}
			var vb []F
			if v != nil {
				vb = v[lo:hi]
			}
			o.k.MomentumStep(p[lo:hi], gg[lo:hi], vb, h)
		})
	}
	o.advance()
}

// momentum converts h to the kernels' form, rounding each value to F.
func (o *Optimizer[F]) momentum(h Hyper) downhill.Momentum[F] {
	return downhill.Momentum[F]{
		LR:          F(o.scale * h.LR),
		Mu:          F(h.Momentum),
		Dampening:   F(h.Dampening),
		WeightDecay: F(h.WeightDecay),
		Nesterov:    h.Nesterov,
		Maximize:    h.Maximize,
		Fresh:       o.fresh,
	}
}

func (o *Optimizer[F]) advance() {
	o.steps++
	o.fresh = false
}
