// Package dmath holds elementary functions that return the same bits on
// every CPU and every Go port: Exp, Expm1, Log, Log1p, Pow, Sin, Cos,
// Tanh, Sigmoid and Softplus.
//
// The functions of package math do not: on amd64 math.Exp uses FMA
// instructions when the CPU has them, arm64 and s390x have assembly of
// their own for some functions, and the compiler fuses x*y + z into one
// FMA on arm64, ppc64, riscv64, s390x (and amd64 with GOAMD64=v3), so the
// same Go source rounds differently. dmath is pure Go: every product that
// must be rounded on its own is written float64(x*y), which the Go
// specification forbids fusing, and every fused multiply-add is an
// explicit math.FMA, which is exact (one rounding) on every port. The only
// math functions it calls are exact ones (FMA, Abs, RoundToEven, Trunc,
// Float64bits, Float64frombits, Copysign, IsInf).
//
// Accuracy: every function is within 1 ulp of the exact result (faithful;
// the tests measure the worst error against math/big over the whole
// domain, well below 1 ulp). The results are not always correctly
// rounded, so they may differ from package math's in the last bit: they
// are the same everywhere, not the same as math's. Special values (±0,
// ±Inf, NaN, overflow, underflow) are those documented by package math
// for the function of the same name.
//
// Sigmoid, Softplus and Tanh exist because the obvious formulas built
// from Exp and Log1p lose accuracy (and a training loss needs them
// everywhere); they are accurate to 1 ulp as well.
package dmath

//go:generate go run ./internal/gentables/gen -o tables.go
