//go:build tools

// Records the provider's main package, so `go mod tidy` keeps everything it needs.
package tools

import _ "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes"
