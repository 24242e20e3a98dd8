//! GraphQL SDL (`.graphql`, `.gql`): the fields of the root operation types.

use super::facts::GraphqlFact;

/// One lexical token of SDL with its 1-based line.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Name(&'a str, u32),
    Punct(char),
}

/// The Query/Mutation/Subscription fields of an SDL document, honouring a
/// `schema { query: RootQuery }` block and `extend type`.
pub fn root_fields(sdl: &str) -> Vec<GraphqlFact> {
    let tokens = tokenize(sdl);
    let roots = root_names(&tokens);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let (Token::Name("type", _), Some(Token::Name(name, _))) =
            (&tokens[i], tokens.get(i + 1))
            && let Some((_, op)) = roots.iter().find(|(n, _)| n == name)
        {
            i = fields_of(&tokens, i + 2, op, &mut out);
            continue;
        }
        i += 1;
    }
    out
}

/// Operation type names: `[("Query", "Query"), …]`, or as the schema block says.
fn root_names(tokens: &[Token]) -> Vec<(String, String)> {
    let mut roots: Vec<(String, String)> = ["Query", "Mutation", "Subscription"]
        .iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect();
    let Some(start) = tokens
        .windows(2)
        .position(|w| matches!(w, [Token::Name("schema", _), Token::Punct('{')]))
    else {
        return roots;
    };
    let mut i = start + 2;
    while i + 2 < tokens.len() && tokens[i] != Token::Punct('}') {
        if let (Token::Name(op, _), Token::Punct(':'), Token::Name(ty, _)) =
            (&tokens[i], &tokens[i + 1], &tokens[i + 2])
        {
            let op = match *op {
                "query" => "Query",
                "mutation" => "Mutation",
                "subscription" => "Subscription",
                _ => "",
            };
            if let Some(r) = roots.iter_mut().find(|(_, o)| o == op) {
                r.0 = ty.to_string();
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    roots
}

/// Reads `{ field(args): T @dir … }` from `i`; returns the index after `}`.
fn fields_of(tokens: &[Token], mut i: usize, op: &str, out: &mut Vec<GraphqlFact>) -> usize {
    while i < tokens.len() && tokens[i] != Token::Punct('{') {
        if tokens[i] == Token::Punct('}') {
            return i;
        }
        i += 1;
    }
    i += 1;
    let mut parens = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct('(') => parens += 1,
            Token::Punct(')') => parens -= 1,
            Token::Punct('}') if parens == 0 => return i + 1,
            Token::Name(name, line) if parens == 0 => {
                let after_at = i > 0 && tokens[i - 1] == Token::Punct('@');
                let next = tokens.get(i + 1);
                let defines = matches!(next, Some(Token::Punct(':')) | Some(Token::Punct('(')));
                if defines && !after_at {
                    out.push(GraphqlFact {
                        line: *line,
                        operation: op.to_string(),
                        field: name.to_string(),
                        written: None,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn tokenize(sdl: &str) -> Vec<Token<'_>> {
    let bytes = sdl.as_bytes();
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let end = string_end(bytes, i);
                line += bytes[i..end].iter().filter(|b| **b == b'\n').count() as u32;
                i = end;
            }
            _ if c == b'_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                out.push(Token::Name(&sdl[start..i], line));
            }
            b'{' | b'}' | b'(' | b')' | b':' | b'@' => {
                out.push(Token::Punct(c as char));
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Index just after the string (plain or block) starting at `i`.
fn string_end(bytes: &[u8], i: usize) -> usize {
    if bytes[i..].starts_with(b"\"\"\"") {
        let mut j = i + 3;
        while j < bytes.len() {
            if bytes[j..].starts_with(b"\"\"\"") && bytes[j - 1] != b'\\' {
                return j + 3;
            }
            j += 1;
        }
        return bytes.len();
    }
    let mut j = i + 1;
    while j < bytes.len() && bytes[j] != b'"' && bytes[j] != b'\n' {
        if bytes[j] == b'\\' {
            j += 1;
        }
        j += 1;
    }
    (j + 1).min(bytes.len())
}

/// graphene and strawberry expose `create_order` as `createOrder`.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for (i, c) in snake.chars().enumerate() {
        if c == '_' && i > 0 {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_root_fields_only() {
        let sdl = r#"
"""The storefront"""
type Query {
  "All orders"
  orders(first: Int = 10, after: String): [Order!]! @deprecated(reason: "x")
  # comment: notAField(x: Int): Int
  order(id: ID!): Order
}
type Order { id: ID! total(currency: String): Money }
extend type Mutation {
  createOrder(input: CreateOrderInput!): Order
}
"#;
        let f = root_fields(sdl);
        let names: Vec<_> = f
            .iter()
            .map(|g| (g.operation.as_str(), g.field.as_str(), g.line))
            .collect();
        assert_eq!(
            names,
            [
                ("Query", "orders", 5),
                ("Query", "order", 7),
                ("Mutation", "createOrder", 11)
            ]
        );
    }

    #[test]
    fn schema_block_renames_roots() {
        let f =
            root_fields("schema { query: Root }\ntype Root { me: User }\ntype Query { no: Int }");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field, "me");
        assert_eq!(f[0].operation, "Query");
    }

    #[test]
    fn camel_cases_snake_names() {
        assert_eq!(camel_case("create_order"), "createOrder");
        assert_eq!(camel_case("orders"), "orders");
        assert_eq!(camel_case("_private"), "_private");
    }
}
