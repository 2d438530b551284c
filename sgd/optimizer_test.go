package sgd

import (
	"strings"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
)

func TestHyperValidation(t *testing.T) {
	nan, inf := 0.0, 1.0
	nan /= nan
	inf /= 0
	for _, c := range []struct {
		h    Hyper
		want string
	}{
		{Hyper{LR: -0.1}, "learning rate"},
		{Hyper{LR: nan}, "learning rate"},
		{Hyper{LR: inf}, "learning rate"},
		{Hyper{LR: 0.1, Momentum: -0.5}, "momentum"},
		{Hyper{LR: 0.1, Momentum: 1}, "momentum"},
		{Hyper{LR: 0.1, Momentum: nan}, "momentum"},
		{Hyper{LR: 0.1, Momentum: 0.9, Dampening: 1.5}, "dampening"},
		{Hyper{LR: 0.1, WeightDecay: -1}, "weight decay"},
		{Hyper{LR: 0.1, DecoupledDecay: inf}, "decoupled"},
		{Hyper{LR: 0.1, WeightDecay: 0.1, DecoupledDecay: 0.1}, "exclusive"},
		{Hyper{LR: 0.1, Nesterov: true}, "Nesterov"},
		{Hyper{LR: 0.1, Momentum: 0.9, Dampening: 0.1, Nesterov: true}, "Nesterov"},
	} {
		_, err := NewOptimizer[float64](3, c.h)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.h, err, c.want)
		}
	}
	if _, err := NewOptimizer[float64](3, Hyper{LR: 0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4}); err != nil {
		t.Errorf("valid hyper-parameters rejected: %v", err)
	}
	if _, err := NewOptimizer[float64](0, Hyper{LR: 0.1}); err == nil {
		t.Error("dimension 0 accepted")
	}
	for _, opts := range [][]Option{
		{WithGroup(2, 5, Hyper{LR: 1})},                                // past the end
		{WithGroup(1, 1, Hyper{LR: 1})},                                // empty
		{WithGroup(0, 2, Hyper{LR: 1}), WithGroup(1, 3, Hyper{LR: 1})}, // overlap
		{WithGroup(0, 2, Hyper{LR: -1})},                               // invalid group
		{ClipNorm(0)},
		{OnPath(dispatch.Path(200))},
	} {
		if _, err := NewOptimizer[float64](4, Hyper{LR: 0.1}, opts...); err == nil {
			t.Errorf("options %d accepted", len(opts))
		}
	}
	opt, _ := NewOptimizer[float64](2, Hyper{LR: 0.1})
	if err := opt.Step(make([]float64, 3), make([]float64, 2)); err == nil {
		t.Error("Step with mismatched lengths accepted")
	}
	if err := opt.StepBatch(make([]float64, 2), make([]float64, 3), 1); err == nil {
		t.Error("StepBatch with rows not a multiple of Dim accepted")
	}
	if err := opt.StepBatch(make([]float64, 2), nil, 1); err == nil {
		t.Error("StepBatch with no rows accepted")
	}
	if err := opt.SetLRScale(-1); err == nil {
		t.Error("negative learning-rate scale accepted")
	}
	if opt.Steps() != 0 {
		t.Errorf("rejected steps counted: %d", opt.Steps())
	}
}

// parityCase is a trajectory of torch.optim.SGD derived by hand, from
// p0 = (1, -2) with the gradients below (independent of p), for the update
//
//	g = -grad if maximize; g = g + wd*p; buf = g (first step) or
//	mu*buf + (1-dampening)*g; g = g + mu*buf (nesterov) or buf; p = p - lr*g
//
// Every number is dyadic, so both float32 and float64 give it exactly.
type parityCase struct {
	name  string
	h     Hyper
	lrs   []float64 // learning rate of each step (param_group["lr"] changed between steps)
	grads [][2]float64
	want  [][2]float64 // parameters after each step
}

var parityCases = []parityCase{
	{"momentum, first step copies the gradient", Hyper{LR: 0.25, Momentum: 0.5}, nil,
		[][2]float64{{1, 2}, {-2, 4}, {0.5, 0.5}},
		// buf (1,2) -> (-1.5,5) -> (-0.25,3)
		[][2]float64{{0.75, -2.5}, {1.125, -3.75}, {1.1875, -4.5}}},
	{"dampening, not on the first step", Hyper{LR: 0.25, Momentum: 0.5, Dampening: 0.5}, nil,
		[][2]float64{{1, 2}, {-2, 4}, {0.5, 0.5}},
		// buf (1,2) -> (-0.5,3) -> (0,1.75)
		[][2]float64{{0.75, -2.5}, {0.875, -3.25}, {0.875, -3.6875}}},
	{"nesterov", Hyper{LR: 0.25, Momentum: 0.5, Nesterov: true}, nil,
		[][2]float64{{1, 2}, {-2, 4}},
		// d = g + mu*buf: (1.5,3), then buf (-1.5,5), d (-2.75,6.5)
		[][2]float64{{0.625, -2.75}, {1.3125, -4.375}}},
	{"coupled weight decay, no momentum", Hyper{LR: 0.25, WeightDecay: 0.5}, nil,
		[][2]float64{{1, 2}, {-2, 4}},
		// d = g + 0.5 p: (1.5,1), then (-1.6875,2.875)
		[][2]float64{{0.625, -2.25}, {1.046875, -2.96875}}},
	{"maximize negates before weight decay", Hyper{LR: 0.25, Momentum: 0.5, WeightDecay: 0.5, Maximize: true}, nil,
		[][2]float64{{1, 2}, {-2, 4}},
		// g = -grad + 0.5 p: (-0.5,-3) = buf; then (2.5625,-4.625), buf (2.3125,-6.125)
		[][2]float64{{1.125, -1.25}, {0.546875, 0.28125}}},
	{"lr changed between steps applies to the whole velocity", Hyper{LR: 0.25, Momentum: 0.5}, []float64{0.25, 0.5},
		[][2]float64{{1, 2}, {-2, 4}},
		// buf (1,2) -> (-1.5,5), the second step with lr 0.5
		[][2]float64{{0.75, -2.5}, {1.5, -5}}},
	{"decoupled weight decay (not in torch.optim.SGD: p *= 1-lr*wd first)", Hyper{LR: 0.25, Momentum: 0.5, DecoupledDecay: 0.5}, nil,
		[][2]float64{{1, 2}, {-2, 4}},
		// p = 0.875 p - 0.25 buf, buf (1,2) -> (-1.5,5)
		[][2]float64{{0.625, -2.25}, {0.921875, -3.21875}}},
}

// TestPyTorchParity is claim 6: hand-derived torch.optim.SGD trajectories
// are reproduced exactly, through Step and through StepBatch, in both
// precisions, on every kernel path.
func TestPyTorchParity(t *testing.T) {
	for _, path := range dispatch.Available() {
		for _, c := range parityCases {
			runParity[float32](t, path, c, false)
			runParity[float32](t, path, c, true)
			runParity[float64](t, path, c, false)
			runParity[float64](t, path, c, true)
		}
	}
}

func runParity[F Float](t *testing.T, path dispatch.Path, c parityCase, batch bool) {
	t.Helper()
	opt, err := NewOptimizer[F](2, c.h, OnPath(path))
	if err != nil {
		t.Fatal(err)
	}
	p := []F{1, -2}
	for k, g := range c.grads {
		if c.lrs != nil {
			opt.SetLRScale(c.lrs[k] / c.h.LR)
		}
		if batch {
			// Two rows that sum to 2g, scaled by 1/2: the mean gradient is g.
			rows := []F{F(g[0]) * 3, F(g[1]) * 3, -F(g[0]), -F(g[1])}
			err = opt.StepBatch(p, rows, 0.5)
		} else {
			err = opt.Step(p, []F{F(g[0]), F(g[1])})
		}
		if err != nil {
			t.Fatal(err)
		}
		if w := []F{F(c.want[k][0]), F(c.want[k][1])}; p[0] != w[0] || p[1] != w[1] {
			t.Errorf("%s [%s, %T, batch %v] step %d: p = %v, want %v", c.name, path, p[0], batch, k+1, p, w)
			return
		}
	}
	if opt.Steps() != len(c.grads) {
		t.Errorf("%s: Steps() = %d, want %d", c.name, opt.Steps(), len(c.grads))
	}
}

func TestClipNorm(t *testing.T) {
	// ‖(3, 4)‖ = 5 > 1: the step uses g·c with c = 1/(5+1e-6).
	opt, err := NewOptimizer[float64](2, Hyper{LR: 0.5}, ClipNorm(1))
	if err != nil {
		t.Fatal(err)
	}
	p := []float64{1, 1}
	g := []float64{3, 4}
	if err := opt.Step(p, g); err != nil {
		t.Fatal(err)
	}
	c := 1 / (5 + 1e-6)
	for i, gi := range []float64{3, 4} {
		if want := 1 - 0.5*(c*gi); p[i] != want {
			t.Errorf("p[%d] = %v, want %v", i, p[i], want)
		}
	}
	if g[0] != 3 || g[1] != 4 {
		t.Errorf("Step modified the caller's gradient: %v", g)
	}
	// Below the threshold nothing is scaled.
	opt, _ = NewOptimizer[float64](2, Hyper{LR: 0.5}, ClipNorm(10))
	p = []float64{1, 1}
	opt.Step(p, g)
	if p[0] != -0.5 || p[1] != -1 {
		t.Errorf("unclipped step: p = %v, want [-0.5 -1]", p)
	}
}

func TestGroups(t *testing.T) {
	// Group [2, 4) frozen (LR 0) and group [4, 6) without momentum must
	// behave as optimizers of their own on those slices.
	base := Hyper{LR: 0.1, Momentum: 0.9, WeightDecay: 0.01}
	frozen := Hyper{}
	plain := Hyper{LR: 0.3}
	opt, err := NewOptimizer[float64](6, base, WithGroup(4, 6, plain), WithGroup(2, 4, frozen))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := NewOptimizer[float64](2, base)
	b, _ := NewOptimizer[float64](2, plain)
	p := []float64{1, 2, 3, 4, 5, 6}
	pa, pb := []float64{1, 2}, []float64{5, 6}
	for k := range 4 {
		g := []float64{float64(k) - 1, 0.5, 7, 8, -float64(k), 2}
		if err := opt.Step(p, g); err != nil {
			t.Fatal(err)
		}
		a.Step(pa, g[:2])
		b.Step(pb, g[4:])
	}
	if p[0] != pa[0] || p[1] != pa[1] || p[2] != 3 || p[3] != 4 || p[4] != pb[0] || p[5] != pb[1] {
		t.Errorf("grouped p = %v; separate optimizers give %v, [3 4], %v", p, pa, pb)
	}
}

// TestStepBatchMatchesStep checks that the fused path (one group) and the
// SumRows + MomentumStep path (clipping forces it) agree bit for bit with
// Step on the summed gradient.
func TestStepBatchMatchesStep(t *testing.T) {
	x, _ := clusters[float32](5, 37, 2, 1, 3)
	rows := x // 5 rows of 37
	h := Hyper{LR: 0.05, Momentum: 0.9, Dampening: 0.1, WeightDecay: 0.01}
	for _, opts := range [][]Option{nil, {ClipNorm(1e9)}} {
		o1, _ := NewOptimizer[float32](37, h, opts...)
		o2, _ := NewOptimizer[float32](37, h)
		p1, p2 := make([]float32, 37), make([]float32, 37)
		for i := range p1 {
			p1[i] = float32(i) / 10
			p2[i] = p1[i]
		}
		for range 3 {
			if err := o1.StepBatch(p1, rows, 0.2); err != nil {
				t.Fatal(err)
			}
			g := make([]float32, 37)
			for i := range g {
				s := rows[i]
				for r := 1; r < 5; r++ {
					s += rows[r*37+i]
				}
				g[i] = 0.2 * s
			}
			o2.Step(p2, g)
		}
		if i, ok := sameBits(p1, p2); !ok {
			t.Errorf("options %d: StepBatch and Step differ at %d: %v vs %v", len(opts), i, p1[i], p2[i])
		}
	}
}
