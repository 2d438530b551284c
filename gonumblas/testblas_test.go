package gonumblas_test

import (
	"testing"

	"github.com/downhill-go/downhill/gonumblas"
	"gonum.org/v1/gonum/blas/testblas"
)

// gonum's own test suite (gonum.org/v1/gonum/blas/testblas) for every
// float64 routine that gonumblas runs on downhill, and for the Level 1
// routines it leaves to gonum. testblas has no float32 tests: float32_test.go
// runs the S routines on the same cases.

var impl gonumblas.Implementation

func TestDdot(t *testing.T)   { testblas.DdotTest(t, impl) }
func TestDaxpy(t *testing.T)  { testblas.DaxpyTest(t, impl) }
func TestDscal(t *testing.T)  { testblas.DscalTest(t, impl) }
func TestDnrm2(t *testing.T)  { testblas.Dnrm2Test(t, impl) }
func TestDasum(t *testing.T)  { testblas.DasumTest(t, impl) }
func TestIdamax(t *testing.T) { testblas.IdamaxTest(t, impl) }
func TestDgemm(t *testing.T)  { testblas.TestDgemm(t, impl) }

// Delegated to gonum, tested all the same: Implementation must not break them.
func TestDcopy(t *testing.T)  { testblas.DcopyTest(t, impl) }
func TestDswap(t *testing.T)  { testblas.DswapTest(t, impl) }
func TestDrot(t *testing.T)   { testblas.DrotTest(t, impl) }
func TestDrotm(t *testing.T)  { testblas.DrotmTest(t, impl) }
func TestDrotg(t *testing.T)  { testblas.DrotgTest(t, impl, false) }
func TestDrotmg(t *testing.T) { testblas.DrotmgTest(t, impl) }

// Level 2 and 3 routines that gonum's mat calls around Dgemm: gonum's
// code, run through Implementation.
func TestDgemv(t *testing.T) { testblas.DgemvTest(t, impl) }
func TestDsyrk(t *testing.T) { testblas.DsyrkTest(t, impl) }
func TestDtrsm(t *testing.T) { testblas.DtrsmTest(t, impl) }
