package sgd

import (
	"math"
	"testing"

	"github.com/downhill-go/downhill/dispatch"
)

// refMLPBatch is the MLP's BatchGradient written out as documented, with
// scalar fmas, example by example: per chunk of refChunk examples, the
// forward pass (each unit's k-chain over its inputs, the bias last, then
// ReLU), E = softmax - onehot rounded to F, then from the last layer down
// the gradient partial of layer l gets fma(E[u], A[p], .) example by
// example, and E for the layer below is the k-chain over the units of
// E[u]*W[u][p], zeroed where the activation is not > 0. Partials of the
// chunks are added in chunk order, then scaled by F(1/n). It shares no
// code with the MLP but softmax.
func refMLPBatch[F Float](m *MLP[F], params []F, idx []int) []F {
	L := len(m.sizes) - 1
	g := make([]F, m.Dim())
	part := make([]F, m.Dim())
	for lo := 0; lo < len(idx); lo += refChunk {
		clear(part)
		for _, i := range idx[lo:min(lo+refChunk, len(idx))] {
			acts := [][]F{append(append([]F(nil), m.x[i*m.sizes[0]:(i+1)*m.sizes[0]]...), 1)}
			for l := 1; l <= L; l++ {
				in, out := m.sizes[l-1], m.sizes[l]
				w, a := params[m.off[l-1]:m.off[l]], acts[l-1]
				h := make([]F, out+1)
				for u := range out {
					var acc F
					for p := range in + 1 {
						acc = fmaT(a[p], w[u*(in+1)+p], acc)
					}
					if l < L && acc < 0 {
						acc = 0
					}
					h[u] = acc
				}
				h[out] = 1
				acts = append(acts, h)
			}
			c := m.sizes[L]
			z := make([]float64, c)
			for k := range c {
				z[k] = float64(acts[L][k])
			}
			softmax(z)
			z[m.labels[i]] -= 1
			e := make([]F, c)
			for k := range c {
				e[k] = F(z[k])
			}
			for l := L; l >= 1; l-- {
				in, out := m.sizes[l-1], m.sizes[l]
				w, a := params[m.off[l-1]:m.off[l]], acts[l-1]
				gp := part[m.off[l-1]:m.off[l]]
				for u := range out {
					for p := range in + 1 {
						gp[u*(in+1)+p] = fmaT(e[u], a[p], gp[u*(in+1)+p])
					}
				}
				if l == 1 {
					break
				}
				below := make([]F, in)
				for p := range in {
					var acc F
					for u := range out {
						acc = fmaT(e[u], w[u*(in+1)+p], acc)
					}
					if !(a[p] > 0) {
						acc = 0
					}
					below[p] = acc
				}
				e = below
			}
		}
		refAddChunk(g, part, lo == 0)
	}
	refMean(g, len(idx))
	return g
}

// TestMLPBatchGradientOrder checks the MLP's BatchGradient bit for bit
// against refMLPBatch, on every path, for 1, 2 and 3 workers with every
// split forced, on batches of one chunk, just over one chunk and three.
func TestMLPBatchGradientOrder(t *testing.T) {
	defer func(v, w int) { gemmSerial, parallelMin = v, w }(gemmSerial, parallelMin)
	gemmSerial, parallelMin = 0, 0
	x, labels := clusters[float32](300, 23, 5, 0.7, 41)
	m, err := NewMLP(x, labels, 23, 5, []int{17, 11})
	if err != nil {
		t.Fatal(err)
	}
	params := make([]float32, m.Dim())
	m.Init(params, 42)
	for i := range params {
		params[i] += float32(i%5) * 0.01 // biases away from 0
	}
	for _, n := range []int{1, 64, 65, 150} {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = (i * 97) % 300
		}
		want := refMLPBatch(m, params, idx)
		for _, path := range dispatch.Available() {
			m.OnPath(path)
			for _, w := range []int{1, 2, 3} {
				got := make([]float32, m.Dim())
				for i := range got {
					got[i] = float32(math.NaN()) // must be overwritten
				}
				m.BatchGradient(params, idx, got, NewScratch[float32](w))
				if i, ok := sameBits(got, want); !ok {
					t.Errorf("mlp, batch %d, %s, %d workers: grad[%d] = %v, reference %v", n, path, w, i, got[i], want[i])
				}
			}
		}
	}
}

// TestReLUBits checks the branch-free ReLU passes against their scalar
// definitions on every kind of value, float32 and float64.
func TestReLUBits(t *testing.T) {
	testReLUBits[float32](t)
	testReLUBits[float64](t)
}

func testReLUBits[F Float](t *testing.T) {
	inf := math.Inf(1)
	vals := []float64{0, math.Copysign(0, -1), 1, -1, inf, -inf, math.NaN(), -math.NaN(),
		5e-324, -5e-324, 1e-45, -1e-45, 1e-40, -1e-40, math.MaxFloat32, -math.MaxFloat32,
		math.MaxFloat64, -math.MaxFloat64, 0.5, -0.25, 3e38, -3e38}
	const rows, cols, ld = 3, 29, 31
	h := make([]F, rows*ld)
	for i := range h {
		h[i] = F(vals[(i*7)%len(vals)])
	}
	want := append([]F(nil), h...)
	for r := range rows {
		for j := range cols {
			if v := want[r*ld+j]; v < 0 {
				want[r*ld+j] = 0
			}
		}
		want[r*ld+cols] = 1
	}
	relu(h, rows, cols, ld)
	if i, ok := sameBits(h, want); !ok {
		t.Errorf("relu %T: [%d] = %v, want %v", h[0], i, h[i], want[i])
	}
	a := make([]F, rows*ld)
	for i := range a {
		a[i] = F(vals[(i*5+3)%len(vals)])
	}
	d := make([]F, rows*cols)
	for i := range d {
		d[i] = F(vals[(i*3+1)%len(vals)])
	}
	wantD := append([]F(nil), d...)
	for r := range rows {
		for j := range cols {
			if !(a[r*ld+j] > 0) {
				wantD[r*cols+j] = 0
			}
		}
	}
	reluMask(d, a, rows, cols, ld)
	if i, ok := sameBits(d, wantD); !ok {
		t.Errorf("reluMask %T: [%d] = %v, want %v", d[0], i, d[i], wantD[i])
	}
}
