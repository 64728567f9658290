package csaf

import (
	"bytes"
	"encoding/json"
	"strings"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	"github.com/dhisdk/dhisdk/vex"
)

// tree is the product tree of a document, indexed: each product ID's
// identifiers, the products that default_component_of relationships define,
// and the product groups.
type tree struct {
	products map[string]vex.Component
	// components maps the product ID a default_component_of relationship
	// defines to the component and the product it is part of.
	components map[string][2]string
	groups     map[string][]string
	side       *sideGroups
}

func newTree(pt *gocsaf.ProductTree, side *sideGroups) *tree {
	t := &tree{products: map[string]vex.Component{}, components: map[string][2]string{}, groups: map[string][]string{}, side: side}
	if side != nil {
		for _, g := range side.ProductTree.ProductGroups {
			t.groups[g.GroupID] = g.ProductIDs
		}
	}
	if pt == nil {
		return t
	}
	if pt.FullProductNames != nil {
		for _, fpn := range *pt.FullProductNames {
			t.addProduct(fpn)
		}
	}
	t.addBranches(pt.Branches)
	if pt.RelationShips != nil {
		for _, r := range *pt.RelationShips {
			if r == nil || r.Category == nil || *r.Category != gocsaf.CSAFRelationshipCategoryDefaultComponentOf ||
				r.FullProductName == nil || r.FullProductName.ProductID == nil || r.ProductReference == nil || r.RelatesToProductReference == nil {
				continue
			}
			t.components[string(*r.FullProductName.ProductID)] = [2]string{string(*r.ProductReference), string(*r.RelatesToProductReference)}
		}
	}
	return t
}

// addBranches adds the products of branches, at any depth.
func (t *tree) addBranches(bs gocsaf.Branches) {
	for _, b := range bs {
		if b == nil {
			continue
		}
		t.addProduct(b.Product)
		t.addBranches(b.Branches)
	}
}

// addProduct adds a product that has a purl or a CPE.
func (t *tree) addProduct(fpn *gocsaf.FullProductName) {
	if fpn == nil || fpn.ProductID == nil || fpn.ProductIdentificationHelper == nil {
		return
	}
	h := fpn.ProductIdentificationHelper
	var c vex.Component
	if h.PURL != nil {
		c.ID = string(*h.PURL)
	}
	if h.CPE != nil {
		cpe := string(*h.CPE)
		typ := "cpe22"
		if strings.HasPrefix(cpe, "cpe:2.3:") {
			typ = "cpe23"
		}
		c.Identifiers = map[string]string{typ: cpe}
	}
	if c.ID == "" && c.Identifiers == nil {
		return
	}
	t.products[string(*fpn.ProductID)] = c
}

// product returns the VEX product that product ID id stands for.
func (t *tree) product(id string) (vex.Product, bool) {
	if rel, ok := t.components[id]; ok {
		comp, okc := t.products[rel[0]]
		whole, okw := t.products[rel[1]]
		if !okc || !okw {
			return vex.Product{}, false
		}
		return vex.Product{Component: whole, Subcomponents: []vex.Component{comp}}, true
	}
	c, ok := t.products[id]
	return vex.Product{Component: c}, ok
}

// names reports whether a list of product IDs, or the product groups named
// by groupIDs, contains id.
func (t *tree) names(ids *gocsaf.Products, groupIDs []string, id string) bool {
	if ids != nil {
		for _, p := range *ids {
			if p != nil && string(*p) == id {
				return true
			}
		}
	}
	for _, g := range groupIDs {
		for _, p := range t.groups[g] {
			if p == id {
				return true
			}
		}
	}
	return false
}

// sideGroups holds the product groups of a document and the group_ids of
// its flags, threats and remediations, which are decoded here: gocsaf
// (v3.7.0) models them as objects where CSAF 2.0 has arrays, so a document
// that uses them does not decode into its types.
type sideGroups struct {
	ProductTree struct {
		ProductGroups []struct {
			GroupID    string   `json:"group_id"`
			ProductIDs []string `json:"product_ids"`
		} `json:"product_groups"`
	} `json:"product_tree"`
	Vulnerabilities []struct {
		Flags        []groupRef `json:"flags"`
		Threats      []groupRef `json:"threats"`
		Remediations []groupRef `json:"remediations"`
	} `json:"vulnerabilities"`
}

type groupRef struct {
	GroupIDs []string `json:"group_ids"`
}

// groupIDs returns the group_ids of item i of kind ("flags", "threats",
// "remediations") of vulnerability v.
func (s *sideGroups) groupIDs(v int, kind string, i int) []string {
	if s == nil || v >= len(s.Vulnerabilities) {
		return nil
	}
	var refs []groupRef
	switch kind {
	case "flags":
		refs = s.Vulnerabilities[v].Flags
	case "threats":
		refs = s.Vulnerabilities[v].Threats
	case "remediations":
		refs = s.Vulnerabilities[v].Remediations
	}
	if i >= len(refs) {
		return nil
	}
	return refs[i].GroupIDs
}

// splitGroups returns the product groups of document b and b without them,
// so that gocsaf can decode the rest; it returns nil and b when b names no
// group.
func splitGroups(b []byte) (*sideGroups, []byte, error) {
	if !bytes.Contains(b, []byte(`"product_groups"`)) && !bytes.Contains(b, []byte(`"group_ids"`)) {
		return nil, b, nil
	}
	side := &sideGroups{}
	if err := json.Unmarshal(b, side); err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, nil, err
	}
	if pt, ok := doc["product_tree"].(map[string]any); ok {
		delete(pt, "product_groups")
	}
	if vs, ok := doc["vulnerabilities"].([]any); ok {
		for _, v := range vs {
			vm, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for _, kind := range []string{"flags", "threats", "remediations"} {
				items, _ := vm[kind].([]any)
				for _, it := range items {
					if m, ok := it.(map[string]any); ok {
						delete(m, "group_ids")
					}
				}
			}
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	return side, out, nil
}
