package predicate

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// ignoreRaw leaves the Raw fields out of comparisons; tests check them on
// their own.
var ignoreRaw = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && sf.Name() == "Raw"
}, cmp.Ignore())

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseFIPSFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/fips.json")
	got, err := ParseFIPS(b)
	if err != nil {
		t.Fatal(err)
	}
	want := FIPS{Modules: []FIPSModule{
		{
			Name: "OpenSSL FIPS Provider", Version: "3.1.2",
			Package: "pkg:dhi/openssl-provider-fips@3.1.2", Standard: "FIPS 140-3",
			Status: "active", Certification: "CMVP #4985",
			CertificationURL: "https://csrc.nist.gov/projects/cryptographic-module-validation-program/certificate/4985",
			SunsetDate:       date(2030, time.March, 10),
		},
		{
			Name: "Go Cryptographic Module", Version: "1.0.0",
			Package:  "pkg:golang/golang.org/x/crypto@1.0.0#crypto/internal/fips140",
			Standard: "FIPS 140-3", Status: "in process",
		},
	}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("ParseFIPS() (-want +got):\n%s", diff)
	}
	if string(got.Raw) != string(b) {
		t.Errorf("Raw is not the predicate")
	}
	var m map[string]any
	if err := json.Unmarshal(got.Modules[1].Raw, &m); err != nil || m["status"] != "in process" {
		t.Errorf("module 1 Raw = %s (%v), want its object", got.Modules[1].Raw, err)
	}
}

func TestParseFIPSKeepsUnknownFields(t *testing.T) {
	t.Parallel()
	got, err := ParseFIPS([]byte(`[{"name":"m","sunsetDate":"2030-03-10T12:00:00Z","lab":"x"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Modules[0].SunsetDate.Equal(time.Date(2030, 3, 10, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("SunsetDate = %v", got.Modules[0].SunsetDate)
	}
	var m struct{ Lab string }
	if err := json.Unmarshal(got.Modules[0].Raw, &m); err != nil || m.Lab != "x" {
		t.Errorf("Raw lost the unknown field: %s", got.Modules[0].Raw)
	}
}

func TestParseFIPSEmpty(t *testing.T) {
	t.Parallel()
	got, err := ParseFIPS([]byte(` [] `))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Modules) != 0 {
		t.Errorf("Modules = %v, want none", got.Modules)
	}
}

func TestFIPSModuleActive(t *testing.T) {
	t.Parallel()
	sunset := date(2030, time.March, 10)
	tests := []struct {
		name       string
		m          FIPSModule
		at         time.Time
		active     bool
		sunsetPast bool
	}{
		{"active before sunset", FIPSModule{Status: "active", SunsetDate: sunset}, date(2026, 1, 1), true, false},
		{"active, upper case", FIPSModule{Status: " Active ", SunsetDate: sunset}, date(2026, 1, 1), true, false},
		{"last instant before sunset", FIPSModule{Status: "active", SunsetDate: sunset}, sunset.Add(-time.Nanosecond), true, false},
		{"on the sunset date", FIPSModule{Status: "active", SunsetDate: sunset}, sunset, false, true},
		{"after sunset", FIPSModule{Status: "active", SunsetDate: sunset}, date(2031, 1, 1), false, true},
		{"active, no sunset", FIPSModule{Status: "active"}, date(2099, 1, 1), true, false},
		{"in process", FIPSModule{Status: "in process"}, date(2026, 1, 1), false, false},
		{"historical", FIPSModule{Status: "historical", SunsetDate: sunset}, date(2031, 1, 1), false, true},
		{"no status", FIPSModule{}, date(2026, 1, 1), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.m.ActiveAt(tc.at); got != tc.active {
				t.Errorf("ActiveAt(%v) = %v, want %v", tc.at, got, tc.active)
			}
			if got := tc.m.SunsetAt(tc.at); got != tc.sunsetPast {
				t.Errorf("SunsetAt(%v) = %v, want %v", tc.at, got, tc.sunsetPast)
			}
		})
	}
}

func TestFIPSModuleActiveNow(t *testing.T) {
	t.Parallel()
	past := FIPSModule{Status: "active", SunsetDate: date(2001, 1, 1)}
	future := FIPSModule{Status: "active", SunsetDate: time.Now().AddDate(5, 0, 0)}
	if past.Active() || !future.Active() {
		t.Errorf("Active() = %v (sunset 2001), %v (sunset in 5 years); want false, true", past.Active(), future.Active())
	}
}
