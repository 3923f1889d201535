// istio-oracle: Istio's own code as a test oracle for the project's Istio adapter.
//
//	istio-oracle validate [file...]     Istio validation (the validating webhook's checks) and istioctl analyze's
//	                                    analyzers over the objects given (stdin when no file); JSON on stdout
//	istio-oracle istiod [flags]         istiod's discovery server against a kube-apiserver, plus a small HTTP API
//	                                    (/sync, /xds) that waits for istiod to see a state and fetches the xDS
//	                                    configuration of fake sidecars
//	istio-oracle xds [flags]            one fake sidecar's listeners, routes and clusters from a running istiod
//	istio-oracle version                the Istio module this binary was built from
//
// Exit codes: 0 ran (the verdict is in the JSON), 2 usage error, 1 anything else.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

const usage = `usage: istio-oracle validate [file...] | istiod [flags] | xds [flags] | version`

func main() {
	if len(os.Args) < 2 {
		fail(2, usage)
	}
	args := os.Args[2:]
	var err error
	switch os.Args[1] {
	case "validate":
		err = runValidate(args, os.Stdin, os.Stdout)
	case "istiod":
		err = runIstiod(args)
	case "xds":
		err = runXdsCommand(args, os.Stdout)
	case "version":
		fmt.Println(istioVersion())
	default:
		fail(2, usage)
	}
	if err != nil {
		if u, ok := err.(usageError); ok {
			fail(2, "istio-oracle "+os.Args[1]+": "+string(u))
		}
		fail(1, "istio-oracle "+os.Args[1]+": "+err.Error())
	}
}

type usageError string

func (u usageError) Error() string { return string(u) }

func fail(code int, msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(code)
}

// istioVersion is the istio.io/istio module version compiled in.
func istioVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "istio.io/istio" {
				return d.Version
			}
		}
	}
	return "unknown"
}
