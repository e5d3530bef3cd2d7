//! `textDocument/completion`: ids of the right kind after a reference keyword
//! (`traces to`, `maps to`, `owner`, `capability`, `system`, `persona`, `parent`,
//! `stakeholder`), a value stream's members after `stream.`, the words `lane`,
//! `state`, `impact`, `effort` and `allow` take, and the attribute keywords of the
//! block around the cursor.
//!
//! The context comes from the text before the cursor, not from the syntax tree:
//! while a user types, the declaration around the cursor rarely parses. The names
//! come from the latest analysis.

use super::diagnostics::range;
use crate::diagnostic::Lint;
use crate::lsp::state::State;
use crate::model::Element;
use crate::model::{Model, StreamId};
use crate::source::{FileId, Span};
use crate::syntax::Kind;
use crate::syntax::lex::{self, Token, TokenKind};
use crate::syntax::vocabulary::{self, Keyword, Takes};
use lsp_types::{
    Command, CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionList,
    CompletionTextEdit, Position, TextEdit,
};

/// How many items one answer holds at most; the list is marked incomplete beyond.
const MAX_ITEMS: usize = 1000;

/// The block the cursor is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// The top level of a file.
    Top,
    /// The block of a declared element.
    Of(Kind),
    /// Somewhere the text does not say (after a keyword that opens no block).
    Unknown,
}

impl Block {
    /// The block in the syntax layer's vocabulary, whose keywords its error
    /// messages and did-you-mean use too; none for `Unknown`.
    fn vocabulary(self) -> Option<&'static vocabulary::Block> {
        match self {
            Block::Top => Some(&vocabulary::TOP),
            Block::Of(kind) => Some(kind.block()),
            Block::Unknown => None,
        }
    }

    /// The keywords a block accepts.
    pub fn keywords(self) -> &'static [Keyword] {
        self.vocabulary().map_or(&[], |b| b.keywords)
    }

    /// The block a declaration keyword (its last word) opens inside this one.
    fn child(self, keyword: &str) -> Block {
        let Some(child) = self.vocabulary().and_then(|b| b.child(keyword)) else {
            return Block::Unknown;
        };
        Kind::ALL
            .into_iter()
            .find(|k| std::ptr::eq(k.block(), child))
            .map_or(Block::Unknown, Block::Of)
    }
}

/// What may be written at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Want {
    Teams,
    /// The current journeys a future journey may replace.
    Journeys,
    Personas,
    Systems,
    Capabilities,
    /// Activities, of one value stream when a `stream.` prefix is written.
    Activities(Option<String>),
    /// Value-stream stages, likewise.
    Stages(Option<String>),
    Words(&'static [&'static str]),
    Lints,
    Keywords(Block),
    Nothing,
}

/// The completion context at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub want: Want,
    /// The bytes a chosen item replaces: the partial path (or, after a `stream.`
    /// prefix, the partial member id).
    pub replace: (usize, usize),
    /// What is typed of the word being completed.
    pub partial: String,
}

/// Whether a value the server cannot offer follows `word`, rather than a keyword:
/// a string, a number or the id of a new element follows most keywords, the rest
/// of the keyword follows each word of a multi-word one. A keyword follows a flag
/// (`enabling`, `moment of truth`). The single words that take what the server
/// offers (`owner`, `lane`, `allow`) are answered before this is asked in the
/// blocks that accept them; elsewhere they are misplaced, and the block's keywords
/// are the most useful answer.
fn before_value(word: &str) -> bool {
    let takes_value = |k: &Keyword| {
        let mut words = k.word.split(' ');
        match k.takes {
            Takes::Flag => {
                words.next_back();
                words.any(|w| w == word)
            }
            Takes::Reference | Takes::References | Takes::Choice(_) | Takes::LintCodes
                if !k.word.contains(' ') =>
            {
                false
            }
            _ => words.any(|w| w == word),
        }
    };
    word == vocabulary::PER || vocabulary::BLOCKS.iter().flat_map(|b| b.keywords).any(takes_value)
}

/// Reads the context of the cursor at `cursor` in `text`.
pub fn context(text: &str, cursor: usize) -> Context {
    let mut cursor = cursor.min(text.len());
    while !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let prefix = &text[..cursor];
    let all: Vec<Token> = lex::tokens(prefix).filter(|t| !t.is_space()).collect();
    let nothing =
        Context { want: Want::Nothing, replace: (cursor, cursor), partial: String::new() };
    if let Some(last) = all.last().filter(|t| t.end == cursor) {
        let inside_string = matches!(last.kind, TokenKind::Str { .. })
            && (last.end - last.start < 2 || !last.text(prefix).ends_with('"'));
        if matches!(last.kind, TokenKind::Comment | TokenKind::DocComment | TokenKind::Number)
            || inside_string
        {
            return nothing;
        }
    }
    let mut tokens: Vec<Token> = all
        .into_iter()
        .filter(|t| !matches!(t.kind, TokenKind::Comment | TokenKind::DocComment))
        .collect();

    // The partial word, and a `stream.` before it.
    let mut item_start = cursor;
    if let Some(last) = tokens.last().filter(|t| t.kind == TokenKind::Word && t.end == cursor) {
        item_start = last.start;
        tokens.pop();
    }
    let mut stream = None;
    let mut path_start = item_start;
    if let [.., head, dot] = tokens.as_slice() {
        if dot.is(prefix, ".")
            && dot.end == item_start
            && head.kind == TokenKind::Word
            && head.end == dot.start
        {
            stream = Some(head.text(prefix).to_owned());
            path_start = head.start;
            tokens.truncate(tokens.len() - 2);
        }
    }
    let partial = prefix[item_start..].to_owned();

    // The blocks around the cursor, and where the current one's items start.
    let mut stack: Vec<Block> = Vec::new();
    let mut since = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is(prefix, "{") {
            let parent = stack.last().copied().unwrap_or(Block::Top);
            stack.push(parent.child(opened(prefix, &tokens[since..i])));
            since = i + 1;
        } else if t.is(prefix, "}") {
            stack.pop();
            since = i + 1;
        } else if t.is(prefix, ";") {
            since = i + 1;
        }
    }
    let block = stack.last().copied().unwrap_or(Block::Top);
    let mut tail = &tokens[since..];

    // After a comma, skip the list's earlier items back to its keyword.
    let listed = tail.last().is_some_and(|t| t.is(prefix, ","));
    while let [rest @ .., comma] = tail {
        if !comma.is(prefix, ",") {
            break;
        }
        tail = skip_item(prefix, rest);
    }
    let word = |t: &Token| if t.kind == TokenKind::Word { t.text(prefix) } else { "" };
    // The words a keyword of this block chooses from (`lane support`).
    let choice = |w: &str| match block.keywords().iter().find(|k| k.word == w)?.takes {
        Takes::Choice(words) => Some(Want::Words(words)),
        _ => None,
    };
    let want = match tail {
        [.., a, b] if word(a) == "traces" && word(b) == "to" => Want::Activities(stream.clone()),
        [.., a, b] if word(a) == "maps" && word(b) == "to" => Want::Stages(stream.clone()),
        [.., last] => choice(word(last)).unwrap_or_else(|| match (block, word(last)) {
            (
                Block::Of(Kind::System | Kind::Capability | Kind::Activity | Kind::Opportunity),
                "owner",
            ) => Want::Teams,
            (Block::Of(Kind::Capability), "parent") | (Block::Of(Kind::Activity), "capability") => {
                Want::Capabilities
            }
            (Block::Of(Kind::Activity), "system") => Want::Systems,
            (Block::Of(Kind::Journey), "replaces") => Want::Journeys,
            (Block::Of(Kind::Journey), "persona")
            | (Block::Of(Kind::ValueStream), "stakeholder") => Want::Personas,
            (_, "allow") => Want::Lints,
            _ if listed => Want::Nothing,
            (_, w) if before_value(w) => Want::Nothing,
            _ => Want::Keywords(block),
        }),
        [] if listed => Want::Nothing,
        [] => Want::Keywords(block),
    };
    // A `stream.` prefix only makes sense in a path.
    if stream.is_some() && !matches!(want, Want::Activities(_) | Want::Stages(_)) {
        return nothing;
    }
    let replace = if stream.is_some() { (item_start, cursor) } else { (path_start, cursor) };
    Context { want, replace, partial }
}

/// The keyword of a declaration whose `{` follows these tokens: `KIND ID "Label"`
/// or `kpi "Label"`.
fn opened<'t>(text: &'t str, tokens: &[Token]) -> &'t str {
    let mut rest = tokens;
    if let [init @ .., last] = rest {
        if matches!(last.kind, TokenKind::Str { .. }) {
            rest = init;
        }
    }
    match rest {
        [.., t] if t.kind == TokenKind::Word && matches!(t.text(text), "kpi" | "metric") => {
            t.text(text)
        }
        [.., keyword, id] if keyword.kind == TokenKind::Word && id.kind == TokenKind::Word => {
            keyword.text(text)
        }
        _ => "",
    }
}

/// The tokens before a list item (`id`, `stream.id`, `journey::code`).
fn skip_item<'a>(text: &str, tokens: &'a [Token]) -> &'a [Token] {
    let Some((last, mut rest)) = tokens.split_last() else { return tokens };
    if last.kind != TokenKind::Word {
        return tokens;
    }
    loop {
        match rest {
            [init @ .., w, d] if d.is(text, ".") && w.kind == TokenKind::Word => rest = init,
            [init @ .., w, a, b]
                if a.is(text, ":") && b.is(text, ":") && w.kind == TokenKind::Word =>
            {
                rest = init;
            }
            _ => return rest,
        }
    }
}

/// The completion list at a position.
pub fn complete(
    state: &State,
    file: FileId,
    position: Position,
    trigger: Option<&str>,
) -> Option<CompletionList> {
    let doc = state.doc(file);
    let cursor = doc.lines.offset(&doc.text, position, state.encoding);
    let cx = context(&doc.text, cursor);
    // A space only opens the list where an id is expected, not before every word.
    if trigger == Some(" ") && matches!(cx.want, Want::Keywords(_) | Want::Nothing) {
        return None;
    }
    let span = Span::new(file, cx.replace.0, cx.replace.1);
    let edit = |new_text: String| {
        Some(CompletionTextEdit::Edit(TextEdit { range: range(state, span), new_text }))
    };
    let model = &state.snapshot.model;
    let mut items: Vec<CompletionItem> = Vec::new();
    let symbols = |items: &mut Vec<CompletionItem>, list: &mut dyn Iterator<Item = Element>| {
        for s in list {
            items.push(symbol_item(model, s, &edit));
        }
    };
    match &cx.want {
        Want::Teams => symbols(
            &mut items,
            &mut (0..model.teams.len()).map(|i| Element::Team(crate::model::TeamId(i as u32))),
        ),
        // Only a current journey can be replaced (spec §4a).
        Want::Journeys => symbols(
            &mut items,
            &mut (0..model.journeys.len())
                .map(|i| crate::model::JourneyId(i as u32))
                .filter(|&j| model[j].state == crate::model::State::Current)
                .map(Element::Journey),
        ),
        Want::Personas => symbols(
            &mut items,
            &mut (0..model.personas.len())
                .map(|i| Element::Persona(crate::model::PersonaId(i as u32))),
        ),
        Want::Systems => symbols(
            &mut items,
            &mut (0..model.systems.len())
                .map(|i| Element::System(crate::model::SystemId(i as u32))),
        ),
        Want::Capabilities => symbols(
            &mut items,
            &mut (0..model.capabilities.len())
                .map(|i| Element::Capability(crate::model::CapabilityId(i as u32))),
        ),
        Want::Activities(None) | Want::Stages(None) => {
            let activities = matches!(cx.want, Want::Activities(_));
            for (i, s) in model.streams.iter().enumerate() {
                let what = if activities { "activities" } else { "stages" };
                items.push(CompletionItem {
                    label: s.meta.id.clone(),
                    kind: Some(CompletionItemKind::MODULE),
                    detail: Some(format!(
                        "{} · value stream: its {what} follow a `.`",
                        s.meta.label
                    )),
                    text_edit: edit(format!("{}.", s.meta.id)),
                    filter_text: Some(s.meta.id.clone()),
                    command: Some(retrigger()),
                    sort_text: Some(format!("1{i:08}")),
                    ..CompletionItem::default()
                });
            }
            let members = (0..model.streams.len())
                .flat_map(|s| members(model, StreamId(s as u32), activities));
            for m in members {
                let mut item = symbol_item(model, m, &edit);
                item.text_edit = edit(m.qualified(model));
                items.push(item);
            }
        }
        Want::Activities(Some(stream)) | Want::Stages(Some(stream)) => {
            let activities = matches!(cx.want, Want::Activities(_));
            if let Some(s) = model.streams.iter().position(|s| &s.meta.id == stream) {
                for m in members(model, StreamId(s as u32), activities) {
                    items.push(symbol_item(model, m, &edit));
                }
            }
        }
        Want::Words(words) => {
            for w in *words {
                items.push(CompletionItem {
                    label: (*w).to_owned(),
                    kind: Some(CompletionItemKind::ENUM_MEMBER),
                    text_edit: edit((*w).to_owned()),
                    ..CompletionItem::default()
                });
            }
        }
        Want::Lints => {
            for lint in Lint::ALL {
                items.push(CompletionItem {
                    label: lint.code().name().to_owned(),
                    kind: Some(CompletionItemKind::ENUM_MEMBER),
                    detail: Some(lint.code().as_str().to_owned()),
                    text_edit: edit(lint.code().name().to_owned()),
                    ..CompletionItem::default()
                });
            }
        }
        Want::Keywords(block) => {
            for (i, keyword) in block.keywords().iter().enumerate() {
                // What the server offers next comes after a space.
                let takes_id = matches!(
                    keyword.takes,
                    Takes::Reference | Takes::References | Takes::Paths | Takes::Choice(_)
                );
                let k = keyword.word;
                items.push(CompletionItem {
                    label: k.to_owned(),
                    kind: Some(CompletionItemKind::KEYWORD),
                    text_edit: edit(if takes_id { format!("{k} ") } else { k.to_owned() }),
                    command: takes_id.then(retrigger),
                    sort_text: Some(format!("{i:04}")),
                    ..CompletionItem::default()
                });
            }
        }
        Want::Nothing => return None,
    }
    let partial = cx.partial.to_lowercase();
    items.retain(|item| {
        let key = item.filter_text.as_deref().unwrap_or(&item.label).to_lowercase();
        super::symbols::subsequence(&partial, &key)
    });
    let is_incomplete = items.len() > MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    Some(CompletionList { is_incomplete, items })
}

/// The activities (or stages) of a value stream.
fn members(model: &Model, stream: StreamId, activities: bool) -> Vec<Element> {
    let stages = &model[stream].stages;
    if activities {
        stages
            .iter()
            .flat_map(|&st| model[st].activities.iter().map(|&a| Element::Activity(a)))
            .collect()
    } else {
        stages.iter().map(|&st| Element::VsStage(st)).collect()
    }
}

fn symbol_item(
    model: &Model,
    symbol: Element,
    edit: &dyn Fn(String) -> Option<CompletionTextEdit>,
) -> CompletionItem {
    let meta = symbol.meta(model);
    let qualified = symbol.qualified(model);
    CompletionItem {
        label: meta.id.clone(),
        label_details: (qualified != meta.id)
            .then_some(CompletionItemLabelDetails { detail: None, description: Some(qualified) }),
        kind: Some(match symbol {
            Element::Persona(_) => CompletionItemKind::INTERFACE,
            Element::Team(_) => CompletionItemKind::STRUCT,
            Element::System(_) | Element::Stream(_) => CompletionItemKind::MODULE,
            Element::Capability(_) => CompletionItemKind::CLASS,
            Element::Activity(_) => CompletionItemKind::FUNCTION,
            _ => CompletionItemKind::FOLDER,
        }),
        detail: Some(format!("{} · {}", meta.label, symbol.kind_name())),
        text_edit: edit(meta.id.clone()),
        filter_text: Some(meta.id.clone()),
        sort_text: Some(format!("0{}", meta.id)),
        ..CompletionItem::default()
    }
}

/// Asks the editor to open the list again, for the id after a keyword or a `.`.
fn retrigger() -> Command {
    Command::new("suggest".to_owned(), "editor.action.triggerSuggest".to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lane, Rating, State as JourneyState};

    /// Every block but `Unknown` is a block of the vocabulary, each a different one.
    #[test]
    fn every_block_is_one_of_the_vocabulary() {
        let blocks = std::iter::once(Block::Top).chain(Kind::ALL.map(Block::Of));
        let ours: Vec<&str> = blocks.filter_map(Block::vocabulary).map(|v| v.what).collect();
        let all: Vec<&str> = vocabulary::BLOCKS.iter().map(|b| b.what).collect();
        assert_eq!(ours, all);
        assert_eq!(Block::Top.child("stream"), Block::Of(Kind::ValueStream));
        assert_eq!(Block::Of(Kind::Touchpoint).child("kpi"), Block::Of(Kind::Metric));
        assert_eq!(Block::Of(Kind::Activity).child("capability"), Block::Unknown);
    }

    /// After a keyword that takes a value the server cannot offer (a string, a
    /// number, a new id), or inside a multi-word keyword, nothing is offered; after
    /// one that takes references, words or codes, or after a flag, something is.
    #[test]
    fn values_follow_keywords_that_take_them() {
        for word in ["wait", "channel", "reach", "description", "per", "moment", "traces", "stage"]
        {
            assert!(before_value(word), "`{word}`");
        }
        for word in ["owner", "lane", "allow", "enabling", "truth", "impact", "parent"] {
            assert!(!before_value(word), "`{word}`");
        }
    }

    fn at(text: &str) -> Context {
        let cursor = text.find('|').unwrap();
        let text = text.replace('|', "");
        context(&text, cursor)
    }

    #[test]
    fn reads_the_context_before_the_cursor() {
        let j = "journey j {\n stage s {\n  touchpoint t \"T\" {\n   ";
        assert_eq!(at(&format!("{j}traces to |")).want, Want::Activities(None));
        assert_eq!(
            at(&format!("{j}traces\n to vs.a, vs.|")).want,
            Want::Activities(Some("vs".into()))
        );
        let c = at(&format!("{j}traces to vs.ca|"));
        assert_eq!((c.want, c.partial.as_str()), (Want::Activities(Some("vs".into())), "ca"));
        assert_eq!(
            at(&format!("{j}emotion -1 |")).want,
            Want::Keywords(Block::Of(Kind::Touchpoint))
        );
        assert_eq!(at(&format!("{j}opportunity o {{ impact |")).want, Want::Words(&Rating::NAMES));
        assert_eq!(at(&format!("{j}channel \"we|")).want, Want::Nothing);
        assert_eq!(at(&format!("{j}// traces to |")).want, Want::Nothing);
        assert_eq!(at("journey j { stage s { maps to |").want, Want::Stages(None));
        assert_eq!(at("journey j { persona a, |").want, Want::Personas);
        assert_eq!(at("journey j { state |").want, Want::Words(&JourneyState::NAMES));
        assert_eq!(at("value stream v { stage s { activity a \"A\" { owner |").want, Want::Teams);
        assert_eq!(
            at("value stream v { stage s { activity a { capability x, |").want,
            Want::Capabilities
        );
        assert_eq!(
            at("value stream v { stage s { activity a { lane |").want,
            Want::Words(&Lane::NAMES)
        );
        assert_eq!(
            at("value stream v { stage s { activity a { state |").want,
            Want::Words(&crate::model::ActivityState::NAMES)
        );
        assert_eq!(at("journey j { state future replaces |").want, Want::Journeys);
        assert_eq!(at("value stream v { stakeholder |").want, Want::Personas);
        assert_eq!(at("capability c { parent |").want, Want::Capabilities);
        assert_eq!(at("system s { owner x }\n|").want, Want::Keywords(Block::Top));
        assert_eq!(
            at("value stream v { stage s { kpi \"x\" { |").want,
            Want::Keywords(Block::Of(Kind::Metric))
        );
        assert_eq!(at("team t { allow gap, |").want, Want::Lints);
        assert_eq!(at("team |").want, Want::Nothing);
    }
}
