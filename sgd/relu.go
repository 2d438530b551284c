package sgd

import (
	"math/bits"
	"unsafe"
)

// The MLP's elementwise passes, written on the bits so that they have no
// data-dependent branch: about half the pre-activations of a layer are
// negative in no predictable pattern, and a branch per element cost more
// than the rest of the pass (on an AMD EPYC Zen 3 the two passes of a
// 64×256 hidden layer took some 180 µs per step with branches, about a
// sixth of the step). They compute exactly what the scalar definitions
// below say, for every value: -0 and NaN included.

// relu sets v to +0 where v < 0 (so -0 and NaN stay as they are), for the
// rows r < rows of h with cols values each at h[r*ld:], and sets h[r*ld+cols]
// = 1 (the bias input of the next layer).
//
//	if v < 0 { v = 0 }
func relu[F Float](h []F, rows, cols, ld int) {
	for r := range rows {
		row := h[r*ld : r*ld+cols+1]
		if unsafe.Sizeof(row[0]) == 4 {
			relu32(unsafe.Slice((*uint32)(unsafe.Pointer(&row[0])), cols))
		} else {
			relu64(unsafe.Slice((*uint64)(unsafe.Pointer(&row[0])), cols))
		}
		row[cols] = 1
	}
}

// relu32: v < 0 exactly when its bits b are those of a negative, non-zero,
// non-NaN float32: 0x80000001 <= b <= 0xff800000, that is b - 0x80000001
// (wrapping) below 0x7f800000; the borrow of that comparison is 1 then,
// and -borrow a mask of ones that clears b.
func relu32(u []uint32) {
	for i, b := range u {
		_, borrow := bits.Sub32(b-0x80000001, 0x7f800000, 0)
		u[i] = b &^ -borrow
	}
}

// relu64 is relu32 for float64 bits.
func relu64(u []uint64) {
	for i, b := range u {
		_, borrow := bits.Sub64(b-0x8000000000000001, 0x7ff0000000000000, 0)
		u[i] = b &^ -borrow
	}
}

// reluMask sets d[r*in+j] to +0 where the activation a[r*lda+j] is not
// > 0 (zero, negative or NaN), for r < rows and j < in: the derivative of
// ReLU applied to the deltas.
//
//	if !(a > 0) { d = 0 }
func reluMask[F Float](d, a []F, rows, in, lda int) {
	for r := range rows {
		ar, dr := a[r*lda:r*lda+in], d[r*in:(r+1)*in]
		if in == 0 {
			continue
		}
		if unsafe.Sizeof(ar[0]) == 4 {
			reluMask32(unsafe.Slice((*uint32)(unsafe.Pointer(&dr[0])), in), unsafe.Slice((*uint32)(unsafe.Pointer(&ar[0])), in))
		} else {
			reluMask64(unsafe.Slice((*uint64)(unsafe.Pointer(&dr[0])), in), unsafe.Slice((*uint64)(unsafe.Pointer(&ar[0])), in))
		}
	}
}

// reluMask32: a > 0 exactly when its bits b satisfy 1 <= b <= 0x7f800000
// (positive, non-zero, up to +Inf), that is b - 1 (wrapping) below
// 0x7f800000; the borrow is 1 then, -borrow keeps d, 0 clears it.
func reluMask32(d, a []uint32) {
	a = a[:len(d)]
	for i, b := range a {
		_, borrow := bits.Sub32(b-1, 0x7f800000, 0)
		d[i] &= -borrow
	}
}

// reluMask64 is reluMask32 for float64 bits.
func reluMask64(d, a []uint64) {
	a = a[:len(d)]
	for i, b := range a {
		_, borrow := bits.Sub64(b-1, 0x7ff0000000000000, 0)
		d[i] &= -borrow
	}
}
