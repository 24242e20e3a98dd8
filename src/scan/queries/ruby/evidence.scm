; Ruby: comments, definitions, Rails config/routes.rb routes, feature-flag calls.

(comment) @comment

(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: [(constant) (scope_resolution)] @name) @definition.class
(module name: [(constant) (scope_resolution)] @name) @definition.module

; get "/photos", to: "photos#index"; post "login"; resources :photos
(call
  method: (identifier) @route.method
  arguments: (argument_list . [(string) (simple_symbol)] @route.relpath)
  (#match? @route.method "^(get|post|put|patch|delete|match|resources|resource)$")) @route

; namespace :admin do … end, scope "/v2" do … end, resources :photos do … end
(call
  method: (identifier) @_m
  arguments: (argument_list . [(string) (simple_symbol)] @route.prefix.path)
  block: (do_block)
  (#match? @_m "^(namespace|scope|resources|resource)$")) @route.prefix

; flag calls: Flipper.enabled?(:key) is not keyed by a string; Unleash/LaunchDarkly are
(call
  method: (identifier) @flag.call
  arguments: (argument_list . (string) @flag.key)) @flag
