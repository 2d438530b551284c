//go:build (!amd64 && !arm64) || purego

package dispatch

// compiled lists the assembly paths built into this binary: none.
var compiled []Path
