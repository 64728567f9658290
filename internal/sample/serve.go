package sample

import (
	"context"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// Serve serves the sample image from an in-process registry on loopback,
// signed with a key made for the call, and returns its reference, the
// public key its attestations are signed with, and a function that stops
// the registry.
func Serve(ctx context.Context) (ref string, key *attest.Key, closeFn func(), err error) {
	docs, err := Docs()
	if err != nil {
		return "", nil, nil, err
	}
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		return "", nil, nil, err
	}
	key, err = attest.ParseKey(pub, attest.WithKeyName("sample key"))
	if err != nil {
		return "", nil, nil, err
	}
	reg, err := dhitest.NewRegistry()
	if err != nil {
		return "", nil, nil, err
	}
	img, err := dhitest.Push(ctx, reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: Labels(),
		DockerReference: "registry.scout.docker.com/dhi/python"})
	if err != nil {
		reg.Close()
		return "", nil, nil, err
	}
	return img.Ref, key, func() { reg.Close() }, nil
}
