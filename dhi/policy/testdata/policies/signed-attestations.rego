# METADATA
# title: Signed supply-chain attestations
# description: The SBOM and the build provenance are present, about this image, and signed with the expected key.
# custom:
#   name: sample-signed-attestations
#   result_type: generic
#   not_compliant_title: Missing or unsigned supply-chain attestations
#   details_order:
#   - predicate
#   - reason
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

required := object.get(data.config, "predicate_types", ["https://spdx.dev/Document", "https://slsa.dev/provenance/v1"])

opts := {
	"key_ref": object.get(data.config, "key_ref", "https://dhi.io/keyring/latest.pub"),
	"ignore_tlog": true,
	"ignore_sct": true,
	"check_claims": true,
	"experimental_oci11": true,
}

violation contains v if {
	some pt in required
	is_null(oci.referrer(pt))
	v := {"message": sprintf("%s is missing or unverified", [pt]), "detail": {"predicate": pt, "reason": "missing"}}
}

violation contains v if {
	some pt in required
	att := oci.referrer(pt)
	not is_null(att)
	digests := {sprintf("sha256:%s", [s.digest.sha256]) | some s in att.statement.subject}
	not input.source.image.digest in digests
	v := {"message": sprintf("%s is about another image", [pt]), "detail": {"predicate": pt, "reason": "subject mismatch"}}
}

images := array.concat([att.image | some pt in required; att := oci.referrer(pt); not is_null(att)], object.get(data.config, "images", []))

results := cosign.verify_images(images, opts)

violation contains v if {
	some image, res in results
	res.error
	v := {"message": sprintf("%s does not verify", [image]), "detail": {"predicate": image, "reason": res.error}}
}
