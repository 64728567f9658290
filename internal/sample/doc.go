// Package sample holds the documents of the SDK's built-in sample image: an
// image shaped like a Docker Hardened Image whose attestations are real
// documents (see package fixture for their sources).
package sample
