//go:build !purego

#include "textflag.h"

// AVX2+FMA3 kernels of the avx2 path: Axpy, Axpby, Scale, Dot and SumRows,
// float32 and float64. Each one computes exactly what its twin in package
// kernels computes, operation for operation, so the results are
// bit-identical (see ../shared/DESIGN.md and kernels/kernels.go):
//
//   - a fused multiply-add of the specification is one VFMADD231P[SD]
//     lane, every other operation one VMULP[SD]/VADDP[SD] lane;
//   - elements are processed in independent lanes, so the order of the
//     loop does not matter, except in Dot (the canonical lane order and
//     combining tree) and SumRows (rows added in order, per column);
//   - the last partial vector is read and written with VMASKMOVP[SD]: a
//     lane outside the slice is neither loaded (it reads as +0) nor
//     stored, and cannot fault;
//   - Axpy, Axpby and Scale align their stores: when y (x for Scale) is
//     not 32-byte aligned, the first vector is computed up front and
//     stored last, over the elements the aligned loop also wrote (a
//     misaligned store stream costs ~20% at L1 sizes).
//
// The callers (kernels_amd64.go) guarantee len(x) == len(y) > 0 and, for
// SumRows, len(dst) > 0 with len(src) a multiple of len(dst).
//
// Registers common to every kernel: CX counts the elements (or columns)
// left, Y14 holds the tail mask, Y15 the broadcast scalar alpha or scale.

// iota32 and iota64 are the lane numbers of a ymm register. A lane is
// inside the slice when its number is below the count of elements left.
DATA iota32<>+0(SB)/4, $0
DATA iota32<>+4(SB)/4, $1
DATA iota32<>+8(SB)/4, $2
DATA iota32<>+12(SB)/4, $3
DATA iota32<>+16(SB)/4, $4
DATA iota32<>+20(SB)/4, $5
DATA iota32<>+24(SB)/4, $6
DATA iota32<>+28(SB)/4, $7
GLOBL iota32<>(SB), RODATA|NOPTR, $32

DATA iota64<>+0(SB)/8, $0
DATA iota64<>+8(SB)/8, $1
DATA iota64<>+16(SB)/8, $2
DATA iota64<>+24(SB)/8, $3
GLOBL iota64<>(SB), RODATA|NOPTR, $32

// LANEMASK32(n, x, y) sets ymm register y (x is its xmm half) to all-ones
// in the float32 lanes below n and zero elsewhere: any n, compared as a
// signed integer, so n <= 0 gives no lane and n >= 8 every lane.
// LANEMASK64 does the same for float64 lanes. MASK32(n) and MASK64(n) put
// the mask in Y14.
#define LANEMASK32(n, x, y) VMOVD n, x; VPBROADCASTD x, y; VPCMPGTD iota32<>(SB), y, y
#define LANEMASK64(n, x, y) VMOVQ n, x; VPBROADCASTQ x, y; VPCMPGTQ iota64<>(SB), y, y
#define MASK32(n) LANEMASK32(n, X14, Y14)
#define MASK64(n) LANEMASK64(n, X14, Y14)

// ---------------------------------------------------------------------------
// Axpy

// func axpy32AVX2(alpha float32, x, y []float32)
//
//	for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &x[i], DI = &y[i], CX = elements left, Y15 = alpha,
// Y0-Y7 = eight vectors of y (64 elements per iteration), Y14 = tail mask,
// R8 = &y[0] and Y13 = y[0:8] while the head store is deferred (else R8 = 0).
TEXT ·axpy32AVX2(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	VBROADCASTSS alpha+0(FP), Y15
	XORL         R8, R8           // no deferred head store
	CMPQ         CX, $64
	JB           axpy32_by8
	MOVQ         DI, AX
	ANDQ         $31, AX
	JZ           axpy32_by64

	// y is not 32-byte aligned: compute the head vector (elements 0..7)
	// from the inputs now, start the loops at the first aligned element h,
	// and store the head at the end. The loops also write elements h..7;
	// the deferred store overwrites them with the head's values, which
	// came from the original inputs (even when x and y are one slice).
	VMOVUPS      (DI), Y13
	VFMADD231PS  (SI), Y15, Y13
	MOVQ         DI, R8
	SUBQ         $32, AX
	NEGQ         AX               // 32 - y%32 bytes: h elements, h >= 1
	ADDQ         AX, SI
	ADDQ         AX, DI
	SHRQ         $2, AX
	SUBQ         AX, CX
	CMPQ         CX, $64
	JB           axpy32_by8

axpy32_by64:
	VMOVUPS     (DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VMOVUPS     128(DI), Y4
	VMOVUPS     160(DI), Y5
	VMOVUPS     192(DI), Y6
	VMOVUPS     224(DI), Y7
	VFMADD231PS (SI), Y15, Y0     // y = alpha*x + y, rounded once
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VFMADD231PS 128(SI), Y15, Y4
	VFMADD231PS 160(SI), Y15, Y5
	VFMADD231PS 192(SI), Y15, Y6
	VFMADD231PS 224(SI), Y15, Y7
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	VMOVUPS     Y4, 128(DI)
	VMOVUPS     Y5, 160(DI)
	VMOVUPS     Y6, 192(DI)
	VMOVUPS     Y7, 224(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JAE         axpy32_by64

axpy32_by8:
	CMPQ        CX, $8
	JB          axpy32_tail
	VMOVUPS     (DI), Y0
	VFMADD231PS (SI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         axpy32_by8

axpy32_tail: // 0..7 elements left
	TESTQ       CX, CX
	JZ          axpy32_done
	MASK32(CX)
	VMASKMOVPS  (SI), Y14, Y1
	VMASKMOVPS  (DI), Y14, Y0
	VFMADD231PS Y1, Y15, Y0
	VMASKMOVPS  Y0, Y14, (DI)

axpy32_done:
	TESTQ        R8, R8
	JZ           axpy32_ret
	VMOVUPS      Y13, (R8)    // the deferred head

axpy32_ret:
	VZEROUPPER
	RET

// func axpy64AVX2(alpha float64, x, y []float64)
//
//	for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &x[i], DI = &y[i], CX = elements left, Y15 = alpha,
// Y0-Y7 = eight vectors of y (32 elements per iteration), Y14 = tail mask,
// R8 = &y[0] and Y13 = y[0:4] while the head store is deferred (else R8 = 0).
TEXT ·axpy64AVX2(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	VBROADCASTSD alpha+0(FP), Y15
	XORL         R8, R8           // no deferred head store
	CMPQ         CX, $32
	JB           axpy64_by4
	MOVQ         DI, AX
	ANDQ         $31, AX
	JZ           axpy64_by32

	// y is not 32-byte aligned: compute the head vector (elements 0..3)
	// from the inputs now, start the loops at the first aligned element h,
	// and store the head at the end. The loops also write elements h..3;
	// the deferred store overwrites them with the head's values, which
	// came from the original inputs (even when x and y are one slice).
	VMOVUPD      (DI), Y13
	VFMADD231PD  (SI), Y15, Y13
	MOVQ         DI, R8
	SUBQ         $32, AX
	NEGQ         AX               // 32 - y%32 bytes: h elements, h >= 1
	ADDQ         AX, SI
	ADDQ         AX, DI
	SHRQ         $3, AX
	SUBQ         AX, CX
	CMPQ         CX, $32
	JB           axpy64_by4

axpy64_by32:
	VMOVUPD     (DI), Y0
	VMOVUPD     32(DI), Y1
	VMOVUPD     64(DI), Y2
	VMOVUPD     96(DI), Y3
	VMOVUPD     128(DI), Y4
	VMOVUPD     160(DI), Y5
	VMOVUPD     192(DI), Y6
	VMOVUPD     224(DI), Y7
	VFMADD231PD (SI), Y15, Y0     // y = alpha*x + y, rounded once
	VFMADD231PD 32(SI), Y15, Y1
	VFMADD231PD 64(SI), Y15, Y2
	VFMADD231PD 96(SI), Y15, Y3
	VFMADD231PD 128(SI), Y15, Y4
	VFMADD231PD 160(SI), Y15, Y5
	VFMADD231PD 192(SI), Y15, Y6
	VFMADD231PD 224(SI), Y15, Y7
	VMOVUPD     Y0, (DI)
	VMOVUPD     Y1, 32(DI)
	VMOVUPD     Y2, 64(DI)
	VMOVUPD     Y3, 96(DI)
	VMOVUPD     Y4, 128(DI)
	VMOVUPD     Y5, 160(DI)
	VMOVUPD     Y6, 192(DI)
	VMOVUPD     Y7, 224(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         axpy64_by32

axpy64_by4:
	CMPQ        CX, $4
	JB          axpy64_tail
	VMOVUPD     (DI), Y0
	VFMADD231PD (SI), Y15, Y0
	VMOVUPD     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	JMP         axpy64_by4

axpy64_tail: // 0..3 elements left
	TESTQ       CX, CX
	JZ          axpy64_done
	MASK64(CX)
	VMASKMOVPD  (SI), Y14, Y1
	VMASKMOVPD  (DI), Y14, Y0
	VFMADD231PD Y1, Y15, Y0
	VMASKMOVPD  Y0, Y14, (DI)

axpy64_done:
	TESTQ        R8, R8
	JZ           axpy64_ret
	VMOVUPD      Y13, (R8)    // the deferred head

axpy64_ret:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// Axpby

// func axpby32AVX2(alpha float32, x []float32, beta float32, y []float32)
//
//	for i := range x { y[i] = fma(alpha, x[i], float32(beta*y[i])) }
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &x[i], DI = &y[i], CX = elements left, Y15 = alpha,
// Y13 = beta, Y0-Y7 = beta*y then the result (64 elements per iteration),
// Y14 = tail mask, R8 = &y[0] and Y12 = y[0:8] while the head store is
// deferred (else R8 = 0).
TEXT ·axpby32AVX2(SB), NOSPLIT, $0-64
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+40(FP), DI
	VBROADCASTSS alpha+0(FP), Y15
	VBROADCASTSS beta+32(FP), Y13
	XORL         R8, R8           // no deferred head store
	CMPQ         CX, $64
	JB           axpby32_by8
	MOVQ         DI, AX
	ANDQ         $31, AX
	JZ           axpby32_by64

	// y is not 32-byte aligned: compute the head vector (elements 0..7)
	// from the inputs now, start the loops at the first aligned element h,
	// and store the head at the end. The loops also write elements h..7;
	// the deferred store overwrites them with the head's values, which
	// came from the original inputs (even when x and y are one slice).
	VMULPS       (DI), Y13, Y12
	VFMADD231PS  (SI), Y15, Y12
	MOVQ         DI, R8
	SUBQ         $32, AX
	NEGQ         AX               // 32 - y%32 bytes: h elements, h >= 1
	ADDQ         AX, SI
	ADDQ         AX, DI
	SHRQ         $2, AX
	SUBQ         AX, CX
	CMPQ         CX, $64
	JB           axpby32_by8

axpby32_by64:
	VMULPS      (DI), Y13, Y0     // beta*y, rounded on its own
	VMULPS      32(DI), Y13, Y1
	VMULPS      64(DI), Y13, Y2
	VMULPS      96(DI), Y13, Y3
	VMULPS      128(DI), Y13, Y4
	VMULPS      160(DI), Y13, Y5
	VMULPS      192(DI), Y13, Y6
	VMULPS      224(DI), Y13, Y7
	VFMADD231PS (SI), Y15, Y0     // alpha*x + beta*y, rounded once
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VFMADD231PS 128(SI), Y15, Y4
	VFMADD231PS 160(SI), Y15, Y5
	VFMADD231PS 192(SI), Y15, Y6
	VFMADD231PS 224(SI), Y15, Y7
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	VMOVUPS     Y4, 128(DI)
	VMOVUPS     Y5, 160(DI)
	VMOVUPS     Y6, 192(DI)
	VMOVUPS     Y7, 224(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JAE         axpby32_by64

axpby32_by8:
	CMPQ        CX, $8
	JB          axpby32_tail
	VMULPS      (DI), Y13, Y0
	VFMADD231PS (SI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         axpby32_by8

axpby32_tail: // 0..7 elements left
	TESTQ       CX, CX
	JZ          axpby32_done
	MASK32(CX)
	VMASKMOVPS  (SI), Y14, Y1
	VMASKMOVPS  (DI), Y14, Y0
	VMULPS      Y0, Y13, Y0
	VFMADD231PS Y1, Y15, Y0
	VMASKMOVPS  Y0, Y14, (DI)

axpby32_done:
	TESTQ        R8, R8
	JZ           axpby32_ret
	VMOVUPS      Y12, (R8)    // the deferred head

axpby32_ret:
	VZEROUPPER
	RET

// func axpby64AVX2(alpha float64, x []float64, beta float64, y []float64)
//
//	for i := range x { y[i] = fma(alpha, x[i], float64(beta*y[i])) }
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &x[i], DI = &y[i], CX = elements left, Y15 = alpha,
// Y13 = beta, Y0-Y7 = beta*y then the result (32 elements per iteration),
// Y14 = tail mask, R8 = &y[0] and Y12 = y[0:4] while the head store is
// deferred (else R8 = 0).
TEXT ·axpby64AVX2(SB), NOSPLIT, $0-64
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+40(FP), DI
	VBROADCASTSD alpha+0(FP), Y15
	VBROADCASTSD beta+32(FP), Y13
	XORL         R8, R8           // no deferred head store
	CMPQ         CX, $32
	JB           axpby64_by4
	MOVQ         DI, AX
	ANDQ         $31, AX
	JZ           axpby64_by32

	// y is not 32-byte aligned: compute the head vector (elements 0..3)
	// from the inputs now, start the loops at the first aligned element h,
	// and store the head at the end. The loops also write elements h..3;
	// the deferred store overwrites them with the head's values, which
	// came from the original inputs (even when x and y are one slice).
	VMULPD       (DI), Y13, Y12
	VFMADD231PD  (SI), Y15, Y12
	MOVQ         DI, R8
	SUBQ         $32, AX
	NEGQ         AX               // 32 - y%32 bytes: h elements, h >= 1
	ADDQ         AX, SI
	ADDQ         AX, DI
	SHRQ         $3, AX
	SUBQ         AX, CX
	CMPQ         CX, $32
	JB           axpby64_by4

axpby64_by32:
	VMULPD      (DI), Y13, Y0     // beta*y, rounded on its own
	VMULPD      32(DI), Y13, Y1
	VMULPD      64(DI), Y13, Y2
	VMULPD      96(DI), Y13, Y3
	VMULPD      128(DI), Y13, Y4
	VMULPD      160(DI), Y13, Y5
	VMULPD      192(DI), Y13, Y6
	VMULPD      224(DI), Y13, Y7
	VFMADD231PD (SI), Y15, Y0     // alpha*x + beta*y, rounded once
	VFMADD231PD 32(SI), Y15, Y1
	VFMADD231PD 64(SI), Y15, Y2
	VFMADD231PD 96(SI), Y15, Y3
	VFMADD231PD 128(SI), Y15, Y4
	VFMADD231PD 160(SI), Y15, Y5
	VFMADD231PD 192(SI), Y15, Y6
	VFMADD231PD 224(SI), Y15, Y7
	VMOVUPD     Y0, (DI)
	VMOVUPD     Y1, 32(DI)
	VMOVUPD     Y2, 64(DI)
	VMOVUPD     Y3, 96(DI)
	VMOVUPD     Y4, 128(DI)
	VMOVUPD     Y5, 160(DI)
	VMOVUPD     Y6, 192(DI)
	VMOVUPD     Y7, 224(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         axpby64_by32

axpby64_by4:
	CMPQ        CX, $4
	JB          axpby64_tail
	VMULPD      (DI), Y13, Y0
	VFMADD231PD (SI), Y15, Y0
	VMOVUPD     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $4, CX
	JMP         axpby64_by4

axpby64_tail: // 0..3 elements left
	TESTQ       CX, CX
	JZ          axpby64_done
	MASK64(CX)
	VMASKMOVPD  (SI), Y14, Y1
	VMASKMOVPD  (DI), Y14, Y0
	VMULPD      Y0, Y13, Y0
	VFMADD231PD Y1, Y15, Y0
	VMASKMOVPD  Y0, Y14, (DI)

axpby64_done:
	TESTQ        R8, R8
	JZ           axpby64_ret
	VMOVUPD      Y12, (R8)    // the deferred head

axpby64_ret:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// Scale

// func scale32AVX2(alpha float32, x []float32)
//
//	for i := range x { x[i] = float32(alpha * x[i]) }
//
// Requires: AVX, AVX2
// Registers: DI = &x[i], CX = elements left, Y15 = alpha, Y0-Y7 = eight
// vectors of the result (64 elements per iteration), Y14 = tail mask,
// R8 = &x[0] and Y13 = x[0:8] while the head store is deferred (else R8 = 0).
TEXT ·scale32AVX2(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), DI
	MOVQ         x_len+16(FP), CX
	VBROADCASTSS alpha+0(FP), Y15
	XORL         R8, R8           // no deferred head store
	CMPQ         CX, $64
	JB           scale32_by8
	MOVQ         DI, AX
	ANDQ         $31, AX
	JZ           scale32_by64

	// x is not 32-byte aligned: compute the head vector (elements 0..7)
	// from the inputs now, start the loops at the first aligned element h,
	// and store the head at the end. The loops also write elements h..7;
	// the deferred store overwrites them with the head's values, which
	// came from the original x.
	VMULPS       (DI), Y15, Y13
	MOVQ         DI, R8
	SUBQ         $32, AX
	NEGQ         AX               // 32 - x%32 bytes: h elements, h >= 1
	ADDQ         AX, DI
	SHRQ         $2, AX
	SUBQ         AX, CX
	CMPQ         CX, $64
	JB           scale32_by8

scale32_by64:
	VMULPS  (DI), Y15, Y0
	VMULPS  32(DI), Y15, Y1
	VMULPS  64(DI), Y15, Y2
	VMULPS  96(DI), Y15, Y3
	VMULPS  128(DI), Y15, Y4
	VMULPS  160(DI), Y15, Y5
	VMULPS  192(DI), Y15, Y6
	VMULPS  224(DI), Y15, Y7
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ    $256, DI
	SUBQ    $64, CX
	CMPQ    CX, $64
	JAE     scale32_by64

scale32_by8:
	CMPQ    CX, $8
	JB      scale32_tail
	VMULPS  (DI), Y15, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     scale32_by8

scale32_tail: // 0..7 elements left
	TESTQ      CX, CX
	JZ         scale32_done
	MASK32(CX)
	VMASKMOVPS (DI), Y14, Y0
	VMULPS     Y0, Y15, Y0
	VMASKMOVPS Y0, Y14, (DI)

scale32_done:
	TESTQ        R8, R8
	JZ           scale32_ret
	VMOVUPS      Y13, (R8)    // the deferred head

scale32_ret:
	VZEROUPPER
	RET

// func scale64AVX2(alpha float64, x []float64)
//
//	for i := range x { x[i] = float64(alpha * x[i]) }
//
// Requires: AVX, AVX2
// Registers: DI = &x[i], CX = elements left, Y15 = alpha, Y0-Y7 = eight
// vectors of the result (32 elements per iteration), Y14 = tail mask,
// R8 = &x[0] and Y13 = x[0:4] while the head store is deferred (else R8 = 0).
TEXT ·scale64AVX2(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), DI
	MOVQ         x_len+16(FP), CX
	VBROADCASTSD alpha+0(FP), Y15
	XORL         R8, R8           // no deferred head store
	CMPQ         CX, $32
	JB           scale64_by4
	MOVQ         DI, AX
	ANDQ         $31, AX
	JZ           scale64_by32

	// x is not 32-byte aligned: compute the head vector (elements 0..3)
	// from the inputs now, start the loops at the first aligned element h,
	// and store the head at the end. The loops also write elements h..3;
	// the deferred store overwrites them with the head's values, which
	// came from the original x.
	VMULPD       (DI), Y15, Y13
	MOVQ         DI, R8
	SUBQ         $32, AX
	NEGQ         AX               // 32 - x%32 bytes: h elements, h >= 1
	ADDQ         AX, DI
	SHRQ         $3, AX
	SUBQ         AX, CX
	CMPQ         CX, $32
	JB           scale64_by4

scale64_by32:
	VMULPD  (DI), Y15, Y0
	VMULPD  32(DI), Y15, Y1
	VMULPD  64(DI), Y15, Y2
	VMULPD  96(DI), Y15, Y3
	VMULPD  128(DI), Y15, Y4
	VMULPD  160(DI), Y15, Y5
	VMULPD  192(DI), Y15, Y6
	VMULPD  224(DI), Y15, Y7
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ    $256, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     scale64_by32

scale64_by4:
	CMPQ    CX, $4
	JB      scale64_tail
	VMULPD  (DI), Y15, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $4, CX
	JMP     scale64_by4

scale64_tail: // 0..3 elements left
	TESTQ      CX, CX
	JZ         scale64_done
	MASK64(CX)
	VMASKMOVPD (DI), Y14, Y0
	VMULPD     Y0, Y15, Y0
	VMASKMOVPD Y0, Y14, (DI)

scale64_done:
	TESTQ        R8, R8
	JZ           scale64_ret
	VMOVUPD      Y13, (R8)    // the deferred head

scale64_ret:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// Dot

// func dot32AVX2(x, y []float32) float32
//
//	var acc [64]float32 // lane k of block b: acc[k] = fma(x[64b+k], y[64b+k], acc[k])
//	for b := 0; b < (len(x)+63)/64; b++ { ... } // last block padded with +0
//	for h := 32; h >= 1; h /= 2 { for k := 0; k < h; k++ { acc[k] += acc[k+h] } }
//	return acc[0]
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &x[i], DI = &y[i], CX = elements left; Y0-Y7 = the 64
// lanes of acc (Yj holds acc[8j:8j+8]); Y8-Y15 = x blocks in the main loop;
// in the tail Y8 = count left, Y9 = lane numbers, Y10 = 8 in every lane,
// Y11 = mask, Y12/Y13 = masked x/y.
TEXT ·dot32AVX2(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	CMPQ   CX, $64
	JB     dot32_tail

dot32_block: // one block of 64 lanes
	VMOVUPS     (SI), Y8
	VMOVUPS     32(SI), Y9
	VMOVUPS     64(SI), Y10
	VMOVUPS     96(SI), Y11
	VMOVUPS     128(SI), Y12
	VMOVUPS     160(SI), Y13
	VMOVUPS     192(SI), Y14
	VMOVUPS     224(SI), Y15
	VFMADD231PS (DI), Y8, Y0      // acc = x*y + acc, rounded once
	VFMADD231PS 32(DI), Y9, Y1
	VFMADD231PS 64(DI), Y10, Y2
	VFMADD231PS 96(DI), Y11, Y3
	VFMADD231PS 128(DI), Y12, Y4
	VFMADD231PS 160(DI), Y13, Y5
	VFMADD231PS 192(DI), Y14, Y6
	VFMADD231PS 224(DI), Y15, Y7
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JAE         dot32_block

dot32_tail:
	// The last block, 1..63 elements, padded with +0: every accumulator
	// takes an FMA (a lane past the end takes fma(+0, +0, acc), which turns
	// -0 into +0 as the specification does). Masks are built per register
	// from the count left, so registers wholly past the end load nothing.
	TESTQ        CX, CX
	JZ           dot32_reduce
	VMOVD        CX, X8
	VPBROADCASTD X8, Y8
	VMOVDQU      iota32<>(SB), Y9
	MOVL         $8, AX
	VMOVD        AX, X10
	VPBROADCASTD X10, Y10

#define DOT32_TAIL(off, acc) \
	VPCMPGTD    Y9, Y8, Y11; \
	VMASKMOVPS  off(SI), Y11, Y12; \
	VMASKMOVPS  off(DI), Y11, Y13; \
	VFMADD231PS Y13, Y12, acc; \
	VPADDD      Y10, Y9, Y9

	DOT32_TAIL(0, Y0)
	DOT32_TAIL(32, Y1)
	DOT32_TAIL(64, Y2)
	DOT32_TAIL(96, Y3)
	DOT32_TAIL(128, Y4)
	DOT32_TAIL(160, Y5)
	DOT32_TAIL(192, Y6)
	DOT32_TAIL(224, Y7)

#undef DOT32_TAIL

dot32_reduce: // the combining tree, h = 32, 16, ..., 1
	VADDPS       Y4, Y0, Y0       // h = 32
	VADDPS       Y5, Y1, Y1
	VADDPS       Y6, Y2, Y2
	VADDPS       Y7, Y3, Y3
	VADDPS       Y2, Y0, Y0       // h = 16
	VADDPS       Y3, Y1, Y1
	VADDPS       Y1, Y0, Y0       // h = 8
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0       // h = 4
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0       // h = 2
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0       // h = 1
	VZEROUPPER
	MOVSS        X0, ret+48(FP)
	RET

// func dot64AVX2(x, y []float64) float64
//
//	var acc [32]float64 // lane k of block b: acc[k] = fma(x[32b+k], y[32b+k], acc[k])
//	for b := 0; b < (len(x)+31)/32; b++ { ... } // last block padded with +0
//	for h := 16; h >= 1; h /= 2 { for k := 0; k < h; k++ { acc[k] += acc[k+h] } }
//	return acc[0]
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &x[i], DI = &y[i], CX = elements left; Y0-Y7 = the 32
// lanes of acc (Yj holds acc[4j:4j+4]); Y8-Y15 = x blocks in the main loop;
// in the tail Y8 = count left, Y9 = lane numbers, Y10 = 4 in every lane,
// Y11 = mask, Y12/Y13 = masked x/y.
TEXT ·dot64AVX2(SB), NOSPLIT, $0-56
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	CMPQ   CX, $32
	JB     dot64_tail

dot64_block: // one block of 32 lanes
	VMOVUPD     (SI), Y8
	VMOVUPD     32(SI), Y9
	VMOVUPD     64(SI), Y10
	VMOVUPD     96(SI), Y11
	VMOVUPD     128(SI), Y12
	VMOVUPD     160(SI), Y13
	VMOVUPD     192(SI), Y14
	VMOVUPD     224(SI), Y15
	VFMADD231PD (DI), Y8, Y0      // acc = x*y + acc, rounded once
	VFMADD231PD 32(DI), Y9, Y1
	VFMADD231PD 64(DI), Y10, Y2
	VFMADD231PD 96(DI), Y11, Y3
	VFMADD231PD 128(DI), Y12, Y4
	VFMADD231PD 160(DI), Y13, Y5
	VFMADD231PD 192(DI), Y14, Y6
	VFMADD231PD 224(DI), Y15, Y7
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JAE         dot64_block

dot64_tail: // the last block, 1..31 elements, padded with +0 (see dot32AVX2)
	TESTQ        CX, CX
	JZ           dot64_reduce
	VMOVQ        CX, X8
	VPBROADCASTQ X8, Y8
	VMOVDQU      iota64<>(SB), Y9
	MOVQ         $4, AX
	VMOVQ        AX, X10
	VPBROADCASTQ X10, Y10

#define DOT64_TAIL(off, acc) \
	VPCMPGTQ    Y9, Y8, Y11; \
	VMASKMOVPD  off(SI), Y11, Y12; \
	VMASKMOVPD  off(DI), Y11, Y13; \
	VFMADD231PD Y13, Y12, acc; \
	VPADDQ      Y10, Y9, Y9

	DOT64_TAIL(0, Y0)
	DOT64_TAIL(32, Y1)
	DOT64_TAIL(64, Y2)
	DOT64_TAIL(96, Y3)
	DOT64_TAIL(128, Y4)
	DOT64_TAIL(160, Y5)
	DOT64_TAIL(192, Y6)
	DOT64_TAIL(224, Y7)

#undef DOT64_TAIL

dot64_reduce: // the combining tree, h = 16, 8, ..., 1
	VADDPD       Y4, Y0, Y0       // h = 16
	VADDPD       Y5, Y1, Y1
	VADDPD       Y6, Y2, Y2
	VADDPD       Y7, Y3, Y3
	VADDPD       Y2, Y0, Y0       // h = 8
	VADDPD       Y3, Y1, Y1
	VADDPD       Y1, Y0, Y0       // h = 4
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0       // h = 2
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0       // h = 1
	VZEROUPPER
	MOVSD        X0, ret+48(FP)
	RET

// ---------------------------------------------------------------------------
// SumRows

// func sumRows32AVX2(dst []float32, scale float32, src []float32)
//
//	n, m := len(dst), len(src)/len(dst)
//	for i := range dst {
//		s := src[i]
//		for r := 1; r < m; r++ { s = s + src[r*n+i] }
//		dst[i] = float32(scale * s) // m == 0: dst[i] = 0
//	}
//
// Register-blocked: a tile of 128 columns (16 ymm accumulators) stays in
// registers while all m rows are added in order, so every dst element is
// written once, each row is read as a sequential stream, and 16
// independent add chains hide the add latency. The wide tile matters when
// the row stride is a multiple of 4 KiB (every row of a tile then maps to
// the same L1 sets): at n = 1024, m = 32 it measured ~1.6 us against
// ~1.9 us with 8 accumulators, on a Zen 3 EPYC.
// Columns left over go through a tile of 64 (8 ymm), tiles of 32 (4 ymm),
// and the last 1..31 with masked loads and stores.
// Requires: AVX, AVX2
// Registers: SI = &src[i] (row 0 of the tile), DI = &dst[i], CX = columns
// left, R8 = row stride in bytes (4n), R9 = m, R10 = &src[r*n+i],
// R11 = rows left. Wide tile: Y0-Y15 = column sums, scale broadcast in the
// 32-byte frame at (SP). Narrower tiles: Y0-Y7 or Y0-Y3 = column sums,
// Y15 = scale; masked tile: Y4-Y7 = lane masks, Y8-Y11 = masked rows.
TEXT ·sumRows32AVX2(SB), NOSPLIT, $32-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	MOVQ         src_base+32(FP), SI
	MOVQ         src_len+40(FP), AX
	XORL         DX, DX
	DIVQ         CX               // AX = m = len(src) / n
	MOVQ         AX, R9
	MOVQ         CX, R8
	SHLQ         $2, R8
	VBROADCASTSS scale+24(FP), Y15
	TESTQ        R9, R9
	JZ           sumRows32_zero
	VMOVUPS      Y15, (SP)
	CMPQ         CX, $128
	JB           sumRows32_by64

sumRows32_by128:
	VMOVUPS 0(SI), Y0           // s = src[i], row 0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMOVUPS 128(SI), Y4
	VMOVUPS 160(SI), Y5
	VMOVUPS 192(SI), Y6
	VMOVUPS 224(SI), Y7
	VMOVUPS 256(SI), Y8
	VMOVUPS 288(SI), Y9
	VMOVUPS 320(SI), Y10
	VMOVUPS 352(SI), Y11
	VMOVUPS 384(SI), Y12
	VMOVUPS 416(SI), Y13
	VMOVUPS 448(SI), Y14
	VMOVUPS 480(SI), Y15
	LEAQ    (SI)(R8*1), R10
	LEAQ    -1(R9), R11
	TESTQ   R11, R11
	JZ      sumRows32_by128_store

sumRows32_by128_row:
	VADDPS 0(R10), Y0, Y0       // s = s + src[r*n+i], rows in order
	VADDPS 32(R10), Y1, Y1
	VADDPS 64(R10), Y2, Y2
	VADDPS 96(R10), Y3, Y3
	VADDPS 128(R10), Y4, Y4
	VADDPS 160(R10), Y5, Y5
	VADDPS 192(R10), Y6, Y6
	VADDPS 224(R10), Y7, Y7
	VADDPS 256(R10), Y8, Y8
	VADDPS 288(R10), Y9, Y9
	VADDPS 320(R10), Y10, Y10
	VADDPS 352(R10), Y11, Y11
	VADDPS 384(R10), Y12, Y12
	VADDPS 416(R10), Y13, Y13
	VADDPS 448(R10), Y14, Y14
	VADDPS 480(R10), Y15, Y15
	ADDQ   R8, R10
	DECQ   R11
	JNZ    sumRows32_by128_row

sumRows32_by128_store:
	VMULPS (SP), Y0, Y0          // dst = scale*s
	VMULPS (SP), Y1, Y1
	VMULPS (SP), Y2, Y2
	VMULPS (SP), Y3, Y3
	VMULPS (SP), Y4, Y4
	VMULPS (SP), Y5, Y5
	VMULPS (SP), Y6, Y6
	VMULPS (SP), Y7, Y7
	VMULPS (SP), Y8, Y8
	VMULPS (SP), Y9, Y9
	VMULPS (SP), Y10, Y10
	VMULPS (SP), Y11, Y11
	VMULPS (SP), Y12, Y12
	VMULPS (SP), Y13, Y13
	VMULPS (SP), Y14, Y14
	VMULPS (SP), Y15, Y15
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)
	VMOVUPS Y12, 384(DI)
	VMOVUPS Y13, 416(DI)
	VMOVUPS Y14, 448(DI)
	VMOVUPS Y15, 480(DI)
	ADDQ    $512, SI
	ADDQ    $512, DI
	SUBQ    $128, CX
	CMPQ    CX, $128
	JAE     sumRows32_by128
	VMOVUPS (SP), Y15 // the scale, for the narrower tiles

sumRows32_by64: // at most once: 8 accumulators
	CMPQ    CX, $64
	JB      sumRows32_by32
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMOVUPS 128(SI), Y4
	VMOVUPS 160(SI), Y5
	VMOVUPS 192(SI), Y6
	VMOVUPS 224(SI), Y7
	LEAQ    (SI)(R8*1), R10
	LEAQ    -1(R9), R11
	TESTQ   R11, R11
	JZ      sumRows32_by64_store

sumRows32_by64_row:
	VADDPS 0(R10), Y0, Y0
	VADDPS 32(R10), Y1, Y1
	VADDPS 64(R10), Y2, Y2
	VADDPS 96(R10), Y3, Y3
	VADDPS 128(R10), Y4, Y4
	VADDPS 160(R10), Y5, Y5
	VADDPS 192(R10), Y6, Y6
	VADDPS 224(R10), Y7, Y7
	ADDQ   R8, R10
	DECQ   R11
	JNZ    sumRows32_by64_row

sumRows32_by64_store:
	VMULPS Y15, Y0, Y0
	VMULPS Y15, Y1, Y1
	VMULPS Y15, Y2, Y2
	VMULPS Y15, Y3, Y3
	VMULPS Y15, Y4, Y4
	VMULPS Y15, Y5, Y5
	VMULPS Y15, Y6, Y6
	VMULPS Y15, Y7, Y7
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX

sumRows32_by32:
	CMPQ    CX, $32
	JB      sumRows32_tail
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	LEAQ    (SI)(R8*1), R10
	LEAQ    -1(R9), R11
	TESTQ   R11, R11
	JZ      sumRows32_by32_store

sumRows32_by32_row:
	VADDPS 0(R10), Y0, Y0
	VADDPS 32(R10), Y1, Y1
	VADDPS 64(R10), Y2, Y2
	VADDPS 96(R10), Y3, Y3
	ADDQ   R8, R10
	DECQ   R11
	JNZ    sumRows32_by32_row

sumRows32_by32_store:
	VMULPS Y15, Y0, Y0
	VMULPS Y15, Y1, Y1
	VMULPS Y15, Y2, Y2
	VMULPS Y15, Y3, Y3
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	JMP     sumRows32_by32

sumRows32_tail: // 0..31 columns left: four masked vectors
	TESTQ      CX, CX
	JZ         sumRows32_done
	MOVQ       CX, AX
	LANEMASK32(AX, X4, Y4)  // lanes of vector j inside: CX - 8j > lane
	SUBQ       $8, AX
	LANEMASK32(AX, X5, Y5)
	SUBQ       $8, AX
	LANEMASK32(AX, X6, Y6)
	SUBQ       $8, AX
	LANEMASK32(AX, X7, Y7)
	VMASKMOVPS 0(SI), Y4, Y0
	VMASKMOVPS 32(SI), Y5, Y1
	VMASKMOVPS 64(SI), Y6, Y2
	VMASKMOVPS 96(SI), Y7, Y3
	LEAQ       (SI)(R8*1), R10
	LEAQ       -1(R9), R11
	TESTQ      R11, R11
	JZ         sumRows32_tail_store

sumRows32_tail_row:
	VMASKMOVPS 0(R10), Y4, Y8
	VMASKMOVPS 32(R10), Y5, Y9
	VMASKMOVPS 64(R10), Y6, Y10
	VMASKMOVPS 96(R10), Y7, Y11
	VADDPS     Y8, Y0, Y0
	VADDPS     Y9, Y1, Y1
	VADDPS     Y10, Y2, Y2
	VADDPS     Y11, Y3, Y3
	ADDQ       R8, R10
	DECQ       R11
	JNZ        sumRows32_tail_row

sumRows32_tail_store:
	VMULPS     Y15, Y0, Y0
	VMULPS     Y15, Y1, Y1
	VMULPS     Y15, Y2, Y2
	VMULPS     Y15, Y3, Y3
	VMASKMOVPS Y0, Y4, 0(DI)
	VMASKMOVPS Y1, Y5, 32(DI)
	VMASKMOVPS Y2, Y6, 64(DI)
	VMASKMOVPS Y3, Y7, 96(DI)
	JMP        sumRows32_done

sumRows32_zero: // m == 0: dst[i] = +0
	VXORPS Y0, Y0, Y0

sumRows32_zero_by8:
	CMPQ    CX, $8
	JB      sumRows32_zero_tail
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     sumRows32_zero_by8

sumRows32_zero_tail:
	TESTQ      CX, CX
	JZ         sumRows32_done
	MASK32(CX)
	VMASKMOVPS Y0, Y14, (DI)

sumRows32_done:
	VZEROUPPER
	RET

// func sumRows64AVX2(dst []float64, scale float64, src []float64)
//
//	n, m := len(dst), len(src)/len(dst)
//	for i := range dst {
//		s := src[i]
//		for r := 1; r < m; r++ { s = s + src[r*n+i] }
//		dst[i] = float64(scale * s) // m == 0: dst[i] = 0
//	}
//
// Register-blocked like sumRows32AVX2: tiles of 64 columns (16 ymm), then
// one of 32 (8 ymm), tiles of 16 (4 ymm), the last 1..15 masked.
// Requires: AVX, AVX2
// Registers: SI = &src[i] (row 0 of the tile), DI = &dst[i], CX = columns
// left, R8 = row stride in bytes (8n), R9 = m, R10 = &src[r*n+i],
// R11 = rows left. Wide tile: Y0-Y15 = column sums, scale broadcast in the
// 32-byte frame at (SP). Narrower tiles: Y0-Y7 or Y0-Y3 = column sums,
// Y15 = scale; masked tile: Y4-Y7 = lane masks, Y8-Y11 = masked rows.
TEXT ·sumRows64AVX2(SB), NOSPLIT, $32-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	MOVQ         src_base+32(FP), SI
	MOVQ         src_len+40(FP), AX
	XORL         DX, DX
	DIVQ         CX               // AX = m = len(src) / n
	MOVQ         AX, R9
	MOVQ         CX, R8
	SHLQ         $3, R8
	VBROADCASTSD scale+24(FP), Y15
	TESTQ        R9, R9
	JZ           sumRows64_zero
	VMOVUPD      Y15, (SP)
	CMPQ         CX, $64
	JB           sumRows64_by32

sumRows64_by64:
	VMOVUPD 0(SI), Y0           // s = src[i], row 0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VMOVUPD 128(SI), Y4
	VMOVUPD 160(SI), Y5
	VMOVUPD 192(SI), Y6
	VMOVUPD 224(SI), Y7
	VMOVUPD 256(SI), Y8
	VMOVUPD 288(SI), Y9
	VMOVUPD 320(SI), Y10
	VMOVUPD 352(SI), Y11
	VMOVUPD 384(SI), Y12
	VMOVUPD 416(SI), Y13
	VMOVUPD 448(SI), Y14
	VMOVUPD 480(SI), Y15
	LEAQ    (SI)(R8*1), R10
	LEAQ    -1(R9), R11
	TESTQ   R11, R11
	JZ      sumRows64_by64_store

sumRows64_by64_row:
	VADDPD 0(R10), Y0, Y0       // s = s + src[r*n+i], rows in order
	VADDPD 32(R10), Y1, Y1
	VADDPD 64(R10), Y2, Y2
	VADDPD 96(R10), Y3, Y3
	VADDPD 128(R10), Y4, Y4
	VADDPD 160(R10), Y5, Y5
	VADDPD 192(R10), Y6, Y6
	VADDPD 224(R10), Y7, Y7
	VADDPD 256(R10), Y8, Y8
	VADDPD 288(R10), Y9, Y9
	VADDPD 320(R10), Y10, Y10
	VADDPD 352(R10), Y11, Y11
	VADDPD 384(R10), Y12, Y12
	VADDPD 416(R10), Y13, Y13
	VADDPD 448(R10), Y14, Y14
	VADDPD 480(R10), Y15, Y15
	ADDQ   R8, R10
	DECQ   R11
	JNZ    sumRows64_by64_row

sumRows64_by64_store:
	VMULPD (SP), Y0, Y0          // dst = scale*s
	VMULPD (SP), Y1, Y1
	VMULPD (SP), Y2, Y2
	VMULPD (SP), Y3, Y3
	VMULPD (SP), Y4, Y4
	VMULPD (SP), Y5, Y5
	VMULPD (SP), Y6, Y6
	VMULPD (SP), Y7, Y7
	VMULPD (SP), Y8, Y8
	VMULPD (SP), Y9, Y9
	VMULPD (SP), Y10, Y10
	VMULPD (SP), Y11, Y11
	VMULPD (SP), Y12, Y12
	VMULPD (SP), Y13, Y13
	VMULPD (SP), Y14, Y14
	VMULPD (SP), Y15, Y15
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	VMOVUPD Y8, 256(DI)
	VMOVUPD Y9, 288(DI)
	VMOVUPD Y10, 320(DI)
	VMOVUPD Y11, 352(DI)
	VMOVUPD Y12, 384(DI)
	VMOVUPD Y13, 416(DI)
	VMOVUPD Y14, 448(DI)
	VMOVUPD Y15, 480(DI)
	ADDQ    $512, SI
	ADDQ    $512, DI
	SUBQ    $64, CX
	CMPQ    CX, $64
	JAE     sumRows64_by64
	VMOVUPD (SP), Y15 // the scale, for the narrower tiles

sumRows64_by32: // at most once: 8 accumulators
	CMPQ    CX, $32
	JB      sumRows64_by16
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VMOVUPD 128(SI), Y4
	VMOVUPD 160(SI), Y5
	VMOVUPD 192(SI), Y6
	VMOVUPD 224(SI), Y7
	LEAQ    (SI)(R8*1), R10
	LEAQ    -1(R9), R11
	TESTQ   R11, R11
	JZ      sumRows64_by32_store

sumRows64_by32_row:
	VADDPD 0(R10), Y0, Y0
	VADDPD 32(R10), Y1, Y1
	VADDPD 64(R10), Y2, Y2
	VADDPD 96(R10), Y3, Y3
	VADDPD 128(R10), Y4, Y4
	VADDPD 160(R10), Y5, Y5
	VADDPD 192(R10), Y6, Y6
	VADDPD 224(R10), Y7, Y7
	ADDQ   R8, R10
	DECQ   R11
	JNZ    sumRows64_by32_row

sumRows64_by32_store:
	VMULPD Y15, Y0, Y0
	VMULPD Y15, Y1, Y1
	VMULPD Y15, Y2, Y2
	VMULPD Y15, Y3, Y3
	VMULPD Y15, Y4, Y4
	VMULPD Y15, Y5, Y5
	VMULPD Y15, Y6, Y6
	VMULPD Y15, Y7, Y7
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $32, CX

sumRows64_by16:
	CMPQ    CX, $16
	JB      sumRows64_tail
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	LEAQ    (SI)(R8*1), R10
	LEAQ    -1(R9), R11
	TESTQ   R11, R11
	JZ      sumRows64_by16_store

sumRows64_by16_row:
	VADDPD 0(R10), Y0, Y0
	VADDPD 32(R10), Y1, Y1
	VADDPD 64(R10), Y2, Y2
	VADDPD 96(R10), Y3, Y3
	ADDQ   R8, R10
	DECQ   R11
	JNZ    sumRows64_by16_row

sumRows64_by16_store:
	VMULPD Y15, Y0, Y0
	VMULPD Y15, Y1, Y1
	VMULPD Y15, Y2, Y2
	VMULPD Y15, Y3, Y3
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $16, CX
	JMP     sumRows64_by16

sumRows64_tail: // 0..15 columns left: four masked vectors
	TESTQ      CX, CX
	JZ         sumRows64_done
	MOVQ       CX, AX
	LANEMASK64(AX, X4, Y4)  // lanes of vector j inside: CX - 4j > lane
	SUBQ       $4, AX
	LANEMASK64(AX, X5, Y5)
	SUBQ       $4, AX
	LANEMASK64(AX, X6, Y6)
	SUBQ       $4, AX
	LANEMASK64(AX, X7, Y7)
	VMASKMOVPD 0(SI), Y4, Y0
	VMASKMOVPD 32(SI), Y5, Y1
	VMASKMOVPD 64(SI), Y6, Y2
	VMASKMOVPD 96(SI), Y7, Y3
	LEAQ       (SI)(R8*1), R10
	LEAQ       -1(R9), R11
	TESTQ      R11, R11
	JZ         sumRows64_tail_store

sumRows64_tail_row:
	VMASKMOVPD 0(R10), Y4, Y8
	VMASKMOVPD 32(R10), Y5, Y9
	VMASKMOVPD 64(R10), Y6, Y10
	VMASKMOVPD 96(R10), Y7, Y11
	VADDPD     Y8, Y0, Y0
	VADDPD     Y9, Y1, Y1
	VADDPD     Y10, Y2, Y2
	VADDPD     Y11, Y3, Y3
	ADDQ       R8, R10
	DECQ       R11
	JNZ        sumRows64_tail_row

sumRows64_tail_store:
	VMULPD     Y15, Y0, Y0
	VMULPD     Y15, Y1, Y1
	VMULPD     Y15, Y2, Y2
	VMULPD     Y15, Y3, Y3
	VMASKMOVPD Y0, Y4, 0(DI)
	VMASKMOVPD Y1, Y5, 32(DI)
	VMASKMOVPD Y2, Y6, 64(DI)
	VMASKMOVPD Y3, Y7, 96(DI)
	JMP        sumRows64_done

sumRows64_zero: // m == 0: dst[i] = +0
	VXORPD Y0, Y0, Y0

sumRows64_zero_by4:
	CMPQ    CX, $4
	JB      sumRows64_zero_tail
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $4, CX
	JMP     sumRows64_zero_by4

sumRows64_zero_tail:
	TESTQ      CX, CX
	JZ         sumRows64_done
	MASK64(CX)
	VMASKMOVPD Y0, Y14, (DI)

sumRows64_done:
	VZEROUPPER
	RET
