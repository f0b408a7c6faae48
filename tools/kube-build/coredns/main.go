// Command coredns is CoreDNS with only the plugins a local cluster's DNS needs: cluster names from
// the API server (kubernetes), a cache, health and readiness endpoints, and error logging. Linking
// only these keeps the cloud DNS providers' SDKs out of the build, which is most of its time.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// The subset of CoreDNS's plugin order (core/dnsserver/zdirectives.go) for the plugins above.
var directives = []string{"ready", "health", "errors", "log", "cache", "kubernetes"}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
