package downhill_test

import (
	"fmt"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// Every output below is the same on every path: the kernels are
// bit-identical, so printing exact values is safe.

func ExampleAxpy() {
	x := []float32{1, 2, 3}
	y := []float32{10, 20, 30}
	downhill.Axpy(0.5, x, y) // y[i] = fma(0.5, x[i], y[i])
	fmt.Println(y)
	// Output: [10.5 21 31.5]
}

func ExampleAxpby() {
	x := []float64{1, 2, 3}
	y := []float64{10, 20, 30}
	downhill.Axpby(2, x, 0.5, y) // y[i] = fma(2, x[i], 0.5*y[i])
	fmt.Println(y)
	// Output: [7 14 21]
}

func ExampleScale() {
	x := []float32{1, -2, 0.25}
	downhill.Scale(4, x)
	fmt.Println(x)
	// Output: [4 -8 1]
}

func ExampleDot() {
	x := []float64{1, 2, 3}
	y := []float64{4, 5, 6}
	fmt.Println(downhill.Dot(x, y))

	// The canonical order makes rounding reproducible: 0.1 summed 1000
	// times is not 100, but it is the same not-100 on every path.
	ones := make([]float32, 1000)
	tenths := make([]float32, 1000)
	for i := range ones {
		ones[i], tenths[i] = 1, 0.1
	}
	fmt.Println(downhill.Dot(ones, tenths))
	// Output:
	// 32
	// 100.000015
}

func ExampleSumRows() {
	// A mini-batch of 3 gradient rows of 2 parameters each, averaged.
	rows := []float32{
		1, 10,
		2, 20,
		3, 30,
	}
	g := make([]float32, 2)
	downhill.SumRows(g, 1.0/3, rows)
	fmt.Println(g)
	// Output: [2 20]
}

func ExampleMomentumStep() {
	p := []float64{1, 2}
	g := []float64{0.5, -1}
	v := make([]float64, len(p))
	h := downhill.Momentum[float64]{LR: 0.125, Mu: 0.5, Fresh: true}
	downhill.MomentumStep(p, g, v, h) // first step: v = g, p -= LR*v
	fmt.Println(p, v)

	h.Fresh = false
	downhill.MomentumStep(p, g, v, h) // v = Mu*v + g, p -= LR*v
	fmt.Println(p, v)
	// Output:
	// [0.9375 2.125] [0.5 -1]
	// [0.84375 2.3125] [0.75 -1.5]
}

func ExampleBatchMomentumStep() {
	p := []float32{1, 2}
	v := []float32{0.5, 0.5}
	rows := []float32{ // two examples' gradients, one row each
		1, -1,
		3, 1,
	}
	h := downhill.Momentum[float32]{LR: 0.25, Mu: 0.5}
	// The same as SumRows(g, 0.5, rows) then MomentumStep(p, g, v, h):
	// g = [2 0], v = 0.5*v + g = [2.25 0.25], p -= 0.25*v.
	downhill.BatchMomentumStep(p, v, rows, 0.5, h)
	fmt.Println(p, v)
	// Output: [0.4375 1.9375] [2.25 0.25]
}

func ExampleOn() {
	// Run Axpy on every path this CPU can run: the results agree bit for
	// bit.
	var results [][]float32
	for _, path := range dispatch.Available() {
		k, err := downhill.On[float32](path)
		if err != nil {
			panic(err)
		}
		y := []float32{1, 1, 1}
		k.Axpy(0.1, []float32{1, 2, 3}, y)
		results = append(results, y)
	}
	agree := true
	for _, y := range results[1:] {
		agree = agree && fmt.Sprint(y) == fmt.Sprint(results[0])
	}
	fmt.Println(results[0], agree)
	// Output: [1.1 1.2 1.3] true
}
