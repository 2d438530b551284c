package demo

import "testing"

// TestBasinsNoiseRegularises: from the same 200 random starts and with the
// same fixed step, full-batch gradient descent ends in the basin it
// starts in, every time, while SGD with one example per step leaves the
// sharp basin (a little deeper than the flat one) and ends in the flat one.
//
// Measured (seed 12): gradient descent 200 of 200 stay, 91 end flat (91
// start flat); SGD 200 of 200 end flat.
func TestBasinsNoiseRegularises(t *testing.T) {
	b := NewBasins(BasinSeed)
	_, curv := b.Minimum(BasinStartLo-1, b.Barrier())
	if !(BasinEta*curv < 2) {
		t.Fatalf("eta·curvature at the sharp minimum = %.3g: gradient descent is not stable there, the comparison is unfair", BasinEta*curv)
	}
	gd, err := b.RunBasins(BasinEta, BasinExamples, BasinSteps, BasinRunsN, BasinSeed)
	if err != nil {
		t.Fatal(err)
	}
	sgd, err := b.RunBasins(BasinEta, 1, BasinSteps, BasinRunsN, BasinSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gradient descent: %d/%d end flat, %d stay; SGD: %d/%d end flat; %d start flat", gd.Flat, gd.Runs, gd.Stayed, sgd.Flat, sgd.Runs, gd.StartFlat)
	if gd.Stayed != gd.Runs {
		t.Errorf("gradient descent: %d of %d runs changed basin, want none", gd.Runs-gd.Stayed, gd.Runs)
	}
	if lo, hi := BasinRunsN*30/100, BasinRunsN*70/100; gd.StartFlat < lo || gd.StartFlat > hi {
		t.Errorf("%d of %d starts in the flat basin, want a fair share (%d to %d)", gd.StartFlat, gd.Runs, lo, hi)
	}
	if sgd.Flat < BasinRunsN*95/100 {
		t.Errorf("SGD: %d of %d runs end in the flat basin, want at least 95%%", sgd.Flat, sgd.Runs)
	}
}

// TestBasinsEffectFadesWithNoise: less noise, less effect. With batches
// of 4 (a quarter of the gradient variance) or a step of 0.06 for as long
// (eta·steps the same), SGD ends flat hardly more often than it starts
// flat; in between (batch 2, step 0.09) the share is in between.
//
// Measured: batch 2: 102, batch 4: 93; step 0.09: 181, step 0.06: 97
// (of 200; 91 start flat).
func TestBasinsEffectFadesWithNoise(t *testing.T) {
	b := NewBasins(BasinSeed)
	run := func(eta float64, batch int) BasinRuns {
		t.Helper()
		r, err := b.RunBasins(eta, batch, int(BasinEta*BasinSteps/eta), BasinRunsN, BasinSeed)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s, %d steps: %d/%d end flat, %d start flat", r.Label, r.Steps, r.Flat, r.Runs, r.StartFlat)
		return r
	}
	b4, e06 := run(BasinEta, 4), run(0.06, 1)
	for _, r := range []BasinRuns{b4, e06} {
		if r.Flat-r.StartFlat > BasinRunsN*5/100 {
			t.Errorf("%s: %d runs end flat, %d start flat: the effect should have faded", r.Label, r.Flat, r.StartFlat)
		}
	}
	e09 := run(0.09, 1)
	if !(e09.Flat > e06.Flat+BasinRunsN*20/100 && e09.Flat < BasinRunsN) {
		t.Errorf("step 0.09: %d runs end flat, want between %d (step 0.06) + 20%% and all", e09.Flat, e06.Flat)
	}
}
