/* An independent reference for downhill's kernels, written in C from the
 * per-element formulas in DESIGN.md, with glibc's fmaf/fma as the fused
 * multiply-add. Compiled with -ffp-contract=off so that the C compiler
 * cannot fuse what the formulas keep separate. crosscheck_test.go feeds
 * it random cases on stdin and compares every output bit for bit.
 *
 * Case layout (little endian): int32 kernel, int32 size (4 or 8), int32 n,
 * int32 m, int32 flags (1 Nesterov, 2 Maximize, 4 Fresh), then 7 values of
 * the element type (alpha, beta, scale, lr, mu, dampening, weight decay),
 * then arrays a[n], b[n], c[n], rows[n*m]. Output: a[n], b[n], c[n] and
 * one value (Dot's result, else 0).
 *
 * Gemm (kernel 7) has its own layout after the five header words (whose
 * n, m and flags it ignores): int32 M, N, K, lda, ldb, ldc, trans (1 A,
 * 2 B), then 7 values (alpha, beta, the rest unused), then A, B and C as
 * stored ((rows-1)*ld + cols elements each, 0 for an empty matrix).
 * Output: C as stored.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { AXPY, AXPBY, SCALE, DOT, SUMROWS, MOMENTUM, BATCHMOMENTUM, GEMM };

static size_t stored(int rows, int cols, int ld) {
	return rows > 0 && cols > 0 ? (size_t)(rows - 1) * ld + cols : 0;
}

#define DEFINE(T, FMA, LANES)                                                   \
static T sumcol_##T(const T *rows, int n, int m, int i, T scale) {              \
	if (m == 0) return 0;                                                   \
	T s = rows[i];                                                          \
	for (int r = 1; r < m; r++) s = s + rows[(size_t)r * n + i];            \
	return scale * s;                                                       \
}                                                                               \
static void momentum_##T(T *p, T *v, int i, T g, const T *h, int flags) {       \
	T lr = h[3], mu = h[4], damp = h[5], wd = h[6];                         \
	T c = (T)1 - damp;                                                      \
	if (flags & 2) g = -g;                                                  \
	T d = wd == 0 ? g : FMA(wd, p[i], g);                                   \
	T s = d;                                                                \
	if (mu != 0) {                                                          \
		T vn = (flags & 4) ? d : FMA(mu, v[i], c * d);                  \
		s = (flags & 1) ? FMA(mu, vn, d) : vn;                          \
		v[i] = vn;                                                      \
	}                                                                       \
	p[i] = FMA(-lr, s, p[i]);                                               \
}                                                                               \
static T run_##T(int k, int n, int m, int flags, const T *h,                    \
                 T *a, T *b, T *c, const T *rows) {                             \
	switch (k) {                                                            \
	case AXPY: for (int i = 0; i < n; i++) b[i] = FMA(h[0], a[i], b[i]); break; \
	case AXPBY: for (int i = 0; i < n; i++) { T t = h[1] * b[i]; b[i] = FMA(h[0], a[i], t); } break; \
	case SCALE: for (int i = 0; i < n; i++) a[i] = h[0] * a[i]; break;      \
	case DOT: {                                                             \
		T acc[LANES] = {0};                                             \
		for (int i = 0; i < n; i++) acc[i % LANES] = FMA(a[i], b[i], acc[i % LANES]); \
		for (int w = LANES / 2; w >= 1; w /= 2)                         \
			for (int j = 0; j < w; j++) acc[j] = acc[j] + acc[j + w]; \
		return acc[0];                                                  \
	}                                                                       \
	case SUMROWS: for (int i = 0; i < n; i++) a[i] = sumcol_##T(rows, n, m, i, h[2]); break; \
	case MOMENTUM: for (int i = 0; i < n; i++) momentum_##T(a, c, i, b[i], h, flags); break; \
	case BATCHMOMENTUM: for (int i = 0; i < n; i++) momentum_##T(a, c, i, sumcol_##T(rows, n, m, i, h[2]), h, flags); break; \
	}                                                                       \
	return 0;                                                               \
}                                                                               \
static int case_##T(int k, int n, int m, int flags) {                           \
	T h[7];                                                                 \
	size_t nr = (size_t)n * m;                                              \
	T *a = malloc((n + 1) * sizeof(T)), *b = malloc((n + 1) * sizeof(T));   \
	T *c = malloc((n + 1) * sizeof(T)), *rows = malloc((nr + 1) * sizeof(T)); \
	if (fread(h, sizeof(T), 7, stdin) != 7 || fread(a, sizeof(T), n, stdin) != (size_t)n || \
	    fread(b, sizeof(T), n, stdin) != (size_t)n || fread(c, sizeof(T), n, stdin) != (size_t)n || \
	    fread(rows, sizeof(T), nr, stdin) != nr) return -1;                 \
	T r = run_##T(k, n, m, flags, h, a, b, c, rows);                        \
	fwrite(a, sizeof(T), n, stdout); fwrite(b, sizeof(T), n, stdout);       \
	fwrite(c, sizeof(T), n, stdout); fwrite(&r, sizeof(T), 1, stdout);      \
	free(a); free(b); free(c); free(rows);                                  \
	return 0;                                                               \
}                                                                               \
/* C = alpha*op(A)*op(B) + beta*C, per element in order of p (issue 16). */   \
static void gemm_##T(int M, int N, int K, int ta, int tb, T alpha, const T *A, \
                     int lda, const T *B, int ldb, T beta, T *C, int ldc) {     \
	for (int i = 0; i < M; i++)                                             \
		for (int j = 0; j < N; j++) {                                   \
			T acc = 0;                                              \
			for (int p = 0; p < K; p++) {                           \
				T x = ta ? A[(size_t)p * lda + i] : A[(size_t)i * lda + p]; \
				T y = tb ? B[(size_t)j * ldb + p] : B[(size_t)p * ldb + j]; \
				acc = FMA(x, y, acc);                           \
			}                                                       \
			T *cij = &C[(size_t)i * ldc + j];                       \
			if (beta == 0) *cij = alpha * acc;                      \
			else { T t = beta * *cij; *cij = FMA(alpha, acc, t); }  \
		}                                                               \
}                                                                               \
static int gemmcase_##T(void) {                                                 \
	int32_t d[7];                                                           \
	T h[7];                                                                 \
	if (fread(d, sizeof d, 1, stdin) != 1 || fread(h, sizeof(T), 7, stdin) != 7) return -1; \
	int M = d[0], N = d[1], K = d[2], lda = d[3], ldb = d[4], ldc = d[5];   \
	int ta = d[6] & 1, tb = (d[6] >> 1) & 1;                                \
	size_t la = ta ? stored(K, M, lda) : stored(M, K, lda);                 \
	size_t lb = tb ? stored(N, K, ldb) : stored(K, N, ldb);                 \
	size_t lc = stored(M, N, ldc);                                          \
	T *A = malloc((la + 1) * sizeof(T)), *B = malloc((lb + 1) * sizeof(T)); \
	T *C = malloc((lc + 1) * sizeof(T));                                    \
	if (fread(A, sizeof(T), la, stdin) != la || fread(B, sizeof(T), lb, stdin) != lb || \
	    fread(C, sizeof(T), lc, stdin) != lc) return -1;                    \
	gemm_##T(M, N, K, ta, tb, h[0], A, lda, B, ldb, h[1], C, ldc);          \
	fwrite(C, sizeof(T), lc, stdout);                                       \
	free(A); free(B); free(C);                                              \
	return 0;                                                               \
}

DEFINE(float, fmaf, 64)
DEFINE(double, fma, 32)

int main(void) {
	int32_t hdr[5];
	while (fread(hdr, sizeof hdr, 1, stdin) == 1) {
		int rc;
		if (hdr[0] == GEMM)
			rc = hdr[1] == 4 ? gemmcase_float() : gemmcase_double();
		else
			rc = hdr[1] == 4 ? case_float(hdr[0], hdr[2], hdr[3], hdr[4])
			                 : case_double(hdr[0], hdr[2], hdr[3], hdr[4]);
		if (rc != 0) { fprintf(stderr, "crosscheck: short input\n"); return 1; }
	}
	return 0;
}
