package sgd

// Problem is a differentiable objective: the mean of a loss over Len()
// examples, as a function of Dim() parameters.
//
// Train calls Loss and Gradients from several goroutines at once, on
// disjoint idx and rows, so implementations must not write shared state.
// Both must be deterministic: the same params and idx give the same bits.
// For the same bits on every CPU as well (as the shipped problems give),
// use package dmath instead of math.Exp, Log, Pow and the like, and write
// float64(x*y) + z (or math.FMA) where a product meets a sum, so that no
// compiler fuses it.
type Problem[F Float] interface {
	// Dim returns the number of parameters.
	Dim() int
	// Len returns the number of examples.
	Len() int
	// Loss returns the mean loss over the examples idx (all examples if
	// idx is nil).
	Loss(params []F, idx []int) float64
	// Gradients writes the gradient of example idx[j]'s loss into
	// rows[j*Dim():(j+1)*Dim()] for every j; len(rows) = len(idx)*Dim().
	// The rows hold garbage on entry and must be overwritten.
	Gradients(params []F, idx []int, rows []F)
}
