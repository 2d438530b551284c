// Package dispatch decides which kernel implementation ("path") downhill
// runs on this CPU.
//
// A path is available when it was compiled into the binary (no assembly
// is compiled with the purego build tag or on a GOARCH without kernels)
// and every CPU feature its instructions need is present and enabled by
// the operating system, as reported by golang.org/x/sys/cpu (which honours
// GODEBUG=cpu.avx2=off and friends) and confirmed by
// github.com/klauspost/cpuid/v2.
//
// The active path is chosen once, at program start: the environment
// variable DOWNHILL_KERNELS=generic|avx2|neon forces one; a name that
// is unknown or not available on this CPU stops the program with a message
// listing the available paths. Otherwise the default is the path measured
// fastest on this kind of CPU (see Default).
//
// Tests and benchmarks that want every path side by side in one process
// use Available with downhill.On.
package dispatch

import (
	"fmt"
	"os"
	"strings"
)

// Path names one implementation of every kernel.
type Path uint8

const (
	Generic Path = iota // pure Go, package kernels; every GOARCH
	AVX2                // amd64: AVX2 + FMA3, 256-bit
	AVX512              // reserved: no kernels, never available
	NEON                // arm64: Advanced SIMD
	numPaths
)

var pathNames = [numPaths]string{"generic", "avx2", "avx512", "neon"}

// String returns the name used by DOWNHILL_KERNELS.
func (p Path) String() string {
	if p < numPaths {
		return pathNames[p]
	}
	return fmt.Sprintf("Path(%d)", uint8(p))
}

// All lists every path downhill has kernels for (generic and the paths
// of the kernel table), available here or not.
func All() []Path { return append([]Path{Generic}, tablePaths...) }

// ParsePath returns the path with the given name, one of All.
func ParsePath(name string) (Path, error) {
	for _, p := range All() {
		if p.String() == name {
			return p, nil
		}
	}
	return 0, fmt.Errorf("dispatch: unknown kernel path %q (known: %s)", name, joinPaths(All()))
}

// EnvVar is the environment variable that forces a path.
const EnvVar = "DOWNHILL_KERNELS"

var (
	features  = detect()
	available = availablePaths(features)
	active    Path
	why       string
)

func init() {
	var err error
	active, why, err = choose(os.Getenv(EnvVar), available)
	if err != nil {
		fmt.Fprintf(os.Stderr, "downhill: %v\n", err)
		os.Exit(2)
	}
}

// choose returns the active path for the value of DOWNHILL_KERNELS.
func choose(env string, avail []Path) (Path, string, error) {
	if env == "" {
		p, why := Default(avail)
		return p, why, nil
	}
	p, err := ParsePath(env)
	if err == nil && !contains(avail, p) {
		err = fmt.Errorf("%s=%s: path not available on this CPU/build (%s)", EnvVar, env, unavailableReason(p))
	}
	if err != nil {
		return 0, "", fmt.Errorf("%v; available: %s", err, joinPaths(avail))
	}
	return p, "forced by " + EnvVar + "=" + env, nil
}

// Default returns the path downhill uses when none is forced, and why:
// the assembly path of this GOARCH when the CPU can run it (avx2 on
// amd64, neon on arm64), else generic. Each GOARCH has one assembly path,
// so there is no order to measure yet (README, "Paths and dispatch").
func Default(avail []Path) (Path, string) {
	for _, p := range []Path{AVX2, NEON} {
		if contains(avail, p) {
			return p, "fastest available path on this CPU"
		}
	}
	return Generic, "no assembly path available (" + unavailableReason(AVX2) + ")"
}

// Active returns the path every downhill kernel runs on.
func Active() Path { return active }

// Why says why the active path was chosen.
func Why() string { return why }

// Available lists the paths this CPU and build can run, generic first.
func Available() []Path { return append([]Path(nil), available...) }

// IsAvailable reports whether p can run here.
func IsAvailable(p Path) bool { return contains(available, p) }

// CPUFeatures reports the CPU features that matter to downhill.
func CPUFeatures() Features { return features }

func availablePaths(f Features) []Path {
	out := []Path{Generic}
	for _, p := range compiled {
		if f.supports(p) {
			out = append(out, p)
		}
	}
	return out
}

func unavailableReason(p Path) string {
	switch {
	case p == Generic:
		return "always available"
	case !contains(compiled, p):
		if purego {
			return p.String() + " not compiled: built with the purego tag"
		}
		return p.String() + " not compiled into this build for " + goarch
	case !features.supports(p):
		return p.String() + " needs " + strings.Join(features.missing(p), ", ")
	}
	return p.String() + " available"
}

func contains(ps []Path, p Path) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func joinPaths(ps []Path) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}
