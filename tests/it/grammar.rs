//! Properties of `grammar/journey.pest` itself, read with pest's own grammar parser.

use std::collections::{BTreeMap, BTreeSet};

use pest_meta::ast::Expr;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every rule of the grammar, with the rules its expression calls.
fn call_graph() -> Graph {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/journey.pest");
    let text = std::fs::read_to_string(path).expect("the grammar is readable");
    let pairs = pest_meta::parser::parse(pest_meta::parser::Rule::grammar_rules, &text)
        .expect("the grammar parses");
    let rules = pest_meta::parser::consume_rules(pairs).expect("the grammar is valid");
    rules
        .into_iter()
        .map(|rule| {
            let calls = rule
                .expr
                .iter_top_down()
                .filter_map(|e| match e {
                    Expr::Ident(name) => Some(name),
                    _ => None,
                })
                .collect();
            (rule.name, calls)
        })
        .collect()
}

/// Panics with the cycle if some rule reaches itself.
fn assert_acyclic(graph: &Graph) {
    // Depth-first search; `path` holds the rules being visited, `done` the finished.
    fn visit<'g>(
        rule: &'g str,
        graph: &'g Graph,
        done: &mut BTreeSet<&'g str>,
        path: &mut Vec<&'g str>,
    ) {
        if done.contains(rule) {
            return;
        }
        if let Some(at) = path.iter().position(|r| *r == rule) {
            panic!("the grammar is recursive: {} -> {rule}", path[at..].join(" -> "));
        }
        path.push(rule);
        for callee in graph.get(rule).into_iter().flatten() {
            visit(callee, graph, done, path);
        }
        path.pop();
        done.insert(rule);
    }
    let mut done = BTreeSet::new();
    for rule in graph.keys() {
        visit(rule, graph, &mut done, &mut Vec::new());
    }
}

/// `Cargo.toml` pins pest below the release that probes the native stack on every
/// combinator call (a guard for recursive grammars that cost a fifth of the parse).
/// That is only safe while no input can make the parser recurse: the nesting depth
/// must be fixed by the grammar, so no rule may reach itself.
#[test]
fn no_rule_reaches_itself() {
    let graph = call_graph();
    assert!(graph.len() > 50, "read only {} rules", graph.len());
    assert!(graph["touchpoint"].contains("touchpoint_item"), "calls were read");
    assert_acyclic(&graph);
}

/// The check above can fail: a rule that calls back into its caller is caught.
#[test]
#[should_panic(expected = "the grammar is recursive")]
fn a_recursive_grammar_is_caught() {
    let mut graph = call_graph();
    graph.get_mut("traces_to").expect("rule `traces_to`").insert("touchpoint".into());
    assert_acyclic(&graph);
}
