package fuzz

import (
	"math"
	"testing"

	"github.com/downhill-go/downhill"
)

// The harness must be able to fail: these tests break results and guards
// on purpose and expect compare and unchanged to notice.

func TestCompare(t *testing.T) {
	testCompare[float32](t)
	testCompare[float64](t)
}

func testCompare[F downhill.Float](t *testing.T) {
	in := decode(40, 5|3<<offBits, []byte{0})
	want := newVec[F](in, in.n, in.off(0))
	if msg := compare(want.clone(), want); msg != "" {
		t.Fatalf("%T: a copy differs: %s", want.all[0], msg)
	}
	negZero := F(math.Copysign(0, -1))
	otherNaN := fromBits[F](bitsOf(F(math.NaN())) ^ 1)
	keep := fromBits[F](bitsOf(guard[F]()) ^ 2) // marks "leave want as it is"
	for _, c := range []struct {
		what     string
		at       int // index into all
		from, to F   // want's element (unless keep) and got's
		differ   bool
	}{
		{"front guard", 0, keep, 1, true},
		{"guard before the offset", want.lo - 1, keep, 1, true},
		{"back guard", want.hi, keep, 1, true},
		{"last guard", len(want.all) - 1, keep, 0, true},
		{"guard with another NaN", want.hi, keep, otherNaN, true},
		{"first element", want.lo, keep, 3, true},
		{"-0 for +0", want.hi - 1, 0, negZero, true},
		{"NaN for NaN", want.lo + 7, F(math.NaN()), otherNaN, false},
	} {
		w := want.clone()
		if bitsOf(c.from) != bitsOf(keep) {
			w.all[c.at] = c.from
		}
		got := w.clone()
		got.all[c.at] = c.to
		if msg := compare(got, w); (msg != "") != c.differ {
			t.Errorf("%T %s: compare says %q", c.to, c.what, msg)
		}
		if unchanged(got, w) == "" {
			t.Errorf("%T %s: unchanged says nothing changed", c.to, c.what)
		}
	}
}

// TestValueClasses checks that the decoder reaches every kind of value
// the targets promise, for both types.
func TestValueClasses(t *testing.T) {
	testValueClasses[float32](t)
	testValueClasses[float64](t)
}

func testValueClasses[F downhill.Float](t *testing.T) {
	const (
		nan = iota
		posInf
		negInf
		posZero
		negZero
		subnormal
		huge
		tiny
		ordinary
		classes
	)
	var seen [classes]int
	f := formatOf[F]()
	minNormal := math.Ldexp(1, 1-int(f.bias))
	for _, rate := range []byte{0, 255} {
		in := decode(0, 0, []byte{rate})
		for range 20000 {
			v := value[F](in)
			a := math.Abs(float64(v))
			switch {
			case v != v:
				seen[nan]++
			case math.IsInf(float64(v), 1):
				seen[posInf]++
			case math.IsInf(float64(v), -1):
				seen[negInf]++
			case v == 0 && bitsOf(v) == 0:
				seen[posZero]++
			case v == 0:
				seen[negZero]++
			case a < minNormal:
				seen[subnormal]++
			case a > math.Ldexp(1, int(f.bias)-4):
				seen[huge]++
			case a < math.Ldexp(minNormal, 4):
				seen[tiny]++
			case a >= 1.0/256 && a < 256:
				seen[ordinary]++
			}
		}
		if rate == 0 && seen[ordinary] != 20000 {
			t.Errorf("%T: rate 0 gave %d ordinary values of 20000", F(0), seen[ordinary])
		}
	}
	for c, k := range seen {
		if k == 0 {
			t.Errorf("%T: class %d never decoded (seen %v)", F(0), c, seen)
		}
	}
}
