package downhill_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// This file checks the contract of the public API on every available
// path: no allocation, the exact panic message of every length mismatch
// (with nothing written), empty slices as no-ops, and On refusing a path
// that cannot run here.

// apiKernels is one entry point to the kernels: the Kernels of a path,
// or the package-level functions (the active path) when k is nil.
type apiKernels[F downhill.Float] struct {
	name string
	k    *downhill.Kernels[F]
}

// apiPaths returns the package-level functions, named "active", and the
// kernels of every available path.
func apiPaths[F downhill.Float](t *testing.T) []apiKernels[F] {
	out := []apiKernels[F]{{name: "active"}}
	for _, p := range dispatch.Available() {
		k, err := downhill.On[F](p)
		if err != nil {
			t.Fatalf("On(%s): %v", p, err)
		}
		out = append(out, apiKernels[F]{name: p.String(), k: &k})
	}
	return out
}

func (a apiKernels[F]) axpy(alpha F, x, y []F) {
	if a.k == nil {
		downhill.Axpy(alpha, x, y)
	} else {
		a.k.Axpy(alpha, x, y)
	}
}

func (a apiKernels[F]) axpby(alpha F, x []F, beta F, y []F) {
	if a.k == nil {
		downhill.Axpby(alpha, x, beta, y)
	} else {
		a.k.Axpby(alpha, x, beta, y)
	}
}

func (a apiKernels[F]) scale(alpha F, x []F) {
	if a.k == nil {
		downhill.Scale(alpha, x)
	} else {
		a.k.Scale(alpha, x)
	}
}

func (a apiKernels[F]) dot(x, y []F) F {
	if a.k == nil {
		return downhill.Dot(x, y)
	}
	return a.k.Dot(x, y)
}

func (a apiKernels[F]) sumRows(dst []F, scale F, src []F) {
	if a.k == nil {
		downhill.SumRows(dst, scale, src)
	} else {
		a.k.SumRows(dst, scale, src)
	}
}

func (a apiKernels[F]) momentumStep(p, g, v []F, h downhill.Momentum[F]) {
	if a.k == nil {
		downhill.MomentumStep(p, g, v, h)
	} else {
		a.k.MomentumStep(p, g, v, h)
	}
}

func (a apiKernels[F]) batchMomentumStep(p, v, rows []F, scale F, h downhill.Momentum[F]) {
	if a.k == nil {
		downhill.BatchMomentumStep(p, v, rows, scale, h)
	} else {
		a.k.BatchMomentumStep(p, v, rows, scale, h)
	}
}

func filled[F downhill.Float](n int, first F) []F {
	x := make([]F, n)
	for i := range x {
		x[i] = first + F(i)/8
	}
	return x
}

func TestAPIZeroAllocs(t *testing.T) {
	testAPIZeroAllocs[float32](t)
	testAPIZeroAllocs[float64](t)
}

func testAPIZeroAllocs[F downhill.Float](t *testing.T) {
	const n, rows = 100, 4
	heavy := downhill.Momentum[F]{LR: 0.01, Mu: 0.9, Dampening: 0.1, WeightDecay: 1e-4, Nesterov: true}
	plain := downhill.Momentum[F]{LR: 0.01}
	for _, a := range apiPaths[F](t) {
		x, y, src := filled[F](n, 1), filled[F](n, -2), filled[F](rows*n, 0.5)
		p, g, v := filled[F](n, 3), filled[F](n, 0.25), filled[F](n, 0)
		var sink F
		calls := []struct {
			name string
			f    func()
		}{
			{"Axpy", func() { a.axpy(0.5, x, y) }},
			{"Axpy aliased", func() { a.axpy(0.5, y, y) }},
			{"Axpby", func() { a.axpby(0.5, x, 0.25, y) }},
			{"Scale", func() { a.scale(1, x) }},
			{"Dot", func() { sink += a.dot(x, y) }},
			{"SumRows", func() { a.sumRows(y, 0.25, src) }},
			{"MomentumStep", func() { a.momentumStep(p, g, v, heavy) }},
			{"MomentumStep Mu=0 v=nil", func() { a.momentumStep(p, g, nil, plain) }},
			{"BatchMomentumStep", func() { a.batchMomentumStep(p, v, src, 0.25, heavy) }},
			{"BatchMomentumStep Mu=0 v=nil", func() { a.batchMomentumStep(p, nil, src, 0.25, plain) }},
			{"BatchMomentumStep m=0", func() { a.batchMomentumStep(p, v, nil, 0.25, heavy) }},
			// Slices of local arrays stay on the stack only if no
			// kernel lets them escape (as a call through a function
			// value would).
			{"Axpy on stack", func() {
				var xs, ys [40]F
				a.axpy(2, xs[:], ys[:])
				sink += ys[3]
			}},
			{"Dot on stack", func() {
				var xs, ys [40]F
				sink += a.dot(xs[:], ys[:])
			}},
			{"MomentumStep on stack", func() {
				var ps, gs, vs [40]F
				a.momentumStep(ps[:], gs[:], vs[:], heavy)
				sink += ps[3]
			}},
			{"BatchMomentumStep on stack", func() {
				var ps, vs [40]F
				var rs [80]F
				a.batchMomentumStep(ps[:], vs[:], rs[:], 0.5, heavy)
				sink += ps[3]
			}},
		}
		for _, c := range calls {
			if got := testing.AllocsPerRun(20, c.f); got != 0 {
				t.Errorf("%T %s %s: %v allocations per call, want 0", sink, a.name, c.name, got)
			}
		}
	}
}

// panicText runs f and returns what it panicked with ("" if it did not).
func panicText(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestAPIPanics(t *testing.T) {
	testAPIPanics[float32](t)
	testAPIPanics[float64](t)
}

func testAPIPanics[F downhill.Float](t *testing.T) {
	h := downhill.Momentum[F]{LR: 0.1, Mu: 0.9}
	for _, a := range apiPaths[F](t) {
		s := func(n int) []F { return filled[F](n, 1) }
		// Every output starts as filled(n, 1) and must still be so after
		// the panic: the lengths are checked before anything is written.
		outs := map[string][]F{}
		out := func(name string, n int) []F {
			outs[name] = s(n)
			return outs[name]
		}
		cases := []struct {
			want string
			f    func()
		}{
			{"downhill: Axpy: len(x)=3 != len(y)=4", func() { a.axpy(1, s(3), out("y", 4)) }},
			{"downhill: Axpy: len(x)=4 != len(y)=0", func() { a.axpy(1, s(4), nil) }},
			{"downhill: Axpby: len(x)=5 != len(y)=2", func() { a.axpby(1, s(5), 2, out("y", 2)) }},
			{"downhill: Dot: len(x)=0 != len(y)=1", func() { a.dot(nil, s(1)) }},
			{"downhill: Dot: len(x)=65 != len(y)=64", func() { a.dot(s(65), s(64)) }},
			{"downhill: SumRows: len(src)=5 is not a multiple of len(dst)=2", func() { a.sumRows(out("dst", 2), 1, s(5)) }},
			{"downhill: SumRows: len(src)=3 is not a multiple of len(dst)=0", func() { a.sumRows(nil, 1, s(3)) }},
			{"downhill: MomentumStep: len(p)=3 != len(g)=2", func() { a.momentumStep(out("p", 3), s(2), out("v", 3), h) }},
			{"downhill: MomentumStep: len(p)=3 != len(v)=4", func() { a.momentumStep(out("p", 3), s(3), out("v", 4), h) }},
			{"downhill: MomentumStep: len(p)=3 != len(v)=0", func() { a.momentumStep(out("p", 3), s(3), nil, h) }},
			{"downhill: BatchMomentumStep: len(rows)=7 is not a multiple of len(p)=3", func() {
				a.batchMomentumStep(out("p", 3), out("v", 3), s(7), 1, h)
			}},
			{"downhill: BatchMomentumStep: len(rows)=2 is not a multiple of len(p)=0", func() {
				a.batchMomentumStep(nil, nil, s(2), 1, h)
			}},
			{"downhill: BatchMomentumStep: len(p)=3 != len(v)=2", func() {
				a.batchMomentumStep(out("p", 3), out("v", 2), s(6), 1, h)
			}},
		}
		for _, c := range cases {
			clear(outs)
			got := panicText(c.f)
			if got != c.want {
				t.Errorf("%T %s: panic %q, want %q", F(0), a.name, got, c.want)
			}
			for name, o := range outs {
				if !equalBits(o, s(len(o))) {
					t.Errorf("%T %s: %q: %s written before the panic: %v", F(0), a.name, c.want, name, o)
				}
			}
		}
	}
}

// equalBits reports whether x and y hold the same bits.
func equalBits[F downhill.Float](x, y []F) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if math.Float64bits(float64(x[i])) != math.Float64bits(float64(y[i])) {
			return false
		}
	}
	return true
}

func TestAPIEmptyIsNoOp(t *testing.T) {
	testAPIEmptyIsNoOp[float32](t)
	testAPIEmptyIsNoOp[float64](t)
}

func testAPIEmptyIsNoOp[F downhill.Float](t *testing.T) {
	h := downhill.Momentum[F]{LR: 0.1, Mu: 0.9, WeightDecay: 0.5, Nesterov: true}
	for _, a := range apiPaths[F](t) {
		// Empty slices cut from longer arrays: nothing past their
		// (zero) length may be touched.
		x, y, v := filled[F](8, 1), filled[F](8, 2), filled[F](8, 3)
		x0, y0, v0 := x[:0], y[:0], v[:0]
		a.axpy(2, x0, y0)
		a.axpy(2, nil, nil)
		a.axpby(2, x0, 3, y0)
		a.scale(2, x0)
		a.scale(2, nil)
		if d := a.dot(x0, y0); d != 0 || math.Signbit(float64(d)) {
			t.Errorf("%T %s: Dot of empty slices = %v, want +0", d, a.name, d)
		}
		if d := a.dot(nil, nil); d != 0 || math.Signbit(float64(d)) {
			t.Errorf("%T %s: Dot(nil, nil) = %v, want +0", d, a.name, d)
		}
		a.sumRows(y0, 2, x0)
		a.sumRows(nil, 2, nil)
		a.momentumStep(x0, y0, v0, h)
		a.momentumStep(nil, nil, nil, h)
		a.batchMomentumStep(x0, v0, y0, 2, h)
		a.batchMomentumStep(nil, nil, nil, 2, h)
		for name, got := range map[string][]F{"x": x, "y": y, "v": v} {
			want := map[string][]F{"x": filled[F](8, 1), "y": filled[F](8, 2), "v": filled[F](8, 3)}[name]
			if !equalBits(got, want) {
				t.Errorf("%T %s: empty calls changed %s: %v", F(0), a.name, name, got)
			}
		}
	}
}

func TestOnRejectsUnavailablePath(t *testing.T) {
	available := map[downhill.Path]bool{}
	for _, p := range dispatch.Available() {
		available[p] = true
		k, err := downhill.On[float32](p)
		if err != nil || k.Path() != p {
			t.Errorf("On(%s) = %v, %v; want the %s kernels", p, k.Path(), err, p)
		}
	}
	if !available[dispatch.Generic] {
		t.Errorf("generic is not in Available() = %v", dispatch.Available())
	}
	rejected := []downhill.Path{downhill.Path(200)}
	for _, p := range dispatch.All() {
		if !available[p] {
			rejected = append(rejected, p)
		}
	}
	for _, p := range rejected {
		_, err32 := downhill.On[float32](p)
		_, err64 := downhill.On[float64](p)
		for _, err := range []error{err32, err64} {
			if err == nil {
				t.Errorf("On(%s) succeeded; the path is not available here", p)
				continue
			}
			if want := "downhill: path " + p.String() + " is not available here"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("On(%s): error %q, want it to start with %q", p, err, want)
			}
		}
	}
}
