package repro

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestSameBitsWithoutFMA runs the report twice on this machine: in this
// process (the default kernel path, with FMA if the CPU has it) and in a
// child with FMA, AVX and AVX2 switched off (GODEBUG) and the generic
// kernels, where math.Exp and math.FMA take their software paths. The
// outputs must be identical. CI does the same across emulated CPUs and
// architectures (.ci/run); this is the check any amd64 machine can run.
func TestSameBitsWithoutFMA(t *testing.T) {
	if os.Getenv("REPRO_CHILD") == "1" {
		if err := Run(os.Stdout); err != nil {
			t.Fatal(err)
		}
		return
	}
	if runtime.GOARCH != "amd64" {
		t.Skip("GODEBUG=cpu.fma=off is an amd64 switch")
	}
	if testing.Short() {
		t.Skip("about 10 s (software FMA)")
	}
	var here bytes.Buffer
	if err := Run(&here); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSameBitsWithoutFMA$", "-test.count=1")
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "DOWNHILL_") && !strings.HasPrefix(e, "GODEBUG=") {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "REPRO_CHILD=1", "DOWNHILL_KERNELS=generic", "GODEBUG=cpu.fma=off,cpu.avx=off,cpu.avx2=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	// The child's output ends with the test framework's "PASS".
	child := strings.TrimSuffix(string(out), "PASS\n")
	if child != here.String() {
		t.Errorf("different bits without FMA/AVX (generic kernels):\n--- this process\n%s--- child\n%s", here.String(), child)
	}
}
