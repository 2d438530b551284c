package sgd

// The seed's claims about gradient descent, as tests that fail when the
// claim (or the code) is wrong. Claim 6, PyTorch parity, is
// TestPyTorchParity in optimizer_test.go.

import (
	"context"
	"errors"
	"math"
	"testing"
)

var bowlEigen = []float64{1, 2, 5, 10, 20, 50, 100} // mu = 1, L = 100, kappa = 100

func ones(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1
	}
	return x
}

func norm(x []float64) float64 { return math.Sqrt(dotSlow(x, x)) }

func dotSlow(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// descend runs `steps` steps of opt on the bowl from x (in place) and
// calls each(k, x) after step k (k = 1..steps) until each returns false.
func descend(t *testing.T, bowl *Bowl[float64], opt *Optimizer[float64], x []float64, steps int, each func(k int, x []float64) bool) {
	t.Helper()
	g := make([]float64, len(x))
	for k := 1; k <= steps; k++ {
		bowl.Gradients(x, []int{0}, g)
		if err := opt.Step(x, g); err != nil {
			t.Fatal(err)
		}
		if !each(k, x) {
			return
		}
	}
}

// stepsTo returns the first step at which ‖x‖ <= tol·‖x0‖ (x0 = ones), or
// max+1.
func stepsTo(t *testing.T, h Hyper, tol float64, max int) int {
	bowl, _ := NewBowl(bowlEigen, nil)
	opt, err := NewOptimizer[float64](len(bowlEigen), h)
	if err != nil {
		t.Fatal(err)
	}
	x := ones(len(bowlEigen))
	n0, found := norm(x), max+1
	descend(t, bowl, opt, x, max, func(k int, x []float64) bool {
		if norm(x) <= tol*n0 {
			found = k
			return false
		}
		return true
	})
	return found
}

// Claim 1: on a bowl with eigenvalues in [1, 100], gradient descent with
// step eta multiplies the error along eigenvector i by (1 - eta*lambda_i)
// each step; eta = 0.1/L crawls, eta = 2/(L+mu) converges at rate
// (kappa-1)/(kappa+1), eta = 2.02/L diverges and Train reports it.
func TestClaim1BowlRates(t *testing.T) {
	const L, mu = 100.0, 1.0
	bowl, _ := NewBowl(bowlEigen, nil)
	for _, eta := range []float64{0.1 / L, 2 / (L + mu), 2.02 / L} {
		opt, _ := NewOptimizer[float64](len(bowlEigen), Hyper{LR: eta})
		x := ones(len(bowlEigen))
		worst := 0.0
		descend(t, bowl, opt, x, 60, func(k int, x []float64) bool {
			for i, l := range bowlEigen {
				want := math.Pow(1-eta*l, float64(k))
				worst = math.Max(worst, math.Abs(x[i]-want)/math.Abs(want))
			}
			return true
		})
		if worst > 1e-9 {
			t.Errorf("eta = %v: error along an eigenvector is off (1-eta*lambda)^k by %.3g relative, want <= 1e-9", eta, worst)
		}
	}

	// The optimal fixed step contracts the error along the extreme
	// eigenvectors by (kappa-1)/(kappa+1) per step and faster along the
	// others, so ‖x_k‖ <= rate^k ‖x_0‖, the per-step ratio tends to the
	// rate, and 1e-6 is reached when the two extreme components, started at
	// 1, are: after ceil(log(1e-6·‖x_0‖/√2)/log(rate)) steps.
	rate := (L/mu - 1) / (L/mu + 1)
	{
		opt, _ := NewOptimizer[float64](len(bowlEigen), Hyper{LR: 2 / (L + mu)})
		x := ones(len(bowlEigen))
		n0, prev := norm(x), norm(x)
		descend(t, bowl, opt, x, 800, func(k int, x []float64) bool {
			nk := norm(x)
			if nk > math.Pow(rate, float64(k))*n0*(1+1e-9) {
				t.Errorf("step %d: ‖x‖ = %v above rate^k·‖x0‖ = %v", k, nk, math.Pow(rate, float64(k))*n0)
				return false
			}
			if r := nk / prev; k >= 600 && math.Abs(r-rate) > 1e-9*rate {
				t.Errorf("step %d: contraction %v, want the rate %v", k, r, rate)
				return false
			}
			prev = nk
			return true
		})
	}
	want := int(math.Ceil(math.Log(1e-6*math.Sqrt(float64(len(bowlEigen)))/math.Sqrt(2)) / math.Log(rate)))
	best := stepsTo(t, Hyper{LR: 2 / (L + mu)}, 1e-6, 5000)
	if best < want-1 || best > want+1 {
		t.Errorf("eta = 2/(L+mu) reaches 1e-6 in %d steps, the rate %v predicts %d", best, rate, want)
	}
	// eta = 0.1/L crawls: after as many steps, the error along the
	// flattest direction has not even halved.
	{
		opt, _ := NewOptimizer[float64](len(bowlEigen), Hyper{LR: 0.1 / L})
		x := ones(len(bowlEigen))
		descend(t, bowl, opt, x, best, func(int, []float64) bool { return true })
		if x[0] < 0.5 {
			t.Errorf("eta = 0.1/L: error along lambda = mu is %v after %d steps, want > 0.5 (a crawl)", x[0], best)
		}
	}

	// eta = 2.02/L: Train stops with a *DivergenceError.
	x := ones(len(bowlEigen))
	opt, _ := NewOptimizer[float64](len(bowlEigen), Hyper{LR: 2.02 / L})
	hist, err := Train(context.Background(), bowl, x, opt, Config{Epochs: 1 << 20})
	var de *DivergenceError
	if !errors.As(err, &de) || hist.Stop != StopDiverged {
		t.Fatalf("eta = 2.02/L: Train returned %v (stop %q), want a *DivergenceError", err, hist.Stop)
	}
	// |1 - 2.02| = 1.02 along lambda = L, less than 1 elsewhere: once the
	// other directions have decayed, the loss grows by 1.02^2 per step
	// until it overflows.
	pts := hist.Points
	if len(pts) < 1000 || !math.IsInf(pts[len(pts)-1].Loss, 1) {
		t.Fatalf("divergence after %d points, last loss %v", len(pts), pts[len(pts)-1].Loss)
	}
	for i := len(pts) - 500; i < len(pts)-2; i++ {
		if r := pts[i].Loss / pts[i-1].Loss; math.Abs(r-1.02*1.02) > 1e-9 {
			t.Errorf("step %d: loss ratio %v, want 1.02^2", i, r)
			break
		}
	}
	t.Logf("claim 1: eta=2/(L+mu) needs %d steps to 1e-6 (predicted %d); eta=2.02/L diverged at step %d", best, want, de.Step)
}

// Claim 2: the variance of the mini-batch gradient around the full
// gradient, E‖g_B - g‖², is sigma²/B · (n-B)/(n-1) for batches drawn
// without replacement (sigma² the per-example variance). Checked on R
// independent batches per size: the empirical mean must lie within 4
// standard errors of the prediction (a false alarm rate below 1e-4 per
// size under the central limit theorem), and the formula without the
// finite-population factor must be rejected where that factor matters.
func TestClaim2BatchVariance(t *testing.T) {
	const n, d, R = 200, 3, 4000
	x, y := linearData[float64](n, d, 1, 12)
	ls, _ := NewLeastSquares(x, y, d)
	params := []float64{0.1, -0.3, 0.2}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	rows := make([]float64, n*d)
	ls.Gradients(params, all, rows)
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += rows[i*d+j] / n
		}
	}
	sigma2 := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			e := rows[i*d+j] - mean[j]
			sigma2 += e * e / n
		}
	}
	for _, b := range []int{1, 4, 20, 100, 150} {
		s, _ := NewSampler(n, b, true, 77)
		sum, sum2 := 0.0, 0.0
		for e := range R {
			s.SetState(SamplerState{Epoch: e}) // one batch per epoch: independent draws
			batch := s.Next()
			dev := 0.0
			for j := 0; j < d; j++ {
				g := 0.0
				for _, i := range batch {
					g += rows[i*d+j]
				}
				dev += (g/float64(b) - mean[j]) * (g/float64(b) - mean[j])
			}
			sum += dev
			sum2 += dev * dev
		}
		m := sum / R
		se := math.Sqrt((sum2/R - m*m) / R)
		pred := sigma2 / float64(b) * float64(n-b) / float64(n-1)
		if math.Abs(m-pred) > 4*se {
			t.Errorf("B = %d: E‖g_B - g‖² = %.5g ± %.2g, predicted %.5g (more than 4 standard errors away)", b, m, se, pred)
		}
		if noFPC := sigma2 / float64(b); b >= 100 && math.Abs(m-noFPC) <= 4*se {
			t.Errorf("B = %d: the estimate %.5g cannot tell sigma²/B = %.5g from the finite-population value %.5g: the test has no power", b, m, noFPC, pred)
		}
		t.Logf("claim 2: B = %3d: measured %.5f ± %.5f, predicted %.5f", b, m, se, pred)
	}
}

// leastSquaresOptimum returns the minimum of the least-squares loss,
// solving the normal equations in float64 (Gaussian elimination).
func leastSquaresOptimum(x, y []float64, d int) []float64 {
	a := make([]float64, d*(d+1))
	for i := range y {
		row := x[i*d : (i+1)*d]
		for j := 0; j < d; j++ {
			for k := 0; k < d; k++ {
				a[j*(d+1)+k] += row[j] * row[k]
			}
			a[j*(d+1)+d] += row[j] * y[i]
		}
	}
	for c := 0; c < d; c++ {
		for r := c + 1; r < d; r++ {
			f := a[r*(d+1)+c] / a[c*(d+1)+c]
			for k := c; k <= d; k++ {
				a[r*(d+1)+k] -= f * a[c*(d+1)+k]
			}
		}
	}
	w := make([]float64, d)
	for r := d - 1; r >= 0; r-- {
		s := a[r*(d+1)+d]
		for k := r + 1; k < d; k++ {
			s -= a[r*(d+1)+k] * w[k]
		}
		w[r] = s / a[r*(d+1)+r]
	}
	return w
}

// Claim 3: with a fixed step, SGD on noisy least squares stops improving
// at a noise floor above the minimum, and the floor grows with the step; a
// decaying schedule goes below it.
func TestClaim3NoiseFloor(t *testing.T) {
	const n, d, epochs = 1000, 5, 30
	x, y := linearData[float64](n, d, 1, 31)
	ls, _ := NewLeastSquares(x, y, d)
	best := ls.Loss(leastSquaresOptimum(x, y, d), nil)
	// floor returns the mean excess loss over the last 10 epochs.
	run := func(eta float64, s Schedule) (floor, last float64) {
		p := make([]float64, d)
		opt, _ := NewOptimizer[float64](d, Hyper{LR: eta})
		h, err := Train(context.Background(), ls, p, opt, Config{Epochs: epochs, BatchSize: 1, Seed: 4, Workers: 1, Schedule: s, FullLoss: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, pt := range h.Points[len(h.Points)-10:] {
			floor += (pt.Loss - best) / 10
		}
		return floor, h.Final() - best
	}
	small, _ := run(0.005, Schedule{})
	big, _ := run(0.02, Schedule{})
	_, decayed := run(0.02, Cosine(1, 0, epochs*n))
	t.Logf("claim 3: excess loss floor %.3g at eta 0.005, %.3g at eta 0.02; cosine decay from 0.02 ends at %.3g", small, big, decayed)
	if !(small > 0 && big > 2*small) {
		t.Errorf("the floor does not grow with the step: %.3g at eta 0.005, %.3g at eta 0.02", small, big)
	}
	if !(decayed < small/2) {
		t.Errorf("the decaying schedule ends at %.3g, not below half the smallest fixed-step floor %.3g", decayed, small)
	}
}

// Claim 4: heavy-ball momentum with Polyak's tuning, eta = 4/(√L+√mu)²
// and momentum ((√kappa-1)/(√kappa+1))², needs at least 5x fewer steps to
// reach 1e-6 on a kappa = 100 bowl than the best plain gradient descent
// (the best of a grid of steps in (0, 2/L) and of 2/(L+mu)).
func TestClaim4HeavyBall(t *testing.T) {
	const L, mu = 100.0, 1.0
	const tol, max = 1e-6, 5000
	sk := math.Sqrt(L / mu)
	hb := stepsTo(t, Hyper{LR: 4 / ((math.Sqrt(L) + math.Sqrt(mu)) * (math.Sqrt(L) + math.Sqrt(mu))), Momentum: ((sk - 1) / (sk + 1)) * ((sk - 1) / (sk + 1))}, tol, max)
	gd, gdEta := stepsTo(t, Hyper{LR: 2 / (L + mu)}, tol, max), 2/(L+mu)
	for i := 1; i < 100; i++ {
		eta := 2 / L * float64(i) / 100
		if s := stepsTo(t, Hyper{LR: eta}, tol, max); s < gd {
			gd, gdEta = s, eta
		}
	}
	t.Logf("claim 4: heavy ball %d steps, best plain GD %d steps (eta %.4g): %.1fx", hb, gd, gdEta, float64(gd)/float64(hb))
	if hb > max || 5*hb > gd {
		t.Errorf("heavy ball needs %d steps, best gradient descent %d: less than 5x fewer", hb, gd)
	}
}

// Claim 5: at an equal number of passes over a large data set (n = 100k),
// mini-batch SGD reaches a lower loss than full-batch gradient descent,
// whatever fixed step the latter uses. The problem is least squares with
// features on scales 1 to 0.03 (condition number ~1000), where a full
// batch buys one accurate but short step per pass.
func TestClaim5MiniBatchBeatsFullBatch(t *testing.T) {
	const n, d, epochs = 100_000, 4, 2
	x, y := scaledData(n, d)
	ls, _ := NewLeastSquares(x, y, d)
	run := func(eta float64, batch int) float64 {
		p := make([]float64, d)
		opt, _ := NewOptimizer[float64](d, Hyper{LR: eta})
		h, err := Train(context.Background(), ls, p, opt, Config{Epochs: epochs, BatchSize: batch, Seed: 2, FullLoss: true})
		if err != nil {
			return math.Inf(1) // a diverging step is simply not the best one
		}
		return h.Final()
	}
	full := math.Inf(1)
	for _, eta := range []float64{0.25, 0.5, 1, 1.5, 1.9} { // 2/L = 2 here
		full = math.Min(full, run(eta, 0))
	}
	mini := run(0.5, 64)
	start := ls.Loss(make([]float64, d), nil)
	t.Logf("claim 5: after %d epochs: start %.4f, best full batch %.4f, mini-batch (64) %.4f", epochs, start, full, mini)
	if !(mini < full) {
		t.Errorf("mini-batch SGD %.4f is not below full-batch GD %.4f after %d epochs", mini, full, epochs)
	}
}

// scaledData returns n examples whose feature j is a standard normal
// scaled by 0.3^j, and targets sum_j z_j + 0.1 noise (so every direction
// of the weights carries the same share of the loss).
func scaledData(n, d int) (x, y []float64) {
	z, _ := linearData[float64](n, d, 0, 41)
	_, e := linearData[float64](n, 1, 1, 42)
	x = make([]float64, n*d)
	y = make([]float64, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < d; j++ {
			v := z[i*d+j]
			x[i*d+j] = v * math.Pow(0.3, float64(j))
			s += v
		}
		y[i] = s + 0.1*e[i]
	}
	return x, y
}

// BenchmarkClaim5 compares the wall time of the two claim-5 runs (two
// epochs each); the loss comparison is the test above.
func BenchmarkClaim5(b *testing.B) {
	const n, d = 100_000, 4
	x, y := scaledData(n, d)
	ls, _ := NewLeastSquares(x, y, d)
	for _, c := range []struct {
		name  string
		batch int
	}{{"full", 0}, {"mini64", 64}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				p := make([]float64, d)
				opt, _ := NewOptimizer[float64](d, Hyper{LR: 0.5})
				Train(context.Background(), ls, p, opt, Config{Epochs: 2, BatchSize: c.batch, Seed: 2})
			}
		})
	}
}
