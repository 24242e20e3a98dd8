; Rust: comments, definitions, axum/actix routes, feature-flag calls.

[(line_comment) (block_comment)] @comment

(function_item name: (identifier) @name) @definition.function
(struct_item name: (type_identifier) @name) @definition.struct
(enum_item name: (type_identifier) @name) @definition.enum
(trait_item name: (type_identifier) @name) @definition.trait
(union_item name: (type_identifier) @name) @definition.struct
(type_item name: (type_identifier) @name) @definition.type
(mod_item name: (identifier) @name) @definition.module
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant
(macro_definition name: (identifier) @name) @definition.function

; axum Router::new().route("/x", get(h)); actix App::new().route("/x", web::get().to(h)), web::resource("/x")
(call_expression
  function: [(field_expression field: (field_identifier) @route.method) (scoped_identifier name: (identifier) @route.method)]
  arguments: (arguments . (string_literal) @route.path)
  (#match? @route.method "^(route|resource)$")) @route

; actix #[get("/x")] handler attributes
(attribute_item
  (attribute
    (identifier) @route.method
    arguments: (token_tree . (string_literal) @route.path))
  (#match? @route.method "^(get|post|put|delete|patch|head|options|route)$")) @route

; flag calls: client.bool_variation("key", ...), unleash.is_enabled("key"), feature_enabled("key")
(call_expression
  function: [(identifier) @flag.call (field_expression field: (field_identifier) @flag.call) (scoped_identifier name: (identifier) @flag.call)]
  arguments: (arguments . (string_literal) @flag.key)) @flag
