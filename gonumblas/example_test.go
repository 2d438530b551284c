package gonumblas_test

import (
	"fmt"

	"github.com/downhill-go/downhill/gonumblas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Plug downhill into gonum: after blas64.Use, gonum's mat runs its
// products on downhill's kernels.
func Example() {
	blas64.Use(gonumblas.Implementation{})

	a := mat.NewDense(2, 3, []float64{
		1, 2, 3,
		4, 5, 6,
	})
	b := mat.NewDense(3, 2, []float64{
		7, 8,
		9, 10,
		11, 12,
	})
	var c mat.Dense
	c.Mul(a, b) // Dgemm: downhill.Gemm
	fmt.Printf("%v\n", mat.Formatted(&c))
	fmt.Println(mat.Norm(c.RowView(0), 2)) // Dnrm2: downhill.Nrm2
	// Output:
	// ⎡ 58   64⎤
	// ⎣139  154⎦
	// 86.37129152675674
}
