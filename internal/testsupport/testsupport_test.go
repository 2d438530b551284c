package testsupport

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// The helpers must be able to fail: these tests break results and guards
// on purpose and expect Check, Unchanged and SameBits to notice.

func TestCheck(t *testing.T) {
	testCheck[float32](t)
	testCheck[float64](t)
}

func testCheck[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	want := NewBuffer[F](r, 40, 3, 0.2)
	if msg := want.Clone().Check(want); msg != "" {
		t.Fatalf("%T: a copy differs: %s", F(0), msg)
	}
	negZero := F(math.Copysign(0, -1))
	otherNaN := FromBits[F](Bits(F(math.NaN())) ^ 1)
	keep := FromBits[F](Bits(Guard[F]()) ^ 2) // marks "leave want as it is"
	for _, c := range []struct {
		what     string
		at       int // index into All
		from, to F   // want's element (unless keep) and got's
		differ   bool
	}{
		{"front guard", 0, keep, 1, true},
		{"guard before the slice", want.Lo - 1, keep, 1, true},
		{"back guard", want.Hi, keep, 1, true},
		{"last guard", len(want.All) - 1, keep, 0, true},
		{"guard with another NaN", want.Hi, keep, otherNaN, true},
		{"first element", want.Lo, keep, 3, true},
		{"-0 for +0", want.Hi - 1, 0, negZero, true},
		{"NaN for NaN", want.Lo + 7, F(math.NaN()), otherNaN, false},
	} {
		w := want.Clone()
		if Bits(c.from) != Bits(keep) {
			w.All[c.at] = c.from
		}
		got := w.Clone()
		got.All[c.at] = c.to
		if msg := got.Check(w); (msg != "") != c.differ {
			t.Errorf("%T %s: Check says %q", c.to, c.what, msg)
		}
		if got.Unchanged(w) == "" {
			t.Errorf("%T %s: Unchanged says nothing changed", c.to, c.what)
		}
		inSlice := c.at >= want.Lo && c.at < want.Hi
		if d := Diff(got.S(), w.S()); (d != "") != (c.differ && inSlice) {
			t.Errorf("%T %s: Diff says %q", c.to, c.what, d)
		}
	}
}

// TestAlignment checks that NewGuarded puts the slice where it says.
func TestAlignment(t *testing.T) {
	for off := range 16 {
		b := NewGuarded[float32](5, off)
		if a := uintptr(unsafePointer(b.S())) % 64; a != uintptr(4*off) {
			t.Errorf("float32 offset %d: slice at %d bytes past a 64-byte boundary", off, a)
		}
		if b.Lo < GuardLen || len(b.All)-b.Hi < GuardLen {
			t.Errorf("offset %d: guards %d before, %d after", off, b.Lo, len(b.All)-b.Hi)
		}
	}
}

// TestSpecialClasses checks that Special reaches every class of value it
// promises, for both types.
func TestSpecialClasses(t *testing.T) {
	testSpecialClasses[float32](t)
	testSpecialClasses[float64](t)
}

func testSpecialClasses[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	f := formatOf[F]()
	seen := map[string]int{}
	for range 20000 {
		v := Special[F](r)
		u := Bits(v)
		exp := u >> f.mant & f.expMask
		mant := u & (1<<f.mant - 1)
		neg := u>>f.sign == 1
		switch {
		case exp == f.expMask && mant == 0:
			seen["inf"]++
		case exp == f.expMask && mant>>(f.mant-1) == 1:
			seen["quiet NaN"]++
		case exp == f.expMask:
			seen["signalling NaN"]++
		case exp == 0 && mant == 0 && neg:
			seen["-0"]++
		case exp == 0 && mant == 0:
			seen["+0"]++
		case exp == 0:
			seen["subnormal"]++
		case exp == f.bias && mant != 0 && mant&(mant-1) == 0:
			seen["midpoint maker"]++
		case exp < f.bias-2*uint64(f.mant)+1 && mant == 0:
			seen["tie breaker"]++
		}
	}
	for _, c := range []string{"inf", "quiet NaN", "signalling NaN", "-0", "+0", "subnormal", "midpoint maker", "tie breaker"} {
		if seen[c] == 0 {
			t.Errorf("%T: Special never gave a %s (seen %v)", F(0), c, seen)
		}
	}
}

func unsafePointer[F Float](x []F) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(x)) }
