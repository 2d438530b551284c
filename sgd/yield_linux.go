package sgd

import "syscall"

// osYield offers the thread's core to another runnable thread
// (sched_yield): a team member that busy-waits gives way at once when it
// shares a core with the caller or another process. It returns at once
// when no other thread waits for the core.
func osYield() {
	syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
}
