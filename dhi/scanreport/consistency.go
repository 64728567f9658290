package scanreport

import (
	"fmt"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/osv"
	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// Inconsistent reports whether a finding contradicts itself: its installed
// version is at or above the fixed version the scanner gives, so the
// scanner reports as vulnerable a version it also says is fixed. When the
// scanner lists several fixed versions ("1.5.13, 1.3.15", one per release
// line), the finding is inconsistent only when the installed version is at
// or above all of them.
//
// Versions are compared in the order of the finding's purl type (see
// [osv.OrderForPURL]), never as strings. A finding without an installed or
// a fixed version is not inconsistent; one without a purl, or whose purl
// type has no known order, or whose versions that order cannot read, gives
// an error.
func Inconsistent(f vuln.Finding) (bool, error) {
	if f.InstalledVersion == "" || strings.TrimSpace(f.FixedIn) == "" {
		return false, nil
	}
	if f.PURL == "" {
		return false, fmt.Errorf("scanreport: %s in %s: no purl to tell the version order", f.ID, f.Package)
	}
	o, err := osv.OrderForPURL(f.PURL)
	if err != nil {
		return false, fmt.Errorf("scanreport: %s: %w", f.ID, err)
	}
	for _, fixed := range strings.Split(f.FixedIn, ",") {
		fixed = strings.TrimSpace(fixed)
		if fixed == "" {
			continue
		}
		c, err := o.Compare(f.InstalledVersion, fixed)
		if err != nil {
			return false, fmt.Errorf("scanreport: %s: %w", f.ID, err)
		}
		if c < 0 {
			return false, nil
		}
	}
	return true, nil
}
