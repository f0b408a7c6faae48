// Command genembed writes the two files the provider's main package embeds but upstream does
// not commit: schema-embed.json (the committed schema.json with the build's version stamped in)
// and terraform-mapping-embed.json (terraform-mapping.json, compacted). It reads them from the
// provider's directory in the module cache, which is read-only, and writes them to -out, from
// where `go build -overlay` substitutes them.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	src := flag.String("src", "", "directory of cmd/pulumi-resource-kubernetes (holds schema.json)")
	out := flag.String("out", "", "directory to write the generated files to")
	version := flag.String("version", "", "version stamped into the schema, without a leading v")
	flag.Parse()
	if *src == "" || *out == "" || *version == "" {
		fmt.Fprintln(os.Stderr, "genembed: -src, -out and -version are all required")
		os.Exit(2)
	}
	if err := run(*src, *out, *version); err != nil {
		fmt.Fprintf(os.Stderr, "genembed: %v\n", err)
		os.Exit(1)
	}
}

func run(src, out, version string) error {
	// Going through schema.PackageSpec (rather than a generic map) yields the same document
	// shape the provider's release build embeds.
	var spec schema.PackageSpec
	if err := readJSON(filepath.Join(src, "schema.json"), &spec); err != nil {
		return err
	}
	spec.Version = version
	if err := writeJSON(filepath.Join(out, "schema-embed.json"), spec); err != nil {
		return err
	}
	var mapping any
	if err := readJSON(filepath.Join(src, "terraform-mapping.json"), &mapping); err != nil {
		return err
	}
	return writeJSON(filepath.Join(out, "terraform-mapping-embed.json"), mapping)
}

func readJSON(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, value any) error {
	data, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, data, 0o644)
}
