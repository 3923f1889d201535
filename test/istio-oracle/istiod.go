package main

// istiod: Istio's discovery server (pilot/pkg/bootstrap, what pilot-discovery runs) started in this process against
// a kube-apiserver, plus a small HTTP API for tests:
//
//	POST /sync  {"kinds":[{group,version,kind}], "namespaces":[...], "configs":[{group,kind,namespace,name,resourceVersion}],
//	             "services":[{"host":fqdn,"ports":[...]}], "timeoutSeconds":30}
//	     waits until istiod's config store holds exactly those configs of those kinds in those namespaces and its
//	     service registry has those Services, then forces a full push and waits until a push context built after
//	     that point is current. Answers {"minVersion": N}: xDS generated from push version N or later saw the state.
//	POST /xds   {"proxies":[proxy...], "minVersion": N}   the xDS configuration of each fake sidecar (see xds.go)
//	GET  /mesh  {"trustDomain": ..., "rootNamespace": ...}
//
// Running in-process (not as a child pilot-discovery) keeps the build to one binary and gives /sync a direct view of
// the push context, so tests wait on observable facts rather than on sleeps.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"istio.io/istio/pilot/pkg/bootstrap"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/host"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/ctrlz"
	"istio.io/istio/pkg/log"
)

func runIstiod(args []string) error {
	fs := flag.NewFlagSet("istiod", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "admin kubeconfig of the API server (required)")
	httpAddr := fs.String("httpAddr", "127.0.0.1:0", "istiod debug HTTP address (/ready, /debug/...)")
	grpcAddr := fs.String("grpcAddr", "127.0.0.1:0", "plaintext xDS gRPC address")
	secureGrpcAddr := fs.String("secureGRPCAddr", "127.0.0.1:0", "TLS xDS gRPC address")
	httpsAddr := fs.String("httpsAddr", "127.0.0.1:0", "webhook HTTPS address")
	monitoringAddr := fs.String("monitoringAddr", "127.0.0.1:0", "metrics address")
	ctrlzPort := fs.Int("ctrlzPort", 0, "ControlZ port (0: any free port)")
	oracleAddr := fs.String("oracleAddr", "127.0.0.1:0", "address of this oracle's /sync and /xds API")
	meshConfig := fs.String("meshConfig", "/nonexistent", "mesh config file (missing: Istio's defaults)")
	domain := fs.String("domain", "cluster.local", "cluster DNS domain")
	logLevel := fs.String("logLevel", "warn", "Istio log level for every scope")
	readyFile := fs.String("readyFile", "", "write the bound addresses here as JSON once serving")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *kubeconfig == "" {
		return usageError("--kubeconfig is required")
	}
	configureLogs(log.StringToLevel(*logLevel))

	// Ports are bound here first, so a ":0" port is known before istiod starts (istiod's own ":0" handling
	// does not report the port back). A tiny window remains between close and istiod's bind.
	addrs := map[string]*string{"http": httpAddr, "grpc": grpcAddr, "secureGrpc": secureGrpcAddr, "https": httpsAddr, "monitoring": monitoringAddr}
	for name, a := range addrs {
		resolved, err := pickPort(*a)
		if err != nil {
			return fmt.Errorf("%s address %s: %w", name, *a, err)
		}
		*addrs[name] = resolved
	}
	if *ctrlzPort == 0 {
		p, err := pickPort("127.0.0.1:0")
		if err != nil {
			return err
		}
		_, port, _ := net.SplitHostPort(p)
		n, _ := strconv.Atoi(port)
		*ctrlzPort = n
	}

	pa := bootstrap.NewPilotArgs(func(p *bootstrap.PilotArgs) {
		p.CtrlZOptions = ctrlz.DefaultOptions()
		p.CtrlZOptions.Port = uint16(*ctrlzPort)
		p.CtrlZOptions.Address = "127.0.0.1"
		p.InjectionOptions = bootstrap.InjectionOptions{InjectionDirectory: "/nonexistent"}
	})
	pa.RegistryOptions.Registries = []string{"Kubernetes"}
	pa.RegistryOptions.KubeConfig = *kubeconfig
	pa.RegistryOptions.KubeOptions.DomainSuffix = *domain
	pa.RegistryOptions.KubeOptions.ClusterID = "Kubernetes"
	pa.RegistryOptions.KubeOptions.ClusterAliases = map[string]string{}
	pa.RegistryOptions.KubeOptions.KubernetesAPIQPS = 80
	pa.RegistryOptions.KubeOptions.KubernetesAPIBurst = 160
	pa.MeshConfigFile = *meshConfig
	pa.NetworksConfigFile = "/nonexistent"
	pa.ShutdownDuration = 1 * time.Second
	pa.ServerOptions.HTTPAddr = *httpAddr
	pa.ServerOptions.HTTPSAddr = *httpsAddr
	pa.ServerOptions.GRPCAddr = *grpcAddr
	pa.ServerOptions.SecureGRPCAddr = *secureGrpcAddr
	pa.ServerOptions.MonitoringAddr = *monitoringAddr
	pa.ServerOptions.TLSOptions.TLSMinVersion = bootstrap.TLSMinVersion1_2
	if err := pa.Complete(); err != nil {
		return err
	}

	stop := make(chan struct{})
	server, err := bootstrap.NewServer(pa)
	if err != nil {
		return fmt.Errorf("creating the discovery server: %w", err)
	}
	if err := server.Start(stop); err != nil {
		return fmt.Errorf("starting the discovery server: %w", err)
	}

	o := &oracle{server: server, grpcAddr: *grpcAddr}
	ln, err := net.Listen("tcp", *oracleAddr)
	if err != nil {
		return fmt.Errorf("oracle address %s: %w", *oracleAddr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/sync", o.handleSync)
	mux.HandleFunc("/xds", o.handleXds)
	mux.HandleFunc("/mesh", o.handleMesh)
	go func() { _ = http.Serve(ln, mux) }()

	bound := map[string]string{"oracle": ln.Addr().String(), "ctrlz": fmt.Sprintf("127.0.0.1:%d", *ctrlzPort)}
	for k, v := range addrs {
		bound[k] = *v
	}
	js, _ := json.Marshal(bound)
	if *readyFile != "" {
		if err := os.WriteFile(*readyFile+".tmp", js, 0o600); err != nil {
			return err
		}
		if err := os.Rename(*readyFile+".tmp", *readyFile); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "istio-oracle istiod: serving %s\n", js)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	close(stop)
	server.WaitUntilCompletion()
	return nil
}

func pickPort(addr string) (string, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if p != "0" && p != "" {
		return addr, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(h, "0"))
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

type oracle struct {
	server   *bootstrap.Server
	grpcAddr string
}

type gvkJSON struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

type configRef struct {
	Group           string `json:"group"`
	Kind            string `json:"kind"`
	Namespace       string `json:"namespace"`
	Name            string `json:"name"`
	ResourceVersion string `json:"resourceVersion"`
}

type serviceRef struct {
	Host  string `json:"host"`
	Ports []int  `json:"ports"`
}

type syncRequest struct {
	Kinds          []gvkJSON    `json:"kinds"`
	Namespaces     []string     `json:"namespaces"`
	Configs        []configRef  `json:"configs"`
	Services       []serviceRef `json:"services"`
	TimeoutSeconds float64      `json:"timeoutSeconds"`
}

func (o *oracle) handleSync(w http.ResponseWriter, r *http.Request) {
	var req syncRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		httpError(w, http.StatusBadRequest, "bad /sync request: "+err.Error())
		return
	}
	timeout := 30 * time.Second
	if req.TimeoutSeconds > 0 {
		timeout = time.Duration(req.TimeoutSeconds * float64(time.Second))
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	v, err := o.sync(ctx, req)
	if err != nil {
		httpError(w, http.StatusGatewayTimeout, err.Error())
		return
	}
	writeJSON(w, map[string]any{"minVersion": v})
}

// sync: wait for the state, then for a push context whose build started after the state was seen.
func (o *oracle) sync(ctx context.Context, req syncRequest) (uint64, error) {
	last := ""
	for {
		missing, err := o.missing(req)
		if err != nil {
			return 0, err
		}
		if missing == "" {
			break
		}
		last = missing
		if err := pause(ctx); err != nil {
			return 0, fmt.Errorf("istiod did not reach the state: %s", last)
		}
	}
	// Every push that starts from now on takes a version above `seen` (NextVersion increments a counter), and reads
	// the store after this point. Ask for one, then wait until such a push context is the current one.
	xds := o.server.XDSServer
	seen := versionNumber(xds.NextVersion())
	xds.ConfigUpdate(&model.PushRequest{Forced: true, Reason: model.NewReasonStats(model.DebugTrigger)})
	for {
		pc := xds.Env.PushContext()
		if pc != nil && versionNumber(pc.PushVersion) > seen {
			return seen + 1, nil
		}
		if err := pause(ctx); err != nil {
			return 0, errors.New("istiod saw the state but no push context built from it became current")
		}
	}
}

// missing describes how istiod's view differs from the request ("" when it matches).
func (o *oracle) missing(req syncRequest) (string, error) {
	env := o.server.XDSServer.Env
	var diffs []string
	for _, k := range req.Kinds {
		s, ok := collections.All.FindByGroupVersionAliasesKind(config.GroupVersionKind{Group: k.Group, Version: k.Version, Kind: k.Kind})
		if !ok {
			return "", fmt.Errorf("Istio does not know %s/%s %s", k.Group, k.Version, k.Kind)
		}
		for _, ns := range req.Namespaces {
			want := map[string]string{}
			for _, c := range req.Configs {
				if c.Group == k.Group && c.Kind == k.Kind && c.Namespace == ns {
					want[c.Name] = c.ResourceVersion
				}
			}
			have := map[string]string{}
			for _, c := range env.ConfigStore.List(s.GroupVersionKind(), ns) {
				have[c.Name] = c.ResourceVersion
			}
			for n, rv := range want {
				if have[n] != rv {
					diffs = append(diffs, fmt.Sprintf("%s %s/%s at %q (istiod has %q)", k.Kind, ns, n, rv, have[n]))
				}
			}
			for n := range have {
				if _, ok := want[n]; !ok {
					diffs = append(diffs, fmt.Sprintf("%s %s/%s still present", k.Kind, ns, n))
				}
			}
		}
	}
	for _, svc := range req.Services {
		got := env.ServiceDiscovery.GetService(host.Name(svc.Host))
		if got == nil {
			diffs = append(diffs, "Service "+svc.Host+" not in the registry")
			continue
		}
		for _, p := range svc.Ports {
			if _, ok := got.Ports.GetByPort(p); !ok {
				diffs = append(diffs, fmt.Sprintf("Service %s has no port %d yet", svc.Host, p))
			}
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; "), nil
}

// versionNumber: the counter after the "/" of a push version ("2026-12-04T20:00:00Z/17" -> 17).
func versionNumber(v string) uint64 {
	i := strings.LastIndexByte(v, '/')
	n, _ := strconv.ParseUint(v[i+1:], 10, 64)
	return n
}

func pause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(20 * time.Millisecond):
		return nil
	}
}

type xdsRequest struct {
	Proxies        []proxySpec `json:"proxies"`
	MinVersion     uint64      `json:"minVersion"`
	TimeoutSeconds float64     `json:"timeoutSeconds"`
}

func (o *oracle) handleXds(w http.ResponseWriter, r *http.Request) {
	var req xdsRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		httpError(w, http.StatusBadRequest, "bad /xds request: "+err.Error())
		return
	}
	timeout := 30 * time.Second
	if req.TimeoutSeconds > 0 {
		timeout = time.Duration(req.TimeoutSeconds * float64(time.Second))
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	out := make([]*proxyConfig, 0, len(req.Proxies))
	for _, p := range req.Proxies {
		for {
			c, err := fetchProxyConfig(ctx, o.grpcAddr, p)
			if err != nil {
				httpError(w, http.StatusBadGateway, fmt.Sprintf("xDS for %s.%s: %v", p.Pod, p.Namespace, err))
				return
			}
			if c.minVersion() >= req.MinVersion {
				out = append(out, c)
				break
			}
			// An older push context was current (a push that started before /sync finished last): push again.
			o.server.XDSServer.ConfigUpdate(&model.PushRequest{Forced: true, Reason: model.NewReasonStats(model.DebugTrigger)})
			if err := pause(ctx); err != nil {
				httpError(w, http.StatusGatewayTimeout, fmt.Sprintf("xDS for %s.%s stayed below push version %d", p.Pod, p.Namespace, req.MinVersion))
				return
			}
		}
	}
	writeJSON(w, map[string]any{"proxies": out})
}

func (o *oracle) handleMesh(w http.ResponseWriter, _ *http.Request) {
	m := o.server.XDSServer.Env.Mesh()
	writeJSON(w, map[string]any{"trustDomain": m.GetTrustDomain(), "trustDomainAliases": m.GetTrustDomainAliases(), "rootNamespace": m.GetRootNamespace()})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
