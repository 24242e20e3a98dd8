; JavaScript, TypeScript and TSX alike (the same node names): the rest of each one's query,
; after its comment and definition patterns: more definitions, routes, mounts, gql`` schemas, feature-flag calls.
(method_definition name: (property_identifier) @name) @definition.method
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (class)]) @definition.function
(lexical_declaration (variable_declarator name: (identifier) @name (#match? @name "^[A-Z][A-Z0-9_]*$"))) @definition.constant

; Express / Koa: app.get("/x", handler), router.post("/x", auth, handler); the
; last argument must be a handler (checked in code: a test client's
; server.post("/api/x", body) is a request, not a route)
(call_expression
  function: (member_expression
    object: (_) @route.receiver
    property: (property_identifier) @route.method)
  arguments: (arguments . [(string) (template_string)] @route.path) @route.arguments
  (#match? @route.method "^(get|post|put|delete|del|patch|head|options|all)$")) @route

; Mounts: app.use("/v1", router), router.use("/api", api.routes())
(call_expression
  function: (member_expression property: (property_identifier) @_use)
  arguments: (arguments . [(string) (template_string)] @route.mount.prefix) @route.mount.args
  (#eq? @_use "use")) @route.mount
; koa-mount: mount("/api", api)
(call_expression
  function: (identifier) @_mount
  arguments: (arguments . [(string) (template_string)] @route.mount.prefix) @route.mount.args
  (#eq? @_mount "mount")) @route.mount
; koa-router: const router = new Router({ prefix: "/api" })
(variable_declarator
  name: (identifier) @route.mount.local
  value: (new_expression
    arguments: (arguments (object (pair
      key: [(property_identifier) (string)] @_key
      value: [(string) (template_string)] @route.mount.prefix))))
  (#match? @_key "prefix")) @route.mount
; koa-router: router.prefix("/api")
(call_expression
  function: (member_expression
    object: (identifier) @route.mount.local
    property: (property_identifier) @_prefix)
  arguments: (arguments . [(string) (template_string)] @route.mount.prefix)
  (#eq? @_prefix "prefix")) @route.mount

; Imports, to follow a mounted router to its file
(import_statement
  (import_clause (identifier) @route.import.name)
  source: (string) @route.import.source) @route.import
(import_statement
  (import_clause (namespace_import (identifier) @route.import.name))
  source: (string) @route.import.source) @route.import
(import_statement
  (import_clause (named_imports (import_specifier
    name: (identifier) @route.import.member
    alias: (identifier)? @route.import.name)))
  source: (string) @route.import.source) @route.import
(variable_declarator
  name: (identifier) @route.import.name
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @route.import.source))
  (#eq? @_require "require")) @route.import

; Apollo / graphql-tag schemas: gql`type Query { … }`
(call_expression
  function: (identifier) @_tag
  arguments: (template_string) @graphql.sdl
  (#match? @_tag "^(gql|graphql)$")) @graphql

; flag calls: ldClient.variation("key", ...), unleash.isEnabled("key"), client.getBooleanValue("key", ...)
(call_expression
  function: [(identifier) @flag.call (member_expression property: (property_identifier) @flag.call)]
  arguments: (arguments . (string) @flag.key)) @flag
