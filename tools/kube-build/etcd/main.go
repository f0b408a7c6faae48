// Command etcd is the etcd server of go.etcd.io/etcd/server/v3, pinned by this module, for the
// local control plane (the same entry point as etcd's own main package).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
