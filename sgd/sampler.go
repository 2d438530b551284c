package sgd

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// Sampler cuts every epoch into mini-batches of a fresh permutation of the
// examples 0..n-1. The permutation of epoch e depends only on (seed, e)
// (a PCG-DXSM generator and a Fisher-Yates shuffle written here, so the
// order never changes with the Go release), which makes the sampler's
// whole state the pair (Epoch, Pos) that a checkpoint stores.
//
// Batch size 1 is pure SGD, batch size n full-batch descent. When n is not
// a multiple of the batch size, the last batch of each epoch is short, or
// dropped with dropLast (then its examples are skipped in that epoch only).
type Sampler struct {
	n, batch  int
	dropLast  bool
	seed      uint64
	epoch     int
	pos       int // index of the next batch in the epoch
	perm      []int
	permEpoch int
}

// SamplerState is the position of a Sampler: the next batch returned is
// batch Pos of epoch Epoch.
type SamplerState struct{ Epoch, Pos int }

// NewSampler returns a sampler over n examples in batches of size batch
// (1 <= batch <= n).
func NewSampler(n, batch int, dropLast bool, seed uint64) (*Sampler, error) {
	if n <= 0 {
		return nil, fmt.Errorf("sgd: sampler: no examples (n = %d)", n)
	}
	if batch < 1 || batch > n {
		return nil, fmt.Errorf("sgd: sampler: batch size %d must be in [1, %d]", batch, n)
	}
	return &Sampler{n: n, batch: batch, dropLast: dropLast, seed: seed, permEpoch: -1}, nil
}

// Len returns the number of examples.
func (s *Sampler) Len() int { return s.n }

// BatchSize returns the (full) batch size.
func (s *Sampler) BatchSize() int { return s.batch }

// BatchesPerEpoch returns the number of batches in every epoch.
func (s *Sampler) BatchesPerEpoch() int {
	if s.dropLast {
		return s.n / s.batch
	}
	return (s.n + s.batch - 1) / s.batch
}

// State returns the sampler's position.
func (s *Sampler) State() SamplerState { return SamplerState{s.epoch, s.pos} }

// SetState moves the sampler to st.
func (s *Sampler) SetState(st SamplerState) error {
	if st.Epoch < 0 || st.Pos < 0 || st.Pos >= s.BatchesPerEpoch() {
		return fmt.Errorf("sgd: sampler: invalid state epoch %d batch %d (%d batches per epoch)", st.Epoch, st.Pos, s.BatchesPerEpoch())
	}
	s.epoch, s.pos = st.Epoch, st.Pos
	return nil
}

// Epoch returns the epoch of the next batch.
func (s *Sampler) Epoch() int { return s.epoch }

// Next returns the next batch of example indices and advances; after the
// last batch of an epoch the next call starts the following epoch (Pos
// becomes 0 and Epoch grows by one). The slice is valid until the sampler
// starts another epoch; the caller must not modify it.
func (s *Sampler) Next() []int {
	if s.permEpoch != s.epoch {
		s.perm = Permutation(s.n, s.seed, s.epoch, s.perm)
		s.permEpoch = s.epoch
	}
	lo := s.pos * s.batch
	hi := min(lo+s.batch, s.n)
	b := s.perm[lo:hi:hi]
	s.pos++
	if s.pos == s.BatchesPerEpoch() {
		s.epoch++
		s.pos = 0
	}
	return b
}

// Permutation returns the permutation of 0..n-1 that a Sampler with this
// seed uses in epoch `epoch`, reusing buf's storage when it is large
// enough.
func Permutation(n int, seed uint64, epoch int, buf []int) []int {
	if cap(buf) < n {
		buf = make([]int, n)
	}
	p := buf[:n]
	for i := range p {
		p[i] = i
	}
	r := rand.NewPCG(seed, uint64(epoch)^0x9e3779b97f4a7c15)
	for i := n - 1; i > 0; i-- {
		j := int(uniform(r, uint64(i+1)))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// uniform returns an unbiased integer in [0, n) (Lemire's method).
func uniform(r *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}
