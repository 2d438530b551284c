package dmath

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/downhill-go/downhill/dmath/internal/gentables"
)

// same reports whether a and b have the same bits (any NaN equals any NaN).
func same(a, b float64) bool {
	if a != a && b != b {
		return true
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

var (
	inf  = math.Inf(1)
	nan  = math.NaN()
	negZ = math.Copysign(0, -1)
)

// TestSpecialValues checks the special cases each function documents
// against package math's results for them.
func TestSpecialValues(t *testing.T) {
	type fn struct {
		name string
		f, m func(float64) float64
		xs   []float64
	}
	sub := []float64{5e-324, -5e-324, 0x1p-1030, -0x1p-1030}
	fns := []fn{
		{"Exp", Exp, math.Exp, []float64{inf, -inf, nan, 0, negZ, 710, -746, 1e300, -1e300}},
		{"Expm1", Expm1, math.Expm1, []float64{inf, -inf, nan, 0, negZ, 710, -746, 1e300, -1e300}},
		{"Log", Log, math.Log, []float64{inf, -inf, nan, 0, negZ, -1, -5e-324, 1}},
		{"Log1p", Log1p, math.Log1p, []float64{inf, -inf, nan, 0, negZ, -1, -2, -inf}},
		{"Sin", Sin, math.Sin, []float64{inf, -inf, nan, 0, negZ}},
		{"Cos", Cos, math.Cos, []float64{inf, -inf, nan, 0, negZ}},
		{"Tanh", Tanh, math.Tanh, []float64{inf, -inf, nan, 0, negZ, 30, -30, 1e300}},
	}
	for _, f := range fns {
		xs := f.xs
		if f.name != "Log" && f.name != "Exp" && f.name != "Cos" {
			xs = append(xs, sub...) // f(x) = x for subnormal x
		}
		for _, x := range xs {
			if got, want := f.f(x), f.m(x); !same(got, want) {
				t.Errorf("%s(%v) = %v, math.%s gives %v", f.name, x, got, f.name, want)
			}
		}
	}
	for _, c := range []struct {
		f       func(float64) float64
		x, want float64
	}{
		{Sigmoid, inf, 1}, {Sigmoid, -inf, 0}, {Sigmoid, nan, nan}, {Sigmoid, 0, 0.5}, {Sigmoid, negZ, 0.5},
		{Sigmoid, 800, 1}, {Sigmoid, -800, 0},
		{Softplus, inf, inf}, {Softplus, -inf, 0}, {Softplus, nan, nan}, {Softplus, 0, math.Ln2},
		{Softplus, 1e300, 1e300}, {Softplus, -800, 0},
		{Exp, 0, 1}, {Log, 1, 0}, {Sin, negZ, negZ}, {Tanh, negZ, negZ}, {Expm1, negZ, negZ}, {Log1p, negZ, negZ},
	} {
		if got := c.f(c.x); !same(got, c.want) {
			t.Errorf("f(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// TestPowSpecial checks Pow against math.Pow on every pair of special
// arguments (and ordinary ones next to them) where either the argument or
// math's result is special: ±0, ±1, ±Inf, NaN, or a result of 0, ±Inf or
// NaN (overflow, underflow, negative base with a non-integer exponent).
func TestPowSpecial(t *testing.T) {
	vals := []float64{0, negZ, 1, -1, inf, -inf, nan, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5,
		0x1p53, -0x1p53, 0x1p53 + 2, 1e300, -1e300, 1e-300, -1e-300, 5e-324, -5e-324, 1.5, -1.5, 0.25, 1e10, -1e10}
	for _, x := range vals {
		for _, y := range vals {
			want := math.Pow(x, y)
			special := x == 0 || y == 0 || math.Abs(x) == 1 || y == 1 || math.IsInf(x, 0) || math.IsInf(y, 0) ||
				x != x || y != y || want == 0 || math.IsInf(want, 0) || want != want
			got := Pow(x, y)
			if special {
				if !same(got, want) {
					t.Errorf("Pow(%v, %v) = %v, math.Pow gives %v", x, y, got, want)
				}
			} else if e := ulpErr(got, exactPow(x, y)); e >= 1 {
				t.Errorf("Pow(%v, %v) = %v: %.3f ulp", x, y, got, e)
			}
		}
	}
}

// TestTablesFresh checks that tables.go is what gentables writes.
func TestTablesFresh(t *testing.T) {
	want, err := gentables.Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("tables.go is stale: run go generate ./dmath")
	}
}
