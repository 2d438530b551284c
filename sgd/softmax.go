package sgd

import (
	"fmt"
	"math"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
	"github.com/downhill-go/downhill/dmath"
)

// kernels are the downhill kernels a shipped problem computes with (the
// active path unless its OnPath chose another), held in a field named k.
type kernels[F Float] = downhill.Kernels[F]

func activeKernels[F Float]() kernels[F] {
	k, _ := downhill.On[F](dispatch.Active()) // the active path is always available
	return k
}

// onPath points *k at the kernels of path p.
func onPath[F Float](k *kernels[F], p dispatch.Path) error {
	kp, err := downhill.On[F](p)
	if err != nil {
		return fmt.Errorf("sgd: %v", err)
	}
	*k = kp
	return nil
}

// OnPath makes the problem compute with the kernels of path p (every path
// gives the same bits; this exists to prove it).
func (s *SoftmaxRegression[F]) OnPath(p dispatch.Path) error { return onPath(&s.k, p) }

// OnPath makes the problem compute with the kernels of path p.
func (l *LogisticRegression[F]) OnPath(p dispatch.Path) error { return onPath(&l.k, p) }

// OnPath makes the problem compute with the kernels of path p.
func (l *LeastSquares[F]) OnPath(p dispatch.Path) error { return onPath(&l.k, p) }

// OnPath makes the problem compute with the kernels of path p.
func (b *Bowl[F]) OnPath(p dispatch.Path) error { return onPath(&b.k, p) }

// SoftmaxRegression is multinomial logistic regression: example i has
// features x[i*features:(i+1)*features] and a class labels[i] in
// [0, classes). The parameters are a classes x (features+1) row-major
// matrix W: row c holds the weights of class c followed by its bias, so
// the logit of class c is z_c = W[c,:features]·x + W[c,features]. The loss
// of an example is the cross-entropy log Σ exp(z) - z_label, plus
// (L2/2)·‖weights‖² (biases excluded).
//
// Per example, the gradient costs `classes` downhill.Dot and Axpy calls of
// length features (and as many more Axpy calls when L2 > 0).
type SoftmaxRegression[F Float] struct {
	k                 kernels[F]
	x                 []F
	labels            []int
	features, classes int
	l2                F
}

// NewSoftmaxRegression returns the problem on n = len(labels) examples;
// x holds n rows of `features` values. It keeps x and labels (no copy).
func NewSoftmaxRegression[F Float](x []F, labels []int, features, classes int, l2 float64) (*SoftmaxRegression[F], error) {
	if err := checkData(len(x), len(labels), features); err != nil {
		return nil, fmt.Errorf("sgd: softmax regression: %w", err)
	}
	if classes < 2 {
		return nil, fmt.Errorf("sgd: softmax regression: %d classes, need >= 2", classes)
	}
	if err := checkLabels(labels, classes); err != nil {
		return nil, fmt.Errorf("sgd: softmax regression: %w", err)
	}
	if !finite(l2) || l2 < 0 {
		return nil, fmt.Errorf("sgd: softmax regression: invalid L2 coefficient %v", l2)
	}
	return &SoftmaxRegression[F]{activeKernels[F](), x, labels, features, classes, F(l2)}, nil
}

func checkData(nx, n, features int) error {
	switch {
	case n == 0:
		return fmt.Errorf("no examples")
	case features <= 0:
		return fmt.Errorf("%d features, need > 0", features)
	case nx != n*features:
		return fmt.Errorf("len(x)=%d != %d examples x %d features", nx, n, features)
	}
	return nil
}

func checkLabels(labels []int, classes int) error {
	for i, l := range labels {
		if l < 0 || l >= classes {
			return fmt.Errorf("label %d of example %d outside [0, %d)", l, i, classes)
		}
	}
	return nil
}

// Dim returns classes*(features+1).
func (s *SoftmaxRegression[F]) Dim() int { return s.classes * (s.features + 1) }

// Len returns the number of examples.
func (s *SoftmaxRegression[F]) Len() int { return len(s.labels) }

// logits sets z[c] to the logits of the example with features x.
func (s *SoftmaxRegression[F]) logits(params, x []F, z []float64) {
	f := s.features
	for c := range z {
		w := params[c*(f+1) : (c+1)*(f+1)]
		z[c] = float64(s.k.Dot(w[:f], x) + w[f])
	}
}

// softmax turns z into probabilities in place and returns log Σ exp(z).
func softmax(z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	sum := 0.0
	for c, v := range z {
		z[c] = dmath.Exp(v - m)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
	return m + dmath.Log(sum)
}

// Loss returns the mean cross-entropy over idx (all examples if nil) plus
// the L2 term.
func (s *SoftmaxRegression[F]) Loss(params []F, idx []int) float64 {
	f := s.features
	z := make([]float64, s.classes)
	total := 0.0
	n := forEach(idx, len(s.labels), func(i int) {
		s.logits(params, s.x[i*f:(i+1)*f], z)
		zy := z[s.labels[i]]
		total += softmax(z) - zy
	})
	return total/float64(n) + s.l2Loss(params)
}

func (s *SoftmaxRegression[F]) l2Loss(params []F) float64 {
	if s.l2 == 0 {
		return 0
	}
	f, sq := s.features, 0.0
	for c := 0; c < s.classes; c++ {
		for _, w := range params[c*(f+1) : c*(f+1)+f] {
			sq += float64(float64(w) * float64(w))
		}
	}
	return float64(float64(s.l2) / 2 * sq)
}

// forEach calls fn for every index of idx, or for 0..n-1 if idx is nil,
// and returns how many it visited.
func forEach(idx []int, n int, fn func(i int)) int {
	if idx == nil {
		for i := range n {
			fn(i)
		}
		return n
	}
	for _, i := range idx {
		fn(i)
	}
	return len(idx)
}

// Gradients writes the gradient of each example's loss: row block c is
// (p_c - [c = label])·(x, 1) + L2·(W[c,:features], 0), with p the softmax
// probabilities.
func (s *SoftmaxRegression[F]) Gradients(params []F, idx []int, rows []F) {
	f, d := s.features, s.Dim()
	z := make([]float64, s.classes)
	for j, i := range idx {
		x := s.x[i*f : (i+1)*f]
		s.logits(params, x, z)
		softmax(z)
		z[s.labels[i]] -= 1
		row := rows[j*d : (j+1)*d]
		clear(row)
		for c, e := range z {
			r := row[c*(f+1) : (c+1)*(f+1)]
			s.k.Axpy(F(e), x, r[:f])
			r[f] = F(e)
			if s.l2 != 0 {
				s.k.Axpy(s.l2, params[c*(f+1):c*(f+1)+f], r[:f])
			}
		}
	}
}

// Predict returns the most probable class of the example with features x
// (len features); ties go to the lower class.
func (s *SoftmaxRegression[F]) Predict(params, x []F) (int, error) {
	if len(params) != s.Dim() || len(x) != s.features {
		return 0, fmt.Errorf("sgd: Predict: len(params)=%d, len(x)=%d; want %d, %d", len(params), len(x), s.Dim(), s.features)
	}
	z := make([]float64, s.classes)
	s.logits(params, x, z)
	return argmax(z), nil
}

func argmax(z []float64) int {
	best := 0
	for c, v := range z {
		if v > z[best] {
			best = c
		}
	}
	return best
}

// Accuracy returns the fraction of the examples (x, labels), e.g. a test
// set with the problem's number of features, whose predicted class is the
// label.
func (s *SoftmaxRegression[F]) Accuracy(params, x []F, labels []int) (float64, error) {
	if len(params) != s.Dim() {
		return 0, fmt.Errorf("sgd: Accuracy: len(params)=%d, want %d", len(params), s.Dim())
	}
	if err := checkData(len(x), len(labels), s.features); err != nil {
		return 0, fmt.Errorf("sgd: Accuracy: %w", err)
	}
	if err := checkLabels(labels, s.classes); err != nil {
		return 0, fmt.Errorf("sgd: Accuracy: %w", err)
	}
	f, right := s.features, 0
	z := make([]float64, s.classes)
	for i, l := range labels {
		s.logits(params, x[i*f:(i+1)*f], z)
		if argmax(z) == l {
			right++
		}
	}
	return float64(right) / float64(len(labels)), nil
}
