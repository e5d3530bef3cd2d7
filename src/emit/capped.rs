//! A list cut to its first items, with how many there are in all: the overview and
//! the views list a few of a set that grows with the input (gaps, the touchpoints an
//! activity serves) and count the rest, so that a page grows with the elements it
//! shows and not with the trace links (docs/architecture.md, "Output grows with the
//! input").

/// The first items of a list that may be long, and how many there are in all.
pub(super) struct Capped<T> {
    pub(super) items: Vec<T>,
    pub(super) total: usize,
}

impl<T> Capped<T> {
    /// The first `cap` of `items`, counting them all.
    pub(super) fn of(items: impl IntoIterator<Item = T>, cap: usize) -> Capped<T> {
        let mut total = 0;
        let mut kept = Vec::new();
        for item in items {
            if kept.len() < cap {
                kept.push(item);
            }
            total += 1;
        }
        Capped { items: kept, total }
    }

    /// How many were left out.
    pub(super) fn more(&self) -> usize {
        self.total - self.items.len()
    }

    /// How many were left out, for people: `1 234`.
    pub(super) fn more_text(&self) -> String {
        grouped(self.more())
    }

    /// How many there are, listed or not.
    pub(super) fn count(&self) -> usize {
        self.total
    }

    pub(super) fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// A count with its thousands grouped: `1 234`.
#[allow(clippy::cast_precision_loss)]
pub(super) fn grouped(n: usize) -> String {
    crate::text::number::grouped(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lists_keep_the_first_and_count_all() {
        let c = Capped::of(0..120, 50);
        assert_eq!((c.items.len(), c.total, c.more(), c.count()), (50, 120, 70, 120));
        assert_eq!(c.items[49], 49);
        assert_eq!(c.more_text(), "70");
        let c = Capped::of(0..3, 50);
        assert_eq!((c.items.len(), c.more(), c.is_empty()), (3, 0, false));
        assert!(Capped::of(0..0, 5).is_empty());
    }
}
