package registrytest

import (
	"io"
	"log"
)

// nopLogger discards go-containerregistry registry logs.
func nopLogger() *log.Logger { return log.New(io.Discard, "", 0) }
