; TypeScript and TSX (the TSX grammar has the same node names): comments, definitions, Express/Koa routes, gql`` schemas, feature-flag calls. The shared patterns are in ../ecmascript/shared.scm.

(comment) @comment

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (type_identifier) @name) @definition.class
