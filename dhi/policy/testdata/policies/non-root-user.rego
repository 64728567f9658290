# METADATA
# title: Runs as a non-root user
# description: The image's default user is not root, unless it is a development variant.
# custom:
#   name: sample-non-root-user
#   result_type: generic
#   not_compliant_title: Default user is root
#   details_order:
#   - user
#   - image
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

labels := l if {
	l := input.source.image.config.config.Labels
	is_object(l)
} else := {}

user := object.get(input.source.image.config.config, "User", "")

development if endswith(object.get(labels, "com.docker.dhi.version", ""), "-dev")

root_users := {"", "root", "0", "0:0", "root:root"}

violation contains v if {
	not development
	user in root_users
	v := {
		"message": sprintf("%s runs as root", [input.source.image.name]),
		"detail": {"user": user, "image": input.source.image.name},
	}
}
