; TypeScript and TSX (the TSX grammar has the same node names): comments, definitions, Express/Koa routes, gql`` schemas, feature-flag calls.

(comment) @comment

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (type_identifier) @name) @definition.class
(method_definition name: (property_identifier) @name) @definition.method
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (class)]) @definition.function
(lexical_declaration (variable_declarator name: (identifier) @name (#match? @name "^[A-Z][A-Z0-9_]*$"))) @definition.constant

; Express / Koa: app.get("/x", handler), router.post("/x", auth, handler)
(call_expression
  function: (member_expression property: (property_identifier) @route.method)
  arguments: (arguments . [(string) (template_string)] @route.path . (_))
  (#match? @route.method "^(get|post|put|delete|del|patch|head|options|all)$")) @route

; Apollo / graphql-tag schemas: gql`type Query { … }`
(call_expression
  function: (identifier) @_tag
  arguments: (template_string) @graphql.sdl
  (#match? @_tag "^(gql|graphql)$")) @graphql

; flag calls: ldClient.variation("key", ...), unleash.isEnabled("key"), client.getBooleanValue("key", ...)
(call_expression
  function: [(identifier) @flag.call (member_expression property: (property_identifier) @flag.call)]
  arguments: (arguments . (string) @flag.key)) @flag

(interface_declaration name: (type_identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(type_alias_declaration name: (type_identifier) @name) @definition.type
(abstract_class_declaration name: (type_identifier) @name) @definition.class
