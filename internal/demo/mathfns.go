package demo

import (
	"math"

	"github.com/downhill-go/downhill/dmath"
)

// The elementary functions of the experiments, in one place: the results
// of a run must not depend on the platform's math library, so they come
// from package dmath (the same bits on every CPU). Only this file may
// name an elementary function (TestMathOnlyInMathfns).

func exp(x float64) float64 { return dmath.Exp(x) }

var inf = math.Inf(1)
