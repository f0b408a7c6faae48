//go:build tools

// Build module for kube-score, the peer the policy benchmark measures atlas-policy against. Its
// go.mod and go.sum pin the release and every dependency.
package tools

import _ "github.com/zegl/kube-score/cmd/kube-score"
