//go:build !purego

#include "textflag.h"

// AVX2+FMA3 kernels of the avx2 path for MomentumStep and
// BatchMomentumStep, float32 and float64. Each computes exactly what its
// twin in package kernels computes (kernels.MomentumStep,
// kernels.BatchMomentumStep), operation for operation, so the results are
// bit-identical (see ../shared/DESIGN.md):
//
//	g' = -g[i] if Maximize else g[i]          VXORP[SD] with the sign mask
//	d  = g' if WeightDecay == 0               (no instruction: not fma(0, p, g'),
//	     else fma(WeightDecay, p[i], g')       which differs for p = ±Inf/NaN, g' = -0)
//	if Mu == 0: s = d                         (v neither read nor written)
//	else:
//	   v' = d if Fresh
//	        else fma(Mu, v[i], c*d)           VMULP[SD] (c*d rounded alone), then VFMADD231P[SD]
//	   s  = fma(Mu, v', d) if Nesterov else v'
//	   v[i] = v'
//	p[i] = fma(-LR, s, p[i])                  VFMADD213P[SD]
//
// The Go side (momentum_amd64.go) passes the hyper-parameters as scalars:
// negLR = -LR (an exact sign flip), c = 1 - Dampening (rounded once in F,
// as the reference does), mu, wd, the sign mask (the sign bit if Maximize,
// else 0) and the variant number
//
//	variant = k + 5*(WeightDecay != 0), k = 0 if Mu == 0, else
//	          1 Fresh, 2 Fresh+Nesterov, 3 history, 4 history+Nesterov
//
// Loop variants, not branches: each kernel holds ten copies of its loops,
// one per variant, built from the macros below, and jumps to the one the
// flags select once per call, so the loops carry no test of a flag and do
// no work a variant does not need (v is not even loaded when Fresh).
//
// Per-element independence: element i depends on p[i], g[i], v[i] (and
// column i of rows) only, so the order of the vectors does not matter.
// The order of the reads and writes of one element is that of the
// reference, so p, g and v may even be the same slice: in particular the
// final fma reads p[i] after v[i] was written, as kernels does.
//
// Lengths, alignment and tails: a head of 0-7 float32 (0-3 float64)
// elements, up to the first 32-byte boundary of p (rows for the batch
// form), goes through one masked vector, so that the vectors after it do
// not split cache lines (misaligned slices otherwise run ~1.5x slower).
// Then the main loop handles 8 vectors (256 bytes) per iteration, a
// second loop single vectors, and the last partial vector is masked too.
// Masked lanes use VMASKMOVP[SD]: a masked-off lane is neither read, nor
// written, nor can it fault; it reads as +0 and its result is discarded.
// After the head (R11 elements), the byte offset BX runs over the ranges
// [head, R8) (8-vector blocks), [R8, R9) (whole vectors) and R10
// elements.
//
// Registers common to every kernel:
//	Y15 = sign mask, Y14 = -LR, Y13 = Mu, Y12 = c, Y11 = WeightDecay,
//	Y10 = head or tail mask, Y0-Y7 = d (then s) of eight vectors,
//	Y8, Y9 = c*d (then v'), alternating between neighbouring vectors,
//	Y2, Y3 = masked p and v in the head and the tail,
//	SI = &p[0], DX = &v[0], BX = byte offset of the current element.

// momIota32 and momIota64 are the lane numbers of a ymm register: a lane
// is inside the slice when its number is below the count of elements left.
DATA momIota32<>+0(SB)/4, $0
DATA momIota32<>+4(SB)/4, $1
DATA momIota32<>+8(SB)/4, $2
DATA momIota32<>+12(SB)/4, $3
DATA momIota32<>+16(SB)/4, $4
DATA momIota32<>+20(SB)/4, $5
DATA momIota32<>+24(SB)/4, $6
DATA momIota32<>+28(SB)/4, $7
GLOBL momIota32<>(SB), RODATA|NOPTR, $32

DATA momIota64<>+0(SB)/8, $0
DATA momIota64<>+8(SB)/8, $1
DATA momIota64<>+16(SB)/8, $2
DATA momIota64<>+24(SB)/8, $3
GLOBL momIota64<>(SB), RODATA|NOPTR, $32

// MOM_MASK32(n) sets Y10 to all-ones in float32 lanes 0..n-1 (n in 0..7),
// zero elsewhere; MOM_MASK64(n) the same in float64 lanes (n in 0..3).
#define MOM_MASK32(n) VMOVD n, X10; VPBROADCASTD X10, Y10; VPCMPGTD momIota32<>(SB), Y10, Y10
#define MOM_MASK64(n) VMOVQ n, X10; VPBROADCASTQ X10, Y10; VPCMPGTQ momIota64<>(SB), Y10, Y10

// MOM_NONE expands to nothing: the empty choice of an optional step.
#define MOM_NONE

// Stores of a result register r to the address a: whole vector, or the
// lanes of the tail mask Y10.
#define MOM_STU32(r, a) VMOVUPS r, a
#define MOM_STM32(r, a) VMASKMOVPS r, Y10, a
#define MOM_STU64(r, a) VMOVUPD r, a
#define MOM_STM64(r, a) VMASKMOVPD r, Y10, a

// Weight decay: d = fma(wd, p, d) with operand P (memory or register), or
// nothing at all when WeightDecay == 0.
#define MOM_WD32(P, D) VFMADD231PS P, Y11, D
#define MOM_WD64(P, D) VFMADD231PD P, Y11, D
#define MOM_NOWD(P, D)

// Masked loads of the tail: v into Y3 (only for the variants that read
// v), and p into Y2 again right after v was written (MOM_RELOADP*, passed
// as RLP), so that p and v may be the same slice in the tail too.
#define MOM_LDV32 VMASKMOVPS (DX)(BX*1), Y10, Y3
#define MOM_LDV64 VMASKMOVPD (DX)(BX*1), Y10, Y3
#define MOM_RELOADP32 VMASKMOVPS (SI)(BX*1), Y10, Y2
#define MOM_RELOADP64 VMASKMOVPD (SI)(BX*1), Y10, Y2

// The five momentum steps of one vector, one per value of k in the
// variant number. Arguments:
//	WDS   MOM_WD32/64 or MOM_NOWD
//	ST    store macro (MOM_STU* in the loops, MOM_STM* in the tail)
//	RLP   MOM_NONE, or MOM_RELOADP* in the tail
//	GOP   g (memory, or a register already holding g)
//	POP   p as read (memory or register), VOP v as read
//	PA    address of p, VA address of v (for the stores)
//	D     register for d then s, T register for c*d then v'
//
// MOMk0: Mu == 0           s = d
// MOMk1: Fresh             v' = d, s = v'
// MOMk2: Fresh, Nesterov   v' = d, s = fma(Mu, v', d)
// MOMk3: history           v' = fma(Mu, v, c*d), s = v'
// MOMk4: history, Nesterov v' = fma(Mu, v, c*d), s = fma(Mu, v', d)

#define MOM0_32(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPS GOP, Y15, D; \
	WDS(POP, D); \
	VFMADD213PS POP, Y14, D; \
	ST(D, PA)

#define MOM1_32(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPS GOP, Y15, D; \
	WDS(POP, D); \
	ST(D, VA); \
	RLP; \
	VFMADD213PS POP, Y14, D; \
	ST(D, PA)

#define MOM2_32(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPS GOP, Y15, D; \
	WDS(POP, D); \
	ST(D, VA); \
	VFMADD231PS D, Y13, D; \
	RLP; \
	VFMADD213PS POP, Y14, D; \
	ST(D, PA)

#define MOM3_32(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPS GOP, Y15, D; \
	WDS(POP, D); \
	VMULPS D, Y12, T; \
	VFMADD231PS VOP, Y13, T; \
	ST(T, VA); \
	RLP; \
	VFMADD213PS POP, Y14, T; \
	ST(T, PA)

#define MOM4_32(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPS GOP, Y15, D; \
	WDS(POP, D); \
	VMULPS D, Y12, T; \
	VFMADD231PS VOP, Y13, T; \
	ST(T, VA); \
	VFMADD231PS T, Y13, D; \
	RLP; \
	VFMADD213PS POP, Y14, D; \
	ST(D, PA)

#define MOM0_64(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPD GOP, Y15, D; \
	WDS(POP, D); \
	VFMADD213PD POP, Y14, D; \
	ST(D, PA)

#define MOM1_64(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPD GOP, Y15, D; \
	WDS(POP, D); \
	ST(D, VA); \
	RLP; \
	VFMADD213PD POP, Y14, D; \
	ST(D, PA)

#define MOM2_64(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPD GOP, Y15, D; \
	WDS(POP, D); \
	ST(D, VA); \
	VFMADD231PD D, Y13, D; \
	RLP; \
	VFMADD213PD POP, Y14, D; \
	ST(D, PA)

#define MOM3_64(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPD GOP, Y15, D; \
	WDS(POP, D); \
	VMULPD D, Y12, T; \
	VFMADD231PD VOP, Y13, T; \
	ST(T, VA); \
	RLP; \
	VFMADD213PD POP, Y14, T; \
	ST(T, PA)

#define MOM4_64(WDS, ST, RLP, GOP, POP, VOP, PA, VA, D, T) \
	VXORPD GOP, Y15, D; \
	WDS(POP, D); \
	VMULPD D, Y12, T; \
	VFMADD231PD VOP, Y13, T; \
	ST(T, VA); \
	VFMADD231PD T, Y13, D; \
	RLP; \
	VFMADD213PD POP, Y14, D; \
	ST(D, PA)

// One step on the whole vector at byte offset off of MomentumStep: g, p
// and v straight from memory (DI = &g[0]).
#define MOM_AT(STEP, WDS, ST, off, D, T) \
	STEP(WDS, ST, MOM_NONE, off(DI)(BX*1), off(SI)(BX*1), off(DX)(BX*1), off(SI)(BX*1), off(DX)(BX*1), D, T)

// One step of BatchMomentumStep on the vector at byte offset off whose
// gradient is already in register D.
#define BMOM_AT(STEP, WDS, ST, off, D, T) \
	STEP(WDS, ST, MOM_NONE, D, off(SI)(BX*1), off(DX)(BX*1), off(SI)(BX*1), off(DX)(BX*1), D, T)

// MOM_MASKED32/64: one step of MomentumStep on the first cnt (1..7 or
// 1..3) elements at byte offset BX, through the lane mask Y10.
#define MOM_MASKED32(STEP, WDS, VLD, cnt) \
	MOM_MASK32(cnt); \
	VMASKMOVPS (DI)(BX*1), Y10, Y0; \
	VMASKMOVPS (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM32, MOM_RELOADP32, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8)

#define MOM_MASKED64(STEP, WDS, VLD, cnt) \
	MOM_MASK64(cnt); \
	VMASKMOVPD (DI)(BX*1), Y10, Y0; \
	VMASKMOVPD (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM64, MOM_RELOADP64, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8)

// ---------------------------------------------------------------------------
// MomentumStep

// MOMSTEP32_RUN is the whole of momentumStep32AVX2 for one variant (STEP,
// WDS; VLD loads v in the tail if the variant reads it), from BX = 0 to
// the end; the labels are its own.
#define MOMSTEP32_RUN(STEP, WDS, VLD, start, body, by8, by1, tail, done) \
start: \
	TESTQ R11, R11; \
	JZ    body; \
	MOM_MASKED32(STEP, WDS, VLD, R11); \
	MOVQ  R11, BX; \
	SHLQ  $2, BX; \
body: \
	CMPQ BX, R8; \
	JAE  by1; \
by8: \
	MOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	MOM_AT(STEP, WDS, MOM_STU32, 32, Y1, Y9); \
	MOM_AT(STEP, WDS, MOM_STU32, 64, Y2, Y8); \
	MOM_AT(STEP, WDS, MOM_STU32, 96, Y3, Y9); \
	MOM_AT(STEP, WDS, MOM_STU32, 128, Y4, Y8); \
	MOM_AT(STEP, WDS, MOM_STU32, 160, Y5, Y9); \
	MOM_AT(STEP, WDS, MOM_STU32, 192, Y6, Y8); \
	MOM_AT(STEP, WDS, MOM_STU32, 224, Y7, Y9); \
	ADDQ $256, BX; \
	CMPQ BX, R8; \
	JB   by8; \
by1: \
	CMPQ BX, R9; \
	JAE  tail; \
	MOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	ADDQ $32, BX; \
	JMP  by1; \
tail: \
	TESTQ R10, R10; \
	JZ    done; \
	MOM_MASKED32(STEP, WDS, VLD, R10); \
done: \
	VZEROUPPER; \
	RET

// MOMSTEP64_RUN is MOMSTEP32_RUN for float64.
#define MOMSTEP64_RUN(STEP, WDS, VLD, start, body, by8, by1, tail, done) \
start: \
	TESTQ R11, R11; \
	JZ    body; \
	MOM_MASKED64(STEP, WDS, VLD, R11); \
	MOVQ  R11, BX; \
	SHLQ  $3, BX; \
body: \
	CMPQ BX, R8; \
	JAE  by1; \
by8: \
	MOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	MOM_AT(STEP, WDS, MOM_STU64, 32, Y1, Y9); \
	MOM_AT(STEP, WDS, MOM_STU64, 64, Y2, Y8); \
	MOM_AT(STEP, WDS, MOM_STU64, 96, Y3, Y9); \
	MOM_AT(STEP, WDS, MOM_STU64, 128, Y4, Y8); \
	MOM_AT(STEP, WDS, MOM_STU64, 160, Y5, Y9); \
	MOM_AT(STEP, WDS, MOM_STU64, 192, Y6, Y8); \
	MOM_AT(STEP, WDS, MOM_STU64, 224, Y7, Y9); \
	ADDQ $256, BX; \
	CMPQ BX, R8; \
	JB   by8; \
by1: \
	CMPQ BX, R9; \
	JAE  tail; \
	MOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	ADDQ $32, BX; \
	JMP  by1; \
tail: \
	TESTQ R10, R10; \
	JZ    done; \
	MOM_MASKED64(STEP, WDS, VLD, R10); \
done: \
	VZEROUPPER; \
	RET

// MOM_DISPATCH jumps to the loops of variant AX (0..9); the labels are
// the start labels of the ten variants in order.
#define MOM_DISPATCH(l0, l1, l2, l3, l4, l5, l6, l7, l8, l9) \
	CMPQ AX, $5; \
	JAE  mom_dispatch_wd; \
	CMPQ AX, $3; \
	JEQ  l3; \
	JA   l4; \
	CMPQ AX, $1; \
	JEQ  l1; \
	JA   l2; \
	JMP  l0; \
mom_dispatch_wd: \
	CMPQ AX, $8; \
	JEQ  l8; \
	JA   l9; \
	CMPQ AX, $6; \
	JEQ  l6; \
	JA   l7; \
	JMP  l5

// ---------------------------------------------------------------------------
// BatchMomentumStep
//
// The gradient of a tile of columns is summed in registers across all m
// rows (row r of the tile at DI + r*R13 + BX), scaled, and goes straight
// into the momentum step of that tile: rows, p and v are read once, p and
// v written once, and g never reaches the caller's memory. The adds keep
// the row order of the reference per column (s = row 0; s = s + row r for
// r = 1..m-1; g = scale*s). m >= 1 here: the Go side handles m == 0
// (g = 0).
//
// Tiles are 16 vectors wide (512 bytes of each row): when the row stride
// is a multiple of 4 KiB (n = 1024 float32, say) every row maps to the
// same L1 sets, and long runs per row keep the loads streaming. The 16
// column sums fill every ymm register, so the step of a tile parks sums
// 10-15 in the frame (6 stores to L1), reloads the hyper-parameters into
// Y11-Y15 and steps sums 0-9 from registers and 10-15 from the frame,
// with Y10 as c*d and v'. Columns left over go through tiles of 8 and
// 4 vectors, then single vectors, then one masked vector.
//
// Extra registers: DI = &rows[0], CX = m, R13 = row stride in bytes,
// R11 = &rows[r][BX], R12 = rows left, R8 = byte end of the 16-vector
// tiles, AX = scratch. Frame: 0-191(SP) = parked sums,
// BMOM_SCALE(SP) = scale broadcast to a vector, BMOM_HEAD(SP) = columns
// in the head.

#define BMOM_SCALE 192
#define BMOM_HEAD 224

// BMOM_CONSTS32/64 broadcast the hyper-parameters into Y11-Y15.
#define BMOM_CONSTS32 \
	VBROADCASTSS negLR+76(FP), Y14; \
	VBROADCASTSS mu+80(FP), Y13; \
	VBROADCASTSS c+84(FP), Y12; \
	VBROADCASTSS wd+88(FP), Y11; \
	VBROADCASTSS sign+92(FP), Y15

#define BMOM_CONSTS64 \
	VBROADCASTSD negLR+80(FP), Y14; \
	VBROADCASTSD mu+88(FP), Y13; \
	VBROADCASTSD c+96(FP), Y12; \
	VBROADCASTSD wd+104(FP), Y11; \
	VBROADCASTSD sign+112(FP), Y15

// One step of the vector at byte offset off whose gradient was parked at
// goff(SP).
#define BMOM_SPILLED(STEP, WDS, ST, goff, off, D, T) \
	STEP(WDS, ST, MOM_NONE, goff(SP), off(SI)(BX*1), off(DX)(BX*1), off(SI)(BX*1), off(DX)(BX*1), D, T)

// BMOM_MASKED32/64: one step of BatchMomentumStep on the first cnt
// columns at byte offset BX, through the lane mask Y10 (lanes outside
// read as +0 from every row and are not stored); rowsl and scalel are
// its labels.
#define BMOM_MASKED32(STEP, WDS, VLD, cnt, rowsl, scalel) \
	MOM_MASK32(cnt); \
	LEAQ (DI)(BX*1), R11; \
	VMASKMOVPS (R11), Y10, Y0; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scalel; \
rowsl: \
	ADDQ R13, R11; \
	VMASKMOVPS (R11), Y10, Y1; \
	VADDPS Y1, Y0, Y0; \
	DECQ R12; \
	JNZ  rowsl; \
scalel: \
	VMULPS BMOM_SCALE(SP), Y0, Y0; \
	VMASKMOVPS (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM32, MOM_RELOADP32, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8)

#define BMOM_MASKED64(STEP, WDS, VLD, cnt, rowsl, scalel) \
	MOM_MASK64(cnt); \
	LEAQ (DI)(BX*1), R11; \
	VMASKMOVPD (R11), Y10, Y0; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scalel; \
rowsl: \
	ADDQ R13, R11; \
	VMASKMOVPD (R11), Y10, Y1; \
	VADDPD Y1, Y0, Y0; \
	DECQ R12; \
	JNZ  rowsl; \
scalel: \
	VMULPD BMOM_SCALE(SP), Y0, Y0; \
	VMASKMOVPD (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM64, MOM_RELOADP64, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8)

// BMOMSTEP32_RUN is the whole of batchMomentumStep32AVX2 for one variant.
#define BMOMSTEP32_RUN(STEP, WDS, VLD, start, rowsh, scaleh, body, by16, rows16, scale16, by8, rows8, scale8, by4, rows4, scale4, by1, rows1, scale1, tail, rowst, scalet, done) \
start: \
	MOVQ  BMOM_HEAD(SP), AX; \
	TESTQ AX, AX; \
	JZ    body; \
	BMOM_MASKED32(STEP, WDS, VLD, AX, rowsh, scaleh); \
	MOVQ  BMOM_HEAD(SP), BX; \
	SHLQ  $2, BX; \
body: \
	CMPQ BX, R8; \
	JAE  by8; \
by16: \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPS 0(R11), Y0; \
	VMOVUPS 32(R11), Y1; \
	VMOVUPS 64(R11), Y2; \
	VMOVUPS 96(R11), Y3; \
	VMOVUPS 128(R11), Y4; \
	VMOVUPS 160(R11), Y5; \
	VMOVUPS 192(R11), Y6; \
	VMOVUPS 224(R11), Y7; \
	VMOVUPS 256(R11), Y8; \
	VMOVUPS 288(R11), Y9; \
	VMOVUPS 320(R11), Y10; \
	VMOVUPS 352(R11), Y11; \
	VMOVUPS 384(R11), Y12; \
	VMOVUPS 416(R11), Y13; \
	VMOVUPS 448(R11), Y14; \
	VMOVUPS 480(R11), Y15; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale16; \
rows16: \
	ADDQ R13, R11; \
	VADDPS 0(R11), Y0, Y0; \
	VADDPS 32(R11), Y1, Y1; \
	VADDPS 64(R11), Y2, Y2; \
	VADDPS 96(R11), Y3, Y3; \
	VADDPS 128(R11), Y4, Y4; \
	VADDPS 160(R11), Y5, Y5; \
	VADDPS 192(R11), Y6, Y6; \
	VADDPS 224(R11), Y7, Y7; \
	VADDPS 256(R11), Y8, Y8; \
	VADDPS 288(R11), Y9, Y9; \
	VADDPS 320(R11), Y10, Y10; \
	VADDPS 352(R11), Y11, Y11; \
	VADDPS 384(R11), Y12, Y12; \
	VADDPS 416(R11), Y13, Y13; \
	VADDPS 448(R11), Y14, Y14; \
	VADDPS 480(R11), Y15, Y15; \
	DECQ R12; \
	JNZ  rows16; \
scale16: \
	VMULPS BMOM_SCALE(SP), Y0, Y0; \
	VMULPS BMOM_SCALE(SP), Y1, Y1; \
	VMULPS BMOM_SCALE(SP), Y2, Y2; \
	VMULPS BMOM_SCALE(SP), Y3, Y3; \
	VMULPS BMOM_SCALE(SP), Y4, Y4; \
	VMULPS BMOM_SCALE(SP), Y5, Y5; \
	VMULPS BMOM_SCALE(SP), Y6, Y6; \
	VMULPS BMOM_SCALE(SP), Y7, Y7; \
	VMULPS BMOM_SCALE(SP), Y8, Y8; \
	VMULPS BMOM_SCALE(SP), Y9, Y9; \
	VMULPS BMOM_SCALE(SP), Y10, Y10; \
	VMULPS BMOM_SCALE(SP), Y11, Y11; \
	VMULPS BMOM_SCALE(SP), Y12, Y12; \
	VMULPS BMOM_SCALE(SP), Y13, Y13; \
	VMULPS BMOM_SCALE(SP), Y14, Y14; \
	VMULPS BMOM_SCALE(SP), Y15, Y15; \
	VMOVUPS Y10, 0(SP); \
	VMOVUPS Y11, 32(SP); \
	VMOVUPS Y12, 64(SP); \
	VMOVUPS Y13, 96(SP); \
	VMOVUPS Y14, 128(SP); \
	VMOVUPS Y15, 160(SP); \
	BMOM_CONSTS32; \
	BMOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 32, Y1, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 64, Y2, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 96, Y3, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 128, Y4, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 160, Y5, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 192, Y6, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 224, Y7, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 256, Y8, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU32, 288, Y9, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU32, 0, 320, Y0, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU32, 32, 352, Y1, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU32, 64, 384, Y2, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU32, 96, 416, Y3, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU32, 128, 448, Y4, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU32, 160, 480, Y5, Y10); \
	ADDQ $512, BX; \
	CMPQ BX, R8; \
	JB   by16; \
by8: \
	LEAQ 256(BX), AX; \
	CMPQ AX, R9; \
	JA   by4; \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPS 0(R11), Y0; \
	VMOVUPS 32(R11), Y1; \
	VMOVUPS 64(R11), Y2; \
	VMOVUPS 96(R11), Y3; \
	VMOVUPS 128(R11), Y4; \
	VMOVUPS 160(R11), Y5; \
	VMOVUPS 192(R11), Y6; \
	VMOVUPS 224(R11), Y7; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale8; \
rows8: \
	ADDQ R13, R11; \
	VADDPS 0(R11), Y0, Y0; \
	VADDPS 32(R11), Y1, Y1; \
	VADDPS 64(R11), Y2, Y2; \
	VADDPS 96(R11), Y3, Y3; \
	VADDPS 128(R11), Y4, Y4; \
	VADDPS 160(R11), Y5, Y5; \
	VADDPS 192(R11), Y6, Y6; \
	VADDPS 224(R11), Y7, Y7; \
	DECQ R12; \
	JNZ  rows8; \
scale8: \
	VMULPS BMOM_SCALE(SP), Y0, Y0; \
	VMULPS BMOM_SCALE(SP), Y1, Y1; \
	VMULPS BMOM_SCALE(SP), Y2, Y2; \
	VMULPS BMOM_SCALE(SP), Y3, Y3; \
	VMULPS BMOM_SCALE(SP), Y4, Y4; \
	VMULPS BMOM_SCALE(SP), Y5, Y5; \
	VMULPS BMOM_SCALE(SP), Y6, Y6; \
	VMULPS BMOM_SCALE(SP), Y7, Y7; \
	BMOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 32, Y1, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 64, Y2, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 96, Y3, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 128, Y4, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 160, Y5, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 192, Y6, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 224, Y7, Y9); \
	ADDQ $256, BX; \
	JMP  by8; \
by4: \
	LEAQ 128(BX), AX; \
	CMPQ AX, R9; \
	JA   by1; \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPS 0(R11), Y0; \
	VMOVUPS 32(R11), Y1; \
	VMOVUPS 64(R11), Y2; \
	VMOVUPS 96(R11), Y3; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale4; \
rows4: \
	ADDQ R13, R11; \
	VADDPS 0(R11), Y0, Y0; \
	VADDPS 32(R11), Y1, Y1; \
	VADDPS 64(R11), Y2, Y2; \
	VADDPS 96(R11), Y3, Y3; \
	DECQ R12; \
	JNZ  rows4; \
scale4: \
	VMULPS BMOM_SCALE(SP), Y0, Y0; \
	VMULPS BMOM_SCALE(SP), Y1, Y1; \
	VMULPS BMOM_SCALE(SP), Y2, Y2; \
	VMULPS BMOM_SCALE(SP), Y3, Y3; \
	BMOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 32, Y1, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 64, Y2, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 96, Y3, Y9); \
	ADDQ $128, BX; \
	JMP  by4; \
by1: \
	CMPQ BX, R9; \
	JAE  tail; \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPS (R11), Y0; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale1; \
rows1: \
	ADDQ R13, R11; \
	VADDPS (R11), Y0, Y0; \
	DECQ R12; \
	JNZ  rows1; \
scale1: \
	VMULPS BMOM_SCALE(SP), Y0, Y0; \
	BMOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	ADDQ $32, BX; \
	JMP  by1; \
tail: \
	TESTQ R10, R10; \
	JZ    done; \
	BMOM_MASKED32(STEP, WDS, VLD, R10, rowst, scalet); \
done: \
	VZEROUPPER; \
	RET

// BMOMSTEP64_RUN is BMOMSTEP32_RUN for float64.
#define BMOMSTEP64_RUN(STEP, WDS, VLD, start, rowsh, scaleh, body, by16, rows16, scale16, by8, rows8, scale8, by4, rows4, scale4, by1, rows1, scale1, tail, rowst, scalet, done) \
start: \
	MOVQ  BMOM_HEAD(SP), AX; \
	TESTQ AX, AX; \
	JZ    body; \
	BMOM_MASKED64(STEP, WDS, VLD, AX, rowsh, scaleh); \
	MOVQ  BMOM_HEAD(SP), BX; \
	SHLQ  $3, BX; \
body: \
	CMPQ BX, R8; \
	JAE  by8; \
by16: \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPD 0(R11), Y0; \
	VMOVUPD 32(R11), Y1; \
	VMOVUPD 64(R11), Y2; \
	VMOVUPD 96(R11), Y3; \
	VMOVUPD 128(R11), Y4; \
	VMOVUPD 160(R11), Y5; \
	VMOVUPD 192(R11), Y6; \
	VMOVUPD 224(R11), Y7; \
	VMOVUPD 256(R11), Y8; \
	VMOVUPD 288(R11), Y9; \
	VMOVUPD 320(R11), Y10; \
	VMOVUPD 352(R11), Y11; \
	VMOVUPD 384(R11), Y12; \
	VMOVUPD 416(R11), Y13; \
	VMOVUPD 448(R11), Y14; \
	VMOVUPD 480(R11), Y15; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale16; \
rows16: \
	ADDQ R13, R11; \
	VADDPD 0(R11), Y0, Y0; \
	VADDPD 32(R11), Y1, Y1; \
	VADDPD 64(R11), Y2, Y2; \
	VADDPD 96(R11), Y3, Y3; \
	VADDPD 128(R11), Y4, Y4; \
	VADDPD 160(R11), Y5, Y5; \
	VADDPD 192(R11), Y6, Y6; \
	VADDPD 224(R11), Y7, Y7; \
	VADDPD 256(R11), Y8, Y8; \
	VADDPD 288(R11), Y9, Y9; \
	VADDPD 320(R11), Y10, Y10; \
	VADDPD 352(R11), Y11, Y11; \
	VADDPD 384(R11), Y12, Y12; \
	VADDPD 416(R11), Y13, Y13; \
	VADDPD 448(R11), Y14, Y14; \
	VADDPD 480(R11), Y15, Y15; \
	DECQ R12; \
	JNZ  rows16; \
scale16: \
	VMULPD BMOM_SCALE(SP), Y0, Y0; \
	VMULPD BMOM_SCALE(SP), Y1, Y1; \
	VMULPD BMOM_SCALE(SP), Y2, Y2; \
	VMULPD BMOM_SCALE(SP), Y3, Y3; \
	VMULPD BMOM_SCALE(SP), Y4, Y4; \
	VMULPD BMOM_SCALE(SP), Y5, Y5; \
	VMULPD BMOM_SCALE(SP), Y6, Y6; \
	VMULPD BMOM_SCALE(SP), Y7, Y7; \
	VMULPD BMOM_SCALE(SP), Y8, Y8; \
	VMULPD BMOM_SCALE(SP), Y9, Y9; \
	VMULPD BMOM_SCALE(SP), Y10, Y10; \
	VMULPD BMOM_SCALE(SP), Y11, Y11; \
	VMULPD BMOM_SCALE(SP), Y12, Y12; \
	VMULPD BMOM_SCALE(SP), Y13, Y13; \
	VMULPD BMOM_SCALE(SP), Y14, Y14; \
	VMULPD BMOM_SCALE(SP), Y15, Y15; \
	VMOVUPD Y10, 0(SP); \
	VMOVUPD Y11, 32(SP); \
	VMOVUPD Y12, 64(SP); \
	VMOVUPD Y13, 96(SP); \
	VMOVUPD Y14, 128(SP); \
	VMOVUPD Y15, 160(SP); \
	BMOM_CONSTS64; \
	BMOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 32, Y1, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 64, Y2, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 96, Y3, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 128, Y4, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 160, Y5, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 192, Y6, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 224, Y7, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 256, Y8, Y10); \
	BMOM_AT(STEP, WDS, MOM_STU64, 288, Y9, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU64, 0, 320, Y0, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU64, 32, 352, Y1, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU64, 64, 384, Y2, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU64, 96, 416, Y3, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU64, 128, 448, Y4, Y10); \
	BMOM_SPILLED(STEP, WDS, MOM_STU64, 160, 480, Y5, Y10); \
	ADDQ $512, BX; \
	CMPQ BX, R8; \
	JB   by16; \
by8: \
	LEAQ 256(BX), AX; \
	CMPQ AX, R9; \
	JA   by4; \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPD 0(R11), Y0; \
	VMOVUPD 32(R11), Y1; \
	VMOVUPD 64(R11), Y2; \
	VMOVUPD 96(R11), Y3; \
	VMOVUPD 128(R11), Y4; \
	VMOVUPD 160(R11), Y5; \
	VMOVUPD 192(R11), Y6; \
	VMOVUPD 224(R11), Y7; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale8; \
rows8: \
	ADDQ R13, R11; \
	VADDPD 0(R11), Y0, Y0; \
	VADDPD 32(R11), Y1, Y1; \
	VADDPD 64(R11), Y2, Y2; \
	VADDPD 96(R11), Y3, Y3; \
	VADDPD 128(R11), Y4, Y4; \
	VADDPD 160(R11), Y5, Y5; \
	VADDPD 192(R11), Y6, Y6; \
	VADDPD 224(R11), Y7, Y7; \
	DECQ R12; \
	JNZ  rows8; \
scale8: \
	VMULPD BMOM_SCALE(SP), Y0, Y0; \
	VMULPD BMOM_SCALE(SP), Y1, Y1; \
	VMULPD BMOM_SCALE(SP), Y2, Y2; \
	VMULPD BMOM_SCALE(SP), Y3, Y3; \
	VMULPD BMOM_SCALE(SP), Y4, Y4; \
	VMULPD BMOM_SCALE(SP), Y5, Y5; \
	VMULPD BMOM_SCALE(SP), Y6, Y6; \
	VMULPD BMOM_SCALE(SP), Y7, Y7; \
	BMOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 32, Y1, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 64, Y2, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 96, Y3, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 128, Y4, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 160, Y5, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 192, Y6, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 224, Y7, Y9); \
	ADDQ $256, BX; \
	JMP  by8; \
by4: \
	LEAQ 128(BX), AX; \
	CMPQ AX, R9; \
	JA   by1; \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPD 0(R11), Y0; \
	VMOVUPD 32(R11), Y1; \
	VMOVUPD 64(R11), Y2; \
	VMOVUPD 96(R11), Y3; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale4; \
rows4: \
	ADDQ R13, R11; \
	VADDPD 0(R11), Y0, Y0; \
	VADDPD 32(R11), Y1, Y1; \
	VADDPD 64(R11), Y2, Y2; \
	VADDPD 96(R11), Y3, Y3; \
	DECQ R12; \
	JNZ  rows4; \
scale4: \
	VMULPD BMOM_SCALE(SP), Y0, Y0; \
	VMULPD BMOM_SCALE(SP), Y1, Y1; \
	VMULPD BMOM_SCALE(SP), Y2, Y2; \
	VMULPD BMOM_SCALE(SP), Y3, Y3; \
	BMOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 32, Y1, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 64, Y2, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 96, Y3, Y9); \
	ADDQ $128, BX; \
	JMP  by4; \
by1: \
	CMPQ BX, R9; \
	JAE  tail; \
	LEAQ (DI)(BX*1), R11; \
	VMOVUPD (R11), Y0; \
	MOVQ CX, R12; \
	DECQ R12; \
	JZ   scale1; \
rows1: \
	ADDQ R13, R11; \
	VADDPD (R11), Y0, Y0; \
	DECQ R12; \
	JNZ  rows1; \
scale1: \
	VMULPD BMOM_SCALE(SP), Y0, Y0; \
	BMOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	ADDQ $32, BX; \
	JMP  by1; \
tail: \
	TESTQ R10, R10; \
	JZ    done; \
	BMOM_MASKED64(STEP, WDS, VLD, R10, rowst, scalet); \
done: \
	VZEROUPPER; \
	RET

// ---------------------------------------------------------------------------
// The kernels

// func momentumStep32AVX2(p, g, v []float32, negLR, mu, c, wd float32, sign, variant uint32)
//
//	for i := range p {
//		gi := math.Float32frombits(math.Float32bits(g[i]) ^ sign)
//		d := gi                                     // variants 0-4
//		d := fma(wd, p[i], gi)                      // variants 5-9
//		s := d                                      // 0: Mu == 0
//		v[i] = d; s := d                            // 1: Fresh
//		v[i] = d; s := fma(mu, d, d)                // 2: Fresh, Nesterov
//		v[i] = fma(mu, v[i], c*d); s := v[i]        // 3
//		v[i] = fma(mu, v[i], c*d); s := fma(mu, v[i], d) // 4: Nesterov
//		p[i] = fma(negLR, s, p[i])
//	}
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &p[0], DI = &g[0], DX = &v[0] (untouched when Mu == 0),
// BX = byte offset, R11 = elements in the head, R8/R9 = byte ends of the
// 8-vector blocks / whole vectors, R10 = elements in the last partial
// vector, AX = variant; vector registers as in the file comment.
TEXT ·momentumStep32AVX2(SB), NOSPLIT, $0-96
	MOVQ         p_base+0(FP), SI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), DI
	MOVQ         v_base+48(FP), DX
	VBROADCASTSS negLR+72(FP), Y14
	VBROADCASTSS mu+76(FP), Y13
	VBROADCASTSS c+80(FP), Y12
	VBROADCASTSS wd+84(FP), Y11
	VBROADCASTSS sign+88(FP), Y15
	MOVL         variant+92(FP), AX
	MOVQ         SI, R11
	NEGQ         R11
	ANDQ         $31, R11
	SHRQ         $2, R11              // head: elements before p is 32-byte aligned
	CMPQ         R11, CX
	CMOVQHI      CX, R11              // (at most n)
	SUBQ         R11, CX              // elements after the head
	MOVQ         R11, BX
	SHLQ         $2, BX               // BX = bytes in the head
	MOVQ         CX, R10
	ANDQ         $7, R10              // elements in the partial vector
	MOVQ         CX, R9
	ANDQ         $-8, R9
	SHLQ         $2, R9
	ADDQ         BX, R9               // byte end of the whole vectors
	MOVQ         CX, R8
	ANDQ         $-64, R8
	SHLQ         $2, R8
	ADDQ         BX, R8               // byte end of the 8-vector blocks
	XORQ         BX, BX
	MOM_DISPATCH(m32v0, m32v1, m32v2, m32v3, m32v4, m32v5, m32v6, m32v7, m32v8, m32v9)

	MOMSTEP32_RUN(MOM0_32, MOM_NOWD, MOM_NONE, m32v0, m32v0body, m32v0by8, m32v0by1, m32v0tail, m32v0done)
	MOMSTEP32_RUN(MOM1_32, MOM_NOWD, MOM_NONE, m32v1, m32v1body, m32v1by8, m32v1by1, m32v1tail, m32v1done)
	MOMSTEP32_RUN(MOM2_32, MOM_NOWD, MOM_NONE, m32v2, m32v2body, m32v2by8, m32v2by1, m32v2tail, m32v2done)
	MOMSTEP32_RUN(MOM3_32, MOM_NOWD, MOM_LDV32, m32v3, m32v3body, m32v3by8, m32v3by1, m32v3tail, m32v3done)
	MOMSTEP32_RUN(MOM4_32, MOM_NOWD, MOM_LDV32, m32v4, m32v4body, m32v4by8, m32v4by1, m32v4tail, m32v4done)
	MOMSTEP32_RUN(MOM0_32, MOM_WD32, MOM_NONE, m32v5, m32v5body, m32v5by8, m32v5by1, m32v5tail, m32v5done)
	MOMSTEP32_RUN(MOM1_32, MOM_WD32, MOM_NONE, m32v6, m32v6body, m32v6by8, m32v6by1, m32v6tail, m32v6done)
	MOMSTEP32_RUN(MOM2_32, MOM_WD32, MOM_NONE, m32v7, m32v7body, m32v7by8, m32v7by1, m32v7tail, m32v7done)
	MOMSTEP32_RUN(MOM3_32, MOM_WD32, MOM_LDV32, m32v8, m32v8body, m32v8by8, m32v8by1, m32v8tail, m32v8done)
	MOMSTEP32_RUN(MOM4_32, MOM_WD32, MOM_LDV32, m32v9, m32v9body, m32v9by8, m32v9by1, m32v9tail, m32v9done)

// func momentumStep64AVX2(p, g, v []float64, negLR, mu, c, wd float64, sign, variant uint64)
//
// momentumStep32AVX2 for float64 (the same loop, in float64).
//
// Requires: AVX, AVX2, FMA3
// Registers: as momentumStep32AVX2; a vector holds 4 elements, so a
// block of 8 vectors is 32 elements (still 256 bytes).
TEXT ·momentumStep64AVX2(SB), NOSPLIT, $0-120
	MOVQ         p_base+0(FP), SI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), DI
	MOVQ         v_base+48(FP), DX
	VBROADCASTSD negLR+72(FP), Y14
	VBROADCASTSD mu+80(FP), Y13
	VBROADCASTSD c+88(FP), Y12
	VBROADCASTSD wd+96(FP), Y11
	VBROADCASTSD sign+104(FP), Y15
	MOVQ         variant+112(FP), AX
	MOVQ         SI, R11
	NEGQ         R11
	ANDQ         $31, R11
	SHRQ         $3, R11              // head: elements before p is 32-byte aligned
	CMPQ         R11, CX
	CMOVQHI      CX, R11              // (at most n)
	SUBQ         R11, CX              // elements after the head
	MOVQ         R11, BX
	SHLQ         $3, BX               // BX = bytes in the head
	MOVQ         CX, R10
	ANDQ         $3, R10              // elements in the partial vector
	MOVQ         CX, R9
	ANDQ         $-4, R9
	SHLQ         $3, R9
	ADDQ         BX, R9               // byte end of the whole vectors
	MOVQ         CX, R8
	ANDQ         $-32, R8
	SHLQ         $3, R8
	ADDQ         BX, R8               // byte end of the 8-vector blocks
	XORQ         BX, BX
	MOM_DISPATCH(m64v0, m64v1, m64v2, m64v3, m64v4, m64v5, m64v6, m64v7, m64v8, m64v9)

	MOMSTEP64_RUN(MOM0_64, MOM_NOWD, MOM_NONE, m64v0, m64v0body, m64v0by8, m64v0by1, m64v0tail, m64v0done)
	MOMSTEP64_RUN(MOM1_64, MOM_NOWD, MOM_NONE, m64v1, m64v1body, m64v1by8, m64v1by1, m64v1tail, m64v1done)
	MOMSTEP64_RUN(MOM2_64, MOM_NOWD, MOM_NONE, m64v2, m64v2body, m64v2by8, m64v2by1, m64v2tail, m64v2done)
	MOMSTEP64_RUN(MOM3_64, MOM_NOWD, MOM_LDV64, m64v3, m64v3body, m64v3by8, m64v3by1, m64v3tail, m64v3done)
	MOMSTEP64_RUN(MOM4_64, MOM_NOWD, MOM_LDV64, m64v4, m64v4body, m64v4by8, m64v4by1, m64v4tail, m64v4done)
	MOMSTEP64_RUN(MOM0_64, MOM_WD64, MOM_NONE, m64v5, m64v5body, m64v5by8, m64v5by1, m64v5tail, m64v5done)
	MOMSTEP64_RUN(MOM1_64, MOM_WD64, MOM_NONE, m64v6, m64v6body, m64v6by8, m64v6by1, m64v6tail, m64v6done)
	MOMSTEP64_RUN(MOM2_64, MOM_WD64, MOM_NONE, m64v7, m64v7body, m64v7by8, m64v7by1, m64v7tail, m64v7done)
	MOMSTEP64_RUN(MOM3_64, MOM_WD64, MOM_LDV64, m64v8, m64v8body, m64v8by8, m64v8by1, m64v8tail, m64v8done)
	MOMSTEP64_RUN(MOM4_64, MOM_WD64, MOM_LDV64, m64v9, m64v9body, m64v9by8, m64v9by1, m64v9tail, m64v9done)

// func batchMomentumStep32AVX2(p, v, rows []float32, scale, negLR, mu, c, wd float32, sign, variant uint32)
//
//	n, m := len(p), len(rows)/len(p) // m >= 1
//	for i := range p {
//		s := rows[i]
//		for r := 1; r < m; r++ { s = s + rows[r*n+i] }
//		g := float32(scale * s)
//		// then element i of momentumStep32AVX2 with g[i] = g
//	}
//
// Requires: AVX, AVX2, FMA3
// Registers: SI = &p[0], DX = &v[0] (untouched when Mu == 0),
// DI = &rows[0], CX = m, R13 = n*4 (row stride), R11 = row pointer,
// R12 = rows left, BX = byte offset of the tile, R8 = byte end of the
// 16-vector tiles, R9/R10 as in momentumStep32AVX2, AX = variant, then
// scratch; Y0-Y15 = the column sums of a 16-vector tile (128 columns),
// then as in the BatchMomentumStep comment above.
TEXT ·batchMomentumStep32AVX2(SB), NOSPLIT, $232-100
	MOVQ         rows_len+56(FP), AX
	MOVQ         p_len+8(FP), CX
	XORL         DX, DX
	DIVQ         CX                   // AX = m
	MOVQ         CX, R13
	SHLQ         $2, R13              // row stride in bytes
	MOVQ         rows_base+48(FP), DI
	MOVQ         DI, R11
	NEGQ         R11
	ANDQ         $31, R11
	SHRQ         $2, R11              // head: columns before rows is 32-byte aligned
	CMPQ         R11, CX
	CMOVQHI      CX, R11              // (at most n)
	MOVQ         R11, BMOM_HEAD(SP)
	SUBQ         R11, CX              // columns after the head
	MOVQ         R11, BX
	SHLQ         $2, BX               // BX = bytes in the head
	MOVQ         CX, R10
	ANDQ         $7, R10              // columns in the partial vector
	MOVQ         CX, R9
	ANDQ         $-8, R9
	SHLQ         $2, R9
	ADDQ         BX, R9               // byte end of the whole vectors
	MOVQ         CX, R8
	ANDQ         $-128, R8
	SHLQ         $2, R8
	ADDQ         BX, R8               // byte end of the 16-vector tiles
	MOVQ         AX, CX               // CX = m
	MOVQ         p_base+0(FP), SI
	MOVQ         v_base+24(FP), DX
	VBROADCASTSS scale+72(FP), Y0
	VMOVUPS      Y0, BMOM_SCALE(SP)
	BMOM_CONSTS32
	MOVL         variant+96(FP), AX
	XORQ         BX, BX
	MOM_DISPATCH(b32v0, b32v1, b32v2, b32v3, b32v4, b32v5, b32v6, b32v7, b32v8, b32v9)

	BMOMSTEP32_RUN(MOM0_32, MOM_NOWD, MOM_NONE, b32v0, b32v0rowsh, b32v0scaleh, b32v0body, b32v0by16, b32v0rows16, b32v0scale16, b32v0by8, b32v0rows8, b32v0scale8, b32v0by4, b32v0rows4, b32v0scale4, b32v0by1, b32v0rows1, b32v0scale1, b32v0tail, b32v0rowst, b32v0scalet, b32v0done)
	BMOMSTEP32_RUN(MOM1_32, MOM_NOWD, MOM_NONE, b32v1, b32v1rowsh, b32v1scaleh, b32v1body, b32v1by16, b32v1rows16, b32v1scale16, b32v1by8, b32v1rows8, b32v1scale8, b32v1by4, b32v1rows4, b32v1scale4, b32v1by1, b32v1rows1, b32v1scale1, b32v1tail, b32v1rowst, b32v1scalet, b32v1done)
	BMOMSTEP32_RUN(MOM2_32, MOM_NOWD, MOM_NONE, b32v2, b32v2rowsh, b32v2scaleh, b32v2body, b32v2by16, b32v2rows16, b32v2scale16, b32v2by8, b32v2rows8, b32v2scale8, b32v2by4, b32v2rows4, b32v2scale4, b32v2by1, b32v2rows1, b32v2scale1, b32v2tail, b32v2rowst, b32v2scalet, b32v2done)
	BMOMSTEP32_RUN(MOM3_32, MOM_NOWD, MOM_LDV32, b32v3, b32v3rowsh, b32v3scaleh, b32v3body, b32v3by16, b32v3rows16, b32v3scale16, b32v3by8, b32v3rows8, b32v3scale8, b32v3by4, b32v3rows4, b32v3scale4, b32v3by1, b32v3rows1, b32v3scale1, b32v3tail, b32v3rowst, b32v3scalet, b32v3done)
	BMOMSTEP32_RUN(MOM4_32, MOM_NOWD, MOM_LDV32, b32v4, b32v4rowsh, b32v4scaleh, b32v4body, b32v4by16, b32v4rows16, b32v4scale16, b32v4by8, b32v4rows8, b32v4scale8, b32v4by4, b32v4rows4, b32v4scale4, b32v4by1, b32v4rows1, b32v4scale1, b32v4tail, b32v4rowst, b32v4scalet, b32v4done)
	BMOMSTEP32_RUN(MOM0_32, MOM_WD32, MOM_NONE, b32v5, b32v5rowsh, b32v5scaleh, b32v5body, b32v5by16, b32v5rows16, b32v5scale16, b32v5by8, b32v5rows8, b32v5scale8, b32v5by4, b32v5rows4, b32v5scale4, b32v5by1, b32v5rows1, b32v5scale1, b32v5tail, b32v5rowst, b32v5scalet, b32v5done)
	BMOMSTEP32_RUN(MOM1_32, MOM_WD32, MOM_NONE, b32v6, b32v6rowsh, b32v6scaleh, b32v6body, b32v6by16, b32v6rows16, b32v6scale16, b32v6by8, b32v6rows8, b32v6scale8, b32v6by4, b32v6rows4, b32v6scale4, b32v6by1, b32v6rows1, b32v6scale1, b32v6tail, b32v6rowst, b32v6scalet, b32v6done)
	BMOMSTEP32_RUN(MOM2_32, MOM_WD32, MOM_NONE, b32v7, b32v7rowsh, b32v7scaleh, b32v7body, b32v7by16, b32v7rows16, b32v7scale16, b32v7by8, b32v7rows8, b32v7scale8, b32v7by4, b32v7rows4, b32v7scale4, b32v7by1, b32v7rows1, b32v7scale1, b32v7tail, b32v7rowst, b32v7scalet, b32v7done)
	BMOMSTEP32_RUN(MOM3_32, MOM_WD32, MOM_LDV32, b32v8, b32v8rowsh, b32v8scaleh, b32v8body, b32v8by16, b32v8rows16, b32v8scale16, b32v8by8, b32v8rows8, b32v8scale8, b32v8by4, b32v8rows4, b32v8scale4, b32v8by1, b32v8rows1, b32v8scale1, b32v8tail, b32v8rowst, b32v8scalet, b32v8done)
	BMOMSTEP32_RUN(MOM4_32, MOM_WD32, MOM_LDV32, b32v9, b32v9rowsh, b32v9scaleh, b32v9body, b32v9by16, b32v9rows16, b32v9scale16, b32v9by8, b32v9rows8, b32v9scale8, b32v9by4, b32v9rows4, b32v9scale4, b32v9by1, b32v9rows1, b32v9scale1, b32v9tail, b32v9rowst, b32v9scalet, b32v9done)

// func batchMomentumStep64AVX2(p, v, rows []float64, scale, negLR, mu, c, wd float64, sign, variant uint64)
//
// batchMomentumStep32AVX2 for float64 (16-vector tiles of 64 columns).
//
// Requires: AVX, AVX2, FMA3
// Registers: as batchMomentumStep32AVX2, with R13 = n*8.
TEXT ·batchMomentumStep64AVX2(SB), NOSPLIT, $232-128
	MOVQ         rows_len+56(FP), AX
	MOVQ         p_len+8(FP), CX
	XORL         DX, DX
	DIVQ         CX                   // AX = m
	MOVQ         CX, R13
	SHLQ         $3, R13              // row stride in bytes
	MOVQ         rows_base+48(FP), DI
	MOVQ         DI, R11
	NEGQ         R11
	ANDQ         $31, R11
	SHRQ         $3, R11              // head: columns before rows is 32-byte aligned
	CMPQ         R11, CX
	CMOVQHI      CX, R11              // (at most n)
	MOVQ         R11, BMOM_HEAD(SP)
	SUBQ         R11, CX              // columns after the head
	MOVQ         R11, BX
	SHLQ         $3, BX               // BX = bytes in the head
	MOVQ         CX, R10
	ANDQ         $3, R10              // columns in the partial vector
	MOVQ         CX, R9
	ANDQ         $-4, R9
	SHLQ         $3, R9
	ADDQ         BX, R9               // byte end of the whole vectors
	MOVQ         CX, R8
	ANDQ         $-64, R8
	SHLQ         $3, R8
	ADDQ         BX, R8               // byte end of the 16-vector tiles
	MOVQ         AX, CX               // CX = m
	MOVQ         p_base+0(FP), SI
	MOVQ         v_base+24(FP), DX
	VBROADCASTSD scale+72(FP), Y0
	VMOVUPD      Y0, BMOM_SCALE(SP)
	BMOM_CONSTS64
	MOVQ         variant+120(FP), AX
	XORQ         BX, BX
	MOM_DISPATCH(b64v0, b64v1, b64v2, b64v3, b64v4, b64v5, b64v6, b64v7, b64v8, b64v9)

	BMOMSTEP64_RUN(MOM0_64, MOM_NOWD, MOM_NONE, b64v0, b64v0rowsh, b64v0scaleh, b64v0body, b64v0by16, b64v0rows16, b64v0scale16, b64v0by8, b64v0rows8, b64v0scale8, b64v0by4, b64v0rows4, b64v0scale4, b64v0by1, b64v0rows1, b64v0scale1, b64v0tail, b64v0rowst, b64v0scalet, b64v0done)
	BMOMSTEP64_RUN(MOM1_64, MOM_NOWD, MOM_NONE, b64v1, b64v1rowsh, b64v1scaleh, b64v1body, b64v1by16, b64v1rows16, b64v1scale16, b64v1by8, b64v1rows8, b64v1scale8, b64v1by4, b64v1rows4, b64v1scale4, b64v1by1, b64v1rows1, b64v1scale1, b64v1tail, b64v1rowst, b64v1scalet, b64v1done)
	BMOMSTEP64_RUN(MOM2_64, MOM_NOWD, MOM_NONE, b64v2, b64v2rowsh, b64v2scaleh, b64v2body, b64v2by16, b64v2rows16, b64v2scale16, b64v2by8, b64v2rows8, b64v2scale8, b64v2by4, b64v2rows4, b64v2scale4, b64v2by1, b64v2rows1, b64v2scale1, b64v2tail, b64v2rowst, b64v2scalet, b64v2done)
	BMOMSTEP64_RUN(MOM3_64, MOM_NOWD, MOM_LDV64, b64v3, b64v3rowsh, b64v3scaleh, b64v3body, b64v3by16, b64v3rows16, b64v3scale16, b64v3by8, b64v3rows8, b64v3scale8, b64v3by4, b64v3rows4, b64v3scale4, b64v3by1, b64v3rows1, b64v3scale1, b64v3tail, b64v3rowst, b64v3scalet, b64v3done)
	BMOMSTEP64_RUN(MOM4_64, MOM_NOWD, MOM_LDV64, b64v4, b64v4rowsh, b64v4scaleh, b64v4body, b64v4by16, b64v4rows16, b64v4scale16, b64v4by8, b64v4rows8, b64v4scale8, b64v4by4, b64v4rows4, b64v4scale4, b64v4by1, b64v4rows1, b64v4scale1, b64v4tail, b64v4rowst, b64v4scalet, b64v4done)
	BMOMSTEP64_RUN(MOM0_64, MOM_WD64, MOM_NONE, b64v5, b64v5rowsh, b64v5scaleh, b64v5body, b64v5by16, b64v5rows16, b64v5scale16, b64v5by8, b64v5rows8, b64v5scale8, b64v5by4, b64v5rows4, b64v5scale4, b64v5by1, b64v5rows1, b64v5scale1, b64v5tail, b64v5rowst, b64v5scalet, b64v5done)
	BMOMSTEP64_RUN(MOM1_64, MOM_WD64, MOM_NONE, b64v6, b64v6rowsh, b64v6scaleh, b64v6body, b64v6by16, b64v6rows16, b64v6scale16, b64v6by8, b64v6rows8, b64v6scale8, b64v6by4, b64v6rows4, b64v6scale4, b64v6by1, b64v6rows1, b64v6scale1, b64v6tail, b64v6rowst, b64v6scalet, b64v6done)
	BMOMSTEP64_RUN(MOM2_64, MOM_WD64, MOM_NONE, b64v7, b64v7rowsh, b64v7scaleh, b64v7body, b64v7by16, b64v7rows16, b64v7scale16, b64v7by8, b64v7rows8, b64v7scale8, b64v7by4, b64v7rows4, b64v7scale4, b64v7by1, b64v7rows1, b64v7scale1, b64v7tail, b64v7rowst, b64v7scalet, b64v7done)
	BMOMSTEP64_RUN(MOM3_64, MOM_WD64, MOM_LDV64, b64v8, b64v8rowsh, b64v8scaleh, b64v8body, b64v8by16, b64v8rows16, b64v8scale16, b64v8by8, b64v8rows8, b64v8scale8, b64v8by4, b64v8rows4, b64v8scale4, b64v8by1, b64v8rows1, b64v8scale1, b64v8tail, b64v8rowst, b64v8scalet, b64v8done)
	BMOMSTEP64_RUN(MOM4_64, MOM_WD64, MOM_LDV64, b64v9, b64v9rowsh, b64v9scaleh, b64v9body, b64v9by16, b64v9rows16, b64v9scale16, b64v9by8, b64v9rows8, b64v9scale8, b64v9by4, b64v9rows4, b64v9scale4, b64v9by1, b64v9rows1, b64v9scale1, b64v9tail, b64v9rowst, b64v9scalet, b64v9done)
