//go:build tools

// Package tools pins kube-router, whose network policy controller (--run-firewall, alone) enforces
// NetworkPolicy on the local cluster's real nodes with iptables and ipset:
//
//	go build github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
