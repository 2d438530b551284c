//go:build openblas && cgo

package bench

// OpenBLAS's cblas_sgemm and cblas_dgemm for BenchmarkGemm (build with
// -tags openblas; needs libopenblas-dev). Run with OPENBLAS_NUM_THREADS=1
// for one thread, as downhill's Gemm. (cgo cannot be used in _test.go
// files, hence this file; openblas_test.go registers these.)

/*
#cgo CFLAGS: -I/usr/include/x86_64-linux-gnu/openblas-pthread
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "fmt"

func cblasSgemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	C.cblas_sgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.float(alpha), (*C.float)(&a[0]), C.blasint(lda), (*C.float)(&b[0]), C.blasint(ldb),
		C.float(beta), (*C.float)(&c[0]), C.blasint(ldc))
}

func cblasDgemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	C.cblas_dgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.double(alpha), (*C.double)(&a[0]), C.blasint(lda), (*C.double)(&b[0]), C.blasint(ldb),
		C.double(beta), (*C.double)(&c[0]), C.blasint(ldc))
}

func cblasTrans(t bool) C.enum_CBLAS_TRANSPOSE {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// openblasInfo names the kernel OpenBLAS runs on this CPU (its "core":
// Haswell, Zen, SkylakeX, ...), its build configuration and thread count.
func openblasInfo() string {
	return fmt.Sprintf("core %s, config %s, %d threads",
		C.GoString(C.openblas_get_corename()), C.GoString(C.openblas_get_config()), int(C.openblas_get_num_threads()))
}
