package sgd

import (
	"runtime"

	"github.com/downhill-go/downhill"
	"github.com/downhill-go/downhill/dmath"
)

// BatchChunk is the number of examples a BatchProblem sums in one piece.
// It is a constant of the package, never derived from the number of
// workers or the machine, so that the summation order of a mini-batch
// gradient is a function of the batch alone: a later data-parallel run
// (one chunk per process) can reproduce it bit for bit.
const BatchChunk = 64

// BatchProblem is a Problem that writes the mean gradient of a whole
// mini-batch at once, typically with matrix multiplies (downhill.Gemm)
// instead of one gradient row per example. Train uses BatchGradient when
// the problem implements it, and Gradients otherwise.
//
// The summation order is part of the contract. The batch idx is cut into
// chunks of BatchChunk examples, idx[0:64], idx[64:128], ... (the last one
// may be shorter). For every parameter j:
//
//	partial_c[j] = +0; then for each example e of chunk c, in order:
//	               partial_c[j] = fma(a_e, b_e, partial_c[j])
//	               (the k-chain of one downhill.Gemm element over the chunk)
//	G[j] = partial_0[j]; then G[j] = partial_c[j] + G[j] for c = 1, 2, ...
//	grad[j] = F(1/len(idx)) * G[j]
//
// and problem-specific terms (an L2 penalty) are then added by documented
// kernel calls. Chunk partials are added in chunk order, one rounding each
// (this is what Gemm with beta = 1 does when it accumulates into grad).
//
// BatchGradient returns the mean loss of the examples idx at params (the
// per-example losses in float64, added in example order, divided by
// len(idx), plus the penalty), so that the trainer logs the running mean
// of mini-batch losses for free.
//
// Parallelism: BatchGradient may use the s.Workers() goroutines of its
// Scratch, but only to compute disjoint blocks of outputs (rows or columns
// of a Gemm result, examples of an elementwise pass: Scratch.Gemm and
// Scratch.Parallel); it must never split a summation chain among them, so
// the bits do not depend on the number of workers. s is owned by the
// caller and reused from call to call, so buffers are not reallocated in
// steady state (the closures and goroutines of the splits still cost a
// few small allocations per call); a call must not keep references to it.
// Calls with distinct Scratches may run concurrently.
type BatchProblem[F Float] interface {
	Problem[F]
	BatchGradient(params []F, idx []int, grad []F, s *Scratch[F]) float64
}

// Scratch holds the buffers a BatchProblem reuses from step to step and
// the number of goroutines it may use. It is not safe for concurrent use.
type Scratch[F Float] struct {
	workers int
	fs      [][]F
	ds      [][]float64
	team    *team // started by the first call that splits
	is      []int // gathered labels
}

// NewScratch returns an empty Scratch for the given number of goroutines
// (values below 1 mean 1).
func NewScratch[F Float](workers int) *Scratch[F] {
	return &Scratch[F]{workers: max(1, workers)}
}

// Workers returns the number of goroutines the Scratch's calls may use.
func (s *Scratch[F]) Workers() int { return s.workers }

// Floats returns buffer number slot, of length n, with unspecified
// contents. The same slot returns the same memory until a larger n is
// asked for.
func (s *Scratch[F]) Floats(slot, n int) []F {
	for len(s.fs) <= slot {
		s.fs = append(s.fs, nil)
	}
	if cap(s.fs[slot]) < n {
		s.fs[slot] = make([]F, n)
	}
	return s.fs[slot][:n]
}

// Float64s is Floats for float64 buffers (a separate set of slots).
func (s *Scratch[F]) Float64s(slot, n int) []float64 {
	for len(s.ds) <= slot {
		s.ds = append(s.ds, nil)
	}
	if cap(s.ds[slot]) < n {
		s.ds[slot] = make([]float64, n)
	}
	return s.ds[slot][:n]
}

// stop ends the helper goroutines of s, if any (s may be nil); a later
// split starts new ones.
func (s *Scratch[F]) stop() {
	if s != nil && s.team != nil {
		s.team.stop()
		s.team = nil
	}
}

// Parallel calls fn(lo, hi) on contiguous ranges covering [0, n), as many
// as Workers() (fewer when n is short), each a multiple of grain long but
// for the last; with one worker, or n <= grain, it calls fn(0, n). fn must
// compute every index's output independently of where the ranges start
// and end: then the result does not depend on the number of workers.
//
// The ranges run on the caller's goroutine and on helper goroutines that
// the Scratch keeps (at most one per P, GOMAXPROCS at the first split),
// whichever is free taking the next range. Between calls the helpers busy-wait
// for a while (a fraction of a millisecond) and then block; they end when
// the Scratch is no longer referenced.
//
// A panic in fn is recovered in its goroutine and, once every range is
// done, raised again in the caller's goroutine (the panic of the lowest
// range when several panic), so that a caller can recover it.
func (s *Scratch[F]) Parallel(n, grain int, fn func(lo, hi int)) {
	grain = max(1, grain)
	blocks := (n + grain - 1) / grain
	w := min(s.workers, blocks)
	if w <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	panics := make([]any, w)
	one := func(i int) {
		defer func() { panics[i] = recover() }()
		fn(min(n, i*blocks/w*grain), min(n, (i+1)*blocks/w*grain))
	}
	// The ranges are those of w workers whatever runs them: the caller
	// and the team's helpers claim them one by one.
	if s.team == nil {
		// At most one goroutine per P: team members busy-wait.
		s.team = newTeam(min(s.workers, runtime.GOMAXPROCS(0)) - 1)
		runtime.AddCleanup(s, func(t *team) { t.stop() }, s.team)
	}
	s.team.run(w, one)
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// gemmSerial is the number of multiply-adds below which Scratch.Gemm does
// not split. A split costs well under a microsecond once the Scratch's
// helpers are running (see team), a few thousand multiply-adds of avx2
// Gemm; 2^18 splits the softmax products of a batch of 64 (64×10×785,
// about 500k multiply-adds) and keeps the MLP's 64×10×257 output layer
// whole. Measured on an AMD EPYC Zen 3 (2 cores): with goroutines started
// per split, 2^20 was needed to keep softmax from getting slower.
var gemmSerial = 1 << 18 // a variable so that tests can force the split

// Gemm is k.Gemm with C split into blocks of rows (when m >= n) or of
// columns among the workers. Every element of C is computed by the same
// k-chain whatever the split (Gemm's contract), so the result is the same
// bits for any number of workers.
func (s *Scratch[F]) Gemm(k downhill.Kernels[F], transA, transB bool, m, n, kk int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	if s.workers <= 1 || m*n*kk < gemmSerial || m == 0 || n == 0 {
		k.Gemm(transA, transB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m >= n {
		s.Parallel(m, 8, func(lo, hi int) {
			ao := lo * lda
			if transA {
				ao = lo
			}
			k.Gemm(transA, transB, hi-lo, n, kk, alpha, a[ao:], lda, b, ldb, beta, c[lo*ldc:], ldc)
		})
		return
	}
	s.Parallel(n, 16, func(lo, hi int) {
		bo := lo
		if transB {
			bo = lo * ldb
		}
		k.Gemm(transA, transB, m, hi-lo, kk, alpha, a, lda, b[bo:], ldb, beta, c[lo:], ldc)
	})
}

// parallelMin is the amount of work (elements touched, a transcendental
// counting as 32) below which the elementwise helpers run on the calling
// goroutine. With the Scratch's helpers busy-waiting a split costs under
// a microsecond (about as much as copying ten thousand floats); 2^14
// splits the gathers of a batch of 64 MNIST rows (50k floats) and the
// softmax of 64×10 logits.
var parallelMin = 1 << 14 // a variable so that tests can force the split

// parallelFor is Parallel when work is at least parallelMin, else fn(0, n).
func (s *Scratch[F]) parallelFor(work, n, grain int, fn func(lo, hi int)) {
	if work < parallelMin {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	s.Parallel(n, grain, fn)
}

// meanAlpha returns the alpha of the gradient Gemm of a batch of n
// examples, and whether the gradient still needs Scale(F(1/n)) after the
// last chunk. A batch of one chunk folds the 1/n into its only Gemm: with
// beta = 0 Gemm writes F(alpha*acc), one rounding, which is exactly what
// Scale does to the acc that a Gemm with alpha = 1 writes (1*acc is
// exact), and it saves a pass over the gradient. Batches of several chunks
// add the partials first and scale their sum once.
func meanAlpha[F Float](n int) (alpha F, scaleAfter bool) {
	if n >= 1 && n <= BatchChunk {
		return F(1 / float64(n)), false
	}
	return 1, true
}

// gatherLabels returns labels[idx[r]] for every r, in a buffer of s. The
// loads are independent (a label read inside the softmax loop waited for
// its cache miss: some 10 µs per batch of 64 MNIST examples).
func gatherLabels[F Float](s *Scratch[F], labels, idx []int) []int {
	if cap(s.is) < len(idx) {
		s.is = make([]int, len(idx))
	}
	dst := s.is[:len(idx)]
	for r, i := range idx {
		dst[r] = labels[i]
	}
	return dst
}

// gatherRows copies the rows idx of x (rows of f values) into dst, rows of
// ld >= f values; with ones, dst[r*ld+f] = 1 (the bias input).
func gatherRows[F Float](s *Scratch[F], dst, x []F, idx []int, f, ld int, ones bool) {
	s.parallelFor(len(idx)*f, len(idx), 8, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			i := idx[r]
			copy(dst[r*ld:r*ld+f], x[i*f:(i+1)*f])
			if ones {
				dst[r*ld+f] = 1
			}
		}
	})
}

// softmaxDelta turns the logits of each of the rows z[r*c:(r+1)*c] (r <
// rows) into p - onehot(labels[r]), p the softmax probabilities rounded
// to F, and writes the row's cross-entropy log Σ exp(z) - z_label into
// loss[r]. z64 (rows*c) is float64 scratch. Rows are independent.
func softmaxDelta[F Float](s *Scratch[F], z []F, z64 []float64, labels []int, loss []float64, rows, c int) {
	s.parallelFor(rows*c*32, rows, 4, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			zr, dr := z[r*c:(r+1)*c], z64[r*c:(r+1)*c]
			for j, v := range zr {
				dr[j] = float64(v)
			}
			y := labels[r]
			zy := dr[y]
			loss[r] = softmax(dr) - zy
			dr[y] -= 1
			for j, v := range dr {
				zr[j] = F(v)
			}
		}
	})
}

// sumInOrder returns the sum of v in index order.
func sumInOrder(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

// BatchGradient sets grad to the mean gradient over idx (BatchProblem's
// order): per chunk, the logits Z = X·Wᵀ by one Gemm (X the gathered rows
// with a 1 appended for the bias), E = softmax(Z) - onehot rounded to F,
// then grad (+)= Eᵀ·X by one Gemm (the bias column sums E in example
// order); then grad = F(1/B)·grad and, with L2 > 0, grad[c,:features] =
// fma(L2, W[c,:features], grad[c,:features]) (Axpy). It returns the mean
// cross-entropy plus the L2 term.
func (s *SoftmaxRegression[F]) BatchGradient(params []F, idx []int, grad []F, sc *Scratch[F]) float64 {
	f, c, n := s.features, s.classes, len(idx)
	d1 := f + 1
	xb := sc.Floats(0, BatchChunk*d1)
	z := sc.Floats(1, BatchChunk*c)
	z64 := sc.Float64s(0, BatchChunk*c)
	loss := sc.Float64s(1, n)
	alpha, scaleAfter := meanAlpha[F](n)
	for lo := 0; lo < n; lo += BatchChunk {
		ch := idx[lo:min(lo+BatchChunk, n)]
		b := len(ch)
		gatherRows(sc, xb, s.x, ch, f, d1, true)
		sc.Gemm(s.k, false, true, b, c, d1, 1, xb, d1, params, d1, 0, z, c)
		softmaxDelta(sc, z, z64, gatherLabels(sc, s.labels, ch), loss[lo:], b, c)
		var beta F
		if lo > 0 {
			beta = 1
		}
		sc.Gemm(s.k, true, false, c, d1, b, alpha, z, c, xb, d1, beta, grad, d1)
	}
	if scaleAfter {
		s.k.Scale(F(1/float64(n)), grad)
	}
	if s.l2 != 0 {
		for k := 0; k < c; k++ {
			s.k.Axpy(s.l2, params[k*d1:k*d1+f], grad[k*d1:k*d1+f])
		}
	}
	return sumInOrder(loss)/float64(n) + s.l2Loss(params)
}

// BatchGradient sets grad to the mean gradient over idx (BatchProblem's
// order): per chunk, z = X·(w, b) by one Gemm (X the gathered rows with a
// 1 appended), e = σ(z) - label rounded to F, grad (+)= eᵀ·X by one Gemm;
// then grad = F(1/B)·grad and, with L2 > 0, grad[:features] =
// fma(L2, w, grad[:features]) (Axpy). It returns the mean loss.
func (l *LogisticRegression[F]) BatchGradient(params []F, idx []int, grad []F, sc *Scratch[F]) float64 {
	f, n := l.features, len(idx)
	d1 := f + 1
	xb := sc.Floats(0, BatchChunk*d1)
	z := sc.Floats(1, BatchChunk)
	loss := sc.Float64s(1, n)
	alpha, scaleAfter := meanAlpha[F](n)
	for lo := 0; lo < n; lo += BatchChunk {
		ch := idx[lo:min(lo+BatchChunk, n)]
		b := len(ch)
		gatherRows(sc, xb, l.x, ch, f, d1, true)
		sc.Gemm(l.k, false, false, b, 1, d1, 1, xb, d1, params, 1, 0, z, 1)
		for r, i := range ch {
			zr := float64(z[r])
			if l.labels[i] == 1 {
				loss[lo+r] = dmath.Softplus(-zr)
			} else {
				loss[lo+r] = dmath.Softplus(zr)
			}
			z[r] = F(dmath.Sigmoid(zr) - float64(l.labels[i]))
		}
		var beta F
		if lo > 0 {
			beta = 1
		}
		sc.Gemm(l.k, true, false, 1, d1, b, alpha, z, 1, xb, d1, beta, grad, d1)
	}
	if scaleAfter {
		l.k.Scale(F(1/float64(n)), grad)
	}
	reg := 0.0
	if l.l2 != 0 {
		l.k.Axpy(l.l2, params[:f], grad[:f])
		for _, w := range params[:f] {
			reg += float64(w) * float64(w)
		}
	}
	return sumInOrder(loss)/float64(n) + float64(l.l2)/2*reg
}

// BatchGradient sets grad to the mean gradient over idx (BatchProblem's
// order): per chunk, r = X·w - y by one Gemm (the subtraction rounded in
// F), grad (+)= rᵀ·X by one Gemm; then grad = F(1/B)·grad. It returns the
// mean of ½ r².
func (l *LeastSquares[F]) BatchGradient(params []F, idx []int, grad []F, sc *Scratch[F]) float64 {
	f, n := l.features, len(idx)
	xb := sc.Floats(0, BatchChunk*f)
	z := sc.Floats(1, BatchChunk)
	loss := sc.Float64s(1, n)
	alpha, scaleAfter := meanAlpha[F](n)
	for lo := 0; lo < n; lo += BatchChunk {
		ch := idx[lo:min(lo+BatchChunk, n)]
		b := len(ch)
		gatherRows(sc, xb, l.x, ch, f, f, false)
		sc.Gemm(l.k, false, false, b, 1, f, 1, xb, f, params, 1, 0, z, 1)
		for r, i := range ch {
			z[r] -= l.y[i]
			loss[lo+r] = float64(z[r]) * float64(z[r])
		}
		var beta F
		if lo > 0 {
			beta = 1
		}
		sc.Gemm(l.k, true, false, 1, f, b, alpha, z, 1, xb, f, beta, grad, f)
	}
	if scaleAfter {
		l.k.Scale(F(1/float64(n)), grad)
	}
	return sumInOrder(loss) / float64(2*n)
}
