//go:build linux

package bench

import "golang.org/x/sys/unix"

// processCPU returns the CPU time this process has used, in ns (every
// thread: gonum's Gemm runs goroutines), and true. On a shared machine
// it leaves out the time spent waiting for a core, which wall-clock
// ns/op includes.
func processCPU() (int64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return ts.Nano(), true
}
