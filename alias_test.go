package downhill_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
	"github.com/downhill-go/downhill/kernels"
)

// TestAlias runs every allowed aliasing of every kernel on every path:
// any two (or three) slice arguments of one call may be the same slice,
// and the result must then be exactly what kernels/ gives with the same
// aliasing (the order of reads and writes of one element is that of the
// kernels/ loop body; see the package documentation of kernels).

// aliasKernel is one kernel with its slice arguments (slots); call runs
// it on path k, or the kernels/ specification when spec is true, with
// slot i bound to s[i].
type aliasKernel[F downhill.Float] struct {
	name  string
	slots []string
	rows  int // the slot that holds rows (len a multiple of n), or -1
	flags bool
	call  func(spec bool, k downhill.Kernels[F], s [][]F, h downhill.Momentum[F], a, b F)
}

func aliasKernels[F downhill.Float]() []aliasKernel[F] {
	return []aliasKernel[F]{
		{"Axpy", []string{"x", "y"}, -1, false, func(spec bool, k downhill.Kernels[F], s [][]F, _ downhill.Momentum[F], a, _ F) {
			if spec {
				kernels.Axpy(a, s[0], s[1])
			} else {
				k.Axpy(a, s[0], s[1])
			}
		}},
		{"Axpby", []string{"x", "y"}, -1, false, func(spec bool, k downhill.Kernels[F], s [][]F, _ downhill.Momentum[F], a, b F) {
			if spec {
				kernels.Axpby(a, s[0], b, s[1])
			} else {
				k.Axpby(a, s[0], b, s[1])
			}
		}},
		{"Dot", []string{"x", "y"}, -1, false, func(spec bool, k downhill.Kernels[F], s [][]F, _ downhill.Momentum[F], _, _ F) {
			// The result goes into a slot of its own, compared like the rest.
			if spec {
				s[2][0] = kernels.Dot(s[0], s[1])
			} else {
				s[2][0] = k.Dot(s[0], s[1])
			}
		}},
		{"SumRows", []string{"dst", "src"}, 1, false, func(spec bool, k downhill.Kernels[F], s [][]F, _ downhill.Momentum[F], a, _ F) {
			if spec {
				kernels.SumRows(s[0], a, s[1])
			} else {
				k.SumRows(s[0], a, s[1])
			}
		}},
		{"MomentumStep", []string{"p", "g", "v"}, -1, true, func(spec bool, k downhill.Kernels[F], s [][]F, h downhill.Momentum[F], _, _ F) {
			if spec {
				kernels.MomentumStep(s[0], s[1], s[2], h)
			} else {
				k.MomentumStep(s[0], s[1], s[2], h)
			}
		}},
		{"BatchMomentumStep", []string{"p", "v", "rows"}, 2, true, func(spec bool, k downhill.Kernels[F], s [][]F, h downhill.Momentum[F], a, _ F) {
			if spec {
				kernels.BatchMomentumStep(s[0], s[1], s[2], a, h)
			} else {
				k.BatchMomentumStep(s[0], s[1], s[2], a, h)
			}
		}},
	}
}

// aliasings lists, for k slots, every way of making some of them the
// same slice: pattern[i] is the buffer slot i uses.
func aliasings(k int) [][]int {
	if k == 2 {
		return [][]int{{0, 0}}
	}
	return [][]int{{0, 0, 1}, {0, 1, 0}, {0, 1, 1}, {0, 0, 0}}
}

func aliasName(slots []string, pattern []int) string {
	s := ""
	for b := 0; b < len(slots); b++ {
		var same []string
		for i, pb := range pattern {
			if pb == b {
				same = append(same, slots[i])
			}
		}
		if len(same) > 1 {
			if s != "" {
				s += ", "
			}
			for j, n := range same {
				if j > 0 {
					s += " == "
				}
				s += n
			}
		}
	}
	return s
}

func TestAlias(t *testing.T) { bothTypes(t, testAlias[float32], testAlias[float64]) }

func testAlias[F downhill.Float](t *testing.T, k downhill.Kernels[F]) {
	r := rand.New(rand.NewPCG(40, 1))
	lengths := ts.Lengths(70, 127, 128, 129, 255, 256, 257, 1000)
	for _, ak := range aliasKernels[F]() {
		flags := []downhill.Momentum[F]{{}}
		if ak.flags {
			flags = momentumFlags[F]()
		}
		for _, pattern := range aliasings(len(ak.slots)) {
			for _, h := range flags {
				for _, n := range lengths {
					if testing.Short() && n > 257 && r.IntN(4) != 0 {
						continue
					}
					if !aliasCase(t, k, r, ak, pattern, h, n) {
						goto next // one failure per kernel and aliasing
					}
				}
			}
		next:
		}
	}
}

// aliasCase runs one kernel with one aliasing pattern on n columns and
// reports whether the path agreed with kernels/.
func aliasCase[F downhill.Float](t *testing.T, k downhill.Kernels[F], r *rand.Rand, ak aliasKernel[F], pattern []int, h downhill.Momentum[F], n int) bool {
	t.Helper()
	m := 1 + r.IntN(3) // rows of a rows slot that is not aliased
	// One buffer per distinct slot of the pattern, plus one for Dot's
	// result.
	nb := 0
	for _, b := range pattern {
		nb = max(nb, b+1)
	}
	bufs := make([]*ts.Buffer[F], nb+1)
	for b := range nb {
		size := n
		if ak.rows >= 0 && pattern[ak.rows] == b && count(pattern, b) == 1 {
			size = n * m
		}
		bufs[b] = ts.NewBuffer[F](r, size, r.IntN(alignments[F]()), 0.2)
	}
	bufs[nb] = ts.NewBuffer[F](r, 1, 0, 0)
	want := make([]*ts.Buffer[F], len(bufs))
	for i, b := range bufs {
		want[i] = b.Clone()
	}
	slices := func(bs []*ts.Buffer[F]) [][]F {
		s := make([][]F, len(pattern)+1)
		for i, b := range pattern {
			s[i] = bs[b].S()
		}
		s[len(pattern)] = bs[nb].S()
		return s
	}
	a, b := ts.Value[F](r, 0.1), ts.Value[F](r, 0.1)
	ak.call(true, k, slices(want), h, a, b)
	ak.call(false, k, slices(bufs), h, a, b)
	for i := range bufs {
		slot := "result"
		if i < nb {
			slot = fmt.Sprintf("buffer %d", i)
		}
		if msg := bufs[i].Check(want[i]); msg != "" {
			t.Errorf("%s(%s) n=%d a=%v b=%v %+v: %s: %s", ak.name, aliasName(ak.slots, pattern), n, a, b, h, slot, msg)
			return false
		}
	}
	return true
}

func count(pattern []int, b int) int {
	c := 0
	for _, x := range pattern {
		if x == b {
			c++
		}
	}
	return c
}
