; Python: comments, definitions, Flask/FastAPI/Django routes, graphene and
; strawberry (and strawberry_django) code-first GraphQL fields, feature-flag calls.

(comment) @comment

(function_definition name: (identifier) @name) @definition.function
(class_definition name: (identifier) @name) @definition.class
(module (expression_statement (assignment left: (identifier) @name (#match? @name "^[A-Z][A-Z0-9_]*$"))) @definition.constant)

; Flask @app.route("/x"), FastAPI @app.get("/x"), @router.post("/x")
(decorator
  (call
    function: (attribute
      object: (_) @route.receiver
      attribute: (identifier) @route.method)
    arguments: (argument_list . (string) @route.path))
  (#match? @route.method "^(route|get|post|put|delete|patch|head|options|api_route|websocket)$")) @route

; Mounts: Flask app.register_blueprint(bp, url_prefix="/v2"), FastAPI
; app.include_router(items.router, prefix="/items")
(call
  function: (attribute attribute: (identifier) @_mount)
  arguments: (argument_list . (_) @route.mount.child
    (keyword_argument name: (identifier) @_key value: (string) @route.mount.prefix))
  (#match? @_mount "^(register_blueprint|include_router)$")
  (#match? @_key "^(url_prefix|prefix)$")) @route.mount
; bp = Blueprint("shop", __name__, url_prefix="/shop"), router = APIRouter(prefix="/items")
(assignment
  left: (identifier) @route.mount.local
  right: (call
    function: [(identifier) (attribute)] @_ctor
    arguments: (argument_list
      (keyword_argument name: (identifier) @_key value: (string) @route.mount.prefix)))
  (#match? @_ctor "(Blueprint|APIRouter|Router)$")
  (#match? @_key "^(url_prefix|prefix)$")) @route.mount
; Django path("api/", include("shop.urls"))
(call
  function: [(identifier) @_path (attribute attribute: (identifier) @_path)]
  arguments: (argument_list . (string) @route.mount.prefix . (call
    function: (identifier) @_include
    arguments: (argument_list . (string) @route.mount.module)))
  (#match? @_path "^(path|re_path|url)$")
  (#eq? @_include "include")) @route.mount

; Imports, to follow a mounted router to its module
(import_from_statement
  module_name: (_) @route.import.source
  name: (dotted_name) @route.import.member) @route.import
(import_from_statement
  module_name: (_) @route.import.source
  name: (aliased_import
    name: (dotted_name) @route.import.member
    alias: (identifier) @route.import.name)) @route.import
(import_statement
  name: (aliased_import
    name: (dotted_name) @route.import.source
    alias: (identifier) @route.import.name)) @route.import

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
; (or @strawberry_django.field)
(decorated_definition
  (decorator) @_type
  definition: (class_definition
    name: (identifier) @graphql.type
    body: (block (decorated_definition
      (decorator) @_field
      definition: (function_definition name: (identifier) @graphql.field))))
  (#match? @_type "strawberry\\.type")
  (#match? @_field "strawberry(_django)?\\.(field|mutation|subscription)")) @graphql

; strawberry: @strawberry.type class Query: cable_list: list[Cable] = strawberry_django.field()
; and orders = strawberry.field(resolver=get_orders)
(decorated_definition
  (decorator) @_type
  definition: (class_definition
    name: (identifier) @graphql.type
    body: (block (expression_statement (assignment
      left: (identifier) @graphql.field
      right: (call function: (attribute) @_field)))))
  (#match? @_type "strawberry\\.type")
  (#match? @_field "^strawberry(_django)?\\.(field|mutation|subscription)$")) @graphql

; flag calls: ld.variation("key", ...), unleash.is_enabled("key"), feature_enabled("key")
(call
  function: [(identifier) @flag.call (attribute attribute: (identifier) @flag.call)]
  arguments: (argument_list . (string) @flag.key)) @flag
