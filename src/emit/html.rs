//! The HTML pages (askama templates in `src/emit/templates/`).

use super::{Input, Names};

pub(super) fn pages(
    _input: Input<'_>,
    _names: &Names,
) -> Result<Vec<(String, String)>, askama::Error> {
    Ok(Vec::new())
}
