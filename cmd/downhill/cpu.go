package main

import (
	"flag"
	"fmt"

	"github.com/downhill-go/downhill/dispatch"
)

func cpuCommand() command {
	return command{
		name:    "cpu",
		summary: "the CPU, its features and the kernel path downhill runs on",
		detail: `Prints the CPU brand, the features that matter to downhill, the cache
sizes, every kernel path (available or why not), the active path and why
it was chosen. DOWNHILL_KERNELS=generic|avx2|neon forces a path.`,
		setup: func(fs *flag.FlagSet) func(*env) error {
			return func(e *env) error {
				_, err := fmt.Fprint(e.out, dispatch.Report())
				return err
			}
		},
	}
}
