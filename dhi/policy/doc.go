// Package policy evaluates Rego policies on the verified attestations of an
// image platform, with the input and built-ins of docker scout policy, so
// that Docker's published DHI policies (docker-hardened-images/policies)
// and policies written in their style run unchanged; and it turns an
// evaluation into a SLSA verification summary to sign and attach.
//
// A policy is a Rego v1 file in package docker.scout with a # METADATA
// block whose custom section has name (matched by --policy-config
// entries), result_type, not_compliant_title and details_order, a pass rule
// and a violation set of {"message", "detail"} objects. [ReadDir] reads
// them from a directory or an embedded file system, [ReadFiles] from files;
// [New] compiles them into an [Engine], and [Engine.Evaluate] runs each on
// a [dhi.Platform]. The input is input.source.image (name, digest, config);
// the built-ins are oci.referrer, cosign.verify_images and
// scout.parse_purl (see [Engine.Evaluate] for what each returns), with
// data.config from [WithConfig]. time.now_ns reads the clock of
// [WithClock].
//
// Only attestations that verified under the caller's trust settings (the
// keys [dhi.Open] was given) are visible to oci.referrer; an unsigned,
// tampered or foreign attestation is as absent. cosign.verify_images
// verifies, offline, the attestations already discovered, with keys the
// caller supplied ([WithKey]); Docker's keyring URLs map to the embedded
// DHI keys.
//
// Every policy gets a typed [Result]: pass, fail with its violations (the
// detail ordered by details_order), skipped by the configuration, or error.
// A policy that does not parse or compile, calls an unknown built-in,
// calls one with arguments of the wrong type, names a key that was not
// supplied, or a configuration entry that names no policy, is an error
// naming the file and line, and never passes.
//
// [Evaluation.VSA] builds an in-toto statement carrying a SLSA VSA v1
// about the platform; [attest.SignBundle] signs it and [attest.Attach]
// attaches it as cosign v3 does, where [dhi.Open] and cosign
// verify-attestation find it.
//
// This is the only package of the SDK that imports the Open Policy Agent.
package policy
