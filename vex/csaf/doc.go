// Package csaf reads CSAF 2.0 VEX documents ([CSAF], document category
// csaf_vex, as Red Hat and others publish them) into [vex.Document] values,
// so that they join OpenVEX documents in one [vex.Index].
//
// [Parse] decodes a document with [gocsaf] and maps it: each vulnerability's
// product_status lists become statements (known_not_affected, fixed,
// known_affected and under_investigation are OpenVEX's not_affected, fixed,
// affected and under_investigation), flag labels become justifications, and
// products are named by the purls and CPEs of the product tree, with
// default_component_of relationships read as a component within a product.
//
// The package is apart from package vex because gocsaf imports net/http (as
// a client library, for its remote validation and provider loading, which
// this package does not call) and other libraries that the vex leaf does
// not carry.
//
// [CSAF]: https://docs.oasis-open.org/csaf/csaf/v2.0/csaf-v2.0.html
// [gocsaf]: https://github.com/gocsaf/csaf
package csaf
