// kyverno-diff evaluates pattern and match/exclude cases with Kyverno's own engine packages, as the oracle of
// the differential test of plugins/serving-health-policy/src/kyverno. It reads one JSON case per line on stdin
// and writes one JSON verdict per line on stdout, in the same order:
//
//	{"id":"p1","pattern":{...},"resource":{...}}
//	  -> {"id":"p1","status":"pass|skip|fail|error","path":"/spec/replicas/"}
//	{"id":"m1","rule":{"name":"r","match":{...},"exclude":{...}},"resource":{...},"namespaceLabels":{...},"operation":"CREATE"}
//	  -> {"id":"m1","matched":true}
//	{"id":"c1","conditions":{"any":[...],"all":[...]},"context":{"request":{...}}}
//	  -> {"id":"c1","status":"true|false|error","message":"..."}
//	{"id":"s1","document":{...},"context":{"request":{...}}}
//	  -> {"id":"s1","status":"ok|error","value":{...}}
//	{"id":"v1","policy":{...ClusterPolicy...},"resource":{...}}
//	  -> {"id":"v1","rules":[{"name":"r","status":"pass|fail|skip|error","message":"..."}]}
//
// A pattern case goes through validate.MatchPattern and is classified as the validate handler does
// (pkg/engine/handlers/validation): Skip -> skip, empty path -> error, else fail. A match case goes through
// utils.MatchesResourceDescription with the resource's own GVK and no admission user, as the engine calls it.
// A conditions case (preconditions / deny conditions) goes through variables.EvaluateConditions on a JSON
// context, as the validate handler calls it: variables substituted with Kyverno's JMESPath and custom functions.
// A document case goes through variables.SubstituteAll, as patterns and messages are substituted.
// A policy case goes through the whole engine (engine.NewEngine(...).Validate), as the Kyverno CLI applies a
// policy offline: no cluster client, no registry, no exceptions; foreach, validate.cel and the rest included.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/go-logr/logr"
	kyvernov1 "github.com/kyverno/kyverno/api/kyverno/v1"
	kyvernov2 "github.com/kyverno/kyverno/api/kyverno/v2"
	"github.com/kyverno/kyverno/pkg/config"
	"github.com/kyverno/kyverno/pkg/engine"
	enginecontext "github.com/kyverno/kyverno/pkg/engine/context"
	"github.com/kyverno/kyverno/pkg/engine/factories"
	"github.com/kyverno/kyverno/pkg/engine/jmespath"
	"github.com/kyverno/kyverno/pkg/engine/policycontext"
	engineutils "github.com/kyverno/kyverno/pkg/engine/utils"
	"github.com/kyverno/kyverno/pkg/engine/validate"
	"github.com/kyverno/kyverno/pkg/engine/variables"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
)

type input struct {
	ID       string          `json:"id"`
	Pattern  json.RawMessage `json:"pattern,omitempty"`
	Rule     json.RawMessage `json:"rule,omitempty"`
	Resource json.RawMessage `json:"resource"`
	// Labels of the resource's namespace, for namespaceSelector.
	NamespaceLabels map[string]string `json:"namespaceLabels,omitempty"`
	Operation       string            `json:"operation,omitempty"`
	Conditions      json.RawMessage   `json:"conditions,omitempty"`
	Context         json.RawMessage   `json:"context,omitempty"`
	Document        json.RawMessage   `json:"document,omitempty"`
	Policy          json.RawMessage   `json:"policy,omitempty"`
}

type ruleVerdict struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

var (
	cfg = config.NewDefaultConfiguration(false)
	jp  = jmespath.New(cfg)
	// Offline, as the CLI without --cluster: rules that need a client or a registry error out.
	eng = engine.NewEngine(cfg, config.NewDefaultMetricsConfiguration(), jp, nil, nil, nil,
		factories.DefaultContextLoaderFactory(nil), nil)
)

type output struct {
	ID      string      `json:"id"`
	Status  string      `json:"status,omitempty"`
	Path    string      `json:"path,omitempty"`
	Message string      `json:"message,omitempty"`
	Matched *bool       `json:"matched,omitempty"`
	Value   interface{} `json:"value,omitempty"`
	// A pointer, so that a policy case with no rule reported still writes "rules":[].
	Rules *[]ruleVerdict `json:"rules,omitempty"`
	// Set when the case could not be evaluated (bad input, or a panic in the engine).
	Err string `json:"err,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		if err := enc.Encode(evaluate(line)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func evaluate(line []byte) (o output) {
	var c input
	if err := json.Unmarshal(line, &c); err != nil {
		return output{Err: "bad input: " + err.Error()}
	}
	o.ID = c.ID
	defer func() {
		if r := recover(); r != nil {
			o = output{ID: c.ID, Err: fmt.Sprintf("panic: %v", r)}
		}
	}()
	if c.Conditions != nil {
		return evaluateConditions(c)
	}
	if c.Document != nil {
		return substitute(c)
	}
	if c.Policy != nil {
		return validatePolicy(c)
	}
	// Resources are decoded as the API server hands them to Kyverno (whole numbers as int64),
	// patterns as the policy's apiextensions.JSON (numbers as float64).
	var resource map[string]interface{}
	if err := utiljson.Unmarshal(c.Resource, &resource); err != nil {
		return output{ID: c.ID, Err: "bad resource: " + err.Error()}
	}
	switch {
	case c.Pattern != nil:
		var pattern interface{}
		if err := json.Unmarshal(c.Pattern, &pattern); err != nil {
			return output{ID: c.ID, Err: "bad pattern: " + err.Error()}
		}
		err := validate.MatchPattern(logr.Discard(), resource, pattern)
		if err == nil {
			o.Status = "pass"
			return o
		}
		pe, ok := err.(*validate.PatternError)
		switch {
		case !ok:
			o.Status = "error"
		case pe.Skip:
			o.Status = "skip"
		case pe.Path == "":
			o.Status = "error"
		default:
			o.Status = "fail"
			o.Path = pe.Path
		}
		o.Message = err.Error()
		return o
	case c.Rule != nil:
		var rule kyvernov1.Rule
		if err := json.Unmarshal(c.Rule, &rule); err != nil {
			return output{ID: c.ID, Err: "bad rule: " + err.Error()}
		}
		u := unstructured.Unstructured{Object: resource}
		op := kyvernov1.AdmissionOperation(c.Operation)
		if op == "" {
			op = kyvernov1.Create
		}
		err := engineutils.MatchesResourceDescription(
			u, rule, kyvernov2.RequestInfo{}, c.NamespaceLabels, "", u.GroupVersionKind(), "", op,
		)
		matched := err == nil
		o.Matched = &matched
		return o
	default:
		return output{ID: c.ID, Err: "a case needs a pattern or a rule"}
	}
}

// evaluateConditions judges one block of conditions on a JSON context, as the validate handler does for
// preconditions and deny conditions (internal.CheckPreconditions / CheckDenyPreconditions).
func evaluateConditions(c input) output {
	o := output{ID: c.ID}
	var raw map[string]interface{}
	if err := json.Unmarshal(c.Context, &raw); err != nil {
		return output{ID: c.ID, Err: "bad context: " + err.Error()}
	}
	// Typed as the policy's Go types hold them: a list of conditions, or an any/all block.
	var conditions interface{}
	if len(c.Conditions) > 0 && c.Conditions[0] == '[' {
		var list []kyvernov1.Condition
		if err := json.Unmarshal(c.Conditions, &list); err != nil {
			return output{ID: c.ID, Err: "bad conditions: " + err.Error()}
		}
		conditions = list
	} else {
		var block kyvernov1.AnyAllConditions
		if err := json.Unmarshal(c.Conditions, &block); err != nil {
			return output{ID: c.ID, Err: "bad conditions: " + err.Error()}
		}
		conditions = block
	}
	typed, err := engineutils.TransformConditions(conditions)
	if err != nil {
		o.Status = "error"
		o.Message = err.Error()
		return o
	}
	ok, msg, err := variables.EvaluateConditions(logr.Discard(), enginecontext.NewContextFromRaw(jp, raw), typed)
	switch {
	case err != nil:
		o.Status = "error"
		o.Message = err.Error()
	case ok:
		o.Status = "true"
		o.Message = msg
	default:
		o.Status = "false"
		o.Message = msg
	}
	return o
}

// substitute replaces the variables of one document on a JSON context (variables.SubstituteAll).
func substitute(c input) output {
	o := output{ID: c.ID}
	var raw map[string]interface{}
	if err := json.Unmarshal(c.Context, &raw); err != nil {
		return output{ID: c.ID, Err: "bad context: " + err.Error()}
	}
	var document interface{}
	if err := json.Unmarshal(c.Document, &document); err != nil {
		return output{ID: c.ID, Err: "bad document: " + err.Error()}
	}
	value, err := variables.SubstituteAll(logr.Discard(), enginecontext.NewContextFromRaw(jp, raw), document)
	if err != nil {
		o.Status = "error"
		o.Message = err.Error()
		return o
	}
	o.Status = "ok"
	o.Value = value
	return o
}

// validatePolicy applies one ClusterPolicy's validate rules to a resource (CREATE), one verdict per rule the
// engine reports; a rule whose match does not select the resource is absent, as in the engine's response.
func validatePolicy(c input) output {
	o := output{ID: c.ID}
	var policy kyvernov1.ClusterPolicy
	if err := json.Unmarshal(c.Policy, &policy); err != nil {
		return output{ID: c.ID, Err: "bad policy: " + err.Error()}
	}
	var resource map[string]interface{}
	if err := utiljson.Unmarshal(c.Resource, &resource); err != nil {
		return output{ID: c.ID, Err: "bad resource: " + err.Error()}
	}
	u := unstructured.Unstructured{Object: resource}
	pc, err := policycontext.NewPolicyContext(jp, u, kyvernov1.Create, nil, cfg)
	if err != nil {
		return output{ID: c.ID, Err: "policy context: " + err.Error()}
	}
	pc = pc.WithPolicy(&policy).WithNamespaceLabels(c.NamespaceLabels).WithResourceKind(u.GroupVersionKind(), "")
	response := eng.Validate(context.Background(), pc)
	rules := []ruleVerdict{}
	for _, r := range response.PolicyResponse.Rules {
		rules = append(rules, ruleVerdict{Name: r.Name(), Status: string(r.Status()), Message: r.Message()})
	}
	o.Rules = &rules
	return o
}
