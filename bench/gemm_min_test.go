//go:build openblas && cgo

package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/downhill-go/downhill"
)

func TestGemmMinTimes(t *testing.T) {
	testGemmMin[float32](t)
	testGemmMin[float64](t)
}

func testGemmMin[F downhill.Float](t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range gemmShapes {
		lda, ldb := s.k, s.n
		if s.transA {
			lda = s.m
		}
		if s.transB {
			ldb = s.k
		}
		a, bb, c := make([]F, s.m*s.k), make([]F, s.k*s.n), make([]F, s.m*s.n)
		for _, x := range [][]F{a, bb, c} {
			for i := range x {
				x[i] = F(r.NormFloat64())
			}
		}
		line := fmt.Sprintf("%T %-22v", F(0), s)
		var base time.Duration
		for _, impl := range gemmImpls[F](nil) {
			if impl.name == "generic" {
				continue
			}
			best := time.Hour
			for range 300 {
				t0 := time.Now()
				impl.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				if d := time.Since(t0); d < best {
					best = d
				}
			}
			if impl.name == "openblas" {
				base = best
			}
			line += fmt.Sprintf(" %s=%v", impl.name, best)
			_ = base
		}
		t.Log(line)
	}
}
