// Command yaml-reference reads a multi-document YAML stream the way kubectl and the API server do
// (documents split by k8s.io/apimachinery's YAMLReader, each converted by sigs.k8s.io/yaml) and
// prints one JSON line per document: {"json": <object>} or {"error": "<message>"}. Documents that
// hold nothing (empty, comments only, null) print {"json": null}. It is the reference the policy
// checker's YAML reader is tested against.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

type result struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yaml-reference <file>")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(f))
	out := json.NewEncoder(os.Stdout)
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		converted, err := yaml.YAMLToJSONStrict(doc)
		r := result{JSON: converted}
		if err != nil {
			r = result{Error: err.Error()}
		} else if len(converted) == 0 {
			r = result{JSON: json.RawMessage("null")}
		}
		if err := out.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
