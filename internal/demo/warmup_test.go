package demo

import "testing"

// TestWarmupSavesLargeSteps: at the same peak learning rate 0.6, without
// warmup a quarter or more of 200 random starts diverge; with 200 warmup
// steps almost none do, and the others reach the minimum. At a small peak
// (0.2) warmup is not needed: no start diverges either way.
//
// Measured: peak 0.6: 60 diverge without warmup, 2 with (198 solved);
// peak 0.2: 0 and 0.
func TestWarmupSavesLargeSteps(t *testing.T) {
	cold, err := RunWarmupStats(WarmupPeak, 0)
	if err != nil {
		t.Fatal(err)
	}
	warm, err := RunWarmupStats(WarmupPeak, WarmupLen)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v\n%v", cold, warm)
	if cold.Diverged < WarmupRunsN/5 {
		t.Errorf("without warmup %d of %d starts diverge at peak %v, want at least 20%%", cold.Diverged, cold.Runs, WarmupPeak)
	}
	if warm.Diverged > WarmupRunsN*3/100 || warm.Solved < WarmupRunsN*95/100 {
		t.Errorf("with warmup %d of %d diverge and %d are solved, want at most 3%% and at least 95%%", warm.Diverged, warm.Runs, warm.Solved)
	}
	for _, w := range []int{0, WarmupLen} {
		s, err := RunWarmupStats(0.2, w)
		if err != nil {
			t.Fatal(err)
		}
		if s.Diverged != 0 {
			t.Errorf("peak 0.2, warmup %d: %d runs diverge, want none", w, s.Diverged)
		}
	}
}

// TestWarmupExample: the pictured start diverges without warmup and is
// solved with it.
func TestWarmupExample(t *testing.T) {
	ex, err := RunWarmup()
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Cold.Diverged || ex.Warm.Diverged || ex.WarmLoss > WarmupSolved {
		t.Errorf("start %v: cold diverged %v, warm diverged %v with loss %v", ex.Start, ex.Cold.Diverged, ex.Warm.Diverged, ex.WarmLoss)
	}
}
