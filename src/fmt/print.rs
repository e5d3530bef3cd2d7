//! Laying out the reduced tree, with the comments put back.
//!
//! The layout depends on the tree alone, never on how the input was laid out:
//! two-space indentation; a block on one line when it holds at most two
//! attributes and fits in 100 columns; a blank line around every multi-line block
//! and between top-level declarations (but not between one-line declarations of the
//! same kind, such as a list of teams). Comments are the exception, since they are
//! the author's: each stays before the element it preceded or at the end of the
//! line it ended, and a blank line that separated it from what came before stays.

use super::comments::Comment;
use super::tree::Node;

/// The widest a line may get by putting a block on it.
const WIDTH: usize = 100;

/// The most attributes a block may hold and still be written on one line.
const INLINE_ATTRIBUTES: usize = 2;

pub fn print(text: &str, nodes: &[Node], comments: Vec<Comment>) -> String {
    let mut p = Printer {
        line_starts: crate::source::line_starts(text).collect(),
        text,
        comments,
        next: 0,
        out: String::new(),
    };
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            let previous = &nodes[i - 1];
            let same_kind = first_word(&previous.line) == first_word(&node.line);
            if !(same_kind && p.one_line(previous, 0) && p.one_line(node, 0)) {
                p.blank();
            }
        }
        p.leading(node.start as usize, 0, true);
        let next = nodes.get(i + 1).map_or(text.len(), |n| n.start as usize);
        p.node(node, 0, next);
    }
    p.leading(text.len() + 1, 0, false);
    if !p.out.is_empty() && !p.out.ends_with('\n') {
        p.out.push('\n');
    }
    p.out
}

struct Printer<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    comments: Vec<Comment>,
    /// The first comment not printed yet.
    next: usize,
    out: String,
}

impl Printer<'_> {
    /// Prints a node; `next` is where the following sibling (or the parent's closing
    /// brace) starts, which bounds the comments that may trail this node.
    fn node(&mut self, n: &Node, indent: usize, next: usize) {
        let pad = "  ".repeat(indent);
        let children = match &n.children {
            Some(children) if !children.is_empty() => children,
            // An empty block that holds comments keeps its braces, and the comments
            // stay inside: a doc comment moved out of `team t { /// d }` would
            // document the next declaration.
            Some(_)
                if self.comments[self.next..]
                    .iter()
                    .any(|c| c.start > n.start && c.start < n.end) =>
            {
                self.line(&format!("{pad}{} {{", n.line));
                self.leading(n.end.saturating_sub(1) as usize, indent + 1, false);
                self.line(&format!("{pad}}}"));
                self.trailing(n.end as usize, next);
                return;
            }
            _ => {
                self.line(&format!("{pad}{}", n.line));
                self.trailing(n.end as usize, next);
                return;
            }
        };
        if let Some(line) = self.inline(n, indent) {
            self.line(&line);
            self.trailing(n.end as usize, next);
            return;
        }
        self.line(&format!("{pad}{} {{", n.line));
        // A comment that trails the head or its brace, before the first child:
        // `stage s { // note`.
        if let Some(c) = self.comments.get(self.next) {
            if !c.own_line && !c.is_doc() && c.start < children[0].start {
                let text = c.text.clone();
                self.append(&text);
                self.next += 1;
            }
        }
        for (i, child) in children.iter().enumerate() {
            if i > 0 {
                let previous = &children[i - 1];
                if !self.one_line(previous, indent + 1) || !self.one_line(child, indent + 1) {
                    self.blank();
                }
            }
            self.leading(child.start as usize, indent + 1, true);
            // The last child is followed by the closing brace, not by the parent's end:
            // a comment glued after the `}` (`}// c`) trails the parent, not the child.
            let following =
                children.get(i + 1).map_or(n.end.saturating_sub(1) as usize, |c| c.start as usize);
            self.node(child, indent + 1, following);
        }
        // Comments after the last child, before the closing brace.
        self.leading(n.end.saturating_sub(1) as usize, indent + 1, false);
        self.line(&format!("{pad}}}"));
        self.trailing(n.end as usize, next);
    }

    /// The node on one line, if it is a block that may be written so.
    fn inline(&self, n: &Node, indent: usize) -> Option<String> {
        let children = n.children.as_ref()?;
        let simple = children.len() <= INLINE_ATTRIBUTES
            && children.iter().all(|c| c.children.is_none())
            && !self.comments[self.next..].iter().any(|c| c.start > n.start && c.start < n.end);
        if !simple {
            return None;
        }
        let body: Vec<&str> = children.iter().map(|c| c.line.as_str()).collect();
        let line = format!("{}{} {{ {} }}", "  ".repeat(indent), n.line, body.join(" "));
        (line.chars().count() <= WIDTH).then_some(line)
    }

    /// Whether the node is written on one line.
    fn one_line(&self, n: &Node, indent: usize) -> bool {
        n.is_leaf() || self.inline(n, indent).is_some()
    }

    /// Prints the comments that come before `pos`, each on its own line; before an
    /// element, keeps a blank line the author left between them and it.
    fn leading(&mut self, pos: usize, indent: usize, element: bool) {
        while let Some(c) = self.comments.get(self.next) {
            if c.start as usize >= pos {
                break;
            }
            let (text, blank_before) = (c.text.clone(), c.blank_before);
            if blank_before {
                self.blank();
            }
            self.line(&format!("{}{text}", "  ".repeat(indent)));
            self.next += 1;
        }
        // A blank line the author left between a comment and the element below it.
        if element && self.printed_comment_just_now() {
            let line = self.line_of(pos);
            if line > 0 && self.line_is_blank(line - 1) {
                self.blank();
            }
        }
    }

    /// Whether the last thing printed is a comment line.
    fn printed_comment_just_now(&self) -> bool {
        let text = self.out.strip_suffix('\n').unwrap_or(&self.out);
        let last = text.rfind('\n').map_or(text, |n| &text[n + 1..]);
        last.trim_start().starts_with("//")
    }

    /// Appends a comment to the end of the last line if it sits on the line where
    /// the construct ending at `end` ends, before the next construct starts.
    fn trailing(&mut self, end: usize, next: usize) {
        let Some(c) = self.comments.get(self.next) else { return };
        if c.own_line
            || c.is_doc()
            || (c.start as usize) < end
            || (c.start as usize) > next
            || self.line_of(c.start as usize) != self.line_of(end.saturating_sub(1))
        {
            return;
        }
        let text = c.text.clone();
        self.append(&text);
        self.next += 1;
    }

    fn append(&mut self, comment: &str) {
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push(' ');
        self.out.push_str(comment);
        self.out.push('\n');
    }

    fn line(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// One blank line, never two, and none at the start of the file or a block.
    fn blank(&mut self) {
        let at_start = self.out.is_empty() || self.out.ends_with("{\n");
        if !at_start && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn line_of(&self, pos: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    fn line_is_blank(&self, line: usize) -> bool {
        let start = self.line_starts[line];
        let end = self.line_starts.get(line + 1).map_or(self.text.len(), |&e| e);
        self.text[start..end].trim().is_empty()
    }
}

fn first_word(line: &str) -> &str {
    line.split(' ').next().unwrap_or(line)
}
