package sgd

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
)

// checkGradients compares every example's gradient row, and their mean,
// with central finite differences of Loss (float64, step 1e-6).
func checkGradients(t *testing.T, name string, p Problem[float64], params []float64) {
	t.Helper()
	d, n := p.Dim(), p.Len()
	rows := make([]float64, n*d)
	for i := range rows {
		rows[i] = math.NaN() // Gradients must overwrite everything
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	p.Gradients(params, all, rows)
	const h = 1e-6
	fd := func(idx []int, j int) float64 {
		q := append([]float64(nil), params...)
		q[j] = params[j] + h
		up := p.Loss(q, idx)
		q[j] = params[j] - h
		return (up - p.Loss(q, idx)) / (2 * h)
	}
	bad := 0
	for i := 0; i < n && bad < 5; i++ {
		for j := 0; j < d; j++ {
			got, want := rows[i*d+j], fd([]int{i}, j)
			if !(math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))) {
				t.Errorf("%s: example %d, parameter %d: gradient %v, finite difference %v", name, i, j, got, want)
				bad++
			}
		}
	}
	for j := 0; j < d; j++ {
		mean := 0.0
		for i := 0; i < n; i++ {
			mean += rows[i*d+j]
		}
		mean /= float64(n)
		if want := fd(nil, j); !(math.Abs(mean-want) <= 1e-6*math.Max(1, math.Abs(want))) {
			t.Errorf("%s: mean gradient %d = %v, finite difference of the full loss %v", name, j, mean, want)
		}
	}
	if a, b := p.Loss(params, nil), p.Loss(params, all); math.Abs(a-b) > 1e-12*math.Abs(a) {
		t.Errorf("%s: Loss(nil) = %v != Loss(all) = %v", name, a, b)
	}
}

func randParams(d int, scale float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 3))
	p := make([]float64, d)
	for i := range p {
		p[i] = scale * r.NormFloat64()
	}
	return p
}

func TestProblemGradients(t *testing.T) {
	x, labels := clusters[float64](12, 5, 4, 1.5, 11)
	sm, err := NewSoftmaxRegression(x, labels, 5, 4, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	checkGradients(t, "softmax", sm, randParams(sm.Dim(), 0.5, 1))
	sm0, _ := NewSoftmaxRegression(x, labels, 5, 4, 0)
	checkGradients(t, "softmax without L2", sm0, randParams(sm0.Dim(), 0.5, 2))

	bin := make([]int, len(labels))
	for i, l := range labels {
		bin[i] = l % 2
	}
	lr, err := NewLogisticRegression(x, bin, 5, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	checkGradients(t, "logistic", lr, randParams(lr.Dim(), 0.5, 3))

	lx, ly := linearData[float64](15, 4, 0.3, 5)
	ls, err := NewLeastSquares(lx, ly, 4)
	if err != nil {
		t.Fatal(err)
	}
	checkGradients(t, "least squares", ls, randParams(4, 1, 4))

	bowl, err := NewBowl([]float64{1, 3, 10, 100}, []float64{0.5, -1, 2, 0})
	if err != nil {
		t.Fatal(err)
	}
	checkGradients(t, "bowl", bowl, randParams(4, 1, 5))
	if l := bowl.Loss([]float64{0.5, -1, 2, 0}, nil); l != 0 {
		t.Errorf("bowl loss at its center = %v, want 0", l)
	}
}

// TestLogisticExtremes checks that the loss stays finite and exact-ish
// where a naive log(1+exp(z)) would overflow.
func TestLogisticExtremes(t *testing.T) {
	lr, _ := NewLogisticRegression([]float64{1, 1}, []int{1, 0}, 1, 0)
	for _, w := range []float64{800, -800} {
		l := lr.Loss([]float64{w, 0}, nil)
		if want := 800.0 / 2; math.Abs(l-want) > 1e-9 {
			t.Errorf("w = %v: loss %v, want %v", w, l, want)
		}
		rows := make([]float64, 4)
		lr.Gradients([]float64{w, 0}, []int{0, 1}, rows)
		for _, g := range rows {
			if math.IsNaN(g) || math.Abs(g) > 1 {
				t.Errorf("w = %v: gradient rows %v", w, rows)
			}
		}
	}
}

func TestProblemValidation(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6}
	if _, err := NewSoftmaxRegression(x, []int{0, 1}, 3, 1, 0); err == nil {
		t.Error("softmax with 1 class accepted")
	}
	if _, err := NewSoftmaxRegression(x, []int{0, 2}, 3, 2, 0); err == nil {
		t.Error("softmax label out of range accepted")
	}
	if _, err := NewSoftmaxRegression(x, []int{0, 1, 1}, 3, 2, 0); err == nil {
		t.Error("softmax with len(x) != n*features accepted")
	}
	if _, err := NewSoftmaxRegression[float32](nil, nil, 3, 2, 0); err == nil {
		t.Error("softmax with no examples accepted")
	}
	if _, err := NewSoftmaxRegression(x, []int{0, 1}, 3, 2, -1); err == nil {
		t.Error("softmax with negative L2 accepted")
	}
	if _, err := NewLogisticRegression(x, []int{0, 2}, 3, 0); err == nil {
		t.Error("logistic label 2 accepted")
	}
	if _, err := NewLeastSquares(x, []float32{1}, 3); err == nil {
		t.Error("least squares with mismatched targets accepted")
	}
	if _, err := NewLeastSquares(x, []float32{1, 2}, 0); err == nil {
		t.Error("least squares with 0 features accepted")
	}
	if _, err := NewBowl([]float32{1, 0}, nil); err == nil {
		t.Error("bowl with eigenvalue 0 accepted")
	}
	if _, err := NewBowl([]float32{1, 2}, []float32{0}); err == nil {
		t.Error("bowl with short center accepted")
	}
	sm, _ := NewSoftmaxRegression(x, []int{0, 1}, 3, 2, 0)
	params := make([]float32, sm.Dim())
	if _, err := sm.Accuracy(params, x[:5], []int{0, 1}); err == nil {
		t.Error("Accuracy with short x accepted")
	}
	if _, err := sm.Accuracy(params[:3], x, []int{0, 1}); err == nil {
		t.Error("Accuracy with short params accepted")
	}
	if _, err := sm.Predict(params, x[:2]); err == nil {
		t.Error("Predict with short x accepted")
	}
	if err := sm.OnPath(dispatch.Path(99)); err == nil {
		t.Error("OnPath with an unknown path accepted")
	}
}

func TestSoftmaxPredict(t *testing.T) {
	// Two features, three classes: class c's weights point along e_c
	// (class 2 is the bias-only class).
	sm, _ := NewSoftmaxRegression([]float64{0, 0}, []int{0}, 2, 3, 0)
	params := []float64{
		1, 0, 0,
		0, 1, 0,
		0, 0, 0.5,
	}
	for _, c := range []struct {
		x    []float64
		want int
	}{{[]float64{2, 0}, 0}, {[]float64{0, 2}, 1}, {[]float64{0.1, 0.2}, 2}} {
		if got, _ := sm.Predict(params, c.x); got != c.want {
			t.Errorf("Predict(%v) = %d, want %d", c.x, got, c.want)
		}
	}
	acc, err := sm.Accuracy(params, []float64{2, 0, 0, 2, 0.1, 0.2, 2, 0}, []int{0, 1, 2, 1})
	if err != nil || acc != 0.75 {
		t.Errorf("Accuracy = %v, %v; want 0.75", acc, err)
	}
}
