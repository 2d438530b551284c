package dispatch

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// Report returns a human-readable description of this CPU and of the
// kernel paths: brand, relevant features, cache sizes, available paths,
// the active path and why.
func Report() string {
	var b strings.Builder
	c := cpuid.CPU
	brand := strings.TrimSpace(c.BrandName)
	if brand == "" {
		brand = "unknown"
	}
	fmt.Fprintf(&b, "CPU:        %s (%s/%s, %d logical cores)\n", brand, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if c.VendorString != "" {
		fmt.Fprintf(&b, "Vendor:     %s, family %d model %d\n", c.VendorString, c.Family, c.Model)
	}
	fmt.Fprintf(&b, "Caches:     L1d %s, L2 %s, L3 %s\n", size(c.Cache.L1D), size(c.Cache.L2), size(c.Cache.L3))
	fmt.Fprintf(&b, "Features:   %s\n", featureLine(features))
	fmt.Fprintf(&b, "Paths:\n")
	for _, p := range All() {
		mark := " "
		if p == active {
			mark = "*"
		}
		state := unavailableReason(p)
		if contains(available, p) {
			state = "available"
		}
		fmt.Fprintf(&b, "  %s %-8s %s\n", mark, p, state)
	}
	fmt.Fprintf(&b, "Active:     %s (%s)\n", active, why)
	fmt.Fprintf(&b, "Override:   %s=%s\n", EnvVar, strings.Join(pathNamesOf(available), "|"))
	return b.String()
}

func pathNamesOf(ps []Path) []string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return s
}

func size(n int) string {
	switch {
	case n <= 0:
		return "unknown"
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func featureLine(f Features) string {
	var on []string
	add := func(name string, v bool) {
		if v {
			on = append(on, name)
		} else {
			on = append(on, "-"+name)
		}
	}
	switch goarch {
	case "amd64":
		add("AVX", f.AVX)
		add("AVX2", f.AVX2)
		add("FMA3", f.FMA3)
		add("AVX512F", f.AVX512F)
		add("AVX512VL", f.AVX512VL)
		add("AVX512BW", f.AVX512BW)
		add("AVX512DQ", f.AVX512DQ)
	case "arm64":
		add("ASIMD", f.ASIMD)
	default:
		return "none relevant on " + goarch
	}
	return strings.Join(on, " ") + "  (-X: absent or disabled)"
}
