# METADATA
# title: No shell or package manager unless declared
# description: The SPDX SBOM lists no shell and no package manager unless the image's labels declare them.
# custom:
#   name: sample-no-shell
#   result_type: generic
#   not_compliant_title: Shell or package manager present
#   details_order:
#   - package
#   - purl
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

labels := l if {
	l := input.source.image.config.config.Labels
	is_object(l)
} else := {}

forbidden[name] := "com.docker.dhi.shell" if some name in object.get(data.config, "shells", ["bash", "busybox", "dash", "zsh"])

forbidden[name] := "com.docker.dhi.package-manager" if some name in object.get(data.config, "package_managers", ["apk-tools", "apt", "dpkg"])

sbom := oci.referrer("https://spdx.dev/Document")

violation contains v if {
	is_null(sbom)
	v := {"message": "no verified SPDX SBOM", "detail": {"package": "", "purl": ""}}
}

violation contains v if {
	some pkg in sbom.statement.predicate.packages
	label := forbidden[pkg.name]
	object.get(labels, label, "") == ""
	some ref in pkg.externalRefs
	ref.referenceType == "purl"
	scout.parse_purl(ref.referenceLocator).name == pkg.name
	v := {
		"message": sprintf("%s is installed and %s is not set", [pkg.name, label]),
		"detail": {"package": pkg.name, "purl": ref.referenceLocator},
	}
}
