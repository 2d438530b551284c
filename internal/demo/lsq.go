package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// leastSquaresData returns n examples of `features` Gaussian features
// with the given scales, targets w·x + noise, and the exact minimizer of
// the mean squared error (normal equations).
func leastSquaresData(rng *rand.Rand, n int, scales, w []float64, noise float64) (x, y, best []float64, err error) {
	d := len(scales)
	x, y = make([]float64, n*d), make([]float64, n)
	for i := range n {
		row := x[i*d : (i+1)*d]
		t := 0.0
		for j := range row {
			row[j] = scales[j] * rng.NormFloat64()
			t += float64(w[j] * row[j])
		}
		y[i] = t + float64(noise*rng.NormFloat64())
	}
	a := make([]float64, d*d)
	b := make([]float64, d)
	for i := range n {
		row := x[i*d : (i+1)*d]
		for j := range d {
			b[j] += float64(row[j] * y[i])
			for k := range d {
				a[j*d+k] += float64(row[j] * row[k])
			}
		}
	}
	best, err = solve(a, b, d)
	return x, y, best, err
}

// solve solves a·x = b (a is d x d, row-major) by Gaussian elimination
// with partial pivoting; a and b are overwritten.
func solve(a, b []float64, d int) ([]float64, error) {
	for c := range d {
		piv := c
		for r := c + 1; r < d; r++ {
			if math.Abs(a[r*d+c]) > math.Abs(a[piv*d+c]) {
				piv = r
			}
		}
		if a[piv*d+c] == 0 {
			return nil, fmt.Errorf("singular normal equations")
		}
		for k := range d {
			a[c*d+k], a[piv*d+k] = a[piv*d+k], a[c*d+k]
		}
		b[c], b[piv] = b[piv], b[c]
		for r := c + 1; r < d; r++ {
			f := a[r*d+c] / a[c*d+c]
			for k := c; k < d; k++ {
				a[r*d+k] -= float64(f * a[c*d+k])
			}
			b[r] -= float64(f * b[c])
		}
	}
	x := make([]float64, d)
	for r := d - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < d; k++ {
			s -= float64(a[r*d+k] * x[k])
		}
		x[r] = s / a[r*d+r]
	}
	return x, nil
}
