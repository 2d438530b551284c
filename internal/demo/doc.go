// Package demo holds the experiments behind the pictures of
// `downhill bowl` and the other picture commands: pure functions that run
// package sgd on small problems and return numbers (paths, curves,
// counts). cmd/downhill draws them; this package's tests assert the claims
// the pictures make, on the same functions.
//
// Every experiment is seeded (math/rand/v2 PCG) and, wall-clock
// measurements aside, returns the same bits on every run.
package demo
