// Prints containerd's RuntimeDefault seccomp profile (the one a pod with
// seccompProfile.type: RuntimeDefault gets on a containerd node) for a container whose
// capabilities are all dropped, as OCI JSON, for the pod runner (lib/server/pod/seccomp.ts).
//
//	go run . > ../../lib/server/pod/seccompRuntimeDefault.json
package main

import (
	"encoding/json"
	"os"

	"github.com/containerd/containerd/contrib/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func main() {
	spec := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{}}}
	out := struct {
		Source  string               `json:"source"`
		Profile *specs.LinuxSeccomp `json:"profile"`
	}{
		Source:  "github.com/containerd/containerd@v1.6.20 contrib/seccomp.DefaultProfile, no capabilities, linux/amd64; regenerate: cd tools/seccomp-profile && go run . > ../../lib/server/pod/seccompRuntimeDefault.json",
		Profile: seccomp.DefaultProfile(spec),
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
