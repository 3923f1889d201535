package main

// validate: each object through the checks istiod's validating webhook makes
// (convert the CRD object to its config proto, then the kind's ValidateConfig),
// and all of them together through istioctl analyze's analyzers.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/diag"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/log"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
)

type objectResult struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	// Validated: an Istio kind, checked by its schema's ValidateConfig. Others are context for the analyzers.
	Validated bool     `json:"validated"`
	Errors    []string `json:"errors,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
}

type validateOutput struct {
	Istio    string         `json:"istio"`
	Objects  []objectResult `json:"objects"`
	Messages []diag.Message `json:"messages"`
	// Analyzers that ran, and those skipped for lack of input kinds.
	Executed []string `json:"executedAnalyzers"`
	Skipped  []string `json:"skippedAnalyzers"`
}

func runValidate(args []string, stdin io.Reader, stdout io.Writer) error {
	quietIstioLogs()
	var docs [][]byte
	sources := args
	if len(sources) == 0 {
		sources = []string{"-"}
	}
	for _, src := range sources {
		var r io.Reader = stdin
		if src != "-" {
			f, err := os.Open(src)
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		found, err := splitDocuments(r)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		docs = append(docs, found...)
	}
	out := validateOutput{Istio: istioVersion(), Objects: []objectResult{}, Messages: []diag.Message{}}
	for _, d := range docs {
		out.Objects = append(out.Objects, validateOne(d))
	}
	res, err := analyze(docs)
	if err != nil {
		return err
	}
	out.Messages = res.Messages
	if out.Messages == nil {
		out.Messages = []diag.Message{}
	}
	out.Executed, out.Skipped = res.ExecutedAnalyzers, res.SkippedAnalyzers
	if out.Skipped == nil {
		out.Skipped = []string{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// splitDocuments reads a YAML or JSON stream into one JSON document per object.
func splitDocuments(r io.Reader) ([][]byte, error) {
	dec := kubeyaml.NewYAMLOrJSONDecoder(r, 512*1024)
	var out [][]byte
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
			continue
		}
		out = append(out, raw)
	}
}

// validateOne does what crd.ParseInputs does for one document (find the schema by group, version or alias and
// kind; convert; ValidateConfig), but keeps going past an invalid object and keeps the warnings.
func validateOne(doc []byte) objectResult {
	var obj crd.IstioKind
	if err := json.Unmarshal(doc, &obj); err != nil {
		return objectResult{Validated: true, Errors: []string{"cannot parse: " + err.Error()}}
	}
	r := objectResult{APIVersion: obj.APIVersion, Kind: obj.Kind, Namespace: obj.Namespace, Name: obj.Name}
	gvk := obj.GroupVersionKind()
	if !strings.HasSuffix(gvk.Group, "istio.io") {
		return r
	}
	r.Validated = true
	s, ok := collections.All.FindByGroupVersionAliasesKind(config.FromKubernetesGVK(gvk))
	if !ok {
		r.Errors = []string{fmt.Sprintf("Istio does not know %s %s", obj.APIVersion, obj.Kind)}
		return r
	}
	cfg, err := crd.ConvertObject(s, &obj, "")
	if err != nil {
		r.Errors = []string{"cannot parse proto message: " + err.Error()}
		return r
	}
	warn, err := s.ValidateConfig(*cfg)
	r.Errors = flatten(err)
	r.Warnings = flatten(warn)
	return r
}

// flatten splits a joined/multierror into its messages.
func flatten(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range u.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if u, ok := err.(interface{ WrappedErrors() []error }); ok {
		for _, e := range u.WrappedErrors() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// analyze runs every analyzer of `istioctl analyze` over the documents as one file source.
func analyze(docs [][]byte) (local.AnalysisResult, error) {
	sa := local.NewSourceAnalyzer(analyzers.AllCombined(), resource.Namespace(""), resource.Namespace("istio-system"), nil)
	// Files before defaults: otherwise the file source drops Services, Pods and Namespaces.
	stream := bytes.Join(docs, []byte("\n---\n"))
	if err := sa.AddTestReaderKubeSource([]local.ReaderSource{{Name: "input", Reader: bytes.NewReader(stream)}}); err != nil {
		return local.AnalysisResult{}, fmt.Errorf("analyzer input: %w", err)
	}
	if err := sa.AddDefaultResources(); err != nil {
		return local.AnalysisResult{}, fmt.Errorf("analyzer defaults: %w", err)
	}
	cancel := make(chan struct{})
	return sa.Analyze(cancel)
}

// quietIstioLogs keeps Istio's own logging off stdout (JSON goes there) and at errors only.
func quietIstioLogs() {
	configureLogs(log.ErrorLevel)
}

// configureLogs sends every Istio log scope to stderr at `level`.
func configureLogs(level log.Level) {
	o := log.DefaultOptions()
	o.OutputPaths = []string{"stderr"}
	o.ErrorOutputPaths = []string{"stderr"}
	o.SetDefaultOutputLevel(log.OverrideScopeName, level)
	_ = log.Configure(o)
}
