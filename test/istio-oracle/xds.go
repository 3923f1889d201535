package main

// A fake sidecar: an ADS client that connects to istiod's plaintext xDS port as a given workload's Envoy and
// returns the clusters, listeners and routes istiod generates for it (and the push version they came from).

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	typeCluster  = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
	typeListener = "type.googleapis.com/envoy.config.listener.v3.Listener"
	typeRoute    = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
)

// proxySpec: the workload whose sidecar we pretend to be.
type proxySpec struct {
	Pod            string            `json:"pod"`
	Namespace      string            `json:"namespace"`
	IP             string            `json:"ip"`
	ServiceAccount string            `json:"serviceAccount"`
	Labels         map[string]string `json:"labels"`
	// Container ports (name -> number), so named targetPorts resolve as for a real pod.
	Ports         map[string]int `json:"ports,omitempty"`
	IstioVersion  string         `json:"istioVersion,omitempty"`
	ClusterDomain string         `json:"clusterDomain,omitempty"`
}

type proxyConfig struct {
	Pod       string            `json:"pod"`
	Namespace string            `json:"namespace"`
	Versions  map[string]string `json:"versions"`
	Clusters  []json.RawMessage `json:"clusters"`
	Listeners []json.RawMessage `json:"listeners"`
	Routes    []json.RawMessage `json:"routes"`
	versionNo map[string]uint64
}

func (c *proxyConfig) minVersion() uint64 {
	var m uint64
	first := true
	for _, v := range c.versionNo {
		if first || v < m {
			m, first = v, false
		}
	}
	return m
}

func (p proxySpec) node() (*core.Node, error) {
	domain := p.ClusterDomain
	if domain == "" {
		domain = "cluster.local"
	}
	version := p.IstioVersion
	if version == "" {
		version = "1.31.0"
	}
	labels := map[string]any{}
	for k, v := range p.Labels {
		labels[k] = v
	}
	md := map[string]any{
		"NAMESPACE":         p.Namespace,
		"NAME":              p.Pod,
		"LABELS":            labels,
		"ISTIO_VERSION":     version,
		"CLUSTER_ID":        "Kubernetes",
		"MESH_ID":           domain,
		"INSTANCE_IPS":      p.IP,
		"SERVICE_ACCOUNT":   p.ServiceAccount,
		"INTERCEPTION_MODE": "REDIRECT",
		"WORKLOAD_NAME":     p.Pod,
	}
	if len(p.Ports) > 0 {
		var ports []map[string]any
		names := make([]string, 0, len(p.Ports))
		for n := range p.Ports {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ports = append(ports, map[string]any{"name": n, "containerPort": p.Ports[n], "protocol": "TCP"})
		}
		js, _ := json.Marshal(ports)
		md["POD_PORTS"] = string(js)
	}
	st, err := structpb.NewStruct(md)
	if err != nil {
		return nil, err
	}
	return &core.Node{
		Id:       fmt.Sprintf("sidecar~%s~%s.%s~%s.svc.%s", p.IP, p.Pod, p.Namespace, p.Namespace, domain),
		Cluster:  p.Pod + "." + p.Namespace,
		Metadata: st,
	}, nil
}

// fetchProxyConfig: CDS and LDS (wildcard), then RDS for every route configuration the listeners name.
func fetchProxyConfig(ctx context.Context, addr string, p proxySpec) (*proxyConfig, error) {
	if p.Pod == "" || p.Namespace == "" || p.IP == "" {
		return nil, fmt.Errorf("a proxy needs pod, namespace and ip")
	}
	node, err := p.node()
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20)))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := discovery.NewAggregatedDiscoveryServiceClient(conn).StreamAggregatedResources(sctx)
	if err != nil {
		return nil, err
	}
	got := map[string]*discovery.DiscoveryResponse{}
	ask := func(typeURL string, names []string) error {
		return stream.Send(&discovery.DiscoveryRequest{Node: node, TypeUrl: typeURL, ResourceNames: names})
	}
	waitFor := func(typeURL string) error {
		for got[typeURL] == nil {
			r, err := stream.Recv()
			if err != nil {
				if err == io.EOF {
					return fmt.Errorf("istiod closed the stream before sending %s", typeURL)
				}
				return err
			}
			got[r.TypeUrl] = r
			// ACK, as Envoy does; istiod then does not resend.
			if err := stream.Send(&discovery.DiscoveryRequest{Node: node, TypeUrl: r.TypeUrl, VersionInfo: r.VersionInfo, ResponseNonce: r.Nonce}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := ask(typeCluster, nil); err != nil {
		return nil, err
	}
	if err := waitFor(typeCluster); err != nil {
		return nil, err
	}
	if err := ask(typeListener, nil); err != nil {
		return nil, err
	}
	if err := waitFor(typeListener); err != nil {
		return nil, err
	}
	routeNames, err := rdsNames(got[typeListener].Resources)
	if err != nil {
		return nil, err
	}
	if len(routeNames) > 0 {
		if err := ask(typeRoute, routeNames); err != nil {
			return nil, err
		}
		if err := waitFor(typeRoute); err != nil {
			return nil, err
		}
	}
	out := &proxyConfig{Pod: p.Pod, Namespace: p.Namespace, Versions: map[string]string{}, versionNo: map[string]uint64{}, Clusters: []json.RawMessage{}, Listeners: []json.RawMessage{}, Routes: []json.RawMessage{}}
	for t, r := range got {
		short := t[strings.LastIndexByte(t, '.')+1:]
		out.Versions[short] = r.VersionInfo
		out.versionNo[short] = versionNumber(r.VersionInfo)
		var dst *[]json.RawMessage
		switch t {
		case typeCluster:
			dst = &out.Clusters
		case typeListener:
			dst = &out.Listeners
		case typeRoute:
			dst = &out.Routes
		default:
			continue
		}
		for _, res := range r.Resources {
			js, err := marshalAny(res)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", short, err)
			}
			*dst = append(*dst, js)
		}
	}
	return out, nil
}

// rdsNames: the route configuration names the HTTP connection managers of these listeners load over RDS.
func rdsNames(listeners []*anypb.Any) ([]string, error) {
	set := map[string]bool{}
	for _, a := range listeners {
		l := &listener.Listener{}
		if err := a.UnmarshalTo(l); err != nil {
			return nil, err
		}
		chains := append([]*listener.FilterChain{}, l.FilterChains...)
		if l.DefaultFilterChain != nil {
			chains = append(chains, l.DefaultFilterChain)
		}
		for _, fc := range chains {
			for _, f := range fc.Filters {
				tc := f.GetTypedConfig()
				if tc == nil || !strings.HasSuffix(tc.TypeUrl, "HttpConnectionManager") {
					continue
				}
				m := &hcm.HttpConnectionManager{}
				if err := tc.UnmarshalTo(m); err != nil {
					return nil, err
				}
				if n := m.GetRds().GetRouteConfigName(); n != "" {
					set[n] = true
				}
			}
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

var jsonOpts = protojson.MarshalOptions{UseProtoNames: true}

func marshalAny(a *anypb.Any) (json.RawMessage, error) {
	m, err := a.UnmarshalNew()
	if err != nil {
		return nil, err
	}
	return jsonOpts.Marshal(m)
}

// `istio-oracle xds`: the same fetch from the command line.
func runXdsCommand(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("xds", flag.ContinueOnError)
	addr := fs.String("addr", "", "istiod plaintext xDS address host:port (required)")
	spec := fs.String("proxy", "", `the workload, JSON: {"pod","namespace","ip","serviceAccount","labels":{...}} (required)`)
	timeout := fs.Duration("timeout", 30*time.Second, "give up after")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *addr == "" || *spec == "" {
		return usageError("--addr and --proxy are required")
	}
	var p proxySpec
	if err := json.Unmarshal([]byte(*spec), &p); err != nil {
		return usageError("--proxy: " + err.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	c, err := fetchProxyConfig(ctx, *addr, p)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}
