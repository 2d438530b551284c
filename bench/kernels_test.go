package bench

import (
	"testing"

	"github.com/downhill-go/downhill"
)

// One benchmark per kernel. Each fixes its inputs so that repeating the
// kernel keeps every value ordinary (no overflow, no subnormals) for any
// b.N, and runs every implementation on the same slices.

// BenchmarkAxpy: y += a*x; traffic 3n elements (read x, y; write y).
func BenchmarkAxpy(b *testing.B) { forTypes(b, benchAxpy[float32], benchAxpy[float64]) }

func benchAxpy[F downhill.Float](b *testing.B) {
	forSizes[F](b, 2, func(b *testing.B, n int) {
		x, y := ramp[F](n, 1), ramp[F](n, 2)
		const a = 1.0 / 1024
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					k.Axpy(a, x, y)
				}
			}
		})
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				for b.Loop() {
					goAxpy(a, x, y)
				}
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				for b.Loop() {
					gonumAxpy(a, x, y)
				}
			}},
			copyImpl(2*n*sizeOf[F]()),
		)
		runImpls(b, int64(3*n*sizeOf[F]()), impls)
	})
}

// BenchmarkAxpby: y = a*x + c*y; traffic 3n. gonum takes two passes
// (Sscal, then Saxpy).
func BenchmarkAxpby(b *testing.B) { forTypes(b, benchAxpby[float32], benchAxpby[float64]) }

func benchAxpby[F downhill.Float](b *testing.B) {
	forSizes[F](b, 2, func(b *testing.B, n int) {
		x, y := ramp[F](n, 1), ramp[F](n, 2)
		const a, c = 1, 0.5 // y tends to 2x
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					k.Axpby(a, x, c, y)
				}
			}
		})
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				for b.Loop() {
					goAxpby(a, x, c, y)
				}
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				for b.Loop() {
					gonumScal(c, y)
					gonumAxpy(a, x, y)
				}
			}},
			copyImpl(2*n*sizeOf[F]()),
		)
		runImpls(b, int64(3*n*sizeOf[F]()), impls)
	})
}

// BenchmarkScale: x *= a; traffic 2n. a alternates between 2 and 1/2.
func BenchmarkScale(b *testing.B) { forTypes(b, benchScale[float32], benchScale[float64]) }

func benchScale[F downhill.Float](b *testing.B) {
	forSizes[F](b, 1, func(b *testing.B, n int) {
		x := ramp[F](n, 1)
		alpha := [2]F{2, 0.5}
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					k.Scale(alpha[i&1], x)
				}
			}
		})
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					goScale(alpha[i&1], x)
				}
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					gonumScal(alpha[i&1], x)
				}
			}},
			impl{name: "vek", run: func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					vekScale(alpha[i&1], x)
				}
			}},
			copyImpl(n*sizeOf[F]()),
		)
		runImpls(b, int64(2*n*sizeOf[F]()), impls)
	})
}

// BenchmarkDot: traffic 2n (read x and y).
func BenchmarkDot(b *testing.B) { forTypes(b, benchDot[float32], benchDot[float64]) }

func benchDot[F downhill.Float](b *testing.B) {
	forSizes[F](b, 2, func(b *testing.B, n int) {
		x, y := ramp[F](n, 1), ramp[F](n, -0.5)
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				var s F
				for b.Loop() {
					s += k.Dot(x, y)
				}
				sink = float64(s)
			}
		})
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				var s F
				for b.Loop() {
					s += goDot(x, y)
				}
				sink = float64(s)
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				var s float64
				for b.Loop() {
					s += gonumDot(x, y)
				}
				sink = s
			}},
			impl{name: "vek", run: func(b *testing.B) {
				var s float64
				for b.Loop() {
					s += vekDot(x, y)
				}
				sink = s
			}},
			copyImpl(2*n*sizeOf[F]()),
		)
		runImpls(b, int64(2*n*sizeOf[F]()), impls)
	})
}

// BenchmarkSumRows: B = 32 rows of n into dst; traffic (B+1)n. gonum is
// B axpys, vek a copy, B-1 adds and a scale.
func BenchmarkSumRows(b *testing.B) { forTypes(b, benchSumRows[float32], benchSumRows[float64]) }

func benchSumRows[F downhill.Float](b *testing.B) {
	forSizes[F](b, batchRows+1, func(b *testing.B, n int) {
		dst, src := make([]F, n), ramp[F](batchRows*n, -0.5)
		const scale = 1.0 / batchRows
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					k.SumRows(dst, scale, src)
				}
			}
		})
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				for b.Loop() {
					goSumRows(dst, scale, src)
				}
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				for b.Loop() {
					gonumSumRows(dst, scale, src)
				}
			}},
			impl{name: "vek", run: func(b *testing.B) {
				for b.Loop() {
					vekSumRows(dst, scale, src)
				}
			}},
			copyImpl((batchRows+1)*n*sizeOf[F]()),
		)
		runImpls(b, int64((batchRows+1)*n*sizeOf[F]()), impls)
	})
}

// The hyper-parameters of the momentum benchmarks: heavy-ball SGD, the
// common case, which the plain Go loop and gonum's three passes also
// compute. With a constant gradient, v tends to 10g and p drifts
// linearly: values stay ordinary for any b.N.
const (
	benchLR = 1.0 / 1024
	benchMu = 0.875
)

func benchMomentum[F downhill.Float]() downhill.Momentum[F] {
	return downhill.Momentum[F]{LR: benchLR, Mu: benchMu}
}

// BenchmarkMomentumStep: traffic 5n (read p, g, v; write p, v). go is
// the fused plain loop, gonum three passes.
func BenchmarkMomentumStep(b *testing.B) {
	forTypes(b, benchMomentumStep[float32], benchMomentumStep[float64])
}

func benchMomentumStep[F downhill.Float](b *testing.B) {
	forSizes[F](b, 3, func(b *testing.B, n int) {
		p, g, v := ramp[F](n, 1), ramp[F](n, -0.5), make([]F, n)
		h := benchMomentum[F]()
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					k.MomentumStep(p, g, v, h)
				}
			}
		})
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				for b.Loop() {
					goMomentum(p, g, v, benchLR, benchMu)
				}
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				for b.Loop() {
					gonumMomentum(p, g, v, benchLR, benchMu)
				}
			}},
			copyImpl(3*n*sizeOf[F]()),
		)
		runImpls(b, int64(5*n*sizeOf[F]()), impls)
	})
}

// BenchmarkBatchMomentumStep: B = 32 gradient rows summed and applied in
// one pass; traffic (B+4)n (read rows, p, v; write p, v). Each path runs
// fused and as SumRows then MomentumStep (impl=<path>-twostep); go is
// the plain two-step form, go-fused the plain one-pass loop, gonum B
// axpys then three passes.
func BenchmarkBatchMomentumStep(b *testing.B) {
	forTypes(b, benchBatchMomentumStep[float32], benchBatchMomentumStep[float64])
}

func benchBatchMomentumStep[F downhill.Float](b *testing.B) {
	forSizes[F](b, batchRows+2, func(b *testing.B, n int) {
		p, v, rows, g := ramp[F](n, 1), make([]F, n), ramp[F](batchRows*n, -0.5), make([]F, n)
		h := benchMomentum[F]()
		const scale = 1.0 / batchRows
		impls := pathImpls(b, "", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					k.BatchMomentumStep(p, v, rows, scale, h)
				}
			}
		})
		impls = append(impls, pathImpls(b, "-twostep", func(k downhill.Kernels[F]) func(*testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					k.SumRows(g, scale, rows)
					k.MomentumStep(p, g, v, h)
				}
			}
		})...)
		impls = append(impls,
			impl{name: "go", run: func(b *testing.B) {
				for b.Loop() {
					goSumRows(g, scale, rows)
					goMomentum(p, g, v, benchLR, benchMu)
				}
			}},
			impl{name: "go-fused", run: func(b *testing.B) {
				for b.Loop() {
					goBatchMomentumFused(p, v, rows, scale, benchLR, benchMu)
				}
			}},
			impl{name: "gonum", run: func(b *testing.B) {
				for b.Loop() {
					gonumSumRows(g, scale, rows)
					gonumMomentum(p, g, v, benchLR, benchMu)
				}
			}},
			copyImpl((batchRows+2)*n*sizeOf[F]()),
		)
		runImpls(b, int64((batchRows+4)*n*sizeOf[F]()), impls)
	})
}
