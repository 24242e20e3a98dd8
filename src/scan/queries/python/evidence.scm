; Python: comments, definitions, Flask/FastAPI/Django routes, graphene and
; strawberry code-first GraphQL fields, feature-flag calls.

(comment) @comment

(function_definition name: (identifier) @name) @definition.function
(class_definition name: (identifier) @name) @definition.class
(module (expression_statement (assignment left: (identifier) @name (#match? @name "^[A-Z][A-Z0-9_]*$"))) @definition.constant)

; Flask @app.route("/x"), FastAPI @app.get("/x"), @router.post("/x")
(decorator
  (call
    function: (attribute attribute: (identifier) @route.method)
    arguments: (argument_list . (string) @route.path))
  (#match? @route.method "^(route|get|post|put|delete|patch|head|options|api_route|websocket)$")) @route

; Django path("x/", view) and re_path(r"^x/$", view)
(call
  function: [(identifier) @route.method (attribute attribute: (identifier) @route.method)]
  arguments: (argument_list . (string) @route.relpath . (_))
  (#match? @route.method "^(path|re_path|url)$")) @route

; graphene: class Query(graphene.ObjectType): orders = graphene.List(Order)
(class_definition
  name: (identifier) @graphql.type
  superclasses: (argument_list [(identifier) @_base (attribute attribute: (identifier) @_base)])
  body: (block (expression_statement (assignment left: (identifier) @graphql.field)))
  (#eq? @_base "ObjectType")) @graphql

; strawberry: @strawberry.type class Query: @strawberry.field def orders(...)
(decorated_definition
  (decorator) @_type
  definition: (class_definition
    name: (identifier) @graphql.type
    body: (block (decorated_definition
      (decorator) @_field
      definition: (function_definition name: (identifier) @graphql.field))))
  (#match? @_type "strawberry\\.type")
  (#match? @_field "strawberry\\.(field|mutation|subscription)")) @graphql

; flag calls: ld.variation("key", ...), unleash.is_enabled("key"), feature_enabled("key")
(call
  function: [(identifier) @flag.call (attribute attribute: (identifier) @flag.call)]
  arguments: (argument_list . (string) @flag.key)) @flag
