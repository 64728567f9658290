package dhi_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dhisdk/dhisdk/dhi"
)

func ExampleOpenAll() {
	ref, key, stop := serveSample()
	defer stop()

	// A fleet of references; results come as each open finishes, with the
	// reference's position in Index. A real inventory would list every
	// image its organisation mirrors.
	refs := []string{ref, ref + "-missing"}
	rows := make([]string, len(refs))
	for r := range dhi.OpenAll(context.Background(), refs, dhi.WithKeys(key)) {
		if r.Err != nil {
			rows[r.Index] = "not opened"
			continue
		}
		p := r.Image.Platforms[0]
		exploitable, err := p.Exploitable()
		if err != nil {
			log.Fatal(err)
		}
		lc := p.Lifecycle()
		rows[r.Index] = fmt.Sprintf("%s %s: %d exploitable", lc.Name, lc.Version, len(exploitable))
	}
	for _, row := range rows {
		fmt.Println(row)
	}
	// Output:
	// dhi/python 3.13.9-debian12: 2 exploitable
	// not opened
}

func ExampleFleet() {
	ref, key, stop := serveSample()
	defer stop()

	f, err := dhi.NewFleet(dhi.WithKeys(key), dhi.WithOpenConcurrency(8))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	// The same image twice: its VEX document and its two SBOMs, which
	// both platforms carry, are parsed once for the four platforms.
	for range 2 {
		img, err := f.Open(context.Background(), ref)
		if err != nil {
			log.Fatal(err)
		}
		for _, p := range img.Platforms {
			if _, err := p.Vulnerabilities(); err != nil {
				log.Fatal(err)
			}
		}
	}
	st := f.Stats()
	fmt.Printf("opened %d images, parsed %d documents, reused %d\n", st.Opened, st.DocumentsParsed, st.DocumentsShared)
	// Output:
	// opened 2 images, parsed 3 documents, reused 9
}
