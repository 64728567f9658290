package predicate

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// FIPS is the predicate of a FIPS compliance attestation
// ([TypeFIPS]): the FIPS validated cryptographic modules an image
// ships. Docker documents it as a JSON array of modules.
type FIPS struct {
	// Modules are the modules, in the order of the predicate.
	Modules []FIPSModule `json:"modules"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// FIPSModule is one cryptographic module of a [FIPS] predicate.
type FIPSModule struct {
	// Name is the module's name (name), such as "OpenSSL FIPS Provider".
	Name string `json:"name"`
	// Version is the module's version (version).
	Version string `json:"version"`
	// Package is the package URL of the package providing the module
	// (package), such as "pkg:dhi/openssl-provider-fips@3.1.2".
	Package string `json:"package"`
	// Standard is the standard the module is validated against
	// (standard), such as "FIPS 140-3".
	Standard string `json:"standard"`
	// Status is the module's validation status (status) as written, such
	// as "active" or "in process".
	Status string `json:"status"`
	// Certification names the module's certificate (certification), such
	// as "CMVP #4985"; empty when the module has none yet.
	Certification string `json:"certification"`
	// CertificationURL is the URL of the certificate (certificationUrl);
	// empty when the module has none yet.
	CertificationURL string `json:"certificationUrl"`
	// SunsetDate is the date after which the certificate no longer counts
	// (sunsetDate), at 00:00 UTC; the zero time when absent.
	SunsetDate time.Time `json:"sunsetDate"`
	// Raw is the module's JSON object, with any field not typed here.
	Raw json.RawMessage `json:"-"`
}

type fipsModuleJSON struct {
	Certification    string `json:"certification"`
	CertificationURL string `json:"certificationUrl"`
	Name             string `json:"name"`
	Package          string `json:"package"`
	Standard         string `json:"standard"`
	Status           string `json:"status"`
	SunsetDate       string `json:"sunsetDate"`
	Version          string `json:"version"`
}

// ParseFIPS decodes the predicate of a [TypeFIPS] attestation.
// Every field of a module is optional; a sunsetDate must be a date
// (2006-01-02, taken as 00:00 UTC) or an RFC 3339 time. Fields not typed
// in [FIPSModule] stay in its Raw. Errors wrap [ErrInvalid].
func ParseFIPS(predicate []byte) (FIPS, error) {
	var items []json.RawMessage
	if err := decodeJSON(TypeFIPS, predicate, &items); err != nil {
		return FIPS{}, err
	}
	f := FIPS{Modules: make([]FIPSModule, 0, len(items)), Raw: bytes.Clone(predicate)}
	for i, item := range items {
		var m fipsModuleJSON
		if err := decodeItem(TypeFIPS, "module", i, item, &m); err != nil {
			return FIPS{}, err
		}
		mod := FIPSModule{
			Name: m.Name, Version: m.Version, Package: m.Package,
			Standard: m.Standard, Status: m.Status,
			Certification: m.Certification, CertificationURL: m.CertificationURL,
			Raw: item,
		}
		if m.SunsetDate != "" {
			t, ok := parseTime(m.SunsetDate)
			if !ok {
				return FIPS{}, invalid(TypeFIPS, "%s: sunsetDate %q is not a date", at("module", i), m.SunsetDate)
			}
			mod.SunsetDate = t
		}
		f.Modules = append(f.Modules, mod)
	}
	return f, nil
}

// ActiveAt reports whether the module's validation is in force at t: its
// status is "active" (in any case) and t is before its sunset date, if it
// has one. On the sunset date itself the module no longer counts.
func (m FIPSModule) ActiveAt(t time.Time) bool {
	if !strings.EqualFold(strings.TrimSpace(m.Status), "active") {
		return false
	}
	return m.SunsetDate.IsZero() || t.Before(m.SunsetDate)
}

// Active reports whether the module's validation is in force now (see
// [FIPSModule.ActiveAt]).
func (m FIPSModule) Active() bool { return m.ActiveAt(time.Now()) }

// SunsetAt reports whether the module has a sunset date and t is on or
// after it.
func (m FIPSModule) SunsetAt(t time.Time) bool {
	return !m.SunsetDate.IsZero() && !t.Before(m.SunsetDate)
}
