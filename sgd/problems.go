package sgd

import (
	"fmt"

	"github.com/downhill-go/downhill/dmath"
)

// Bowl is the quadratic bowl f(p) = ½ Σ λ_i (p_i - c_i)², whose Hessian has
// the eigenvalues λ_i along the coordinate axes and whose minimum, 0, is at
// the center c. It is a single "example" (Len 1): its gradient row is the
// exact full gradient λ_i (p_i - c_i), so Train runs gradient descent on it.
type Bowl[F Float] struct {
	k           kernels[F]
	eig, center []F
}

// NewBowl returns the bowl with the given eigenvalues (> 0, finite) and
// center (nil for the origin).
func NewBowl[F Float](eigenvalues, center []F) (*Bowl[F], error) {
	if len(eigenvalues) == 0 {
		return nil, fmt.Errorf("sgd: bowl: no eigenvalues")
	}
	for i, l := range eigenvalues {
		if !finite(float64(l)) || l <= 0 {
			return nil, fmt.Errorf("sgd: bowl: eigenvalue %d is %v, need finite and > 0", i, l)
		}
	}
	if center == nil {
		center = make([]F, len(eigenvalues))
	}
	if len(center) != len(eigenvalues) {
		return nil, fmt.Errorf("sgd: bowl: %d eigenvalues but a center of %d values", len(eigenvalues), len(center))
	}
	return &Bowl[F]{activeKernels[F](), append([]F(nil), eigenvalues...), append([]F(nil), center...)}, nil
}

// Dim returns the number of eigenvalues.
func (b *Bowl[F]) Dim() int { return len(b.eig) }

// Len returns 1.
func (b *Bowl[F]) Len() int { return 1 }

// Loss returns f(params), whatever idx holds (the bowl has one example).
func (b *Bowl[F]) Loss(params []F, idx []int) float64 {
	s := 0.0
	for i, l := range b.eig {
		e := float64(params[i]) - float64(b.center[i])
		s += float64(float64(l) * e * e)
	}
	return s / 2
}

// Gradients writes λ_i·(p_i - c_i), rounded in F, into each row.
func (b *Bowl[F]) Gradients(params []F, idx []int, rows []F) {
	d := len(b.eig)
	for j := range idx {
		row := rows[j*d : (j+1)*d]
		for i, l := range b.eig {
			row[i] = F(l * F(params[i]-b.center[i]))
		}
	}
}

// LeastSquares is linear regression: example i has features
// x[i*features:(i+1)*features] and target y[i]; its loss is
// ½ (w·x_i - y_i)² with w the `features` parameters (add a constant
// feature for an intercept).
type LeastSquares[F Float] struct {
	k        kernels[F]
	x, y     []F
	features int
}

// NewLeastSquares returns the problem on len(y) examples. It keeps x and
// y (no copy).
func NewLeastSquares[F Float](x, y []F, features int) (*LeastSquares[F], error) {
	if err := checkData(len(x), len(y), features); err != nil {
		return nil, fmt.Errorf("sgd: least squares: %w", err)
	}
	return &LeastSquares[F]{activeKernels[F](), x, y, features}, nil
}

// Dim returns the number of features.
func (l *LeastSquares[F]) Dim() int { return l.features }

// Len returns the number of examples.
func (l *LeastSquares[F]) Len() int { return len(l.y) }

// residual returns w·x_i - y_i in F.
func (l *LeastSquares[F]) residual(params []F, i int) F {
	f := l.features
	return l.k.Dot(params, l.x[i*f:(i+1)*f]) - l.y[i]
}

// Loss returns the mean of ½ residual² over idx (all examples if nil).
func (l *LeastSquares[F]) Loss(params []F, idx []int) float64 {
	s := 0.0
	n := forEach(idx, len(l.y), func(i int) {
		r := float64(l.residual(params, i))
		s += float64(r * r)
	})
	return s / float64(2*n)
}

// Gradients writes residual_i · x_i into each row.
func (l *LeastSquares[F]) Gradients(params []F, idx []int, rows []F) {
	f := l.features
	for j, i := range idx {
		row := rows[j*f : (j+1)*f]
		clear(row)
		l.k.Axpy(l.residual(params, i), l.x[i*f:(i+1)*f], row)
	}
}

// LogisticRegression is binary classification: example i has features
// x[i*features:(i+1)*features] and a label in {0, 1}. The parameters are
// the weights followed by a bias (Dim = features+1); with
// z = w·x + b, the loss is log(1 + exp(-z)) for label 1 and
// log(1 + exp(z)) for label 0, plus (L2/2)·‖w‖².
type LogisticRegression[F Float] struct {
	k        kernels[F]
	x        []F
	labels   []int
	features int
	l2       F
}

// NewLogisticRegression returns the problem on len(labels) examples. It
// keeps x and labels (no copy).
func NewLogisticRegression[F Float](x []F, labels []int, features int, l2 float64) (*LogisticRegression[F], error) {
	if err := checkData(len(x), len(labels), features); err != nil {
		return nil, fmt.Errorf("sgd: logistic regression: %w", err)
	}
	if err := checkLabels(labels, 2); err != nil {
		return nil, fmt.Errorf("sgd: logistic regression: %w", err)
	}
	if !finite(l2) || l2 < 0 {
		return nil, fmt.Errorf("sgd: logistic regression: invalid L2 coefficient %v", l2)
	}
	return &LogisticRegression[F]{activeKernels[F](), x, labels, features, F(l2)}, nil
}

// Dim returns features+1.
func (l *LogisticRegression[F]) Dim() int { return l.features + 1 }

// Len returns the number of examples.
func (l *LogisticRegression[F]) Len() int { return len(l.labels) }

func (l *LogisticRegression[F]) logit(params, x []F) float64 {
	f := l.features
	return float64(l.k.Dot(params[:f], x) + params[f])
}

// Loss returns the mean loss over idx (all examples if nil).
func (l *LogisticRegression[F]) Loss(params []F, idx []int) float64 {
	f, s := l.features, 0.0
	n := forEach(idx, len(l.labels), func(i int) {
		z := l.logit(params, l.x[i*f:(i+1)*f])
		if l.labels[i] == 1 {
			z = -z
		}
		s += dmath.Softplus(z)
	})
	reg := 0.0
	if l.l2 != 0 {
		for _, w := range params[:f] {
			reg += float64(float64(w) * float64(w))
		}
	}
	return s/float64(n) + float64(float64(l.l2)/2*reg)
}

// Gradients writes (σ(z) - label)·(x, 1) + L2·(w, 0) into each row.
func (l *LogisticRegression[F]) Gradients(params []F, idx []int, rows []F) {
	f, d := l.features, l.features+1
	for j, i := range idx {
		x := l.x[i*f : (i+1)*f]
		e := F(dmath.Sigmoid(l.logit(params, x)) - float64(l.labels[i]))
		row := rows[j*d : (j+1)*d]
		clear(row)
		l.k.Axpy(e, x, row[:f])
		row[f] = e
		if l.l2 != 0 {
			l.k.Axpy(l.l2, params[:f], row[:f])
		}
	}
}

// Accuracy returns the fraction of the examples (x, labels) classified
// correctly (class 1 when z > 0).
func (l *LogisticRegression[F]) Accuracy(params, x []F, labels []int) (float64, error) {
	if len(params) != l.Dim() {
		return 0, fmt.Errorf("sgd: Accuracy: len(params)=%d, want %d", len(params), l.Dim())
	}
	if err := checkData(len(x), len(labels), l.features); err != nil {
		return 0, fmt.Errorf("sgd: Accuracy: %w", err)
	}
	f, right := l.features, 0
	for i, y := range labels {
		pred := 0
		if l.logit(params, x[i*f:(i+1)*f]) > 0 {
			pred = 1
		}
		if pred == y {
			right++
		}
	}
	return float64(right) / float64(len(labels)), nil
}
