package dispatch

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"
)

const goarch = runtime.GOARCH

// Features are the CPU features downhill's paths need. Each is true only
// when the CPU has it, the operating system saves the registers it uses,
// and GODEBUG has not switched it off.
type Features struct {
	AVX, AVX2, FMA3                       bool // amd64, with OS YMM support
	AVX512F, AVX512VL, AVX512BW, AVX512DQ bool // amd64, with OS ZMM/opmask support
	ASIMD                                 bool // arm64 Advanced SIMD (NEON)
}

func detect() Features {
	var f Features
	switch goarch {
	case "amd64":
		// x/sys/cpu checks XGETBV for OS support and applies GODEBUG;
		// cpuid/v2 is the second opinion (it also checks OS support).
		f.AVX = cpu.X86.HasAVX && cpuid.CPU.Supports(cpuid.AVX)
		f.AVX2 = f.AVX && cpu.X86.HasAVX2 && cpuid.CPU.Supports(cpuid.AVX2)
		f.FMA3 = f.AVX && cpu.X86.HasFMA && cpuid.CPU.Supports(cpuid.FMA3)
		z := f.AVX2 && cpu.X86.HasAVX512F && cpuid.CPU.Supports(cpuid.AVX512F)
		f.AVX512F = z
		f.AVX512VL = z && cpu.X86.HasAVX512VL && cpuid.CPU.Supports(cpuid.AVX512VL)
		f.AVX512BW = z && cpu.X86.HasAVX512BW && cpuid.CPU.Supports(cpuid.AVX512BW)
		f.AVX512DQ = z && cpu.X86.HasAVX512DQ && cpuid.CPU.Supports(cpuid.AVX512DQ)
	case "arm64":
		// ASIMD is architectural on arm64; x/sys/cpu reads HWCAP.
		f.ASIMD = cpu.ARM64.HasASIMD
	}
	return f
}

// needs maps each feature path p needs (pathFeatures, generated from the
// kernel table) to its presence.
func (f Features) needs(p Path) map[string]bool {
	names, ok := pathFeatures[p]
	if !ok {
		return nil
	}
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = f.has(n)
	}
	return m
}

// has reports the feature of the given Features field name; a name it
// does not know is absent.
func (f Features) has(name string) bool {
	switch name {
	case "AVX":
		return f.AVX
	case "AVX2":
		return f.AVX2
	case "FMA3":
		return f.FMA3
	case "AVX512F":
		return f.AVX512F
	case "AVX512VL":
		return f.AVX512VL
	case "AVX512BW":
		return f.AVX512BW
	case "AVX512DQ":
		return f.AVX512DQ
	case "ASIMD":
		return f.ASIMD
	}
	return false
}

func (f Features) supports(p Path) bool {
	return len(f.missing(p)) == 0 && (p == Generic || f.needs(p) != nil)
}

// missing lists the features p needs that are absent, sorted.
func (f Features) missing(p Path) []string {
	var out []string
	for _, name := range []string{"AVX", "AVX2", "FMA3", "AVX512F", "AVX512VL", "AVX512BW", "AVX512DQ", "ASIMD"} {
		if have, ok := f.needs(p)[name]; ok && !have {
			out = append(out, name)
		}
	}
	return out
}
