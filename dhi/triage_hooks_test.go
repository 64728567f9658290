package dhi

import "github.com/dhisdk/dhisdk/dhi/vuln"

// DecideFindings decides findings as Platform.Triage does, without the
// subject check and without writing the report back, so that benchmarks
// can tell the cost of the decisions apart.
func DecideFindings(p *Platform, findings []vuln.Finding) ([]TriagedFinding, error) {
	d, err := p.newDecider(findings, nil)
	if err != nil {
		return nil, err
	}
	out := make([]TriagedFinding, len(findings))
	for i, f := range findings {
		if out[i], err = d.decide(f); err != nil {
			return nil, err
		}
	}
	return out, nil
}
