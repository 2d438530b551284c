//go:build !purego

#include "textflag.h"

// NEON (ASIMD) kernels of the neon path: Axpy, Axpby, Scale, Dot, SumRows,
// MomentumStep and BatchMomentumStep, float32 and float64. Each computes
// exactly what its twin in package kernels computes, operation for
// operation, so the results are bit-identical (see kernels/kernels.go):
//
//   - a fused multiply-add of the specification is one FMLA lane (vector)
//     or one FMADD (scalar tail), every other operation one FMUL, FADD or
//     FNEG lane: nothing is fused that the specification rounds twice;
//   - elements are independent lanes, so the order of the loop does not
//     matter, except in Dot (canonical lanes and combining tree) and in
//     SumRows and BatchMomentumStep (rows added in order, per column);
//   - tails run on scalar registers (one element at a time), and Dot's
//     last partial block is copied into a zeroed buffer on the stack:
//     nothing outside the slices is read or written.
//
// The Go assembler has no vector FADD, FMUL, FNEG or FADDP: those are
// WORDs whose comment is the GNU mnemonic. Never edit a WORD by hand:
// change the mnemonic and run "go run ./gen" (gen/README.md), which
// re-encodes every WORD with GNU as through asm2plan9s; gen/words_test.go
// decodes each WORD and checks it against its comment.
//
// Schedule: the main loops are written for cores with 2 to 4 FMA/FADD
// pipes of latency 3-4 (Neoverse N1/V1/V2, Cortex-A76+, Apple M): each
// iteration issues 4 to 16 independent FMLA/FADD/FMUL on different
// registers, so the pipes stay busy without waiting on a result, and the
// out-of-order core overlaps consecutive iterations (loads of the next one
// do not depend on the arithmetic of this one).
//
// Instructions per element of each main loop (float32; float64 has half
// the lanes, so twice as many), loads and stores of 4 q registers each:
//   Axpy      32 per iteration: 4 LD1, 8 FMLA, 2 ST1, SUBS, BNE        0.50
//   Axpby     32: 4 LD1, 8 FMUL, 8 FMLA, 2 ST1, SUBS, BNE              0.75
//   Scale     32: 2 LD1, 8 FMUL, 2 ST1, SUBS, BNE                      0.44
//   Dot       64: 8 LD1, 16 FMLA, SUBS, BNE                            0.41
//   SumRows   per row of a 32-column tile: 2 LD1, 8 FADD, SUBS, BNE    0.38
//             per element of src, plus 8 FMUL, 2 ST1 per tile
//   MomentumStep, 16 per iteration, by flags: plain SGD (Mu == 0) 13,
//             heavy ball (Mu, history) 24, every flag on 37 instructions:
//             0.81, 1.50, 2.31 (of which 4, 5 and 6 are loop-invariant
//             TBZ/TBNZ/B on the mode bits, predicted)
//   BatchMomentumStep: rows as SumRows (0.38 per element of rows), then
//             per column the MomentumStep update (heavy ball ~2.3)
//
// The callers (kernels_arm64.go) guarantee len(x) == len(y) > 0; for
// SumRows len(dst) > 0 and len(src) a multiple of it; for the momentum
// kernels len(p) > 0, len(g) == len(p) (len(rows) a multiple of it), and
// len(v) == len(p) when mode has momentumMu.
//
// Aliasing: any two slice arguments may be the same slice, with the order
// of reads and writes of kernels/ (its package documentation): the
// momentum kernels read p[i] again after writing v[i].
//
// Momentum mode bits (kernels_arm64.go sets them from Momentum):
//   bit 0: Maximize (g' = -g)     bit 1: WeightDecay != 0
//   bit 2: Mu != 0 (v is used)    bit 3: !Fresh (v is read)
//   bit 4: Nesterov

// ---------------------------------------------------------------------------
// Axpy

// func axpy32NEON(alpha float32, x, y []float32)
//
//    for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
// Requires: ASIMD
// Registers: R0 = &x[i], R1 = &y[i] (stores), R4 = &y[i] (loads), R3 =
// iterations left, R2 = elements left after them, V31 = alpha in every
// lane, V0-V7 = x and V8-V15 = y: 32 elements, 8 independent FMLA per
// iteration; then 4 elements per iteration, then one.
TEXT ·axpy32NEON(SB), NOSPLIT, $0-56
	MOVD   x_base+8(FP), R0
	MOVD   x_len+16(FP), R2
	MOVD   y_base+32(FP), R1
	FMOVS  alpha+0(FP), F31
	VDUP   V31.S[0], V31.S4
	MOVD   R1, R4
	LSR    $5, R2, R3
	AND    $31, R2, R2
	CBZ    R3, axpy32_vec

axpy32_by32:
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R4), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R4), [V12.S4, V13.S4, V14.S4, V15.S4]
	VFMLA  V31.S4, V0.S4, V8.S4                     // y = fma(alpha, x, y)
	VFMLA  V31.S4, V1.S4, V9.S4
	VFMLA  V31.S4, V2.S4, V10.S4
	VFMLA  V31.S4, V3.S4, V11.S4
	VFMLA  V31.S4, V4.S4, V12.S4
	VFMLA  V31.S4, V5.S4, V13.S4
	VFMLA  V31.S4, V6.S4, V14.S4
	VFMLA  V31.S4, V7.S4, V15.S4
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], 64(R1)
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R1)
	SUBS   $1, R3, R3
	BNE    axpy32_by32

axpy32_vec:
	LSR    $2, R2, R3
	AND    $3, R2, R2
	CBZ    R3, axpy32_tail

axpy32_by4:
	VLD1.P 16(R0), [V0.S4]
	VLD1.P 16(R4), [V8.S4]
	VFMLA  V31.S4, V0.S4, V8.S4
	VST1.P [V8.S4], 16(R1)
	SUBS   $1, R3, R3
	BNE    axpy32_by4

axpy32_tail:
	CBZ    R2, axpy32_done

axpy32_by1:
	FMOVS.P 4(R0), F0
	FMOVS   (R1), F8
	FMADDS  F31, F8, F0, F8                         // y = fma(x, alpha, y)
	FMOVS.P F8, 4(R1)
	SUBS    $1, R2, R2
	BNE     axpy32_by1

axpy32_done:
	RET

// ---------------------------------------------------------------------------
// Axpby

// func axpby32NEON(alpha float32, x []float32, beta float32, y []float32)
//
//    for i := range x { y[i] = fma(alpha, x[i], float32(beta*y[i])) }
//
// Requires: ASIMD
// Registers: as axpy32NEON, with V30 = beta in every lane: per iteration
// 8 independent FMUL, then 8 independent FMLA on their results.
TEXT ·axpby32NEON(SB), NOSPLIT, $0-64
	MOVD   x_base+8(FP), R0
	MOVD   x_len+16(FP), R2
	MOVD   y_base+40(FP), R1
	FMOVS  alpha+0(FP), F31
	VDUP   V31.S[0], V31.S4
	FMOVS  beta+32(FP), F30
	VDUP   V30.S[0], V30.S4
	MOVD   R1, R4
	LSR    $5, R2, R3
	AND    $31, R2, R2
	CBZ    R3, axpby32_vec

axpby32_by32:
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R4), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R4), [V12.S4, V13.S4, V14.S4, V15.S4]
	WORD $0x6e3edd08 // fmul v8.4s, v8.4s, v30.4s /* beta*y, rounded */
	WORD $0x6e3edd29 // fmul v9.4s, v9.4s, v30.4s
	WORD $0x6e3edd4a // fmul v10.4s, v10.4s, v30.4s
	WORD $0x6e3edd6b // fmul v11.4s, v11.4s, v30.4s
	WORD $0x6e3edd8c // fmul v12.4s, v12.4s, v30.4s
	WORD $0x6e3eddad // fmul v13.4s, v13.4s, v30.4s
	WORD $0x6e3eddce // fmul v14.4s, v14.4s, v30.4s
	WORD $0x6e3eddef // fmul v15.4s, v15.4s, v30.4s
	VFMLA  V31.S4, V0.S4, V8.S4                     // y = fma(alpha, x, beta*y)
	VFMLA  V31.S4, V1.S4, V9.S4
	VFMLA  V31.S4, V2.S4, V10.S4
	VFMLA  V31.S4, V3.S4, V11.S4
	VFMLA  V31.S4, V4.S4, V12.S4
	VFMLA  V31.S4, V5.S4, V13.S4
	VFMLA  V31.S4, V6.S4, V14.S4
	VFMLA  V31.S4, V7.S4, V15.S4
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], 64(R1)
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R1)
	SUBS   $1, R3, R3
	BNE    axpby32_by32

axpby32_vec:
	LSR    $2, R2, R3
	AND    $3, R2, R2
	CBZ    R3, axpby32_tail

axpby32_by4:
	VLD1.P 16(R0), [V0.S4]
	VLD1.P 16(R4), [V8.S4]
	WORD $0x6e3edd08 // fmul v8.4s, v8.4s, v30.4s
	VFMLA  V31.S4, V0.S4, V8.S4
	VST1.P [V8.S4], 16(R1)
	SUBS   $1, R3, R3
	BNE    axpby32_by4

axpby32_tail:
	CBZ    R2, axpby32_done

axpby32_by1:
	FMOVS.P 4(R0), F0
	FMOVS   (R1), F8
	FMULS   F30, F8, F8                             // beta*y
	FMADDS  F31, F8, F0, F8                         // y = fma(x, alpha, beta*y)
	FMOVS.P F8, 4(R1)
	SUBS    $1, R2, R2
	BNE     axpby32_by1

axpby32_done:
	RET

// ---------------------------------------------------------------------------
// Scale

// func scale32NEON(alpha float32, x []float32)
//
//    for i := range x { x[i] = float32(alpha * x[i]) }
//
// Requires: ASIMD
// Registers: R0 = &x[i] (loads), R1 = &x[i] (stores), R3 = iterations
// left, R2 = elements left after them, V31 = alpha in every lane, V0-V7 =
// x: 32 elements, 8 independent FMUL per iteration; then 4, then one.
TEXT ·scale32NEON(SB), NOSPLIT, $0-32
	MOVD   x_base+8(FP), R0
	MOVD   x_len+16(FP), R2
	FMOVS  alpha+0(FP), F31
	VDUP   V31.S[0], V31.S4
	MOVD   R0, R1
	LSR    $5, R2, R3
	AND    $31, R2, R2
	CBZ    R3, scale32_vec

scale32_by32:
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s /* x = alpha*x */
	WORD $0x6e3fdc21 // fmul v1.4s, v1.4s, v31.4s
	WORD $0x6e3fdc42 // fmul v2.4s, v2.4s, v31.4s
	WORD $0x6e3fdc63 // fmul v3.4s, v3.4s, v31.4s
	WORD $0x6e3fdc84 // fmul v4.4s, v4.4s, v31.4s
	WORD $0x6e3fdca5 // fmul v5.4s, v5.4s, v31.4s
	WORD $0x6e3fdcc6 // fmul v6.4s, v6.4s, v31.4s
	WORD $0x6e3fdce7 // fmul v7.4s, v7.4s, v31.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R1)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R1)
	SUBS   $1, R3, R3
	BNE    scale32_by32

scale32_vec:
	LSR    $2, R2, R3
	AND    $3, R2, R2
	CBZ    R3, scale32_tail

scale32_by4:
	VLD1.P 16(R0), [V0.S4]
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s
	VST1.P [V0.S4], 16(R1)
	SUBS   $1, R3, R3
	BNE    scale32_by4

scale32_tail:
	CBZ    R2, scale32_done

scale32_by1:
	FMOVS   (R1), F0
	FMULS   F31, F0, F0                             // x = x*alpha
	FMOVS.P F0, 4(R1)
	SUBS    $1, R2, R2
	BNE     scale32_by1

scale32_done:
	RET

// ---------------------------------------------------------------------------
// Dot

// func dot32NEON(x, y []float32) float32
//
//    kernels.Dot for float32: 64 lanes, lane k takes
//    acc[k] = fma(x[64b+k], y[64b+k], acc[k]) for blocks b in order (the
//    last one padded with +0), then acc[k] += acc[k+h] for h = 32, ..., 1;
//    the result is acc[0].
//
// Requires: ASIMD
// Registers: V0-V15 = acc[0:64] (lane k is V(k/4) lane k%4), V16-V23 = x,
// V24-V31 = y; R0 = &x[i], R1 = &y[i], R2 = full blocks left, R3 = length
// of the last partial block. 16 independent FMLA per block of 64. The
// partial block is copied into buf (x at buf[0:64], y at buf[64:128]),
// zeroed first, and run through the same loop once.
TEXT ·dot32NEON(SB), $512-52
	MOVD   x_base+0(FP), R0
	MOVD   x_len+8(FP), R2
	MOVD   y_base+24(FP), R1
	AND    $63, R2, R3
	LSR    $6, R2, R2
	VEOR   V0.B16, V0.B16, V0.B16                  // acc = +0
	VEOR   V1.B16, V1.B16, V1.B16
	VEOR   V2.B16, V2.B16, V2.B16
	VEOR   V3.B16, V3.B16, V3.B16
	VEOR   V4.B16, V4.B16, V4.B16
	VEOR   V5.B16, V5.B16, V5.B16
	VEOR   V6.B16, V6.B16, V6.B16
	VEOR   V7.B16, V7.B16, V7.B16
	VEOR   V8.B16, V8.B16, V8.B16
	VEOR   V9.B16, V9.B16, V9.B16
	VEOR   V10.B16, V10.B16, V10.B16
	VEOR   V11.B16, V11.B16, V11.B16
	VEOR   V12.B16, V12.B16, V12.B16
	VEOR   V13.B16, V13.B16, V13.B16
	VEOR   V14.B16, V14.B16, V14.B16
	VEOR   V15.B16, V15.B16, V15.B16
	CBZ    R2, dot32_last

dot32_block:
	VLD1.P 64(R0), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R1), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1.P 64(R0), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1.P 64(R1), [V28.S4, V29.S4, V30.S4, V31.S4]
	VFMLA  V24.S4, V16.S4, V0.S4                   // acc[0:4] = fma(x, y, acc)
	VFMLA  V25.S4, V17.S4, V1.S4
	VFMLA  V26.S4, V18.S4, V2.S4
	VFMLA  V27.S4, V19.S4, V3.S4
	VFMLA  V28.S4, V20.S4, V4.S4
	VFMLA  V29.S4, V21.S4, V5.S4
	VFMLA  V30.S4, V22.S4, V6.S4
	VFMLA  V31.S4, V23.S4, V7.S4
	VLD1.P 64(R0), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R1), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1.P 64(R0), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1.P 64(R1), [V28.S4, V29.S4, V30.S4, V31.S4]
	VFMLA  V24.S4, V16.S4, V8.S4                   // acc[32:36]
	VFMLA  V25.S4, V17.S4, V9.S4
	VFMLA  V26.S4, V18.S4, V10.S4
	VFMLA  V27.S4, V19.S4, V11.S4
	VFMLA  V28.S4, V20.S4, V12.S4
	VFMLA  V29.S4, V21.S4, V13.S4
	VFMLA  V30.S4, V22.S4, V14.S4
	VFMLA  V31.S4, V23.S4, V15.S4
	SUBS   $1, R2, R2
	BNE    dot32_block

dot32_last:
	CBZ    R3, dot32_reduce
	MOVD   $buf-512(SP), R4                         // zero buf[0:128]
	MOVD   R4, R5
	VEOR   V16.B16, V16.B16, V16.B16
	VEOR   V17.B16, V17.B16, V17.B16
	VEOR   V18.B16, V18.B16, V18.B16
	VEOR   V19.B16, V19.B16, V19.B16
	MOVD   $8, R6

dot32_zero:
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R5)
	SUBS   $1, R6, R6
	BNE    dot32_zero
	MOVD   R4, R5                                   // buf[0:r] = x[i:], buf[64:64+r] = y[i:]
	ADD    $256, R4, R6
	MOVD   R3, R7

dot32_copy:
	MOVWU.P 4(R0), R8
	MOVW.P  R8, 4(R5)
	MOVWU.P 4(R1), R8
	MOVW.P  R8, 4(R6)
	SUBS    $1, R7, R7
	BNE     dot32_copy
	MOVD   R4, R0                                   // one more block, from buf
	ADD    $256, R4, R1
	MOVD   $1, R2
	MOVD   $0, R3
	B      dot32_block

dot32_reduce:
	WORD $0x4e28d400 // fadd v0.4s, v0.4s, v8.4s /* h = 32 */
	WORD $0x4e29d421 // fadd v1.4s, v1.4s, v9.4s
	WORD $0x4e2ad442 // fadd v2.4s, v2.4s, v10.4s
	WORD $0x4e2bd463 // fadd v3.4s, v3.4s, v11.4s
	WORD $0x4e2cd484 // fadd v4.4s, v4.4s, v12.4s
	WORD $0x4e2dd4a5 // fadd v5.4s, v5.4s, v13.4s
	WORD $0x4e2ed4c6 // fadd v6.4s, v6.4s, v14.4s
	WORD $0x4e2fd4e7 // fadd v7.4s, v7.4s, v15.4s
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s /* h = 16 */
	WORD $0x4e25d421 // fadd v1.4s, v1.4s, v5.4s
	WORD $0x4e26d442 // fadd v2.4s, v2.4s, v6.4s
	WORD $0x4e27d463 // fadd v3.4s, v3.4s, v7.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s /* h = 8 */
	WORD $0x4e23d421 // fadd v1.4s, v1.4s, v3.4s
	WORD $0x4e21d400 // fadd v0.4s, v0.4s, v1.4s /* h = 4 */
	VEXT   $8, V0.B16, V0.B16, V1.B16              // V1 lanes 0, 1 = acc[2], acc[3]
	WORD $0x0e21d400 // fadd v0.2s, v0.2s, v1.2s /* h = 2 */
	WORD $0x7e30d800 // faddp s0, v0.2s /* h = 1: acc[0] + acc[1] */
	FMOVS  F0, ret+48(FP)
	RET

// ---------------------------------------------------------------------------
// SumRows

// func sumRows32NEON(dst []float32, scale float32, src []float32)
//
//    n, m := len(dst), len(src)/len(dst)
//    for i := range dst {
//        s := src[i]
//        for r := 1; r < m; r++ { s = s + src[r*n+i] }
//        dst[i] = float32(scale * s) // m == 0: dst[i] = 0
//    }
//
// Requires: ASIMD
// Registers: R0 = &dst[i], R1 = &src[0][i] (top of the column block),
// R5 = n*4 (row stride in bytes), R4 = m, R2 = column blocks left, R3 =
// columns left after them, R7/R8 = the two halves of the block in row r,
// R9 = rows left; V31 = scale, V0-V7 = s for 32 columns, V8-V15 = row r:
// 8 independent FADD per row; then blocks of 4 columns, then single ones.
TEXT ·sumRows32NEON(SB), NOSPLIT, $0-56
	MOVD   dst_base+0(FP), R0
	MOVD   dst_len+8(FP), R2
	MOVD   src_base+32(FP), R1
	MOVD   src_len+40(FP), R4
	FMOVS  scale+24(FP), F31
	VDUP   V31.S[0], V31.S4
	UDIV   R2, R4, R4                              // m = len(src)/n
	LSL    $2, R2, R5
	CBZ    R4, sumrows32_zero
	LSR    $5, R2, R6
	AND    $31, R2, R3
	CBZ    R6, sumrows32_vec

sumrows32_by32:
	MOVD   R1, R7
	ADD    $64, R1, R8
	VLD1.P (R7)(R5), [V0.S4, V1.S4, V2.S4, V3.S4] // s = src[i]
	VLD1.P (R8)(R5), [V4.S4, V5.S4, V6.S4, V7.S4]
	SUBS   $1, R4, R9
	BEQ    sumrows32_scale32

sumrows32_rows32:
	VLD1.P (R7)(R5), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P (R8)(R5), [V12.S4, V13.S4, V14.S4, V15.S4]
	WORD $0x4e28d400 // fadd v0.4s, v0.4s, v8.4s /* s = s + src[r*n+i] */
	WORD $0x4e29d421 // fadd v1.4s, v1.4s, v9.4s
	WORD $0x4e2ad442 // fadd v2.4s, v2.4s, v10.4s
	WORD $0x4e2bd463 // fadd v3.4s, v3.4s, v11.4s
	WORD $0x4e2cd484 // fadd v4.4s, v4.4s, v12.4s
	WORD $0x4e2dd4a5 // fadd v5.4s, v5.4s, v13.4s
	WORD $0x4e2ed4c6 // fadd v6.4s, v6.4s, v14.4s
	WORD $0x4e2fd4e7 // fadd v7.4s, v7.4s, v15.4s
	SUBS   $1, R9, R9
	BNE    sumrows32_rows32

sumrows32_scale32:
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s /* dst = scale*s */
	WORD $0x6e3fdc21 // fmul v1.4s, v1.4s, v31.4s
	WORD $0x6e3fdc42 // fmul v2.4s, v2.4s, v31.4s
	WORD $0x6e3fdc63 // fmul v3.4s, v3.4s, v31.4s
	WORD $0x6e3fdc84 // fmul v4.4s, v4.4s, v31.4s
	WORD $0x6e3fdca5 // fmul v5.4s, v5.4s, v31.4s
	WORD $0x6e3fdcc6 // fmul v6.4s, v6.4s, v31.4s
	WORD $0x6e3fdce7 // fmul v7.4s, v7.4s, v31.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	ADD    $128, R1, R1
	SUBS   $1, R6, R6
	BNE    sumrows32_by32

sumrows32_vec:
	LSR    $2, R3, R6
	AND    $3, R3, R3
	CBZ    R6, sumrows32_tail

sumrows32_by4:
	MOVD   R1, R7
	VLD1.P (R7)(R5), [V0.S4]
	SUBS   $1, R4, R9
	BEQ    sumrows32_scale4

sumrows32_rows4:
	VLD1.P (R7)(R5), [V8.S4]
	WORD $0x4e28d400 // fadd v0.4s, v0.4s, v8.4s
	SUBS   $1, R9, R9
	BNE    sumrows32_rows4

sumrows32_scale4:
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s
	VST1.P [V0.S4], 16(R0)
	ADD    $16, R1, R1
	SUBS   $1, R6, R6
	BNE    sumrows32_by4

sumrows32_tail:
	CBZ    R3, sumrows32_done

sumrows32_by1:
	MOVD   R1, R7
	FMOVS  (R7), F0
	ADD    R5, R7, R7
	SUBS   $1, R4, R9
	BEQ    sumrows32_scale1

sumrows32_rows1:
	FMOVS  (R7), F8
	ADD    R5, R7, R7
	FADDS  F8, F0, F0                              // s = s + src[r*n+i]
	SUBS   $1, R9, R9
	BNE    sumrows32_rows1

sumrows32_scale1:
	FMULS   F31, F0, F0                             // s*scale
	FMOVS.P F0, 4(R0)
	ADD     $4, R1, R1
	SUBS    $1, R3, R3
	BNE     sumrows32_by1

sumrows32_done:
	RET

sumrows32_zero:                                     // m == 0: dst[i] = +0
	MOVW.P  ZR, 4(R0)
	SUBS    $1, R2, R2
	BNE     sumrows32_zero
	RET

// ---------------------------------------------------------------------------
// MomentumStep

// func momentumStep32NEON(p, g, v []float32, negLR, mu, c, wd float32, mode uint64)
//
//    for i := range p {
//        gi := g[i]; if mode&1 != 0 { gi = -gi }             // Maximize
//        d := gi; if mode&2 != 0 { d = fma(wd, p[i], gi) }   // WeightDecay != 0
//        s := d
//        if mode&4 != 0 {                                    // Mu != 0
//            vn := d                                         // Fresh
//            if mode&8 != 0 { vn = fma(mu, v[i], float32(c*d)) }
//            s = vn; if mode&16 != 0 { s = fma(mu, vn, d) }  // Nesterov
//            v[i] = vn
//        }
//        p[i] = fma(negLR, s, p[i])
//    }
//
// Requires: ASIMD
// Registers: R0 = &p[i], R2 = &v[i], R3 = &g[i], R6 = mode, R4 = blocks
// left, R5 = elements left after them; V24 = negLR, V25 = mu, V26 = c,
// V27 = wd in every lane; per block of 16 elements: V0-V3 = g' then d
// then s, V4-V7 = p, V8-V11 = v, V12-V15 = c*d then v'. Every step is 4
// independent FMLA/FMUL/FNEG; the mode branches are loop-invariant and
// predicted. The tail runs the same steps on scalar registers.
TEXT ·momentumStep32NEON(SB), NOSPLIT, $0-96
	MOVD   p_base+0(FP), R0
	MOVD   p_len+8(FP), R5
	MOVD   g_base+24(FP), R3
	MOVD   v_base+48(FP), R2
	MOVD   mode+88(FP), R6
	FMOVS  negLR+72(FP), F24
	VDUP   V24.S[0], V24.S4
	FMOVS  mu+76(FP), F25
	VDUP   V25.S[0], V25.S4
	FMOVS  c+80(FP), F26
	VDUP   V26.S[0], V26.S4
	FMOVS  wd+84(FP), F27
	VDUP   V27.S[0], V27.S4
	LSR    $4, R5, R4
	AND    $15, R5, R5
	CBZ    R4, momentum32_tail

momentum32_by16:
	VLD1.P 64(R3), [V0.S4, V1.S4, V2.S4, V3.S4]    // g
	TBZ    $0, R6, momentum32_d
	WORD $0x6ea0f800 // fneg v0.4s, v0.4s /* g' = -g */
	WORD $0x6ea0f821 // fneg v1.4s, v1.4s
	WORD $0x6ea0f842 // fneg v2.4s, v2.4s
	WORD $0x6ea0f863 // fneg v3.4s, v3.4s

momentum32_d:
	TBZ    $1, R6, momentum32_v
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]      // p (for the decay)
	VFMLA  V27.S4, V4.S4, V0.S4                    // d = fma(wd, p, g')
	VFMLA  V27.S4, V5.S4, V1.S4
	VFMLA  V27.S4, V6.S4, V2.S4
	VFMLA  V27.S4, V7.S4, V3.S4

momentum32_v:
	TBZ    $2, R6, momentum32_sd                   // Mu == 0: s = d
	TBNZ   $3, R6, momentum32_history
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R2)    // Fresh: v' = d
	TBZ    $4, R6, momentum32_sd
	VFMLA  V25.S4, V0.S4, V0.S4                    // s = fma(mu, v', d), v' = d
	VFMLA  V25.S4, V1.S4, V1.S4
	VFMLA  V25.S4, V2.S4, V2.S4
	VFMLA  V25.S4, V3.S4, V3.S4
	B      momentum32_sd

momentum32_history:
	VLD1   (R2), [V8.S4, V9.S4, V10.S4, V11.S4]    // v
	WORD $0x6e3adc0c // fmul v12.4s, v0.4s, v26.4s /* c*d */
	WORD $0x6e3adc2d // fmul v13.4s, v1.4s, v26.4s
	WORD $0x6e3adc4e // fmul v14.4s, v2.4s, v26.4s
	WORD $0x6e3adc6f // fmul v15.4s, v3.4s, v26.4s
	VFMLA  V25.S4, V8.S4, V12.S4                   // v' = fma(mu, v, c*d)
	VFMLA  V25.S4, V9.S4, V13.S4
	VFMLA  V25.S4, V10.S4, V14.S4
	VFMLA  V25.S4, V11.S4, V15.S4
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R2)
	TBZ    $4, R6, momentum32_svn
	VFMLA  V25.S4, V12.S4, V0.S4                   // s = fma(mu, v', d)
	VFMLA  V25.S4, V13.S4, V1.S4
	VFMLA  V25.S4, V14.S4, V2.S4
	VFMLA  V25.S4, V15.S4, V3.S4

momentum32_sd:
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]      // p again, after v is written (aliasing)
	VFMLA  V24.S4, V0.S4, V4.S4                    // p = fma(-lr, s, p), s in V0-V3
	VFMLA  V24.S4, V1.S4, V5.S4
	VFMLA  V24.S4, V2.S4, V6.S4
	VFMLA  V24.S4, V3.S4, V7.S4
	B      momentum32_store

momentum32_svn:
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]      // p again, after v is written (aliasing)
	VFMLA  V24.S4, V12.S4, V4.S4                   // p = fma(-lr, s, p), s = v'
	VFMLA  V24.S4, V13.S4, V5.S4
	VFMLA  V24.S4, V14.S4, V6.S4
	VFMLA  V24.S4, V15.S4, V7.S4

momentum32_store:
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUBS   $1, R4, R4
	BNE    momentum32_by16

momentum32_tail:
	CBZ    R5, momentum32_done

momentum32_by1:
	FMOVS.P 4(R3), F0                               // g
	TBZ     $0, R6, momentum32_d1
	FNEGS   F0, F0

momentum32_d1:
	TBZ     $1, R6, momentum32_v1
	FMOVS   (R0), F4                                // p (for the decay)
	FMADDS  F27, F0, F4, F0                         // d = fma(p, wd, g')

momentum32_v1:
	TBZ     $2, R6, momentum32_sd1
	TBNZ    $3, R6, momentum32_history1
	FMOVS.P F0, 4(R2)                               // v' = d
	TBZ     $4, R6, momentum32_sd1
	FMADDS  F25, F0, F0, F0                         // s = fma(d, mu, d)
	B       momentum32_sd1

momentum32_history1:
	FMOVS   (R2), F8                                // v
	FMULS   F26, F0, F12                            // d*c
	FMADDS  F25, F12, F8, F12                       // v' = fma(v, mu, c*d)
	FMOVS.P F12, 4(R2)
	TBZ     $4, R6, momentum32_svn1
	FMADDS  F25, F0, F12, F0                        // s = fma(v', mu, d)

momentum32_sd1:
	FMOVS   (R0), F4                                // p again, after v is written (aliasing)
	FMADDS  F24, F4, F0, F4                         // p = fma(s, -lr, p)
	B       momentum32_store1

momentum32_svn1:
	FMOVS   (R0), F4                                // p again, after v is written (aliasing)
	FMADDS  F24, F4, F12, F4                        // p = fma(v', -lr, p)

momentum32_store1:
	FMOVS.P F4, 4(R0)
	SUBS    $1, R5, R5
	BNE     momentum32_by1

momentum32_done:
	RET

// ---------------------------------------------------------------------------
// BatchMomentumStep

// func batchMomentumStep32NEON(p, v, rows []float32, scale, negLR, mu, c, wd float32, mode uint64)
//
//    n, m := len(p), len(rows)/len(p)
//    for i := range p {
//        gi := float32(0)                                // m == 0
//        if m > 0 {
//            s := rows[i]
//            for r := 1; r < m; r++ { s = s + rows[r*n+i] }
//            gi = float32(scale * s)
//        }
//        ... the body of momentumStep32NEON with g[i] = gi
//    }
//
// Requires: ASIMD
// Registers: as momentumStep32NEON, with R4 = tiles of 32 columns left,
// R5 = columns left after them, R1 = &rows[0][i] (top of the tile), R7 =
// n*4 (row stride in bytes), R8 = m, R9/R12 = &rows[r][i] for the two
// halves of the tile, R10 = rows left, R11 = halves left to update, V28 =
// scale. The gradient of 32 columns is summed in V0-V3 and V16-V19 (8
// independent FADD per row, V8-V15 = row r) and scaled; the update then
// runs exactly as in momentumStep32NEON on V0-V3, and again after V16-V19
// are moved into V0-V3. Then one tile of 16 columns (4 FADD per row) if
// 16 or more are left, then single columns on scalar registers.
TEXT ·batchMomentumStep32NEON(SB), NOSPLIT, $0-104
	MOVD   p_base+0(FP), R0
	MOVD   p_len+8(FP), R5
	MOVD   v_base+24(FP), R2
	MOVD   rows_base+48(FP), R1
	MOVD   rows_len+56(FP), R8
	MOVD   mode+96(FP), R6
	FMOVS  scale+72(FP), F28
	VDUP   V28.S[0], V28.S4
	FMOVS  negLR+76(FP), F24
	VDUP   V24.S[0], V24.S4
	FMOVS  mu+80(FP), F25
	VDUP   V25.S[0], V25.S4
	FMOVS  c+84(FP), F26
	VDUP   V26.S[0], V26.S4
	FMOVS  wd+88(FP), F27
	VDUP   V27.S[0], V27.S4
	UDIV   R5, R8, R8                              // m = len(rows)/n
	LSL    $2, R5, R7
	LSR    $5, R5, R4
	AND    $31, R5, R5
	CBZ    R4, batch32_rest

batch32_by32:
	CBZ    R8, batch32_zero32
	MOVD   R1, R9
	ADD    $64, R1, R12
	VLD1.P (R9)(R7), [V0.S4, V1.S4, V2.S4, V3.S4] // s = rows[i], columns 0-15
	VLD1.P (R12)(R7), [V16.S4, V17.S4, V18.S4, V19.S4] // columns 16-31
	SUBS   $1, R8, R10
	BEQ    batch32_scale32

batch32_rows32:
	VLD1.P (R9)(R7), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P (R12)(R7), [V12.S4, V13.S4, V14.S4, V15.S4]
	WORD $0x4e28d400 // fadd v0.4s, v0.4s, v8.4s /* s = s + rows[r*n+i] */
	WORD $0x4e29d421 // fadd v1.4s, v1.4s, v9.4s
	WORD $0x4e2ad442 // fadd v2.4s, v2.4s, v10.4s
	WORD $0x4e2bd463 // fadd v3.4s, v3.4s, v11.4s
	WORD $0x4e2cd610 // fadd v16.4s, v16.4s, v12.4s
	WORD $0x4e2dd631 // fadd v17.4s, v17.4s, v13.4s
	WORD $0x4e2ed652 // fadd v18.4s, v18.4s, v14.4s
	WORD $0x4e2fd673 // fadd v19.4s, v19.4s, v15.4s
	SUBS   $1, R10, R10
	BNE    batch32_rows32

batch32_scale32:
	WORD $0x6e3cdc00 // fmul v0.4s, v0.4s, v28.4s /* g = scale*s */
	WORD $0x6e3cdc21 // fmul v1.4s, v1.4s, v28.4s
	WORD $0x6e3cdc42 // fmul v2.4s, v2.4s, v28.4s
	WORD $0x6e3cdc63 // fmul v3.4s, v3.4s, v28.4s
	WORD $0x6e3cde10 // fmul v16.4s, v16.4s, v28.4s
	WORD $0x6e3cde31 // fmul v17.4s, v17.4s, v28.4s
	WORD $0x6e3cde52 // fmul v18.4s, v18.4s, v28.4s
	WORD $0x6e3cde73 // fmul v19.4s, v19.4s, v28.4s
	B      batch32_halves

batch32_zero32:
	VEOR   V0.B16, V0.B16, V0.B16                  // g = +0
	VEOR   V1.B16, V1.B16, V1.B16
	VEOR   V2.B16, V2.B16, V2.B16
	VEOR   V3.B16, V3.B16, V3.B16
	VEOR   V16.B16, V16.B16, V16.B16
	VEOR   V17.B16, V17.B16, V17.B16
	VEOR   V18.B16, V18.B16, V18.B16
	VEOR   V19.B16, V19.B16, V19.B16

batch32_halves:
	ADD    $128, R1, R1
	MOVD   $2, R11                                 // update columns 0-15, then 16-31
	B      batch32_g

batch32_rest:                                       // one tile of 16 columns, if left
	TBZ    $4, R5, batch32_tail
	AND    $15, R5, R5
	CBZ    R8, batch32_zero16
	MOVD   R1, R9
	VLD1.P (R9)(R7), [V0.S4, V1.S4, V2.S4, V3.S4] // s = rows[i]
	SUBS   $1, R8, R10
	BEQ    batch32_scale16

batch32_rows16:
	VLD1.P (R9)(R7), [V8.S4, V9.S4, V10.S4, V11.S4]
	WORD $0x4e28d400 // fadd v0.4s, v0.4s, v8.4s
	WORD $0x4e29d421 // fadd v1.4s, v1.4s, v9.4s
	WORD $0x4e2ad442 // fadd v2.4s, v2.4s, v10.4s
	WORD $0x4e2bd463 // fadd v3.4s, v3.4s, v11.4s
	SUBS   $1, R10, R10
	BNE    batch32_rows16

batch32_scale16:
	WORD $0x6e3cdc00 // fmul v0.4s, v0.4s, v28.4s
	WORD $0x6e3cdc21 // fmul v1.4s, v1.4s, v28.4s
	WORD $0x6e3cdc42 // fmul v2.4s, v2.4s, v28.4s
	WORD $0x6e3cdc63 // fmul v3.4s, v3.4s, v28.4s
	B      batch32_half

batch32_zero16:
	VEOR   V0.B16, V0.B16, V0.B16
	VEOR   V1.B16, V1.B16, V1.B16
	VEOR   V2.B16, V2.B16, V2.B16
	VEOR   V3.B16, V3.B16, V3.B16

batch32_half:
	ADD    $64, R1, R1
	MOVD   $1, R11

batch32_g:
	TBZ    $0, R6, batch32_d
	WORD $0x6ea0f800 // fneg v0.4s, v0.4s /* g' = -g */
	WORD $0x6ea0f821 // fneg v1.4s, v1.4s
	WORD $0x6ea0f842 // fneg v2.4s, v2.4s
	WORD $0x6ea0f863 // fneg v3.4s, v3.4s

batch32_d:
	TBZ    $1, R6, batch32_v
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]      // p (for the decay)
	VFMLA  V27.S4, V4.S4, V0.S4                    // d = fma(wd, p, g')
	VFMLA  V27.S4, V5.S4, V1.S4
	VFMLA  V27.S4, V6.S4, V2.S4
	VFMLA  V27.S4, V7.S4, V3.S4

batch32_v:
	TBZ    $2, R6, batch32_sd                      // Mu == 0: s = d
	TBNZ   $3, R6, batch32_history
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R2)    // Fresh: v' = d
	TBZ    $4, R6, batch32_sd
	VFMLA  V25.S4, V0.S4, V0.S4                    // s = fma(mu, v', d), v' = d
	VFMLA  V25.S4, V1.S4, V1.S4
	VFMLA  V25.S4, V2.S4, V2.S4
	VFMLA  V25.S4, V3.S4, V3.S4
	B      batch32_sd

batch32_history:
	VLD1   (R2), [V8.S4, V9.S4, V10.S4, V11.S4]    // v
	WORD $0x6e3adc0c // fmul v12.4s, v0.4s, v26.4s /* c*d */
	WORD $0x6e3adc2d // fmul v13.4s, v1.4s, v26.4s
	WORD $0x6e3adc4e // fmul v14.4s, v2.4s, v26.4s
	WORD $0x6e3adc6f // fmul v15.4s, v3.4s, v26.4s
	VFMLA  V25.S4, V8.S4, V12.S4                   // v' = fma(mu, v, c*d)
	VFMLA  V25.S4, V9.S4, V13.S4
	VFMLA  V25.S4, V10.S4, V14.S4
	VFMLA  V25.S4, V11.S4, V15.S4
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R2)
	TBZ    $4, R6, batch32_svn
	VFMLA  V25.S4, V12.S4, V0.S4                   // s = fma(mu, v', d)
	VFMLA  V25.S4, V13.S4, V1.S4
	VFMLA  V25.S4, V14.S4, V2.S4
	VFMLA  V25.S4, V15.S4, V3.S4

batch32_sd:
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]      // p again, after v is written (aliasing)
	VFMLA  V24.S4, V0.S4, V4.S4                    // p = fma(-lr, s, p), s in V0-V3
	VFMLA  V24.S4, V1.S4, V5.S4
	VFMLA  V24.S4, V2.S4, V6.S4
	VFMLA  V24.S4, V3.S4, V7.S4
	B      batch32_store

batch32_svn:
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]      // p again, after v is written (aliasing)
	VFMLA  V24.S4, V12.S4, V4.S4                   // p = fma(-lr, s, p), s = v'
	VFMLA  V24.S4, V13.S4, V5.S4
	VFMLA  V24.S4, V14.S4, V6.S4
	VFMLA  V24.S4, V15.S4, V7.S4

batch32_store:
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUBS   $1, R11, R11
	BEQ    batch32_next
	VMOV   V16.B16, V0.B16                         // the gradient of columns 16-31
	VMOV   V17.B16, V1.B16
	VMOV   V18.B16, V2.B16
	VMOV   V19.B16, V3.B16
	B      batch32_g

batch32_next:
	CBZ    R4, batch32_rest                        // the 16-column tile is done
	SUBS   $1, R4, R4
	BNE    batch32_by32
	B      batch32_rest

batch32_tail:
	CBZ    R5, batch32_done

batch32_by1:
	VEOR    V0.B16, V0.B16, V0.B16                  // g = +0 if m == 0
	CBZ     R8, batch32_g1
	MOVD    R1, R9
	FMOVS   (R9), F0                                // s = rows[i]
	ADD     R7, R9, R9
	SUBS    $1, R8, R10
	BEQ     batch32_scale1

batch32_rows1:
	FMOVS   (R9), F8
	ADD     R7, R9, R9
	FADDS   F8, F0, F0                              // s = s + rows[r*n+i]
	SUBS    $1, R10, R10
	BNE     batch32_rows1

batch32_scale1:
	FMULS   F28, F0, F0                             // g = s*scale

batch32_g1:
	ADD     $4, R1, R1
	TBZ     $0, R6, batch32_d1
	FNEGS   F0, F0

batch32_d1:
	TBZ     $1, R6, batch32_v1
	FMOVS   (R0), F4                                // p (for the decay)
	FMADDS  F27, F0, F4, F0                         // d = fma(p, wd, g')

batch32_v1:
	TBZ     $2, R6, batch32_sd1
	TBNZ    $3, R6, batch32_history1
	FMOVS.P F0, 4(R2)                               // v' = d
	TBZ     $4, R6, batch32_sd1
	FMADDS  F25, F0, F0, F0                         // s = fma(d, mu, d)
	B       batch32_sd1

batch32_history1:
	FMOVS   (R2), F8                                // v
	FMULS   F26, F0, F12                            // d*c
	FMADDS  F25, F12, F8, F12                       // v' = fma(v, mu, c*d)
	FMOVS.P F12, 4(R2)
	TBZ     $4, R6, batch32_svn1
	FMADDS  F25, F0, F12, F0                        // s = fma(v', mu, d)

batch32_sd1:
	FMOVS   (R0), F4                                // p again, after v is written (aliasing)
	FMADDS  F24, F4, F0, F4                         // p = fma(s, -lr, p)
	B       batch32_store1

batch32_svn1:
	FMOVS   (R0), F4                                // p again, after v is written (aliasing)
	FMADDS  F24, F4, F12, F4                        // p = fma(v', -lr, p)

batch32_store1:
	FMOVS.P F4, 4(R0)
	SUBS    $1, R5, R5
	BNE     batch32_by1

batch32_done:
	RET

// ---------------------------------------------------------------------------
// Axpy

// func axpy64NEON(alpha float64, x, y []float64)
//
//    for i := range x { y[i] = fma(alpha, x[i], y[i]) }
//
// Requires: ASIMD
// Registers: R0 = &x[i], R1 = &y[i] (stores), R4 = &y[i] (loads), R3 =
// iterations left, R2 = elements left after them, V31 = alpha in every
// lane, V0-V7 = x and V8-V15 = y: 16 elements, 8 independent FMLA per
// iteration; then 2 elements per iteration, then one.
TEXT ·axpy64NEON(SB), NOSPLIT, $0-56
	MOVD   x_base+8(FP), R0
	MOVD   x_len+16(FP), R2
	MOVD   y_base+32(FP), R1
	FMOVD  alpha+0(FP), F31
	VDUP   V31.D[0], V31.D2
	MOVD   R1, R4
	LSR    $4, R2, R3
	AND    $15, R2, R2
	CBZ    R3, axpy64_vec

axpy64_by16:
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R4), [V8.D2, V9.D2, V10.D2, V11.D2]
	VLD1.P 64(R0), [V4.D2, V5.D2, V6.D2, V7.D2]
	VLD1.P 64(R4), [V12.D2, V13.D2, V14.D2, V15.D2]
	VFMLA  V31.D2, V0.D2, V8.D2                     // y = fma(alpha, x, y)
	VFMLA  V31.D2, V1.D2, V9.D2
	VFMLA  V31.D2, V2.D2, V10.D2
	VFMLA  V31.D2, V3.D2, V11.D2
	VFMLA  V31.D2, V4.D2, V12.D2
	VFMLA  V31.D2, V5.D2, V13.D2
	VFMLA  V31.D2, V6.D2, V14.D2
	VFMLA  V31.D2, V7.D2, V15.D2
	VST1.P [V8.D2, V9.D2, V10.D2, V11.D2], 64(R1)
	VST1.P [V12.D2, V13.D2, V14.D2, V15.D2], 64(R1)
	SUBS   $1, R3, R3
	BNE    axpy64_by16

axpy64_vec:
	LSR    $1, R2, R3
	AND    $1, R2, R2
	CBZ    R3, axpy64_tail

axpy64_by2:
	VLD1.P 16(R0), [V0.D2]
	VLD1.P 16(R4), [V8.D2]
	VFMLA  V31.D2, V0.D2, V8.D2
	VST1.P [V8.D2], 16(R1)
	SUBS   $1, R3, R3
	BNE    axpy64_by2

axpy64_tail:
	CBZ    R2, axpy64_done

axpy64_by1:
	FMOVD.P 8(R0), F0
	FMOVD   (R1), F8
	FMADDD  F31, F8, F0, F8                         // y = fma(x, alpha, y)
	FMOVD.P F8, 8(R1)
	SUBS    $1, R2, R2
	BNE     axpy64_by1

axpy64_done:
	RET

// ---------------------------------------------------------------------------
// Axpby

// func axpby64NEON(alpha float64, x []float64, beta float64, y []float64)
//
//    for i := range x { y[i] = fma(alpha, x[i], float64(beta*y[i])) }
//
// Requires: ASIMD
// Registers: as axpy64NEON, with V30 = beta in every lane: per iteration
// 8 independent FMUL, then 8 independent FMLA on their results.
TEXT ·axpby64NEON(SB), NOSPLIT, $0-64
	MOVD   x_base+8(FP), R0
	MOVD   x_len+16(FP), R2
	MOVD   y_base+40(FP), R1
	FMOVD  alpha+0(FP), F31
	VDUP   V31.D[0], V31.D2
	FMOVD  beta+32(FP), F30
	VDUP   V30.D[0], V30.D2
	MOVD   R1, R4
	LSR    $4, R2, R3
	AND    $15, R2, R2
	CBZ    R3, axpby64_vec

axpby64_by16:
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R4), [V8.D2, V9.D2, V10.D2, V11.D2]
	VLD1.P 64(R0), [V4.D2, V5.D2, V6.D2, V7.D2]
	VLD1.P 64(R4), [V12.D2, V13.D2, V14.D2, V15.D2]
	WORD $0x6e7edd08 // fmul v8.2d, v8.2d, v30.2d /* beta*y, rounded */
	WORD $0x6e7edd29 // fmul v9.2d, v9.2d, v30.2d
	WORD $0x6e7edd4a // fmul v10.2d, v10.2d, v30.2d
	WORD $0x6e7edd6b // fmul v11.2d, v11.2d, v30.2d
	WORD $0x6e7edd8c // fmul v12.2d, v12.2d, v30.2d
	WORD $0x6e7eddad // fmul v13.2d, v13.2d, v30.2d
	WORD $0x6e7eddce // fmul v14.2d, v14.2d, v30.2d
	WORD $0x6e7eddef // fmul v15.2d, v15.2d, v30.2d
	VFMLA  V31.D2, V0.D2, V8.D2                     // y = fma(alpha, x, beta*y)
	VFMLA  V31.D2, V1.D2, V9.D2
	VFMLA  V31.D2, V2.D2, V10.D2
	VFMLA  V31.D2, V3.D2, V11.D2
	VFMLA  V31.D2, V4.D2, V12.D2
	VFMLA  V31.D2, V5.D2, V13.D2
	VFMLA  V31.D2, V6.D2, V14.D2
	VFMLA  V31.D2, V7.D2, V15.D2
	VST1.P [V8.D2, V9.D2, V10.D2, V11.D2], 64(R1)
	VST1.P [V12.D2, V13.D2, V14.D2, V15.D2], 64(R1)
	SUBS   $1, R3, R3
	BNE    axpby64_by16

axpby64_vec:
	LSR    $1, R2, R3
	AND    $1, R2, R2
	CBZ    R3, axpby64_tail

axpby64_by2:
	VLD1.P 16(R0), [V0.D2]
	VLD1.P 16(R4), [V8.D2]
	WORD $0x6e7edd08 // fmul v8.2d, v8.2d, v30.2d
	VFMLA  V31.D2, V0.D2, V8.D2
	VST1.P [V8.D2], 16(R1)
	SUBS   $1, R3, R3
	BNE    axpby64_by2

axpby64_tail:
	CBZ    R2, axpby64_done

axpby64_by1:
	FMOVD.P 8(R0), F0
	FMOVD   (R1), F8
	FMULD   F30, F8, F8                             // beta*y
	FMADDD  F31, F8, F0, F8                         // y = fma(x, alpha, beta*y)
	FMOVD.P F8, 8(R1)
	SUBS    $1, R2, R2
	BNE     axpby64_by1

axpby64_done:
	RET

// ---------------------------------------------------------------------------
// Scale

// func scale64NEON(alpha float64, x []float64)
//
//    for i := range x { x[i] = float64(alpha * x[i]) }
//
// Requires: ASIMD
// Registers: R0 = &x[i] (loads), R1 = &x[i] (stores), R3 = iterations
// left, R2 = elements left after them, V31 = alpha in every lane, V0-V7 =
// x: 16 elements, 8 independent FMUL per iteration; then 2, then one.
TEXT ·scale64NEON(SB), NOSPLIT, $0-32
	MOVD   x_base+8(FP), R0
	MOVD   x_len+16(FP), R2
	FMOVD  alpha+0(FP), F31
	VDUP   V31.D[0], V31.D2
	MOVD   R0, R1
	LSR    $4, R2, R3
	AND    $15, R2, R2
	CBZ    R3, scale64_vec

scale64_by16:
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R0), [V4.D2, V5.D2, V6.D2, V7.D2]
	WORD $0x6e7fdc00 // fmul v0.2d, v0.2d, v31.2d /* x = alpha*x */
	WORD $0x6e7fdc21 // fmul v1.2d, v1.2d, v31.2d
	WORD $0x6e7fdc42 // fmul v2.2d, v2.2d, v31.2d
	WORD $0x6e7fdc63 // fmul v3.2d, v3.2d, v31.2d
	WORD $0x6e7fdc84 // fmul v4.2d, v4.2d, v31.2d
	WORD $0x6e7fdca5 // fmul v5.2d, v5.2d, v31.2d
	WORD $0x6e7fdcc6 // fmul v6.2d, v6.2d, v31.2d
	WORD $0x6e7fdce7 // fmul v7.2d, v7.2d, v31.2d
	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R1)
	VST1.P [V4.D2, V5.D2, V6.D2, V7.D2], 64(R1)
	SUBS   $1, R3, R3
	BNE    scale64_by16

scale64_vec:
	LSR    $1, R2, R3
	AND    $1, R2, R2
	CBZ    R3, scale64_tail

scale64_by2:
	VLD1.P 16(R0), [V0.D2]
	WORD $0x6e7fdc00 // fmul v0.2d, v0.2d, v31.2d
	VST1.P [V0.D2], 16(R1)
	SUBS   $1, R3, R3
	BNE    scale64_by2

scale64_tail:
	CBZ    R2, scale64_done

scale64_by1:
	FMOVD   (R1), F0
	FMULD   F31, F0, F0                             // x = x*alpha
	FMOVD.P F0, 8(R1)
	SUBS    $1, R2, R2
	BNE     scale64_by1

scale64_done:
	RET

// ---------------------------------------------------------------------------
// Dot

// func dot64NEON(x, y []float64) float64
//
//    kernels.Dot for float64: 32 lanes, lane k takes
//    acc[k] = fma(x[32b+k], y[32b+k], acc[k]) for blocks b in order (the
//    last one padded with +0), then acc[k] += acc[k+h] for h = 16, ..., 1;
//    the result is acc[0].
//
// Requires: ASIMD
// Registers: V0-V15 = acc[0:32] (lane k is V(k/2) lane k%2), V16-V23 = x,
// V24-V31 = y; R0 = &x[i], R1 = &y[i], R2 = full blocks left, R3 = length
// of the last partial block. 16 independent FMLA per block of 32. The
// partial block is copied into buf (x at buf[0:32], y at buf[32:64]),
// zeroed first, and run through the same loop once.
TEXT ·dot64NEON(SB), $512-56
	MOVD   x_base+0(FP), R0
	MOVD   x_len+8(FP), R2
	MOVD   y_base+24(FP), R1
	AND    $31, R2, R3
	LSR    $5, R2, R2
	VEOR   V0.B16, V0.B16, V0.B16                  // acc = +0
	VEOR   V1.B16, V1.B16, V1.B16
	VEOR   V2.B16, V2.B16, V2.B16
	VEOR   V3.B16, V3.B16, V3.B16
	VEOR   V4.B16, V4.B16, V4.B16
	VEOR   V5.B16, V5.B16, V5.B16
	VEOR   V6.B16, V6.B16, V6.B16
	VEOR   V7.B16, V7.B16, V7.B16
	VEOR   V8.B16, V8.B16, V8.B16
	VEOR   V9.B16, V9.B16, V9.B16
	VEOR   V10.B16, V10.B16, V10.B16
	VEOR   V11.B16, V11.B16, V11.B16
	VEOR   V12.B16, V12.B16, V12.B16
	VEOR   V13.B16, V13.B16, V13.B16
	VEOR   V14.B16, V14.B16, V14.B16
	VEOR   V15.B16, V15.B16, V15.B16
	CBZ    R2, dot64_last

dot64_block:
	VLD1.P 64(R0), [V16.D2, V17.D2, V18.D2, V19.D2]
	VLD1.P 64(R1), [V24.D2, V25.D2, V26.D2, V27.D2]
	VLD1.P 64(R0), [V20.D2, V21.D2, V22.D2, V23.D2]
	VLD1.P 64(R1), [V28.D2, V29.D2, V30.D2, V31.D2]
	VFMLA  V24.D2, V16.D2, V0.D2                   // acc[0:2] = fma(x, y, acc)
	VFMLA  V25.D2, V17.D2, V1.D2
	VFMLA  V26.D2, V18.D2, V2.D2
	VFMLA  V27.D2, V19.D2, V3.D2
	VFMLA  V28.D2, V20.D2, V4.D2
	VFMLA  V29.D2, V21.D2, V5.D2
	VFMLA  V30.D2, V22.D2, V6.D2
	VFMLA  V31.D2, V23.D2, V7.D2
	VLD1.P 64(R0), [V16.D2, V17.D2, V18.D2, V19.D2]
	VLD1.P 64(R1), [V24.D2, V25.D2, V26.D2, V27.D2]
	VLD1.P 64(R0), [V20.D2, V21.D2, V22.D2, V23.D2]
	VLD1.P 64(R1), [V28.D2, V29.D2, V30.D2, V31.D2]
	VFMLA  V24.D2, V16.D2, V8.D2                   // acc[16:18]
	VFMLA  V25.D2, V17.D2, V9.D2
	VFMLA  V26.D2, V18.D2, V10.D2
	VFMLA  V27.D2, V19.D2, V11.D2
	VFMLA  V28.D2, V20.D2, V12.D2
	VFMLA  V29.D2, V21.D2, V13.D2
	VFMLA  V30.D2, V22.D2, V14.D2
	VFMLA  V31.D2, V23.D2, V15.D2
	SUBS   $1, R2, R2
	BNE    dot64_block

dot64_last:
	CBZ    R3, dot64_reduce
	MOVD   $buf-512(SP), R4                         // zero buf[0:64]
	MOVD   R4, R5
	VEOR   V16.B16, V16.B16, V16.B16
	VEOR   V17.B16, V17.B16, V17.B16
	VEOR   V18.B16, V18.B16, V18.B16
	VEOR   V19.B16, V19.B16, V19.B16
	MOVD   $8, R6

dot64_zero:
	VST1.P [V16.D2, V17.D2, V18.D2, V19.D2], 64(R5)
	SUBS   $1, R6, R6
	BNE    dot64_zero
	MOVD   R4, R5                                   // buf[0:r] = x[i:], buf[32:32+r] = y[i:]
	ADD    $256, R4, R6
	MOVD   R3, R7

dot64_copy:
	MOVD.P  8(R0), R8
	MOVD.P  R8, 8(R5)
	MOVD.P  8(R1), R8
	MOVD.P  R8, 8(R6)
	SUBS    $1, R7, R7
	BNE     dot64_copy
	MOVD   R4, R0                                   // one more block, from buf
	ADD    $256, R4, R1
	MOVD   $1, R2
	MOVD   $0, R3
	B      dot64_block

dot64_reduce:
	WORD $0x4e68d400 // fadd v0.2d, v0.2d, v8.2d /* h = 16 */
	WORD $0x4e69d421 // fadd v1.2d, v1.2d, v9.2d
	WORD $0x4e6ad442 // fadd v2.2d, v2.2d, v10.2d
	WORD $0x4e6bd463 // fadd v3.2d, v3.2d, v11.2d
	WORD $0x4e6cd484 // fadd v4.2d, v4.2d, v12.2d
	WORD $0x4e6dd4a5 // fadd v5.2d, v5.2d, v13.2d
	WORD $0x4e6ed4c6 // fadd v6.2d, v6.2d, v14.2d
	WORD $0x4e6fd4e7 // fadd v7.2d, v7.2d, v15.2d
	WORD $0x4e64d400 // fadd v0.2d, v0.2d, v4.2d /* h = 8 */
	WORD $0x4e65d421 // fadd v1.2d, v1.2d, v5.2d
	WORD $0x4e66d442 // fadd v2.2d, v2.2d, v6.2d
	WORD $0x4e67d463 // fadd v3.2d, v3.2d, v7.2d
	WORD $0x4e62d400 // fadd v0.2d, v0.2d, v2.2d /* h = 4 */
	WORD $0x4e63d421 // fadd v1.2d, v1.2d, v3.2d
	WORD $0x4e61d400 // fadd v0.2d, v0.2d, v1.2d /* h = 2 */
	WORD $0x7e70d800 // faddp d0, v0.2d /* h = 1: acc[0] + acc[1] */
	FMOVD  F0, ret+48(FP)
	RET

// ---------------------------------------------------------------------------
// SumRows

// func sumRows64NEON(dst []float64, scale float64, src []float64)
//
//    n, m := len(dst), len(src)/len(dst)
//    for i := range dst {
//        s := src[i]
//        for r := 1; r < m; r++ { s = s + src[r*n+i] }
//        dst[i] = float64(scale * s) // m == 0: dst[i] = 0
//    }
//
// Requires: ASIMD
// Registers: R0 = &dst[i], R1 = &src[0][i] (top of the column block),
// R5 = n*8 (row stride in bytes), R4 = m, R2 = column blocks left, R3 =
// columns left after them, R7/R8 = the two halves of the block in row r,
// R9 = rows left; V31 = scale, V0-V7 = s for 16 columns, V8-V15 = row r:
// 8 independent FADD per row; then blocks of 2 columns, then single ones.
TEXT ·sumRows64NEON(SB), NOSPLIT, $0-56
	MOVD   dst_base+0(FP), R0
	MOVD   dst_len+8(FP), R2
	MOVD   src_base+32(FP), R1
	MOVD   src_len+40(FP), R4
	FMOVD  scale+24(FP), F31
	VDUP   V31.D[0], V31.D2
	UDIV   R2, R4, R4                              // m = len(src)/n
	LSL    $3, R2, R5
	CBZ    R4, sumrows64_zero
	LSR    $4, R2, R6
	AND    $15, R2, R3
	CBZ    R6, sumrows64_vec

sumrows64_by16:
	MOVD   R1, R7
	ADD    $64, R1, R8
	VLD1.P (R7)(R5), [V0.D2, V1.D2, V2.D2, V3.D2] // s = src[i]
	VLD1.P (R8)(R5), [V4.D2, V5.D2, V6.D2, V7.D2]
	SUBS   $1, R4, R9
	BEQ    sumrows64_scale16

sumrows64_rows16:
	VLD1.P (R7)(R5), [V8.D2, V9.D2, V10.D2, V11.D2]
	VLD1.P (R8)(R5), [V12.D2, V13.D2, V14.D2, V15.D2]
	WORD $0x4e68d400 // fadd v0.2d, v0.2d, v8.2d /* s = s + src[r*n+i] */
	WORD $0x4e69d421 // fadd v1.2d, v1.2d, v9.2d
	WORD $0x4e6ad442 // fadd v2.2d, v2.2d, v10.2d
	WORD $0x4e6bd463 // fadd v3.2d, v3.2d, v11.2d
	WORD $0x4e6cd484 // fadd v4.2d, v4.2d, v12.2d
	WORD $0x4e6dd4a5 // fadd v5.2d, v5.2d, v13.2d
	WORD $0x4e6ed4c6 // fadd v6.2d, v6.2d, v14.2d
	WORD $0x4e6fd4e7 // fadd v7.2d, v7.2d, v15.2d
	SUBS   $1, R9, R9
	BNE    sumrows64_rows16

sumrows64_scale16:
	WORD $0x6e7fdc00 // fmul v0.2d, v0.2d, v31.2d /* dst = scale*s */
	WORD $0x6e7fdc21 // fmul v1.2d, v1.2d, v31.2d
	WORD $0x6e7fdc42 // fmul v2.2d, v2.2d, v31.2d
	WORD $0x6e7fdc63 // fmul v3.2d, v3.2d, v31.2d
	WORD $0x6e7fdc84 // fmul v4.2d, v4.2d, v31.2d
	WORD $0x6e7fdca5 // fmul v5.2d, v5.2d, v31.2d
	WORD $0x6e7fdcc6 // fmul v6.2d, v6.2d, v31.2d
	WORD $0x6e7fdce7 // fmul v7.2d, v7.2d, v31.2d
	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	VST1.P [V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	ADD    $128, R1, R1
	SUBS   $1, R6, R6
	BNE    sumrows64_by16

sumrows64_vec:
	LSR    $1, R3, R6
	AND    $1, R3, R3
	CBZ    R6, sumrows64_tail

sumrows64_by2:
	MOVD   R1, R7
	VLD1.P (R7)(R5), [V0.D2]
	SUBS   $1, R4, R9
	BEQ    sumrows64_scale2

sumrows64_rows2:
	VLD1.P (R7)(R5), [V8.D2]
	WORD $0x4e68d400 // fadd v0.2d, v0.2d, v8.2d
	SUBS   $1, R9, R9
	BNE    sumrows64_rows2

sumrows64_scale2:
	WORD $0x6e7fdc00 // fmul v0.2d, v0.2d, v31.2d
	VST1.P [V0.D2], 16(R0)
	ADD    $16, R1, R1
	SUBS   $1, R6, R6
	BNE    sumrows64_by2

sumrows64_tail:
	CBZ    R3, sumrows64_done

sumrows64_by1:
	MOVD   R1, R7
	FMOVD  (R7), F0
	ADD    R5, R7, R7
	SUBS   $1, R4, R9
	BEQ    sumrows64_scale1

sumrows64_rows1:
	FMOVD  (R7), F8
	ADD    R5, R7, R7
	FADDD  F8, F0, F0                              // s = s + src[r*n+i]
	SUBS   $1, R9, R9
	BNE    sumrows64_rows1

sumrows64_scale1:
	FMULD   F31, F0, F0                             // s*scale
	FMOVD.P F0, 8(R0)
	ADD     $8, R1, R1
	SUBS    $1, R3, R3
	BNE     sumrows64_by1

sumrows64_done:
	RET

sumrows64_zero:                                     // m == 0: dst[i] = +0
	MOVD.P  ZR, 8(R0)
	SUBS    $1, R2, R2
	BNE     sumrows64_zero
	RET

// ---------------------------------------------------------------------------
// MomentumStep

// func momentumStep64NEON(p, g, v []float64, negLR, mu, c, wd float64, mode uint64)
//
//    for i := range p {
//        gi := g[i]; if mode&1 != 0 { gi = -gi }             // Maximize
//        d := gi; if mode&2 != 0 { d = fma(wd, p[i], gi) }   // WeightDecay != 0
//        s := d
//        if mode&4 != 0 {                                    // Mu != 0
//            vn := d                                         // Fresh
//            if mode&8 != 0 { vn = fma(mu, v[i], float64(c*d)) }
//            s = vn; if mode&16 != 0 { s = fma(mu, vn, d) }  // Nesterov
//            v[i] = vn
//        }
//        p[i] = fma(negLR, s, p[i])
//    }
//
// Requires: ASIMD
// Registers: R0 = &p[i], R2 = &v[i], R3 = &g[i], R6 = mode, R4 = blocks
// left, R5 = elements left after them; V24 = negLR, V25 = mu, V26 = c,
// V27 = wd in every lane; per block of 8 elements: V0-V3 = g' then d
// then s, V4-V7 = p, V8-V11 = v, V12-V15 = c*d then v'. Every step is 4
// independent FMLA/FMUL/FNEG; the mode branches are loop-invariant and
// predicted. The tail runs the same steps on scalar registers.
TEXT ·momentumStep64NEON(SB), NOSPLIT, $0-112
	MOVD   p_base+0(FP), R0
	MOVD   p_len+8(FP), R5
	MOVD   g_base+24(FP), R3
	MOVD   v_base+48(FP), R2
	MOVD   mode+104(FP), R6
	FMOVD  negLR+72(FP), F24
	VDUP   V24.D[0], V24.D2
	FMOVD  mu+80(FP), F25
	VDUP   V25.D[0], V25.D2
	FMOVD  c+88(FP), F26
	VDUP   V26.D[0], V26.D2
	FMOVD  wd+96(FP), F27
	VDUP   V27.D[0], V27.D2
	LSR    $3, R5, R4
	AND    $7, R5, R5
	CBZ    R4, momentum64_tail

momentum64_by8:
	VLD1.P 64(R3), [V0.D2, V1.D2, V2.D2, V3.D2]    // g
	TBZ    $0, R6, momentum64_d
	WORD $0x6ee0f800 // fneg v0.2d, v0.2d /* g' = -g */
	WORD $0x6ee0f821 // fneg v1.2d, v1.2d
	WORD $0x6ee0f842 // fneg v2.2d, v2.2d
	WORD $0x6ee0f863 // fneg v3.2d, v3.2d

momentum64_d:
	TBZ    $1, R6, momentum64_v
	VLD1   (R0), [V4.D2, V5.D2, V6.D2, V7.D2]      // p (for the decay)
	VFMLA  V27.D2, V4.D2, V0.D2                    // d = fma(wd, p, g')
	VFMLA  V27.D2, V5.D2, V1.D2
	VFMLA  V27.D2, V6.D2, V2.D2
	VFMLA  V27.D2, V7.D2, V3.D2

momentum64_v:
	TBZ    $2, R6, momentum64_sd                   // Mu == 0: s = d
	TBNZ   $3, R6, momentum64_history
	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R2)    // Fresh: v' = d
	TBZ    $4, R6, momentum64_sd
	VFMLA  V25.D2, V0.D2, V0.D2                    // s = fma(mu, v', d), v' = d
	VFMLA  V25.D2, V1.D2, V1.D2
	VFMLA  V25.D2, V2.D2, V2.D2
	VFMLA  V25.D2, V3.D2, V3.D2
	B      momentum64_sd

momentum64_history:
	VLD1   (R2), [V8.D2, V9.D2, V10.D2, V11.D2]    // v
	WORD $0x6e7adc0c // fmul v12.2d, v0.2d, v26.2d /* c*d */
	WORD $0x6e7adc2d // fmul v13.2d, v1.2d, v26.2d
	WORD $0x6e7adc4e // fmul v14.2d, v2.2d, v26.2d
	WORD $0x6e7adc6f // fmul v15.2d, v3.2d, v26.2d
	VFMLA  V25.D2, V8.D2, V12.D2                   // v' = fma(mu, v, c*d)
	VFMLA  V25.D2, V9.D2, V13.D2
	VFMLA  V25.D2, V10.D2, V14.D2
	VFMLA  V25.D2, V11.D2, V15.D2
	VST1.P [V12.D2, V13.D2, V14.D2, V15.D2], 64(R2)
	TBZ    $4, R6, momentum64_svn
	VFMLA  V25.D2, V12.D2, V0.D2                   // s = fma(mu, v', d)
	VFMLA  V25.D2, V13.D2, V1.D2
	VFMLA  V25.D2, V14.D2, V2.D2
	VFMLA  V25.D2, V15.D2, V3.D2

momentum64_sd:
	VLD1   (R0), [V4.D2, V5.D2, V6.D2, V7.D2]      // p again, after v is written (aliasing)
	VFMLA  V24.D2, V0.D2, V4.D2                    // p = fma(-lr, s, p), s in V0-V3
	VFMLA  V24.D2, V1.D2, V5.D2
	VFMLA  V24.D2, V2.D2, V6.D2
	VFMLA  V24.D2, V3.D2, V7.D2
	B      momentum64_store

momentum64_svn:
	VLD1   (R0), [V4.D2, V5.D2, V6.D2, V7.D2]      // p again, after v is written (aliasing)
	VFMLA  V24.D2, V12.D2, V4.D2                   // p = fma(-lr, s, p), s = v'
	VFMLA  V24.D2, V13.D2, V5.D2
	VFMLA  V24.D2, V14.D2, V6.D2
	VFMLA  V24.D2, V15.D2, V7.D2

momentum64_store:
	VST1.P [V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUBS   $1, R4, R4
	BNE    momentum64_by8

momentum64_tail:
	CBZ    R5, momentum64_done

momentum64_by1:
	FMOVD.P 8(R3), F0                               // g
	TBZ     $0, R6, momentum64_d1
	FNEGD   F0, F0

momentum64_d1:
	TBZ     $1, R6, momentum64_v1
	FMOVD   (R0), F4                                // p (for the decay)
	FMADDD  F27, F0, F4, F0                         // d = fma(p, wd, g')

momentum64_v1:
	TBZ     $2, R6, momentum64_sd1
	TBNZ    $3, R6, momentum64_history1
	FMOVD.P F0, 8(R2)                               // v' = d
	TBZ     $4, R6, momentum64_sd1
	FMADDD  F25, F0, F0, F0                         // s = fma(d, mu, d)
	B       momentum64_sd1

momentum64_history1:
	FMOVD   (R2), F8                                // v
	FMULD   F26, F0, F12                            // d*c
	FMADDD  F25, F12, F8, F12                       // v' = fma(v, mu, c*d)
	FMOVD.P F12, 8(R2)
	TBZ     $4, R6, momentum64_svn1
	FMADDD  F25, F0, F12, F0                        // s = fma(v', mu, d)

momentum64_sd1:
	FMOVD   (R0), F4                                // p again, after v is written (aliasing)
	FMADDD  F24, F4, F0, F4                         // p = fma(s, -lr, p)
	B       momentum64_store1

momentum64_svn1:
	FMOVD   (R0), F4                                // p again, after v is written (aliasing)
	FMADDD  F24, F4, F12, F4                        // p = fma(v', -lr, p)

momentum64_store1:
	FMOVD.P F4, 8(R0)
	SUBS    $1, R5, R5
	BNE     momentum64_by1

momentum64_done:
	RET

// ---------------------------------------------------------------------------
// BatchMomentumStep

// func batchMomentumStep64NEON(p, v, rows []float64, scale, negLR, mu, c, wd float64, mode uint64)
//
//    batchMomentumStep64NEON for float64.
//
// Requires: ASIMD
// Registers: as batchMomentumStep64NEON, with tiles of 16 columns (V0-V3
// and V16-V19, 8 independent FADD per row), then one of 8 columns, then
// single columns; R7 = n*8.
TEXT ·batchMomentumStep64NEON(SB), NOSPLIT, $0-120
	MOVD   p_base+0(FP), R0
	MOVD   p_len+8(FP), R5
	MOVD   v_base+24(FP), R2
	MOVD   rows_base+48(FP), R1
	MOVD   rows_len+56(FP), R8
	MOVD   mode+112(FP), R6
	FMOVD  scale+72(FP), F28
	VDUP   V28.D[0], V28.D2
	FMOVD  negLR+80(FP), F24
	VDUP   V24.D[0], V24.D2
	FMOVD  mu+88(FP), F25
	VDUP   V25.D[0], V25.D2
	FMOVD  c+96(FP), F26
	VDUP   V26.D[0], V26.D2
	FMOVD  wd+104(FP), F27
	VDUP   V27.D[0], V27.D2
	UDIV   R5, R8, R8                              // m = len(rows)/n
	LSL    $3, R5, R7
	LSR    $4, R5, R4
	AND    $15, R5, R5
	CBZ    R4, batch64_rest

batch64_by16:
	CBZ    R8, batch64_zero16
	MOVD   R1, R9
	ADD    $64, R1, R12
	VLD1.P (R9)(R7), [V0.D2, V1.D2, V2.D2, V3.D2] // s = rows[i], columns 0-7
	VLD1.P (R12)(R7), [V16.D2, V17.D2, V18.D2, V19.D2] // columns 8-15
	SUBS   $1, R8, R10
	BEQ    batch64_scale16

batch64_rows16:
	VLD1.P (R9)(R7), [V8.D2, V9.D2, V10.D2, V11.D2]
	VLD1.P (R12)(R7), [V12.D2, V13.D2, V14.D2, V15.D2]
	WORD $0x4e68d400 // fadd v0.2d, v0.2d, v8.2d /* s = s + rows[r*n+i] */
	WORD $0x4e69d421 // fadd v1.2d, v1.2d, v9.2d
	WORD $0x4e6ad442 // fadd v2.2d, v2.2d, v10.2d
	WORD $0x4e6bd463 // fadd v3.2d, v3.2d, v11.2d
	WORD $0x4e6cd610 // fadd v16.2d, v16.2d, v12.2d
	WORD $0x4e6dd631 // fadd v17.2d, v17.2d, v13.2d
	WORD $0x4e6ed652 // fadd v18.2d, v18.2d, v14.2d
	WORD $0x4e6fd673 // fadd v19.2d, v19.2d, v15.2d
	SUBS   $1, R10, R10
	BNE    batch64_rows16

batch64_scale16:
	WORD $0x6e7cdc00 // fmul v0.2d, v0.2d, v28.2d /* g = scale*s */
	WORD $0x6e7cdc21 // fmul v1.2d, v1.2d, v28.2d
	WORD $0x6e7cdc42 // fmul v2.2d, v2.2d, v28.2d
	WORD $0x6e7cdc63 // fmul v3.2d, v3.2d, v28.2d
	WORD $0x6e7cde10 // fmul v16.2d, v16.2d, v28.2d
	WORD $0x6e7cde31 // fmul v17.2d, v17.2d, v28.2d
	WORD $0x6e7cde52 // fmul v18.2d, v18.2d, v28.2d
	WORD $0x6e7cde73 // fmul v19.2d, v19.2d, v28.2d
	B      batch64_halves

batch64_zero16:
	VEOR   V0.B16, V0.B16, V0.B16                  // g = +0
	VEOR   V1.B16, V1.B16, V1.B16
	VEOR   V2.B16, V2.B16, V2.B16
	VEOR   V3.B16, V3.B16, V3.B16
	VEOR   V16.B16, V16.B16, V16.B16
	VEOR   V17.B16, V17.B16, V17.B16
	VEOR   V18.B16, V18.B16, V18.B16
	VEOR   V19.B16, V19.B16, V19.B16

batch64_halves:
	ADD    $128, R1, R1
	MOVD   $2, R11                                 // update columns 0-7, then 8-15
	B      batch64_g

batch64_rest:                                       // one tile of 8 columns, if left
	TBZ    $3, R5, batch64_tail
	AND    $7, R5, R5
	CBZ    R8, batch64_zero8
	MOVD   R1, R9
	VLD1.P (R9)(R7), [V0.D2, V1.D2, V2.D2, V3.D2] // s = rows[i]
	SUBS   $1, R8, R10
	BEQ    batch64_scale8

batch64_rows8:
	VLD1.P (R9)(R7), [V8.D2, V9.D2, V10.D2, V11.D2]
	WORD $0x4e68d400 // fadd v0.2d, v0.2d, v8.2d
	WORD $0x4e69d421 // fadd v1.2d, v1.2d, v9.2d
	WORD $0x4e6ad442 // fadd v2.2d, v2.2d, v10.2d
	WORD $0x4e6bd463 // fadd v3.2d, v3.2d, v11.2d
	SUBS   $1, R10, R10
	BNE    batch64_rows8

batch64_scale8:
	WORD $0x6e7cdc00 // fmul v0.2d, v0.2d, v28.2d
	WORD $0x6e7cdc21 // fmul v1.2d, v1.2d, v28.2d
	WORD $0x6e7cdc42 // fmul v2.2d, v2.2d, v28.2d
	WORD $0x6e7cdc63 // fmul v3.2d, v3.2d, v28.2d
	B      batch64_half

batch64_zero8:
	VEOR   V0.B16, V0.B16, V0.B16
	VEOR   V1.B16, V1.B16, V1.B16
	VEOR   V2.B16, V2.B16, V2.B16
	VEOR   V3.B16, V3.B16, V3.B16

batch64_half:
	ADD    $64, R1, R1
	MOVD   $1, R11

batch64_g:
	TBZ    $0, R6, batch64_d
	WORD $0x6ee0f800 // fneg v0.2d, v0.2d /* g' = -g */
	WORD $0x6ee0f821 // fneg v1.2d, v1.2d
	WORD $0x6ee0f842 // fneg v2.2d, v2.2d
	WORD $0x6ee0f863 // fneg v3.2d, v3.2d

batch64_d:
	TBZ    $1, R6, batch64_v
	VLD1   (R0), [V4.D2, V5.D2, V6.D2, V7.D2]      // p (for the decay)
	VFMLA  V27.D2, V4.D2, V0.D2                    // d = fma(wd, p, g')
	VFMLA  V27.D2, V5.D2, V1.D2
	VFMLA  V27.D2, V6.D2, V2.D2
	VFMLA  V27.D2, V7.D2, V3.D2

batch64_v:
	TBZ    $2, R6, batch64_sd                      // Mu == 0: s = d
	TBNZ   $3, R6, batch64_history
	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R2)    // Fresh: v' = d
	TBZ    $4, R6, batch64_sd
	VFMLA  V25.D2, V0.D2, V0.D2                    // s = fma(mu, v', d), v' = d
	VFMLA  V25.D2, V1.D2, V1.D2
	VFMLA  V25.D2, V2.D2, V2.D2
	VFMLA  V25.D2, V3.D2, V3.D2
	B      batch64_sd

batch64_history:
	VLD1   (R2), [V8.D2, V9.D2, V10.D2, V11.D2]    // v
	WORD $0x6e7adc0c // fmul v12.2d, v0.2d, v26.2d /* c*d */
	WORD $0x6e7adc2d // fmul v13.2d, v1.2d, v26.2d
	WORD $0x6e7adc4e // fmul v14.2d, v2.2d, v26.2d
	WORD $0x6e7adc6f // fmul v15.2d, v3.2d, v26.2d
	VFMLA  V25.D2, V8.D2, V12.D2                   // v' = fma(mu, v, c*d)
	VFMLA  V25.D2, V9.D2, V13.D2
	VFMLA  V25.D2, V10.D2, V14.D2
	VFMLA  V25.D2, V11.D2, V15.D2
	VST1.P [V12.D2, V13.D2, V14.D2, V15.D2], 64(R2)
	TBZ    $4, R6, batch64_svn
	VFMLA  V25.D2, V12.D2, V0.D2                   // s = fma(mu, v', d)
	VFMLA  V25.D2, V13.D2, V1.D2
	VFMLA  V25.D2, V14.D2, V2.D2
	VFMLA  V25.D2, V15.D2, V3.D2

batch64_sd:
	VLD1   (R0), [V4.D2, V5.D2, V6.D2, V7.D2]      // p again, after v is written (aliasing)
	VFMLA  V24.D2, V0.D2, V4.D2                    // p = fma(-lr, s, p), s in V0-V3
	VFMLA  V24.D2, V1.D2, V5.D2
	VFMLA  V24.D2, V2.D2, V6.D2
	VFMLA  V24.D2, V3.D2, V7.D2
	B      batch64_store

batch64_svn:
	VLD1   (R0), [V4.D2, V5.D2, V6.D2, V7.D2]      // p again, after v is written (aliasing)
	VFMLA  V24.D2, V12.D2, V4.D2                   // p = fma(-lr, s, p), s = v'
	VFMLA  V24.D2, V13.D2, V5.D2
	VFMLA  V24.D2, V14.D2, V6.D2
	VFMLA  V24.D2, V15.D2, V7.D2

batch64_store:
	VST1.P [V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUBS   $1, R11, R11
	BEQ    batch64_next
	VMOV   V16.B16, V0.B16                         // the gradient of columns 8-15
	VMOV   V17.B16, V1.B16
	VMOV   V18.B16, V2.B16
	VMOV   V19.B16, V3.B16
	B      batch64_g

batch64_next:
	CBZ    R4, batch64_rest                        // the 8-column tile is done
	SUBS   $1, R4, R4
	BNE    batch64_by16
	B      batch64_rest

batch64_tail:
	CBZ    R5, batch64_done

batch64_by1:
	VEOR    V0.B16, V0.B16, V0.B16                  // g = +0 if m == 0
	CBZ     R8, batch64_g1
	MOVD    R1, R9
	FMOVD   (R9), F0                                // s = rows[i]
	ADD     R7, R9, R9
	SUBS    $1, R8, R10
	BEQ     batch64_scale1

batch64_rows1:
	FMOVD   (R9), F8
	ADD     R7, R9, R9
	FADDD   F8, F0, F0                              // s = s + rows[r*n+i]
	SUBS    $1, R10, R10
	BNE     batch64_rows1

batch64_scale1:
	FMULD   F28, F0, F0                             // g = s*scale

batch64_g1:
	ADD     $8, R1, R1
	TBZ     $0, R6, batch64_d1
	FNEGD   F0, F0

batch64_d1:
	TBZ     $1, R6, batch64_v1
	FMOVD   (R0), F4                                // p (for the decay)
	FMADDD  F27, F0, F4, F0                         // d = fma(p, wd, g')

batch64_v1:
	TBZ     $2, R6, batch64_sd1
	TBNZ    $3, R6, batch64_history1
	FMOVD.P F0, 8(R2)                               // v' = d
	TBZ     $4, R6, batch64_sd1
	FMADDD  F25, F0, F0, F0                         // s = fma(d, mu, d)
	B       batch64_sd1

batch64_history1:
	FMOVD   (R2), F8                                // v
	FMULD   F26, F0, F12                            // d*c
	FMADDD  F25, F12, F8, F12                       // v' = fma(v, mu, c*d)
	FMOVD.P F12, 8(R2)
	TBZ     $4, R6, batch64_svn1
	FMADDD  F25, F0, F12, F0                        // s = fma(v', mu, d)

batch64_sd1:
	FMOVD   (R0), F4                                // p again, after v is written (aliasing)
	FMADDD  F24, F4, F0, F4                         // p = fma(s, -lr, p)
	B       batch64_store1

batch64_svn1:
	FMOVD   (R0), F4                                // p again, after v is written (aliasing)
	FMADDD  F24, F4, F12, F4                        // p = fma(v', -lr, p)

batch64_store1:
	FMOVD.P F4, 8(R0)
	SUBS    $1, R5, R5
	BNE     batch64_by1

batch64_done:
	RET

