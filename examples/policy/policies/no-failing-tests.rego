# METADATA
# title: Tests pass
# description: The image has a verified test record about it and no test failed.
# custom:
#   name: sample-no-failing-tests
#   result_type: generic
#   not_compliant_title: Missing or failing tests
#   details_order:
#   - predicate
#   - reason
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

predicate_type := "https://scout.docker.com/tests/v0.1"

att := oci.referrer(predicate_type)

violation contains v if {
	is_null(att)
	v := {"message": "no verified test record", "detail": {"predicate": predicate_type, "reason": "missing or unverified"}}
}

violation contains v if {
	not is_null(att)
	not sprintf("sha256:%s", [att.statement.subject[_].digest.sha256]) == input.source.image.digest
	v := {"message": "the test record is about another image", "detail": {"predicate": predicate_type, "reason": "subject mismatch"}}
}

violation contains v if {
	failed := att.statement.predicate.results.summary.failed
	failed > 0
	v := {"message": sprintf("%d tests failed", [failed]), "detail": {"predicate": predicate_type, "reason": "failing tests"}}
}
