; Java: comments, definitions, Spring @*Mapping routes (with the class-level
; @RequestMapping prefix), feature-flag calls.

[(line_comment) (block_comment)] @comment

(class_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(record_declaration name: (identifier) @name) @definition.class
(annotation_type_declaration name: (identifier) @name) @definition.interface
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method

; @GetMapping("/x"), @PostMapping(value = "/x"), @RequestMapping(path = "/x")
(method_declaration
  (modifiers (annotation
    name: (identifier) @route.method
    arguments: (annotation_argument_list . (string_literal) @route.path)))
  (#match? @route.method "^(Get|Post|Put|Delete|Patch|Request)Mapping$")) @route
(method_declaration
  (modifiers (annotation
    name: (identifier) @route.method
    arguments: (annotation_argument_list
      (element_value_pair key: (identifier) @_key value: (string_literal) @route.path))))
  (#match? @route.method "^(Get|Post|Put|Delete|Patch|Request)Mapping$")
  (#match? @_key "^(value|path)$")) @route
; @PostMapping with no path: the class-level prefix alone
(method_declaration
  (modifiers (marker_annotation name: (identifier) @route.method))
  (#match? @route.method "^(Get|Post|Put|Delete|Patch|Request)Mapping$")) @route

; class-level @RequestMapping("/api/x") prefixes every mapping in the class
(class_declaration
  (modifiers (annotation
    name: (identifier) @_m
    arguments: (annotation_argument_list . (string_literal) @route.prefix.path)))
  (#eq? @_m "RequestMapping")) @route.prefix
(class_declaration
  (modifiers (annotation
    name: (identifier) @_m
    arguments: (annotation_argument_list
      (element_value_pair key: (identifier) @_key value: (string_literal) @route.prefix.path))))
  (#eq? @_m "RequestMapping")
  (#match? @_key "^(value|path)$")) @route.prefix

; flag calls: ldClient.boolVariation("key", ctx, false), unleash.isEnabled("key"), client.getBooleanValue("key", false)
(method_invocation
  name: (identifier) @flag.call
  arguments: (argument_list . (string_literal) @flag.key)) @flag
