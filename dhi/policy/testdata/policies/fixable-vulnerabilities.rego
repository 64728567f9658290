# METADATA
# title: Fixable vulnerabilities within their SLA
# description: No vulnerability with a fix stays unfixed longer than its severity's SLA, unless VEX says it does not apply.
# custom:
#   name: sample-fixable-vulnerabilities
#   result_type: vulnerability
#   not_compliant_title: Fixable vulnerabilities past their SLA
#   details_order:
#   - vulnerability
#   - purl
#   - severity
#   - fixedBy
#   - days
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

slas := object.get(data.config, "sla_days", {"CRITICAL": 7, "HIGH": 7, "MEDIUM": 30, "LOW": 90})

types := object.get(data.config, "package_types", [])

day := ((24 * 60) * 60) * 1000000000

scan := oci.referrer("https://scout.docker.com/vulnerabilities/v0.1")

vex := oci.referrer("https://openvex.dev/ns/v0.2.0")

excluded(id, purl) if {
	some st in vex.statement.predicate.statements
	st.vulnerability.name == id
	st.status in {"not_affected", "fixed"}
	some product in st.products
	product["@id"] == purl
}

wanted(purl) if count(types) == 0

wanted(purl) if scout.parse_purl(purl).type in types

violation contains v if {
	some entry in scan.statement.predicate
	wanted(entry.purl)
	some vuln in entry.vulnerabilities
	vuln.fixed_by
	not excluded(vuln.source_id, entry.purl)
	severity := upper(object.get(object.get(vuln, "cvss", {}), "severity", "UNSPECIFIED"))
	limit := object.get(slas, severity, 30)
	days := (time.now_ns() - time.parse_rfc3339_ns(vuln.published_at)) / day
	days > limit
	v := {
		"message": sprintf("%s in %s is fixable and %d days old (SLA %d days)", [vuln.source_id, entry.purl, floor(days), limit]),
		"detail": {"vulnerability": vuln.source_id, "purl": entry.purl, "severity": severity, "fixedBy": vuln.fixed_by, "days": floor(days)},
	}
}
