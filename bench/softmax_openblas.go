//go:build openblas && cgo

package bench

// The softmax-regression epoch of BenchmarkMNISTEpoch written in C on
// OpenBLAS, the bar the batched sgd path is measured against: per batch
// of 64, gather the rows (with a 1 appended for the bias), the logits
// X·Wᵀ by one cblas_sgemm, softmax in float (expf), E = p - onehot, the
// gradient Eᵀ·X / B by one cblas_sgemm, then the momentum update
// v = mu*v + g, p -= lr*v. The same work as sgd.SoftmaxRegression's
// BatchGradient plus one momentum step. Run single-threaded:
//
//	OPENBLAS_NUM_THREADS=1 go test -tags openblas -run XXX -bench MNISTEpoch ./bench
//
// (openblas_set_num_threads(1) is also called before each epoch.)

/*
#cgo LDFLAGS: -lopenblas -lm
#include <cblas.h>
#include <math.h>
#include <string.h>

void openblas_set_num_threads(int);
char* openblas_get_config(void);
char* openblas_get_corename(void);

static void softmax_epoch(const float *x, const int *y, int f, int classes,
                          const int *perm, int n, int batch, float lr, float mu,
                          float *params, float *vel, float *xb, float *z, float *g) {
	int d1 = f + 1, dim = classes * d1;
	openblas_set_num_threads(1);
	for (int lo = 0; lo < n; lo += batch) {
		int b = n - lo < batch ? n - lo : batch;
		for (int r = 0; r < b; r++) {
			memcpy(xb + (size_t)r * d1, x + (size_t)perm[lo + r] * f, f * sizeof(float));
			xb[(size_t)r * d1 + f] = 1;
		}
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, classes, d1,
		            1, xb, d1, params, d1, 0, z, classes);
		for (int r = 0; r < b; r++) {
			float *zr = z + r * classes, m = zr[0], s = 0;
			for (int c = 1; c < classes; c++) m = zr[c] > m ? zr[c] : m;
			for (int c = 0; c < classes; c++) { zr[c] = expf(zr[c] - m); s += zr[c]; }
			for (int c = 0; c < classes; c++) zr[c] /= s;
			zr[y[perm[lo + r]]] -= 1;
		}
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, classes, d1, b,
		            1.0f / b, z, classes, xb, d1, 0, g, d1);
		for (int i = 0; i < dim; i++) {
			vel[i] = mu * vel[i] + g[i];
			params[i] -= lr * vel[i];
		}
	}
}
*/
import "C"

import "unsafe"

// openblasEpoch runs one epoch of the C loop over the examples in the
// order perm.
func openblasEpoch(x []float32, y []int, features, classes int, perm []int, batch int, lr, mu float32, params, vel []float32) {
	d1 := features + 1
	xb := make([]float32, batch*d1)
	z := make([]float32, batch*classes)
	g := make([]float32, classes*d1)
	y32 := make([]C.int, len(y))
	for i, v := range y {
		y32[i] = C.int(v)
	}
	p32 := make([]C.int, len(perm))
	for i, v := range perm {
		p32[i] = C.int(v)
	}
	C.softmax_epoch((*C.float)(unsafe.Pointer(&x[0])), &y32[0], C.int(features), C.int(classes),
		&p32[0], C.int(len(perm)), C.int(batch), C.float(lr), C.float(mu),
		(*C.float)(unsafe.Pointer(&params[0])), (*C.float)(unsafe.Pointer(&vel[0])),
		(*C.float)(unsafe.Pointer(&xb[0])), (*C.float)(unsafe.Pointer(&z[0])), (*C.float)(unsafe.Pointer(&g[0])))
}

// openblasConfig names the OpenBLAS build and the kernel it runs.
func openblasConfig() string {
	return C.GoString(C.openblas_get_config()) + " (core " + C.GoString(C.openblas_get_corename()) + ")"
}
