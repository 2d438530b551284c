package dmath

import (
	"math"
	"testing"
)

// Benchmarks against package math, on the same inputs: compare the pairs
// (BenchmarkExp/dmath vs BenchmarkExp/math) with benchstat.

var sink float64

func benchUnary(b *testing.B, xs []float64, f, m func(float64) float64) {
	run := func(f func(float64) float64) func(*testing.B) {
		return func(b *testing.B) {
			s := 0.0
			for i := range b.N {
				s += f(xs[i&(len(xs)-1)])
			}
			sink = s
		}
	}
	b.Run("dmath", run(f))
	b.Run("math", run(m))
}

// spread returns 1024 inputs evenly spread over [lo, hi].
func spread(lo, hi float64) []float64 {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/1023
	}
	return xs
}

func sigmoidMath(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func softplusMath(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func BenchmarkExp(b *testing.B)   { benchUnary(b, spread(-30, 30), Exp, math.Exp) }
func BenchmarkExpm1(b *testing.B) { benchUnary(b, spread(-2, 2), Expm1, math.Expm1) }
func BenchmarkLog(b *testing.B)   { benchUnary(b, spread(1e-3, 1e3), Log, math.Log) }
func BenchmarkLog1p(b *testing.B) { benchUnary(b, spread(-0.5, 10), Log1p, math.Log1p) }
func BenchmarkSin(b *testing.B)   { benchUnary(b, spread(-10, 10), Sin, math.Sin) }
func BenchmarkCos(b *testing.B)   { benchUnary(b, spread(-10, 10), Cos, math.Cos) }
func BenchmarkTanh(b *testing.B)  { benchUnary(b, spread(-3, 3), Tanh, math.Tanh) }

// Sigmoid and Softplus against their usual formulas with math.Exp and
// math.Log1p (those in sgd before dmath).
func BenchmarkSigmoid(b *testing.B)  { benchUnary(b, spread(-20, 20), Sigmoid, sigmoidMath) }
func BenchmarkSoftplus(b *testing.B) { benchUnary(b, spread(-20, 20), Softplus, softplusMath) }

func BenchmarkPow(b *testing.B) {
	xs, ys := spread(0.01, 10), spread(-20, 20)
	run := func(f func(x, y float64) float64) func(*testing.B) {
		return func(b *testing.B) {
			s := 0.0
			for i := range b.N {
				s += f(xs[i&1023], ys[(i*7)&1023])
			}
			sink = s
		}
	}
	b.Run("dmath", run(Pow))
	b.Run("math", run(math.Pow))
}
