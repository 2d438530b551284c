// Command repro prints the hashes of package repro (the reproducibility
// proof that .ci/run compares across CPUs).
package main

import (
	"fmt"
	"os"

	"github.com/downhill-go/downhill/internal/repro"
)

func main() {
	if err := repro.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "repro:", err)
		os.Exit(1)
	}
}
