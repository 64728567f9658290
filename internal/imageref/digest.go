package imageref

import "strings"

// Digest algorithms and the length of their hexadecimal digests.
const (
	// SHA256 is the sha256 algorithm, with 64 hexadecimal digits.
	SHA256 = "sha256"
	// SHA512 is the sha512 algorithm, with 128 hexadecimal digits.
	SHA512 = "sha512"
)

// ParseDigest returns s in lower case and true when it is a content digest,
// "<algorithm>:<hex>" with the algorithm sha256 and 64 hexadecimal digits or
// sha512 and 128 (either case); otherwise "" and false.
func ParseDigest(s string) (string, bool) {
	alg, hex, ok := strings.Cut(s, ":")
	if !ok {
		return "", false
	}
	alg = strings.ToLower(alg)
	switch {
	case alg == SHA256 && len(hex) == 64, alg == SHA512 && len(hex) == 128:
	default:
		return "", false
	}
	if !IsHex(hex) {
		return "", false
	}
	return alg + ":" + strings.ToLower(hex), true
}

// IsDigest reports whether s is a content digest that [ParseDigest] accepts.
func IsDigest(s string) bool {
	_, ok := ParseDigest(s)
	return ok
}

// IsHex reports whether s is a non-empty string of hexadecimal digits,
// in either case.
func IsHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
