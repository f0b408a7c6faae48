//go:build tools

// Package tools pins the Kubernetes control-plane sources this module builds:
//
//	go build k8s.io/kubernetes/cmd/kube-apiserver
//	go build k8s.io/kubernetes/cmd/kube-controller-manager
//	go build k8s.io/kubernetes/cmd/kube-scheduler
package tools

import _ "k8s.io/kubernetes/pkg/controlplane"
