package sgd

import (
	"fmt"
	"math"
	"runtime"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dispatch"
)

// MLP is a multilayer perceptron classifier: example i has features
// x[i*features:(i+1)*features] and a class labels[i] in [0, classes); the
// hidden layers have the given widths and ReLU activations, the output
// layer gives the logits, and the loss of an example is the softmax
// cross-entropy log Σ exp(z) - z_label.
//
// The parameters are the layers in order, layer l (from width a to width
// b) a b x (a+1) row-major matrix whose row j holds the weights of unit j
// followed by its bias (the layout of SoftmaxRegression, which is an MLP
// without hidden layers). Forward and backward passes run on downhill.Gemm,
// BatchChunk examples at a time (see BatchProblem for the summation order).
type MLP[F Float] struct {
	k      downhill.Kernels[F] // the path it computes on (OnPath)
	x      []F
	labels []int
	sizes  []int // features, hidden..., classes
	off    []int // layer l's parameters are params[off[l]:off[l+1]]
}

// NewMLP returns the network on n = len(labels) examples; x holds n rows
// of `features` values. It keeps x and labels (no copy).
func NewMLP[F Float](x []F, labels []int, features, classes int, hidden []int) (*MLP[F], error) {
	if err := checkData(len(x), len(labels), features); err != nil {
		return nil, fmt.Errorf("sgd: mlp: %w", err)
	}
	if classes < 2 {
		return nil, fmt.Errorf("sgd: mlp: %d classes, need >= 2", classes)
	}
	if err := checkLabels(labels, classes); err != nil {
		return nil, fmt.Errorf("sgd: mlp: %w", err)
	}
	sizes := append(append([]int{features}, hidden...), classes)
	off := []int{0}
	for l := 1; l < len(sizes); l++ {
		if sizes[l] <= 0 || sizes[l] > 1<<20 {
			return nil, fmt.Errorf("sgd: mlp: hidden layer %d has width %d, need 1 to %d", l, sizes[l], 1<<20)
		}
		n := sizes[l] * (sizes[l-1] + 1)
		if off[l-1] > math.MaxInt32-n {
			return nil, fmt.Errorf("sgd: mlp: more than %d parameters", math.MaxInt32)
		}
		off = append(off, off[l-1]+n)
	}
	k, _ := downhill.On[F](dispatch.Active()) // the active path is always available
	return &MLP[F]{k, x, labels, sizes, off}, nil
}

// OnPath makes the network compute with the kernels of path p (every path
// gives the same bits; this exists to prove it).
func (m *MLP[F]) OnPath(p dispatch.Path) error {
	k, err := downhill.On[F](p)
	if err != nil {
		return fmt.Errorf("sgd: %v", err)
	}
	m.k = k
	return nil
}

// Dim returns the number of parameters.
func (m *MLP[F]) Dim() int { return m.off[len(m.off)-1] }

// Len returns the number of examples.
func (m *MLP[F]) Len() int { return len(m.labels) }

// Sizes returns the layer widths: features, the hidden widths, classes.
func (m *MLP[F]) Sizes() []int { return append([]int(nil), m.sizes...) }

// Init sets params to He initialisation drawn from seed: every weight of
// a layer with a inputs uniform in [-√(6/a), √(6/a)) (variance 2/a), every
// bias 0. The draws are a fixed function of seed (splitmix64, 53-bit
// uniforms, one correctly rounded square root per layer), the same bits
// on every machine.
func (m *MLP[F]) Init(params []F, seed uint64) error {
	if len(params) != m.Dim() {
		return fmt.Errorf("sgd: mlp: Init: len(params)=%d, want %d", len(params), m.Dim())
	}
	state := seed
	for l := 1; l < len(m.sizes); l++ {
		a := m.sizes[l-1]
		lim := math.Sqrt(6 / float64(a))
		w := params[m.off[l-1]:m.off[l]]
		for j := 0; j < m.sizes[l]; j++ {
			row := w[j*(a+1) : (j+1)*(a+1)]
			for p := range a {
				state += 0x9e3779b97f4a7c15
				u := float64(splitmix(state)>>11) * 0x1p-53 // [0, 1), exact
				row[p] = F(lim * float64(float64(2*u)-1))   // 2u-1 is exact
			}
			row[a] = 0
		}
	}
	return nil
}

// splitmix returns the splitmix64 output for the state z.
func splitmix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Scratch slots of the MLP: float slot l < L holds the activations of
// layer l (l = 0: the gathered inputs), each row followed by a 1 (the bias
// input); slot L the logits, then the deltas; float64 slot 0 the softmax
// scratch, 1 the per-example losses.
func (m *MLP[F]) act(sc *Scratch[F], l int) []F {
	return sc.Floats(l, BatchChunk*(m.sizes[l]+1))
}

func (m *MLP[F]) delta(sc *Scratch[F], l int) []F {
	L := len(m.sizes) - 1
	if l == L {
		return sc.Floats(L, BatchChunk*m.sizes[L])
	}
	return sc.Floats(L+l, BatchChunk*m.sizes[l])
}

// forward runs the b gathered rows of slot 0 through the network and
// returns the logits (b x classes).
func (m *MLP[F]) forward(sc *Scratch[F], params []F, b int) []F {
	L := len(m.sizes) - 1
	for l := 1; l <= L; l++ {
		in, out := m.sizes[l-1], m.sizes[l]
		a, w := m.act(sc, l-1), params[m.off[l-1]:m.off[l]]
		if l == L {
			z := m.delta(sc, L)
			sc.Gemm(m.k, false, true, b, out, in+1, 1, a, in+1, w, in+1, 0, z, out)
			return z
		}
		h := m.act(sc, l)
		sc.Gemm(m.k, false, true, b, out, in+1, 1, a, in+1, w, in+1, 0, h, out+1)
		sc.parallelFor(b*out, b, 4, func(lo, hi int) {
			relu(h[lo*(out+1):], hi-lo, out, out+1)
		})
	}
	panic("unreachable")
}

// BatchGradient sets grad to the mean gradient over idx (BatchProblem's
// order): per chunk, the forward pass (one Gemm per layer, ReLU), E =
// softmax - onehot rounded to F, then from the last layer down: layer l's
// gradient (+)= Eᵀ·A (one Gemm; the bias column sums E in example order),
// E ← (E·W without the bias column) masked by A > 0 (one Gemm); then
// grad = F(1/B)·grad. It returns the mean cross-entropy.
func (m *MLP[F]) BatchGradient(params []F, idx []int, grad []F, sc *Scratch[F]) float64 {
	L, n, c := len(m.sizes)-1, len(idx), m.sizes[len(m.sizes)-1]
	f := m.sizes[0]
	z64 := sc.Float64s(0, BatchChunk*c)
	loss := sc.Float64s(1, n)
	alpha, scaleAfter := meanAlpha[F](n)
	for lo := 0; lo < n; lo += BatchChunk {
		ch := idx[lo:min(lo+BatchChunk, n)]
		b := len(ch)
		gatherRows(sc, m.act(sc, 0), m.x, ch, f, f+1, true)
		z := m.forward(sc, params, b)
		softmaxDelta(sc, z, z64, gatherLabels(sc, m.labels, ch), loss[lo:], b, c)
		var beta F
		if lo > 0 {
			beta = 1
		}
		for l := L; l >= 1; l-- {
			in, out := m.sizes[l-1], m.sizes[l]
			a, e := m.act(sc, l-1), m.delta(sc, l)
			w, g := params[m.off[l-1]:m.off[l]], grad[m.off[l-1]:m.off[l]]
			sc.Gemm(m.k, true, false, out, in+1, b, alpha, e, out, a, in+1, beta, g, in+1)
			if l == 1 {
				break
			}
			d := m.delta(sc, l-1)
			sc.Gemm(m.k, false, false, b, in, out, 1, e, out, w, in+1, 0, d, in)
			sc.parallelFor(b*in, b, 4, func(lo, hi int) {
				reluMask(d[lo*in:], a[lo*(in+1):], hi-lo, in, in+1)
			})
		}
	}
	if scaleAfter {
		m.k.Scale(F(1/float64(n)), grad)
	}
	return sumInOrder(loss) / float64(n)
}

// Gradients writes the gradient of each example's loss into its row
// (BatchGradient of a batch of one).
func (m *MLP[F]) Gradients(params []F, idx []int, rows []F) {
	d := m.Dim()
	sc := NewScratch[F](1)
	for j := range idx {
		m.BatchGradient(params, idx[j:j+1], rows[j*d:(j+1)*d], sc)
	}
}

// eval runs the forward pass over the examples idx of (x, labels) (all if
// idx is nil) and returns the summed cross-entropy, in example order, and
// the number of examples whose most probable class (ties to the lower
// class) is the label.
func (m *MLP[F]) eval(params, x []F, labels []int, idx []int, workers int) (float64, int) {
	if idx == nil {
		idx = make([]int, len(labels))
		for i := range idx {
			idx[i] = i
		}
	}
	sc := NewScratch[F](workers)
	defer sc.stop()
	f, c := m.sizes[0], m.sizes[len(m.sizes)-1]
	z64 := sc.Float64s(0, BatchChunk*c)
	loss := sc.Float64s(1, BatchChunk)
	total, right := 0.0, 0
	for lo := 0; lo < len(idx); lo += BatchChunk {
		ch := idx[lo:min(lo+BatchChunk, len(idx))]
		gatherRows(sc, m.act(sc, 0), x, ch, f, f+1, true)
		z := m.forward(sc, params, len(ch))
		for r, i := range ch {
			best := 0
			for k := 1; k < c; k++ {
				if z[r*c+k] > z[r*c+best] {
					best = k
				}
			}
			if best == labels[i] {
				right++
			}
		}
		softmaxDelta(sc, z, z64, gatherLabels(sc, labels, ch), loss, len(ch), c)
		total += sumInOrder(loss[:len(ch)])
	}
	return total, right
}

// Loss returns the mean cross-entropy over idx (all examples if nil).
func (m *MLP[F]) Loss(params []F, idx []int) float64 {
	s, _ := m.eval(params, m.x, m.labels, idx, 1)
	if idx == nil {
		return s / float64(len(m.labels))
	}
	return s / float64(len(idx))
}

// Accuracy returns the fraction of the examples (x, labels), e.g. a test
// set with the network's number of features, whose most probable class
// is the label. It uses every core.
func (m *MLP[F]) Accuracy(params, x []F, labels []int) (float64, error) {
	if len(params) != m.Dim() {
		return 0, fmt.Errorf("sgd: Accuracy: len(params)=%d, want %d", len(params), m.Dim())
	}
	if err := checkData(len(x), len(labels), m.sizes[0]); err != nil {
		return 0, fmt.Errorf("sgd: Accuracy: %w", err)
	}
	if err := checkLabels(labels, m.sizes[len(m.sizes)-1]); err != nil {
		return 0, fmt.Errorf("sgd: Accuracy: %w", err)
	}
	_, right := m.eval(params, x, labels, nil, runtime.GOMAXPROCS(0))
	return float64(right) / float64(len(labels)), nil
}
