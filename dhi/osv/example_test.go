package osv_test

import (
	"fmt"

	"github.com/dhisdk/dhisdk/dhi/osv"
)

func ExampleAdvisory_Match() {
	a, err := osv.Parse([]byte(`{
	  "id": "CVE-2021-21309",
	  "modified": "2025-06-29T17:22:00Z",
	  "aliases": ["GHSA-hgj8-vff2-7cjf"],
	  "affected": [{
	    "package": {"ecosystem": "DHI", "name": "redis", "purl": "pkg:dhi/redis"},
	    "ranges": [{"type": "SEMVER", "events": [
	      {"introduced": "4.0.0"}, {"fixed": "5.0.11"},
	      {"introduced": "6.0.0"}, {"fixed": "6.0.11"}]}]
	  }]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []string{"6.0.9", "6.0.11"} {
		m, err := a.Match(osv.Query{PURL: "pkg:dhi/redis@" + v})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(v, m.Affected, m.FixedIn, m.Aliases)
	}
	// Output:
	// 6.0.9 true 6.0.11 [GHSA-hgj8-vff2-7cjf]
	// 6.0.11 false  [GHSA-hgj8-vff2-7cjf]
}

func ExampleOrder_Compare() {
	for _, c := range []struct {
		order osv.Order
		a, b  string
	}{
		{osv.OrderDebian, "1:2.3-1", "2.4"},
		{osv.OrderDebian, "1.0~rc1", "1.0"},
		{osv.OrderAlpine, "1.2.3-r0", "1.2.3-r10"},
	} {
		n, err := c.order.Compare(c.a, c.b)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c.order, c.a, c.b, n)
	}
	// Output:
	// debian 1:2.3-1 2.4 1
	// debian 1.0~rc1 1.0 -1
	// alpine 1.2.3-r0 1.2.3-r10 -1
}
