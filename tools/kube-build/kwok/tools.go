//go:build tools

// Package tools pins kwok, built with `go build sigs.k8s.io/kwok/cmd/kwok` in this module.
package tools

import _ "sigs.k8s.io/kwok/pkg/kwok/cmd"
