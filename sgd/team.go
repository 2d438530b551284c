package sgd

import (
	"sync"
	"sync/atomic"
	"time"
)

// A team is the set of helper goroutines that run a Scratch's parallel
// ranges, kept from call to call.
//
// Why not a goroutine per call: on the 2-core virtual machines we measure
// on (AMD EPYC Zen 3 under KVM), a goroutine started on an idle core began
// its range some 100 µs after the call: the idle virtual CPU has to be
// woken first. A training step of the MLP has several parallel regions
// (the gathers, two large Gemms, the optimizer step) of 20-400 µs each, so
// the second core mostly arrived late. Helpers of a team instead busy-wait
// for the next job for spinFor after finishing one (the serial gaps
// between the regions of a step are shorter), and only then block on a
// channel, as the threads of OpenMP runtimes and OpenBLAS spin for a
// while for the same reason. The caller busy-waits for its helpers at the
// end of a job for as long, then blocks: on a machine with fewer free
// cores than workers a helper may be waiting for the caller's core, and
// spinning on would only take the time it needs.
//
// The helpers hold no reference to the Scratch: when it becomes
// unreachable, a cleanup stops them.
type team struct {
	helpers int
	seq     atomic.Uint64       // number of the current job; helpers wait for it to change
	cur     atomic.Pointer[job] // the current job
	parked  []atomic.Bool       // helper i-1 is blocked on wake[i-1]
	wake    []chan struct{}
	quit    atomic.Bool
}

// A job is n ranges that whoever is free claims one at a time, the caller
// included: a helper that is late (its virtual CPU not running, or still
// blocked) leaves its ranges to the others instead of holding them up.
// Who runs a range does not change its result.
type job struct {
	fn       func(r int)
	n        int64
	next     atomic.Int64 // ranges claimed
	finished atomic.Int64 // ranges done
	wg       sync.WaitGroup
}

func (j *job) work() {
	for {
		r := j.next.Add(1) - 1
		if r >= j.n {
			return
		}
		j.fn(int(r))
		j.finished.Add(1)
		j.wg.Done()
	}
}

// spinFor is how long an idle helper busy-waits for the next job before
// it blocks (and how long a helper's core stays busy after the last job),
// and how long the caller busy-waits for its helpers. The serial gaps
// between the parallel regions of a training step are shorter.
const spinFor = 50 * time.Microsecond

func newTeam(helpers int) *team {
	t := &team{helpers: helpers, parked: make([]atomic.Bool, helpers), wake: make([]chan struct{}, helpers)}
	for i := range helpers {
		t.wake[i] = make(chan struct{}, 1)
		go t.helper(i+1, 0) // job numbers start after 0
	}
	return t
}

// run calls fn(r) for r = 0..n-1, on the calling goroutine and on the
// helpers, and returns when all are done. fn must not panic (Parallel
// recovers inside it).
func (t *team) run(n int, fn func(r int)) {
	j := &job{fn: fn, n: int64(n)}
	j.wg.Add(n)
	if t.helpers == 0 || n <= 1 {
		j.work()
		return
	}
	t.cur.Store(j)
	t.seq.Add(1) // publishes j to the helpers
	for i := range t.helpers {
		if t.parked[i].CompareAndSwap(true, false) {
			t.wake[i] <- struct{}{}
		}
	}
	j.work()
	// The ranges left are being run by helpers: wait for them busily for
	// a little while, then block. (A helper may be waiting for this very
	// core, when the machine has fewer free cores than the team: spinning
	// on would take the time it needs.)
	start := time.Now()
	for k := 1; j.finished.Load() != j.n; k++ {
		if k%64 == 0 {
			if time.Since(start) > spinFor {
				j.wg.Wait()
				break
			}
			osYield()
		}
	}
	// Drop the job: fn may refer to the Scratch, which must not stay
	// reachable from the helpers (its cleanup stops them). A helper that
	// looks later finds nil, or a newer job.
	t.cur.CompareAndSwap(j, nil)
}

// stop makes the helpers return (once they see it).
func (t *team) stop() {
	t.quit.Store(true)
	t.seq.Add(1)
	for i := range t.helpers {
		if t.parked[i].CompareAndSwap(true, false) {
			t.wake[i] <- struct{}{}
		}
	}
}

func (t *team) helper(i int, last uint64) {
	for {
		last = t.await(i, last)
		if t.quit.Load() {
			return
		}
		if j := t.cur.Load(); j != nil {
			j.work()
		}
	}
}

// await returns the job number once it differs from last: spinning for
// spinFor, then blocked on the helper's channel. A helper marks itself
// parked before its last look at seq; whoever clears the mark (run or
// stop after publishing, or the helper itself) decides whether a wake-up
// token is on its way, so none is lost.
func (t *team) await(i int, last uint64) uint64 {
	start := time.Now()
	for n := 1; ; n++ {
		if s := t.seq.Load(); s != last {
			return s
		}
		if n%64 == 0 {
			if time.Since(start) > spinFor {
				break
			}
			osYield()
		}
	}
	for {
		t.parked[i-1].Store(true)
		if s := t.seq.Load(); s != last {
			if !t.parked[i-1].CompareAndSwap(true, false) {
				<-t.wake[i-1] // run took the mark: its token is coming
			}
			return s
		}
		<-t.wake[i-1]
		if s := t.seq.Load(); s != last {
			return s
		}
	}
}
