package sgd

import (
	"slices"
	"testing"
)

func TestSamplerEpochs(t *testing.T) {
	for _, c := range []struct {
		n, batch int
		dropLast bool
		sizes    []int
	}{
		{10, 3, false, []int{3, 3, 3, 1}},
		{10, 3, true, []int{3, 3, 3}},
		{10, 1, false, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{10, 10, false, []int{10}},
		{10, 10, true, []int{10}},
		{12, 4, true, []int{4, 4, 4}},
		{1, 1, false, []int{1}},
	} {
		s, err := NewSampler(c.n, c.batch, c.dropLast, 42)
		if err != nil {
			t.Fatal(err)
		}
		if s.BatchesPerEpoch() != len(c.sizes) {
			t.Errorf("%+v: %d batches per epoch, want %d", c, s.BatchesPerEpoch(), len(c.sizes))
		}
		var epochs [][]int
		for e := range 3 {
			var seen []int
			for b, size := range c.sizes {
				if st := s.State(); st != (SamplerState{e, b}) {
					t.Fatalf("%+v: state %+v, want epoch %d batch %d", c, st, e, b)
				}
				batch := s.Next()
				if len(batch) != size {
					t.Errorf("%+v: epoch %d batch %d has %d examples, want %d", c, e, b, len(batch), size)
				}
				seen = append(seen, batch...)
			}
			// Every example at most once; all of them without drop-last.
			sorted := slices.Clone(seen)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(seen) {
				t.Errorf("%+v: epoch %d repeats an example: %v", c, e, seen)
			}
			if !c.dropLast && len(seen) != c.n {
				t.Errorf("%+v: epoch %d covers %d of %d examples", c, e, len(seen), c.n)
			}
			if want := Permutation(c.n, 42, e, nil)[:len(seen)]; !slices.Equal(seen, want) {
				t.Errorf("%+v: epoch %d is not Permutation(seed, %d)", c, e, e)
			}
			epochs = append(epochs, seen)
		}
		if c.n >= 10 && slices.Equal(epochs[0], epochs[1]) && slices.Equal(epochs[1], epochs[2]) {
			t.Errorf("%+v: the same order in three epochs: not reshuffled", c)
		}
	}
}

func TestSamplerSeedAndState(t *testing.T) {
	a, _ := NewSampler(100, 7, false, 1)
	b, _ := NewSampler(100, 7, false, 1)
	c, _ := NewSampler(100, 7, false, 2)
	same, differ := true, false
	for range 40 {
		x, y, z := a.Next(), b.Next(), c.Next()
		same = same && slices.Equal(x, y)
		differ = differ || !slices.Equal(x, z)
	}
	if !same || !differ {
		t.Errorf("same seed equal: %v (want true); other seed differs: %v (want true)", same, differ)
	}
	// Restoring a state continues with the same batches.
	st := a.State()
	want := slices.Clone(a.Next())
	d, _ := NewSampler(100, 7, false, 1)
	if err := d.SetState(st); err != nil {
		t.Fatal(err)
	}
	if got := d.Next(); !slices.Equal(got, want) {
		t.Errorf("after SetState(%+v): %v, want %v", st, got, want)
	}
	for _, bad := range []SamplerState{{-1, 0}, {0, -1}, {0, 15}} {
		if err := d.SetState(bad); err == nil {
			t.Errorf("SetState(%+v) accepted", bad)
		}
	}
	for _, bad := range [][2]int{{0, 1}, {5, 0}, {5, 6}, {-1, 1}} {
		if _, err := NewSampler(bad[0], bad[1], false, 0); err == nil {
			t.Errorf("NewSampler(n=%d, batch=%d) accepted", bad[0], bad[1])
		}
	}
}

// TestPermutationUniform checks, with a chi-squared bound, that every
// example lands in every position equally often over many epochs.
func TestPermutationUniform(t *testing.T) {
	const n, epochs = 6, 6000
	var count [n][n]int
	var buf []int
	for e := range epochs {
		buf = Permutation(n, 9, e, buf)
		for pos, i := range buf {
			count[i][pos]++
		}
	}
	// Each row of counts is multinomial(epochs, 1/n): chi2 with n-1 = 5
	// degrees of freedom; 20.5 is its 99.9% quantile.
	exp := float64(epochs) / n
	for i := range count {
		chi2 := 0.0
		for _, c := range count[i] {
			chi2 += (float64(c) - exp) * (float64(c) - exp) / exp
		}
		if chi2 > 20.5 {
			t.Errorf("example %d: positions %v, chi2 %.1f > 20.5 (99.9%% quantile)", i, count[i], chi2)
		}
	}
}
