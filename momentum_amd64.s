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
// Lengths and tails: the main loop handles 8 vectors (256 bytes) per
// iteration, a second loop single vectors, and the last partial vector is
// read and written with VMASKMOVP[SD] (a masked-off lane is neither read,
// nor written, nor can it fault; it reads as +0 and its result is
// discarded). The byte offset BX runs over the three ranges
// [0, R8) (8-vector blocks), [R8, R9) (whole vectors) and R10 elements.
//
// Registers common to every kernel:
//	Y15 = sign mask, Y14 = -LR, Y13 = Mu, Y12 = c, Y11 = WeightDecay,
//	Y10 = tail mask, Y0-Y7 = d (then s) of eight vectors,
//	Y8, Y9 = c*d (then v'), alternating between neighbouring vectors,
//	Y2, Y3 = masked p and v in the tail,
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

// ---------------------------------------------------------------------------
// MomentumStep

// MOMSTEP32_RUN is the whole of momentumStep32AVX2 for one variant (STEP,
// WDS; VLD loads v in the tail if the variant reads it), from BX = 0 to
// the end; the labels are its own.
#define MOMSTEP32_RUN(STEP, WDS, VLD, start, by8, by1, tail, done) \
start: \
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
	VMASKMOVPS (DI)(BX*1), Y10, Y0; \
	VMASKMOVPS (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM32, MOM_RELOADP32, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8); \
done: \
	VZEROUPPER; \
	RET

// MOMSTEP64_RUN is MOMSTEP32_RUN for float64.
#define MOMSTEP64_RUN(STEP, WDS, VLD, start, by8, by1, tail, done) \
start: \
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
	VMASKMOVPD (DI)(BX*1), Y10, Y0; \
	VMASKMOVPD (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM64, MOM_RELOADP64, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8); \
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
// v written once, and g never reaches memory. The adds keep the row order
// of the reference per column (s = row 0; s = s + row r for r = 1..m-1;
// g = scale*s). m >= 1 here: the Go side handles m == 0 (g = 0).
//
// Extra registers: DI = &rows[0], CX = m, R13 = row stride in bytes,
// R11 = &rows[r][BX], R12 = rows left; Y8 briefly holds scale.

// BMOMSTEP32_RUN is the whole of batchMomentumStep32AVX2 for one variant.
#define BMOMSTEP32_RUN(STEP, WDS, VLD, start, by8, rows8, scale8, by1, rows1, scale1, tail, rowst, scalet, done) \
start: \
	CMPQ BX, R8; \
	JAE  by1; \
by8: \
	LEAQ    (DI)(BX*1), R11; \
	VMOVUPS (R11), Y0; \
	VMOVUPS 32(R11), Y1; \
	VMOVUPS 64(R11), Y2; \
	VMOVUPS 96(R11), Y3; \
	VMOVUPS 128(R11), Y4; \
	VMOVUPS 160(R11), Y5; \
	VMOVUPS 192(R11), Y6; \
	VMOVUPS 224(R11), Y7; \
	MOVQ    CX, R12; \
	DECQ    R12; \
	JZ      scale8; \
rows8: \
	ADDQ   R13, R11; \
	VADDPS (R11), Y0, Y0; \
	VADDPS 32(R11), Y1, Y1; \
	VADDPS 64(R11), Y2, Y2; \
	VADDPS 96(R11), Y3, Y3; \
	VADDPS 128(R11), Y4, Y4; \
	VADDPS 160(R11), Y5, Y5; \
	VADDPS 192(R11), Y6, Y6; \
	VADDPS 224(R11), Y7, Y7; \
	DECQ   R12; \
	JNZ    rows8; \
scale8: \
	VBROADCASTSS scale+72(FP), Y8; \
	VMULPS       Y8, Y0, Y0; \
	VMULPS       Y8, Y1, Y1; \
	VMULPS       Y8, Y2, Y2; \
	VMULPS       Y8, Y3, Y3; \
	VMULPS       Y8, Y4, Y4; \
	VMULPS       Y8, Y5, Y5; \
	VMULPS       Y8, Y6, Y6; \
	VMULPS       Y8, Y7, Y7; \
	BMOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 32, Y1, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 64, Y2, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 96, Y3, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 128, Y4, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 160, Y5, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU32, 192, Y6, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU32, 224, Y7, Y9); \
	ADDQ $256, BX; \
	CMPQ BX, R8; \
	JB   by8; \
by1: \
	CMPQ    BX, R9; \
	JAE     tail; \
	LEAQ    (DI)(BX*1), R11; \
	VMOVUPS (R11), Y0; \
	MOVQ    CX, R12; \
	DECQ    R12; \
	JZ      scale1; \
rows1: \
	ADDQ   R13, R11; \
	VADDPS (R11), Y0, Y0; \
	DECQ   R12; \
	JNZ    rows1; \
scale1: \
	VBROADCASTSS scale+72(FP), Y8; \
	VMULPS       Y8, Y0, Y0; \
	BMOM_AT(STEP, WDS, MOM_STU32, 0, Y0, Y8); \
	ADDQ $32, BX; \
	JMP  by1; \
tail: \
	TESTQ      R10, R10; \
	JZ         done; \
	LEAQ       (DI)(BX*1), R11; \
	VMASKMOVPS (R11), Y10, Y0; \
	MOVQ       CX, R12; \
	DECQ       R12; \
	JZ         scalet; \
rowst: \
	ADDQ       R13, R11; \
	VMASKMOVPS (R11), Y10, Y1; \
	VADDPS     Y1, Y0, Y0; \
	DECQ       R12; \
	JNZ        rowst; \
scalet: \
	VBROADCASTSS scale+72(FP), Y8; \
	VMULPS       Y8, Y0, Y0; \
	VMASKMOVPS   (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM32, MOM_RELOADP32, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8); \
done: \
	VZEROUPPER; \
	RET

// BMOMSTEP64_RUN is BMOMSTEP32_RUN for float64.
#define BMOMSTEP64_RUN(STEP, WDS, VLD, start, by8, rows8, scale8, by1, rows1, scale1, tail, rowst, scalet, done) \
start: \
	CMPQ BX, R8; \
	JAE  by1; \
by8: \
	LEAQ    (DI)(BX*1), R11; \
	VMOVUPD (R11), Y0; \
	VMOVUPD 32(R11), Y1; \
	VMOVUPD 64(R11), Y2; \
	VMOVUPD 96(R11), Y3; \
	VMOVUPD 128(R11), Y4; \
	VMOVUPD 160(R11), Y5; \
	VMOVUPD 192(R11), Y6; \
	VMOVUPD 224(R11), Y7; \
	MOVQ    CX, R12; \
	DECQ    R12; \
	JZ      scale8; \
rows8: \
	ADDQ   R13, R11; \
	VADDPD (R11), Y0, Y0; \
	VADDPD 32(R11), Y1, Y1; \
	VADDPD 64(R11), Y2, Y2; \
	VADDPD 96(R11), Y3, Y3; \
	VADDPD 128(R11), Y4, Y4; \
	VADDPD 160(R11), Y5, Y5; \
	VADDPD 192(R11), Y6, Y6; \
	VADDPD 224(R11), Y7, Y7; \
	DECQ   R12; \
	JNZ    rows8; \
scale8: \
	VBROADCASTSD scale+72(FP), Y8; \
	VMULPD       Y8, Y0, Y0; \
	VMULPD       Y8, Y1, Y1; \
	VMULPD       Y8, Y2, Y2; \
	VMULPD       Y8, Y3, Y3; \
	VMULPD       Y8, Y4, Y4; \
	VMULPD       Y8, Y5, Y5; \
	VMULPD       Y8, Y6, Y6; \
	VMULPD       Y8, Y7, Y7; \
	BMOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 32, Y1, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 64, Y2, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 96, Y3, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 128, Y4, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 160, Y5, Y9); \
	BMOM_AT(STEP, WDS, MOM_STU64, 192, Y6, Y8); \
	BMOM_AT(STEP, WDS, MOM_STU64, 224, Y7, Y9); \
	ADDQ $256, BX; \
	CMPQ BX, R8; \
	JB   by8; \
by1: \
	CMPQ    BX, R9; \
	JAE     tail; \
	LEAQ    (DI)(BX*1), R11; \
	VMOVUPD (R11), Y0; \
	MOVQ    CX, R12; \
	DECQ    R12; \
	JZ      scale1; \
rows1: \
	ADDQ   R13, R11; \
	VADDPD (R11), Y0, Y0; \
	DECQ   R12; \
	JNZ    rows1; \
scale1: \
	VBROADCASTSD scale+72(FP), Y8; \
	VMULPD       Y8, Y0, Y0; \
	BMOM_AT(STEP, WDS, MOM_STU64, 0, Y0, Y8); \
	ADDQ $32, BX; \
	JMP  by1; \
tail: \
	TESTQ      R10, R10; \
	JZ         done; \
	LEAQ       (DI)(BX*1), R11; \
	VMASKMOVPD (R11), Y10, Y0; \
	MOVQ       CX, R12; \
	DECQ       R12; \
	JZ         scalet; \
rowst: \
	ADDQ       R13, R11; \
	VMASKMOVPD (R11), Y10, Y1; \
	VADDPD     Y1, Y0, Y0; \
	DECQ       R12; \
	JNZ        rowst; \
scalet: \
	VBROADCASTSD scale+72(FP), Y8; \
	VMULPD       Y8, Y0, Y0; \
	VMASKMOVPD   (SI)(BX*1), Y10, Y2; \
	VLD; \
	STEP(WDS, MOM_STM64, MOM_RELOADP64, Y0, Y2, Y3, (SI)(BX*1), (DX)(BX*1), Y0, Y8); \
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
// BX = byte offset, R8/R9 = byte ends of the 8-vector blocks / whole
// vectors, R10 = elements in the last partial vector, AX = variant;
// vector registers as in the file comment.
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
	MOVQ         CX, R10
	ANDQ         $7, R10              // elements in the partial vector
	MOVQ         CX, R9
	ANDQ         $-8, R9
	SHLQ         $2, R9               // bytes in whole vectors
	MOVQ         CX, R8
	ANDQ         $-64, R8
	SHLQ         $2, R8               // bytes in 8-vector blocks
	MOM_MASK32(R10)
	XORQ         BX, BX
	MOM_DISPATCH(m32v0, m32v1, m32v2, m32v3, m32v4, m32v5, m32v6, m32v7, m32v8, m32v9)

	MOMSTEP32_RUN(MOM0_32, MOM_NOWD, MOM_NONE, m32v0, m32v0by8, m32v0by1, m32v0tail, m32v0done)
	MOMSTEP32_RUN(MOM1_32, MOM_NOWD, MOM_NONE, m32v1, m32v1by8, m32v1by1, m32v1tail, m32v1done)
	MOMSTEP32_RUN(MOM2_32, MOM_NOWD, MOM_NONE, m32v2, m32v2by8, m32v2by1, m32v2tail, m32v2done)
	MOMSTEP32_RUN(MOM3_32, MOM_NOWD, MOM_LDV32, m32v3, m32v3by8, m32v3by1, m32v3tail, m32v3done)
	MOMSTEP32_RUN(MOM4_32, MOM_NOWD, MOM_LDV32, m32v4, m32v4by8, m32v4by1, m32v4tail, m32v4done)
	MOMSTEP32_RUN(MOM0_32, MOM_WD32, MOM_NONE, m32v5, m32v5by8, m32v5by1, m32v5tail, m32v5done)
	MOMSTEP32_RUN(MOM1_32, MOM_WD32, MOM_NONE, m32v6, m32v6by8, m32v6by1, m32v6tail, m32v6done)
	MOMSTEP32_RUN(MOM2_32, MOM_WD32, MOM_NONE, m32v7, m32v7by8, m32v7by1, m32v7tail, m32v7done)
	MOMSTEP32_RUN(MOM3_32, MOM_WD32, MOM_LDV32, m32v8, m32v8by8, m32v8by1, m32v8tail, m32v8done)
	MOMSTEP32_RUN(MOM4_32, MOM_WD32, MOM_LDV32, m32v9, m32v9by8, m32v9by1, m32v9tail, m32v9done)

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
	MOVQ         CX, R10
	ANDQ         $3, R10              // elements in the partial vector
	MOVQ         CX, R9
	ANDQ         $-4, R9
	SHLQ         $3, R9               // bytes in whole vectors
	MOVQ         CX, R8
	ANDQ         $-32, R8
	SHLQ         $3, R8               // bytes in 8-vector blocks
	MOM_MASK64(R10)
	XORQ         BX, BX
	MOM_DISPATCH(m64v0, m64v1, m64v2, m64v3, m64v4, m64v5, m64v6, m64v7, m64v8, m64v9)

	MOMSTEP64_RUN(MOM0_64, MOM_NOWD, MOM_NONE, m64v0, m64v0by8, m64v0by1, m64v0tail, m64v0done)
	MOMSTEP64_RUN(MOM1_64, MOM_NOWD, MOM_NONE, m64v1, m64v1by8, m64v1by1, m64v1tail, m64v1done)
	MOMSTEP64_RUN(MOM2_64, MOM_NOWD, MOM_NONE, m64v2, m64v2by8, m64v2by1, m64v2tail, m64v2done)
	MOMSTEP64_RUN(MOM3_64, MOM_NOWD, MOM_LDV64, m64v3, m64v3by8, m64v3by1, m64v3tail, m64v3done)
	MOMSTEP64_RUN(MOM4_64, MOM_NOWD, MOM_LDV64, m64v4, m64v4by8, m64v4by1, m64v4tail, m64v4done)
	MOMSTEP64_RUN(MOM0_64, MOM_WD64, MOM_NONE, m64v5, m64v5by8, m64v5by1, m64v5tail, m64v5done)
	MOMSTEP64_RUN(MOM1_64, MOM_WD64, MOM_NONE, m64v6, m64v6by8, m64v6by1, m64v6tail, m64v6done)
	MOMSTEP64_RUN(MOM2_64, MOM_WD64, MOM_NONE, m64v7, m64v7by8, m64v7by1, m64v7tail, m64v7done)
	MOMSTEP64_RUN(MOM3_64, MOM_WD64, MOM_LDV64, m64v8, m64v8by8, m64v8by1, m64v8tail, m64v8done)
	MOMSTEP64_RUN(MOM4_64, MOM_WD64, MOM_LDV64, m64v9, m64v9by8, m64v9by1, m64v9tail, m64v9done)

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
// R12 = rows left, BX = byte offset of the tile, R8/R9/R10 as in
// momentumStep32AVX2, AX = variant; Y0-Y7 = the column sums of a tile of
// 64 columns, then d and s; Y8 = scale, then c*d and v' with Y9.
TEXT ·batchMomentumStep32AVX2(SB), NOSPLIT, $0-100
	MOVQ         rows_len+56(FP), AX
	MOVQ         p_len+8(FP), CX
	XORL         DX, DX
	DIVQ         CX                   // AX = m
	MOVQ         CX, R13
	SHLQ         $2, R13              // row stride in bytes
	MOVQ         CX, R10
	ANDQ         $7, R10              // columns in the partial vector
	MOVQ         CX, R9
	ANDQ         $-8, R9
	SHLQ         $2, R9               // bytes in whole vectors
	MOVQ         CX, R8
	ANDQ         $-64, R8
	SHLQ         $2, R8               // bytes in 8-vector tiles
	MOVQ         AX, CX               // CX = m
	MOVQ         p_base+0(FP), SI
	MOVQ         v_base+24(FP), DX
	MOVQ         rows_base+48(FP), DI
	VBROADCASTSS negLR+76(FP), Y14
	VBROADCASTSS mu+80(FP), Y13
	VBROADCASTSS c+84(FP), Y12
	VBROADCASTSS wd+88(FP), Y11
	VBROADCASTSS sign+92(FP), Y15
	MOVL         variant+96(FP), AX
	MOM_MASK32(R10)
	XORQ         BX, BX
	MOM_DISPATCH(b32v0, b32v1, b32v2, b32v3, b32v4, b32v5, b32v6, b32v7, b32v8, b32v9)

	BMOMSTEP32_RUN(MOM0_32, MOM_NOWD, MOM_NONE, b32v0, b32v0by8, b32v0rows8, b32v0scale8, b32v0by1, b32v0rows1, b32v0scale1, b32v0tail, b32v0rowst, b32v0scalet, b32v0done)
	BMOMSTEP32_RUN(MOM1_32, MOM_NOWD, MOM_NONE, b32v1, b32v1by8, b32v1rows8, b32v1scale8, b32v1by1, b32v1rows1, b32v1scale1, b32v1tail, b32v1rowst, b32v1scalet, b32v1done)
	BMOMSTEP32_RUN(MOM2_32, MOM_NOWD, MOM_NONE, b32v2, b32v2by8, b32v2rows8, b32v2scale8, b32v2by1, b32v2rows1, b32v2scale1, b32v2tail, b32v2rowst, b32v2scalet, b32v2done)
	BMOMSTEP32_RUN(MOM3_32, MOM_NOWD, MOM_LDV32, b32v3, b32v3by8, b32v3rows8, b32v3scale8, b32v3by1, b32v3rows1, b32v3scale1, b32v3tail, b32v3rowst, b32v3scalet, b32v3done)
	BMOMSTEP32_RUN(MOM4_32, MOM_NOWD, MOM_LDV32, b32v4, b32v4by8, b32v4rows8, b32v4scale8, b32v4by1, b32v4rows1, b32v4scale1, b32v4tail, b32v4rowst, b32v4scalet, b32v4done)
	BMOMSTEP32_RUN(MOM0_32, MOM_WD32, MOM_NONE, b32v5, b32v5by8, b32v5rows8, b32v5scale8, b32v5by1, b32v5rows1, b32v5scale1, b32v5tail, b32v5rowst, b32v5scalet, b32v5done)
	BMOMSTEP32_RUN(MOM1_32, MOM_WD32, MOM_NONE, b32v6, b32v6by8, b32v6rows8, b32v6scale8, b32v6by1, b32v6rows1, b32v6scale1, b32v6tail, b32v6rowst, b32v6scalet, b32v6done)
	BMOMSTEP32_RUN(MOM2_32, MOM_WD32, MOM_NONE, b32v7, b32v7by8, b32v7rows8, b32v7scale8, b32v7by1, b32v7rows1, b32v7scale1, b32v7tail, b32v7rowst, b32v7scalet, b32v7done)
	BMOMSTEP32_RUN(MOM3_32, MOM_WD32, MOM_LDV32, b32v8, b32v8by8, b32v8rows8, b32v8scale8, b32v8by1, b32v8rows1, b32v8scale1, b32v8tail, b32v8rowst, b32v8scalet, b32v8done)
	BMOMSTEP32_RUN(MOM4_32, MOM_WD32, MOM_LDV32, b32v9, b32v9by8, b32v9rows8, b32v9scale8, b32v9by1, b32v9rows1, b32v9scale1, b32v9tail, b32v9rowst, b32v9scalet, b32v9done)

// func batchMomentumStep64AVX2(p, v, rows []float64, scale, negLR, mu, c, wd float64, sign, variant uint64)
//
// batchMomentumStep32AVX2 for float64 (tiles of 32 columns, 256 bytes).
//
// Requires: AVX, AVX2, FMA3
// Registers: as batchMomentumStep32AVX2, with R13 = n*8.
TEXT ·batchMomentumStep64AVX2(SB), NOSPLIT, $0-128
	MOVQ         rows_len+56(FP), AX
	MOVQ         p_len+8(FP), CX
	XORL         DX, DX
	DIVQ         CX                   // AX = m
	MOVQ         CX, R13
	SHLQ         $3, R13              // row stride in bytes
	MOVQ         CX, R10
	ANDQ         $3, R10              // columns in the partial vector
	MOVQ         CX, R9
	ANDQ         $-4, R9
	SHLQ         $3, R9               // bytes in whole vectors
	MOVQ         CX, R8
	ANDQ         $-32, R8
	SHLQ         $3, R8               // bytes in 8-vector tiles
	MOVQ         AX, CX               // CX = m
	MOVQ         p_base+0(FP), SI
	MOVQ         v_base+24(FP), DX
	MOVQ         rows_base+48(FP), DI
	VBROADCASTSD negLR+80(FP), Y14
	VBROADCASTSD mu+88(FP), Y13
	VBROADCASTSD c+96(FP), Y12
	VBROADCASTSD wd+104(FP), Y11
	VBROADCASTSD sign+112(FP), Y15
	MOVQ         variant+120(FP), AX
	MOM_MASK64(R10)
	XORQ         BX, BX
	MOM_DISPATCH(b64v0, b64v1, b64v2, b64v3, b64v4, b64v5, b64v6, b64v7, b64v8, b64v9)

	BMOMSTEP64_RUN(MOM0_64, MOM_NOWD, MOM_NONE, b64v0, b64v0by8, b64v0rows8, b64v0scale8, b64v0by1, b64v0rows1, b64v0scale1, b64v0tail, b64v0rowst, b64v0scalet, b64v0done)
	BMOMSTEP64_RUN(MOM1_64, MOM_NOWD, MOM_NONE, b64v1, b64v1by8, b64v1rows8, b64v1scale8, b64v1by1, b64v1rows1, b64v1scale1, b64v1tail, b64v1rowst, b64v1scalet, b64v1done)
	BMOMSTEP64_RUN(MOM2_64, MOM_NOWD, MOM_NONE, b64v2, b64v2by8, b64v2rows8, b64v2scale8, b64v2by1, b64v2rows1, b64v2scale1, b64v2tail, b64v2rowst, b64v2scalet, b64v2done)
	BMOMSTEP64_RUN(MOM3_64, MOM_NOWD, MOM_LDV64, b64v3, b64v3by8, b64v3rows8, b64v3scale8, b64v3by1, b64v3rows1, b64v3scale1, b64v3tail, b64v3rowst, b64v3scalet, b64v3done)
	BMOMSTEP64_RUN(MOM4_64, MOM_NOWD, MOM_LDV64, b64v4, b64v4by8, b64v4rows8, b64v4scale8, b64v4by1, b64v4rows1, b64v4scale1, b64v4tail, b64v4rowst, b64v4scalet, b64v4done)
	BMOMSTEP64_RUN(MOM0_64, MOM_WD64, MOM_NONE, b64v5, b64v5by8, b64v5rows8, b64v5scale8, b64v5by1, b64v5rows1, b64v5scale1, b64v5tail, b64v5rowst, b64v5scalet, b64v5done)
	BMOMSTEP64_RUN(MOM1_64, MOM_WD64, MOM_NONE, b64v6, b64v6by8, b64v6rows8, b64v6scale8, b64v6by1, b64v6rows1, b64v6scale1, b64v6tail, b64v6rowst, b64v6scalet, b64v6done)
	BMOMSTEP64_RUN(MOM2_64, MOM_WD64, MOM_NONE, b64v7, b64v7by8, b64v7rows8, b64v7scale8, b64v7by1, b64v7rows1, b64v7scale1, b64v7tail, b64v7rowst, b64v7scalet, b64v7done)
	BMOMSTEP64_RUN(MOM3_64, MOM_WD64, MOM_LDV64, b64v8, b64v8by8, b64v8rows8, b64v8scale8, b64v8by1, b64v8rows1, b64v8scale1, b64v8tail, b64v8rowst, b64v8scalet, b64v8done)
	BMOMSTEP64_RUN(MOM4_64, MOM_WD64, MOM_LDV64, b64v9, b64v9by8, b64v9rows8, b64v9scale8, b64v9by1, b64v9rows1, b64v9scale1, b64v9tail, b64v9rowst, b64v9scalet, b64v9done)
