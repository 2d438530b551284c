package sgd

import (
	"math"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/downhill-go/downhill/dispatch"
	ref "github.com/downhill-go/downhill/kernels"
)

func fmaT[F Float](a, b, c F) F {
	switch any(a).(type) {
	case float32:
		return F(ref.FMA32(float32(a), float32(b), float32(c)))
	}
	return F(math.FMA(float64(a), float64(b), float64(c)))
}

// refChunk is BatchChunk as documented: the references pin the constant.
const refChunk = 64

func iota(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// refAddChunk adds a chunk's partial sums into g in the documented way:
// the first chunk's are copied, later ones added one rounding each,
// partial + running sum.
func refAddChunk[F Float](g, part []F, first bool) {
	for j := range g {
		if first {
			g[j] = part[j]
		} else {
			g[j] = part[j] + g[j]
		}
	}
}

// refMean scales the sum g of n examples' gradients to their mean,
// F(1/n)·g rounded once per element.
func refMean[F Float](g []F, n int) {
	sc := F(1 / float64(n))
	for j := range g {
		g[j] = F(sc * g[j])
	}
}

// refSoftmaxBatch is BatchProblem's documented order written out with
// scalar fmas, example by example, for softmax regression: it shares no
// code with BatchGradient but the softmax helper.
func refSoftmaxBatch[F Float](s *SoftmaxRegression[F], params []F, idx []int) []F {
	f, c := s.features, s.classes
	d1 := f + 1
	g := make([]F, c*d1)
	part := make([]F, c*d1)
	xa := make([]F, d1)
	z := make([]float64, c)
	for lo := 0; lo < len(idx); lo += refChunk {
		clear(part)
		for _, i := range idx[lo:min(lo+refChunk, len(idx))] {
			copy(xa, s.x[i*f:(i+1)*f])
			xa[f] = 1
			for k := range c {
				var acc F
				for p := range d1 {
					acc = fmaT(xa[p], params[k*d1+p], acc)
				}
				z[k] = float64(acc)
			}
			softmax(z)
			z[s.labels[i]] -= 1
			for k := range c {
				e := F(z[k])
				for p := range d1 {
					part[k*d1+p] = fmaT(e, xa[p], part[k*d1+p])
				}
			}
		}
		refAddChunk(g, part, lo == 0)
	}
	sc := F(1 / float64(len(idx)))
	for j := range g {
		g[j] = F(sc * g[j])
		if s.l2 != 0 && j%d1 != f {
			g[j] = fmaT(s.l2, params[j], g[j])
		}
	}
	return g
}

// refLeastSquaresBatch is the same for least squares.
func refLeastSquaresBatch[F Float](l *LeastSquares[F], params []F, idx []int) []F {
	f := l.features
	g := make([]F, f)
	part := make([]F, f)
	for lo := 0; lo < len(idx); lo += refChunk {
		clear(part)
		for _, i := range idx[lo:min(lo+refChunk, len(idx))] {
			x := l.x[i*f : (i+1)*f]
			var acc F
			for p := range f {
				acc = fmaT(x[p], params[p], acc)
			}
			r := acc - l.y[i]
			for p := range f {
				part[p] = fmaT(r, x[p], part[p])
			}
		}
		refAddChunk(g, part, lo == 0)
	}
	refMean(g, len(idx))
	return g
}

// TestBatchGradientOrder checks the documented summation order bit for
// bit against scalar references, on every path and for 1, 2, 3 and 8
// workers (with the Gemm split forced even for small products), on
// batches of 1, 64 (one chunk: 1/64 folded into the Gemm), 65 and 128
// (two chunks, scaled after), 200 (four chunks, the last short) and a
// shuffled order.
func TestBatchGradientOrder(t *testing.T) {
	defer func(v, w int) { gemmSerial, parallelMin = v, w }(gemmSerial, parallelMin)
	gemmSerial, parallelMin = 0, 0
	x, labels := clusters[float32](300, 37, 5, 0.7, 21)
	sm, _ := NewSoftmaxRegression(x, labels, 37, 5, 0.01)
	p32 := make([]float32, sm.Dim())
	for i, v := range randParams(sm.Dim(), 0.3, 22) {
		p32[i] = float32(v)
	}
	lx, ly := linearData[float64](300, 45, 0.3, 23)
	ls, _ := NewLeastSquares(lx, ly, 45)
	p64 := randParams(45, 1, 24)
	shuffled := make([]int, 200)
	for i := range shuffled {
		shuffled[i] = (i * 97) % 300
	}
	for _, idx := range [][]int{{7}, iota(64), iota(65), iota(128), iota(200), shuffled} {
		want32 := refSoftmaxBatch(sm, p32, idx)
		want64 := refLeastSquaresBatch(ls, p64, idx)
		for _, path := range dispatch.Available() {
			sm.OnPath(path)
			ls.OnPath(path)
			for _, w := range []int{1, 2, 3, 8} {
				g32 := make([]float32, sm.Dim())
				sm.BatchGradient(p32, idx, g32, NewScratch[float32](w))
				if i, ok := sameBits(g32, want32); !ok {
					t.Errorf("softmax, batch %d, %s, %d workers: grad[%d] = %v, reference %v", len(idx), path, w, i, g32[i], want32[i])
				}
				g64 := make([]float64, 45)
				ls.BatchGradient(p64, idx, g64, NewScratch[float64](w))
				if i, ok := sameBits(g64, want64); !ok {
					t.Errorf("least squares, batch %d, %s, %d workers: grad[%d] = %v, reference %v", len(idx), path, w, i, g64[i], want64[i])
				}
			}
		}
	}
}

// TestBatchGradientValues compares BatchGradient (float64) with the mean
// of the per-example rows and its loss with Loss, for every shipped
// BatchProblem, to rounding error.
func TestBatchGradientValues(t *testing.T) {
	x, labels := clusters[float64](150, 6, 4, 1, 31)
	sm, _ := NewSoftmaxRegression(x, labels, 6, 4, 0.3)
	bin := make([]int, len(labels))
	for i, l := range labels {
		bin[i] = l % 2
	}
	lr, _ := NewLogisticRegression(x, bin, 6, 0.2)
	lx, ly := linearData[float64](150, 5, 0.5, 32)
	ls, _ := NewLeastSquares(lx, ly, 5)
	mlp, err := NewMLP(x, labels, 6, 4, []int{9, 7})
	if err != nil {
		t.Fatal(err)
	}
	pm := make([]float64, mlp.Dim())
	mlp.Init(pm, 3)
	for i := range pm {
		pm[i] += 0.01 * float64(i%7) // biases away from 0
	}
	mlpSmall, _ := NewMLP(x[:20*6], labels[:20], 6, 4, []int{9, 7})
	checkGradients(t, "mlp", mlpSmall, pm)
	for _, c := range []struct {
		name   string
		p      BatchProblem[float64]
		params []float64
	}{
		{"softmax", sm, randParams(sm.Dim(), 0.5, 33)},
		{"logistic", lr, randParams(lr.Dim(), 0.5, 34)},
		{"least squares", ls, randParams(5, 1, 35)},
		{"mlp", mlp, pm},
	} {
		idx := make([]int, 130)
		for i := range idx {
			idx[i] = (i * 7) % 150
		}
		d := c.p.Dim()
		grad := make([]float64, d)
		for i := range grad {
			grad[i] = math.NaN() // must be overwritten
		}
		loss := c.p.BatchGradient(c.params, idx, grad, NewScratch[float64](2))
		rows := make([]float64, len(idx)*d)
		c.p.Gradients(c.params, idx, rows)
		for j := 0; j < d; j++ {
			mean := 0.0
			for i := range idx {
				mean += rows[i*d+j]
			}
			mean /= float64(len(idx))
			if !(math.Abs(grad[j]-mean) <= 1e-12*math.Max(1, math.Abs(mean))) {
				t.Errorf("%s: grad[%d] = %v, mean of the rows %v", c.name, j, grad[j], mean)
				break
			}
		}
		if want := c.p.Loss(c.params, idx); !(math.Abs(loss-want) <= 1e-12*math.Abs(want)) {
			t.Errorf("%s: BatchGradient loss %v, Loss %v", c.name, loss, want)
		}
	}
}

// TestScratchParallel checks that Parallel covers [0, n) exactly once in
// ranges aligned to the grain.
func TestScratchParallel(t *testing.T) {
	for _, w := range []int{1, 2, 3, 8} {
		s := NewScratch[float32](w)
		for _, n := range []int{0, 1, 5, 16, 17, 100, 1000} {
			for _, grain := range []int{1, 4, 16} {
				hits := make([]int32, n)
				s.Parallel(n, grain, func(lo, hi int) {
					if lo%grain != 0 || lo >= hi {
						t.Errorf("w=%d n=%d grain=%d: range [%d, %d)", w, n, grain, lo, hi)
					}
					for i := lo; i < hi; i++ {
						hits[i]++
					}
				})
				for i, h := range hits {
					if h != 1 {
						t.Fatalf("w=%d n=%d grain=%d: index %d visited %d times", w, n, grain, i, h)
					}
				}
			}
		}
	}
}

// TestScratchParallelPanic checks that a panic in a worker reaches the
// caller's goroutine, where it can be recovered.
func TestScratchParallelPanic(t *testing.T) {
	for _, w := range []int{1, 2, 8} {
		got := func() (r any) {
			defer func() { r = recover() }()
			NewScratch[float64](w).Parallel(100, 1, func(lo, hi int) {
				if hi == 100 {
					panic("last range")
				}
			})
			return nil
		}()
		if got != "last range" {
			t.Errorf("%d workers: recovered %v", w, got)
		}
	}
}

// TestScratchTeam runs many splits on a Scratch whose helpers busy-wait,
// park between bursts and are woken again, with more Ps than cores, and
// checks every range runs once per call; then that stop and the cleanup
// of an unreachable Scratch end the helper goroutines.
func TestScratchTeam(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	base := runtime.NumGoroutine()
	s := NewScratch[float32](4)
	var hits [4]atomic.Int32
	for call := range 300 {
		if call%50 == 0 {
			time.Sleep(2 * spinFor) // the helpers park
		}
		s.Parallel(4, 1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				hits[i].Add(1)
			}
		})
		for i := range hits {
			if h := hits[i].Load(); h != int32(call+1) {
				t.Fatalf("call %d: range %d ran %d times in all", call, i, h)
			}
		}
	}
	if s.team == nil || s.team.helpers != 3 {
		t.Fatalf("team %+v, want 3 helpers", s.team)
	}
	waitGoroutines := func(what string, want int) {
		t.Helper()
		for range 200 {
			if runtime.NumGoroutine() <= want {
				return
			}
			runtime.GC()
			time.Sleep(5 * time.Millisecond)
		}
		t.Errorf("%s: %d goroutines, want %d", what, runtime.NumGoroutine(), want)
	}
	s.stop()
	waitGoroutines("after stop", base)
	func() {
		s := NewScratch[float64](3)
		s.Parallel(10, 1, func(lo, hi int) { _ = s.Workers() }) // fn refers to s
	}()
	waitGoroutines("after the Scratch became unreachable", base)
}
