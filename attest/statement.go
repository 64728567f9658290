package attest

import (
	"errors"
	"fmt"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// ParseStatement decodes an in-toto statement (v0.1 or v1). It checks the
// _type, that the predicate type is set and that every subject has a
// digest; it does not check signatures or what the subjects name.
func ParseStatement(b []byte) (*intoto.Statement, error) {
	st, err := intoto.Decode(b)
	if err != nil {
		if errors.Is(err, intoto.ErrNotStatement) {
			return nil, fmt.Errorf("%w: %v", ErrUnknownFormat, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return st, nil
}
