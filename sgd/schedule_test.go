package sgd

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestScheduleValues(t *testing.T) {
	for _, c := range []struct {
		name string
		s    Schedule
		k    []int
		want []float64
	}{
		{"zero", Schedule{}, []int{0, 5, 1e9}, []float64{1, 1, 1}},
		{"constant", Constant(0.3), []int{0, 7}, []float64{0.3, 0.3}},
		{"step", StepDecay(1, 0.5, 3), []int{0, 2, 3, 5, 6, 9}, []float64{1, 1, 0.5, 0.5, 0.25, 0.125}},
		{"multistep", MultiStep(2, 0.1, 2, 5), []int{0, 1, 2, 4, 5, 100}, []float64{2, 2, 0.2, 0.2, 0.02, 0.02}},
		{"exponential", Exponential(1, 0.5), []int{0, 1, 4}, []float64{1, 0.5, 0.0625}},
		{"cosine", Cosine(1, 0, 4), []int{0, 2, 4, 8}, []float64{1, 0.5, 0, 0}},
		{"polynomial", Polynomial(1, 0, 4, 2), []int{0, 2, 4, 10}, []float64{1, 0.25, 0, 0}},
		{"warmup", Warmup(3, Constant(2)), []int{0, 1, 2, 3, 9}, []float64{0.5, 1, 1.5, 2, 2}},
		{"join", Join([]Schedule{Constant(1), Exponential(0.5, 0.5)}, []int{3}), []int{0, 2, 3, 4}, []float64{1, 1, 0.5, 0.25}},
		{"negative step", Exponential(1, 0.5), []int{-3}, []float64{1}},
	} {
		if err := c.s.Err(); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for i, k := range c.k {
			if got := c.s.At(k); !near(got, c.want[i], 1e-15) {
				t.Errorf("%s: At(%d) = %v, want %v", c.name, k, got, c.want[i])
			}
		}
	}
}

func TestOneCycle(t *testing.T) {
	s := OneCycle(1, 100, 0.3, 25, 1e4)
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if got := s.At(0); !near(got, 1.0/25, 1e-15) {
		t.Errorf("At(0) = %v, want peak/div", got)
	}
	// PyTorch: the peak at step pct_start*total_steps - 1, the end at
	// total_steps - 1.
	if got := s.At(29); got != 1 {
		t.Errorf("At(29) = %v, want the peak 1", got)
	}
	for _, k := range []int{99, 100, 1000} {
		if got := s.At(k); !near(got, 1/(25*1e4), 1e-15) {
			t.Errorf("At(%d) = %v, want peak/(div*finalDiv)", k, got)
		}
	}
	for k := 1; k <= 29; k++ {
		if s.At(k) <= s.At(k-1) {
			t.Errorf("rising part does not rise at %d", k)
		}
	}
	for k := 30; k <= 120; k++ {
		if s.At(k) > s.At(k-1) || (k < 100 && s.At(k) == s.At(k-1)) {
			t.Errorf("falling part does not fall at %d", k)
		}
	}
	// Midway through a rise of 20 steps (0.21*100 - 1): the mean of the
	// two ends, as a cosine anneal gives.
	if got, want := OneCycle(1, 100, 0.21, 25, 1e4).At(10), (1.0/25+1)/2; !near(got, want, 1e-12) {
		t.Errorf("OneCycle at the middle of its rise = %v, want %v", got, want)
	}
}

// TestScheduleProperties checks the promises of the doc comments over a
// grid of parameters: step 0 values, continuity at the joins that promise
// it, clamping past the end (never rising again), monotonicity.
func TestScheduleProperties(t *testing.T) {
	for _, steps := range []int{1, 2, 7, 100} {
		for _, ends := range [][2]float64{{1, 0}, {0.1, 0.001}, {0, 1}} {
			from, to := ends[0], ends[1]
			for name, s := range map[string]Schedule{
				"cosine":     Cosine(from, to, steps),
				"polynomial": Polynomial(from, to, steps, 1.5),
				"linear":     Polynomial(from, to, steps, 1),
			} {
				if s.At(0) != from {
					t.Errorf("%s(%v,%v,%d): At(0) = %v", name, from, to, steps, s.At(0))
				}
				// Continuity at the end: the last step before the end is
				// within one step's worth of change of the end value.
				if d := math.Abs(s.At(steps-1) - to); d > math.Abs(from-to)*math.Max(1/float64(steps), 5/float64(steps*steps))*2 {
					t.Errorf("%s(%v,%v,%d): jump %v before the end", name, from, to, steps, d)
				}
				dir := math.Copysign(1, to-from)
				for k := 1; k <= 3*steps; k++ {
					if (s.At(k)-s.At(k-1))*dir < 0 {
						t.Errorf("%s(%v,%v,%d): moves backwards at %d", name, from, to, steps, k)
						break
					}
				}
				for _, k := range []int{steps, steps + 1, 10 * steps, math.MaxInt32} {
					if s.At(k) != to {
						t.Errorf("%s(%v,%v,%d): At(%d) = %v past the end, want %v", name, from, to, steps, k, s.At(k), to)
					}
				}
			}
			// Warmup: starts above 0, rises linearly, continuous at the join.
			inner := Cosine(from+1, to, steps)
			w := Warmup(steps, inner)
			if w.At(0) <= 0 || w.At(steps) != inner.At(0) {
				t.Errorf("warmup(%d): At(0) = %v, At(%d) = %v, want > 0 and %v", steps, w.At(0), steps, w.At(steps), inner.At(0))
			}
			for k := 1; k < steps; k++ {
				d0, d1 := w.At(k)-w.At(k-1), w.At(k+1)-w.At(k)
				if !near(d0, d1, 1e-12) {
					t.Errorf("warmup(%d) not linear at %d: %v vs %v", steps, k, d0, d1)
				}
			}
			if w.At(steps+5) != inner.At(5) {
				t.Errorf("warmup(%d): not shifted by its length", steps)
			}
		}
	}
	// Join restarts each piece at its boundary and is continuous where the
	// pieces meet.
	a, b := Cosine(1, 0.5, 10), Cosine(0.5, 0, 20)
	j := Join([]Schedule{a, b, Constant(0)}, []int{10, 30})
	for k := range 40 {
		want := 0.0
		switch {
		case k < 10:
			want = a.At(k)
		case k < 30:
			want = b.At(k - 10)
		}
		if j.At(k) != want {
			t.Errorf("join At(%d) = %v, want %v", k, j.At(k), want)
		}
	}
	// Step decays are piecewise constant and never increase.
	s := MultiStep(1, 0.5, 3, 4, 10)
	for k := 1; k < 20; k++ {
		if s.At(k) > s.At(k-1) {
			t.Errorf("multistep rises at %d", k)
		}
	}
}

func TestScheduleErrors(t *testing.T) {
	nan := math.NaN()
	for name, s := range map[string]Schedule{
		"constant NaN":      Constant(nan),
		"constant negative": Constant(-1),
		"step period 0":     StepDecay(1, 0.5, 0),
		"multistep order":   MultiStep(1, 0.5, 5, 3),
		"multistep zero":    MultiStep(1, 0.5, 0),
		"exponential inf":   Exponential(1, math.Inf(1)),
		"cosine length":     Cosine(1, 0, 0),
		"polynomial power":  Polynomial(1, 0, 10, 0),
		"onecycle pct":      OneCycle(1, 10, 1, 25, 1e4),
		"onecycle div":      OneCycle(1, 10, 0.3, 0.5, 1e4),
		"onecycle length":   OneCycle(1, 3, 0.3, 25, 1e4),
		"warmup negative":   Warmup(-1, Constant(1)),
		"warmup of bad":     Warmup(5, Cosine(1, 0, -1)),
		"join counts":       Join([]Schedule{Constant(1)}, []int{3}),
		"join empty":        Join(nil, nil),
		"join order":        Join([]Schedule{Constant(1), Constant(2), Constant(3)}, []int{5, 5}),
		"join of bad":       Join([]Schedule{Constant(1), Constant(-2)}, []int{5}),
		"func nil":          Func(nil),
	} {
		if s.Err() == nil {
			t.Errorf("%s: no error", name)
		}
		if !math.IsNaN(s.At(3)) {
			t.Errorf("%s: At = %v, want NaN", name, s.At(3))
		}
	}
}
