package fuzz

import (
	"math"
	"testing"

	"github.com/downhill-go/downhill"
	ts "github.com/downhill-go/downhill/internal/testsupport"
)

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
			case v == 0 && ts.Bits(v) == 0:
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
