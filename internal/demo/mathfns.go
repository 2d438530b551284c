package demo

import "math"

// The elementary functions of the experiments, in one place: the results
// of a run must not depend on the platform's math library, so these are
// meant to call package dmath (correctly rounded, the same bits everywhere)
// once it exists. Only this file may call math.Exp, math.Log and the like.

func exp(x float64) float64 { return math.Exp(x) }

var inf = math.Inf(1)
