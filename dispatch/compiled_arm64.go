//go:build arm64 && !purego

package dispatch

// compiled lists the assembly paths built into this binary.
var compiled = []Path{NEON}
