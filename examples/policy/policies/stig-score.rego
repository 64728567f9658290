# METADATA
# title: STIG score
# description: Images that declare FIPS compliance reach the target score in every STIG profile.
# custom:
#   name: sample-stig-score
#   result_type: generic
#   not_compliant_title: STIG score below target
#   details_order:
#   - profile
#   - score
#   - target
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

target := object.get(data.config, "target_score", 100)

labels := l if {
	l := input.source.image.config.config.Labels
	is_object(l)
} else := {}

fips if "fips" in split(object.get(labels, "com.docker.dhi.compliance", ""), ",")

att := oci.referrer("https://docker.com/dhi/stig/v0.1")

violation contains v if {
	fips
	is_null(att)
	v := {"message": "no verified STIG scan", "detail": {"profile": "", "score": "", "target": target}}
}

violation contains v if {
	fips
	some profile in att.statement.predicate
	score := (profile.summary.defaultScore / profile.summary.maxDefaultScore) * 100
	score < target
	v := {
		"message": sprintf("STIG profile %s scored %.1f%%", [profile.name, score]),
		"detail": {"profile": profile.name, "score": sprintf("%.1f", [score]), "target": target},
	}
}
