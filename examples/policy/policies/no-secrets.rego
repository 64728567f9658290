# METADATA
# title: No secrets
# description: The secrets scan of the image found nothing.
# custom:
#   name: sample-no-secrets
#   result_type: boolean
#   not_compliant_title: Secrets found
#   details_order:
#   - count
package docker.scout

import rego.v1

default pass := false

att := oci.referrer("https://scout.docker.com/secrets/v0.1")

pass if {
	not is_null(att)
	count(att.statement.predicate) == 0
}

violation contains v if {
	not is_null(att)
	n := count(att.statement.predicate)
	n > 0
	v := {"message": sprintf("%d secrets found", [n]), "detail": {"count": n}}
}
