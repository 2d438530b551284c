package dispatch

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestParsePath(t *testing.T) {
	for _, p := range All() {
		q, err := ParsePath(p.String())
		if err != nil || q != p {
			t.Fatalf("ParsePath(%q) = %v, %v", p.String(), q, err)
		}
	}
	if _, err := ParsePath("sse9"); err == nil || !strings.Contains(err.Error(), "generic, avx2, neon") {
		t.Fatalf("ParsePath(sse9) error = %v, want the list of known paths", err)
	}
}

func TestChoose(t *testing.T) {
	avail := []Path{Generic, AVX2}
	if p, why, err := choose("", avail); err != nil || p != AVX2 || why == "" {
		t.Fatalf(`choose("") = %v, %q, %v; want avx2`, p, why, err)
	}
	if p, _, err := choose("", []Path{Generic}); err != nil || p != Generic {
		t.Fatalf(`choose("") without assembly = %v, %v; want generic`, p, err)
	}
	if p, why, err := choose("generic", avail); err != nil || p != Generic || !strings.Contains(why, EnvVar) {
		t.Fatalf(`choose("generic") = %v, %q, %v`, p, why, err)
	}
	for _, bad := range []string{"bogus", "neon", "AVX2", " avx2"} {
		_, _, err := choose(bad, avail)
		if err == nil || !strings.Contains(err.Error(), "available: generic, avx2") {
			t.Fatalf("choose(%q) error = %v; want an error listing the available paths", bad, err)
		}
	}
}

func TestAvailableIncludesActive(t *testing.T) {
	if Available()[0] != Generic {
		t.Fatalf("Available() = %v; generic must come first", Available())
	}
	if !IsAvailable(Active()) {
		t.Fatalf("active path %v not in %v", Active(), Available())
	}
	for _, p := range Available() {
		if p != Generic && !contains(compiled, p) {
			t.Fatalf("path %v available but not compiled", p)
		}
	}
}

// TestExpectedPath lets CI state which path a CPU must get: under
// qemu-x86_64 -cpu Westmere (no AVX) generic, under -cpu max avx2, under
// qemu-aarch64 neon. DOWNHILL_EXPECT_ACTIVE unset: nothing to check.
func TestExpectedPath(t *testing.T) {
	want := os.Getenv("DOWNHILL_EXPECT_ACTIVE")
	if want == "" {
		t.Log("DOWNHILL_EXPECT_ACTIVE not set; active path is", Active())
		return
	}
	if Active().String() != want {
		t.Fatalf("active path is %v (%s), want %s\n%s", Active(), Why(), want, Report())
	}
}

func TestReport(t *testing.T) {
	r := Report()
	for _, want := range []string{"CPU:", "Caches:", "Features:", "Paths:", "Active:     " + Active().String(), EnvVar} {
		if !strings.Contains(r, want) {
			t.Fatalf("report lacks %q:\n%s", want, r)
		}
	}
}

// runSelf runs this test binary's TestExpectedPath in a child process with
// extra environment variables. Under qemu user emulation without binfmt
// registration the binary cannot exec itself; the child then runs under
// the same qemu-<arch>-static found on PATH.
func runSelf(t *testing.T, env ...string) (string, error) {
	t.Helper()
	args := []string{os.Args[0], "-test.run=^TestExpectedPath$", "-test.v"}
	run := func(argv []string) (string, error) {
		cmd := exec.Command(argv[0], argv[1:]...)
		// The child sees only the choices made here, not a path the
		// parent run was forced onto.
		cmd.Env = nil
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, EnvVar+"=") && !strings.HasPrefix(kv, "DOWNHILL_EXPECT_ACTIVE=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(args)
	if errors.Is(err, syscall.ENOEXEC) {
		qemu := map[string]string{"arm64": "aarch64", "riscv64": "riscv64", "amd64": "x86_64"}[runtime.GOARCH]
		if path, lerr := exec.LookPath("qemu-" + qemu + "-static"); lerr == nil {
			out, err = run(append([]string{path}, args...))
		}
	}
	return out, err
}

func TestEnvVarUnknownStopsProgram(t *testing.T) {
	out, err := runSelf(t, EnvVar+"=sse9")
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("DOWNHILL_KERNELS=sse9: err = %v, want exit status 2; output:\n%s", err, out)
	}
	if !strings.Contains(out, `unknown kernel path "sse9"`) || !strings.Contains(out, "available: generic") {
		t.Fatalf("message does not name the bad path and the available ones:\n%s", out)
	}
}

func TestEnvVarUnavailableStopsProgram(t *testing.T) {
	var missing Path = numPaths
	for _, p := range All() {
		if !IsAvailable(p) {
			missing = p
			break
		}
	}
	if missing == numPaths {
		t.Fatal("every path available: impossible, avx2 and neon exclude each other")
	}
	out, err := runSelf(t, EnvVar+"="+missing.String())
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(out, "available:") {
		t.Fatalf("DOWNHILL_KERNELS=%v: err = %v, output:\n%s", missing, err, out)
	}
}

func TestEnvVarForces(t *testing.T) {
	for _, p := range Available() {
		out, err := runSelf(t, EnvVar+"="+p.String(), "DOWNHILL_EXPECT_ACTIVE="+p.String())
		if err != nil {
			t.Fatalf("forcing %v: %v\n%s", p, err, out)
		}
	}
}

// TestGODEBUGHonoured switches AVX2 off through x/sys/cpu's GODEBUG
// option: the child must fall back to generic.
func TestGODEBUGHonoured(t *testing.T) {
	if !IsAvailable(AVX2) {
		t.Logf("avx2 not available here (%s); nothing to switch off", unavailableReason(AVX2))
		return
	}
	out, err := runSelf(t, "GODEBUG=cpu.avx2=off", "DOWNHILL_EXPECT_ACTIVE=generic")
	if err != nil {
		t.Fatalf("GODEBUG=cpu.avx2=off did not give generic: %v\n%s", err, out)
	}
}
