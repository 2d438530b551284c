//go:build !linux

package sgd

// osYield does nothing here: the busy-waits of a team are bounded by
// spinFor anyway.
func osYield() {}
