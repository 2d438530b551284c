// Command gen writes dmath's tables.go (go generate ./dmath).
package main

import (
	"flag"
	"log"
	"os"

	"github.com/downhill-go/downhill/dmath/internal/gentables"
)

func main() {
	out := flag.String("o", "tables.go", "output file")
	flag.Parse()
	src, err := gentables.Generate()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
