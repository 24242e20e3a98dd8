; Go: comments, definitions, net/http, gin and chi routes, feature-flag calls.

(comment) @comment

(function_declaration name: (identifier) @name) @definition.function
(method_declaration name: (field_identifier) @name) @definition.method
(type_spec name: (type_identifier) @name) @definition.type
(const_spec name: (identifier) @name) @definition.constant

; http.HandleFunc("/x", h), mux.Handle("GET /x/{id}", h), gin r.GET("/x", h), chi r.Get("/x", h)
(call_expression
  function: (selector_expression field: (field_identifier) @route.method)
  arguments: (argument_list . [(interpreted_string_literal) (raw_string_literal)] @route.path . (_))
  (#match? @route.method "^(HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options|Connect|Trace)$")) @route

; chi r.Route("/api", func(r chi.Router) { ... }) prefixes the routes inside it
(call_expression
  function: (selector_expression field: (field_identifier) @_m)
  arguments: (argument_list . (interpreted_string_literal) @route.prefix.path . (func_literal))
  (#eq? @_m "Route")) @route.prefix

; flag calls with the key first: ld.BoolVariation("key", ctx, false), unleash.IsEnabled("key")
(call_expression
  function: [(identifier) @flag.call (selector_expression field: (field_identifier) @flag.call)]
  arguments: (argument_list . (interpreted_string_literal) @flag.key)) @flag

; OpenFeature takes the context first: client.BooleanValue(ctx, "key", false, evalCtx)
(call_expression
  function: (selector_expression field: (field_identifier) @flag.call)
  arguments: (argument_list . (_) . (interpreted_string_literal) @flag.key)
  (#match? @flag.call "^(Boolean|String|Int|Float|Object)Value(Details)?$")) @flag
