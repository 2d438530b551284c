package sgd

import (
	"math"
	"math/rand/v2"
)

// clusters returns n examples of `features` values in `classes` Gaussian
// clusters (unit variance around centers at distance ~sep) and their labels.
func clusters[F Float](n, features, classes int, sep float64, seed uint64) ([]F, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	centers := make([]float64, classes*features)
	for i := range centers {
		centers[i] = sep * r.NormFloat64()
	}
	x := make([]F, n*features)
	labels := make([]int, n)
	for i := range labels {
		c := r.IntN(classes)
		labels[i] = c
		for j := 0; j < features; j++ {
			x[i*features+j] = F(centers[c*features+j] + r.NormFloat64())
		}
	}
	return x, labels
}

// linearData returns n examples of `features` standard normal values and
// targets a·w* + noise·N(0,1), with w* = (1, 2, ..., features)/features.
func linearData[F Float](n, features int, noise float64, seed uint64) (x, y []F) {
	r := rand.New(rand.NewPCG(seed, 2))
	x = make([]F, n*features)
	y = make([]F, n)
	for i := range y {
		s := 0.0
		for j := 0; j < features; j++ {
			v := r.NormFloat64()
			x[i*features+j] = F(v)
			s += v * float64(j+1) / float64(features)
		}
		y[i] = F(s + noise*r.NormFloat64())
	}
	return x, y
}

func sameBits[F Float](a, b []F) (int, bool) {
	if len(a) != len(b) {
		return -1, false
	}
	for i := range a {
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) {
			return i, false
		}
	}
	return 0, true
}
