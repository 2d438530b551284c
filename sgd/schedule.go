package sgd

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/downhill-go/downhill/dmath"
)

// A Schedule is a pure function of the step number k = 0, 1, 2, ... (the
// number of optimizer steps already taken) giving the scale of the
// learning rate for step k. It has no state: At(k) depends on k alone.
//
// The zero Schedule is the constant 1. A schedule built from invalid
// arguments carries the error (Err) and its At returns NaN; Train refuses
// it before the first step.
type Schedule struct {
	at   func(k int) float64
	err  error
	desc string // the call that built it, for String
}

// String returns the call that built s, such as
// "Warmup(200, Cosine(1, 0, 9000))"; the zero Schedule is "Constant(1)".
func (s Schedule) String() string {
	switch {
	case s.err != nil:
		return "invalid schedule (" + s.err.Error() + ")"
	case s.at == nil:
		return "Constant(1)"
	}
	return s.desc
}

// commaInts returns ", a, b, c" for the values a, b, c.
func commaInts(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		fmt.Fprintf(&b, ", %d", x)
	}
	return b.String()
}

// describe records the call that built *s (deferred by each constructor).
func describe(s *Schedule, format string, args ...any) {
	if s.err == nil {
		s.desc = fmt.Sprintf(format, args...)
	}
}

// At returns the scale for step k; negative k is treated as 0.
func (s Schedule) At(k int) float64 {
	if s.err != nil {
		return math.NaN()
	}
	if s.at == nil {
		return 1
	}
	return s.at(max(k, 0))
}

// Err returns the error of a schedule built from invalid arguments.
func (s Schedule) Err() error { return s.err }

func bad(format string, args ...any) Schedule {
	return Schedule{err: fmt.Errorf("sgd: schedule: "+format, args...)}
}

func checkValues(name string, vs ...float64) error {
	for _, v := range vs {
		if !finite(v) || v < 0 {
			return fmt.Errorf("sgd: schedule: %s: value %v must be finite and >= 0", name, v)
		}
	}
	return nil
}

// Func wraps f as a Schedule. f must be pure (depend on k alone).
func Func(f func(k int) float64) (out Schedule) {
	defer describe(&out, "Func(%p)", f)
	if f == nil {
		return bad("Func: nil function")
	}
	return Schedule{at: f}
}

// Constant returns v at every step.
func Constant(v float64) (out Schedule) {
	defer describe(&out, "Constant(%v)", v)
	if err := checkValues("Constant", v); err != nil {
		return Schedule{err: err}
	}
	return Schedule{at: func(int) float64 { return v }}
}

// StepDecay returns v·gamma^⌊k/every⌋ (PyTorch's StepLR).
func StepDecay(v, gamma float64, every int) (out Schedule) {
	defer describe(&out, "StepDecay(%v, %v, %d)", v, gamma, every)
	if err := checkValues("StepDecay", v, gamma); err != nil {
		return Schedule{err: err}
	}
	if every <= 0 {
		return bad("StepDecay: period %d must be > 0", every)
	}
	return Schedule{at: func(k int) float64 { return v * dmath.Pow(gamma, float64(k/every)) }}
}

// MultiStep returns v·gamma^m where m is the number of milestones <= k
// (PyTorch's MultiStepLR). Milestones must be strictly increasing and >= 1.
func MultiStep(v, gamma float64, milestones ...int) (out Schedule) {
	defer describe(&out, "MultiStep(%v, %v%s)", v, gamma, commaInts(milestones))
	if err := checkValues("MultiStep", v, gamma); err != nil {
		return Schedule{err: err}
	}
	for i, m := range milestones {
		if m < 1 || (i > 0 && m <= milestones[i-1]) {
			return bad("MultiStep: milestones %v must be >= 1 and strictly increasing", milestones)
		}
	}
	ms := append([]int(nil), milestones...)
	return Schedule{at: func(k int) float64 {
		m := 0
		for m < len(ms) && ms[m] <= k {
			m++
		}
		return v * dmath.Pow(gamma, float64(m))
	}}
}

// Exponential returns v·gamma^k (PyTorch's ExponentialLR).
func Exponential(v, gamma float64) (out Schedule) {
	defer describe(&out, "Exponential(%v, %v)", v, gamma)
	if err := checkValues("Exponential", v, gamma); err != nil {
		return Schedule{err: err}
	}
	return Schedule{at: func(k int) float64 { return v * dmath.Pow(gamma, float64(k)) }}
}

// Cosine goes from `from` at k = 0 to `to` at k = steps along half a
// cosine, to + (from-to)·(1+cos(π·k/steps))/2, and stays at `to` after
// (it never rises again, unlike a cosine with restarts).
func Cosine(from, to float64, steps int) (out Schedule) {
	defer describe(&out, "Cosine(%v, %v, %d)", from, to, steps)
	if err := checkValues("Cosine", from, to); err != nil {
		return Schedule{err: err}
	}
	if steps <= 0 {
		return bad("Cosine: length %d must be > 0", steps)
	}
	return Schedule{at: func(k int) float64 {
		if k >= steps {
			return to
		}
		return to + float64((from-to)*(1+dmath.Cos(math.Pi*float64(k)/float64(steps)))/2)
	}}
}

// Polynomial goes from `from` at k = 0 to `to` at k = steps as
// to + (from-to)·(1-k/steps)^power, then stays at `to`. power must be > 0;
// power = 1 is a linear decay.
func Polynomial(from, to float64, steps int, power float64) (out Schedule) {
	defer describe(&out, "Polynomial(%v, %v, %d, %v)", from, to, steps, power)
	if err := checkValues("Polynomial", from, to); err != nil {
		return Schedule{err: err}
	}
	if steps <= 0 {
		return bad("Polynomial: length %d must be > 0", steps)
	}
	if !finite(power) || power <= 0 {
		return bad("Polynomial: power %v must be finite and > 0", power)
	}
	return Schedule{at: func(k int) float64 {
		if k >= steps {
			return to
		}
		return to + float64((from-to)*dmath.Pow(1-float64(k)/float64(steps), power))
	}}
}

// OneCycle is PyTorch's OneCycleLR with cosine annealing (without its
// momentum cycling): with u = pctStart·steps - 1, it rises from peak/div at
// k = 0 to peak at k = u, then falls to peak/(div·finalDiv) at
// k = steps-1, where it stays (PyTorch refuses steps past the end). Both
// halves are cosine anneals, a + (b-a)·(1-cos(π·t))/2 from a to b.
// PyTorch's defaults are pctStart 0.3, div 25, finalDiv 1e4.
func OneCycle(peak float64, steps int, pctStart, div, finalDiv float64) (out Schedule) {
	defer describe(&out, "OneCycle(%v, %d, %v, %v, %v)", peak, steps, pctStart, div, finalDiv)
	if err := checkValues("OneCycle", peak); err != nil {
		return Schedule{err: err}
	}
	up, down := float64(pctStart*float64(steps))-1, float64(steps-1)
	if !(up > 0 && up < down) {
		return bad("OneCycle: pctStart %v of %d steps leaves no room to rise and fall (need 0 < pctStart·steps-1 < steps-1)", pctStart, steps)
	}
	if !finite(div) || div < 1 || !finite(finalDiv) || finalDiv < 1 {
		return bad("OneCycle: div %v and finalDiv %v must be finite and >= 1", div, finalDiv)
	}
	start, end := peak/div, peak/(div*finalDiv)
	anneal := func(a, b, t float64) float64 { return b + float64((a-b)/2*(dmath.Cos(math.Pi*t)+1)) }
	return Schedule{at: func(k int) float64 {
		x := float64(k)
		switch {
		case x <= up:
			return anneal(start, peak, x/up)
		case x < down:
			return anneal(peak, end, (x-up)/(down-up))
		}
		return end
	}}
}

// Warmup puts a linear warmup of `steps` steps in front of s: step
// k < steps gets s.At(0)·(k+1)/(steps+1) (so no step is wasted at scale
// 0), step k >= steps gets s.At(k - steps). The linear part reaches s.At(0)
// exactly at k = steps, so the schedule is continuous at the join.
func Warmup(steps int, s Schedule) (out Schedule) {
	defer describe(&out, "Warmup(%d, %v)", steps, s)
	if s.err != nil {
		return s
	}
	if steps < 0 {
		return bad("Warmup: length %d must be >= 0", steps)
	}
	return Schedule{at: func(k int) float64 {
		if k >= steps {
			return s.At(k - steps)
		}
		return s.At(0) * float64(k+1) / float64(steps+1)
	}}
}

// Join runs schedules one after another: schedules[0] for k < boundaries[0],
// then schedules[i] for boundaries[i-1] <= k < boundaries[i], restarted at
// its own step 0 at its boundary, and the last one for ever after. It needs
// len(boundaries) = len(schedules)-1, boundaries strictly increasing and
// > 0. Join is continuous only where the pieces meet (it does not blend).
func Join(schedules []Schedule, boundaries []int) (out Schedule) {
	defer describe(&out, "Join(%v, %v)", schedules, boundaries)
	if len(schedules) == 0 || len(boundaries) != len(schedules)-1 {
		return bad("Join: %d schedules need %d boundaries, got %d", len(schedules), max(len(schedules)-1, 0), len(boundaries))
	}
	var errs []error
	for _, s := range schedules {
		if s.err != nil {
			errs = append(errs, s.err)
		}
	}
	if len(errs) > 0 {
		return Schedule{err: errors.Join(errs...)}
	}
	for i, b := range boundaries {
		if b <= 0 || (i > 0 && b <= boundaries[i-1]) {
			return bad("Join: boundaries %v must be > 0 and strictly increasing", boundaries)
		}
	}
	ss := append([]Schedule(nil), schedules...)
	bs := append([]int(nil), boundaries...)
	return Schedule{at: func(k int) float64 {
		i, start := 0, 0
		for i < len(bs) && k >= bs[i] {
			start = bs[i]
			i++
		}
		return ss[i].At(k - start)
	}}
}
