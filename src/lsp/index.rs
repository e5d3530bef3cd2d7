//! The symbol index: for every element of the model, where it is declared and
//! every place that names it, built after each analysis. Definition, references,
//! hover, rename and semantic tokens all start from the occurrence under a cursor.

use crate::model::{Element, Model, Ref, TeamId};
use crate::source::{FileId, Span};
use std::collections::HashMap;

/// One place an element's id is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Exactly the id: for a path `stream.activity`, the part that names this element.
    pub span: Span,
    pub symbol: Element,
    /// Whether this is the declaration rather than a reference.
    pub definition: bool,
}

/// Every occurrence of every element, by file and by element.
#[derive(Debug, Default)]
pub struct Index {
    /// Per file, sorted by position.
    by_file: Vec<Vec<Occurrence>>,
    /// The references to each element (declarations excluded), in source order.
    references: HashMap<Element, Vec<Span>>,
}

impl Index {
    /// Indexes a model; `text` gives each file's text, to split paths into parts.
    pub fn build<'t>(model: &Model, files: usize, text: impl Fn(FileId) -> &'t str) -> Index {
        let mut index = Index { by_file: vec![Vec::new(); files], references: HashMap::new() };
        for symbol in Element::all(model) {
            let span = symbol.meta(model).id_span;
            index.add(Occurrence { span, symbol, definition: true });
        }
        let mut refs: Vec<(Span, Element)> = Vec::new();
        let simple = |refs: &mut Vec<(Span, Element)>, r: Option<&Ref<TeamId>>| {
            if let Some(r) = r {
                refs.push((r.span, Element::Team(r.target)));
            }
        };
        for s in &model.systems {
            simple(&mut refs, s.owner.as_ref());
        }
        for c in &model.capabilities {
            simple(&mut refs, c.owner.as_ref());
            if let Some(p) = c.parent {
                refs.push((p.span, Element::Capability(p.target)));
            }
        }
        for s in &model.streams {
            refs.extend(s.stakeholders.iter().map(|p| (p.span, Element::Persona(p.target))));
        }
        for a in &model.activities {
            simple(&mut refs, a.owner.as_ref());
            refs.extend(a.capabilities.iter().map(|c| (c.span, Element::Capability(c.target))));
            refs.extend(a.systems.iter().map(|s| (s.span, Element::System(s.target))));
        }
        for j in &model.journeys {
            refs.extend(j.personas.iter().map(|p| (p.span, Element::Persona(p.target))));
        }
        for t in &model.touchpoints {
            for o in &t.opportunities {
                simple(&mut refs, o.owner.as_ref());
            }
        }
        // Paths: the item names the member, the head (if written) its value stream.
        let path = |refs: &mut Vec<(Span, Element)>, span: Span, item: Element, stream| {
            let written = text(span.file).get(span.range()).unwrap_or("");
            match written.find('.') {
                Some(dot) => {
                    let dot = span.start as usize + dot;
                    refs.push((
                        Span::new(span.file, span.start as usize, dot),
                        Element::Stream(stream),
                    ));
                    refs.push((Span::new(span.file, dot + 1, span.end as usize), item));
                }
                None => refs.push((span, item)),
            }
        };
        for st in &model.journey_stages {
            for m in &st.maps_to {
                path(&mut refs, m.span, Element::VsStage(m.target), model[m.target].stream);
            }
        }
        for t in &model.traces {
            path(&mut refs, t.span, Element::Activity(t.activity), model[t.activity].stream);
        }
        for (span, symbol) in refs {
            index.add(Occurrence { span, symbol, definition: false });
            index.references.entry(symbol).or_default().push(span);
        }
        for file in &mut index.by_file {
            file.sort_by_key(|o| (o.span.start, o.span.end));
        }
        for spans in index.references.values_mut() {
            spans.sort();
        }
        index
    }

    fn add(&mut self, occurrence: Occurrence) {
        if let Some(file) = self.by_file.get_mut(occurrence.span.file.0 as usize) {
            file.push(occurrence);
        }
    }

    /// The occurrence at a byte offset: the one containing it, or the one ending
    /// there (a cursor just after an id is on it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<Occurrence> {
        let list = self.by_file.get(file.0 as usize)?;
        let after = list.partition_point(|o| o.span.start as usize <= offset);
        let candidate = list[..after].last()?;
        (offset <= candidate.span.end as usize).then_some(*candidate)
    }

    /// The occurrences in a file, in order.
    pub fn in_file(&self, file: FileId) -> &[Occurrence] {
        self.by_file.get(file.0 as usize).map_or(&[], Vec::as_slice)
    }

    /// Where an element is named, its declaration excluded.
    pub fn references(&self, symbol: Element) -> &[Span] {
        self.references.get(&symbol).map_or(&[], Vec::as_slice)
    }
}
